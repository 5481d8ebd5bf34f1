"""Device and network identifiers: IP addresses, MAC addresses, IMEI numbers."""

from __future__ import annotations

import ipaddress

from governance.scan.recognizers.base import Pattern, PatternRecognizer

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"


class IpAddressRecognizer(PatternRecognizer):
    """IPv4 and IPv6 addresses, validated with :mod:`ipaddress`."""

    ENTITY = "IP_ADDRESS"
    PATTERNS = (
        Pattern("ipv4", rf"{_OCTET}(?:\.{_OCTET}){{3}}", 0.6),
        Pattern("ipv6", r"(?i)[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}(?:%\w+)?", 0.5),
    )
    CONTEXT = ("ip", "address", "client", "remote")
    LEAK = True
    MIN_SHARE = 0.7

    def validate(self, text: str) -> bool:
        try:
            ipaddress.ip_address(text.split("%")[0])
        except ValueError:
            return False
        return True


class MacAddressRecognizer(PatternRecognizer):
    """MAC addresses (``00:1A:2B:3C:4D:5E``, ``00-1a-...``, ``001a.2b3c.4d5e``)."""

    ENTITY = "MAC_ADDRESS"
    PATTERNS = (
        Pattern("mac colon or dash", r"(?i)[0-9a-f]{2}(?:[:-][0-9a-f]{2}){5}", 0.6),
        Pattern("mac cisco", r"(?i)[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}", 0.6),
        Pattern("mac bare", r"(?i)[0-9a-f]{12}", 0.1),
    )
    CONTEXT = ("mac", "hardware", "wifi", "bluetooth")
    LEAK = True

    def validate(self, text: str) -> bool:
        separators = {c for c in text if c in ":-."}
        return len(separators) <= 1

    def invalidate(self, text: str) -> bool:
        compact = "".join(c for c in text.lower() if c not in ":-.")
        return compact in ("000000000000", "ffffffffffff")


class ImeiRecognizer(PatternRecognizer):
    """IMEI device numbers: 15 digits with the Luhn check digit (python-stdnum ``imei``)."""

    ENTITY = "IMEI"
    PATTERNS = (
        Pattern("imei", r"\d{15}", 0.5),
        Pattern("imei grouped", r"\d{2}[ -]\d{6}[ -]\d{6}[ -]\d", 0.6),
    )
    CONTEXT = ("imei", "device", "handset")
    CHECKSUM = True
    MIN_SHARE = 0.8
    BASE_CONFIDENCE = 0.6

    def validate(self, text: str) -> bool:
        from stdnum import imei

        return imei.is_valid(text) and len(imei.compact(text)) == 15

    def invalidate(self, text: str) -> bool:
        return len(set(text)) == 1
