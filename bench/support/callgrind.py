"""Counting a command's instructions with valgrind's callgrind (the same count from run to run
for the same code, data and hash seed, whatever else the machine is doing)."""
from __future__ import annotations

import os
import re
import subprocess
import sys


def require_valgrind() -> None:
    if subprocess.run(["which", "valgrind"], capture_output=True).returncode:
        sys.exit("valgrind is needed (apt-get install valgrind)")


def instructions(command: list[str], cwd: str | None = None) -> int:
    """The instructions ``command`` (a Python program's arguments) executed under callgrind."""
    full = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *command]
    done = subprocess.run(full, capture_output=True, text=True, cwd=cwd, env={**os.environ, "PYTHONHASHSEED": "0"})
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or found is None:
        sys.exit(f"{' '.join(full)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return int(found.group(1))
