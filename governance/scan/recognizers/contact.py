"""Contact details: e-mail addresses, telephone numbers, web addresses, street addresses, postal codes, cities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import ClassVar

import polars as pl

from governance.masking import mask
from governance.scan.recognizers.base import (
    ColumnView,
    Pattern,
    PatternRecognizer,
    PatternState,
    Recognizer,
    Verdict,
    digits,
)
from governance.scan.recognizers.vocabulary import alternation, words

#: Regions tried, in order, for numbers written without a country code.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU", "ES", "IT", "NL", "BR", "MX", "IE", "CH", "AT", "SE")


@lru_cache(maxsize=1)
def _offline_tld_extractor():
    """tldextract on its bundled public-suffix snapshot: never fetches the list over the network."""
    import tldextract

    return tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


def has_public_suffix(host: str) -> bool:
    """True when ``host`` ends in a known public suffix (``.com``, ``.co.uk`` ...)."""
    return bool(_offline_tld_extractor()(host).suffix)


class EmailRecognizer(PatternRecognizer):
    ENTITY = "EMAIL_ADDRESS"
    PATTERNS = (
        Pattern(
            "email",
            r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}",
            0.6,
        ),
    )
    CONTEXT = ("email", "mail", "e-mail")
    LEAK = True
    BASE_CONFIDENCE = 0.78

    def validate(self, text: str) -> bool:
        local, _, host = text.rpartition("@")
        return bool(local) and not local.startswith(".") and ".." not in local and has_public_suffix(host)


class PhoneRecognizer(PatternRecognizer):
    """Telephone numbers, validated with ``phonenumbers`` (international and national formats of several countries)."""

    ENTITY = "PHONE_NUMBER"
    _EXT = r"(?:\s*(?:x|ext\.?|extension|#)\s*\d{1,6})?"
    PATTERNS = (
        # +44 20 7946 0958, +1 (505) 224-0005, 0044 20..., 011 49 ...
        Pattern(
            "international", r"(?:\+|\b00|\b011)[ .-]?\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){1,5}[ .-]?\d{2,5}" + _EXT, 0.6
        ),
        # (505) 224-0005, 505-224-0005, 505.224.0005
        Pattern("nanp", r"(?:\(\d{3}\)\s?|\b\d{3}[ .-])\d{3}[ .-]\d{4}" + _EXT + r"\b", 0.6),
        # 020 7946 0958, 030 1234567, 0114 4960498, 06 12 34 56 78
        Pattern("national trunk", r"\b0\d{1,4}(?:[ .-]\d{2,8}){1,4}" + _EXT, 0.55),
        Pattern("national trunk parenthesised", r"\(0\d{1,4}\)\s?\d{3,8}(?:[ .-]\d{2,5})?" + _EXT, 0.55),
        # 612 34 56 78, 912 345 678: countries without a trunk 0 (Spain: 9 digits from 6-9)
        Pattern("national grouped", r"\b[6-9]\d{2}(?:(?:[ .]\d{2}){3}|(?:[ .]\d{3}){2})\b", 0.5),
        # "call 5052240005": bare digits in free text only right after a telephone word
        Pattern(
            "digits after a phone word",
            r"(?i)(?:phone|tel|telephone|mobile|cell|call|text|fax|whatsapp|sms)\b[^\d\n]{0,20}\+?\d{10,12}",
            0.5,
        ),
        # 5052240005 only when the column is named like a phone number
        Pattern("digits", r"\+?\d{7,15}", 0.2),
    )
    CONTEXT = ("phone", "tel", "telephone", "mobile", "cell", "fax", "call")
    LEAK = True
    TEXT_BOUNDARY = False
    BASE_CONFIDENCE = 0.72
    MIN_SHARE = 0.55

    def trim(self, matched: str) -> str:
        return matched[min((i for i, c in enumerate(matched) if c in "+(0123456789"), default=0) :]

    def validate(self, text: str) -> bool:
        import phonenumbers

        number_digits = digits(text.split("x")[0].split("ext")[0])
        if not 7 <= len(number_digits) <= 15:
            return False
        candidate = text.strip()
        readings = [candidate]  # 0118 496 0423 is a UK number, not 011 (the US exit code) + 8 ...
        for exit_code in ("011", "00"):
            if candidate.startswith(exit_code):
                readings.insert(0, "+" + candidate[len(exit_code) :].lstrip(" .-"))
                break
        for reading in readings:
            international = reading.startswith("+")
            if not international and len(number_digits) < 9:
                continue  # local numbers and dd.mm.yyyy dates
            for region in (None,) if international else PHONE_REGIONS:
                try:
                    number = phonenumbers.parse(reading, region)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_possible_number(number):
                    return True
        return False

    def invalidate(self, text: str) -> bool:
        d = digits(text)
        return len(set(d)) == 1


class UrlRecognizer(PatternRecognizer):
    ENTITY = "URL"
    SOFT = True
    PATTERNS = (
        Pattern("url", r"(?i)(?:https?|ftp)://[A-Za-z0-9.-]+(?::\d{1,5})?(?:[/?#][^\s]*)?", 0.5),
        Pattern("www", r"(?i)www\.[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:[/?#][^\s]*)?", 0.5),
        Pattern("bare domain", r"(?i)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?:/[^\s]*)?", 0.2),
    )
    CONTEXT = ("url", "website", "link", "homepage")
    BASE_CONFIDENCE = 0.55
    MIN_SHARE = 0.8

    def validate(self, text: str) -> bool:
        from urllib.parse import urlsplit

        target = text if "://" in text else "http://" + text
        try:
            host = urlsplit(target).hostname or ""
        except ValueError:
            return False
        return has_public_suffix(host) or _is_ip(host)


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


class StreetAddressRecognizer(PatternRecognizer):
    """A house number followed by a street name ending in a street-type word, or a German/Dutch/Nordic street with its number."""

    ENTITY = "STREET_ADDRESS"
    SOFT = True
    CONTEXT = ("street", "address", "addr")
    BASE_CONFIDENCE = 0.62
    MIN_SHARE = 0.6

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:
        return _street_patterns()

    @cached_property
    def _strong_each(self) -> list[str]:
        return [r for p in self.PATTERNS if p.strong and (r := self._anchored(p.group))]

    def value_regexes(self, column: ColumnView) -> list[str]:
        """Each strong pattern on its own: their union (long alternations of street words in several
        bounded repetitions) makes Rust's DFA give up and run forty times slower than the parts."""
        weak = [self.weak_value_regex] if column.hinted(self.ENTITY, *self.CONTEXT_ENTITIES) and self.weak_value_regex else []
        return [*self._strong_each, *weak]


@lru_cache(maxsize=1)
def _street_patterns() -> tuple[Pattern, ...]:
    suffix = alternation("street_suffixes", plural=True)
    unit = alternation("street_units")
    compound = alternation("street_suffix_words")
    after = alternation("street_words_after")
    leading = alternation("street_types_leading")
    # a street name without a number starts with a street type written out, or abbreviated with a dot
    types = words("street_types_leading")
    long_first = "|".join(sorted({re.escape(w) for w in types if len(w) >= 3}, key=len, reverse=True))
    short_first = "|".join(sorted({re.escape(w) for w in types if len(w) < 3}, key=len, reverse=True))
    named_first = rf"(?:(?:{long_first})\.?|(?:{short_first})\.)"
    # ... or ends in a street word, joined to the name (Heintzestraße, Mannerheimintie) or after it (Gül Sok)
    named_last = rf"(?:{compound}\.?|\s{after}\.?)"
    unit_first = alternation("street_units_leading")
    unit_part = rf"(?:,?\s+{unit}\.?\s*#?\s*[A-Za-z0-9-]+)?"
    house = r"\d{1,6}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?\.?"  # 12, 12a, 9-11, 1/3, 12. (Hungarian)
    floor = r"(?:,?\s+(?:piso|planta|puerta|escalera|bajo|apt|apto|piano|interno|scala|appartamento|andar|sala|bloco)\.?\s*\w+)*"
    # the rest of a one-line address: postal code, town, region, country after commas
    tail = r"(?:,\s*[^,]+)*"
    word = r"[^\W\d_][\w.'’-]*"
    return (
        Pattern(
            "number street type",
            rf"(?i)(?:{unit_first}\.?\s+\w+,\s+|\d{{1,6}}[A-Za-z]?(?:[-/]\d{{1,5}})?\s+)(?:{word}\s+){{0,4}}{suffix}\.?{unit_part}{tail}",
            0.55,
        ),
        Pattern("street word number", rf"(?i){word}[\w.'’ -]*(?:{compound}|\s{after})\.?,?\s+{house}{floor}{unit_part}{tail}", 0.55),
        Pattern("number, street type first", rf"(?i)\d{{1,5}}[A-Za-z]?(?:\s?(?:bis|ter))?,?\s+{leading}\.?\s+{word}[\w.'’ -]*{tail}", 0.55),
        Pattern("street type first, number", rf"(?i){leading}\.?\s+(?:{word},?\s+){{1,6}}(?:n[º°o]\.?\s*)?{house}{floor}{unit_part}{tail}", 0.55),
        Pattern("street name, type first", rf"(?i){named_first}\s+{word}(?:\s+{word}){{0,5}}", 0.5),
        Pattern("street name, type last", rf"(?i){word}(?:[ -]{word}){{0,3}}{named_last}", 0.5),
        Pattern("number words", rf"(?i)\d{{1,6}}[A-Za-z]?\s+[^\W\d_][\w.' -]{{2,60}}{unit_part}", 0.2),
        Pattern("po box", rf"(?i)(?:p\.?\s?o\.?\s+box|postbox|postboks|box|apartado|caixa postal|casella postale|bp|postfach)\s+\d{{1,8}}{tail}", 0.55),
    )


class PostalCodeRecognizer(PatternRecognizer):
    """Postal codes. UK, Canadian and Dutch codes are distinctive; US, German, French and Indian
    codes are bare digits, so they count only with a name hint (or, for US ZIP codes, the spread
    of their first digits)."""

    ENTITY = "POSTAL_CODE"
    SOFT = True
    PATTERNS = (
        Pattern("uk postcode", r"(?i)(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})", 0.55),
        Pattern("canadian postal code", r"(?i)[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d", 0.55),
        Pattern("us zip+4", r"\d{5}-\d{4}", 0.3),
        Pattern("dutch postcode", r"[1-9]\d{3} ?[A-Z]{2}", 0.3),
        Pattern("five digits", r"\d{5}", 0.1),
        Pattern("four or six digits", r"\d{4}|\d{6}", 0.1),
        Pattern("japanese or brazilian", r"\d{3}-\d{4}|\d{5}-\d{3}", 0.1),
        Pattern("polish", r"\d{2}-\d{3}", 0.1),
    )
    CONTEXT = ("zip", "postcode", "postal")
    BASE_CONFIDENCE = 0.6
    MIN_SHARE = 0.8

    def new_state(self) -> ZipState:
        return ZipState()

    def screen(self, values, state: ZipState, column: ColumnView) -> None:
        super().screen(values, state, column)
        if column.hinted(self.ENTITY) or column.hinted_none:
            return
        if self.weak_value_regex:
            state.shaped += int(
                (values.str.contains(self.strong_value_regex) | values.str.contains(self.weak_value_regex)).sum()
            )
        five = values.filter(values.str.contains(r"^\d{5}$"))
        state.five_digit += len(five)
        if len(five):
            state.leading_zero += int(five.str.starts_with("0").sum())
            state.double_zero += int(five.str.starts_with("00").sum())

    def hit(self, state: ZipState) -> bool:
        return bool(state.matched or state.five_digit or state.shaped)

    def verdict(self, state: ZipState, column: ColumnView) -> Verdict | None:
        found = super().verdict(state, column)
        if found is not None or column.hinted_none or not column.non_empty:
            return found
        # Bare five-digit values: US ZIP codes start with every digit, some with 0, few with 00;
        # counts, amounts and zero-padded ids do not look like that.
        share = state.five_digit / column.non_empty
        zero = state.leading_zero / state.five_digit if state.five_digit else 0.0
        double = state.double_zero / state.five_digit if state.five_digit else 0.0
        if share >= 0.95 and 0.01 <= zero <= 0.3 and double <= 0.05 and column.distinct_ratio >= 0.2:
            return Verdict(self.ENTITY, state.five_digit, 0.55, ["pattern"], list(state.examples))
        # Several countries' codes in one column: all shaped like postal codes, some unmistakably (UK, Canada).
        if state.shaped >= 0.9 * column.non_empty and state.matched >= 0.1 * column.non_empty:
            return Verdict(self.ENTITY, state.shaped, 0.6, ["pattern"], list(state.examples))
        return None


@dataclass
class ZipState(PatternState):
    """Pattern counts plus the first-digit statistics of bare five-digit values."""

    five_digit: int = 0
    leading_zero: int = 0
    double_zero: int = 0
    shaped: int = 0

    def merge(self, other: ZipState, max_examples: int = 3) -> None:
        super().merge(other, max_examples)
        self.five_digit += other.five_digit
        self.leading_zero += other.leading_zero
        self.double_zero += other.double_zero
        self.shaped += other.shaped


class CityRecognizer(PatternRecognizer):
    """Place names built like most towns: ``North ...``, ``Port ...``, ``...ville``, ``...ton``, ``...burg``."""

    ENTITY = "CITY"
    SOFT = True
    CONTEXT = ("city", "town")
    CONTEXT_ENTITIES: ClassVar[tuple[str, ...]] = ("LOCATION",)
    BASE_CONFIDENCE = 0.55
    MIN_SHARE = 0.6
    MIN_SHARE_HINTED = 0.5

    @property
    def PATTERNS(self) -> tuple[Pattern, ...]:
        return _city_patterns()


@lru_cache(maxsize=1)
def _city_patterns() -> tuple[Pattern, ...]:
    prefix = alternation("city_prefixes")
    suffix = alternation("city_suffixes")
    word = r"[A-Z][a-z'’.-]+"
    return (
        Pattern("prefixed place", rf"(?i:{prefix})\.? {word}(?: {word})?", 0.5),
        Pattern("place ending", rf"{word}(?: {word})?(?i:{suffix})", 0.5),
        Pattern("capitalised words", rf"{word}(?:[ -]{word}){{0,3}}", 0.2),
    )


@lru_cache(maxsize=1)
def _countries() -> tuple[frozenset[str], frozenset[str]]:
    """Country names in several languages, and ISO 3166 alpha-2 codes (from Babel's CLDR data), lower-case."""
    from babel import Locale

    names: set[str] = set()
    codes: set[str] = set()
    for language in ("en", "de", "fr", "es", "it", "nl", "pt"):
        for code, name in Locale(language).territories.items():
            if code.isalpha() and len(code) == 2:
                names.add(name.lower())
                codes.add(code.lower())
    names.update({"usa", "u.s.", "u.s.a.", "uk", "great britain", "england", "scotland", "wales"})
    return frozenset(names), frozenset(codes)


@dataclass
class CountryState:
    """Values that are country names, and values that are two-letter country codes."""

    matched: int = 0
    codes: int = 0
    examples: list[str] = field(default_factory=list)

    def merge(self, other: CountryState, max_examples: int = 3) -> None:
        self.matched += other.matched
        self.codes += other.codes
        self.examples = (self.examples + other.examples)[:max_examples]


class CountryRecognizer(Recognizer):
    """Countries: names in several languages anywhere; ISO codes (``US``, ``DE``) only in columns named like countries."""

    ENTITY = "COUNTRY"
    CONTEXT = ("country", "nationality")

    def new_state(self) -> CountryState:
        return CountryState()

    def hit(self, state: CountryState) -> bool:
        return bool(state.matched or state.codes)

    def screen(self, values: pl.Series, state: CountryState, column: ColumnView) -> None:
        names, codes = _countries()
        lowered = values.str.to_lowercase()
        hits = lowered.is_in(list(names))
        state.matched += int(hits.sum())
        if column.hinted(self.ENTITY):
            state.codes += int(lowered.is_in(list(codes)).sum())
        room = column.max_examples - len(state.examples)
        if room > 0:
            state.examples.extend(mask(v, self.ENTITY) for v in values.filter(hits).head(room).to_list())

    def verdict(self, state: CountryState, column: ColumnView) -> Verdict | None:
        if not column.non_empty or column.hinted_none:
            return None
        hinted = column.hinted(self.ENTITY)
        matched = max(state.matched, state.codes) if hinted else state.matched
        share = matched / column.non_empty
        if share < (0.7 if hinted else 0.9):
            return None
        detectors = (["name"] if hinted else []) + ["vocabulary"]
        return Verdict(self.ENTITY, matched, (0.85 if hinted else 0.7) + 0.1 * share, detectors, list(state.examples))
