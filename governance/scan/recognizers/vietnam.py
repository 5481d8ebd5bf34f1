"""Vietnamese identifiers: telephone numbers, citizen identity cards (CCCD, CMND), addresses and names.

Values reach the recognisers in NFC form (:mod:`governance.scan.normalize`); every word
list below also matches without diacritics (``Phuong``, ``Quan``), as many exports write them.
"""

from __future__ import annotations

import unicodedata

import polars as pl

from governance.scan.normalize import normalize_cells
from governance.scan.recognizers.base import Pattern, PatternRecognizer
from governance.scan.recognizers.regional import ContextTextRecognizer, ListedNameRecognizer, words_alternation

_BASES = "AĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
_TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")


def _letters(bases: str) -> str:
    return "".join(sorted({unicodedata.normalize("NFC", b + t) for b in bases for t in _TONES}))


#: Vietnamese capital and small letters (the alphabet has no F, J, W, Z), as regex classes valid in Rust and Python.
VI_UPPER = f"[{_letters(_BASES)}]"
VI_LOWER = f"[{_letters(_BASES.lower())}]"

#: Words that announce an identity card number in free text.
_ID_WORDS = words_alternation(
    ["CCCD", "CMND", "căn cước", "căn cước công dân", "chứng minh nhân dân", "chứng minh thư", "số định danh"]
)


class VietnamPhoneRecognizer(ContextTextRecognizer):
    """Vietnamese mobile numbers (0 or +84, then 3x, 5x, 7x, 8x or 9x and seven digits) and
    landlines (02x area codes), validated with ``phonenumbers`` for region VN."""

    ENTITY = "PHONE_NUMBER"
    _NUMBER = r"(?:\+84|0084|\(?0)[ .-]?(?:[35789]\d|2\d{1,2})\)?(?:[ .-]?\d){7,8}"
    PATTERNS = (Pattern("vietnam phone", _NUMBER, 0.55),)
    TEXT_PATTERNS = (Pattern("vietnam phone", rf"(?:^|[^\w+]){_NUMBER}\b", 0.55),)
    CONTEXT = ("phone", "điện thoại", "sđt", "di động")
    BASE_CONFIDENCE = 0.72
    MIN_SHARE = 0.55

    def validate(self, text: str) -> bool:
        import phonenumbers

        try:
            number = phonenumbers.parse(self.trim(text), "VN")
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.region_code_for_number(number) == "VN" and phonenumbers.is_valid_number(number)

    def trim(self, matched: str) -> str:
        return matched[min((i for i, c in enumerate(matched) if c.isdigit() or c in "+("), default=0) :]


class VietnamIdCardRecognizer(ContextTextRecognizer):
    """Citizen identity card numbers (CCCD, 12 digits) and the older identity card (CMND, 9 digits).

    Neither carries a check digit, and the 2023 Identification Law does not guarantee the
    province/century-sex/birth-year structure of older cards, so a bare 12-digit column is never
    enough on its shape: the column name (``CCCD``, ``số CMND``), the words before a number in text,
    or the row's own birth date (:func:`cccd_birth_years`, checked by the engine) decide."""

    ENTITY = "NATIONAL_ID"
    TEXT_PATTERNS = (Pattern("cccd or cmnd after its name", rf"{_ID_WORDS}[^\d\n]{{0,20}}(?:\d{{12}}|\d{{9}})\b", 0.5),)
    PATTERNS = (Pattern("cccd or cmnd digits", r"\d{12}|\d{9}", 0.1), *TEXT_PATTERNS)
    CONTEXT = ("cccd", "cmnd", "căn cước", "chứng minh")
    MIN_SHARE_HINTED = 0.7
    BASE_CONFIDENCE = 0.7

    def invalidate(self, text: str) -> bool:
        return len(set(self.trim(text))) == 1


def cccd_birth_years(values: pl.Series) -> pl.Series:
    """The birth year each 12-digit personal identification number encodes (null for other values).

    Decree 137/2015/ND-CP Art. 13 and Circular 07/2016/TT-BCA Art. 7: three digits of the birth
    province, one of century and sex (0/1: 1900s, 2/3: 2000s, 4/5: 2100s, ...; even for men), two of
    the birth year, six random. Numbers issued since the 2023 Identification Law need not follow it,
    which is why one value proves nothing: a column whose years match the table's birth dates does.
    """
    digits = normalize_cells(values)
    twelve = digits.str.contains(r"^\d{12}$")
    century = 1900 + 100 * (digits.str.slice(3, 1).cast(pl.Int32, strict=False) // 2)
    year = century + digits.str.slice(4, 2).cast(pl.Int32, strict=False)
    return pl.select(pl.when(twelve).then(year).otherwise(None)).to_series().rename(values.name)


#: Administrative and street markers of a Vietnamese address (full words and the usual abbreviations).
_MARKERS = words_alternation(
    ["phường", "xã", "thị trấn", "quận", "huyện", "thị xã", "tỉnh", "thành phố", "đường", "phố", "hẻm", "ngõ",
     "ngách", "kiệt", "thôn", "ấp", "khu phố", "tổ dân phố", "khóm", "số nhà"]
)  # fmt: skip
_ABBREVIATIONS = r"(?:TP|Tp|tp|TX|Tx|TT|P|Q|H)\.\s?"
_PLACE_NAME = rf"(?:{VI_UPPER}|\d)"


class VietnamAddressRecognizer(PatternRecognizer):
    """Vietnamese addresses: two administrative or street markers (phường/xã, quận/huyện,
    tỉnh/thành phố, đường, hẻm, ngõ...; with or without diacritics, or abbreviated P., Q., TP.),
    each followed by a name or number."""

    ENTITY = "STREET_ADDRESS"
    SOFT = True
    _UNIT = rf"(?:(?i:{_MARKERS})\s+|{_ABBREVIATIONS}){_PLACE_NAME}"
    PATTERNS = (
        Pattern("two address markers", rf"[^@]*{_UNIT}[^@]*{_UNIT}[^@]*", 0.55),
        Pattern("house number and marker", rf"(?i:số\s+|so\s+)?\d+[\w/]*\s[^@]*{_UNIT}[^@]*", 0.55),
        Pattern("one address marker", rf"[^@]*{_UNIT}[^@]*", 0.2),
    )
    CONTEXT = ("address", "địa chỉ")
    BASE_CONFIDENCE = 0.65


#: Words naming a district-level or ward-level unit, written before its name or number (Quận 1, Huyện Gia Lâm).
_UNIT_WORDS = words_alternation(["quận", "huyện", "thị xã", "thành phố", "phường", "xã", "thị trấn"])


class VietnamDistrictRecognizer(PatternRecognizer):
    """One administrative unit below the province per value: a district (quận, huyện), a town (thị xã),
    a provincial city (thành phố, TP.) or a ward (phường, xã), followed by its name or number."""

    ENTITY = "LOCATION"
    SOFT = True
    _NAME = rf"(?:\d{{1,2}}|{VI_UPPER}{VI_LOWER}*(?:[ -]{VI_UPPER}{VI_LOWER}*){{0,4}})"
    PATTERNS = (Pattern("unit word and name", rf"(?:(?i:{_UNIT_WORDS})\s+|(?:TP|Tp|TX|Tx|TT|P|Q|H)\.\s?){_NAME}", 0.5),)
    CONTEXT = ("quận", "huyện", "phường", "xã")
    MIN_SHARE = 0.8
    BASE_CONFIDENCE = 0.5


class VietnameseNameRecognizer(ListedNameRecognizer):
    """Vietnamese full names (a common family name first, or last as some forms write it), and columns of
    family names or of given names."""

    LANGUAGE = "vi"
    WORD = f"{VI_UPPER}{VI_LOWER}{{0,6}}"
    TEXT_WORD = WORD


__all__ = [
    "VI_LOWER",
    "VI_UPPER",
    "VietnamAddressRecognizer",
    "VietnamDistrictRecognizer",
    "VietnamIdCardRecognizer",
    "VietnamPhoneRecognizer",
    "VietnameseNameRecognizer",
    "cccd_birth_years",
]
