"""The Persian (Iran) and Vietnamese customer tables: the benchmark's ``fa`` and ``vi`` variants.

Same shape as the international table (:mod:`benchmarks.generate`), with what real
Iranian and Vietnamese customer files hold: names in the local script, local address
forms, phones in local and international form, Jalali dates and Persian digits (fa),
code melli or CCCD/CMND, Shetab or NAPAS cards, Iranian IBANs (شبا) or Vietnamese account
numbers, amounts in rials or dong, and notes in the local language. The data (places,
prefixes, BINs, prose) is in ``region_fa.yaml`` and ``region_vi.yaml``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jdatetime
import numpy as np
import yaml
from faker import Faker

from benchmarks import identifiers as ids
from benchmarks import prose
from benchmarks.pools import Country, LocalePool, ascii_slug, password_pool, sku_pool
from benchmarks.tablebase import AS_OF, TableBase, birth_dates

BENCH_DIR = Path(__file__).resolve().parent
#: Share of phone, ID, postal-code, date and note values written in Persian digits in the fa table.
PERSIAN_DIGIT_SHARE = 0.25
PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
#: Persian letters -> Latin, as people spell their names in e-mail addresses (vowels are not written in Persian).
_PERSIAN_LATIN = str.maketrans(
    {
        "ا": "a", "آ": "a", "أ": "a", "ب": "b", "پ": "p", "ت": "t", "ث": "s", "ج": "j", "چ": "ch", "ح": "h", "خ": "kh",
        "د": "d", "ذ": "z", "ر": "r", "ز": "z", "ژ": "zh", "س": "s", "ش": "sh", "ص": "s", "ض": "z", "ط": "t", "ظ": "z",
        "ع": "a", "غ": "gh", "ف": "f", "ق": "gh", "ک": "k", "ك": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "و": "v",
        "ه": "h", "ة": "h", "ی": "i", "ي": "i", "ئ": "y", "ؤ": "v", "ء": "", "\u200c": "", " ": "",
    }
)


@cache
def region(locale: str) -> dict:
    """The data of ``region_<locale>.yaml``."""
    with open(BENCH_DIR / f"region_{locale}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def persian_slug(name: str) -> str:
    """A Persian name spelled in lower-case ASCII (مریم -> mrim)."""
    return ascii_slug(name.translate(_PERSIAN_LATIN))


def vietnamese_slug(name: str) -> str:
    """A Vietnamese name in lower-case ASCII (Đặng Thị Lan -> dangthilan): đ has no decomposition."""
    return ascii_slug(name.replace("đ", "d").replace("Đ", "D"))


def _join(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise string concatenation of arrays and constants."""
    out = np.full(len(next(p for p in parts if not isinstance(p, str))), "", dtype=object)
    for part in parts:
        out = out + part
    return out


def _format(digits: np.ndarray, template: str) -> np.ndarray:
    """Lay digit strings into ``template``, where ``#`` takes the next digit: ('09123456789', '#### ### ####')."""
    return np.array([_fill(d, template) for d in digits], dtype=object)


def _fill(digits: str, template: str) -> str:
    it = iter(digits)
    return "".join(next(it) if c == "#" else c for c in template)


class RegionalTable(TableBase):
    """What the Persian and Vietnamese tables share; subclasses add the local columns and leak values."""

    locale = ""
    #: Columns in the order of ``columns_<locale>.yaml``.
    order: list[str] = []

    def __init__(self, rows: int, seed: int):
        super().__init__(rows, seed)
        self.data = region(self.locale)
        code = self.data["country"]
        size = min(3000, max(500, rows // 4))
        fake = Faker(self.data["faker"])
        fake.seed_instance(seed * 1000 + 101)
        pool = LocalePool(Country(code, self.data["faker"], code, self.data["currency"], 1.0))
        for name, method in {"job": "job", "company": "company", "username": "user_name", "email_domain": "free_email_domain"}.items():
            count = 40 if name == "email_domain" else size
            pool.values[name] = np.array(sorted({" ".join(getattr(fake, method)().split()) for _ in range(count)}), dtype=object)
        self.fake, self.pools = fake, {code: pool}
        self.country = np.full(rows, code, dtype=object)
        self.passwords = password_pool(seed)
        self.skus = sku_pool(seed)
        places = self.data["places"]
        weights = np.array([p["weight"] for p in places], dtype=float)
        self.place = self.rng.choice(len(places), size=rows, p=weights / weights.sum())

    # --- helpers -------------------------------------------------------------------------------

    def place_field(self, key: str, rows: np.ndarray | None = None) -> np.ndarray:
        values = np.array([p[key] for p in self.data["places"]], dtype=object)
        return values[self.place if rows is None else self.place[rows]]

    def choose(self, options: list, n: int | None = None) -> np.ndarray:
        n = self.n if n is None else n
        return np.array(options, dtype=object)[self.rng.integers(0, len(options), size=n)]

    def forms(self, choices: list[np.ndarray], weights: list[float]) -> np.ndarray:
        return ids.mixed(self.rng, choices, weights)

    def mobile_digits(self, n: int) -> np.ndarray:
        """National mobile numbers as digit strings (0912..., 0912...)."""
        width = {"IR": 11, "VN": 10}[self.data["country"]]
        prefix = self.choose(self.data["mobile_prefixes"], n)
        return np.array([p + d[: width - len(p)] for p, d in zip(prefix, self.digits(8, n))], dtype=object)

    def landline_digits(self, rows: np.ndarray) -> np.ndarray:
        """National landline numbers of the rows' places: area code, then a subscriber number starting 2-8."""
        area = self.place_field("area", rows)
        first = self.choose(list("2345678") if self.data["country"] == "IR" else list("3567"), len(rows))
        width = 11
        return np.array([a + f + d[: width - len(a) - 1] for a, f, d in zip(area, first, self.digits(8, len(rows)))], dtype=object)

    def dates_of_birth(self) -> tuple[np.ndarray, np.ndarray]:
        return birth_dates(self.rng, self.n, AS_OF)

    def recent_days(self, n: int, span: int = 730) -> np.ndarray:
        return np.datetime64(AS_OF.isoformat()) - self.rng.integers(0, span, size=n).astype("timedelta64[D]")

    def common_columns(self, n: int) -> dict[str, np.ndarray]:
        """Credentials, network, order and timestamp columns, filled as in the international table."""
        rng = self.rng
        spec = self.data["order_total"]
        totals = np.round(rng.lognormal(np.log(spec["median"]), spec["sigma"], size=n) / spec["round"]) * spec["round"]
        created = np.datetime64(AS_OF.isoformat()).astype("datetime64[s]") - rng.integers(0, 5 * 365 * 86400, size=n).astype("timedelta64[s]")
        return {
            "username": np.where(rng.random(n) < 0.5, self.pick("username") + rng.integers(1, 1000, size=n).astype(str).astype(object), self.pick("username")),
            "password": self.passwords[rng.integers(0, len(self.passwords), size=n)],
            "password_hash": ids.bcrypt_shaped(rng, n).astype(object),
            "ip_address": np.where(rng.random(n) < 0.9, ids.ipv4_public(rng, n), ids.ipv6_global(rng, n)),
            "order_number": "ORD-" + self.digits(8),
            "order_total": totals.astype(np.int64).astype(str).astype(object),
            "currency": np.full(n, self.data["currency"], dtype=object),
            "sku": self.skus[rng.integers(0, len(self.skus), size=n)],
            "created_at": np.char.add(np.datetime_as_string(created), "Z").astype(object),
        }

    def notes(self, amounts: np.ndarray, dates: np.ndarray) -> np.ndarray:
        """Ordinary notes in the local language; ``amounts`` and ``dates`` fill their slots."""
        slots = prose.slot_values(self.rng, self.n, self.skus)
        slots.update(amount=amounts, date=dates)
        return prose.ordinary_notes(self.rng, self.n, self.skus, self.data["notes"], slots)

    # --- leaks -------------------------------------------------------------------------------

    def emails_of(self, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Leaked e-mail addresses made from pooled names."""
        first, last = self.leak_names(rows)
        local = np.array([f"{self.slug(a) or 'info'}.{self.slug(b) or 'mail'}" for a, b in zip(first, last)], dtype=object)
        return local + "@" + self.pick("email_domain", rows), ["address"] * len(rows)

    def plant_leaks(self, notes: np.ndarray, count: int) -> list[dict]:
        """Overwrite ``count`` notes with a leak each (entities in equal shares); return the ground truth."""
        rng = self.rng
        entities_all = list(self.data["leaks"])
        rows = np.sort(rng.choice(self.n, size=min(count, self.n), replace=False))
        entities = np.array(entities_all)[rng.permutation(len(rows)) % len(entities_all)]
        values = {entity: self.leak_values(entity, rows[entities == entity]) for entity in entities_all}
        sentences = self.data["leaks"]
        return self.place_leaks(notes, rows, entities, values, lambda entity, value, order: prose.leak_note(rng, entity, value, order, sentences))


class PersianTable(RegionalTable):
    """An Iranian shop's customers, written as Persian spreadsheets are: Persian script, Jalali dates, mixed digits."""

    locale = "fa"
    slug = staticmethod(persian_slug)

    def __init__(self, rows: int, seed: int):
        super().__init__(rows, seed)
        size = min(3000, max(500, rows // 4))
        for name, method in {"first_female": "first_name_female", "first_male": "first_name_male", "last": "last_name"}.items():
            self.pools["IR"].values[name] = np.array(sorted({getattr(self.fake, method)() for _ in range(size)}), dtype=object)

    def persian(self, values: np.ndarray, share: float = PERSIAN_DIGIT_SHARE) -> tuple[np.ndarray, np.ndarray]:
        """``values`` with ``share`` of them in Persian digits, and which ones."""
        mask = self.rng.random(len(values)) < share
        out = values.astype(object).copy()
        out[mask] = [v.translate(PERSIAN_DIGITS) if v is not None else None for v in out[mask]]
        return out, mask

    def jalali(self, days: np.ndarray) -> np.ndarray:
        """Gregorian datetime64 days -> Jalali ``yyyy/mm/dd`` strings."""
        unique, inverse = np.unique(days, return_inverse=True)
        text = np.array([jdatetime.date.fromgregorian(date=d.astype(object)).strftime("%Y/%m/%d") for d in unique], dtype=object)
        return text[inverse]

    def mixed_dates(self, days: np.ndarray, jalali_share: float = 0.6) -> np.ndarray:
        """Six in ten Jalali (a third of those in Persian digits), the rest ISO Gregorian."""
        jalali = self.rng.random(len(days)) < jalali_share
        out = np.datetime_as_string(days).astype(object)
        out[jalali] = self.persian(self.jalali(days[jalali]), 1 / 3)[0]
        return out

    def phones(self, form: str, rows: np.ndarray | None = None) -> np.ndarray:
        """``mobile`` or ``landline`` numbers of the rows, in the ways Iranians write them."""
        rows = np.arange(self.n) if rows is None else rows
        if form == "mobile":
            d = self.mobile_digits(len(rows))
            choices = [_format(d, "#### ### ####"), d, _join("+98 ", _format(np.array([x[1:] for x in d]), "### ### ####")), _join("+98", np.array([x[1:] for x in d], dtype=object))]
            return self.forms(choices, [0.35, 0.3, 0.25, 0.1])
        d = self.landline_digits(rows)
        choices = [_format(d, "### #### ####"), _format(d, "###-########"), d, _join("+98 ", _format(np.array([x[1:] for x in d]), "## #### ####"))]
        return self.forms(choices, [0.35, 0.3, 0.25, 0.1])

    def postal_codes(self, n: int) -> np.ndarray:
        """Ten digits: none of 0 and 2 in the first four, the fifth from 1346789, no 2 in the last five; some as 12345-67890."""
        first = np.array(list("13456789"))[self.rng.integers(0, 8, size=(n, 4))]
        repeated = (first == first[:, :1]).all(axis=1)
        first[repeated, 3] = np.where(first[repeated, 0] == "9", "8", "9")
        fifth = np.array(list("1346789"))[self.rng.integers(0, 7, size=(n, 1))]
        last = np.array(list("013456789"))[self.rng.integers(0, 9, size=(n, 5))]
        codes = np.array(["".join(r) for r in np.hstack([first, fifth, last])], dtype=object)
        return self.forms([codes, _format(codes, "#####-#####")], [0.8, 0.2])

    def national_codes(self, n: int) -> np.ndarray:
        codes = ids.ir_national_code(self.rng, n).astype(object)
        return self.forms([codes, _format(codes, "###-######-#")], [0.7, 0.3])

    def streets(self) -> np.ndarray:
        d = self.data
        number = self.persian(self.rng.integers(1, 250, size=self.n).astype(str).astype(object))[0]
        unit = self.rng.integers(1, 20, size=self.n).astype(str).astype(object)
        base = _join(self.choose(d["street_types"]), " ", self.choose(d["streets"]), "، ", self.choose(d["alley_types"]), " ", self.choose(d["alleys"]), "، پلاک ", number)
        return np.where(self.rng.random(self.n) < 0.5, _join(base, "، واحد ", unit), base)

    def columns(self) -> dict[str, np.ndarray]:
        n, rng, d = self.n, self.rng, self.data
        female = rng.random(n) < 0.5
        first = np.empty(n, dtype=object)
        first[female] = self.pick("first_female", np.flatnonzero(female))
        first[~female] = self.pick("first_male", np.flatnonzero(~female))
        last = self.pick("last")
        gender = self.blank(np.where(female, d["genders"]["female"], d["genders"]["male"]).astype(object), 0.03)
        dob, age = self.dates_of_birth()
        cols = {"customer_id": np.arange(1, n + 1).astype(str).astype(object), "first_name": first, "last_name": last, "full_name": first + " " + last, "gender": gender}
        cols.update(date_of_birth=self.mixed_dates(dob), age=age.astype(str).astype(object), email=self.emails(first, last, persian_slug))
        common = self.common_columns(n)
        cols.update({k: common[k] for k in ("username", "password", "password_hash")})
        cols.update(
            home_phone=self.blank(self.persian(self.phones("landline"))[0], 0.05),
            mobile_phone=self.persian(self.phones("mobile"))[0],
            street_address=self.streets(),
            city=self.place_field("city"),
            province=self.place_field("province"),
            postal_code=self.persian(self.postal_codes(n))[0],
            national_id=self.blank(self.persian(self.national_codes(n))[0], 0.08),
            occupation=self.blank(self.pick("job"), 0.10),
            company=self.blank(self.pick("company"), 0.15),
            card_number=self.blank(ids.bin_cards(rng, d["card_bins"], n), 0.10),
            iban=self.blank(ids.ir_ibans(rng, d["iban_banks"], n), 0.15),
        )
        cols.update({k: common[k] for k in ("ip_address", "order_number", "order_total", "currency", "sku")})
        cols.update(last_order_date=self.mixed_dates(self.recent_days(n)), created_at=common["created_at"])
        rials = np.round(rng.lognormal(np.log(2_000_000), 1.0, size=n) / 1000).astype(np.int64) * 1000
        tomans = rng.random(n) < 0.5
        amounts = np.array([f"{a // 10 if t else a:,} {d['amount_units'][int(t)]}" for a, t in zip(rials, tomans)], dtype=object)
        notes = self.notes(amounts, self.jalali(self.recent_days(n)))
        cols["notes"] = self.blank(self.persian(notes)[0], 0.4)
        return cols

    def leak_names(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.pick("first_female", rows), self.pick("last", rows)

    def leak_values(self, entity: str, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Values planted in the notes, and how each is written (the truth's ``form``)."""
        k = len(rows)
        if entity == "EMAIL_ADDRESS":
            return self.emails_of(rows)
        if entity == "IBAN_CODE":
            values = ids.ir_ibans(self.rng, self.data["iban_banks"], k)
            return values, [f"IR {'grouped' if ' ' in v else 'compact'}" for v in values]
        if entity == "PHONE_NUMBER":
            kinds = np.where(self.rng.random(k) < 0.7, "mobile", "landline")
            values, persian = self.persian(np.where(kinds == "mobile", self.phones("mobile", rows), self.phones("landline", rows)))
            where = ["international" if v.startswith("+") else "national" for v in values]
            return values, [f"IR {kind} {w}{' persian-digits' if p else ''}" for kind, w, p in zip(kinds, where, persian)]
        plain = self.national_codes(k) if entity == "NATIONAL_ID" else ids.bin_cards(self.rng, self.data["card_bins"], k)
        values, persian = self.persian(plain)
        return values, [f"{'grouped' if (' ' in v or '-' in v) else 'plain'}{' persian-digits' if p else ''}" for v, p in zip(plain, persian)]


class VietnameseTable(RegionalTable):
    """A Vietnamese shop's customers: family-middle-given names, dd/mm/yyyy dates, CCCD, NAPAS cards."""

    locale = "vi"
    slug = staticmethod(vietnamese_slug)

    def names(self) -> tuple[np.ndarray, ...]:
        d, n = self.data, self.n
        female = self.rng.random(n) < 0.5
        families = list(d["family_names"])
        share = np.array(list(d["family_names"].values()), dtype=float)
        last = np.array(families, dtype=object)[self.rng.choice(len(families), size=n, p=share / share.sum())]
        middle = np.where(female, self.choose(d["middle_names"]["female"]), self.choose(d["middle_names"]["male"]))
        first = np.where(female, self.choose(d["given_names"]["female"]), self.choose(d["given_names"]["male"]))
        return female, last, middle.astype(object), first.astype(object)

    def day_month_year(self, days: np.ndarray, share: float = 0.7) -> np.ndarray:
        iso = np.datetime_as_string(days).astype(object)
        dmy = np.array([f"{s[8:10]}/{s[5:7]}/{s[0:4]}" for s in iso], dtype=object)
        return np.where(self.rng.random(len(days)) < share, dmy, iso)

    def phones(self, form: str, rows: np.ndarray | None = None) -> np.ndarray:
        """``mobile`` or ``landline`` numbers of the rows, in the ways Vietnamese customers write them."""
        rows = np.arange(self.n) if rows is None else rows
        if form == "mobile":
            d = self.mobile_digits(len(rows))
            intl = np.array([x[1:] for x in d], dtype=object)
            choices = [_format(d, "#### ### ###"), d, _format(d, "####.###.###"), _join("+84 ", _format(intl, "### ### ###")), _join("+84", intl)]
            return self.forms(choices, [0.3, 0.3, 0.1, 0.2, 0.1])
        d = self.landline_digits(rows)
        spaced = np.array([_fill(x, "### #### ####" if x[:3] in ("024", "028") else "#### #### ###") for x in d], dtype=object)
        paren = np.array([f"({x[:3]}) {x[3:]}" if x[:3] in ("024", "028") else f"({x[:4]}) {x[4:]}" for x in d], dtype=object)
        intl = np.array([f"+84 {s[1:]}" for s in spaced], dtype=object)
        return self.forms([spaced, paren, d, intl], [0.35, 0.25, 0.25, 0.15])

    def addresses(self) -> dict[str, np.ndarray]:
        d, n, rng = self.data, self.n, self.rng
        house = self.forms(
            [_join("Số ", rng.integers(1, 300, size=n).astype(str).astype(object)),
             _join(rng.integers(1, 200, size=n).astype(str).astype(object), "/", rng.integers(1, 60, size=n).astype(str).astype(object)),
             _join("Số ", rng.integers(1, 80, size=n).astype(str).astype(object), " Ngõ ", rng.integers(1, 400, size=n).astype(str).astype(object))],
            [0.4, 0.35, 0.25],
        )
        street = np.array([f"{t} {s}".strip() for t, s in zip(self.choose(d["street_types"]), self.choose(d["streets"]))], dtype=object)
        district = np.array([p["districts"][i % len(p["districts"])] for p, i in zip(np.array(d["places"], dtype=object)[self.place], rng.integers(0, 1000, size=n))], dtype=object)
        province = self.place_field("province")
        ward = self.choose(d["wards"])
        full = _join(house, " ", street, ", ", ward, ", ", district, ", ", province)
        two_tier = _join(house, " ", street, ", ", ward, ", ", province)
        address = np.where(rng.random(n) < 0.2, two_tier, full)
        short = np.array([a.replace("Phường ", "P. ").replace("Quận ", "Q. ").replace("Huyện ", "H. ") for a in address], dtype=object)
        return {"street_address": np.where(rng.random(n) < 0.25, short, address), "district": district, "province": province}

    def postal_codes(self) -> np.ndarray:
        """Five-digit codes of the 2018 scheme by province, a quarter in the former six-digit scheme."""
        five = np.array([p + d[: 5 - len(p)] for p, d in zip(self.place_field("post5"), self.digits(5))], dtype=object)
        six = np.array([p + d[: 6 - len(p)] for p, d in zip(self.place_field("post6"), self.digits(6))], dtype=object)
        return np.where(self.rng.random(self.n) < 0.75, five, six)

    def identity_numbers(self, rows: np.ndarray, birth_year: np.ndarray, female: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """CCCD (birth province: the home province seven times in ten) or, 15 %, a CMND; and which are CMND."""
        k = len(rows)
        codes = np.array([p["cccd"] for p in self.data["places"]], dtype=object)
        home = self.place_field("cccd", rows)
        province = np.where(self.rng.random(k) < 0.7, home, codes[self.rng.integers(0, len(codes), size=k)])
        cmnd = self.rng.random(k) < 0.15
        return np.where(cmnd, ids.vn_cmnd(self.rng, k), ids.vn_cccd(self.rng, province, birth_year, female)).astype(object), cmnd

    def cards(self, n: int) -> np.ndarray:
        return np.where(self.rng.random(n) < 0.6, ids.bin_cards(self.rng, self.data["card_bins"], n), ids.card_numbers(self.rng, n)).astype(object)

    def columns(self) -> dict[str, np.ndarray]:
        n, rng, d = self.n, self.rng, self.data
        female, last, middle, first = self.names()
        dob, age = self.dates_of_birth()
        birth_year = dob.astype("datetime64[Y]").astype(int) + 1970
        cols = {
            "customer_id": np.arange(1, n + 1).astype(str).astype(object),
            "last_name": last,
            "first_name": first,
            "full_name": _join(last, " ", middle, " ", first),
            "gender": self.blank(np.where(female, d["genders"]["female"], d["genders"]["male"]).astype(object), 0.03),
            "date_of_birth": self.day_month_year(dob),
            "age": age.astype(str).astype(object),
            "email": self.emails(_join(middle, first), last, vietnamese_slug),
        }
        common = self.common_columns(n)
        cols.update({k: common[k] for k in ("username", "password", "password_hash")})
        cols.update(home_phone=self.blank(self.phones("landline"), 0.3), mobile_phone=self.phones("mobile"))
        cols.update(self.addresses())
        cols.update(
            postal_code=self.postal_codes(),
            national_id=self.blank(self.identity_numbers(np.arange(n), birth_year, female)[0], 0.08),
            occupation=self.blank(self.pick("job"), 0.10),
            company=self.blank(self.pick("company"), 0.15),
            card_number=self.blank(self.cards(n), 0.10),
            bank_account=self.blank(ids.account_numbers(rng, n), 0.2),
        )
        cols.update({k: common[k] for k in ("ip_address", "order_number", "order_total", "currency", "sku")})
        cols.update(last_order_date=self.day_month_year(self.recent_days(n)), created_at=common["created_at"])
        dong = np.round(rng.lognormal(np.log(450_000), 1.0, size=n) / 1000).astype(np.int64) * 1000
        amounts = np.array([f"{a:,}".replace(",", ".") + u for a, u in zip(dong, self.choose(["đ", " VND", "₫", " đồng"]))], dtype=object)
        cols["notes"] = self.blank(self.notes(amounts, self.day_month_year(self.recent_days(n), 1.0)), 0.4)
        return cols

    def leak_names(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        d = self.data
        return self.choose(d["given_names"]["female"], len(rows)), self.choose(list(d["family_names"]), len(rows))

    def leak_values(self, entity: str, rows: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """Values planted in the notes, and how each is written (the truth's ``form``)."""
        k = len(rows)
        if entity == "EMAIL_ADDRESS":
            return self.emails_of(rows)
        if entity == "NATIONAL_ID":
            years = self.rng.integers(1950, 2007, size=k)
            values, cmnd = self.identity_numbers(rows, years, self.rng.random(k) < 0.5)
            return values, ["CMND 9 digits" if c else "CCCD 12 digits" for c in cmnd]
        if entity == "CREDIT_CARD":
            values = self.cards(k)
            return values, [f"{'NAPAS' if v.startswith('9704') else 'international'} {'grouped' if (' ' in v or '-' in v) else 'plain'}" for v in values]
        kinds = np.where(self.rng.random(k) < 0.7, "mobile", "landline")
        values = np.where(kinds == "mobile", self.phones("mobile", rows), self.phones("landline", rows))
        return values, [f"VN {kind} {'international' if v.startswith('+') else 'national'}" for kind, v in zip(kinds, values)]


#: locale -> table class
TABLES = {"fa": PersianTable, "vi": VietnameseTable}
