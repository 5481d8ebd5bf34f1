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
