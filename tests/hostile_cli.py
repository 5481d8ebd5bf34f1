"""Run the ``governance`` command in a fresh process and measure it: exit code, output, seconds, peak RSS.

A fresh process (not CliRunner) because the cases include hangs and memory bombs: a timer kills a
run that goes on too long, and ``os.wait4`` reports the run's own peak resident memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    killed: bool

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.startswith("error: ")]


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            line = next((row for row in fh if row.startswith("VmRSS:")), "VmRSS: 0 kB")
    except OSError:
        return 0.0
    return int(line.split()[1]) / 1024


def run_governance(*args: str, timeout: float = 30.0, cwd: Path = REPO, max_rss_mb: float = 2048,
                   root: Path = REPO) -> Run:
    """``governance ARGS`` run from ``cwd`` with ``root``'s package first on the path.

    The run is killed after ``timeout`` seconds or when its memory passes ``max_rss_mb`` (so a
    regression cannot take the machine down); ``killed`` then says so.
    """
    env = {**os.environ, "PYTHONPATH": str(root), "COLUMNS": "200", "NO_COLOR": "1"}
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.monotonic()
        proc = subprocess.Popen(
            [sys.executable, "-c", "from governance.cli import main; main()", *args],
            stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=cwd, env=env,
        )
        killed = threading.Event()
        done = threading.Event()

        def kill() -> None:
            if not done.is_set():
                killed.set()
                proc.kill()

        def watch() -> None:
            while not done.wait(0.05):
                if time.monotonic() - start > timeout or _resident_mb(proc.pid) > max_rss_mb:
                    kill()
                    return

        watchdog = threading.Thread(target=watch, daemon=True)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            done.set()
            watchdog.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Run(proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024, killed.is_set())
