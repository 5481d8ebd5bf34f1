"""Financial identifiers: payment card numbers, IBANs, ABA routing numbers, bank account numbers."""

from __future__ import annotations

from governance.scan.recognizers.base import Pattern, PatternRecognizer, digits


def card_brand_length_ok(number: str) -> bool:
    """True when the issuer prefix (IIN) and the length fit a known card scheme."""
    n = len(number)
    if n < 12 or n > 19:
        return False
    p2, p3, p4, p6 = int(number[:2]), int(number[:3]), int(number[:4]), int(number[:6])
    if number[0] == "4":  # Visa
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= p4 <= 2720:  # Mastercard
        return n == 16
    if p2 in (34, 37):  # American Express
        return n == 15
    if p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925 or p2 == 62:  # Discover, UnionPay
        return 16 <= n <= 19
    if p2 == 35:  # JCB
        return 16 <= n <= 19
    if p4 in (2131, 1800):  # JCB (15-digit)
        return n == 15
    if 300 <= p3 <= 305 or p2 in (36, 38, 39):  # Diners Club
        return 14 <= n <= 19
    if p2 == 50 or 56 <= p2 <= 69 or p4 == 604:  # Maestro
        return 12 <= n <= 19
    if p4 == 9704:  # NAPAS, Vietnam's domestic scheme (ISO/IEC 7812 numbers, Luhn like the others)
        return n in (16, 19)
    if number[0] == "1":  # UATP
        return n == 15
    return False


class CreditCardRecognizer(PatternRecognizer):
    """Payment card numbers: a known scheme's prefix and length, and the Luhn checksum."""

    ENTITY = "CREDIT_CARD"
    PATTERNS = (
        Pattern("card digits", r"\d{12,19}", 0.5),
        Pattern("card in groups of four", r"\d{4}[ -]\d{4}[ -]\d{4}[ -]\d{1,7}", 0.6),
        Pattern("card 4-6-5", r"\d{4}[ -]\d{6}[ -]\d{4,5}", 0.6),
    )
    CONTEXT = ("credit", "card", "visa", "mastercard", "amex", "cc")
    LEAK = True
    CHECKSUM = True
    MIN_SHARE = 0.7

    def validate(self, text: str) -> bool:
        from stdnum import luhn

        number = digits(text)
        return card_brand_length_ok(number) and luhn.is_valid(number)

    def invalidate(self, text: str) -> bool:
        return len(set(digits(text))) == 1


class IbanRecognizer(PatternRecognizer):
    """International Bank Account Numbers: country format and mod-97 check digits (python-stdnum ``iban``)."""

    ENTITY = "IBAN_CODE"
    PATTERNS = (
        Pattern("iban", r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", 0.6),
        Pattern("iban in groups", r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}", 0.6),
    )
    CONTEXT = ("iban", "bank", "account")
    LEAK = True
    CHECKSUM = True

    def validate(self, text: str) -> bool:
        from stdnum import iban

        return iban.is_valid(text)


class AbaRoutingRecognizer(PatternRecognizer):
    """US ABA routing transit numbers: Federal Reserve prefix and the 3-7-1 checksum (python-stdnum ``us.rtn``)."""

    ENTITY = "ABA_ROUTING_NUMBER"
    PATTERNS = (
        Pattern("aba", r"[0123678]\d{8}", 0.5),
        Pattern("aba dashed", r"[0123678]\d{3}-\d{4}-\d", 0.5),
    )
    CONTEXT = ("aba", "routing", "rtn", "bank")
    CHECKSUM = True
    MIN_SHARE = 0.85
    BASE_CONFIDENCE = 0.6

    def validate(self, text: str) -> bool:
        from stdnum.us import rtn

        return rtn.is_valid(digits(text))

    def invalidate(self, text: str) -> bool:
        return len(set(digits(text))) == 1


class UsBankNumberRecognizer(PatternRecognizer):
    """Bank account numbers (6-17 digits): only in columns named like account numbers."""

    ENTITY = "US_BANK_NUMBER"
    SOFT = True
    PATTERNS = (Pattern("account digits", r"\d{6,17}", 0.1),)
    CONTEXT = ("account", "acct", "bank")
    MIN_SHARE_HINTED = 0.7
