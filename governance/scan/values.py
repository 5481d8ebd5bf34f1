"""How a cell value becomes the text the detectors read.

Readers of typed sources (databases, spreadsheets, JSON, Parquet) pass every value
through :func:`to_text`, so the same value reads the same wherever it was stored:

* empty strings and ``None`` become ``None`` (an empty cell);
* booleans read ``true``/``false``; whole-number floats lose the ``.0`` (Excel and
  JSON keep phone numbers and ZIP codes as numbers); NaN is empty;
* dates and times are ISO 8601; a datetime at exactly midnight without a time zone
  reads as its date (spreadsheets store dates of birth that way);
* bytes are read as UTF-8 text when they are printable text (MySQL returns
  ``VARBINARY``/``BLOB`` text as bytes) and are otherwise skipped (``None``): binary
  data such as images or hashes is not searched;
* lists are joined with ``"; "``, mappings are written as JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from uuid import UUID

#: Separator between the items of a list value (JSON arrays, PostgreSQL arrays, Parquet lists).
LIST_SEPARATOR = "; "


def _text(value: str) -> str | None:
    return value or None


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _float(value: float) -> str | None:
    if math.isnan(value):
        return None
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _decimal(value: Decimal) -> str | None:
    if value.is_nan():
        return None
    return format(value, "f")


def _datetime(value: datetime) -> str:
    if value.tzinfo is None and value.time() == time(0, 0):
        return value.date().isoformat()
    return value.isoformat()


def bytes_text(value: bytes | bytearray | memoryview) -> str | None:
    """Bytes as text when they are printable UTF-8, else ``None`` (binary data is skipped)."""
    try:
        text = bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not text or not all(ch.isprintable() or ch in "\t\r\n" for ch in text):
        return None
    return text


def _sequence(value: list | tuple) -> str | None:
    parts = [t for t in (to_text(v) for v in value) if t is not None]
    return LIST_SEPARATOR.join(parts) or None


def _mapping(value: Mapping) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


_BY_TYPE: dict[type, Callable[[object], str | None]] = {
    str: _text,
    bool: _bool,
    int: str,
    float: _float,
    Decimal: _decimal,
    datetime: _datetime,
    date: date.isoformat,
    time: time.isoformat,
    timedelta: str,
    bytes: bytes_text,
    bytearray: bytes_text,
    memoryview: bytes_text,
    UUID: str,
    list: _sequence,
    tuple: _sequence,
    dict: _mapping,
}


def to_text(value: object) -> str | None:
    """One value as text for the detectors, or ``None`` for an empty or binary cell."""
    if value is None:
        return None
    convert = _BY_TYPE.get(type(value))
    if convert is None:
        convert = next((fn for kind, fn in _BY_TYPE.items() if isinstance(value, kind)), str)
    return convert(value)
