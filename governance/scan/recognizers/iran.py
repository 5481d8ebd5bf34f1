"""Iranian identifiers: national ID (code melli), telephone numbers, postal codes, addresses and Persian names.

Values reach the recognisers normalised (:mod:`governance.scan.normalize`): Persian and
Arabic-Indic digits are ASCII digits, and ي/ك are the Persian ی/ک.
"""

from __future__ import annotations

import re

from governance.scan.recognizers.base import Pattern, PatternRecognizer, digits
from governance.scan.recognizers.financial import IbanRecognizer
from governance.scan.recognizers.regional import ContextTextRecognizer, ListedNameRecognizer

#: Persian letters (after normalisation), as a regex class valid in Rust and Python.
PERSIAN_LETTER = "[آ-غف-يپچژکگیءئؤأإة]"
#: Words that announce a national ID in free text.
_MELLI_WORDS = r"(?:کد ?ملی|شماره ملی|شناسه ملی|کارت ملی|شماره شناسایی|هویت|(?i:code ?melli|national (?:id|code)))"


def melli_is_valid(text: str) -> bool:
    """The check digit of an Iranian national ID (کد ملی): the first nine digits weighted 10..2,
    summed, modulo 11; a remainder below 2 is the check digit itself, else 11 minus it.
    IDs stored as numbers lose their leading zeros, so 8 and 9 digits are padded."""
    number = digits(text)
    if not 8 <= len(number) <= 10:
        return False
    number = number.zfill(10)
    if len(set(number)) == 1 or number[3:9] == "000000":
        return False
    remainder = sum(int(d) * (10 - i) for i, d in enumerate(number[:9])) % 11
    check = remainder if remainder < 2 else 11 - remainder
    return int(number[9]) == check


class IranNationalIdRecognizer(ContextTextRecognizer):
    """Iranian national ID (code melli, 10 digits with a mod-11 check digit).

    A column is judged by the check digit (one 10-digit number in eleven passes by chance, so a
    column where most pass is IDs); in free text, only after ``کد ملی`` or ``national id``."""

    ENTITY = "NATIONAL_ID"
    PATTERNS = (
        Pattern("code melli", r"\d{10}", 0.5),
        Pattern("code melli dashed", r"\d{3}-\d{6}-\d", 0.5),
        Pattern("code melli without leading zeros", r"\d{8,9}", 0.1),
    )
    TEXT_PATTERNS = (Pattern("code melli after its name", rf"{_MELLI_WORDS}[^\d\n]{{0,20}}\d{{3}}-?\d{{6}}-?\d", 0.5),)
    CONTEXT = ("melli", "national", "کد", "ملی", "هویت", "شناسه")
    CHECKSUM = True
    MIN_SHARE = 0.8

    def validate(self, text: str) -> bool:
        return melli_is_valid(self.trim(text))


class IranPhoneRecognizer(ContextTextRecognizer):
    """Iranian mobile (09xx) and landline (0 + area code) numbers, national or with +98,
    validated with ``phonenumbers`` for region IR."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = (
        Pattern("iran phone", r"(?:\+98|0098|0)[ .-]?\(?\d{2,3}\)?(?:[ .-]?\d){7,8}", 0.55),
        Pattern("iran mobile without trunk", r"9\d{9}", 0.1),
    )
    TEXT_PATTERNS = (Pattern("iran phone", r"(?:\+98|\b0098|\b0)[ .-]?\(?\d{2,3}\)?(?:[ .-]?\d){7,8}\b", 0.55),)
    CONTEXT = ("phone", "mobile", "تلفن", "موبایل", "همراه")
    BASE_CONFIDENCE = 0.72
    MIN_SHARE = 0.55

    def validate(self, text: str) -> bool:
        import phonenumbers

        try:
            number = phonenumbers.parse(text, "IR")
        except phonenumbers.NumberParseException:
            return False
        return phonenumbers.region_code_for_number(number) == "IR" and phonenumbers.is_valid_number(number)


class IranIbanRecognizer(IbanRecognizer):
    """Iranian IBANs (شبا: ``IR`` and 24 digits, ISO 13616 mod-97 check digits). python-stdnum's ``iban``
    module does not list Iran's format, so the generic IBAN recogniser rejects them."""

    PATTERNS = (
        Pattern("iran iban", r"(?i)IR\d{24}", 0.6),
        Pattern("iran iban in groups", r"(?i)IR\d{2}(?: ?\d{4}){5} ?\d{2}", 0.6),
    )
    CONTEXT = (*IbanRecognizer.CONTEXT, "sheba", "شبا")

    def validate(self, text: str) -> bool:
        from stdnum.iso7064 import mod_97_10

        number = text.replace(" ", "").upper()
        return len(number) == 26 and mod_97_10.is_valid(digits(number[4:]) + "1827" + number[2:4])


#: Iranian postal codes: ten digits; the first four neither 0 nor 2, the fifth not 0, 2 or 5, the last
#: five not 2, and not four equal digits first (the rule of the validators in persian-tools
#: Persian.Plus and milwad-dev/laravel-validate ``ValidIranPostalCode``).
_POSTAL = re.compile(r"[13-9]{4}[1346-9][013-9]{5}")


class IranPostalCodeRecognizer(ContextTextRecognizer):
    """Iranian postal codes (کد پستی, 10 digits): columns where (nearly) every value follows the digit rule,
    or after ``کد پستی`` in text."""

    ENTITY = "POSTAL_CODE"
    SOFT = True
    TEXT_PATTERNS = (Pattern("postal code after its name", r"کد ?پستی[^\d\n]{0,20}\d{5}-?\d{5}", 0.5),)
    PATTERNS = (Pattern("iran postal code", r"\d{5}-?\d{5}", 0.5), *TEXT_PATTERNS)
    CONTEXT = ("postal", "کد", "پستی")
    #: A random ten-digit number passes the digit rule one time in six: a neutrally named
    #: column where nine in ten pass is postal codes.
    MIN_SHARE = 0.9
    MIN_SHARE_HINTED = 0.7

    def validate(self, text: str) -> bool:
        number = digits(self.trim(text))
        return bool(_POSTAL.fullmatch(number)) and len(set(number[:4])) > 1


class IranAddressRecognizer(PatternRecognizer):
    """Persian addresses: two address words (street, alley, square, plate, unit, province...), or a
    number, a name and a street word."""

    ENTITY = "STREET_ADDRESS"
    SOFT = True
    _PLACE = r"(?:خیابان|کوچه|بلوار|میدان|بزرگراه|جاده|بن ?بست|محله|شهرک)"
    _WORD = rf"(?:{_PLACE}|خ\.|پلاک|واحد|طبقه|ساختمان|مجتمع|استان|شهرستان|روستای|کد ?پستی)"
    PATTERNS = (
        Pattern("two address words", rf"[^@]*{_WORD}[^@]*{_WORD}[^@]*", 0.55),
        Pattern("number name street", rf"[^@]*\d+\s+{PERSIAN_LETTER}[^@]*{_PLACE}[^@]*", 0.55),
        Pattern("one address word", rf"[^@]*{_WORD}[^@]*", 0.2),
    )
    CONTEXT = ("address", "نشانی", "آدرس")
    BASE_CONFIDENCE = 0.65


class PersianNameRecognizer(ListedNameRecognizer):
    """Persian full names (a common given name first, or two written together) and given-name columns."""

    LANGUAGE = "fa"
    WORD = rf"{PERSIAN_LETTER}{{2,}}"
    TEXT_WORD = WORD
    TEXT_WORDS = 1

    @property
    def listed(self) -> str:
        one = super().listed
        return f"{one}{one}?"


__all__ = [
    "IranAddressRecognizer",
    "IranIbanRecognizer",
    "IranNationalIdRecognizer",
    "IranPhoneRecognizer",
    "IranPostalCodeRecognizer",
    "PersianNameRecognizer",
    "melli_is_valid",
]
