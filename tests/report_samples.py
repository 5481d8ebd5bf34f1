"""Fixed results for the reporter tests, built from the real dataclasses.

Examples are masked with :func:`governance.masking.mask` from the raw values in
``RAW``, exactly as the detector does, so tests can assert no raw value leaks.
"""

from __future__ import annotations

from datetime import date

from governance.masking import mask
from governance.rules.results import CheckResult, RuleInfo, RuleState, Violation, Waiver
from governance.scan.models import AgeFacts, Finding, ScanResult, SourceError, TableSummary

SHOP = "policies/example/data/shop.db"
LEADS = "policies/example/data/exports/purchased_leads.csv"
DB_URL = "postgresql://crm:***@db.internal:5432/crm"

#: Raw personal data the sample findings were built from; no report may contain any of it.
RAW = {
    "EMAIL_ADDRESS": ["jane.doe@example.com", "marco.rossi@example.org"],
    "US_SSN": ["123-45-6789", "078-05-1120"],
    "CREDIT_CARD": ["4111 1111 1111 1111", "5500-0000-0000-0004"],
    "PASSWORD": ["hunter2!", "correct horse battery staple"],
    "PERSON": ["Jane Doe", "Marco Rossi"],
    "PHONE_NUMBER": ["+1 415 555 0100"],
}


def masked(entity: str) -> list[str]:
    return [mask(value, entity) for value in RAW[entity]]


def sample_scan() -> ScanResult:
    """Three sources: a SQLite file with two tables, a CSV file, and a database that could not be read."""
    findings = [
        Finding(SHOP, "customers", "email", "user.contact.email", "EMAIL_ADDRESS", 0.98, 196, 200, 200,
                detectors=["email-pattern"], examples=masked("EMAIL_ADDRESS")),
        Finding(SHOP, "customers", "full_name", "user.name", "PERSON", 0.85, 180, 200, 200,
                detectors=["spacy-ner"], examples=masked("PERSON")),
        Finding(SHOP, "customers", "birth_date", "user.demographic.date_of_birth", "DATE_OF_BIRTH", 0.9, 200, 200, 200,
                detectors=["date-of-birth-header"], examples=["19**-**-**"],
                age_facts=AgeFacts(date(2024, 5, 1), 200, 7, 12, 1)),
        Finding(SHOP, "customers", "notes", "user.government_id.national_identification_number", "US_SSN", 1.0, 3, 150,
                200, kind="leak", detectors=["us-ssn-checksum"], examples=masked("US_SSN"),
                row_keys=["id=4", "id=17", "id=52"]),
        Finding(SHOP, "payment_cards", "card_number", "user.financial.credit_card", "CREDIT_CARD", 1.0, 50, 50, 50,
                detectors=["luhn"], examples=masked("CREDIT_CARD")),
        Finding(SHOP, "payment_cards", "<script>alert(1)</script>", "user.authorization.password", "PASSWORD", 0.7,
                50, 50, 50, detectors=["password-header"], examples=masked("PASSWORD")),
        Finding(LEADS, "", "phone", "user.contact.phone_number", "PHONE_NUMBER", 0.95, 9, 10, 10,
                detectors=["phonenumbers"], examples=masked("PHONE_NUMBER")),
        Finding(LEADS, "", "comment", "user.contact.email", "EMAIL_ADDRESS", 1.0, 7, 10, 10, kind="leak",
                detectors=["email-pattern"], examples=masked("EMAIL_ADDRESS")[:1],
                row_keys=["line 2", "line 3", "line 5", "line 6", "line 8", "line 9", "line 11"]),
    ]  # fmt: skip
    tables = [
        TableSummary(SHOP, "customers", 200, ["id", "full_name", "email", "birth_date", "notes"]),
        TableSummary(SHOP, "orders", 400, ["id", "customer_id", "total"]),
        TableSummary(SHOP, "payment_cards", 50, ["id", "card_number", "<script>alert(1)</script>"], sampled=True),
        TableSummary(LEADS, "", 10, ["phone", "comment"]),
    ]
    return ScanResult(
        started_at="2024-05-01T09:00:00+00:00",
        finished_at="2024-05-01T09:00:07+00:00",
        scan_date=date(2024, 5, 1),
        findings=findings,
        tables=tables,
        errors=[SourceError(DB_URL, "cannot connect to the database (check host, port and credentials)")],
        options={"ner": True, "model": "en_core_web_sm", "sample_rows": None, "full_text_scan": True,
                 "batch_size": 50000, "include_views": False, "workers": 2, "scan_date": "2024-05-01",
                 "max_examples": 3, "max_row_keys": 100},
    )  # fmt: skip


COPPA_CONSENT = RuleInfo(
    id="COPPA-001",
    title="Verifiable parental consent before collecting children's data",
    pack="coppa",
    law="Children's Online Privacy Protection Rule",
    citation="16 CFR 312.5(a)",
    severity="critical",
    description=(
        "An operator must obtain verifiable parental consent before collecting personal information from a child."
    ),
    remediation="Declare a parental-consent mechanism for the dataset or stop collecting data from children under 13.",
)
HIPAA_ENCRYPTION = RuleInfo(
    id="HIPAA-ENC-001",
    title="Encrypt electronic protected health information at rest",
    pack="hipaa",
    law="HIPAA Security Rule",
    citation="45 CFR 164.312(a)(2)(iv)",
    severity="high",
    remediation="Set `encrypted_at_rest: true` once the store is encrypted.",
)
GENERAL_RETENTION = RuleInfo(
    id="GEN-RET-001",
    title="Every dataset declares a retention period",
    pack="general",
    law="GDPR",
    citation="GDPR Art. 5(1)(e)",
    severity="medium",
)
GENERAL_VENDORS = RuleInfo(
    id="GEN-VENDOR-001",
    title="Vendors sending e-mail are bound to the opt-out duties",
    pack="general",
    law="CAN-SPAM Act",
    citation="15 U.S.C. 7704(a)(4)",
    severity="high",
)


def sample_check() -> CheckResult:
    """Four rules in three packs: one open, one waived, one that holds, one not applicable."""
    return CheckResult(
        inventory="policies/example/inventory.yaml",
        scan=sample_scan(),
        rules=[COPPA_CONSENT, HIPAA_ENCRYPTION, GENERAL_RETENTION, GENERAL_VENDORS],
        states={
            COPPA_CONSENT.id: RuleState("violated", 1), HIPAA_ENCRYPTION.id: RuleState("violated", 2),
            GENERAL_RETENTION.id: RuleState("holds", 3),
            GENERAL_VENDORS.id: RuleState("not_applicable", reason="no recipient it applies to is declared"),
        },
        violations=[
            Violation(
                COPPA_CONSENT,
                "customers.birth_date shows 7 customers under 13 on 2024-05-01, and no parental consent is declared.",
                f"{SHOP} › customers › birth_date",
                target="customers.birth_date",
                dataset="crm",
                field="birth_date",
            ),
            Violation(
                HIPAA_ENCRYPTION,
                "Dataset 'pharmacy' holds health data but is not declared encrypted at rest.",
                "policies/example/inventory.yaml:42",
                target="pharmacy",
                dataset="pharmacy",
                status="waived",
                waiver=Waiver(
                    "HIPAA-ENC-001", "pharmacy", "Disk encryption rollout in Q3", "it-security", "2024-09-30"
                ),
            ),
        ],
    )
