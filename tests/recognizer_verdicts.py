"""One recogniser's verdict on a whole column, outside the engine (shared by the recogniser tests)."""

from __future__ import annotations

from datetime import date

import polars as pl

from governance.scan.column_names import hint_for
from governance.scan.normalize import normalize_series
from governance.scan.recognizers.base import ColumnView

SCAN_DATE = date(2026, 6, 1)


def judge(recognizer, values: list[str], column: str = "c01"):
    """The recogniser's verdict on a column of ``values`` (normalised as the engine does) named ``column``."""
    series = normalize_series(pl.Series(values, dtype=pl.Utf8))
    view = ColumnView(column, hint_for(column), SCAN_DATE, non_empty=len(values))
    view.distinct = series.n_unique()
    view.distinct_ratio = view.distinct / len(values)
    state = recognizer.new_state()
    recognizer.screen(series, state, view)
    return recognizer.verdict(state, view)
