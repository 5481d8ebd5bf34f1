"""Government identifiers: US Social Security numbers, national identity numbers, passports, driving licences."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from governance.resources import data_file
from governance.scan.recognizers.base import Pattern, PatternRecognizer
from governance.yamlio import load_yaml


class UsSsnRecognizer(PatternRecognizer):
    """US SSNs: area not 000, 666 or 900-999, group not 00, serial not 0000 (python-stdnum ``us.ssn``)."""

    ENTITY = "US_SSN"
    PATTERNS = (
        Pattern("ssn dashed", r"\d{3}-\d{2}-\d{4}", 0.6),
        Pattern("ssn spaced or dotted", r"\d{3} \d{2} \d{4}|\d{3}\.\d{2}\.\d{4}", 0.5),
        Pattern("ssn digits after ssn", r"(?i)(?:ssn|social security(?: number| no\.?)?|ss#)[^\d\n]{0,20}\d{9}", 0.5),
        Pattern("ssn digits", r"\d{9}", 0.1),
    )
    CONTEXT = ("ssn", "social", "security")
    LEAK = True
    CHECKSUM = True
    BASE_CONFIDENCE = 0.72

    def trim(self, matched: str) -> str:
        return matched[min((i for i, c in enumerate(matched) if c.isdigit()), default=0) :]

    def validate(self, text: str) -> bool:
        from stdnum.us import ssn

        text = self.trim(text)
        return ssn.is_valid(text.replace(".", "-"))

    def invalidate(self, text: str) -> bool:
        digits = re.sub(r"\D", "", text)
        return len(set(digits)) == 1 or digits in ("123456789", "987654320")


def _gb_nino(text: str) -> bool:
    """UK National Insurance number prefixes that are never issued (HMRC NIM39110)."""
    compact = text.replace(" ", "").upper()
    return compact[:2] not in ("BG", "GB", "NK", "KN", "TN", "NT", "ZZ")


#: Validation rules referenced by name from ``national_ids.yaml`` (besides ``stdnum:`` modules).
RULES: dict[str, Callable[[str], bool]] = {"gb_nino": _gb_nino}


@dataclass(frozen=True)
class IdFormat:
    """One country's national identity number: its shape and its validator."""

    country: str
    name: str
    regex: str
    validator: str
    strong: bool

    @cached_property
    def compiled(self) -> re.Pattern:
        return re.compile(Pattern(self.name, self.regex, 0).group)

    def is_valid(self, text: str) -> bool:
        if self.validator.startswith("stdnum:"):
            module = importlib.import_module("stdnum." + self.validator.removeprefix("stdnum:"))
            return bool(module.is_valid(text))
        return RULES[self.validator](text)


@lru_cache(maxsize=1)
def id_formats() -> tuple[IdFormat, ...]:
    """The national identity numbers of ``governance/data/national_ids.yaml``."""
    return tuple(IdFormat(**row) for row in load_yaml(data_file("national_ids.yaml")).data)


class NationalIdRecognizer(PatternRecognizer):
    """National identity numbers of several countries, each validated with python-stdnum."""

    ENTITY = "NATIONAL_ID"
    CONTEXT = ("national", "identity", "id", "insurance", "citizen")
    LEAK = True
    CHECKSUM = True
    BASE_CONFIDENCE = 0.7
    MIN_SHARE = 0.7

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:
        return tuple(Pattern(f"{f.country} {f.name}", f.regex, 0.6 if f.strong else 0.1) for f in id_formats())

    def validate(self, text: str) -> bool:
        candidate = text.strip()
        return any(f.compiled.fullmatch(candidate) and f.is_valid(candidate) for f in id_formats())


class PassportRecognizer(PatternRecognizer):
    """Passport numbers (6-9 letters and digits): only in columns named like passports."""

    ENTITY = "PASSPORT"
    SOFT = True
    PATTERNS = (Pattern("passport", r"(?i)[A-Z0-9]{6,9}", 0.1),)
    CONTEXT = ("passport",)
    MIN_SHARE_HINTED = 0.7

    def validate(self, text: str) -> bool:
        return any(c.isdigit() for c in text)


class DriverLicenseRecognizer(PatternRecognizer):
    """Driving-licence numbers: only in columns named like licences."""

    ENTITY = "DRIVER_LICENSE"
    SOFT = True
    PATTERNS = (Pattern("licence", r"(?i)[A-Z0-9][A-Z0-9 -]{3,18}[A-Z0-9]", 0.1),)
    CONTEXT = ("license", "licence")
    MIN_SHARE_HINTED = 0.7

    def validate(self, text: str) -> bool:
        return sum(c.isdigit() for c in text) >= 3
