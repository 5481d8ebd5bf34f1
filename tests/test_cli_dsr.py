"""``governance dsr`` through click's CliRunner, on a copy of the bundled example."""

from __future__ import annotations

import csv
import shutil
import sqlite3

import pytest

from governance.cli import cli

EMAIL = "brenda.obrien1@gmail.com"


@pytest.fixture
def example(tmp_path, repo):
    shutil.copytree(repo / "policies" / "example", tmp_path / "example")
    return tmp_path / "example"


REQUESTS = ("access", "delete", "correct", "opt-out")


def _run(runner, *args, input=None):
    """``governance dsr ARGS``; requests get --jurisdiction GDPR unless they name one (the example's
    organisation is in the EU and California, so the law must be named)."""
    args = list(map(str, args))
    if args[0] in REQUESTS and "--jurisdiction" not in args:
        args += ["--jurisdiction", "GDPR"]
    return runner.invoke(cli, ["dsr", *args], input=input, catch_exceptions=False)


def _customers(example):
    with sqlite3.connect(example / "data" / "shop.db") as db:
        return db.execute("SELECT * FROM customers ORDER BY id").fetchall()


def test_access_writes_letters_and_exports_and_prints_only_masked_values(runner, example, tmp_path):
    result = _run(runner, "access", "--subject", f"email={EMAIL.upper()}", "--inventory", example,
                  "--received", "2026-11-02", "--request-id", "DSR-CLI-1", "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "DSR-CLI-1 access request (GDPR, received 2026-11-02): completed" in result.output
    assert "shared, left out: addresses id=6" in result.output
    assert "withheld: payment_cards.card_number" in result.output
    assert EMAIL not in result.output.lower()
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert {"access-letter.md", "access-letter.html", "acknowledgement-letter.md", "customers.json",
            "customers.csv", "ad_audience.json", "order_items.csv"} <= names
    assert "support_tickets.json" not in names  # reached only through an unconfirmed reference
    assert "not confirmed" in result.output


def test_delete_dry_run_shows_the_changes_and_changes_nothing(runner, example, tmp_path):
    before = (example / "data" / "shop.db").read_bytes(), (example / "data" / "exports" / "ad_audience.jsonl").read_bytes()
    result = _run(runner, "delete", "--subject", f"email={EMAIL}", "--inventory", example, "--dry-run",
                  "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "dry run" in result.output and "payment_cards" in result.output and "delete row" in result.output
    after = (example / "data" / "shop.db").read_bytes(), (example / "data" / "exports" / "ad_audience.jsonl").read_bytes()
    assert after == before
    assert not (tmp_path / "out").exists()


def test_delete_asks_before_changing_and_declining_changes_nothing(runner, example, tmp_path):
    before = _customers(example)
    result = _run(runner, "delete", "--subject", f"email={EMAIL}", "--inventory", example,
                  "--output-dir", tmp_path / "out", input="n\n")
    assert result.exit_code == 1
    assert "Apply these 14 changes?" in result.output and "withdrawn" in result.output
    assert _customers(example) == before
    # the request is recorded as withdrawn: done, not open forever
    assert "No open requests." in _run(runner, "list", "--inventory", example).output
    done = _run(runner, "list", "--inventory", example, "--status", "done", "--today", "2026-12-01")
    assert "1 done request(s)" in done.output
    with sqlite3.connect(example / ".dsr" / "ledger.db") as db:
        assert db.execute("SELECT status FROM dsr_requests").fetchall() == [("withdrawn",)]
    assert "1 request(s)" in _run(runner, "list", "--inventory", example, "--status", "all").output


def test_delete_with_yes_erases_and_reports_what_remains(runner, example, tmp_path):
    before = _customers(example)
    result = _run(runner, "delete", "--subject", f"email={EMAIL}", "--inventory", example, "--yes",
                  "--jurisdiction", "CCPA", "--output-dir", tmp_path / "out")
    # her 3 support tickets are linked through an unconfirmed reference: not erased, and said so
    assert result.exit_code == 1, result.output
    assert "Erasure incomplete: 14 change(s) verified; 3 item(s) remain" in result.output
    assert "Erasure verified" not in result.output
    assert result.output.count("linked through the unconfirmed reference support_tickets.customer_id") == 3
    after = _customers(example)
    assert after[1:] == before[1:] and after[0][1] == "[REDACTED]" and after[0][3].startswith("hmac-sha256:")
    letter = (tmp_path / "out" / "deletion-letter.md").read_text()
    assert "Civil Code 1798.105(d)" in letter and "Petal Ads Network" in letter
    assert "No personal data about you remains" not in letter
    assert "- support_tickets (3 records): linked to you through a reference we have not yet confirmed" in letter
    listed = _run(runner, "list", "--inventory", example)
    assert "1 open request(s)" in listed.output  # the request stays open, as erasure_incomplete
    with sqlite3.connect(example / ".dsr" / "ledger.db") as db:
        assert db.execute("SELECT status FROM dsr_requests").fetchall() == [("erasure_incomplete",)]


def test_delete_is_verified_once_the_reference_is_confirmed(runner, example, tmp_path):
    inventory = example / "inventory.yaml"
    inventory.write_text(inventory.read_text().replace("to_field: id, confirmed: false}", "to_field: id}"))
    with sqlite3.connect(example / "data" / "shop.db") as db:
        tickets = db.execute("SELECT id FROM support_tickets WHERE customer_id = 1 ORDER BY id").fetchall()
    result = _run(runner, "delete", "--subject", f"email={EMAIL}", "--inventory", example, "--yes",
                  "--output-dir", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "Erasure verified:" in result.output and "e-mail address(es) and telephone number(s)" in result.output
    with sqlite3.connect(example / "data" / "shop.db") as db:
        notes = db.execute("SELECT notes FROM support_tickets WHERE customer_id = 1 ORDER BY id").fetchall()
    assert len(tickets) == 3 and {n for (n,) in notes} <= {"[REDACTED]", "", None} and ("[REDACTED]",) in notes
    assert "No personal data about you remains" in (tmp_path / "out" / "deletion-letter.md").read_text()


def test_opt_out_is_idempotent(runner, example, tmp_path):
    for n in (1, 2):
        result = _run(runner, "opt-out", "--subject", f"email={EMAIL}", "--inventory", example,
                      "--jurisdiction", "CAN-SPAM", "--output-dir", tmp_path / f"out{n}")
        assert result.exit_code == 0, result.output
    assert "added nothing; already listed: b***@g***.com" in result.output
    rows = list(csv.DictReader((example / "data" / "suppression_list.csv").open()))
    assert [r["email"] for r in rows if r["email"]] == [EMAIL]
    assert len(rows) == 2  # the address and the audience file's telephone number, once each


@pytest.mark.parametrize("width", [80, 120])
def test_list_shows_open_requests_overdue_first(runner, example, tmp_path, width):
    for rid, received, law in (("R-LATE-LONG-ID-0001", "2026-09-01", "GDPR"), ("R-SOON", "2026-11-20", "CCPA"),
                               ("R-HIPAA", "2026-11-01", "HIPAA")):
        result = _run(runner, "access", "--subject", "id=3", "--inventory", example, "--request-id", rid,
                      "--received", received, "--jurisdiction", law, "--verification", "unverified",
                      "--output-dir", tmp_path / rid)
        assert result.exit_code == 0, result.output
        assert "awaiting verification" in result.output
    result = runner.invoke(cli, ["dsr", "list", "--inventory", str(example), "--today", "2026-11-25"],
                           env={"COLUMNS": str(width)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width
    order = [line.split()[0] for line in lines if line.lstrip().startswith("R-")]
    assert order == ["R-LATE-LONG-ID-0001", "R-HIPAA", "R-SOON"]  # ids whole, overdue first
    assert "55 overdue" in result.output  # GDPR: due 2026-10-01
    assert "…" not in result.output and "access" in result.output and "verification" in result.output
    assert ("2026-09-01" in result.output) is (width >= 100)  # the received day only when there is room


def test_verify_log_passes_and_then_detects_tampering(runner, example, tmp_path):
    _run(runner, "opt-out", "--subject", f"email={EMAIL}", "--inventory", example, "--output-dir", tmp_path / "o")
    result = _run(runner, "verify-log", "--inventory", example)
    assert result.exit_code == 0 and "audit log intact" in result.output
    with sqlite3.connect(example / ".dsr" / "ledger.db") as db:
        db.execute("DROP TRIGGER dsr_audit_no_update")
        db.execute("UPDATE dsr_audit SET details = '{}' WHERE seq = 2")
    result = _run(runner, "verify-log", "--ledger", example / ".dsr" / "ledger.db")
    assert result.exit_code == 1 and "audit log broken at entry 2" in result.output


@pytest.mark.parametrize("args, message", [
    (["access", "--subject", "ssn=123-45-6789"], "error: --subject: 'ssn' is not an identity field"),
    (["access", "--subject", "email=a@b.example", "--jurisdiction", "PIPL"], "unknown jurisdiction 'PIPL'"),
    (["access", "--subject", f"email={EMAIL}"],
     "error: organization.jurisdictions [US, US-CA, US-IL, EU]: the inventory's jurisdictions leave open which "
     "law the request falls under (GDPR or CCPA) (give --jurisdiction GDPR or CCPA)"),
    (["correct", "--subject", f"email={EMAIL}", "--set", "customers.email=nope", "--yes", "--jurisdiction", "GDPR"],
     "customers.email: the new value is not an e-mail address"),
    (["verify-log", "--ledger", "missing.db"], "no request ledger here yet"),
    (["access", "--subject", f"email={EMAIL}", "--request-id", "../../x"], "--request-id: a request id is 1-64"),
    (["access", "--subject", f"email={EMAIL}", "--subject-type", "robot"], "unknown data-subject type 'robot'"),
])
def test_bad_input_exits_2_with_one_line(runner, example, tmp_path, args, message):
    if args[0] != "verify-log":
        args = [*args, "--inventory", str(example), "--output-dir", str(tmp_path / "out")]
    result = runner.invoke(cli, ["dsr", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "123-45-6789" not in result.output and "Traceback" not in result.output


def test_every_dsr_command_has_help(runner):
    for name in ("access", "delete", "correct", "opt-out", "list", "verify-log"):
        result = runner.invoke(cli, ["dsr", name, "--help"])
        assert result.exit_code == 0 and len(result.output) > 200
