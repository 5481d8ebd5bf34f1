"""The gettext catalogs of the documents the toolkit writes, one per language, and how they are loaded.

Catalog sources live in ``governance/locale/<lang>/LC_MESSAGES/governance.po``.
A wheel also carries the compiled ``governance.mo`` (``setup.py`` compiles them at
build time); a source checkout or editable install has only the ``.po`` files, which
are compiled in memory the first time a language is used. A ``.mo`` older than its
``.po`` is ignored, so an edited catalog is never shadowed by a stale build.
English is the language of the templates themselves and needs no catalog.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from governance.errors import InputError
from governance.resources import PACKAGE_DIR

DOMAIN = "governance"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = PACKAGE_DIR / "locale"


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here (translate later with ``Localizer.term``)."""
    return message


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    """``governance/locale/<lang>/LC_MESSAGES/governance.po`` (or ``.mo``)."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def available_languages() -> tuple[str, ...]:
    """English plus every language with a catalog, sorted (``("en", "fa", "vi")``)."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.[mp]o")}
    return (SOURCE_LANGUAGE, *sorted(found - {SOURCE_LANGUAGE}))


def check_language(lang: str) -> str:
    """``lang`` when a catalog exists for it; otherwise an error listing the languages there are."""
    if lang not in available_languages():
        raise InputError(f"unknown language '{lang}'", where="--lang",
                         hint=f"available languages: {', '.join(available_languages())}")
    return lang


def compile_catalog(po_path: Path) -> bytes:
    """The ``.mo`` bytes of the catalog at ``po_path`` (fuzzy entries left out, as msgfmt does)."""
    with open(po_path, "rb") as fh:
        catalog = read_po(fh, locale=po_path.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """The translations of ``lang``: the compiled ``.mo`` when current, else the ``.po`` compiled in memory."""
    check_language(lang)
    if lang == SOURCE_LANGUAGE:
        return NullTranslations()
    po, mo = catalog_path(lang), catalog_path(lang, ".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as fh:
            return Translations(fh, domain=DOMAIN)
    return Translations(io.BytesIO(compile_catalog(po)), domain=DOMAIN)
