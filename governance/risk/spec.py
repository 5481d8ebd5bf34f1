"""What ``governance deidentify`` does: the profile given on the command line and the optional YAML spec.

A spec names a transformation per column (``governance/risk/transforms.py``), the
quasi-identifiers the output must be k-anonymous on, the sensitive column, and how
many rows may be suppressed::

    columns: {record: drop, patient_zip: zip3, birth_date: birth_year, visit_date: year}
    quasi_identifiers: [patient_zip, birth_date]
    sensitive: diagnosis_code
    max_suppression: 0.1
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from governance.errors import ConfigError
from governance.risk.transforms import TRANSFORMS
from governance.yamlio import format_loc, load_yaml, validation_error

TransformName = Literal[tuple(TRANSFORMS)]  # type: ignore[valid-type]
_PROFILE = re.compile(r"^(safe-harbor)?(?:\+?k:(\d+))?$")


class DeidentifySpec(BaseModel):
    """The YAML spec of a de-identified export."""

    model_config = ConfigDict(extra="forbid")

    columns: dict[str, TransformName] = Field(default_factory=dict)
    quasi_identifiers: list[str] = Field(default_factory=list)
    sensitive: str | None = None
    max_suppression: float = Field(0.1, ge=0, le=0.5, description="share of rows that may be removed to reach k")


@dataclass(frozen=True)
class Profile:
    """``safe-harbor``, ``k:N`` or ``safe-harbor+k:N``."""

    safe_harbor: bool
    k: int | None

    @classmethod
    def parse(cls, text: str) -> Profile:
        match = _PROFILE.match(text.strip())
        if not match or not any(match.groups()) or (match.group(2) is not None and int(match.group(2)) < 2):
            raise ConfigError(f"unknown profile '{text}'", where="--profile",
                              hint="use safe-harbor, k:N or safe-harbor+k:N with N of at least 2")
        return cls(match.group(1) is not None, int(match.group(2)) if match.group(2) else None)

    def __str__(self) -> str:
        return "+".join(p for p in ("safe-harbor" if self.safe_harbor else "", f"k:{self.k}" if self.k else "") if p)


def load_spec(path: str | Path | None) -> DeidentifySpec:
    """The spec at ``path`` (an empty spec without one); errors name the file, line and key."""
    if path is None:
        return DeidentifySpec()
    doc = load_yaml(path)
    try:
        return DeidentifySpec.model_validate(doc.data or {})
    except ValidationError as exc:
        problems = [(f"{doc.path}:{doc.line_of(e['loc']) or 1}", f"{format_loc(e['loc'])}: {e['msg']}")
                    for e in exc.errors()]
        raise validation_error(problems, "de-identification spec") from None
