"""The state of incremental scans (``governance scan --state FILE``): what each unit held when last read.

A *unit* is one file, one object in a store, or one database table. The state maps
each unit's key to its fingerprint (see :mod:`governance.scan.fingerprints`) and to
the table summaries and masked findings its last reading produced. A unit whose
fingerprint is unchanged is not read again: its findings are carried over, marked so.

The file is JSON, versioned, validated against ``governance/schemas/scan-state.schema.json``
when read, and replaced atomically when written. Its ``settings`` digest covers what
shapes verdicts (tool version, recognisers, scan options other than the date); when it
differs, nothing is carried over. A unit with age facts (children's ages depend on the
scan date) is read again when the scan date changed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from governance.errors import ConfigError
from governance.scan.models import Finding, TableSummary
from governance.scan.options import ScanOptions

STATE_SCHEMA_VERSION = "1.0"
STATE_SCHEMA = "scan-state.schema.json"
#: Options that do not change a verdict: how rows are batched and how many threads work.
_NEUTRAL_OPTIONS = ("scan_date", "batch_size", "workers")
#: Fingerprint fields that may change while the content stays the same (a fresh checkout's mtimes).
_NOT_CONTENT = ("mtime_ns",)

Fingerprint = dict[str, object]


@dataclass
class UnitRecord:
    """One unit as last read."""

    fingerprint: Fingerprint
    scanned_at: str
    scan_date: date
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "fingerprint": self.fingerprint,
            "scanned_at": self.scanned_at,
            "scan_date": self.scan_date.isoformat(),
            "tables": [asdict(t) for t in self.tables],
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict) -> UnitRecord:
        return cls(
            fingerprint=data["fingerprint"],
            scanned_at=data["scanned_at"],
            scan_date=date.fromisoformat(data["scan_date"]),
            tables=[TableSummary(**t) for t in data["tables"]],
            findings=[Finding.from_dict(f) for f in data["findings"]],
        )


def same_content(old: Fingerprint, new: Fingerprint) -> bool:
    """Whether two fingerprints say the unit holds the same data (a changed mtime alone does not count)."""

    def content(fp: Fingerprint) -> dict:
        return {k: v for k, v in fp.items() if k not in _NOT_CONTENT}

    return content(old) == content(new)


def settings_digest(options: ScanOptions) -> str:
    """SHA-256 over what shapes verdicts: tool version, recogniser names, verdict-shaping options."""
    from governance import __version__
    from governance.scan.recognizers import recognizers

    shaping = {k: v for k, v in options.to_dict().items() if k not in _NEUTRAL_OPTIONS}
    names = sorted(r.name for r in recognizers())
    text = json.dumps({"version": __version__, "recognizers": names, "options": shaping}, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class ScanState:
    """Every unit of the last run, and the settings digest they were read with."""

    settings: str
    units: dict[str, UnitRecord] = field(default_factory=dict)

    def reusable(self, key: str, fingerprint: Fingerprint, scan_date: date) -> UnitRecord | None:
        """The unit's record when its content is unchanged and its findings still hold on ``scan_date``."""
        record = self.units.get(key)
        if record is None or not same_content(record.fingerprint, fingerprint):
            return None
        if record.scan_date != scan_date and any(f.age_facts is not None for f in record.findings):
            return None
        return record

    def to_dict(self) -> dict:
        from governance import __version__

        return {
            "schema_version": STATE_SCHEMA_VERSION,
            "tool": {"name": "governance", "version": __version__},
            "settings": self.settings,
            "units": {key: record.to_dict() for key, record in sorted(self.units.items())},
        }


def load_state(path: Path, options: ScanOptions) -> tuple[ScanState, bool]:
    """The state in ``path`` (an empty one if the file does not exist), and whether its settings match.

    Raises :class:`ConfigError` (one line, naming the file and the first problem) when the
    file is not valid JSON or does not follow the schema. With other settings the
    returned state is empty: nothing can be carried over.
    """
    settings = settings_digest(options)
    if not path.exists():
        return ScanState(settings), True
    where = str(path)
    hint = "delete it, or scan with --full to rewrite it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the state file: {getattr(exc, 'strerror', None) or exc}", where=where) from None
    except json.JSONDecodeError as exc:
        raise ConfigError(f"not a JSON state file (line {exc.lineno}: {exc.msg})", where=where, hint=hint) from None
    error = next(iter(sorted(_validator().iter_errors(data), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        place = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise ConfigError(f"invalid state file at {place}: {error.message[:200]}", where=where, hint=hint)
    if data["settings"] != settings:
        return ScanState(settings), False
    units = {key: UnitRecord.from_dict(value) for key, value in data["units"].items()}
    return ScanState(settings, units), True


def save_state(path: Path, state: ScanState) -> None:
    """Replace ``path`` atomically with ``state``."""
    from governance.fileio import atomic_write

    with atomic_write(path) as fh:
        json.dump(state.to_dict(), fh, indent=1, ensure_ascii=False)
        fh.write("\n")


@cache
def _validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    from governance.resources import schema_file

    schemas = [json.loads(schema_file(n).read_text(encoding="utf-8")) for n in ("scan-report.schema.json", STATE_SCHEMA)]
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    return Draft202012Validator(schemas[1], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)
