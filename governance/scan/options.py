"""Options of one scan, shared by the CLI, the rule engine and the DSR code."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

DEFAULT_MODEL = "en_core_web_sm"


@dataclass
class ScanOptions:
    """How to scan.

    ``sample_rows=None`` reads every row; an integer reads at most that many rows
    per table for column classification. Free-text columns are always read in
    full for leaks unless ``sample_rows`` is set and ``full_text_scan`` is False.
    """

    ner: bool = True
    model: str = DEFAULT_MODEL
    sample_rows: int | None = None
    full_text_scan: bool = True
    batch_size: int = 50_000
    include_views: bool = False
    #: seconds one database table may take to read (each statement, and the table in all); None: no limit
    statement_timeout: float | None = 600.0
    workers: int = 2
    scan_date: date = field(default_factory=date.today)
    max_examples: int = 3
    max_row_keys: int = 100

    def to_dict(self) -> dict:
        data = asdict(self)
        data["scan_date"] = self.scan_date.isoformat()
        return data
