"""The request ledger: deadlines stored, identifiers hashed, and a hash chain that exposes tampering."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from governance.dsr.deadlines import statutory_deadlines
from governance.dsr.ledger import GENESIS, Ledger, RequestRecord, entry_hash


def _clock():
    t = [datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)]

    def now():
        t[0] += timedelta(seconds=1)
        return t[0]

    return now


def _request(rid="R-1", kind="access", jurisdiction="GDPR", received=date(2026, 11, 2), hashes=("h1",)):
    return RequestRecord(rid, kind, jurisdiction, received, "verified", "open",
                         statutory_deadlines(jurisdiction, kind, received), list(hashes))


def _filled(path) -> Ledger:
    ledger = Ledger(path, now=_clock())
    ledger.record_request(_request())
    ledger.append("R-1", "searched", {"records": {"customers": 1}})
    ledger.set_status("R-1", "completed")
    return ledger


def test_requests_round_trip_with_their_deadlines(tmp_path):
    ledger = Ledger(tmp_path / "l.db")
    assert ledger.record_request(_request(jurisdiction="CCPA", kind="delete"))
    assert not ledger.record_request(_request(jurisdiction="CCPA", kind="delete"))  # same id: recorded once
    got = ledger.get("R-1")
    assert got.received == date(2026, 11, 2) and got.request_type == "delete"
    # ten business days skip the weekends and Veterans Day (Wednesday, November 11)
    assert [(d.kind, d.due) for d in got.deadlines] == [
        ("acknowledge", date(2026, 11, 17)), ("respond", date(2026, 12, 17)), ("extended", date(2027, 1, 31))]
    ledger.set_status("R-1", "completed")
    assert ledger.requests(open_only=True) == []


def test_the_chain_verifies_and_each_entry_links_to_the_previous(tmp_path):
    ledger = _filled(tmp_path / "l.db")
    entries = ledger.entries()
    assert [e.action for e in entries] == ["received", "searched", "status:completed"]
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))
    e = entries[1]
    assert entry_hash(e.prev_hash, e.ts, e.request_id, e.action, e.details) == e.hash
    check = ledger.verify_log()
    assert check.ok and check.entries == 3


def test_the_audit_log_refuses_updates_and_deletes(tmp_path):
    _filled(tmp_path / "l.db").close()
    with sqlite3.connect(tmp_path / "l.db") as db, pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE dsr_audit SET details = '{}' WHERE seq = 2")


@pytest.mark.parametrize("tamper, broken, reason", [
    ("UPDATE dsr_audit SET details = '{\"records\":{\"customers\":0}}' WHERE seq = 2", 2, "contents"),
    ("UPDATE dsr_audit SET ts = '2026-01-01T00:00:00.000000+00:00' WHERE seq = 1", 1, "contents"),
    ("DELETE FROM dsr_audit WHERE seq = 2", 3, "previous-hash"),
])
def test_verify_log_finds_the_first_tampered_entry(tmp_path, tamper, broken, reason):
    _filled(tmp_path / "l.db").close()
    with sqlite3.connect(tmp_path / "l.db") as db:
        db.execute("DROP TRIGGER dsr_audit_no_update")
        db.execute("DROP TRIGGER dsr_audit_no_delete")
        db.execute(tamper)
    check = Ledger(tmp_path / "l.db").verify_log()
    assert not check.ok and check.first_broken == broken and reason in check.reason


def test_subject_identifiers_are_stored_hashed_never_raw(tmp_path):
    from governance.dsr.subjects import Identifier, Subject

    ledger = Ledger(tmp_path / "l.db")
    subject = Subject([Identifier("email", "Jane.Roe@Example.com", "email")])
    hashes = subject.hashes(ledger.secret)
    assert hashes == Subject([Identifier("email", " jane.roe@example.COM ", "email")]).hashes(ledger.secret)
    assert hashes != subject.hashes(Ledger(tmp_path / "other.db").secret)  # a secret per ledger
    ledger.record_request(_request(hashes=hashes))
    raw = (tmp_path / "l.db").read_bytes().lower()
    assert b"jane.roe" not in raw and hashes[0].encode() in raw


def test_schema_creation_is_idempotent_and_keeps_the_secret(tmp_path):
    first = Ledger(tmp_path / "l.db").secret
    assert Ledger(tmp_path / "l.db").secret == first


@pytest.mark.postgres
def test_a_postgresql_ledger_for_teams(postgres_url):
    ledger = _filled(postgres_url)
    assert ledger.verify_log().ok
    with ledger.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE dsr_audit SET action = 'status:open' WHERE seq = 3")
    check = ledger.verify_log()
    assert check.first_broken == 3
    ledger.close()
