"""Persian and Vietnamese columns judged by their words: provinces and towns, Vietnamese districts,
companies and occupations, NAPAS cards, long address columns, and code melli after ``هویت``."""

from __future__ import annotations

import polars as pl
import pytest
from recognizer_verdicts import judge
from stdnum import luhn

from governance.scan.column_names import hint_for
from governance.scan.engine import addresses
from governance.scan.normalize import normalize_series
from governance.scan.recognizers.demographics import OccupationRecognizer, OrganizationRecognizer
from governance.scan.recognizers.financial import CreditCardRecognizer
from governance.scan.recognizers.iran import IranNationalIdRecognizer, IranPhoneRecognizer
from governance.scan.recognizers.places import ListedPlaceRecognizer
from governance.scan.recognizers.vietnam import VietnamDistrictRecognizer, VietnameseNameRecognizer
from governance.scan.recognizers.vocabulary import vocabularies

IR_PROVINCES = ["تهران", "فارس", "خراسان رضوی", "اصفهان", "آذربایجان شرقی", "خوزستان", "گیلان", "البرز"]
IR_CITIES = ["تهران", "شیراز", "مشهد", "اصفهان", "تبریز", "اهواز", "رشت", "کرج", "خرم‌آباد"]
VN_PROVINCES = ["Hà Nội", "TP. Hồ Chí Minh", "Đà Nẵng", "Tỉnh Nghệ An", "Thanh Hoá", "Khanh Hoa", "Huế", "Bình Dương"]


def test_place_lists_are_complete_and_unique():
    places = vocabularies()["places"]
    assert len(places["IR"]["states"]) == len(set(places["IR"]["states"])) == 31
    assert len(set(places["IR"]["cities"])) == len(places["IR"]["cities"])
    assert {"Huế", "Hà Nội", "Hồ Chí Minh", "Yên Bái", "Hà Giang"} <= set(places["VN"]["states"])  # new and merged


@pytest.mark.parametrize(
    ("values", "column", "entity"),
    [
        (IR_PROVINCES * 5, "c01", "STATE"),
        (IR_CITIES * 5, "c01", "CITY"),  # many provinces share their capital's name: more values are towns
        (["تهران", "اصفهان", "قم"] * 10, "استان", "STATE"),  # names both: the column name decides
        (["تهران", "اصفهان", "قم"] * 10, "شهر", "CITY"),
        (VN_PROVINCES * 5, "c01", "STATE"),
        (VN_PROVINCES * 5, "tỉnh/thành phố", "STATE"),
    ],
)
def test_listed_places(values, column, entity):
    assert judge(ListedPlaceRecognizer(), values, column).entity == entity


def test_unlisted_words_are_not_places():
    assert judge(ListedPlaceRecognizer(), ["کتاب", "میز", "تهران", "قلم", "دفتر"] * 6) is None
    assert judge(ListedPlaceRecognizer(), IR_PROVINCES * 5, "وضعیت") is None  # named as not personal


def test_vietnamese_districts():
    districts = ["Quận 1", "Quận Bình Thạnh", "Huyện Gia Lâm", "TP. Thủ Đức", "Thị xã Cửa Lò", "Q. Hải An"] * 5
    assert judge(VietnamDistrictRecognizer(), districts).entity == "LOCATION"
    assert hint_for("quận/huyện").entity == "LOCATION" and hint_for("tỉnh/thành phố").entity == "STATE"
    assert judge(VietnamDistrictRecognizer(), ["Quận trưởng họp", "Giao hàng nhanh", "Hà Nội"] * 10) is None


@pytest.mark.parametrize(
    "companies",
    [
        ["Công ty TNHH Minh Phát", "Nguyễn và đối tác Tập Đoàn", "Doanh nghiệp tư nhân Hòa Bình", "Công ty Cổ phần Sao Mai"],
        ["شرکت صنایع غذایی نوین", "گروه صنعتی پارس", "بانک ملت", "بازرگانی آریا", "سیمان تهران"],
    ],
)
def test_persian_and_vietnamese_companies(companies):
    assert judge(OrganizationRecognizer(), companies * 6).entity == "ORGANIZATION"


def test_company_words_stand_as_words():
    assert judge(OrganizationRecognizer(), ["شرکتی نیست", "گروهبان", "بانکداری"] * 10) is None


def test_persian_occupations_by_agentive_endings():
    jobs = ["جوشکار", "آهنگر", "ساعت‌ساز", "نگهبان", "مغازه‌دار", "روزنامه‌نگار", "معلم", "خیاط"]
    assert judge(OccupationRecognizer(), jobs * 5).entity == "OCCUPATION"


# NAPAS test cards published for VNPay's sandbox (NCB bank, 16 and 19 digits): all pass Luhn.
NAPAS = ["9704198526191432198", "9704192181368742", "9704193370791314", "9704194841945513"]


def test_napas_cards_are_luhn_valid_and_accepted():
    assert all(luhn.is_valid(n) for n in NAPAS)
    card = CreditCardRecognizer()
    assert all(card.accept(n) for n in NAPAS)
    assert not card.accept("9704192181368743")  # check digit off by one
    assert not card.accept("97041921813687421")  # 17 digits: not a NAPAS length
    found = card.find("Hoàn tiền về thẻ 9704-1921-8136-8742 hôm qua.")
    assert [f[2] for f in found] == ["9704-1921-8136-8742"]


@pytest.mark.parametrize("code", ["052-990381-4", "0084575948", "۰۰۸۴۵۷۵۹۴۸"])
def test_code_melli_after_identity_words(code):
    text = normalize_series(pl.Series([f"هویت تأیید شد: {code}."])).item()
    assert [f[2] for f in IranNationalIdRecognizer().find(text)] == [normalize_series(pl.Series([code])).item()]
    assert not IranNationalIdRecognizer().find(f"سفارش تأیید شد: {normalize_series(pl.Series([code])).item()}.")
    assert IranPhoneRecognizer().find(text) == [] or code == "0084575948"  # a 00… code melli may read as a phone


def test_long_address_columns_are_not_free_text():
    vi = ["Số 286 Phố Lạc Long Quân, Xã Quảng Thành, Quận Thanh Xuân, Hà Nội"] * 3
    fa = ["خیابان ظفر، بن‌بست پنجم، پلاک 105، واحد 9"] * 3
    assert addresses(normalize_series(pl.Series(vi)).to_list()) and addresses(normalize_series(pl.Series(fa)).to_list())
    assert not addresses(["Gọi lại lúc 14:00 không ai nghe máy, sẽ gọi lại vào ngày mai."] * 3)


def test_repeated_family_names_still_count():
    names = ["Nguyễn"] * 40 + ["Trần"] * 12 + ["Lê"] * 10 + ["Phạm"] * 8 + ["Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"] * 3
    names *= 40  # 4,240 values, 16 distinct: a ratio under 2 %
    assert judge(VietnameseNameRecognizer(), names).entity == "LAST_NAME"
    assert judge(VietnameseNameRecognizer(), ["Nguyễn", "Trần", "Lê"] * 1000) is None  # three words: a category
