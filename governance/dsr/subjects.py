"""Who a request is about: the identifiers a data subject gives, normalised so stored copies match.

An identifier is ``KEY=VALUE``. KEY is a kind (``email``, ``phone``) that matches every
identity field of that kind, or the name of an identity field (``id``, ``lead_email``,
``customers.id``); a bare name that several datasets use (``id``) is refused, since
``id=1`` names a different person in each. E-mail addresses are trimmed and case-folded, telephone numbers are
compared in E.164 form (``phonenumbers``, with a default region for national numbers),
anything else is compared exactly after trimming.

A subject is also of one or more data-subject types (fideslang: ``customer``,
``employee``, ``patient`` ...): a request only reads datasets that declare one of them in
``data_subjects``, so a customer's request never reaches the staff who served them.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import phonenumbers

from governance.errors import DsrError
from governance.inventory.models import Dataset, FieldDecl, Inventory
from governance.masking import mask
from governance.taxonomy import category_matches, data_subjects

#: the data-subject type a request is about unless it names another
DEFAULT_KIND = "customer"


def normalise_email(value: object, region: str) -> str | None:
    """Trimmed and case-folded e-mail address."""
    text = str(value).strip().casefold()
    return text or None


def normalise_phone(value: object, region: str) -> str | None:
    """E.164 form of a telephone number, or None when it is not a possible number."""
    try:
        number = phonenumbers.parse(str(value), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_exact(value: object, region: str) -> str | None:
    """Trimmed text of an identifier (customer number, national id)."""
    text = str(value).strip()
    return text or None


#: identifier kind -> normaliser
NORMALISERS: dict[str, Callable[[object, str], str | None]] = {
    "email": normalise_email,
    "phone": normalise_phone,
    "exact": normalise_exact,
}

#: fideslang category -> identifier kind (hierarchical; anything else is ``exact``)
KIND_BY_CATEGORY = {
    "user.contact.email": "email",
    "user.contact.phone_number": "phone",
    "user.contact.fax_number": "phone",
}

#: identifier kind -> masking entity, for display
_MASK_ENTITY = {"email": "EMAIL_ADDRESS", "phone": "PHONE_NUMBER", "exact": "NATIONAL_ID"}


def field_kind(decl: FieldDecl | None) -> str:
    """The identifier kind of a declared field, from its category."""
    if decl is not None and decl.category:
        for prefix, kind in KIND_BY_CATEGORY.items():
            if category_matches(prefix, decl.category):
                return kind
    return "exact"


@dataclass(frozen=True)
class Identifier:
    """One ``KEY=VALUE`` the requester gave."""

    key: str
    value: str
    kind: str = "exact"  # how the value is normalised and masked

    def applies_to(self, dataset: Dataset, field: str, kind: str) -> bool:
        """Whether this identifier is compared with ``dataset.field`` (an identity field of ``kind``)."""
        if self.key in NORMALISERS and self.key != "exact":
            return self.key == kind
        return self.key in (field, f"{dataset.id}.{field}")

    def masked(self) -> str:
        return f"{self.key}={mask(self.value, _MASK_ENTITY[self.kind])}"


@dataclass
class Subject:
    """The person a request is about, as a set of identifiers."""

    identifiers: list[Identifier]
    region: str = "US"
    kinds: tuple[str, ...] = (DEFAULT_KIND,)  # data-subject types (fideslang) the person is, for this request

    def covers(self, dataset: Dataset) -> bool:
        """Whether ``dataset`` holds data about people of this subject's type."""
        return any(k in dataset.data_subjects for k in self.kinds)

    def match(self, dataset: Dataset, field: str, stored: object) -> Identifier | None:
        """The identifier that matches the stored value of identity field ``dataset.field``, if any."""
        if stored is None:
            return None
        kind = field_kind(dataset.field(field))
        normalise = NORMALISERS[kind]
        stored_norm = normalise(stored, self.region)
        if stored_norm is None:
            return None
        for ident in self.identifiers:
            if ident.applies_to(dataset, field, kind) and normalise(ident.value, self.region) == stored_norm:
                return ident
        return None

    def masked(self) -> list[str]:
        """The identifiers for display, masked."""
        return [i.masked() for i in self.identifiers]

    def hashes(self, secret: bytes) -> list[str]:
        """HMAC-SHA256 of each normalised identifier, for the ledger (raw values are never stored)."""
        out = []
        for ident in self.identifiers:
            norm = NORMALISERS[ident.kind](ident.value, self.region) or ""
            out.append(hmac.new(secret, f"{ident.key}:{norm}".encode(), hashlib.sha256).hexdigest())
        return out

    def values_of_kind(self, kind: str) -> list[str]:
        """Normalised values the requester gave of one kind (``email=...``, ``contact.email=...``)."""
        return [NORMALISERS[kind](i.value, self.region) for i in self.identifiers if i.kind == kind]


def identity_keys(inventory: Inventory, kinds: Iterable[str] = (DEFAULT_KIND,)) -> dict[str, str]:
    """Every KEY a subject identifier may use with the inventory's datasets of subject types ``kinds``,
    and the kind of its values."""
    keys = {k: k for k in NORMALISERS if k != "exact"}
    for ds in inventory.datasets:
        if not set(ds.data_subjects) & set(kinds):
            continue
        for name in ds.identity_fields:
            kind = field_kind(ds.field(name))
            keys.setdefault(name, kind)
            keys.setdefault(f"{ds.id}.{name}", kind)
    return keys


def _owners(inventory: Inventory, kinds: tuple[str, ...], key: str) -> list[str]:
    """Datasets of subject types ``kinds`` with an identity field named ``key`` (a bare field name, not a kind)."""
    if key in NORMALISERS:
        return []
    return [ds.id for ds in inventory.datasets if set(ds.data_subjects) & set(kinds) and key in ds.identity_fields]


def _check_kinds(kinds: tuple[str, ...], inventory: Inventory) -> None:
    declared = sorted({k for ds in inventory.datasets for k in ds.data_subjects})
    for kind in kinds:
        if kind not in data_subjects():
            raise DsrError(f"unknown data-subject type '{kind}'", where="--subject-type",
                           hint=f"use a fideslang data subject, e.g. {', '.join(declared) or DEFAULT_KIND}")
        if kind not in declared:
            raise DsrError(f"no dataset of the inventory holds data about '{kind}' (data_subjects)",
                           where="--subject-type", hint=f"use one of {', '.join(declared)}")


def parse_subject(pairs: Iterable[str], inventory: Inventory, region: str = "US",
                  kinds: Iterable[str] = (DEFAULT_KIND,)) -> Subject:
    """Parse ``KEY=VALUE`` identifiers of a subject of types ``kinds``; raise :class:`DsrError` for a bad
    pair, key, value or type."""
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise DsrError(f"unknown phone region '{region}'", hint="use a two-letter country code such as US or DE")
    kinds = tuple(dict.fromkeys(kinds)) or (DEFAULT_KIND,)
    _check_kinds(kinds, inventory)
    allowed = identity_keys(inventory, kinds)
    identifiers = []
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise DsrError(f"subject identifier '{key or '?'}' is not KEY=VALUE", where="--subject",
                           hint="e.g. --subject email=jane@example.com")
        owners = _owners(inventory, kinds, key)
        if len(owners) > 1:
            raise DsrError(f"'{key}' is an identity field of {len(owners)} datasets, so it could name different "
                           "people", where="--subject",
                           hint=f"qualify it with the dataset: {' or '.join(f'{o}.{key}=...' for o in owners)}")
        if key not in allowed:
            raise DsrError(f"'{key}' is not an identity field of the inventory's {'/'.join(kinds)} datasets",
                           where="--subject",
                           hint=f"use one of {', '.join(sorted(allowed))}")
        kind = allowed[key]
        if NORMALISERS[kind](value, region) is None:
            raise DsrError(f"the {key} given is not a valid {kind}", where="--subject",
                           hint="give the full number, with the country code if it is not from the --phone-region")
        identifiers.append(Identifier(key, value, kind))
    if not identifiers:
        raise DsrError("no subject identifiers given", where="--subject", hint="e.g. --subject email=jane@example.com")
    return Subject(identifiers, region, kinds)
