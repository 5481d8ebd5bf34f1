"""Text from data made safe for a terminal: no control characters, escape sequences or bidi overrides.

File names, column names and values can hold ``ESC[2J``, ``ESC]0;title``, a newline that forges
an extra line, or right-to-left overrides; :func:`terminal_safe` shows each such character as a
visible ``\\xNN`` / ``\\uNNNN`` escape instead.
"""

from __future__ import annotations

import re

#: C0 and C1 control characters, DEL, line and paragraph separators, bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control, separator and bidi-override character escaped visibly."""
    return _UNSAFE.sub(_escape, text)


#: Inside rich layouts a replacement must keep the length (styles are spans by position): C0 controls and DEL
#: become their Unicode control pictures (ESC shows as "␛"), other unsafe characters "�"; line breaks stay.
_UNSAFE_IN_LAYOUT = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match) -> str:
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def pictured(text: str) -> str:
    """``text`` with each control, separator and bidi-override character (line breaks kept) replaced by one
    visible character, so positions and lengths are unchanged."""
    return _UNSAFE_IN_LAYOUT.sub(_picture, text)


def safe_console(**options):
    """A rich console that reads no markup or emoji codes and shows control characters in all text as pictures.

    Every string and :class:`rich.text.Text` is cleaned as it is rendered (tables render their cells through
    the same console), so a value, file or column name cannot clear the screen, set the window title, open
    a hyperlink or forge lines.
    """
    from rich.console import Console
    from rich.text import Text

    class SafeConsole(Console):
        def render(self, renderable, options=None):
            if isinstance(renderable, str):
                renderable = pictured(renderable)
            elif isinstance(renderable, Text) and _UNSAFE_IN_LAYOUT.search(renderable.plain):
                renderable = renderable.copy()
                renderable.plain = pictured(renderable.plain)
            return super().render(renderable, options)

    return SafeConsole(**{"markup": False, "emoji": False, "highlight": False, **options})
