"""The recogniser registry: every entity the scanner looks for, one class each.

Built-in recognisers are listed in :data:`REGISTRY`, most specific first (on a tie
between two verdicts on a column, the earlier one wins). Other packages add
recognisers through the ``governance.recognizers`` entry-point group; each entry
point names a :class:`~governance.scan.recognizers.base.Recognizer` subclass.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import entry_points

from governance.errors import ConfigError
from governance.scan.recognizers.base import ColumnView, Pattern, PatternRecognizer, Recognizer, Verdict
from governance.scan.recognizers.contact import (
    CityRecognizer,
    CountryRecognizer,
    EmailRecognizer,
    PhoneRecognizer,
    PostalCodeRecognizer,
    StreetAddressRecognizer,
    UrlRecognizer,
)
from governance.scan.recognizers.credentials import PasswordHashRecognizer, PasswordRecognizer, UsernameRecognizer
from governance.scan.recognizers.demographics import (
    AgeRecognizer,
    DateOfBirthRecognizer,
    GenderRecognizer,
    OccupationRecognizer,
    OrganizationRecognizer,
    PersonNameRecognizer,
)
from governance.scan.recognizers.financial import (
    AbaRoutingRecognizer,
    CreditCardRecognizer,
    IbanRecognizer,
    UsBankNumberRecognizer,
)
from governance.scan.recognizers.gazetteer import GazetteerPlaceRecognizer
from governance.scan.recognizers.government_ids import (
    DriverLicenseRecognizer,
    NationalIdRecognizer,
    PassportRecognizer,
    UsSsnRecognizer,
)
from governance.scan.recognizers.health import (
    HealthInsuranceIdRecognizer,
    Icd10Recognizer,
    MedicalRecordNumberRecognizer,
    UsDeaRecognizer,
    UsNpiRecognizer,
)
from governance.scan.recognizers.iran import (
    IranAddressRecognizer,
    IranIbanRecognizer,
    IranNationalIdRecognizer,
    IranPhoneRecognizer,
    IranPostalCodeRecognizer,
    PersianNameRecognizer,
)
from governance.scan.recognizers.network import ImeiRecognizer, IpAddressRecognizer, MacAddressRecognizer
from governance.scan.recognizers.places import ListedPlaceRecognizer
from governance.scan.recognizers.vietnam import (
    VietnamAddressRecognizer,
    VietnamDistrictRecognizer,
    VietnameseNameRecognizer,
    VietnamIdCardRecognizer,
    VietnamPhoneRecognizer,
)

ENTRY_POINT_GROUP = "governance.recognizers"

#: Built-in recognisers, most specific first.
REGISTRY: tuple[type[Recognizer], ...] = (
    PasswordHashRecognizer,
    EmailRecognizer,
    IbanRecognizer,
    IranIbanRecognizer,
    CreditCardRecognizer,
    ImeiRecognizer,
    UsSsnRecognizer,
    NationalIdRecognizer,
    IranNationalIdRecognizer,
    VietnamIdCardRecognizer,
    UsNpiRecognizer,
    UsDeaRecognizer,
    AbaRoutingRecognizer,
    IpAddressRecognizer,
    MacAddressRecognizer,
    DateOfBirthRecognizer,
    PhoneRecognizer,
    IranPhoneRecognizer,
    VietnamPhoneRecognizer,
    UrlRecognizer,
    Icd10Recognizer,
    MedicalRecordNumberRecognizer,
    HealthInsuranceIdRecognizer,
    PostalCodeRecognizer,
    IranPostalCodeRecognizer,
    StreetAddressRecognizer,
    VietnamAddressRecognizer,
    IranAddressRecognizer,
    VietnamDistrictRecognizer,
    GenderRecognizer,
    CountryRecognizer,
    ListedPlaceRecognizer,
    GazetteerPlaceRecognizer,
    AgeRecognizer,
    PasswordRecognizer,
    UsernameRecognizer,
    PassportRecognizer,
    DriverLicenseRecognizer,
    UsBankNumberRecognizer,
    OrganizationRecognizer,
    OccupationRecognizer,
    CityRecognizer,
    VietnameseNameRecognizer,
    PersianNameRecognizer,
    PersonNameRecognizer,
)


def _plugins() -> list[type[Recognizer]]:
    found = []
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            cls = ep.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must be named, not crash the scan obscurely
            raise ConfigError(
                f"recogniser plugin '{ep.name}' cannot be loaded ({exc.__class__.__name__})",
                where=f"entry point {ENTRY_POINT_GROUP}",
                hint="reinstall or uninstall the package that provides it",
            ) from None
        if not (isinstance(cls, type) and issubclass(cls, Recognizer)):
            raise ConfigError(
                f"recogniser plugin '{ep.name}' is not a Recognizer subclass",
                where=f"entry point {ENTRY_POINT_GROUP}",
                hint="an entry point must name a governance.scan.recognizers.base.Recognizer subclass",
            )
        found.append(cls)
    return found


@lru_cache(maxsize=1)
def recognizers() -> tuple[Recognizer, ...]:
    """One instance of every registered recogniser: built-ins, then plugins."""
    return tuple(cls() for cls in (*REGISTRY, *_plugins()))


def leak_recognizers() -> tuple[PatternRecognizer, ...]:
    """The recognisers that screen free text for leaks, most specific first."""
    return tuple(r for r in recognizers() if r.LEAK and isinstance(r, PatternRecognizer))


__all__ = [
    "ENTRY_POINT_GROUP",
    "REGISTRY",
    "ColumnView",
    "Pattern",
    "PatternRecognizer",
    "Recognizer",
    "Verdict",
    "leak_recognizers",
    "recognizers",
]
