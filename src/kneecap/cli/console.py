"""The CLI's consoles, JSON output and exit codes, without the command line library: what the
render modules print to, shared by the commands (`cli/common.py`) and by `kneecap today` when
it is answered before the command line library loads (`cli/entry.py`).

Exit codes: 0 ok, 1 nothing to show yet, 2 bad input, 3 plan withheld, 4 database busy.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console

EXIT_NOTHING, EXIT_BAD_INPUT, EXIT_WITHHELD, EXIT_BUSY = 1, 2, 3, 4

out = Console(highlight=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
