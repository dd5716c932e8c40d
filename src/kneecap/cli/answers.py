"""Remembered answers: `kneecap today` (and `today --json`) printed again, byte for byte, while
nothing it depends on has changed, without loading the store, the engine or the command line
library.

An answer is a pure function of the runner's data, the date, the code and catalogue, and the
terminal it is printed to. Each of these is in the key:

- the data: the database's schema revision and the person's row (id, creation time, and the
  revision every write of their data moves), read without SQLAlchemy (`app.home.data_stamp`);
- the date (`KNEECAP_TODAY` or the system's) and the zone (`KNEECAP_TZ`);
- the code and the catalogue: the version and the newest modification time of any file in the
  package;
- the terminal: whether standard output is one, its size, and the variables that change how
  text is coloured or wrapped.

The revision is read before the command runs, so an answer computed while another process
wrote is stored under the older revision, which is never asked for again. Only a whole answer
is kept (exit 0, or 3 for a plan on hold) and nothing written to standard error. Server
databases (`KNEECAP_DB` not an embedded SQLite file) and any other command or option always
run in full. Answers are health data: they are kept in the private data folder, 0600, and
deleted with it.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import kneecap
from kneecap.app import home
from kneecap.settings import FILE_MODE, Settings, private_folder

# The commands whose answer is remembered, as typed (any other argument runs in full).
REMEMBERED = {("today",): "today", ("today", "--json"): "today-json"}
FOLDER = "answers"
WHOLE = (0, 3)  # exit codes of a whole answer: shown, or the plan on hold
TERMINAL_VARIABLES = (
    "TERM",
    "COLORTERM",
    "NO_COLOR",
    "FORCE_COLOR",
    "COLUMNS",
    "LINES",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)


@dataclass(frozen=True)
class Question:
    """A command whose answer may be remembered, with the key of everything it depends on."""

    path: Path  # where its answer is kept
    key: str
    name: str  # "today" or "today-json"
    settings: Settings  # as the command resolves them with no options given


def question(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Question | None:
    """The remembered-answer question for `argv`, or None when this command must run in full
    (another command, an option, a server database, no runner yet, or anything unreadable)."""
    name = REMEMBERED.get(tuple(argv))
    if name is None:
        return None
    env = os.environ if environ is None else environ
    try:
        s = Settings.resolve(None, None, environ=env)
    except ValueError:  # a malformed KNEECAP_TODAY: the full command says what is wrong
        return None
    data = home.data_stamp(s)
    if data is None:
        return None
    parts = [
        name,
        data,
        s.clock.today().isoformat(),
        s.clock.zone_name or "",
        _code_key(),
        _terminal_key(env),
    ]
    key = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return Question(s.home / FOLDER / name, key, name, s)


def recall(q: Question) -> tuple[int, bytes] | None:
    """The remembered answer to `q` (exit code, what was printed), if its key still holds."""
    try:
        blob = q.path.read_bytes()
    except OSError:
        return None
    head, _, body = blob.partition(b"\n")
    key, _, code = head.decode("ascii", "replace").partition(" ")
    if key != q.key or not code.isdigit():
        return None
    return int(code), body


@contextmanager
def remembering(q: Question) -> Iterator[None]:
    """Run a command with its standard output copied; a whole answer is kept for `q`."""
    copy = _Copy(sys.stdout)
    wrote_error = _Watch(sys.stderr)
    sys.stdout, sys.stderr = copy, wrote_error
    code: int | None = 0
    try:
        yield
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else None)
        raise
    except BaseException:
        code = None
        raise
    finally:
        sys.stdout, sys.stderr = copy.inner, wrote_error.inner
        if code in WHOLE and not wrote_error.used:
            _keep(q, code or 0, copy.copied.getvalue())


def _code_key() -> str:
    """The version and the newest file in the package: any change of code or catalogue data."""
    root = Path(kneecap.__file__).parent
    newest = count = 0
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for f in files:
            newest = max(newest, os.stat(os.path.join(folder, f)).st_mtime_ns)
            count += 1
    return f"{kneecap.__version__}:{count}:{newest}"


def _terminal_key(env: Mapping[str, str]) -> str:
    size = shutil.get_terminal_size()
    says = [f"{v}={env.get(v, '')}" for v in TERMINAL_VARIABLES]
    return f"{sys.stdout.isatty()}:{size.columns}x{size.lines}:{','.join(says)}"


def _keep(q: Question, code: int, printed: str) -> None:
    """Write the answer privately and atomically; a folder that cannot be written keeps none."""
    try:
        private_folder(q.path.parent)
        partial = q.path.with_name(f"{q.path.name}.{os.getpid()}")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "wb") as out:
            out.write(f"{q.key} {code}\n".encode("ascii") + printed.encode())
        os.replace(partial, q.path)
    except OSError:
        return


class _Copy(io.TextIOBase):
    """Standard output, with a copy of everything written to it."""

    def __init__(self, inner: TextIO) -> None:
        self.inner = inner
        self.copied = io.StringIO()

    def write(self, text: str) -> int:
        self.copied.write(text)
        return self.inner.write(text)

    def flush(self) -> None:
        self.inner.flush()

    def isatty(self) -> bool:
        return self.inner.isatty()

    def fileno(self) -> int:
        return self.inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self.inner.encoding


class _Watch(_Copy):
    """Standard error, noting whether anything was written to it."""

    @property
    def used(self) -> bool:
        return bool(self.copied.getvalue())
