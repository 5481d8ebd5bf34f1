"""`governance init`: starter inventories from a scan (with inferred references) and from a Fides manifest."""

from __future__ import annotations

import sqlite3
from datetime import date

from governance.cli import cli
from governance.inventory.loader import load_inventory
from governance.inventory.references import database_keys
from governance.inventory.starter import render_starter, starter_from_scan, write_starter
from governance.scan.models import AgeFacts, Finding, ScanResult, TableSummary


def _example_db_url(repo) -> str:
    return f"sqlite:///{repo / 'policies' / 'example' / 'data' / 'shop.db'}"


def test_database_keys_of_the_example_crm(repo):
    refs, pks = database_keys(_example_db_url(repo))
    (inferred,) = refs["support_tickets"]
    assert (inferred.field, inferred.dataset, inferred.to_field, inferred.confirmed) == ("customer_id", "customers", "id", False)
    assert "all 80 values occur in customers" in inferred.comment
    assert [(r.field, r.dataset, r.confirmed) for r in refs["orders"]] == [("customer_id", "customers", True)]
    assert pks["customers"] == ["id"]


def test_a_name_match_with_orphan_values_is_not_proposed(tmp_path):
    db = tmp_path / "crm.db"
    con = sqlite3.connect(db)
    con.executescript("""
        CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, customer_id INTEGER, body TEXT);
        CREATE TABLE visits (id INTEGER PRIMARY KEY, customerid INTEGER);
        INSERT INTO customers VALUES (1, 'a@x.example'), (2, 'b@x.example');
        INSERT INTO notes VALUES (1, 1, 'x'), (2, 3, 'y');
        INSERT INTO visits VALUES (1, 2), (2, NULL);
    """)
    con.commit()
    con.close()
    refs, _ = database_keys(f"sqlite:///{db}")
    assert refs["notes"] == []  # customer 3 does not exist
    assert [(r.field, r.dataset, r.to_field, r.confirmed) for r in refs["visits"]] == [("customerid", "customers", "id", False)]


def test_starter_from_a_scan_loads_as_an_inventory(repo, tmp_path):
    url = _example_db_url(repo)
    csv = str(repo / "policies" / "example" / "data" / "exports" / "newsletter_signups.csv")
    scan = ScanResult(
        started_at="2026-11-01T00:00:00+00:00",
        tables=[
            TableSummary(url, "customers", 60, ["id", "email", "created_at"]),
            TableSummary(url, "support_tickets", 80, ["id", "customer_id", "notes"]),
            TableSummary(csv, "", 40, ["signup_id", "email", "date_of_birth"]),
        ],
        findings=[
            Finding(url, "customers", "email", "user.contact.email", "EMAIL_ADDRESS", 0.98, 60, 60, 60),
            Finding(url, "support_tickets", "notes", "user.government_id.national_identification_number", "US_SSN",
                    0.9, 1, 67, 80, kind="leak"),
            Finding(csv, "", "email", "user.contact.email", "EMAIL_ADDRESS", 0.98, 40, 40, 40),
            Finding(csv, "", "date_of_birth", "user.demographic.date_of_birth", "DATE_OF_BIRTH", 0.95, 40, 40, 40,
                    age_facts=AgeFacts(date(2026, 11, 1), 40, 5, 5)),
        ],
    )
    refs, pks = database_keys(url)
    out_dir = tmp_path / "policies"
    starter = starter_from_scan(scan, [url, csv], out_dir, {url: refs}, {url: pks})
    path = write_starter(render_starter(starter, str(out_dir)), out_dir / "inventory.yaml")
    text = path.read_text()
    loaded = load_inventory(path)
    inv = loaded.inventory
    assert [d.id for d in inv.datasets] == ["customers", "support_tickets", "newsletter_signups"]
    customers = inv.dataset("customers")
    assert customers.location.table == "customers" and customers.primary_key == ["id"]
    assert customers.field("email").category == "user.contact.email" and customers.field("created_at").personal is False
    tickets = inv.dataset("support_tickets")
    assert [(r.field, r.dataset, r.confirmed) for r in tickets.references] == [("customer_id", "customers", False)]
    assert tickets.field("notes").category == "user.content.private"
    signups = inv.dataset("newsletter_signups")
    assert (out_dir / signups.location.path).resolve() == (repo / "policies/example/data/exports/newsletter_signups.csv").resolve()
    assert signups.contains_children_data is True
    assert "5 dates of birth are of children under 13" in text and "free text holding US Social Security number 1/67" in text
    assert (out_dir / customers.location.url.removeprefix("sqlite:///")).resolve() == (repo / "policies/example/data/shop.db").resolve()


def test_init_refuses_to_overwrite_without_force(runner, tmp_path):
    out = tmp_path / "inventory.yaml"
    out.write_text("keep me\n")
    result = runner.invoke(cli, ["init", "--output", str(out), "--from-fides", "whatever.yml"])
    assert result.exit_code == 2 and "already exists" in result.output
    assert out.read_text() == "keep me\n"


def test_init_from_fides_manifest(runner, fixtures, tmp_path):
    out = tmp_path / "policies" / "inventory.yaml"
    result = runner.invoke(cli, ["init", "--from-fides", str(fixtures / "fides" / "manifest.yml"), "--output", str(out)])
    assert result.exit_code == 0, result.output
    inv = load_inventory(out).inventory
    assert [(p.id, p.data_use, p.legal_basis) for p in inv.purposes] == [
        ("fulfil_orders", "essential.service.payment_processing", "contract"),
        ("newsletter", "marketing.communications.email", "consent"),
    ]
    customers = inv.dataset("customers")
    assert customers.field("email").purposes == ["fulfil_orders", "newsletter"]
    assert customers.field("profile.birthday").purposes == ["newsletter"]
    assert customers.field("created_at").personal is False
    assert customers.field("profile.loyalty_tier").category == "user"
    assert "'user.custom.loyalty_tier' is not a fideslang key" in out.read_text()
    assert inv.dataset("orders").field("total").category == "user.behavior.purchase_history"
    again = runner.invoke(cli, ["init", "--from-fides", str(fixtures / "fides" / "manifest.yml"), "--output", str(out), "--force"])
    assert again.exit_code == 0


def test_bad_fides_manifest_names_file_line_and_key(runner, fixtures, tmp_path):
    bad = fixtures / "fides" / "bad_manifest.yml"
    result = runner.invoke(cli, ["init", "--from-fides", str(bad), "--output", str(tmp_path / "inv.yaml")])
    assert result.exit_code == 2
    assert f"error: {bad}:6: dataset[0].collections[0].fields[0].name: Field required" in result.output
    assert not (tmp_path / "inv.yaml").exists()


def test_init_scans_a_database_end_to_end(runner, repo, tmp_path):
    out = tmp_path / "policies" / "inventory.yaml"
    result = runner.invoke(cli, ["init", _example_db_url(repo), "--no-ner", "--output", str(out)])
    assert result.exit_code == 0, result.output
    inv = load_inventory(out).inventory
    assert {d.id for d in inv.datasets} >= {"customers", "support_tickets", "pharmacy_patients"}
    assert inv.dataset("customers").field("email").category == "user.contact.email"
    # e-mail and telephone columns are proposed as what data-subject requests look people up by
    assert inv.dataset("customers").identity_fields == ["email", "phone"]
    assert "identity_fields: [email, phone]  # proposed from the scan" in out.read_text()
    assert [(r.field, r.confirmed) for r in inv.dataset("support_tickets").references] == [("customer_id", False)]
