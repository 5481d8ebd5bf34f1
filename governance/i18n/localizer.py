"""One language's wording, dates, numbers and script for the documents the toolkit writes.

:func:`localizer` returns a :class:`Localizer` for a language code. Fixed strings come
from the gettext catalog (:mod:`governance.i18n.catalog`); dates and numbers are
formatted with Babel for the locale, in the locale's own digits (Persian: ۰-۹). Persian
dates also show the Solar Hijri (Jalali) date beside the Gregorian one, as Iranian
readers expect. English keeps ISO 8601 dates and plain numbers, as the documents have
always shown them.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache

import jdatetime
from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal

from governance.i18n.catalog import SOURCE_LANGUAGE, check_language, translations

#: CLDR numbering system -> its ten digits (the locale's default numbering system picks one)
DIGITS: dict[str, str] = {
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}

#: CLDR numbering system -> the CSS counter style that numbers lists in the same digits
LIST_STYLES: dict[str, str] = {
    "arab": "arabic-indic",
    "arabext": "persian",
}

#: Unicode script of a language (CLDR likely subtags) -> CSS font stack with its glyphs, Debian fonts first.
#: Languages in Latin script keep the templates' own font stack.
FONT_STACKS: dict[str, str] = {
    "Arab": '"Vazirmatn", "Noto Naskh Arabic", "Noto Sans Arabic", "DejaVu Sans", "Tahoma", sans-serif',
}


_DURATION = re.compile(r"(\d+)([YMWD])")
#: ISO 8601 duration unit -> its words, singular and plural
_UNITS: dict[str, Callable[[Localizer, int], str]] = {
    "Y": lambda loc, n: loc.ngettext("%(num)s year", "%(num)s years", n),
    "M": lambda loc, n: loc.ngettext("%(num)s month", "%(num)s months", n),
    "W": lambda loc, n: loc.ngettext("%(num)s week", "%(num)s weeks", n),
    "D": lambda loc, n: loc.ngettext("%(num)s day", "%(num)s days", n),
}


def _jalali(day: date) -> str:
    return jdatetime.date.fromgregorian(date=day, locale="fa_IR").strftime("%d %B %Y").lstrip("0")


#: language -> a second calendar shown beside the Gregorian date
SECOND_CALENDARS: dict[str, Callable[[date], str]] = {
    "fa": _jalali,  # Solar Hijri, the civil calendar of Iran
}


@dataclass(frozen=True)
class Localizer:
    """Wording and formats of one language."""

    lang: str

    @cached_property
    def translations(self) -> gettext.NullTranslations:
        return translations(self.lang)

    @cached_property
    def locale(self) -> Locale:
        return Locale.parse(self.lang)

    @property
    def is_source(self) -> bool:
        """True for English, the language the templates are written in."""
        return self.lang == SOURCE_LANGUAGE

    @property
    def direction(self) -> str:
        """``rtl`` or ``ltr``."""
        return self.locale.text_direction

    @cached_property
    def script(self) -> str:
        """The language's usual script (``Latn``, ``Arab``, ...)."""
        likely = get_global("likely_subtags").get(self.lang, "")
        parts = likely.split("_")
        return parts[1] if len(parts) > 2 else "Latn"

    @property
    def font_stack(self) -> str | None:
        """A CSS font stack with glyphs for the language's script, or None to keep the default."""
        return FONT_STACKS.get(self.script)

    @property
    def list_style(self) -> str | None:
        """The CSS ``list-style-type`` numbering lists in the locale's digits, or None for the default."""
        return LIST_STYLES.get(self.locale.default_numbering_system)

    def gettext(self, message: str) -> str:
        """``message`` translated (a literal, so catalog extraction finds it)."""
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural form for ``n``, translated."""
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` translated in ``context``."""
        return self.translations.pgettext(context, message)

    def term(self, text: str, context: str | None = None) -> str:
        """A term read from a data file, translated (the data extractor puts these in the catalog)."""
        if context:
            return self.translations.pgettext(context, text)
        return self.translations.gettext(text)

    def digits(self, text: str) -> str:
        """``text`` with ASCII digits in the locale's own digits."""
        native = DIGITS.get(self.locale.default_numbering_system)
        return text.translate(str.maketrans("0123456789", native)) if native else text

    def number(self, value: int | float) -> str:
        """A number for the locale (English: as Python prints it)."""
        if self.is_source:
            return str(value)
        return self.digits(format_decimal(value, locale=self.locale, numbering_system="default"))

    def date(self, value: date | str | None) -> str:
        """A date for the locale (English: ISO 8601); Persian adds the Jalali date in brackets.

        A string that is not an ISO date is returned unchanged.
        """
        if value is None or value == "":
            return ""
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else value
        except ValueError:  # a date in words ("until the claim is settled") stays as written
            return value
        if self.is_source:
            return day.isoformat()
        text = self.digits(format_date(day, "long", locale=self.locale))
        second = SECOND_CALENDARS.get(self.lang)
        return f"{text} ({self.digits(second(day))})" if second else text

    def duration(self, period: str) -> str:
        """An ISO 8601 period in words: ``P6Y`` -> ``6 years``, ``P1Y6M`` -> ``1 year and 6 months``."""
        date_part = period.removeprefix("P").split("T")[0]
        parts = [_UNITS[u](self, int(n)) % {"num": self.number(int(n))} for n, u in _DURATION.findall(date_part)]
        if not parts:
            return period
        if len(parts) == 1:
            return parts[0]
        return self.gettext("%(list)s and %(last)s") % {"list": self.join(parts[:-1]), "last": parts[-1]}

    @cached_property
    def separator(self) -> str:
        # NOTE: the separator between items of a list, with its spacing (Persian: "، ")
        return self.pgettext("list separator", ", ")

    @cached_property
    def clause_separator(self) -> str:
        # NOTE: the separator between clauses of one list item, with its spacing (Persian: "؛ ")
        return self.pgettext("clause separator", "; ")

    def join(self, items: Iterable) -> str:
        """Items joined with the language's list separator."""
        return self.separator.join(str(i) for i in items)


@lru_cache(maxsize=None)
def localizer(lang: str = SOURCE_LANGUAGE) -> Localizer:
    """The :class:`Localizer` of ``lang`` (an unknown code raises an error listing the languages there are)."""
    return Localizer(check_language(lang))
