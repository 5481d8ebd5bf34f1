"""Persian and Vietnamese detection: normalisation, validators, column names, name lists, and whole tables."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import jdatetime
import polars as pl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from recognizer_verdicts import SCAN_DATE, judge
from synthetic_tables import stream_of

from governance.masking import mask
from governance.scan.ages import DateStats
from governance.scan.column_names import hint_for, tokenize
from governance.scan.engine import TableScanner
from governance.scan.jalali import MONTHS, jalali_dates, jalali_to_gregorian
from governance.scan.normalize import fold_diacritics, normalize_series, normalize_text
from governance.scan.options import ScanOptions
from governance.scan.recognizers import recognizers
from governance.scan.recognizers.demographics import GenderRecognizer, OccupationRecognizer
from governance.scan.recognizers.financial import CreditCardRecognizer, IbanRecognizer
from governance.scan.recognizers.iran import (
    IranAddressRecognizer,
    IranIbanRecognizer,
    IranNationalIdRecognizer,
    IranPhoneRecognizer,
    IranPostalCodeRecognizer,
    PersianNameRecognizer,
    melli_is_valid,
)
from governance.scan.recognizers.vietnam import (
    VietnamAddressRecognizer,
    VietnameseNameRecognizer,
    VietnamIdCardRecognizer,
    VietnamPhoneRecognizer,
)

HERE = Path(__file__).resolve().parent / "fixtures" / "detection_fa_vi"
#: Value-level precision the name lists must keep on names.txt + non_names.txt.
NAME_PRECISION = 0.95


def lines(name: str) -> list[str]:
    text = (HERE / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


# -- normalisation ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("۰۹۱۲۳۴۵۶۷۸۹", "09123456789"),  # Persian digits
        ("٠٩١٢٣٤٥٦٧٨٩", "09123456789"),  # Arabic-Indic digits
        ("علي", "علی"),  # Arabic yeh
        ("كد ملي", "کد ملی"),  # Arabic kaf
        ("کد\u200cملی", "کد ملی"),  # zero-width non-joiner
        ("\u200fتهران\u200e", "تهران"),  # direction marks
        (unicodedata.normalize("NFD", "Nguyễn Thị Hương"), "Nguyễn Thị Hương"),
        ("plain ASCII 123", "plain ASCII 123"),
    ],
)
def test_normalize_text_and_series(raw, expected):
    assert normalize_text(raw) == expected
    assert normalize_series(pl.Series([raw, None])).to_list() == [expected, None]


def test_ascii_batches_are_returned_untouched():
    values = pl.Series(["jane@example.com", "555-0100", None])
    assert normalize_series(values) is values


def test_one_for_one_mappings_keep_positions():
    raw = "تماس: ۰۹۱۲۱۲۳۴۵۶۷ كد‌ملي"
    assert len(normalize_text(raw)) == len(raw)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [("Số điện thoại", "So dien thoai"), ("Đà Nẵng", "Da Nang"), ("مُحَمَّد", "محمد"), ("نامـــ", "نام")],
)
def test_fold_diacritics(raw, folded):
    assert fold_diacritics(raw) == folded


def test_masking_hides_persian_and_vietnamese_originals():
    assert mask("۰۹۱۲۱۲۳۴۵۶۷", "PHONE_NUMBER") == "*******۴۵۶۷"
    assert mask("نگار احمدی", "PERSON") == "ن*** ***"
    assert mask("Nguyễn Văn An", "PERSON") == "N*** *** ***"


# -- Iranian national ID -----------------------------------------------------------------


def melli_check(body: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11
    return remainder if remainder < 2 else 11 - remainder


@pytest.mark.parametrize("code", ["0499370899", "0790419904", "0084575948", "1111111111", "0000000000", "0013542419"])
def test_melli_examples(code):
    body = code[:9]
    expected = len(set(code)) > 1 and body[3:] != "000000" and int(code[9]) == melli_check(body)
    assert melli_is_valid(code) is expected


@given(st.text("0123456789", min_size=9, max_size=9))
def test_melli_exactly_one_check_digit(body):
    valid = [d for d in "0123456789" if melli_is_valid(body + d)]
    if len(set(body)) == 1 or body[3:9] == "000000":
        assert len(valid) <= 1
    else:
        assert valid == [str(melli_check(body))] if melli_check(body) < 10 else valid == []


def test_melli_without_leading_zeros():
    assert melli_is_valid("0084575948") and melli_is_valid("84575948")


def test_melli_column_needs_no_name_but_random_digits_do_not_pass():
    good = ["0499370899", "0790419904", "0084575948", "4608968882", "1270196231"] * 10
    assert judge(IranNationalIdRecognizer(), good).entity == "NATIONAL_ID"
    random_ten = [f"{n:010d}" for n in range(3_120_000_101, 3_120_000_151)]  # one in eleven passes
    assert judge(IranNationalIdRecognizer(), random_ten) is None


def test_melli_in_free_text_needs_its_name():
    recognizer = IranNationalIdRecognizer()
    assert [f for *_, f in recognizer.find("کد ملی: ۰۴۹۹۳۷۰۸۹۹ ثبت شد".translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")))] == ["0499370899"]
    assert recognizer.find("order 0499370899 shipped") == []


# -- phones ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recognizer", "number", "valid"),
    [
        (IranPhoneRecognizer(), "09121234567", True),
        (IranPhoneRecognizer(), "+98 912 123 4567", True),
        (IranPhoneRecognizer(), "0098 935 016 6131", True),
        (IranPhoneRecognizer(), "021-88812345", True),
        (IranPhoneRecognizer(), "09601234567", False),
        (IranPhoneRecognizer(), "0912123456", False),
        (VietnamPhoneRecognizer(), "0912345678", True),
        (VietnamPhoneRecognizer(), "+84 912 345 678", True),
        (VietnamPhoneRecognizer(), "0326.123.456", True),
        (VietnamPhoneRecognizer(), "(028) 38123456", True),
        (VietnamPhoneRecognizer(), "0123456789", False),  # 012x prefixes were retired in 2018
        (VietnamPhoneRecognizer(), "091234567", False),
    ],
)
def test_phone_validation(recognizer, number, valid):
    assert recognizer.accept(number) is valid


def test_phone_columns_without_names():
    iran = ["09121234567", "09351234567", "+98 912 765 4321", "۰۹۱۹۸۸۸۷۷۶۶", "021-88812345"] * 8
    viet = ["0912345678", "+84 983 123 456", "0326.123.456", "0708 123 456", "(024) 38123456"] * 8
    assert judge(IranPhoneRecognizer(), iran).entity == "PHONE_NUMBER"
    assert judge(VietnamPhoneRecognizer(), viet).entity == "PHONE_NUMBER"


# -- cards, IBANs, postal codes ----------------------------------------------------------------


@pytest.mark.parametrize("card", ["6037991234567892", "6219861034567891", "5892101234567894", "6104337654321096"])
def test_iranian_bank_cards_pass_the_card_recognizer(card):
    from stdnum import luhn

    number = card[:15] + luhn.calc_check_digit(card[:15])
    assert CreditCardRecognizer().accept(number)
    assert not CreditCardRecognizer().accept(number[:15] + str((int(number[15]) + 1) % 10))


def test_iranian_iban_needs_its_own_recognizer():
    iban = "IR820540102680020817909002"
    assert not IbanRecognizer().accept(iban)  # python-stdnum does not know Iran's format
    assert IranIbanRecognizer().accept(iban)
    assert IranIbanRecognizer().accept("IR82 0540 1026 8002 0817 9090 02")
    assert not IranIbanRecognizer().accept("IR830540102680020817909002")


def test_iranian_postal_codes_by_name_or_by_the_digit_rule():
    codes = ["1193653471", "7134845116", "8915813564", "3319118831", "1591634311"] * 6
    assert judge(IranPostalCodeRecognizer(), codes, "کد پستی").entity == "POSTAL_CODE"
    assert judge(IranPostalCodeRecognizer(), codes).entity == "POSTAL_CODE"  # every value follows the rule
    mixed = codes[:24] + ["1234567890", "2093311200", "0912345678"] * 2  # one in five breaks it
    assert judge(IranPostalCodeRecognizer(), mixed) is None
    assert judge(IranPostalCodeRecognizer(), mixed, "کد پستی").entity == "POSTAL_CODE"
    assert not IranPostalCodeRecognizer().accept("1234567890")  # a 2: never in an Iranian postal code


# -- Vietnamese identity cards -----------------------------------------------------------------


def test_cccd_needs_a_name():
    cccd = ["001203004512", "079185012345", "036098001234", "048301009876", "092199004321"] * 8
    assert judge(VietnamIdCardRecognizer(), cccd) is None
    assert all(v is None or v.entity != "NATIONAL_ID" for r in recognizers() for v in [judge(r, cccd)])
    assert judge(VietnamIdCardRecognizer(), cccd, "Số CCCD").entity == "NATIONAL_ID"
    assert judge(VietnamIdCardRecognizer(), ["162401202", "220441038", "025123456"] * 10, "so_cmnd").entity == (
        "NATIONAL_ID"
    )


def test_cccd_in_free_text_after_its_name():
    found = VietnamIdCardRecognizer().find("Khách hàng cung cấp CCCD 079185012345 để xác minh.")
    assert [f for *_, f in found] == ["079185012345"]
    assert VietnamIdCardRecognizer().find("Mã đơn hàng 079185012345") == []


# -- Jalali dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jalali", "gregorian"),
    [
        ((1403, 1, 1), date(2024, 3, 20)),  # Nowruz 1403
        ((1403, 12, 30), date(2025, 3, 20)),  # 1403 is a leap year
        ((1404, 1, 1), date(2025, 3, 21)),
        ((1357, 11, 22), date(1979, 2, 11)),
        ((1370, 2, 31), date(1991, 5, 21)),
    ],
)
def test_jalali_known_dates(jalali, gregorian):
    assert jalali_to_gregorian(*jalali) == gregorian


@pytest.mark.parametrize("bad", ["1404/12/30", "1400/13/01", "1400/07/31", "1400/00/10"])
def test_jalali_impossible_dates_are_null(bad):
    assert jalali_dates(pl.Series([bad])).to_list() == [None]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2080, 12, 31)))
def test_jalali_round_trip(day):
    j = jdatetime.date.fromgregorian(date=day)
    assert jalali_to_gregorian(j.year, j.month, j.day) == day
    assert jalali_dates(pl.Series([f"{j.year}-{j.month:02d}-{j.day:02d}"])).to_list() == [day]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2080, 12, 31)), st.booleans())
def test_jalali_dates_with_month_names(day, persian_digits):
    j = jdatetime.date.fromgregorian(date=day)
    month = list(MONTHS)[[*MONTHS.values()].index(j.month)]
    written = f"{j.day} {month} {j.year}"
    if persian_digits:
        written = written.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert jalali_dates(normalize_series(pl.Series([written]))).to_list() == [day]


@pytest.mark.parametrize("bad", ["31 مهر 1400", "30 اسفند 1400", "12 فروردین 99", "12 April 1370", "فروردین 1370"])
def test_jalali_impossible_or_partial_named_dates_are_null(bad):
    assert jalali_dates(pl.Series([bad])).to_list() == [None]


def test_jalali_named_birth_dates_give_age_facts():
    stats = DateStats()
    born = ["۱ خرداد ۱۳۹۵", "12 امرداد 1370", "2 بهمن 1340", "15 فروردین 1401"]  # 2016, 1991, 1962, 2022
    stats.add(normalize_series(pl.Series(born)), SCAN_DATE)
    assert (stats.plausible, stats.under_13, stats.under_16) == (4, 2, 2)


def test_jalali_birth_dates_give_age_facts():
    stats = DateStats()
    born = ["1395/03/01", "1370/05/12", "1340/11/02", "1401/01/15"]  # 2016, 1991, 1962, 2022
    stats.add(pl.Series(born), SCAN_DATE)
    assert (stats.plausible, stats.under_13, stats.under_16) == (4, 2, 2)
    assert sorted(stats.years.elements()) == [1962, 1991, 2016, 2022]


# -- column names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "entity"),
    [
        ("نام", "FIRST_NAME"),
        ("نام خانوادگی", "LAST_NAME"),
        ("نام\u200cخانوادگی", "LAST_NAME"),
        ("نام و نام خانوادگی", "PERSON"),
        ("كد ملي", "NATIONAL_ID"),
        ("کدملی", "NATIONAL_ID"),
        ("تلفن همراه", "PHONE_NUMBER"),
        ("تاریخ تولد", "DATE_OF_BIRTH"),
        ("نشانی", "STREET_ADDRESS"),
        ("کد پستی", "POSTAL_CODE"),
        ("ایمیل", "EMAIL_ADDRESS"),
        ("شماره کارت", "CREDIT_CARD"),
        ("شماره شبا", "IBAN_CODE"),
        ("جنسیت", "GENDER"),
        ("تاریخ سفارش", "NONE"),
        ("نام محصول", "NONE"),
        ("Họ tên", "PERSON"),
        ("ho_va_ten", "PERSON"),
        ("Họ", "LAST_NAME"),
        ("Tên", "FIRST_NAME"),
        ("Số điện thoại", "PHONE_NUMBER"),
        ("soDienThoai", "PHONE_NUMBER"),
        ("SĐT", "PHONE_NUMBER"),
        ("Ngày sinh", "DATE_OF_BIRTH"),
        ("ngay_sinh", "DATE_OF_BIRTH"),
        ("Địa chỉ", "STREET_ADDRESS"),
        ("dia_chi_email", "EMAIL_ADDRESS"),
        ("CCCD", "NATIONAL_ID"),
        ("so_cmnd", "NATIONAL_ID"),
        ("Giới tính", "GENDER"),
        ("Nghề nghiệp", "OCCUPATION"),
        ("Mã bưu chính", "POSTAL_CODE"),
        ("Tên sản phẩm", "NONE"),
        (unicodedata.normalize("NFD", "Số điện thoại"), "PHONE_NUMBER"),
    ],
)
def test_persian_and_vietnamese_column_names(name, entity):
    hint = hint_for(name)
    assert hint is not None and hint.entity == entity


def test_tokenize_non_latin():
    assert tokenize("Ngày_sinh2") == ("ngay", "sinh")
    assert tokenize("كد‌ملي") == ("کد", "ملی")


# -- vocabularies and addresses -----------------------------------------------------------------------


def test_gender_and_occupation_values():
    assert judge(GenderRecognizer(), ["مرد", "زن", "زن", "مرد"] * 10).entity == "GENDER"
    assert judge(GenderRecognizer(), ["Nam", "Nữ", "nữ", "Nam"] * 10).entity == "GENDER"
    jobs = ["مهندس", "معلم", "پزشک", "برنامه\u200cنویس", "Kỹ sư", "Giáo viên", "Bác sĩ", "Nhân viên văn phòng"] * 5
    assert judge(OccupationRecognizer(), jobs).entity == "OCCUPATION"


@pytest.mark.parametrize(
    "address",
    [
        "Số 12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
        "45/7 Nguyễn Trãi, P. 2, Q. 5, TP. HCM",
        "Thon 3, Xa Tan Lap, Huyen Dan Phuong, Ha Noi",
        "Số 692 Hẻm 59 Đường Nguyễn Tất Thành xã Hòa Bình Vĩnh Long",
        unicodedata.normalize("NFD", "Ngõ 4 phố Huế, phường Phạm Đình Hổ, quận Hai Bà Trưng, Hà Nội"),
    ],
)
def test_vietnamese_addresses(address):
    assert judge(VietnamAddressRecognizer(), [address] * 30).entity == "STREET_ADDRESS"


@pytest.mark.parametrize(
    "address", ["تهران، خیابان ولیعصر، کوچه ۱۲، پلاک ۵", "اصفهان، بلوار کشاورز، پلاک 40، واحد 3", "تهران، میدان انقلاب، ساختمان ۱۲", "2046 بهمنی خیابان"]
)
def test_persian_addresses(address):
    assert judge(IranAddressRecognizer(), [address] * 30).entity == "STREET_ADDRESS"


@pytest.mark.parametrize("recognizer", [VietnamAddressRecognizer(), IranAddressRecognizer()])
def test_addresses_not_found_in_non_address_text(recognizer):
    assert judge(recognizer, lines("non_names.txt")) is None


# -- person names without a model --------------------------------------------------------------------


def name_flags(values: list[str]) -> list[bool]:
    series = normalize_series(pl.Series(values))
    flags = pl.Series([False] * len(values))
    for recognizer in (VietnameseNameRecognizer(), PersianNameRecognizer()):
        shaped, listed = recognizer._regexes
        flags = flags | (series.str.contains(shaped) & series.str.contains(listed))
    return flags.to_list()


def test_name_list_precision_and_recall():
    """Value-level precision of the name lists on written names and on text that names nobody."""
    names, others = lines("names.txt"), lines("non_names.txt")
    true_positive = sum(name_flags(names))
    false_positive = sum(name_flags(others))
    precision = true_positive / (true_positive + false_positive)
    assert precision >= NAME_PRECISION, [v for v, f in zip(others, name_flags(others)) if f]
    assert true_positive / len(names) >= 0.9


@pytest.mark.parametrize(
    ("recognizer", "values", "entity"),
    [
        (VietnameseNameRecognizer(), ["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh", "Chị Thu Phạm"] * 10, "PERSON"),
        (VietnameseNameRecognizer(), ["Nguyễn", "Trần", "Lê", "Phạm", "Đỗ"] * 8, "LAST_NAME"),
        (VietnameseNameRecognizer(), ["Lan", "Hương", "Minh", "Tuấn", "Thảo", "Dũng", "Ngọc", "Hùng", "Trang", "Nam", "Linh", "Quang"] * 4, "FIRST_NAME"),
        (VietnameseNameRecognizer(), ["Hoàng", "Vũ", "Dương", "Minh", "Tuấn", "Thảo", "Dũng", "Ngọc", "Hùng", "Trang", "Nam", "Linh"] * 4, "FIRST_NAME"),
        (PersianNameRecognizer(), ["علی رضایی", "زهرا کریمی", "محمدرضا احمدی", "سید حسین موسوی"] * 10, "PERSON"),
        (PersianNameRecognizer(), ["علی", "زهرا", "محمد", "مریم", "رضا"] * 8, "FIRST_NAME"),
    ],
)
def test_name_columns_without_names_or_ner(recognizer, values, entity):
    assert judge(recognizer, values).entity == entity


@pytest.mark.parametrize("recognizer", [VietnameseNameRecognizer(), PersianNameRecognizer()])
def test_non_name_columns_are_not_names(recognizer):
    others = lines("non_names.txt")
    assert judge(recognizer, others) is None
    assert judge(recognizer, others, "tên sản phẩm") is None


@pytest.mark.parametrize(
    "values",
    [
        ["Hoa", "Lan", "Mai", "Cúc", "Huệ", "Sen", "Đào"] * 6,  # flowers: given names too, but only a handful
        ["Xuân", "Hạ", "Thu", "Đông"] * 10,  # seasons
        ["Đỏ", "Xanh", "Vàng", "Trắng", "Đen", "Hồng", "Tím", "Nâu", "Cam", "Xám"] * 4,  # colours
        ["Áo", "Quần", "Giày", "Túi", "Mũ", "Váy", "Dép", "Sách", "Bút", "Kính", "Ví", "Nhẫn", "Khăn"] * 3,  # goods
    ],
)
def test_vietnamese_word_columns_are_not_given_names(values):
    assert judge(VietnameseNameRecognizer(), values) is None


#: Iranian family names, written here (not from a generator): most end in -ی, -یان, -پور, -زاده, -نژاد, -فر, -راد.
PERSIAN_FAMILY_NAMES = [
    "احمدی", "محمدی", "حسینی", "رضایی", "موسوی", "کریمی", "جعفری", "رحیمی", "هاشمی", "صادقی", "قاسمی", "کاظمی",
    "ابراهیمی", "اکبری", "حیدری", "نوری", "طاهری", "عباسی", "مرادی", "سلیمانی", "زارعی", "یوسفی", "رستمی",
    "امیری", "شریفی", "نجفی", "باقری", "تهرانی", "شیرازی", "اصفهانی", "ملکیان", "توکلیان", "علی پور", "حسن زاده",
    "رضازاده", "قلی پور", "کیانی نژاد", "دادفر", "مهرراد", "نیکوکار", "صالح", "کامران",
]  # fmt: skip


def test_persian_family_name_columns_by_their_endings():
    assert judge(PersianNameRecognizer(), PERSIAN_FAMILY_NAMES * 3).entity == "LAST_NAME"
    assert judge(PersianNameRecognizer(), ["علی", "زهرا", "محمد", "مریم", "رضا", "مهدی", "مرتضی"] * 6).entity == "FIRST_NAME"


@pytest.mark.parametrize(
    "values",
    [
        ["آرایشی", "بهداشتی", "ورزشی", "الکترونیکی", "خانگی", "خوراکی", "اداری", "تزئینی", "باغبانی", "آموزشی",
         "فرهنگی", "هنری", "صنعتی", "کشاورزی", "پزشکی", "مالی", "حقوقی", "فنی", "تجاری", "خدماتی"] * 3,  # categories
        ["آبی", "قرمز", "سبز", "زرد", "مشکی", "سفید", "نارنجی", "صورتی", "طوسی", "بنفش", "کرم", "نقره‌ای"] * 4,  # colours
    ],
)  # fmt: skip
def test_persian_word_columns_are_not_family_names(values):
    assert judge(PersianNameRecognizer(), values) is None


def test_persian_family_name_endings_on_an_independent_list():
    """Share of Faker's fa_IR family names (written apart from ours) with a listed ending."""
    provider = pytest.importorskip("faker.providers.person.fa_IR").Provider
    ending = re.compile(PersianNameRecognizer().single_rules["endings:LAST_NAME"].regex)
    names = [normalize_text(n) for n in provider.last_names]
    assert sum(bool(ending.match(n)) for n in names) >= 0.75 * len(names)


def test_vietnamese_given_name_list_covers_an_independent_list():
    """Recall of the given-name list on Faker's vi_VN first names (written apart from ours)."""
    provider = pytest.importorskip("faker.providers.person.vi_VN").Provider
    given = set(provider.first_names_female) | set(provider.first_names_male)
    single = re.compile(VietnameseNameRecognizer().single_rules["names:FIRST_NAME"].regex)
    found = {n for n in given if single.match(normalize_text(n))}
    assert len(found) >= 0.9 * len(given), sorted(given - found)


def test_names_in_free_text_need_context():
    vi, fa = VietnameseNameRecognizer(), PersianNameRecognizer()
    assert [f for *_, f in vi.find("Gọi lại cho chị Vũ Thị Hương vào buổi chiều.")] == ["Vũ Thị Hương"]
    assert vi.find("Giao hàng tại Hồ Gươm vào buổi chiều.") == []
    assert [f for *_, f in fa.find("آقای علی رضایی برای پیگیری تماس گرفت.")] == ["علی رضایی"]
    assert fa.find("علی رضایی") == []


# -- whole tables through the engine ------------------------------------------------------------------


def scan(frame: pl.DataFrame):
    return TableScanner(ScanOptions(scan_date=SCAN_DATE, ner=False)).scan(stream_of(frame, batch_size=50_000))


TABLES = ["customers_fa", "customers_vi"]


@pytest.fixture(scope="module", params=[(t, mode) for t in TABLES for mode in ("named", "neutral")], ids=str)
def scanned(request):
    table, mode = request.param
    frame = pl.read_csv(HERE / f"{table}.csv", infer_schema=False)
    expected = yaml.safe_load((HERE / f"{table}.expected.yaml").read_text(encoding="utf-8"))
    names = {c: (f"c{i + 1:02d}" if mode == "neutral" else c) for i, c in enumerate(frame.columns)}
    return frame, scan(frame.rename(names)), names, expected, mode


def test_table_column_verdicts(scanned):
    _, outcome, names, expected, mode = scanned
    found = {f.column: f.entity for f in outcome.findings if f.kind == "column"}
    got = {column: found.get(names[column]) for column in expected["columns"]}
    assert got == {column: answer[mode] for column, answer in expected["columns"].items()}


def test_table_leaks(scanned):
    _, outcome, names, expected, _ = scanned
    for column, entities in expected["leaks"].items():
        leaks = {f.entity for f in outcome.findings if f.kind == "leak" and f.column == names[column]}
        assert leaks == set(entities), column


def test_table_examples_are_masked(scanned):
    frame, outcome, names, _, _ = scanned
    back = {v: k for k, v in names.items()}
    for finding in outcome.findings:
        raw = {normalize_text(v) for v in frame[back[finding.column]].drop_nulls().to_list()} | set(
            frame[back[finding.column]].drop_nulls().to_list()
        )
        assert not raw & set(finding.examples), finding.column


def test_jalali_birth_column_age_facts(scanned):
    frame, outcome, names, _, _ = scanned
    if "تاریخ تولد" not in names:
        pytest.skip("Persian table only")
    finding = next(f for f in outcome.findings if f.column == names["تاریخ تولد"])
    births = [
        jdatetime.date(*map(int, normalize_text(v).split("/"))).togregorian() for v in frame["تاریخ تولد"].to_list()
    ]
    sixteen = SCAN_DATE.replace(year=SCAN_DATE.year - 16)
    assert finding.age_facts.valid_dates == len(births)
    assert finding.age_facts.under_16 == sum(b > sixteen for b in births)
