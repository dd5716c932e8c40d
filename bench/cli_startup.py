"""How long the `kneecap` command takes to answer, against a bare interpreter from the same venv.

    .venv/bin/python bench/cli_startup.py [--runs 10]

Sets up a fresh data folder with the example runner (docs/examples/sam.yaml) and a pinned
today, runs each command once to warm the caches, then `--runs` rounds of `python -c pass`,
`kneecap --help`, `kneecap today` as a runner types it again and again (its answer remembered
while the data has not changed, cli/answers.py) and `kneecap today` the first time after a
change (the remembered answer removed before each run: the runner's records are read from the
database file and the programme replayed and drawn, cli/today.py), one of each per round so a
busy machine slows them alike. The warm-up run leaves what any second start finds: bytecode,
and the catalogue's YAML parse kept beside it (kneecap.catalog). Prints the median wall time of
each and its ratio to `python -c pass`.
Target: `--help` and `today` within 20x a bare interpreter.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PROFILE = REPO / "docs" / "examples" / "sam.yaml"
TODAY = "2026-12-16"  # the example's second week
TARGET = 20


def run(command: list[str], env: dict[str, str], fresh: Path | None = None) -> float:
    """Wall time of one run of `command`; `fresh`: a remembered answer removed first."""
    if fresh is not None:
        fresh.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    kneecap = str(Path(sys.executable).parent / "kneecap")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "kneecap --help": [kneecap, "--help"],
        "kneecap today": [kneecap, "today"],
        "today, changed": [kneecap, "today"],
    }
    with tempfile.TemporaryDirectory() as home:
        env = os.environ | {"KNEECAP_HOME": home, "KNEECAP_TODAY": TODAY}
        env.pop("KNEECAP_DB", None)
        subprocess.run(
            [kneecap, "init", "--profile", str(PROFILE)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        remembered = Path(home) / "answers" / "today"
        fresh = {"today, changed": remembered}
        times: dict[str, list[float]] = {name: [] for name in commands}
        for name, command in commands.items():
            run(command, env, fresh.get(name))  # warm: bytecode compiled, files in the page cache
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(run(command, env, fresh.get(name)))

    base = statistics.median(times["python -c pass"])
    print(f"median of {args.runs} runs (target: within {TARGET}x python -c pass)")
    for name, taken in times.items():
        median = statistics.median(taken)
        print(f"  {name:<16} {median * 1000:7.1f} ms  {median / base:6.1f}x")


if __name__ == "__main__":
    main()
