"""Checksum-valid identifiers, generated vectorised with numpy (a million in about a second).

Every function takes a ``numpy.random.Generator`` and a count and returns a numpy
array of ``str``. Check digits follow the real schemes (Luhn, ISO 7064 mod 97-10,
mod 11-10, the Dutch 11-proof, the Spanish DNI letter, the French NIR key), so
``python-stdnum`` validates them; the benchmark's tests check samples against it.
"""

from __future__ import annotations

import numpy as np

DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
UPPER = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
BCRYPT_ALPHABET = np.frombuffer(b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
#: bcrypt's 22nd salt character and 31st hash character carry 2-4 spare bits: only these four occur.
BCRYPT_LAST = np.frombuffer(b".Oeu", dtype=np.uint8)


def to_str(chars: np.ndarray) -> np.ndarray:
    """Rows of a (n, width) uint8 ASCII matrix -> array of str."""
    chars = np.ascontiguousarray(chars, dtype=np.uint8)
    width = chars.shape[1]
    return chars.view(f"S{width}").ravel().astype(f"U{width}")


def digit_chars(digits: np.ndarray) -> np.ndarray:
    """Digit matrix (0..9) -> ASCII matrix."""
    return (digits + 48).astype(np.uint8)


def grouped(chars: np.ndarray, groups: list[int], sep: str) -> np.ndarray:
    """Insert ``sep`` between groups of columns: ([3, 2, 4], '-') turns 123456789 into 123-45-6789."""
    assert sum(groups) == chars.shape[1], (groups, chars.shape)
    parts, start = [], 0
    sep_col = np.full((chars.shape[0], len(sep)), np.frombuffer(sep.encode(), dtype=np.uint8), dtype=np.uint8)
    for i, size in enumerate(groups):
        if i:
            parts.append(sep_col)
        parts.append(chars[:, start : start + size])
        start += size
    return np.hstack(parts)


def mixed(rng: np.random.Generator, choices: list[np.ndarray], weights: list[float]) -> np.ndarray:
    """Per row, pick one of several equally long arrays (e.g. formats of the same numbers)."""
    pick = rng.choice(len(choices), size=len(choices[0]), p=np.asarray(weights) / sum(weights))
    out = np.empty(len(choices[0]), dtype=object)
    for i, values in enumerate(choices):
        out[pick == i] = values[pick == i]
    return out


def luhn_check(payload: np.ndarray) -> np.ndarray:
    """Luhn check digit of each row of a digit matrix (the digit that will follow the payload)."""
    rev = payload[:, ::-1].astype(np.int64)
    rev[:, 0::2] *= 2
    rev[rev > 9] -= 9
    return (10 - rev.sum(axis=1) % 10) % 10


def _random_digits(rng: np.random.Generator, n: int, width: int, first_nonzero: bool = False) -> np.ndarray:
    digits = rng.integers(0, 10, size=(n, width), dtype=np.int64)
    if first_nonzero and width:
        digits[:, 0] = rng.integers(1, 10, size=n)
    return digits


def _fixed(n: int, text: str) -> np.ndarray:
    return np.tile(np.frombuffer(text.encode(), dtype=np.uint8) - 48, (n, 1)).astype(np.int64)


# --- payment cards ---------------------------------------------------------------------------

#: brand -> (prefixes, length, grouping, weight)
CARD_BRANDS = {
    "visa": (["4"], 16, [4, 4, 4, 4], 0.5),
    "mastercard": (["51", "52", "53", "54", "55", "2221", "2720"], 16, [4, 4, 4, 4], 0.3),
    "amex": (["34", "37"], 15, [4, 6, 5], 0.12),
    "discover": (["6011", "65"], 16, [4, 4, 4, 4], 0.08),
}


def _cards(rng: np.random.Generator, prefixes: list[str], length: int, groups: list[int], n: int, spaced_share: float) -> np.ndarray:
    """``n`` Luhn-valid numbers of ``length`` digits starting with one of ``prefixes``, some written in ``groups``."""
    prefix_of_row = rng.integers(0, len(prefixes), size=n)
    payload = np.empty((n, length - 1), dtype=np.int64)
    for j, prefix in enumerate(prefixes):
        mine = prefix_of_row == j
        payload[mine] = np.hstack([_fixed(int(mine.sum()), prefix), _random_digits(rng, int(mine.sum()), length - 1 - len(prefix))])
    digits = np.hstack([payload, luhn_check(payload)[:, None]])
    chars = digit_chars(digits)
    plain = to_str(chars)
    spaced = to_str(grouped(chars, groups, " "))
    dashed = to_str(grouped(chars, groups, "-"))
    return mixed(rng, [plain, spaced, dashed], [1 - spaced_share, spaced_share * 0.8, spaced_share * 0.2])


def card_numbers(rng: np.random.Generator, n: int, spaced_share: float = 0.35) -> np.ndarray:
    """Luhn-valid card numbers of the main brands; ``spaced_share`` of them written in groups."""
    brands = list(CARD_BRANDS)
    pick = rng.choice(len(brands), size=n, p=[CARD_BRANDS[b][3] for b in brands])
    out = np.empty(n, dtype=object)
    for i, brand in enumerate(brands):
        rows = np.flatnonzero(pick == i)
        if not len(rows):
            continue
        prefixes, length, groups, _ = CARD_BRANDS[brand]
        out[rows] = _cards(rng, prefixes, length, groups, len(rows), spaced_share)
    return out


def bin_cards(rng: np.random.Generator, bins: list[str], n: int, spaced_share: float = 0.5) -> np.ndarray:
    """16-digit Luhn-valid cards of the given issuer prefixes (Iranian Shetab or Vietnamese NAPAS BINs)."""
    return _cards(rng, bins, 16, [4, 4, 4, 4], n, spaced_share)


# --- IBAN ---------------------------------------------------------------------------------------

#: country -> BBAN built from parts: ("n", width) digits, ("bank", [codes]) a bank code, ("rib"|"ccc", ...) check digits.
IBAN_BBAN = {
    "DE": [("n", 8), ("n", 10)],
    "GB": [("bank", ["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA"]), ("n", 6), ("n", 8)],
    "FR": [("n", 5), ("n", 5), ("n", 11), ("rib", 2)],
    "NL": [("bank", ["ABNA", "INGB", "RABO", "TRIO", "SNSB", "ASNB", "KNAB"]), ("n", 10)],
    "ES": [("n", 4), ("n", 4), ("ccc", 2), ("n", 10)],
}


def _weighted_mod(digits: np.ndarray, weights: list[int], mod: int) -> np.ndarray:
    return (digits * np.asarray(weights, dtype=np.int64)).sum(axis=1) % mod


def _spanish_ccc(bank_branch: np.ndarray, account: np.ndarray) -> np.ndarray:
    """The two check digits of a Spanish CCC (stdnum.es.ccc)."""
    weights = [1, 2, 4, 8, 5, 10, 9, 7, 3, 6]

    def digit(values: np.ndarray) -> np.ndarray:
        check = 11 - _weighted_mod(values, weights, 11)
        return np.where(check == 11, 0, np.where(check == 10, 1, check))

    first = digit(np.hstack([np.zeros((len(bank_branch), 2), dtype=np.int64), bank_branch]))
    return np.stack([first, digit(account)], axis=1)


def _french_rib_key(bank: np.ndarray, branch: np.ndarray, account: np.ndarray) -> np.ndarray:
    def number(d: np.ndarray) -> np.ndarray:
        return (d * (10 ** np.arange(d.shape[1] - 1, -1, -1, dtype=np.int64))).sum(axis=1)

    key = 97 - (89 * number(bank) + 15 * number(branch) + 3 * number(account)) % 97
    return np.stack([key // 10, key % 10], axis=1)


def _bban(rng: np.random.Generator, country: str, n: int) -> np.ndarray:
    """ASCII matrix of the BBAN of ``n`` accounts of ``country``."""
    parts: list[np.ndarray | None] = []
    numeric: list[np.ndarray] = []
    ccc_at = None
    for kind, arg in IBAN_BBAN[country]:
        if kind == "n":
            digits = _random_digits(rng, n, arg)
            numeric.append(digits)
            parts.append(digit_chars(digits))
        elif kind == "bank":
            codes = np.array([np.frombuffer(c.encode(), dtype=np.uint8) for c in arg])
            parts.append(codes[rng.integers(0, len(arg), size=n)])
        elif kind == "rib":  # French RIB key over bank, branch and account
            parts.append(digit_chars(_french_rib_key(*numeric)))
        elif kind == "ccc":  # Spanish check digits sit between branch and account: filled in below
            ccc_at = len(parts)
            parts.append(None)
    if ccc_at is not None:
        parts[ccc_at] = digit_chars(_spanish_ccc(np.hstack(numeric[:2]), numeric[2]))
    return np.hstack(parts)


def _mod97(chars: np.ndarray) -> np.ndarray:
    """ISO 7064 mod 97-10 remainder of rows of an ASCII matrix of digits and capital letters."""
    remainder = np.zeros(chars.shape[0], dtype=np.int64)
    for col in chars.T.astype(np.int64):
        is_digit = col < 65
        remainder = np.where(is_digit, (remainder * 10 + col - 48) % 97, (remainder * 100 + col - 55) % 97)
    return remainder


def _iban_strings(rng: np.random.Generator, country: str, bban: np.ndarray, spaced_share: float) -> np.ndarray:
    """IBANs of ``country`` around the BBANs (an ASCII matrix): check digits computed, some grouped by four."""
    n = bban.shape[0]
    cc = np.tile(np.frombuffer(country.encode(), dtype=np.uint8), (n, 1))
    check = 98 - _mod97(np.hstack([bban, cc, np.full((n, 2), 48, dtype=np.uint8)]))
    chars = np.hstack([cc, digit_chars(np.stack([check // 10, check % 10], axis=1)), bban])
    width = chars.shape[1]
    groups = [4] * (width // 4) + ([width % 4] if width % 4 else [])
    return mixed(rng, [to_str(chars), to_str(grouped(chars, groups, " "))], [1 - spaced_share, spaced_share])


def ibans(rng: np.random.Generator, countries: np.ndarray, spaced_share: float = 0.4) -> np.ndarray:
    """Valid IBANs, one per entry of ``countries`` (ISO codes from :data:`IBAN_BBAN`)."""
    out = np.empty(len(countries), dtype=object)
    for country in IBAN_BBAN:
        rows = np.flatnonzero(countries == country)
        if not len(rows):
            continue
        out[rows] = _iban_strings(rng, country, _bban(rng, country, len(rows)), spaced_share)
    return out


def ir_ibans(rng: np.random.Generator, banks: list[str], n: int, spaced_share: float = 0.4) -> np.ndarray:
    """Iranian IBANs (شبا): IR, two check digits, a three-digit bank code, 0 and an 18-digit account (mod-97 valid)."""
    bank = np.array([np.frombuffer(b.encode(), dtype=np.uint8) for b in banks])[rng.integers(0, len(banks), size=n)]
    account = np.hstack([np.full((n, 1), 48, dtype=np.uint8), digit_chars(_random_digits(rng, n, 18))])
    return _iban_strings(rng, "IR", np.hstack([bank, account]), spaced_share)


# --- national identifiers ------------------------------------------------------------------------


def us_ssn(rng: np.random.Generator, n: int) -> np.ndarray:
    """US Social Security numbers that pass stdnum.us.ssn (area 001-899 but not 666, group and serial non-zero)."""
    area = rng.integers(1, 900, size=n)
    area = np.where(area == 666, 667, area)
    group = rng.integers(1, 100, size=n)
    serial = rng.integers(1, 10000, size=n)
    digits = np.hstack([_split(area, 3), _split(group, 2), _split(serial, 4)])
    return to_str(grouped(digit_chars(digits), [3, 2, 4], "-"))


def _split(values: np.ndarray, width: int) -> np.ndarray:
    """Integers -> zero-padded digit matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers) % 10


_NINO_FIRST = [c for c in "ABCEGHJKLMNOPRSTWXYZ"]
_NINO_SECOND = [c for c in "ABCEGHJKLMNPRSTWXYZ"]
_NINO_BAD = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}
NINO_PREFIXES = [a + b for a in _NINO_FIRST for b in _NINO_SECOND if a + b not in _NINO_BAD]


def uk_nino(rng: np.random.Generator, n: int) -> np.ndarray:
    """UK National Insurance numbers with an allocatable prefix, e.g. ``QQ 12 34 56 C``."""
    prefixes = np.array([np.frombuffer(p.encode(), dtype=np.uint8) for p in NINO_PREFIXES])
    chars = np.hstack(
        [
            prefixes[rng.integers(0, len(prefixes), size=n)],
            digit_chars(_random_digits(rng, n, 6)),
            UPPER[rng.integers(0, 4, size=n)][:, None],
        ]
    )
    return mixed(rng, [to_str(chars), to_str(grouped(chars, [2, 2, 2, 2, 1], " "))], [0.5, 0.5])


def _mod_11_10(digits: np.ndarray) -> np.ndarray:
    """ISO 7064 mod 11,10 check digit."""
    product = np.full(digits.shape[0], 10, dtype=np.int64)
    for col in digits.T:
        total = (col + product) % 10
        total = np.where(total == 0, 10, total)
        product = (total * 2) % 11
    check = 11 - product
    return np.where(check == 10, 0, check)


def de_idnr(rng: np.random.Generator, n: int) -> np.ndarray:
    """German tax identification numbers (IdNr): one digit repeated once among the first ten, mod 11,10 check."""
    distinct = rng.permuted(np.tile(np.arange(10, dtype=np.int64), (n, 1)), axis=1)[:, :9]
    repeated = distinct[np.arange(n), rng.integers(0, 9, size=n)]
    ten = rng.permuted(np.hstack([distinct, repeated[:, None]]), axis=1)
    lead_zero = np.flatnonzero(ten[:, 0] == 0)
    swap = np.argmax(ten[lead_zero] != 0, axis=1)
    ten[lead_zero, 0], ten[lead_zero, swap] = ten[lead_zero, swap], 0
    digits = np.hstack([ten, _mod_11_10(ten)[:, None]])
    chars = digit_chars(digits)
    return mixed(rng, [to_str(chars), to_str(grouped(chars, [2, 3, 3, 3], " "))], [0.6, 0.4])


def fr_nir(rng: np.random.Generator, n: int) -> np.ndarray:
    """French social security numbers (NIR/INSEE) with their 97-complement key."""
    sex = rng.integers(1, 3, size=n)
    year = rng.integers(0, 100, size=n)
    month = rng.integers(1, 13, size=n)
    dept = rng.integers(1, 96, size=n)
    dept = np.where(dept == 20, 21, dept)  # Corsica is 2A/2B
    commune = rng.integers(1, 991, size=n)
    order = rng.integers(1, 1000, size=n)
    body = ((((sex * 100 + year) * 100 + month) * 100 + dept) * 1000 + commune) * 1000 + order
    key = 97 - body % 97
    digits = np.hstack([_split(body, 13), _split(key, 2)])
    chars = digit_chars(digits)
    return mixed(rng, [to_str(chars), to_str(grouped(chars, [1, 2, 2, 2, 3, 3, 2], " "))], [0.5, 0.5])


def nl_bsn(rng: np.random.Generator, n: int) -> np.ndarray:
    """Dutch citizen service numbers (BSN) passing the 11-proof."""
    body = _random_digits(rng, n, 8)
    check = _weighted_mod(body, [9, 8, 7, 6, 5, 4, 3, 2], 11)
    bad = check == 10
    while bad.any():  # no digit completes these: draw again
        body[bad] = _random_digits(rng, int(bad.sum()), 8)
        check = _weighted_mod(body, [9, 8, 7, 6, 5, 4, 3, 2], 11)
        bad = check == 10
    return to_str(digit_chars(np.hstack([body, check[:, None]])))


_DNI_LETTERS = np.frombuffer(b"TRWAGMYFPDXBNJZSQVHLCKE", dtype=np.uint8)


def es_dni(rng: np.random.Generator, n: int) -> np.ndarray:
    """Spanish DNI numbers: eight digits and the mod-23 control letter."""
    number = rng.integers(1_000_000, 100_000_000, size=n)
    chars = np.hstack([digit_chars(_split(number, 8)), _DNI_LETTERS[number % 23][:, None]])
    return to_str(chars)


def ca_sin(rng: np.random.Generator, n: int) -> np.ndarray:
    """Canadian social insurance numbers (Luhn), written ``123 456 782`` or ``123-456-782``."""
    payload = np.hstack([rng.integers(1, 8, size=(n, 1)), _random_digits(rng, n, 7)])
    chars = digit_chars(np.hstack([payload, luhn_check(payload)[:, None]]))
    return mixed(rng, [to_str(grouped(chars, [3, 3, 3], " ")), to_str(grouped(chars, [3, 3, 3], "-"))], [0.6, 0.4])


#: country -> national identifier generator, and the name of the scheme (recorded in the ground truth).
NATIONAL_IDS = {
    "US": (us_ssn, "US SSN"),
    "GB": (uk_nino, "UK National Insurance number"),
    "DE": (de_idnr, "German tax ID (IdNr)"),
    "FR": (fr_nir, "French NIR/INSEE number"),
    "CA": (ca_sin, "Canadian SIN"),
    "NL": (nl_bsn, "Dutch BSN"),
    "ES": (es_dni, "Spanish DNI"),
}


def national_ids(rng: np.random.Generator, countries: np.ndarray) -> np.ndarray:
    """Each row's national identifier in the scheme of its country."""
    out = np.empty(len(countries), dtype=object)
    for country, (make, _) in NATIONAL_IDS.items():
        rows = np.flatnonzero(countries == country)
        if len(rows):
            out[rows] = make(rng, len(rows))
    return out


def ir_national_code(rng: np.random.Generator, n: int) -> np.ndarray:
    """Iranian national codes (code melli, کد ملی): nine digits and the mod-11 check digit, not all one digit.

    Returned undecorated; :mod:`benchmarks.regional` writes some as ``123-456789-0``.
    """
    body = _random_digits(rng, n, 9)
    same = (body == body[:, :1]).all(axis=1)
    body[same, 8] = (body[same, 8] + 1) % 10
    remainder = _weighted_mod(body, list(range(10, 1, -1)), 11)
    check = np.where(remainder < 2, remainder, 11 - remainder)
    return to_str(digit_chars(np.hstack([body, check[:, None]])))


def vn_cccd(rng: np.random.Generator, province: np.ndarray, birth_year: np.ndarray, female: np.ndarray) -> np.ndarray:
    """Vietnamese citizen identity card numbers (CCCD, 12 digits): province code (3 digits), century-and-sex
    digit (0/1 born 1900-1999 male/female, 2/3 born 2000-2099), last two digits of the birth year, six random digits.
    They carry no check digit."""
    century_sex = np.where(birth_year >= 2000, 2, 0) + female.astype(np.int64)
    digits = np.hstack([
        np.array([[int(c) for c in p] for p in province], dtype=np.int64).reshape(-1, 3),
        century_sex[:, None],
        _split(birth_year % 100, 2),
        _random_digits(rng, len(province), 6),
    ])
    return to_str(digit_chars(digits))


def vn_cmnd(rng: np.random.Generator, n: int) -> np.ndarray:
    """Older Vietnamese 9-digit identity card numbers (CMND), as still kept in many customer files."""
    return to_str(digit_chars(np.hstack([rng.integers(0, 4, size=(n, 1)), _random_digits(rng, n, 8)])))


def account_numbers(rng: np.random.Generator, n: int, shortest: int = 9, longest: int = 14) -> np.ndarray:
    """Domestic bank account numbers of varying length without check digit (Vietnam has no IBAN)."""
    digits = digit_chars(_random_digits(rng, n, longest, first_nonzero=True))
    length = rng.integers(shortest, longest + 1, size=n)
    return np.array([s[:k] for s, k in zip(to_str(digits), length)], dtype=object)


# --- credentials and network ------------------------------------------------------------------------


def bcrypt_shaped(rng: np.random.Generator, n: int) -> np.ndarray:
    """Strings shaped like bcrypt hashes (``$2b$12$`` + 22-char salt + 31-char hash).

    Not real hashes: computing bcrypt at cost 12 takes ~0.25 s a row, days for a
    million rows. The shape (prefix, alphabet, restricted last characters) is exact.
    """
    body = BCRYPT_ALPHABET[rng.integers(0, len(BCRYPT_ALPHABET), size=(n, 53))]
    body[:, 21] = BCRYPT_LAST[rng.integers(0, 4, size=n)]
    body[:, 52] = BCRYPT_LAST[rng.integers(0, 4, size=n)]
    prefix = np.tile(np.frombuffer(b"$2b$12$", dtype=np.uint8), (n, 1))
    return to_str(np.hstack([prefix, body]))


def ipv4_public(rng: np.random.Generator, n: int) -> np.ndarray:
    """Dotted IPv4 addresses outside the private, loopback and multicast ranges."""
    first = rng.integers(1, 224, size=n)
    first = np.where(np.isin(first, [10, 100, 127, 169, 172, 192]), first + 1, first)
    octets = [first] + [rng.integers(0, 256, size=n) for _ in range(2)] + [rng.integers(1, 255, size=n)]
    out = octets[0].astype(str).astype(object)
    for octet in octets[1:]:
        out = out + "." + octet.astype(str).astype(object)
    return out


def ipv6_global(rng: np.random.Generator, n: int) -> np.ndarray:
    """Compressed IPv6 global unicast addresses (2000::/3)."""
    import ipaddress

    high = rng.integers(0x2000, 0x3FFF, size=n, dtype=np.int64)
    rest = rng.integers(0, 1 << 16, size=(n, 7), dtype=np.int64)
    rest[:, 3:6] *= rng.random((n, 1)) < 0.5  # half have a run of zeros, like real allocations
    out = np.empty(n, dtype=object)
    for i in range(n):
        value = int(high[i])
        for group in rest[i]:
            value = (value << 16) | int(group)
        out[i] = str(ipaddress.IPv6Address(value))
    return out
