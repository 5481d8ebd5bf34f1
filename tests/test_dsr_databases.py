"""Data-subject requests on the same shop in SQLite, PostgreSQL and MariaDB, plus CSV, JSON Lines and JSON files."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa
from dsr_shop import build_shop, ids, snapshot

from governance.dsr import changes as changes_mod
from governance.dsr import service
from governance.errors import DsrError

TODAY = date(2026, 11, 3)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("mysql", marks=pytest.mark.mysql)])
def shop(request, tmp_path):
    """(directory, inventory path, db url or None for SQLite)."""
    url = None if request.param == "sqlite" else request.getfixturevalue(f"{request.param}_url")
    inventory = build_shop(tmp_path / "shop", url)
    return tmp_path / "shop", inventory, url


def _opts(inventory, tmp_path, *subject, **kw):
    return service.RequestOptions(subject=list(subject), inventory=inventory, ledger=tmp_path / "ledger.db",
                                  output_dir=tmp_path / "out", received=date(2026, 11, 2), today=TODAY, **kw)


def _keys(outcome):
    return {ds: sorted(r.key for r in recs) for ds, recs in outcome.found.records.items()}


def test_access_finds_every_record_of_the_subject_and_nobody_elses(shop, tmp_path):
    directory, inventory, url = shop
    outcome = service.access(_opts(inventory, tmp_path, "email=  cara.doe@EXAMPLE.com", "phone=+1 217 555 0103"))
    assert _keys(outcome) == {
        "customers": [(3,)], "user_accounts": [(3,)], "orders": [(11,), (12,)], "order_items": [(101,), (102,), (103,)],
        "payment_cards": [(21,)], "support_tickets": [(30,)], "pharmacy_patients": [(40,)], "addresses": [(2,)],
        "newsletter": [("1",)], "audience": [(1,)], "prospects": [(1,)],
    }
    # the support ticket is reached through the schema's foreign key only
    assert "support_tickets.customer_id -> customers.id" in outcome.found.found_by[("support_tickets", (30,))]
    assert outcome.found.shared == []
    exported = json.loads((tmp_path / "out" / "customers.json").read_text())["records"]
    assert [r["first_name"] for r in exported] == ["Cara"]
    # card numbers and medical record numbers are withheld, and the letter says they are held
    cards = json.loads((tmp_path / "out" / "payment_cards.json").read_text())["records"]
    assert "card_number" not in cards[0] and cards[0]["cardholder"] == "Cara Doe"
    assert "5555555555554444" not in (tmp_path / "out" / "payment_cards.csv").read_text()
    assert {(w.dataset, w.field) for w in outcome.export.withheld} == {
        ("payment_cards", "card_number"), ("pharmacy_patients", "mrn"), ("user_accounts", "password")}
    letter = (tmp_path / "out" / "access-letter.md").read_text()
    assert "payment card numbers (11 CCR 7024(d)), in payment_cards.card_number" in letter
    everything = "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    for other in ("Ann", "bob@example.com", "Dan", "eve@example.com", "zed@example.com", "Finn"):
        assert other not in everything


def test_a_shared_address_is_neither_disclosed_nor_deleted(shop, tmp_path):
    directory, inventory, url = shop
    before = snapshot(directory, url)
    outcome = service.access(_opts(inventory, tmp_path / "a", "email=ann@example.com"))
    assert "addresses" not in outcome.found.records
    assert [(s.dataset, s.label) for s in outcome.found.shared] == [("addresses", "id=1")]
    assert "Shared Street" not in "".join(p.read_text() for p in (tmp_path / "a" / "out").iterdir())
    deleted = service.delete(_opts(inventory, tmp_path / "d", "email=ann@example.com"))
    assert deleted.status == "completed" and deleted.proof.ok
    after = snapshot(directory, url)
    assert after["addresses"] == before["addresses"]


def test_delete_removes_exactly_the_subjects_data_and_keeps_held_records(shop, tmp_path):
    directory, inventory, url = shop
    before = snapshot(directory, url)
    outcome = service.delete(_opts(inventory, tmp_path, "email=cara.doe@example.com", "phone=2175550103"))
    assert outcome.status == "completed"
    assert outcome.proof.ok, outcome.proof.residual
    after = snapshot(directory, url)
    assert ids(directory, "user_accounts", url) == [1, 2, 4]
    assert ids(directory, "payment_cards", url) == [20]
    assert ids(directory, "order_items", url) == [100, 104]
    # held: orders keep id, date and total; pharmacy records stay whole
    assert ids(directory, "orders", url) == [10, 11, 12, 13]
    assert after["orders"] == before["orders"]
    assert after["pharmacy_patients"] == before["pharmacy_patients"]
    cara = next(r for r in after["customers"] if r[0] == 3)
    assert cara[1:3] == ("[REDACTED]", "[REDACTED]") and cara[3].startswith("hmac-sha256:") and cara[4] is None
    assert cara[5] is None and cara[6] == 2
    # her own address is erased in place (the customer row still refers to it; the columns are NOT NULL)
    assert next(r for r in after["addresses"] if r[0] == 2)[1:] == ("[REDACTED]",) * 3
    assert next(r for r in after["support_tickets"] if r[0] == 30)[2:] == (None, "[REDACTED]")
    # everyone else's rows are untouched
    for table, changed_id in (("customers", 3), ("addresses", 2), ("support_tickets", 30)):
        assert [r for r in after[table] if r[0] != changed_id] == [r for r in before[table] if r[0] != changed_id]
    assert after["newsletter.csv"].decode() == "signup_id,email,first_name\n2,ann@example.com,Ann\n3,eve@example.com,Eve\n"
    assert b"cara" not in after["audience.jsonl"].lower() and after["audience.jsonl"].count(b"\n") == 2
    assert json.loads(after["prospects.json"]) == [{"name": "Finn Poe", "phone": "+1 217 555 0177", "city": "Chatham"}]
    letter = (tmp_path / "out" / "deletion-letter.md").read_text()
    assert "Pharmacy records (pharmacy_patients, 1 record). Basis: 225 ILCS 85/18." in letter
    assert "Tax records (orders, 2 records: id, ordered_at, total only). Basis: 26 U.S.C. 6001." in letter
    assert "Card Co (processor, US)" in letter and "Mailer Co" in letter
    # searching again finds nothing by the e-mail address
    again = service.access(_opts(inventory, tmp_path / "again", "email=cara.doe@example.com", "phone=2175550103"))
    assert again.found.count == 0


def test_dry_run_lists_every_change_and_changes_nothing(shop, tmp_path):
    directory, inventory, url = shop
    before = snapshot(directory, url)
    outcome = service.delete(_opts(inventory, tmp_path, "phone=217.555.0103", dry_run=True))
    assert outcome.status == "dry_run"
    planned = {(c.dataset, c.row_label, c.field, c.action) for c in outcome.changes}
    assert ("payment_cards", "id=21", None, "delete_row") in planned
    assert ("customers", "id=3", "email", "hash") in planned
    assert ("prospects", "row 1", None, "delete_row") in planned
    assert snapshot(directory, url) == before
    assert not (tmp_path / "out").exists()
    assert service.Ledger(tmp_path / "ledger.db").entries() == []  # no request recorded, nothing logged


def _refuse_address_updates(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE UPDATE ON addresses "
                                 "BEGIN SELECT RAISE(ABORT, 'addresses are locked'); END")
        elif engine.dialect.name == "postgresql":
            conn.exec_driver_sql("CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                                 "RAISE EXCEPTION 'addresses are locked'; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE UPDATE ON addresses "
                                 "FOR EACH ROW EXECUTE FUNCTION refuse()")
        else:
            conn.exec_driver_sql("CREATE TRIGGER refuse BEFORE UPDATE ON addresses FOR EACH ROW "
                                 "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'addresses are locked'")
    engine.dispose()


def test_a_database_error_half_way_leaves_every_database_and_file_unchanged(shop, tmp_path):
    directory, inventory, url = shop
    _refuse_address_updates(url or f"sqlite:///{directory / 'shop.db'}")
    before = snapshot(directory, url)
    with pytest.raises(DsrError, match="the database refused a change"):
        service.delete(_opts(inventory, tmp_path, "email=cara.doe@example.com"))
    assert snapshot(directory, url) == before
    assert not list(directory.glob(".*.bak"))
    ledger = service.Ledger(tmp_path / "ledger.db")
    assert [e.action for e in ledger.entries()][-1] == "failed"
    assert ledger.get(outcome_id := ledger.entries()[-1].request_id).status == "open", outcome_id


def test_a_failing_file_write_restores_the_files_already_rewritten_and_rolls_back(shop, tmp_path, monkeypatch):
    directory, inventory, url = shop
    before = snapshot(directory, url)
    real_write = changes_mod._write
    written = []

    def write(path, text):
        if written:
            raise OSError(28, "No space left on device")
        real_write(path, text)
        written.append(path)

    monkeypatch.setattr(changes_mod, "_write", write)
    with pytest.raises(DsrError, match="could not be rewritten"):
        service.delete(_opts(inventory, tmp_path, "email=cara.doe@example.com"))
    assert len(written) == 1  # one file had been replaced before the failure
    assert snapshot(directory, url) == before
    assert not list(directory.glob(".*.bak"))


def test_sql_injection_in_a_subject_value_matches_nothing_and_drops_nothing(shop, tmp_path):
    directory, inventory, url = shop
    before = snapshot(directory, url)
    value = "x'; DROP TABLE customers; --"
    outcome = service.delete(_opts(inventory, tmp_path, f"id={value}", f"email={value}", "phone=+1 217 555 0142"))
    assert outcome.found.count == 0 and outcome.changes == []
    assert snapshot(directory, url) == before
    assert ids(directory, "customers", url) == [1, 2, 3, 4]


def test_correction_validates_and_updates_in_one_transaction(shop, tmp_path):
    directory, inventory, url = shop
    with pytest.raises(DsrError) as err:
        service.correct(_opts(inventory, tmp_path / "bad", "id=3"), ["customers.email=not-an-address",
                                                                    "customers.phone=12"])
    assert [d.split(":")[0] for d in err.value.details] == ["customers.email", "customers.phone"]
    outcome = service.correct(_opts(inventory, tmp_path / "ok", "email=cara.doe@example.com"),
                              ["customers.phone=(217) 555-0177", "first_name=Carla", "date_of_birth=1990-03-04"])
    after = snapshot(directory, url)
    cara = next(r for r in after["customers"] if r[0] == 3)
    assert (cara[1], cara[4], cara[5]) == ("Carla", "+12175550177", "1990-03-04")
    # first_name is also in the newsletter file, which holds Cara's sign-up: corrected there too
    assert b"1,CARA.DOE@example.com ,Carla" in after["newsletter.csv"]
    assert outcome.status == "completed"
