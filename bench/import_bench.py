"""Import speed: Kneecap's parsers against the reference libraries, in the same run.

    .venv/bin/python bench/import_bench.py [--corpus DIR] [--repeat N] [--year N] [--memory-gb G]

1. Parse throughput per format over the corpus (FIT vs fitdecode, GPX vs gpxpy, TCX vs
   tcxreader): MB/s for each and the ratio. Every file either parser refuses is left out of
   both sides, so they read the same bytes.
2. A year of running: N activities (default 320) made by replicating the corpus runs with their
   times shifted a day apart, written to a folder, then `kneecap import` of that folder into a
   fresh database (parse + analyse + store), timed end to end.
3. With --memory-gb G: an export zip holding G GB of activity files, imported in a child process
   whose peak resident memory is reported (bounded-memory check; off by default, it takes
   minutes).

Figures are printed, never asserted: run it on the machine you want numbers for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fit_shift import shift_fit

from kneecap.core.activity import Sport
from kneecap.importers.errors import ActivityFileError
from kneecap.importers.fit import parse_fit
from kneecap.importers.gpx import parse_gpx
from kneecap.importers.tcx import parse_tcx

ROOT = Path(__file__).resolve().parents[1]

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"


def baseline_fit(data: bytes) -> int:
    import io

    import fitdecode

    n = 0
    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.DISABLED) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                n += 1
    return n


def baseline_gpx(data: bytes) -> int:
    import gpxpy

    g = gpxpy.parse(data.decode("utf-8"))
    return sum(len(s.points) for t in g.tracks for s in t.segments)


def baseline_tcx(data: bytes) -> int:
    from tcxreader.tcxreader import TCXReader

    with tempfile.NamedTemporaryFile(suffix=".tcx") as f:  # tcxreader reads paths only
        f.write(data)
        f.flush()
        return len(TCXReader().read(f.name, only_gps=False).trackpoints)


FORMATS: dict[str, tuple[Callable[[bytes], Any], Callable[[bytes], int], str]] = {
    "fit": (parse_fit, baseline_fit, "fitdecode"),
    "gpx": (parse_gpx, baseline_gpx, "gpxpy"),
    "tcx": (parse_tcx, baseline_tcx, "tcxreader"),
}


def corpus_files(corpus: Path, kind: str) -> list[bytes]:
    out = []
    for p in sorted(corpus.iterdir()):
        name = p.name.lower()
        if name.endswith(f".{kind}"):
            out.append(p.read_bytes())
        elif name.endswith(f".{kind}.gz"):
            out.append(gzip.decompress(p.read_bytes()))
        elif name.endswith(".zip"):
            with zipfile.ZipFile(p) as z:
                out += [z.read(i) for i in z.infolist() if i.filename.lower().endswith(f".{kind}")]
    return out


def readable(files: list[bytes], ours: Callable[[bytes], Any], theirs: Callable[[bytes], int]):
    keep = []
    for data in files:
        try:
            ours(data)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theirs(data)
        except Exception:  # a file either side refuses is left out of both
            continue
        keep.append(data)
    return keep


def throughput(fn: Callable[[bytes], Any], files: list[bytes], repeat: int) -> float:
    size = sum(len(f) for f in files)
    best = float("inf")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeat):
            t0 = time.perf_counter()
            for data in files:
                fn(data)
            best = min(best, time.perf_counter() - t0)
    return size / best / 1e6


def parse_speed(corpus: Path, repeat: int) -> None:
    print(f"Parse throughput over the corpus ({corpus}), best of {repeat} runs")
    print(
        f"{'format':6} {'files':>5} {'MB':>6} {'kneecap MB/s':>13} {'baseline':>10} "
        f"{'MB/s':>7} {'ratio':>7}"
    )
    for kind, (ours, theirs, name) in FORMATS.items():
        files = readable(corpus_files(corpus, kind), ours, theirs)
        if not files:
            continue
        mb = sum(len(f) for f in files) / 1e6
        k = throughput(ours, files, repeat)
        b = throughput(theirs, files, max(1, repeat // 3))
        print(f"{kind:6} {len(files):5d} {mb:6.2f} {k:13.1f} {name:>10} {b:7.2f} {k / b:6.1f}x")


# --- a year of running --------------------------------------------------------------------------

_ISO = re.compile(rb"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})")


def shift_xml(data: bytes, days: int) -> bytes:
    """Every ISO timestamp in a GPX/TCX moved by `days` (the same run, another day)."""

    def move(m: re.Match[bytes]) -> bytes:
        t = dt.datetime.fromisoformat(f"{m[1].decode()}T{m[2].decode()}") + dt.timedelta(days=days)
        return t.strftime("%Y-%m-%dT%H:%M:%S").encode()

    return _ISO.sub(move, data)


def running_sources(corpus: Path) -> list[tuple[str, bytes]]:
    runs = []
    for kind, (ours, _, _) in FORMATS.items():
        for data in corpus_files(corpus, kind):
            try:
                acts = ours(data)
            except ActivityFileError:
                continue
            if acts and all(a.sport is Sport.RUNNING for a in acts) and acts[0].points > 100:
                runs.append((kind, data))
    return runs


def write_year(corpus: Path, folder: Path, count: int) -> int:
    runs = running_sources(corpus)
    size = 0
    for i in range(count):
        kind, data = runs[i % len(runs)]
        days = -(i + 1)  # one activity a day going back
        moved = shift_fit(data, days) if kind == "fit" else shift_xml(data, days)
        path = folder / f"{i:04d}.{kind}"
        path.write_bytes(moved)
        size += len(moved)
    return size


def kneecap(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "kneecap"
    env = {**os.environ, "KNEECAP_HOME": str(home)}
    env.pop("KNEECAP_DB", None)
    return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, check=False)


def outcome(done: subprocess.CompletedProcess[str]) -> str:
    try:
        r = json.loads(done.stdout)
    except ValueError:
        return f"unreadable output: {done.stderr.strip()[-300:]}"
    return f"{r['imported']} imported, {r['duplicates']} duplicates, {len(r['failed'])} failed"


def year_of_running(corpus: Path, count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "year"
        folder.mkdir()
        size = write_year(corpus, folder, count)
        home = Path(tmp) / "home"
        kneecap("init", "--profile", str(ROOT / "docs" / "examples" / "sam.yaml"), home=home)
        t0 = time.perf_counter()
        done = kneecap("import", str(folder), "--json", home=home)
        took = time.perf_counter() - t0
        print(
            f"\nA year of running: {count} activities, {size / 1e6:.1f} MB, imported "
            f"(parse + analyse + store, one process) in {took:.2f} s "
            f"({count / took:.0f} activities/s); exit {done.returncode}, {outcome(done)}"
        )


def memory(corpus: Path, gigabytes: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "export.zip"
        runs = running_sources(corpus)
        target, written, i = gigabytes * 1e9, 0, 0
        with zipfile.ZipFile(export, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            while written < target:
                kind, data = runs[i % len(runs)]
                z.writestr(f"activities/{i:06d}.{kind}", data)
                written += len(data)
                i += 1
        home = Path(tmp) / "home"
        kneecap("init", "--profile", str(ROOT / "docs" / "examples" / "sam.yaml"), home=home)
        t0 = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        done = kneecap("import", str(export), "--json", home=home)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(
            f"\nExport of {written / 1e9:.2f} GB in {i} files ({export.stat().st_size / 1e6:.0f} MB "
            f"zipped): imported in {time.perf_counter() - t0:.0f} s, peak memory "
            f"{max(peak, before) / 1024:.0f} MB, exit {done.returncode}, {outcome(done)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--year", type=int, default=320, help="activities in the year of running")
    ap.add_argument("--memory-gb", type=float, default=0.0)
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"corpus not found at {args.corpus}: pass --corpus DIR")
    parse_speed(args.corpus, args.repeat)
    if args.year:
        year_of_running(args.corpus, args.year)
    if args.memory_gb:
        memory(args.corpus, args.memory_gb)


if __name__ == "__main__":
    main()
