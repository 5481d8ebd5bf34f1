"""Compare a hand-written privacy policy with the inventory it should describe.

A business that keeps its own policy text (instead of rendering it) can still
check it: :func:`check_contradictions` reports each category collected but not
mentioned, each recipient not named (by name or by kind), each practice the text
denies but the inventory declares ("we do not sell" while a sale is declared),
and each statement the law requires that the text lacks. Every finding is a
:class:`Violation` with its citation; wording and patterns are data
(``denials``, ``statements`` and ``recipient_mentions`` in ``policy_language.yaml``).
A policy written in another language is checked with that language's words and
patterns as well (the catalog's ``policy-check-words`` and ``policy-check-pattern``
entries), since such policies often keep English terms such as "Do Not Track".
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from governance.errors import InputError
from governance.i18n import Localizer, localizer
from governance.inventory.loader import LoadedInventory
from governance.policy.context import group_of
from governance.policy.requirements import facts, language
from governance.rules.results import RuleInfo, Violation

PACK = "disclosures"

_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]+>", re.IGNORECASE | re.DOTALL)


def policy_text(raw: str) -> str:
    """Lower-cased plain text of a Markdown, HTML or text policy, whitespace collapsed."""
    text = html.unescape(_TAG.sub(" ", raw))
    return " ".join(text.replace("’", "'").split()).lower()


def read_policy(path: str | Path) -> str:
    """Read a hand-written policy file (Markdown, HTML or text)."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("policy file not found", where=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"policy file cannot be read as UTF-8 text ({exc.__class__.__name__})",
                         where=str(path)) from None


def _rule(rule_id: str, title: str, citation: str, law: str, remediation: str, severity: str = "high") -> RuleInfo:
    return RuleInfo(id=f"CONTRADICT-{rule_id}", title=title, pack=PACK, law=law, citation=citation,
                    severity=severity, remediation=remediation)


def _law(citation: str) -> str:
    for marker, law in (("GDPR", "GDPR"), ("1798.", "CCPA"), ("CCR", "CCPA"), ("22575", "CalOPPA"),
                        ("312.", "COPPA"), ("164.", "HIPAA"), ("15 U.S.C. 45", "FTC Act")):
        if marker in citation:
            return law
    return "general"


_CATEGORY_RULE = _rule(
    "CATEGORY-UNDISCLOSED", "A category of personal information collected is not disclosed in the policy",
    "Cal. Bus. & Prof. Code 22575(b)(1); 11 CCR 7011(e)(1)(A)", "CalOPPA",
    "Name the category in the policy, or render the policy from the inventory (`governance policy render`).",
)
_RECIPIENT_RULE = _rule(
    "RECIPIENT-UNDISCLOSED", "A recipient of personal information is not disclosed in the policy",
    "GDPR Art. 13(1)(e); 11 CCR 7011(e)(1)(I); Cal. Bus. & Prof. Code 22575(b)(1)", "GDPR",
    "Name the recipient or its kind (e.g. service providers, advertising partners) in the policy.",
)


def contradiction_rules() -> list[RuleInfo]:
    """Rule metadata of every contradiction check, for reports."""
    lang = language()
    return [_CATEGORY_RULE, _RECIPIENT_RULE] + [
        _rule(d["id"], d["title"], d["citation"], _law(d["citation"]), "Correct the policy text.")
        for d in lang["denials"]
    ] + [
        _rule(s["id"], s["title"], s["citation"], _law(s["citation"]), "Add the statement to the policy.", "medium")
        for s in lang["statements"]
    ]


def _mentions(text: str, words) -> bool:
    """True when any of ``words`` starts a word of ``text`` ("third part" matches "third parties")."""
    return any(re.search(r"\b" + re.escape(w.lower()), text) for w in words)


def _words(words: list[str], loc: Localizer) -> list[str]:
    """``words`` plus their translation (a comma-separated list in the catalog)."""
    if loc.is_source:
        return list(words)
    translated = loc.pgettext("policy-check-words", ", ".join(words))
    return list(words) + [w.strip() for w in translated.split(",") if w.strip()]


def _patterns(patterns: list[str], loc: Localizer) -> list[str]:
    """``patterns`` plus their translation in the policy's language."""
    return list(dict.fromkeys([*patterns, *(loc.pgettext("policy-check-pattern", p) for p in patterns)]))


def check_contradictions(loaded: LoadedInventory, raw_policy: str, source: str = "policy",
                         lang: str = "en") -> list[Violation]:
    """Violations where the hand-written policy ``raw_policy`` (written in ``lang``) does not match ``loaded``."""
    loc = localizer(lang)
    inv = loaded.inventory
    text = policy_text(raw_policy)
    fact_values = facts(inv)
    rules = {r.id: r for r in contradiction_rules()}
    out: list[Violation] = []

    first_field: dict[str, tuple] = {}
    for di, ds in enumerate(inv.datasets):
        for fi, fld in enumerate(ds.fields):
            if fld.personal and fld.category:
                first_field.setdefault(group_of(fld.category)["key"], (di, fi, ds, fld))
    groups = {g["key"]: g for g in language()["category_groups"]}
    for key, (di, fi, ds, fld) in first_field.items():
        group = groups[key]
        if not _mentions(text, _words(group["mentions"], loc)):
            out.append(Violation(
                rule=_CATEGORY_RULE,
                message=f"The inventory declares {group['label'].lower()} (e.g. `{ds.id}.{fld.name}`, "
                        f"{fld.category}) but {source} does not mention it.",
                location=loaded.where(("datasets", di, "fields", fi, "category")),
                target=f"{source}|category:{key}", dataset=ds.id, field=fld.name,
            ))

    kinds = language()["recipient_mentions"]
    for ri, rec in enumerate(inv.recipients):
        if rec.disclosure == "none":
            continue
        if not _mentions(text, [rec.name, *_words(kinds[rec.type], loc)]):
            out.append(Violation(
                rule=_RECIPIENT_RULE,
                message=f"The inventory declares {rec.name} ({rec.type.replace('_', ' ')}) as a recipient, "
                        f"but {source} names neither it nor its kind of recipient.",
                location=loaded.where(("recipients", ri)), target=f"{source}|recipient:{rec.id}",
            ))

    for denial in language()["denials"]:
        if not fact_values.get(denial["when"]):
            continue
        for pattern in _patterns(denial["patterns"], loc):
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                start = max(0, match.start() - 40)
                quote = text[start:match.end() + 40].strip()
                out.append(Violation(
                    rule=rules[f"CONTRADICT-{denial['id']}"],
                    message=f"{denial['title']}: {source} says \"…{quote}…\".",
                    location=source, target=f"{source}|{denial['id']}",
                ))
                break

    for statement in language()["statements"]:
        if fact_values.get(statement["when"]) and not any(
                re.search(p, text, re.IGNORECASE) for p in _patterns(statement["patterns"], loc)):
            out.append(Violation(
                rule=rules[f"CONTRADICT-{statement['id']}"], message=f"{statement['title']} ({source}).",
                location=source, target=f"{source}|{statement['id']}",
            ))
    return out
