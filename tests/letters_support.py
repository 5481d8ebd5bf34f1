"""One request of each type run on a copy of the bundled example, for the letter tests (any language)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from governance.dsr import service

REPO = Path(__file__).resolve().parents[1]
SUBJECT = "email=brenda.obrien1@gmail.com"

#: the letters one run writes, by the name their golden file has
NAMES = [
    "access-acknowledgement-letter.md", "access-acknowledgement-letter.html",
    "access-letter.md", "access-letter.html", "correction-letter.md", "correction-letter.html",
    "opt-out-letter.md", "opt-out-letter.html", "deletion-letter.md", "deletion-letter.html",
]


def golden_name(name: str, lang: str) -> str:
    """``access-letter.md`` in English, ``access-letter.fa.md`` in Persian."""
    if lang == "en":
        return name
    stem, _, ext = name.rpartition(".")
    return f"{stem}.{lang}.{ext}"


def example_letters(work: Path, lang: str = "en") -> dict[str, str]:
    """Run access, correction, opt-out and deletion on a copy of the example in ``work``; {letter name: text}.

    The date and request ids are fixed, so the letters are the same on every run.
    """
    shutil.copytree(REPO / "policies" / "example", work / "example")
    out = {}

    def run(fn, kind, *args, **kw):
        kw.setdefault("jurisdiction", "GDPR")  # the example names several jurisdictions
        opts = service.RequestOptions(subject=[SUBJECT], inventory=work / "example", ledger=work / "ledger.db",
                                      output_dir=work / kind, received=date(2026, 11, 2), today=date(2026, 11, 3),
                                      request_id=f"DSR-20261102-{kind.upper()}", lang=lang, **kw)
        outcome = fn(opts, *args)
        for path in outcome.files:
            if path.name.endswith(("-letter.md", "-letter.html")):
                out[f"{kind}-{path.name}" if path.name.startswith("ack") else path.name] = path.read_text()

    run(service.access, "access")
    run(service.correct, "correction", ["customers.phone=+1 217 555 0100"])
    run(service.opt_out, "opt-out", jurisdiction="CCPA")
    run(service.delete, "deletion", jurisdiction="GDPR")
    return out
