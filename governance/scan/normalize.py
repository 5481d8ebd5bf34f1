"""Text normalisation before detection: Persian and Vietnamese text written several ways reads one way.

* Persian (U+06F0-06F9) and Arabic-Indic (U+0660-0669) digits become ASCII digits;
* the Arabic letters Persian keyboards also produce become their Persian forms
  (ي and ى → ی, ك → ک);
* a zero-width non-joiner (U+200C, written inside Persian words) becomes a space, so
  ``کد‌ملی`` and ``کد ملی`` read alike; other zero-width characters are removed;
* decomposed Unicode (Vietnamese typed or exported as NFD) is composed (NFC).

Every mapping but the last keeps the text's length, so a match at a position in
the normalised text is at the same position in the original. Batches of plain
ASCII text (most English tables) are returned untouched after one cheap test.
"""

from __future__ import annotations

import unicodedata

import polars as pl

#: One-for-one character replacements (same length in and out).
CHARACTER_MAP: dict[str, str] = {
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian digits
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    "\u064a": "\u06cc",  # Arabic yeh → Persian yeh
    "\u0649": "\u06cc",  # alef maksura → Persian yeh
    "\u0643": "\u06a9",  # Arabic kaf → Persian keheh
    "\u200c": " ",  # zero-width non-joiner
}
#: Characters removed (zero-width joiner, zero-width space, byte-order mark, left-to-right/right-to-left marks).
REMOVED = ("\u200d", "\u200b", "\ufeff", "\u200e", "\u200f")
#: Arabic short vowels and other marks, and the tatweel (kashida) stretch: dropped when names are compared.
ARABIC_MARKS = "".join(chr(c) for c in (*range(0x064B, 0x0660), 0x0670, 0x0640))
#: A combining mark: text holding one may be in decomposed (NFD) form.
COMBINING = "[\u0300-\u036f]"

_TRANSLATE = str.maketrans({**CHARACTER_MAP, **{c: None for c in REMOVED}})
_OLD = [*CHARACTER_MAP, *REMOVED]
_NEW = [*CHARACTER_MAP.values(), *([""] * len(REMOVED))]


def normalize_text(text: str) -> str:
    """One string, normalised as :func:`normalize_series` does."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", text.translate(_TRANSLATE))


def normalize_series(values: pl.Series) -> pl.Series:
    """A batch of text values, normalised; returned as is when it holds only ASCII (no copy)."""
    if values.dtype != pl.Utf8 or values.str.len_bytes().sum() == values.str.len_chars().sum():
        return values
    out = values.str.replace_many(_OLD, _NEW)
    if out.str.contains(COMBINING).any():
        out = out.str.normalize("NFC")
    return out


def normalize_cells(values: pl.Series) -> pl.Series:
    """Raw cells as the recognisers read them: as text, stripped, normalised (:func:`normalize_series`)."""
    return normalize_series(values.cast(pl.Utf8).str.strip_chars())


def fold_diacritics(text: str) -> str:
    """Latin letters without their accents (``số điện thoại`` → ``so dien thoai``, ``đ`` → ``d``);
    Persian and other scripts unchanged, Arabic short vowels and the tatweel dropped."""
    decomposed = unicodedata.normalize("NFD", normalize_text(text).replace("đ", "d").replace("Đ", "D"))
    kept = (c for c in decomposed if not "\u0300" <= c <= "\u036f" and c not in ARABIC_MARKS)
    return unicodedata.normalize("NFC", "".join(kept))
