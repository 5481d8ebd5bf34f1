"""Waivers: accepted violations, each with a reason, an owner and an expiry date.

A waiver file (``policies/waivers.yaml`` by default) looks like::

    waivers:
      - rule: GDPR-TRANSFER-SAFEGUARDS
        target: recipient:couriers          # from the report; * and ? wildcards allowed
        reason: Couriers only receive US deliveries; no EU data is transferred.
        owner: privacy@example.com
        expires: 2027-03-31

An expired waiver no longer applies: the violation is open again and its message says so.
Schema: ``governance/schemas/waivers.schema.json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatchcase
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.rules.results import Violation, Waiver
from governance.yamlio import format_loc, load_yaml, validation_error


class WaiverEntry(BaseModel):
    """One accepted violation."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule: str = Field(min_length=1, description="rule id, e.g. CANSPAM-OPT-OUT-10-DAYS")
    target: str = Field(min_length=1, description="violation target from the report; * and ? wildcards allowed")
    reason: str = Field(min_length=10, description="why the violation is accepted")
    owner: str = Field(min_length=2, description="who accepted it (name or e-mail)")
    expires: date = Field(description="last day the waiver applies (YYYY-MM-DD)")


class WaiverFile(BaseModel):
    """A waiver file."""

    model_config = ConfigDict(extra="forbid")

    waivers: list[WaiverEntry] = Field(default_factory=list)


def waivers_json_schema() -> dict:
    """JSON Schema of a waiver file."""
    schema = WaiverFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "governance waivers"
    return schema


@dataclass(frozen=True)
class LoadedWaiver:
    entry: WaiverEntry
    where: str

    def matches(self, violation: Violation) -> bool:
        return self.entry.rule == violation.rule.id and fnmatchcase(violation.target, self.entry.target)

    def as_waiver(self) -> Waiver:
        e = self.entry
        return Waiver(e.rule, e.target, e.reason, e.owner, e.expires.isoformat())


def load_waivers(path: str | Path) -> list[LoadedWaiver]:
    """Read a waiver file; one ConfigError lists every problem with file, line and key."""
    doc = load_yaml(path)
    data = doc.data if doc.data is not None else {}
    try:
        parsed = WaiverFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "unknown key (see governance/schemas/waivers.schema.json)"
            elif err["type"].startswith("date"):
                msg = "not a date; write it as YYYY-MM-DD"
            problems.append((f"{doc.path}:{doc.line_of(loc) or 1}: {format_loc(loc)}", msg))
        raise validation_error(problems, "the waiver file") from None
    return [LoadedWaiver(w, f"{doc.path}:{doc.line_of(('waivers', i)) or 1}") for i, w in enumerate(parsed.waivers)]


def apply_waivers(violations: list[Violation], waivers: list[LoadedWaiver], today: date | None = None) -> None:
    """Mark waived violations; a violation whose only waivers have expired stays open and says so."""
    today = today or date.today()
    for violation in violations:
        matching = [w for w in waivers if w.matches(violation)]
        if not matching:
            continue
        valid = [w for w in matching if w.entry.expires >= today]
        if valid:
            best = max(valid, key=lambda w: w.entry.expires)
            violation.status = "waived"
            violation.waiver = best.as_waiver()
        else:
            last = max(matching, key=lambda w: w.entry.expires)
            violation.waiver = last.as_waiver()
            violation.message += (
                f" (The waiver at {last.where} owned by {last.entry.owner} expired on "
                f"{last.entry.expires.isoformat()}; fix the violation or renew the waiver.)"
            )
