"""Render the privacy policy from the inventory: Markdown, standalone HTML, or PDF (optional extra).

Templates live in ``templates/policy/`` and are loaded through the one sandboxed
environment (:func:`governance.templating.environment`), so a user's
``--templates`` directory overrides any file and inventory text cannot run
template code. HTML is autoescaped; in Markdown every inserted value is escaped
so it cannot add markup, links or raw HTML. ``lang`` picks the catalog of the fixed
wording (:mod:`governance.i18n`); a right-to-left page (Persian) has its
left-to-right runs isolated (:func:`governance.i18n.bidi.isolate_ltr_runs`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from governance.errors import ConfigError, GovernanceError
from governance.i18n import SOURCE_LANGUAGE, localizer
from governance.i18n.bidi import isolate_ltr_runs
from governance.inventory.loader import LoadedInventory
from governance.policy.context import PolicyContext, build_context
from governance.templating import environment, render, template


@dataclass(frozen=True)
class PolicyFormat:
    template: str
    extension: str
    binary: bool = False


#: format name -> how it is rendered. PDF is the HTML page converted by the optional `pdf` extra.
FORMATS: dict[str, PolicyFormat] = {
    "markdown": PolicyFormat("policy/policy.md.j2", "md"),
    "html": PolicyFormat("policy/policy.html.j2", "html"),
    "pdf": PolicyFormat("policy/pdf.html.j2", "pdf", binary=True),
}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#])")
#: a value that would open a block if it started a line: a list item (``- ``, ``+ ``, ``1. ``) or a setext rule
_BLOCK_START = re.compile(r"(?:[-+=]|\d{1,9}[.)])(?=\s|$)")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def markdown_escape(value) -> str:
    """Make one inserted value inert in Markdown: no markup, links, raw HTML or line structure."""
    if isinstance(value, Markup):
        return str(value)
    text = " ".join(str(value).split())
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    block = _BLOCK_START.match(text)
    return f"{text[:block.end() - 1]}\\{text[block.end() - 1:]}" if block else text


def _render_text(context: PolicyContext, fmt: str, template_dir: str | Path | None, lang: str) -> str:
    env = environment(template_dir, lang=lang)
    if fmt == "markdown":
        env.finalize = markdown_escape
    text = render(template(env, FORMATS[fmt].template), policy=context)
    return isolate_ltr_runs(text) if fmt != "markdown" and localizer(lang).direction == "rtl" else text


def html_to_pdf(html: str) -> bytes:
    """A PDF of ``html`` (xhtml2pdf, the optional `pdf` extra; Latin script only)."""
    try:
        from xhtml2pdf import pisa
    except ImportError:
        raise GovernanceError("PDF output needs the optional 'pdf' extra",
                              hint="pip install 'governance[pdf]', or use --format html and print it") from None
    out = io.BytesIO()
    status = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if status.err:
        raise GovernanceError(f"the PDF converter reported {status.err} error(s)",
                              hint="render --format html to inspect the page")
    return out.getvalue()


#: The mark on every page of a policy rendered from a draft inventory.
DRAFT_MARK = "DRAFT - not for publication"
_DRAFT_CSS = ("position:fixed;top:0;left:0;right:0;padding:.3em;text-align:center;font-weight:bold;"
              "background:#fde68a;color:#7c2d12;border-bottom:2px solid #b45309;z-index:1000")


def ensure_publishable(loaded: LoadedInventory) -> None:
    """Raise unless the inventory is finished (no placeholder, datasets, jurisdictions, version and effective date)."""
    from governance.inventory.drafts import draft_problems

    problems = draft_problems(loaded.inventory)
    if problems:
        raise ConfigError(f"the inventory is a draft ({len(problems)} problem(s)); a policy rendered from it is not published",
                          details=[f"{loaded.where(loc)}: {reason}" for loc, reason in problems],
                          hint="finish the inventory, or preview with --draft: every page is then marked DRAFT")


def ensure_translated(loaded: LoadedInventory, lang: str) -> None:
    """Raise unless every sentence the organisation wrote has a translation into ``lang``."""
    from governance.inventory.localized import translated

    _, missing = translated(loaded.inventory, lang)
    if missing:
        from governance.yamlio import format_loc

        raise ConfigError(f"{len(missing)} sentence(s) of the inventory have no '{lang}' translation",
                          details=[f"{loaded.where(loc)}: {format_loc(loc)}" for loc in missing],
                          hint=f"give each as {{en: ..., {lang}: ...}}, or render with --allow-untranslated "
                               "to keep them in English")


def _watermark(text: str, fmt: str) -> str:
    """Mark a rendering DRAFT: a banner fixed at the top of every page (HTML, PDF) or at both ends (Markdown)."""
    if fmt == "markdown":
        return f"**{DRAFT_MARK}**\n\n{text.rstrip()}\n\n**{DRAFT_MARK}**\n"
    banner = f'<div class="draft-mark" role="note" style="{_DRAFT_CSS}">{DRAFT_MARK}</div>'
    body = re.search(r"<body[^>]*>", text)
    return text[:body.end()] + banner + text[body.end():] if body else banner + text


def render_policy(loaded: LoadedInventory, fmt: str = "markdown", template_dir: str | Path | None = None,
                  context: PolicyContext | None = None, lang: str = SOURCE_LANGUAGE, draft: bool = False) -> str | bytes:
    """The privacy policy of ``loaded`` in ``lang`` as Markdown or HTML text, or PDF bytes.

    A ``context`` given must have been built for the same language (``build_context(loaded, lang)``).
    ``draft`` marks every page "DRAFT - not for publication" (callers publishing a policy call
    :func:`ensure_publishable` first).
    """
    if fmt not in FORMATS:
        raise GovernanceError(f"unknown policy format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    localizer(lang)  # an unknown language fails here, naming the available ones
    if FORMATS[fmt].binary and lang != SOURCE_LANGUAGE:
        # xhtml2pdf's fonts lack Vietnamese letters, and it neither shapes Arabic script nor lays out right to left
        raise GovernanceError(f"PDF output is available in English only, not '{lang}'",
                              hint="render --format html and print it to PDF from a browser (it has a print stylesheet)")
    context = context or build_context(loaded, lang)
    text = _render_text(context, fmt, template_dir, lang)
    if draft:
        text = _watermark(text, fmt)
    return html_to_pdf(text) if FORMATS[fmt].binary else text
