"""Data-subject requests on the CRM of tests/dsr_crm.py: shared rows, subject boundaries, honest verification."""

from __future__ import annotations

from datetime import date

import pytest
from dsr_crm import build_crm, crm_rows

from governance.dsr import service

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
    with pytest.raises(service.DsrError, match="no dataset of the inventory holds data about 'patient'"):
        service.access(_opts(inventory, tmp_path / "p", ALICE, subject_types=["patient"]))
