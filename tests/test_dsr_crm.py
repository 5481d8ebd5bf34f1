"""Data-subject requests on the CRM of tests/dsr_crm.py: shared rows, subject boundaries, honest verification."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from dsr_crm import FIXTURES, build_crm, crm_rows
from dsr_shop import build_shop

from governance.cli import cli
from governance.dsr import service
from governance.errors import DsrError

TODAY = date(2026, 11, 3)
ALICE = "email=alice.archer@mail.example"
BRUNO = "email=bruno.baker@mail.example"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres),
                        pytest.param("mysql", marks=pytest.mark.mysql)])
def crm(request, tmp_path):
    """(directory, inventory path, db url or None for SQLite)."""
    url = None if request.param == "sqlite" else request.getfixturevalue(f"{request.param}_url")
    return tmp_path / "crm", build_crm(tmp_path / "crm", url), url


def _opts(inventory, out, *subject, **kw):
    return service.RequestOptions(subject=list(subject), inventory=inventory, ledger=out / "ledger.db",
                                  output_dir=out / "letters", received=date(2026, 11, 2), today=TODAY, **kw)


def _ids(rows, table):
    return [r[0] for r in rows[table]]


def test_an_address_another_customer_refers_to_through_any_link_is_shared(crm, tmp_path):
    directory, inventory, url = crm
    outcome = service.access(_opts(inventory, tmp_path / "a", ALICE))
    # 1 is Alice's home and 4 only her order's destination; 2 is Bruno's home (her order 10 went there),
    # 3 her card's billing address and the destination of Bruno's order 20
    assert sorted(r.key for r in outcome.found.records["address"]) == [(1,), (4,)]
    assert sorted((s.dataset, s.label) for s in outcome.found.shared) == [("address", "id=2"), ("address", "id=3")]
    exported = (tmp_path / "a" / "letters" / "address.json").read_text()
    assert "1 Elm Street" in exported and "4 Birch Lane" in exported
    assert "Oak Avenue" not in exported and "Pine Road" not in exported


def test_deleting_a_customer_leaves_every_address_another_customer_uses(crm, tmp_path):
    directory, inventory, url = crm
    before = crm_rows(directory, url)
    outcome = service.delete(_opts(inventory, tmp_path / "d", ALICE))
    planned = {(c.dataset, c.row_label) for c in outcome.changes}
    assert ("address", "id=2") not in planned and ("address", "id=3") not in planned
    after = crm_rows(directory, url)
    keep = {2: before["address"][1], 3: before["address"][2], 5: before["address"][4]}
    assert {r[0]: r for r in after["address"] if r[0] in keep} == keep
    # her own addresses are gone (4: only her order referred to it) or erased in place (1: her customer row stays)
    assert _ids(after, "address") == [1, 2, 3, 5]
    assert after["address"][0][1:] == ("[REDACTED]",) * 3
    # Bruno's rows are untouched
    for table in ("customer", "orders", "payment_card"):
        assert [r for r in after[table] if 2 in (r[0], r[1])] == [r for r in before[table] if 2 in (r[0], r[1])]


def test_deleting_the_other_customer_leaves_the_first_ones_addresses(crm, tmp_path):
    directory, inventory, url = crm
    before = crm_rows(directory, url)
    found = service.access(_opts(inventory, tmp_path / "a", BRUNO)).found
    assert "address" not in found.records  # his home and his order's destination are both Alice's too
    assert sorted(s.label for s in found.shared) == ["id=2", "id=3"]
    service.delete(_opts(inventory, tmp_path / "d", BRUNO))
    assert crm_rows(directory, url)["address"] == before["address"]


def test_a_customers_request_never_reaches_the_employee_who_served_them(crm, tmp_path):
    directory, inventory, url = crm
    before = crm_rows(directory, url)
    outcome = service.access(_opts(inventory, tmp_path / "a", ALICE))
    assert "employee" not in outcome.found.records
    assert [str(link) for link in outcome.found.other_subjects] == ["service_request.employee_id -> employee.id"]
    everything = "".join(p.read_text() for p in (tmp_path / "a" / "letters").iterdir())
    assert "Parcel for Alice" in everything  # her own service request is disclosed ...
    assert "Sam Helpdesk" not in everything and "sam.helpdesk" not in everything  # ... not the employee's data
    plan = service.delete(_opts(inventory, tmp_path / "d", ALICE, dry_run=True))
    assert [c for c in plan.changes if c.dataset == "employee"] == []
    service.delete(_opts(inventory, tmp_path / "d2", ALICE))
    assert crm_rows(directory, url)["employee"] == before["employee"]


def test_an_employees_request_searches_only_datasets_about_employees(crm, tmp_path):
    directory, inventory, url = crm
    outcome = service.access(_opts(inventory, tmp_path / "e", "email=sam.helpdesk@crm.example",
                                   subject_types=["employee"]))
    assert {ds: [r.key for r in recs] for ds, recs in outcome.found.records.items()} == {"employee": [(2,)]}
    with pytest.raises(DsrError, match="no dataset of the inventory holds data about 'patient'"):
        service.access(_opts(inventory, tmp_path / "p", ALICE, subject_types=["patient"]))


def test_an_inventory_written_by_init_stops_the_request_instead_of_answering_no_data(runner, tmp_path):
    build_crm(tmp_path / "crm")
    starter = tmp_path / "pol" / "inventory.yaml"
    result = runner.invoke(cli, ["init", f"sqlite:///{tmp_path / 'crm' / 'shop.db'}", "--no-ner", "-o", str(starter)])
    assert result.exit_code == 0, result.output
    args = ["dsr", "access", "--subject", ALICE, "--inventory", str(starter.parent), "--request-id", "R-INIT",
            "--jurisdiction", "GDPR",
            "--output-dir", str(tmp_path / "out"), "--ledger", str(tmp_path / "ledger.db")]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "could not be searched for this subject, so the request cannot be answered" in result.output
    # on 3 rows the scan recognises the telephone column, not the e-mail one: init proposes phone only
    assert "identity_fields: [phone]" in starter.read_text()
    assert ("dataset 'customer' was not searched: it is found through customer.phone, and no identifier of that "
            "kind was given") in result.output
    assert "dataset 'visit' was not searched: neither it nor any dataset linked to it declares an identity" \
           in result.output
    assert f"{starter.name}:" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out" / "access-letter.md").exists()
    assert "alice" not in result.output.lower()
    listed = runner.invoke(cli, ["dsr", "list", "--ledger", str(tmp_path / "ledger.db")])
    assert "R-INIT" in listed.output and "needs review" in listed.output


def test_an_email_column_that_is_not_an_identity_field_stops_the_request(tmp_path):
    template = tmp_path / "inventory.yaml.tmpl"
    text = (FIXTURES / "inventory.yaml.tmpl").read_text()
    template.write_text(text.replace("    identity_fields: [email, phone]\n", "", 1))
    inventory = build_crm(tmp_path / "crm", template=template)
    with pytest.raises(DsrError) as err:
        service.access(_opts(inventory, tmp_path / "a", ALICE))
    assert (f"{inventory}:21: dataset 'customer' was not searched: it holds the e-mail field 'email' but declares "
            "no identity field for it; add 'email' to identity_fields of dataset 'customer' in the inventory"
            in err.value.details)
    # the datasets linked to it have no identity field either; visit has one and was searched
    assert sorted(d.split("'")[1] for d in err.value.details) == ["address", "customer", "orders", "payment_card",
                                                                  "service_request"]
    assert service.Ledger(tmp_path / "a" / "ledger.db").requests()[0].status == "needs_review"


def test_no_data_is_answered_only_when_every_dataset_was_searched(crm, tmp_path):
    directory, inventory, url = crm
    outcome = service.access(_opts(inventory, tmp_path / "n", "email=nobody@mail.example"))
    assert outcome.found.count == 0 and outcome.found.coverage.gaps == []
    assert set(outcome.found.coverage.searched) == {"address", "customer", "orders", "payment_card",
                                                     "service_request", "visit"}
    assert "We found no personal data about you" in (tmp_path / "n" / "letters" / "access-letter.md").read_text()


def test_a_dataset_the_given_identifiers_cannot_reach_is_not_claimed_as_searched(tmp_path):
    inventory = build_shop(tmp_path / "shop")
    # prospects is searched by telephone number only
    with pytest.raises(DsrError) as err:
        service.access(_opts(inventory, tmp_path / "n", "email=nobody@example.com"))
    assert [d.split(": ", 1)[1] for d in err.value.details] == [
        "dataset 'prospects' was not searched: it is found through prospects.phone, and no identifier of that kind "
        "was given; give that identifier too (--subject)"]
    found = service.access(_opts(inventory, tmp_path / "a", "email=ann@example.com")).found
    assert found.count and "dataset 'prospects' was not searched" in " ".join(found.warnings)


def _sql(url, directory, statement, **params):
    engine = sa.create_engine(url or f"sqlite:///{directory / 'shop.db'}")
    with engine.begin() as conn:
        conn.execute(sa.text(statement), params)
    engine.dispose()


def test_delete_removes_a_row_keyed_by_the_subjects_email_and_verifies_everything(crm, tmp_path):
    directory, inventory, url = crm
    outcome = service.delete(_opts(inventory, tmp_path / "d", ALICE))
    assert outcome.status == "completed" and outcome.proof.ok, outcome.proof.residual
    after = crm_rows(directory, url)
    assert [r[0] for r in after["visit"]] == ["bruno.baker@mail.example"]
    assert _ids(after, "orders") == [20, 30] and _ids(after, "payment_card") == [51]
    # her e-mail address and telephone number were searched for in every column of every customer dataset
    assert outcome.proof.identifiers == 2
    # the planned change names the row without showing the address
    assert ("visit", "email=a***@m***.example", None, "delete_row") in {
        (c.dataset, c.row_label, c.field, c.action) for c in outcome.changes}
    letter = (tmp_path / "d" / "letters" / "deletion-letter.md").read_text()
    assert "No personal data about you remains" in letter and "alice.archer" not in letter


def test_the_check_finds_a_row_the_plan_left_behind(crm, tmp_path, monkeypatch):
    """The check does not trust the plan: with the visit row dropped from it, the row is reported."""
    directory, inventory, url = crm
    real = service.plan_deletion

    def without_visits(*args):
        plan = real(*args)
        plan.changes = [c for c in plan.changes if c.dataset != "visit"]
        return plan

    monkeypatch.setattr(service, "plan_deletion", without_visits)
    outcome = service.delete(_opts(inventory, tmp_path / "d", ALICE))
    assert outcome.status == "erasure_incomplete" and not outcome.proof.ok
    assert "visit email=a***@m***.example: email still holds a personal value" in outcome.proof.residual
    assert [(r.dataset, r.reason, r.records) for r in outcome.proof.remaining] == [("visit", "personal", 1)]
    assert "alice.archer" not in " ".join(outcome.proof.residual)
    letter = (tmp_path / "d" / "letters" / "deletion-letter.md").read_text()
    assert "No personal data about you remains" not in letter
    assert "- visit (1 record): email, last_seen still hold personal data about you." in letter


def test_the_check_finds_the_subjects_email_and_phone_in_other_peoples_free_text(crm, tmp_path):
    directory, inventory, url = crm
    _sql(url, directory, "UPDATE service_request SET summary = :s WHERE id = 61",
         s="Bruno says his sister (alice.archer@MAIL.example, call 217-555-0111) pays the invoice")
    outcome = service.delete(_opts(inventory, tmp_path / "d", ALICE))
    assert outcome.proof.residual == [
        "service_request id=61: summary still holds one of the subject's e-mail addresses or telephone numbers"]
    assert crm_rows(directory, url)["service_request"][1][3].startswith("Bruno says")  # another person's row


def test_a_column_the_inventory_does_not_describe_is_reported_as_remaining(tmp_path):
    template = tmp_path / "inventory.yaml.tmpl"
    text = (FIXTURES / "inventory.yaml.tmpl").read_text()
    text = text.replace("      - {name: ship_to, category: user.contact.address, purposes: [sales]}\n", "")
    text = text.replace("    location: {url: \"DB_URL\", table: orders}\n", "    location: {url: \"DB_URL\", table: orders}\n"
                        "    legal_holds: [{reason: Tax records, basis: \"26 U.S.C. 6001\", fields: [id, total]}]\n")
    template.write_text(text)
    inventory = build_crm(tmp_path / "crm", template=template)
    outcome = service.delete(_opts(inventory, tmp_path / "d", ALICE))
    assert outcome.status == "erasure_incomplete"
    assert sorted(outcome.proof.residual) == [
        "orders id=10: ship_to is not declared in the inventory and still holds a value",
        "orders id=11: ship_to is not declared in the inventory and still holds a value"]
    letter = (tmp_path / "d" / "letters" / "deletion-letter.md").read_text()
    assert ("- orders (2 records): fields our data inventory does not describe (ship_to) were left as they are."
            in letter)


def test_an_ssn_and_a_card_number_typed_into_free_text_are_withheld_from_the_export(crm, tmp_path):
    directory, inventory, url = crm
    _sql(url, directory, "UPDATE service_request SET summary = :s WHERE id = 60",
         s="Verified identity with SSN 536-22-1234; refund to card 4111 1111 1111 1111 please")
    outcome = service.access(_opts(inventory, tmp_path / "a", ALICE))
    out = tmp_path / "a" / "letters"
    exported = (out / "service_request.json").read_text() + (out / "service_request.csv").read_text()
    assert "536-22-1234" not in exported and "4111 1111 1111 1111" not in exported
    assert "Verified identity with SSN [WITHHELD]; refund to card [WITHHELD] please" in exported
    assert {(w.dataset, w.field, w.category) for w in outcome.export.withheld if w.in_text} == {
        ("service_request", "summary", "user.government_id"), ("service_request", "summary", "user.financial.credit_card")}
    letter = (out / "access-letter.md").read_text()
    assert "payment card numbers (11 CCR 7024(d)), in service_request.summary (1 record)" in letter
    assert ("government-issued identification numbers (such as Social Security, driver's licence and passport "
            "numbers) (11 CCR 7024(d)), in service_request.summary (1 record)") in letter


def test_the_law_comes_from_the_inventory_never_a_silent_gdpr_default(tmp_path):
    assert service.access(_opts(build_crm(tmp_path / "eu"), tmp_path / "a", ALICE)).request.jurisdiction == "GDPR"
    template = tmp_path / "inventory.yaml.tmpl"
    template.write_text((FIXTURES / "inventory.yaml.tmpl").read_text().replace("jurisdictions: [EU]",
                                                                                "jurisdictions: [US, US-CA]"))
    outcome = service.access(_opts(build_crm(tmp_path / "ca", template=template), tmp_path / "b", ALICE))
    assert outcome.request.jurisdiction == "CCPA"
    assert [(d.kind, d.due.isoformat()) for d in outcome.request.deadlines][:2] == [
        ("acknowledge", "2026-11-17"), ("respond", "2026-12-17")]  # 10 business days, 45 calendar days
    assert "California" in (tmp_path / "b" / "letters" / "access-letter.md").read_text()
    template.write_text((FIXTURES / "inventory.yaml.tmpl").read_text().replace("jurisdictions: [EU]",
                                                                                "jurisdictions: [US-IL]"))
    with pytest.raises(DsrError, match="no law of the inventory's jurisdictions has request deadlines here"):
        service.access(_opts(build_crm(tmp_path / "il", template=template), tmp_path / "c", ALICE))


def test_an_identity_field_without_an_index_is_warned_about(crm, tmp_path):
    directory, inventory, url = crm
    warnings = service.access(_opts(inventory, tmp_path / "a", ALICE)).warnings
    assert [w for w in warnings if "without an index" in w] == [
        "customer.email is an identity field without an index: each request reads the whole table; add an index on it",
        "customer.phone is an identity field without an index: each request reads the whole table; add an index on it"]
    _sql(url, directory, "CREATE INDEX customer_email ON customer (email)")
    _sql(url, directory, "CREATE UNIQUE INDEX customer_phone ON customer (phone)")
    warnings = service.access(_opts(inventory, tmp_path / "b", ALICE)).warnings
    assert [w for w in warnings if "without an index" in w] == []  # visit.email is its primary key


def test_a_row_deleted_by_someone_else_meanwhile_stops_the_batch_and_changes_nothing(crm, tmp_path):
    directory, inventory, url = crm

    def someone_else_deletes_order_11(changes):
        _sql(url, directory, "DELETE FROM orders WHERE id = 11")
        return True

    before = crm_rows(directory, url)
    with pytest.raises(DsrError, match="1 of 2 rows were not found when changing it"):
        service.delete(_opts(inventory, tmp_path / "d", ALICE), confirm=someone_else_deletes_order_11)
    after = crm_rows(directory, url)
    assert _ids(after, "orders") == [10, 20, 30]  # only the other writer's deletion happened
    assert {t: rows for t, rows in after.items() if t != "orders"} == {
        t: rows for t, rows in before.items() if t != "orders"}
