"""Data-subject requests rewrite files without touching what they do not change."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from governance.dsr import service

FIXTURE = "dsr_files"


@pytest.fixture
def leads(fixtures, tmp_path):
    shutil.copytree(fixtures / FIXTURE, tmp_path / "leads")
    return tmp_path / "leads"


def _delete(directory, subject, **kw):
    return service.delete(service.RequestOptions(
        subject=[subject], inventory=directory, ledger=directory / "ledger.db", output_dir=directory / "out",
        received=date(2026, 11, 2), today=date(2026, 11, 3), **kw))


def test_a_csv_rewrite_keeps_every_unchanged_row_byte_for_byte(leads):
    before = (leads / "leads.csv").read_bytes()
    outcome = _delete(leads, "email=bob@example.com")
    assert outcome.proof.ok, outcome.proof.residual
    after = (leads / "leads.csv").read_bytes()
    lines_before, lines_after = before.split(b"\r\n"), after.split(b"\r\n")
    # header (with its byte-order mark), Ann's quoted row, the blank line and Cara's two-line row are as they were
    assert after.startswith(b"\xef\xbb\xbfemail,phone,name,phone\r\n")
    assert [lines_after[i] for i in (0, 1, 3, 4, 5, 6)] == [lines_before[i] for i in (0, 1, 3, 4, 5, 6)]
    # Bob's row: both phone columns erased, the name redacted, the cells past the header kept
    bob = lines_after[2].split(b",")
    assert bob[0].startswith(b"hmac-sha256:") and bob[1] == b"" and bob[3] == b""
    assert bob[2] == b"[REDACTED]" and bob[4:] == [b"extra cell", b"another"]
    assert len(after) < len(before) + 80


def test_the_second_phone_column_is_erased_too_and_checked(leads):
    outcome = _delete(leads, "phone=217-555-0103")
    text = (leads / "leads.csv").read_text(encoding="utf-8-sig")
    assert "555-0103" not in text and "555 0103" not in text and "Cara" not in text
    assert outcome.proof.ok and outcome.proof.identifiers == 2
    assert "ann@example.com" in text and "Ann \"\"Annie\"\" Able" in text
