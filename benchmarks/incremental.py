"""How long an incremental scan (``--state``) takes over an unchanged folder, against a full scan of it.

Builds a folder of ``--files`` copies of the generated customer table (``generate.py``,
``--rows`` rows each, every copy with its own last line so no two files are equal), then
times ``governance scan`` four ways, each in a fresh process: a full scan writing the
state; the same folder unchanged; every file given a new mtime with the same bytes (a
fresh CI checkout: each file is hashed, none read); one file changed. Prints a Markdown
table and writes it as the last section of RESULTS.md (``run.py`` keeps that section).

    python benchmarks/incremental.py --files 8 --rows 100000
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.report import INCREMENTAL_HEADING, with_incremental_section  # noqa: E402
from governance.fileio import atomic_write  # noqa: E402

SCAN = [sys.executable, "-c", "from governance.cli import main; main()", "scan", "--no-ner", "--fail-on", "none",
        "--format", "json", "--output"]  # fmt: skip


def build(folder: Path, files: int, rows: int) -> None:
    data = HERE / "data"
    table = data / f"customers_{rows}.csv"
    if not table.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--rows", str(rows), "--out", str(data)], check=True)
    lines = table.read_bytes().rstrip(b"\n").split(b"\n")
    for i in range(files):
        shutil.copy(table, folder / f"part_{i:02d}.csv")
        with open(folder / f"part_{i:02d}.csv", "ab") as fh:
            fh.write(b"\n" + lines[1 + i])


def timed(folder: Path, state: Path, report: Path, *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([*SCAN, str(report), str(folder), "--state", str(state), *extra], check=True, cwd=HERE.parent)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=8, help="files in the folder (default 8)")
    parser.add_argument("--rows", type=int, default=100_000, help="rows per file (default 100000)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder, state, report = Path(tmp) / "folder", Path(tmp) / "state.json", Path(tmp) / "report.json"
        folder.mkdir()
        build(folder, args.files, args.rows)
        size = sum(p.stat().st_size for p in folder.iterdir())
        full = timed(folder, state, report, "--full")
        unchanged = timed(folder, state, report)
        for path in folder.iterdir():
            os.utime(path, ns=(time.time_ns(), time.time_ns()))
        touched = timed(folder, state, report)
        with open(folder / "part_00.csv", "ab") as fh:
            fh.write(b"\n" + (folder / "part_01.csv").read_bytes().split(b"\n")[5])
        one = timed(folder, state, report)
    lines = [
        INCREMENTAL_HEADING,
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC}, `python benchmarks/incremental.py {shlex.join(argv or sys.argv[1:])}`, "
        f"{os.cpu_count()} cores ({platform.machine()}), shared with other jobs during the run. "
        f"{args.files} CSV files x {args.rows:,} rows of the generated customer table ({size / 1e6:,.0f} MB), "
        "`--no-ner`, each run a fresh `governance scan DIR --state FILE` process (its start-up included).",
        "",
        "| run | seconds | vs full |",
        "|---|---:|---:|",
    ]
    for name, seconds in [
        ("full scan (`--full`, writes the state)", full),
        ("unchanged folder (size and mtime match: nothing hashed or read)", unchanged),
        ("every file touched, same bytes (fresh checkout: all hashed, none read)", touched),
        ("one file changed (only it hashed and read)", one),
    ]:
        lines.append(f"| {name} | {seconds:.2f} | {seconds / full:.1%} |")
    section = "\n".join(lines) + "\n"
    print(section)
    results = HERE / "RESULTS.md"
    with atomic_write(results) as fh:
        fh.write(with_incremental_section(results.read_text(encoding="utf-8"), section))
    return 0


if __name__ == "__main__":
    sys.exit(main())
