"""The JSON reader: shapes, flattening, JSON Lines, syntax errors with line and column, streaming."""

from __future__ import annotations

import codecs
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import governance.scan.readers.json as json_reader
from governance.errors import InputError
from governance.scan.options import ScanOptions
from governance.scan.readers.json import JsonReader, flatten
from governance.scan.values import to_text

FILES = Path(__file__).parent / "fixtures" / "files"
FLAT_COLUMNS = ["id", "name", "contact.email", "contact.phones", "vip", "score", "contact.address.city", "orders.sku"]
ANA = ("1", "Ana Müller", "ana.mueller@example.com", "555-0101; 555-0199", "true", "4.5", None, None)
JOSE = ("2", "José Peña", "jose.pena@example.org", None, "false", None, "Lisboa", "A-1; B-2")


def tables(path: Path, **options) -> dict[str, tuple[list[str], list[tuple]]]:
    out = {}
    for stream in JsonReader().open(path, ScanOptions(**options)):
        out[stream.name] = (stream.columns, [row for batch in stream.batches for row in batch.rows()])
    return out


def test_array_of_objects_is_one_table_with_dotted_paths_and_joined_arrays():
    assert tables(FILES / "people.json") == {"": (FLAT_COLUMNS, [(*ANA, "record 1"), (*JOSE, "record 2")])}


def test_object_members_holding_arrays_are_tables_and_the_rest_one_record():
    found = tables(FILES / "wrapped.json")
    assert list(found) == ["customers", "emails", ""]
    assert found["customers"] == (FLAT_COLUMNS, [(*ANA, "record 1"), (*JOSE, "record 2")])
    assert found["emails"] == (["value"], [("x@example.com", "record 1"), ("y@example.com", "record 2")])
    assert found[""] == (["exported_by"], [("ops@example.com", "record 1")])


def test_json_lines_skip_blank_lines_and_union_their_columns():
    columns, rows = tables(FILES / "people.jsonl")[""]
    assert columns == [*FLAT_COLUMNS, "extra"]
    assert rows[0] == (*ANA, None, "record 1")
    assert rows[2] == ("3", *[None] * 7, "z", "record 3")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("malformed.json", "malformed JSON at line 3 column 12: Expecting ',' delimiter"),
        ("malformed.jsonl", "malformed JSON at line 3 column 10: Expecting property name enclosed in double quotes"),
    ],
)
def test_malformed_json_names_line_and_column_before_any_row_is_read(name, message):
    with pytest.raises(InputError) as err:
        tables(FILES / name)
    assert err.value.where == str(FILES / name)
    assert err.value.message == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[{"a": 1},\n {"a": 2}', "line 2 column 10: expected ',' or ']', found the end of the file"),
        ('[{"a": 1}] [2]', "line 1 column 12: extra data after the JSON value"),
        ('{"a": [1, 2], 3: 4}', "line 1 column 15: expected a member name in double quotes"),
        ('[{"a": "unterminated}]', "line 1 column 8: Unterminated string starting at"),
    ],
)
def test_truncated_and_trailing_text_are_errors(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        tables(path)
    assert message in err.value.message


def test_utf16_json_with_bom(tmp_path):
    path = tmp_path / "u16.json"
    path.write_bytes(codecs.BOM_UTF16_LE + json.dumps([{"email": "zoë@example.com"}], ensure_ascii=False).encode("utf-16-le"))
    assert tables(path) == {"": (["email"], [("zoë@example.com", "record 1")])}


def test_batches_and_sample_limit(tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"n": i}) + "\n" for i in range(1, 26)))
    (stream,) = JsonReader().open(path, ScanOptions(batch_size=10))
    assert [b.height for b in stream.batches] == [10, 10, 5]
    (stream,) = JsonReader().open(path, ScanOptions(batch_size=10, sample_rows=12, full_text_scan=False))
    assert [b.height for b in stream.batches] == [10, 2] and stream.sampled


def test_flatten_documents_its_choices():
    assert flatten({"a": {"b": {"c": 1}}, "d": [1, None, "x"], "e": [], "f": {}}) == {"a.b.c": "1", "d": "1; x"}
    assert flatten({"phones": [{"n": "1"}, {"n": "2", "t": "home"}]}) == {"phones.n": "1; 2", "phones.t": "home"}
    assert flatten(7) == {"value": "7"} and flatten(True) == {"value": "true"} and flatten(None) == {"value": None}


KEYS = st.text(alphabet="abcxyz_", min_size=1, max_size=5)
SCALARS = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=10)
NESTED = st.recursive(SCALARS, lambda inner: st.dictionaries(KEYS, inner, min_size=1, max_size=4), max_leaves=12)


def _unflatten(flat: dict[str, str | None]) -> dict:
    root: dict = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = root
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return root


def _as_text(value):
    return {k: _as_text(v) for k, v in value.items()} if isinstance(value, dict) else to_text(value)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(KEYS, NESTED, min_size=1, max_size=5))
def test_flattening_nested_objects_loses_nothing(record):
    flat = flatten(record)
    assert all(value is None or isinstance(value, str) for value in flat.values())
    assert _unflatten(flat) == _as_text(record)


# Text as people write it into files: no control characters (those are escaped in JSON anyway).
FILE_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=10)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | FILE_TEXT | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.dictionaries(KEYS, JSON_VALUES, min_size=1, max_size=4), min_size=1, max_size=8), st.integers(1, 9))
def test_streaming_in_tiny_chunks_reads_what_json_load_reads(records, chunk):
    expected = [flatten(r) for r in records]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.json"
        path.write_text(json.dumps({"rows": records}, indent=1, ensure_ascii=False), encoding="utf-8")
        original, json_reader._CHUNK = json_reader._CHUNK, chunk
        try:
            found = tables(path)
        finally:
            json_reader._CHUNK = original
    columns, rows = found["rows"]
    assert [dict(zip(columns, row[:-1])) for row in rows] == [{c: e.get(c) for c in columns} for e in expected]
    assert [row[-1] for row in rows] == [f"record {i}" for i in range(1, len(records) + 1)]
