"""JSON documents and JSON Lines.

Shapes read:

* a top-level array: one table (named ``""``), one record per element;
* a top-level object: each member holding an array is a table named by the
  member's key; the object's other members form one record of a table named ``""``;
* JSON Lines (``.jsonl``, ``.ndjson``): one record per non-blank line.

Text is UTF-8 (a stray Windows-1252 byte reads as such) or UTF-16/32 with a byte-order mark.

Records are flattened: nested objects become dotted paths (``contact.email``);
arrays are joined into one cell with ``"; "`` (arrays of objects join each path's
values, so ``phones: [{"number": …}, {"number": …}]`` gives one ``phones.number``
column). A non-object element is a record with one column, ``value``. Scalars
read as :func:`governance.scan.values.to_text` writes them (``true``, ``42``).

The file is read twice, streaming: once to learn every table's columns (and to
find syntax errors, named by line and column, before any row is scanned), once to
yield rows. Row keys are ``record N``, the 1-based position in the table.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from governance.errors import InputError
from governance.limits import current, exceeded
from governance.scan.options import ScanOptions
from governance.scan.readers.base import TableStream
from governance.scan.readers.encoding import UTF8_CP1252_ERRORS, sniff_text
from governance.scan.readers.frames import limited, row_limit, text_frame
from governance.scan.values import LIST_SEPARATOR, to_text

_CHUNK = 1 << 20
_WHITESPACE = " \t\r\n"
#: Integers stay text as written: a 1,000,000-digit number is a cell like any other, not a ValueError.
_DECODER = json.JSONDecoder(parse_int=str)


class TooDeep(ValueError):
    """A JSON value nested deeper than the ``max_depth`` limit."""


def flatten(value: object, prefix: str = "", depth: int | None = None) -> dict[str, str | None]:
    """One JSON value as ``{dotted path: text}``; arrays join their items with ``"; "``.

    A scalar (or an array of scalars) at the top has the path ``value``. A value nested
    deeper than ``depth`` levels (default: the ``max_depth`` limit) raises :class:`TooDeep`.
    """
    depth = current().max_depth if depth is None else depth
    if isinstance(value, (dict, list)) and depth <= 0:
        raise TooDeep(prefix)
    if isinstance(value, dict):
        flat: dict[str, str | None] = {}
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key), depth - 1))
        return flat
    if isinstance(value, list):
        merged: dict[str, list[str]] = {}
        for item in value:
            for path, text in flatten(item, prefix, depth - 1).items():
                bucket = merged.setdefault(path, [])
                if text is not None:
                    bucket.append(text)
        return {path: LIST_SEPARATOR.join(texts) or None for path, texts in merged.items()}
    return {prefix or "value": to_text(value)}


class _Cursor:
    """A JSON text read piecewise: one value at a time, with line and column for errors."""

    def __init__(self, fh: IO[str], where: str):
        self.fh, self.where = fh, where
        self.buf, self.pos = "", 0
        self.line, self.col = 1, 1  # of buf[0]
        self.eof = False

    def _fill(self, want: int | None = None) -> bool:
        if self.eof:
            return False
        if self.pos:
            dropped = self.buf[: self.pos]
            newlines = dropped.count("\n")
            self.col = len(dropped) - dropped.rfind("\n") if newlines else self.col + len(dropped)
            self.line += newlines
            self.buf, self.pos = self.buf[self.pos :], 0
        chunk = self.fh.read(want or _CHUNK)
        self.eof = not chunk
        self.buf += chunk
        return bool(chunk)

    def error(self, message: str, pos: int | None = None) -> InputError:
        pos = self.pos if pos is None else pos
        before = self.buf[:pos]
        line = self.line + before.count("\n")
        col = pos - before.rfind("\n") if "\n" in before else self.col + pos
        return InputError(f"malformed JSON at line {line} column {col}: {message}", where=self.where)

    def peek(self) -> str:
        """The next non-blank character ('' at the end), not consumed."""
        while True:
            while self.pos < len(self.buf) and self.buf[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buf) or not self._fill():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def take(self, expected: str) -> str:
        """Consume the next character, which must be one of ``expected``."""
        char = self.peek()
        if not char or char not in expected:
            shown = " or ".join(repr(c) for c in expected)
            raise self.error(f"expected {shown}, found {repr(char) if char else 'the end of the file'}")
        self.pos += 1
        return char

    def value(self) -> object:
        """Decode the next value, reading more text while it runs past the buffer."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self.eof:
                    raise self.error(exc.msg, exc.pos) from None
                if len(self.buf) - self.pos >= current().max_cell_bytes:
                    raise exceeded("max_cell_bytes", "a JSON record is too long", self.where) from None
                self._fill(max(_CHUNK, len(self.buf)))  # the value may go on past the buffer: decode again
                continue
            except RecursionError:
                raise _too_deep(self.where) from None
            if end == len(self.buf) and not self.eof and not isinstance(value, (dict, list)) and self._fill():
                continue  # a number may go on in the next chunk
            self.pos = end
            return value


def _array(cursor: _Cursor) -> Iterator[object]:
    cursor.take("[")
    if cursor.peek() == "]":
        cursor.take("]")
        return
    while True:
        yield cursor.value()
        if cursor.take(",]") == "]":
            return


def _document(cursor: _Cursor) -> Iterator[tuple[str, object]]:
    """(table, element) pairs of a JSON document, in the order they are written."""
    first = cursor.peek()
    if first == "[":
        for item in _array(cursor):
            yield "", item
    elif first == "{":
        cursor.take("{")
        rest: dict[str, object] = {}
        if cursor.peek() != "}":
            while True:
                if cursor.peek() != '"':
                    raise cursor.error("expected a member name in double quotes")
                key = cursor.value()
                cursor.take(":")
                if cursor.peek() == "[":
                    for item in _array(cursor):
                        yield key, item
                else:
                    rest[key] = cursor.value()
                if cursor.take(",}") == "}":
                    break
        else:
            cursor.take("}")
        if rest:
            yield "", rest
    elif first:
        yield "", cursor.value()
    if cursor.peek():
        raise cursor.error("extra data after the JSON value")


def _lines(fh: IO[str], where: str) -> Iterator[tuple[str, object]]:
    for number, line in enumerate(fh, start=1):
        if not line.strip():
            continue
        try:
            value = _DECODER.decode(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"malformed JSON at line {number} column {exc.colno}: {exc.msg}", where=where) from None
        except RecursionError:
            raise _too_deep(f"{where}:{number}") from None
        yield "", value


def _too_deep(where: str) -> InputError:
    return exceeded("max_depth", "a JSON value is nested too deeply", where)


def _flat(item: object, where: str) -> dict[str, str | None]:
    try:
        return flatten(item)
    except (TooDeep, RecursionError):
        raise _too_deep(where) from None


class JsonReader:
    """JSON documents (``.json``) and JSON Lines (``.jsonl``, ``.ndjson``)."""

    name = "json"
    suffixes = (".json", ".jsonl", ".ndjson")

    def open(self, path: Path, options: ScanOptions) -> Iterator[TableStream]:
        encoding = sniff_text(path).encoding
        lines = path.suffix.lower() in (".jsonl", ".ndjson")
        columns: dict[str, dict[str, None]] = {}
        for table, item in self._items(path, encoding, lines):
            known = columns.setdefault(table, {})
            for name in _flat(item, str(path)):
                known.setdefault(name, None)
        if not columns:  # an empty file, or an empty array or object: one empty table, reported as empty
            yield TableStream(source=str(path), name="", columns=[], batches=iter(()))
            return
        limit = row_limit(options)
        for table, names in columns.items():
            stream = TableStream(source=str(path), name=table, columns=list(names), batches=iter(()))
            frames = self._frames(path, encoding, lines, table, stream.columns, options.batch_size)
            stream.batches = limited(frames, limit, stream)
            yield stream

    def _items(self, path: Path, encoding: str, lines: bool) -> Iterator[tuple[str, object]]:
        where = str(path)
        try:
            errors = UTF8_CP1252_ERRORS if encoding in ("utf-8", "utf-8-sig") else "strict"
            with open(path, encoding=encoding, errors=errors, newline="" if not lines else None) as fh:
                yield from _lines(fh, where) if lines else _document(_Cursor(fh, where))
        except UnicodeDecodeError as exc:
            raise InputError(f"unreadable {encoding} text: {exc.reason}", where=where) from None
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", where=where) from None

    def _frames(self, path: Path, encoding: str, lines: bool, table: str, columns: list[str], size: int):
        rows: list[list[str | None]] = []
        keys: list[str] = []
        number = 0
        for name, item in self._items(path, encoding, lines):
            if name != table:
                continue
            number += 1
            record = _flat(item, str(path))
            rows.append([record.get(c) for c in columns])
            keys.append(f"record {number}")
            if len(rows) >= size:
                yield text_frame(columns, rows, keys)
                rows, keys = [], []
        if rows:
            yield text_frame(columns, rows, keys)

