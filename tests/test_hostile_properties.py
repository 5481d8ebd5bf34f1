"""Property-based tests: whatever bytes or values a reader or loader is given, it either reads them or
raises the toolkit's one-line error (never another exception, never a hang)."""

from __future__ import annotations

import json
import shutil
import string
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance.errors import ConfigError, GovernanceError, InputError
from governance.inventory.loader import load_inventory
from governance.rules.loader import load_rules
from governance.scan.options import ScanOptions
from governance.scan.readers import reader_for
from governance.yamlio import load_yaml

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


def _read_all(path: Path) -> list[tuple[str, list[str], int]]:
    """Every table of ``path``: name, columns, rows (reading every batch)."""
    reader = reader_for(path)
    out = []
    for stream in reader.open(path, ScanOptions(batch_size=3)):
        out.append((stream.name, stream.columns, sum(len(b) for b in stream.batches)))
    return out


def _reads_or_one_error(path: Path) -> None:
    try:
        _read_all(path)
    except InputError as exc:
        assert exc.where and str(path) in exc.where and "\n" not in exc.one_line()


@SETTINGS
@given(value=json_values)
def test_any_json_value_is_read(tmp_path, value):
    path = tmp_path / "any.json"
    path.write_text(json.dumps(value), encoding="utf-8")
    tables = _read_all(path)
    if isinstance(value, list):
        assert sum(rows for name, _, rows in tables if name == "") == len(value)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".json", ".jsonl", ".csv", ".tsv", ".parquet", ".xlsx"]))
def test_any_bytes_are_read_or_one_error(tmp_path, data, suffix):
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    _reads_or_one_error(path)


@SETTINGS
@given(depth=st.integers(min_value=1, max_value=3000), lines=st.booleans())
def test_json_of_any_depth_is_read_or_over_the_depth_limit(tmp_path, depth, lines):
    path = tmp_path / ("deep.jsonl" if lines else "deep.json")
    value = "[" * depth + "]" * depth
    path.write_text(f'{{"a": {value}}}\n' if lines else value, encoding="utf-8")
    levels = depth + 1 if lines else depth - 1  # of one record: the line's object, or an element of the array
    try:
        _read_all(path)
        assert levels <= 200
    except InputError as exc:
        assert "limit max_depth=200" in exc.one_line() and levels > 200


yaml_text = st.text(alphabet=string.printable + "&*[]{}:-", max_size=200)


@SETTINGS
@given(text=yaml_text)
def test_any_yaml_text_loads_or_is_one_config_error(tmp_path, text):
    path = tmp_path / "any.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_yaml(path)
    except ConfigError as exc:
        assert exc.where and exc.where.startswith(str(path))


@SETTINGS
@given(levels=st.integers(min_value=1, max_value=12), width=st.integers(min_value=1, max_value=12))
def test_yaml_aliases_are_counted_not_expanded(tmp_path, levels, width):
    lines = ["l0: &l0 [x]"] + [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    aliases = (levels - 1) * width
    sizes = [2]  # l0: the sequence and its scalar
    for _ in range(1, levels):
        sizes.append(1 + width * sizes[-1])
    nodes = 1 + sum(1 + size for size in sizes)  # the mapping, and each key with its value expanded
    try:
        doc = load_yaml(path)
        assert aliases <= 100 and doc.data["l0"] == ["x"]
        assert nodes <= 1_000_000
    except ConfigError as exc:
        assert aliases > 100 or nodes > 1_000_000, exc.one_line()
        assert "limit max_yaml_aliases" in exc.message or "limit max_yaml_nodes" in exc.message


inventory_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["organization", "datasets", "fields", "name", "id", "category", "purposes", "location",
                         "retention", "notices", "x"]), inner, max_size=4),
    max_leaves=25,
)


@SETTINGS
@given(value=inventory_values)
def test_any_inventory_loads_or_is_one_config_error(tmp_path, value):
    path = tmp_path / "inventory.yaml"
    path.write_text(yaml.safe_dump(value), encoding="utf-8")
    try:
        load_inventory(path)
    except ConfigError as exc:
        assert exc.one_line() and all("\n" not in line for line in exc.lines())


@SETTINGS
@given(value=inventory_values)
def test_any_rule_file_loads_or_is_one_error(tmp_path, value):
    pack = tmp_path / "packs" / "acme"
    shutil.rmtree(tmp_path / "packs", ignore_errors=True)
    shutil.copytree(FIXTURES / "rules_user" / "acme", pack)
    (pack / "ACME-OPT-OUT-5-DAYS.yaml").write_text(yaml.safe_dump(value), encoding="utf-8")
    try:
        load_rules([tmp_path / "packs"], builtin=False)
    except GovernanceError as exc:
        assert exc.one_line()


def test_a_short_coverage_guided_fuzz_run_of_the_readers_finds_nothing(tmp_path):
    """``make fuzz`` runs the same harness for ten minutes."""
    import os
    import subprocess
    import sys

    import pytest

    pytest.importorskip("atheris")
    repo = Path(__file__).resolve().parents[1]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    run = subprocess.run(
        [sys.executable, str(repo / "tests" / "fuzz" / "fuzz_readers.py"), "-runs=500", "-seed=14",
         f"-artifact_prefix={tmp_path}/", str(corpus), str(FIXTURES / "files"), str(FIXTURES / "hostile")],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done 500 runs" in run.stderr
