"""Talk to an interactive `kneecap` command as a person would: read each prompt as it appears
and answer it, instead of piping a fixed block of keystrokes that goes wrong as soon as a
question is added or a default removed."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

QUIET_S = 0.05  # no output for this long after a line ending in ": " means it is a prompt


@dataclass
class Conversation:
    code: int
    out: str
    err: str
    prompts: list[str] = field(default_factory=list)


def asleep(pid: int) -> bool:
    """Is the process waiting (state S in Linux's /proc), not running? At a prompt: blocked
    reading its answer. Between printing a prompt and that read, Python notices a Ctrl-C only
    once the read returns, so a busy machine that pauses it there would lose the keypress.
    Elsewhere than Linux, assumed waiting."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] == "S"


@contextmanager
def interruptible() -> Iterator[None]:
    """Commands started here take Ctrl-C as from a shell's prompt, even when the tests run where
    it is ignored: a shell's background job (`make test &`) and every process it starts ignore
    SIGINT, and a Python started so never turns it into KeyboardInterrupt."""
    ignored = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    )
    if ignored:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # what a child started now inherits
    try:
        yield
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def converse(
    args: list[str],
    env: dict[str, str],
    answer: Callable[[str], str],
    interrupt_after: int | None = None,
    timeout_s: float = 120,
) -> Conversation:
    """Run `args`, answering every prompt with `answer(prompt)`. With `interrupt_after`, press
    Ctrl-C at the prompt after that many answers (the command is then running for sure)."""
    with interruptible():
        proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
        )
    assert proc.stdin is not None
    assert proc.stdout is not None
    assert proc.stderr is not None
    fd = proc.stdout.fileno()
    os.set_blocking(fd, False)
    out = b""
    answered_at = -1
    prompts: list[str] = []
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], QUIET_S)
        if ready:
            chunk = os.read(fd, 65536)
            out += chunk
            continue
        # Piped answers are not echoed: a prompt is what came since the last answer.
        tail = out[max(answered_at, 0) :].decode(errors="replace").rsplit("\n", 1)[-1]
        if len(out) == answered_at or not tail.endswith(": "):
            continue
        if interrupt_after is not None and len(prompts) >= interrupt_after:
            if not asleep(proc.pid):
                continue  # not reading yet: press Ctrl-C once it waits for the answer
            answered_at = len(out)
            proc.send_signal(signal.SIGINT)
            interrupt_after = None
            continue
        answered_at = len(out)
        prompts.append(tail)
        try:
            proc.stdin.write((answer(tail) + "\n").encode())
            proc.stdin.flush()
        except BrokenPipeError:
            break
    if proc.poll() is None:
        proc.kill()
    os.set_blocking(fd, True)
    rest, err = proc.communicate(timeout=30)
    return Conversation(proc.returncode, (out + rest).decode(), err.decode(), prompts)
