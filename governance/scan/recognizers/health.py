"""Health identifiers: provider numbers (NPI, DEA), diagnosis codes, medical record and health plan numbers."""

from __future__ import annotations

from governance.scan.recognizers.base import Pattern, PatternRecognizer, digits


class UsNpiRecognizer(PatternRecognizer):
    """US National Provider Identifiers: 10 digits, Luhn checksum over ``80840`` + the number."""

    ENTITY = "US_NPI"
    PATTERNS = (
        Pattern("npi", r"[12]\d{9}", 0.5),
        Pattern("npi grouped", r"[12]\d{3}[ -]\d{3}[ -]\d{3}", 0.5),
    )
    CONTEXT = ("npi", "provider", "prescriber")
    CHECKSUM = True
    MIN_SHARE = 0.85
    BASE_CONFIDENCE = 0.6

    def validate(self, text: str) -> bool:
        from stdnum import luhn

        return luhn.is_valid("80840" + digits(text))

    def invalidate(self, text: str) -> bool:
        return len(set(digits(text)[1:])) == 1


class UsDeaRecognizer(PatternRecognizer):
    """US DEA registration numbers: registrant type, name initial, 7 digits with the DEA check digit."""

    ENTITY = "US_DEA"
    PATTERNS = (Pattern("dea", r"(?i)[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}", 0.5),)
    CONTEXT = ("dea", "prescriber", "registration")
    CHECKSUM = True
    MIN_SHARE = 0.8

    def validate(self, text: str) -> bool:
        d = [int(c) for c in digits(text)]
        if len(d) != 7:
            return False
        check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
        return check == d[6]


class Icd10Recognizer(PatternRecognizer):
    """ICD-10 diagnosis codes (``J45.909``, ``E78.5``); undotted codes (``I10``) only in columns named like diagnoses."""

    ENTITY = "ICD10_CODE"
    SOFT = True
    PATTERNS = (
        Pattern("icd10 dotted", r"[A-TV-Z]\d[0-9AB]\.[0-9A-TV-Z]{1,4}", 0.5),
        Pattern("icd10 bare", r"[A-TV-Z]\d[0-9AB][0-9A-TV-Z]{0,4}", 0.2),
    )
    CONTEXT = ("icd", "diagnosis", "dx")
    MIN_SHARE = 0.7
    BASE_CONFIDENCE = 0.6


class MedicalRecordNumberRecognizer(PatternRecognizer):
    """Medical record numbers: ``MRN-…`` values anywhere; other alphanumeric ids only in columns named like MRNs."""

    ENTITY = "MEDICAL_RECORD_NUMBER"
    SOFT = True
    PATTERNS = (
        Pattern("mrn prefixed", r"(?i)MRN[-: #]?\d{4,12}", 0.55),
        Pattern("record id", r"(?i)[A-Z]{0,4}[-: ]?\d{4,12}[A-Z]?", 0.1),
    )
    CONTEXT = ("mrn", "medical", "record", "patient", "chart")
    MIN_SHARE_HINTED = 0.6
    BASE_CONFIDENCE = 0.65


class HealthInsuranceIdRecognizer(PatternRecognizer):
    """Health plan member numbers: only in columns named like insurance or member ids."""

    ENTITY = "HEALTH_INSURANCE_ID"
    SOFT = True
    PATTERNS = (Pattern("member id", r"(?i)[A-Z0-9][A-Z0-9-]{4,18}[A-Z0-9]", 0.1),)
    CONTEXT = ("insurance", "member", "medicaid", "medicare", "policy")
    MIN_SHARE_HINTED = 0.7

    def validate(self, text: str) -> bool:
        return sum(c.isdigit() for c in text) >= 4
