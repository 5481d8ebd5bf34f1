"""Time and peak memory of ``governance`` on each hostile-input case (issue 14).

    python benchmarks/hostile.py                      # this tree, default limits
    python benchmarks/hostile.py --root /path/to/old  # another source tree, e.g. an older commit (git archive)

Each case runs in a fresh process; peak RSS is the process's own ``ru_maxrss`` (``os.wait4``), and a
run is killed past ``--timeout`` seconds or ``--max-rss`` MB (then shown as "killed"). Inputs are
made by ``tests/hostile_inputs.py`` in a temporary folder. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import hostile_inputs as make  # noqa: E402
from hostile_cli import run_governance  # noqa: E402

HOSTILE = REPO / "tests" / "fixtures" / "hostile"
EXAMPLE = REPO / "policies" / "example"
LOOP = "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }} {{ b }} {% endfor %}{% endfor %}"


def _templates(folder: Path, body: str) -> Path:
    sections = folder / "policy" / "sections"
    sections.mkdir(parents=True)
    (sections / "security.md.j2").write_text(body, encoding="utf-8")
    return folder


def cases(d: Path) -> dict[str, list[str]]:
    """case -> command-line arguments, the inputs made in ``d``."""
    scan = ["scan", "--no-ner", "-q", "--format", "json"]
    return {
        "JSON nested 1,000 deep": [*scan, str(HOSTILE / "deep.json")],
        "JSON Lines nested 1,000 deep": [*scan, str(make.deep_json(d / "deep.jsonl", 1000, lines=True))],
        "JSON number of 1,000,000 digits": [*scan, str(make.long_number_json(d / "big.json", 1_000_000))],
        "Parquet: 10 KB, one zstd 300 MiB string": [*scan, str(make.parquet_bomb(d / "bomb.parquet", 300))],
        "Parquet: one 120 MiB string (under the row-group limit)": [*scan, str(make.parquet_bomb(d / "c.parquet", 120))],
        "XLSX: 20,000,000 shared strings (0.8 MB file)": [
            *scan, str(make.shared_strings_workbook(d / "bomb.xlsx", [[0, 1]], 20_000_000))],
        "XLSX: 2,000,000 shared strings": [*scan, str(make.shared_strings_workbook(d / "many.xlsx", [[0, 1]], 2_000_000))],
        "XLSX: cell pointing at a missing shared string": [
            *scan, str(make.shared_strings_workbook(d / "missing.xlsx", [[0, 1], [0, 7]], 2))],
        "CSV: one 17 MiB cell": [*scan, str(make.long_cell_csv(d / "long.csv", 17 << 20))],
        "FIFO named .csv": [*scan, str(make.fifo(d / "pipe.csv"))],
        "YAML billion laughs (342 bytes)": ["check", "--inventory", str(HOSTILE / "billion_laughs.yaml")],
        "YAML nested 20,000 deep": ["check", "--inventory", str(make.deep_yaml(d / "deep.yaml", 20_000))],
        "policy template: nested loops": [
            "policy", "render", "--inventory", str(EXAMPLE), "--templates", str(_templates(d / "tpl", LOOP))],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=REPO, help="source tree whose governance package runs")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--max-rss", type=float, default=3072, help="MB; a run past it is killed")
    args = parser.parse_args(argv)
    print("| case | exit | seconds | peak RSS (MB) | first line of standard error |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, command in cases(Path(tmp)).items():
            run = run_governance(*command, timeout=args.timeout, max_rss_mb=args.max_rss, root=args.root, cwd=Path(tmp))
            lines = [line for line in run.stderr.splitlines() if line.strip()]
            first = "killed" if run.killed else (lines[-1] if "Traceback" in run.stderr else (lines[0] if lines else ""))
            first = first.replace(tmp, "$TMP").replace("|", "\\|")[:140]
            print(f"| {name} | {'-' if run.killed else run.exit_code} | {run.seconds:.1f} | {run.peak_rss_mb:,.0f} | {first} |",
                  flush=True)


if __name__ == "__main__":
    main()
