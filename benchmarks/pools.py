"""Pools of locale-specific values, made once with Faker and then sampled by index.

Calling Faker per row would take an hour for a million rows; a few thousand values
per locale and field, drawn with numpy, take seconds and still look like real data.
Phone numbers are drawn from the pool and their last two digits re-drawn per row,
so numbers stay valid for their country (``phonenumbers``) and nearly all distinct.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import numpy as np
import phonenumbers
from faker import Faker


@dataclass(frozen=True)
class Country:
    """A customer country: its Faker locale, display name, currency and share of customers."""

    code: str
    locale: str
    name: str
    currency: str
    weight: float


COUNTRIES = [
    Country("US", "en_US", "United States", "USD", 0.30),
    Country("GB", "en_GB", "United Kingdom", "GBP", 0.15),
    Country("DE", "de_DE", "Germany", "EUR", 0.14),
    Country("FR", "fr_FR", "France", "EUR", 0.12),
    Country("CA", "en_CA", "Canada", "CAD", 0.10),
    Country("NL", "nl_NL", "Netherlands", "EUR", 0.09),
    Country("ES", "es_ES", "Spain", "EUR", 0.10),
]

#: Faker provider method per pooled field.
FIELDS = {
    "first_female": "first_name_female",
    "first_male": "first_name_male",
    "last": "last_name",
    "street": "street_address",
    "city": "city",
    "postcode": "postcode",
    "job": "job",
    "company": "company",
    "username": "user_name",
    "email_domain": "free_email_domain",
}

PASSWORD_WORDS = ["summer", "dragon", "sunshine", "monkey", "football", "princess", "welcome", "shadow", "flower", "tigger", "hallo", "soleil", "fiets", "verano"]


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters only, as names turn into e-mail addresses."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.encode("ascii", "ignore").decode().lower() if c.isalnum())


@dataclass
class LocalePool:
    """Values of one country, as numpy object arrays."""

    country: Country
    values: dict[str, np.ndarray] = field(default_factory=dict)
    phone_national: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    phone_international: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    phone_e164: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))


def _one_line(value: str) -> str:
    return " ".join(value.replace("\n", ", ").split())


def _phones(fake: Faker, region: str, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Valid numbers of ``region`` in national, international and E.164 form, last two digits cut off."""
    national, international, e164, seen = [], [], [], set()
    for _ in range(size * 6):
        try:
            number = phonenumbers.parse(fake.phone_number(), region)
        except phonenumbers.NumberParseException:
            continue
        number.extension = None
        valid = phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == region
        if not valid or number.national_number in seen:
            continue
        seen.add(number.national_number)
        forms = [phonenumbers.format_number(number, f) for f in (phonenumbers.PhoneNumberFormat.NATIONAL, phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164)]
        if not all(f[-2:].isdigit() for f in forms):
            continue
        national.append(forms[0][:-2])
        international.append(forms[1][:-2])
        e164.append(forms[2][:-2])
        if len(national) >= size:
            break
    return (np.array(national, dtype=object), np.array(international, dtype=object), np.array(e164, dtype=object))


def build_pools(seed: int, size: int = 3000) -> dict[str, LocalePool]:
    """One :class:`LocalePool` per country code, deterministic for ``seed``."""
    pools = {}
    for i, country in enumerate(COUNTRIES):
        fake = Faker(country.locale)
        fake.seed_instance(seed * 1000 + i)
        pool = LocalePool(country)
        for name, method in FIELDS.items():
            produce = getattr(fake, method)
            count = 40 if name == "email_domain" else size
            pool.values[name] = np.array(sorted({_one_line(produce()) for _ in range(count)}), dtype=object)
        pool.values["last_slug"] = np.array([ascii_slug(v) for v in pool.values["last"]], dtype=object)
        pool.phone_national, pool.phone_international, pool.phone_e164 = _phones(fake, country.code, size)
        pools[country.code] = pool
    return pools


def password_pool(seed: int, size: int = 20000) -> np.ndarray:
    """Plaintext passwords as people choose them: random strings and word+year+symbol."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(size):
        if rng.random() < 0.7:
            out.append(fake.password(length=int(rng.integers(8, 17)), special_chars=bool(rng.random() < 0.8)))
        else:
            word = PASSWORD_WORDS[rng.integers(0, len(PASSWORD_WORDS))]
            word = word.capitalize() if rng.random() < 0.5 else word
            out.append(f"{word}{rng.integers(1960, 2025)}{'!?#$*'[rng.integers(0, 5)] if rng.random() < 0.6 else ''}")
    return np.array(out, dtype=object)


def sku_pool(seed: int, size: int = 800) -> np.ndarray:
    """Stock-keeping units like ``FLW-ROS-0412``."""
    fake = Faker("en_US")
    fake.seed_instance(seed + 7)
    return np.array(sorted({fake.bothify("???-???-####").upper() for _ in range(size)}), dtype=object)
