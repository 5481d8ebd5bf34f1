"""Which text encoding a file is in, judged from its byte-order mark and first 64 KB.

Order: a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) wins; otherwise UTF-8
if the sample decodes as UTF-8, else Windows-1252 (cp1252, what Excel on Windows
writes). NUL bytes without a UTF-16/32 mark, or a sample full of control
characters, mean binary data: that is an error, not a guess.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from governance.errors import InputError

SAMPLE_BYTES = 1 << 16
FALLBACK = "cp1252"
#: Decoding error handler for UTF-8 files with stray Windows-1252 bytes: each bad byte reads as cp1252.
UTF8_CP1252_ERRORS = "governance-cp1252"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.01
_MIN_CONTROLS = 8
_HINT = "save it as UTF-8 (or UTF-16 with a byte-order mark) text"


@dataclass(frozen=True)
class TextSample:
    """The start of a text file: its encoding, the decoded sample, and whether that is the whole file."""

    encoding: str
    text: str
    complete: bool


def _cp1252_fallback(error: UnicodeDecodeError) -> tuple[str, int]:
    bad = error.object[error.start : error.end]
    return bad.decode(FALLBACK, errors="replace"), error.end


codecs.register_error(UTF8_CP1252_ERRORS, _cp1252_fallback)


def _decodes(data: bytes, encoding: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def sniff_text(path: Path) -> TextSample:
    """Encoding and first 64 KB of a text file; :class:`InputError` for binary data."""
    where = str(path)
    try:
        with open(path, "rb") as fh:
            head = fh.read(SAMPLE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", where=where) from None
    complete = len(head) <= SAMPLE_BYTES
    head = head[:SAMPLE_BYTES]
    encoding = next((name for bom, name in _BOMS if head.startswith(bom)), None)
    if encoding is None:
        if b"\x00" in head:
            offset = head.index(b"\x00")
            raise InputError(f"binary data, not text (NUL byte at offset {offset})", where=where, hint=_HINT)
        if _decodes(head, "utf-8", complete):
            encoding = "utf-8"
        elif _decodes(head, FALLBACK, True):
            encoding = FALLBACK
        else:
            raise InputError("unreadable encoding: neither UTF-8 nor Windows-1252 text", where=where, hint=_HINT)
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(head, final=complete)
    except UnicodeDecodeError as exc:
        raise InputError(f"unreadable {encoding} text at byte {exc.start}", where=where, hint=_HINT) from None
    controls = sum(1 for ch in text if ch not in _TEXT_CONTROLS and unicodedata.category(ch) == "Cc")
    if controls > max(_MIN_CONTROLS, _MAX_CONTROL_SHARE * len(text)):
        raise InputError("binary data, not text (control characters)", where=where, hint=_HINT)
    return TextSample(encoding, text, complete)
