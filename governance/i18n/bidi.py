"""Right-to-left HTML: keep left-to-right runs (citations, e-mail addresses, numbers, English names) in order.

In a Persian paragraph the Unicode bidirectional algorithm moves neutral characters
(brackets, full stops, ``+``, ``@``) at the edge of an embedded Latin run to the wrong
side: ``(GDPR Art. 15(1)(f))`` can come out as ``((GDPR Art. 15(1)(f)``.
:func:`isolate_ltr_runs` wraps every such run of a rendered HTML document's text in
``<bdi dir="ltr">``, leaving tags, attributes, ``<title>``, ``<style>`` and
``<script>`` untouched.
"""

from __future__ import annotations

import re
from html import escape
from html.parser import HTMLParser

#: a run starts at a Latin letter or ASCII digit (or a ``+`` before a digit) and stops before an
#: Arabic-script character, Persian quotation marks (« ») or a line break
_RUN = re.compile(r"(?:\+(?=\d)|[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF])"
                  r"[^\n\u00AB\u00BB\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]*")
_TRAILING = " \t.,;:!?\u060C\u061B\u061F\u00A0"
_OPEN, _CLOSE = "([{", ")]}"
_RAW = {"style", "script"}
_NO_WRAP = {"title", "bdi", "textarea", "option"}
#: elements that never have an end tag
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def _cut(run: str) -> str:
    """``run`` up to a bracket of the sentence around it, without trailing neutrals.

    A closing bracket never opened in the run, or an opening one never closed, belongs to the
    right-to-left sentence: ``GDPR Art. 27): Bloom GmbH`` keeps ``GDPR Art. 27``, and
    ``Corner Bloom LLC (`` keeps ``Corner Bloom LLC``; ``Art. 6(1)(b)`` stays whole.
    """
    unclosed: list[int] = []
    end = len(run)
    for i, ch in enumerate(run):
        if ch in _OPEN:
            unclosed.append(i)
        elif ch in _CLOSE:
            if not unclosed:
                end = i
                break
            unclosed.pop()
    if unclosed and unclosed[0] < end:
        end = unclosed[0]
    return run[:end].rstrip(_TRAILING)


def isolate_text(text: str) -> str:
    """HTML-escaped ``text`` with each left-to-right run wrapped in ``<bdi dir="ltr">``."""
    out, pos = [], 0
    match = _RUN.search(text)
    while match:
        run = _cut(match.group())
        start, end = match.start(), match.start() + len(run)
        out.append(escape(text[pos:start], quote=False))
        out.append(f'<bdi dir="ltr">{escape(run, quote=False)}</bdi>')
        pos = end
        match = _RUN.search(text, end)
    out.append(escape(text[pos:], quote=False))
    return "".join(out)


class _Isolator(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.open: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")

    def handle_starttag(self, tag, attrs) -> None:
        self.out.append(self.get_starttag_text())
        if tag not in _VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] in _RAW:
            self.out.append(data)
        elif any(t in _NO_WRAP for t in self.open):
            self.out.append(escape(data, quote=False))
        else:
            self.out.append(isolate_text(data))


def isolate_ltr_runs(document: str) -> str:
    """The HTML ``document`` with the left-to-right runs of its text isolated (for right-to-left pages)."""
    parser = _Isolator()
    parser.feed(document)
    parser.close()
    return "".join(parser.out)
