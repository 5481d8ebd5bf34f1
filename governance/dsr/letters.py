"""Render response letters from ``templates/letters/<kind>.md.j2`` and ``.html.j2``.

Rendering goes through :func:`governance.templating.environment` (sandboxed, HTML
autoescaped), so a user's template directory can override any letter. The Markdown
letter is the text; the HTML letter is that Markdown converted with markdown-it (line breaks kept, raw
HTML in the text is escaped, link and image syntax left as text) and set in the HTML template.
Letters show the subject's identifiers masked; the export files carry the values.
``lang`` picks the catalog of the letters' fixed wording (:mod:`governance.i18n`); a
right-to-left HTML letter has its left-to-right runs isolated.
"""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt
from markupsafe import Markup

from governance.fileio import atomic_write
from governance.i18n import SOURCE_LANGUAGE, localizer
from governance.i18n.bidi import isolate_ltr_runs
from governance.templating import environment, render, template

#: letter kinds (one template pair each)
LETTERS = ("acknowledgement", "access", "deletion", "correction", "opt_out")


def render_letter(kind: str, context: dict, templates_dir: str | Path | None = None,
                  lang: str = SOURCE_LANGUAGE) -> dict[str, str]:
    """The letter ``kind`` in ``lang`` as ``{"md": ..., "html": ...}``."""
    if kind not in LETTERS:
        raise ValueError(f"unknown letter '{kind}'; use one of {', '.join(LETTERS)}")
    env = environment(templates_dir, lang=lang)
    markdown = render(template(env, f"letters/{kind}.md.j2"), **context)
    # letters carry no links or images: Markdown link syntax in inventory text stays text
    to_html = MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(["link", "image", "autolink"])
    body = Markup(to_html.render(markdown))
    html = render(template(env, f"letters/{kind}.html.j2"), **context, kind=kind, body_html=body)
    if localizer(lang).direction == "rtl":
        html = isolate_ltr_runs(html)
    return {"md": markdown, "html": html}


def write_letter(kind: str, context: dict, directory: Path, templates_dir: str | Path | None = None,
                 lang: str = SOURCE_LANGUAGE) -> list[Path]:
    """Render and write ``<kind>-letter.md`` and ``.html`` into ``directory``."""
    out = []
    for fmt, text in render_letter(kind, context, templates_dir, lang).items():
        path = directory / f"{kind.replace('_', '-')}-letter.{fmt}"
        with atomic_write(path) as fh:
            fh.write(text)
        out.append(path)
    return out
