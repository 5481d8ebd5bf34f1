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

from governance.errors import GovernanceError
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


def _pdf(html: str) -> bytes:
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


def render_policy(loaded: LoadedInventory, fmt: str = "markdown", template_dir: str | Path | None = None,
                  context: PolicyContext | None = None, lang: str = SOURCE_LANGUAGE) -> str | bytes:
    """The privacy policy of ``loaded`` in ``lang`` as Markdown or HTML text, or PDF bytes.

    A ``context`` given must have been built for the same language (``build_context(loaded, lang)``).
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
    return _pdf(text) if FORMATS[fmt].binary else text
