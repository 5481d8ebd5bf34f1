"""Run one tool on one dataset in a child process and measure it.

The parent calls :func:`measure`; the child (``python -m benchmarks.measure JOB``)
imports the tool's libraries, then times the tool from file path to answer (reading,
model loading and analysis included) while a thread samples the resident memory of
its whole process tree (the scan's worker processes included) with psutil. It writes
the :class:`~benchmarks.scoring.Prediction` and the figures to ``JOB["out"]``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Self

REPO = Path(__file__).resolve().parents[1]


class _TreeRss:
    """Peak RSS of this process plus all its descendants, sampled every ``interval`` seconds."""

    def __init__(self, interval: float = 0.05):
        import psutil

        self._root = psutil.Process(os.getpid())
        self._interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        import psutil

        total = 0
        for proc in [self._root, *self._root.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:  # a worker that just exited
                pass
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self._interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._sample())


def _vm_hwm_kb() -> float:
    """Peak resident memory of this process image (since exec), from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return float(line.split()[1])
    return float("nan")


def _child(job: dict) -> None:
    from benchmarks.tools import TOOLS

    tool = TOOLS[job["tool"]]
    truth = json.loads(Path(job["truth"]).read_text(encoding="utf-8"))
    if job["tool"] == "ours":
        import governance.scan.api  # noqa: F401  (imports are not part of the timed scan)
    else:
        import presidio_analyzer  # noqa: F401
    load_before = os.getloadavg()[0]
    with _TreeRss() as rss:
        started = time.perf_counter()
        prediction = tool(Path(job["csv"]), truth, job.get("settings", {}))
        wall = time.perf_counter() - started
    figures = {
        "wall_s": wall,
        # 1-minute load average of the machine before and after: other work competes for the 2 cores
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
        "peak_rss_tree_mb": rss.peak / 2**20,
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking parent
        "hwm_main_mb": _vm_hwm_kb() / 1024,
        "maxrss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
    Path(job["out"]).write_text(json.dumps({"figures": figures, "prediction": prediction.to_dict()}), encoding="utf-8")


def measure(tool: str, csv: Path, truth: Path, out: Path, settings: dict | None = None, timeout: float | None = None) -> dict:
    """Run ``tool`` on ``csv`` in a fresh interpreter; return {"figures": ..., "prediction": ...}."""
    out.parent.mkdir(parents=True, exist_ok=True)
    job = {"tool": tool, "csv": str(csv), "truth": str(truth), "out": str(out), "settings": settings or {}}
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.measure", json.dumps(job)],
        cwd=REPO,
        capture_output=True,
        check=False,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"{tool} on {csv.name} failed (exit {proc.returncode}):\n{tail}")
    return json.loads(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    _child(json.loads(sys.argv[1]))
