"""Evidence masking: reports, logs and errors show the shape of what was found, never the value.

Every output of the toolkit passes found values through :func:`mask` first.
"""

from __future__ import annotations

import re

_ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def _stars(text: str) -> str:
    return _ALNUM.sub("*", text)


def mask_email(value: str) -> str:
    """``jane.doe@example.com`` -> ``j***@e***.com``."""
    local, _, domain = value.strip().rpartition("@")
    if not local:
        return mask_generic(value)
    host, dot, tld = domain.rpartition(".")
    if not host:
        host, tld, dot = domain, "", ""
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}"


def mask_tail(value: str, keep: int = 4) -> str:
    """Keep the last ``keep`` alphanumerics and the separators: ``123-45-6789`` -> ``***-**-6789``."""
    chars = list(value.strip())
    seen = 0
    for i in range(len(chars) - 1, -1, -1):
        if _ALNUM.match(chars[i]):
            seen += 1
            if seen > keep:
                chars[i] = "*"
    return "".join(chars)


def mask_generic(value: str) -> str:
    """Keep the first character and the shape: ``Jane Doe`` -> ``J*** ***``."""
    text = value.strip()
    if len(text) <= 1:
        return "*"
    words = text.split()
    masked = [w[:1] + "***" if i == 0 else "***" for i, w in enumerate(words[:4])]
    return " ".join(masked) + (" …" if len(words) > 4 else "")


def mask_secret(value: str) -> str:
    """Secrets show nothing of their value."""
    return "********"


# Entity -> masking function. Entities not listed use mask_generic.
_BY_ENTITY = {
    "EMAIL_ADDRESS": mask_email,
    "US_SSN": mask_tail,
    "CREDIT_CARD": mask_tail,
    "IBAN_CODE": mask_tail,
    "US_BANK_NUMBER": mask_tail,
    "ABA_ROUTING_NUMBER": mask_tail,
    "PHONE_NUMBER": mask_tail,
    "NATIONAL_ID": mask_tail,
    "US_NPI": mask_tail,
    "US_DEA": mask_tail,
    "MEDICAL_RECORD_NUMBER": mask_tail,
    "IMEI": mask_tail,
    "MAC_ADDRESS": mask_tail,
    "IP_ADDRESS": mask_tail,
    "PASSWORD": mask_secret,
    "PASSWORD_HASH": mask_secret,
    "CREDENTIAL": mask_secret,
}


def mask(value: object, entity: str | None = None) -> str:
    """Mask one found value for display, choosing the style by entity."""
    text = "" if value is None else str(value)
    if not text.strip():
        return ""
    if entity is None and "@" in text:
        return mask_email(text)
    fn = _BY_ENTITY.get(entity or "", mask_generic)
    if fn is mask_tail and len(_ALNUM.findall(text)) <= 6:
        return _stars(text)
    return fn(text)


HOST_PORT = re.compile(r"^(\[[^\]]*\]|[^@/?#:\[\]]*)(?::([^/?#]*))?(?=[/?]|$)")
#: query parameters whose value is a secret
SECRET_PARAMETER = re.compile(r"(?:ssl)?(?:password|passwd|pwd|secret|token)", re.IGNORECASE)
_SECRET_PARAMETERS = re.compile(rf"([?&]{SECRET_PARAMETER.pattern}=)([^&]*)", re.IGNORECASE)


def split_userinfo(rest: str) -> tuple[str | None, str]:
    """``(userinfo or None, the rest)`` of what follows ``scheme://``: the userinfo may hold ``@``, ``#``, ``/``, ``?``.

    It ends at the last ``@`` that a plain ``host[:port]`` follows (a password may hold ``@/``),
    preferring one with a host name over an empty host (a socket). An ``@`` inside a query value
    (``host/db?x=a@b``) is left to the query.
    """
    candidates = [m.start() for m in re.finditer("@", rest) if HOST_PORT.match(rest[m.end():])]
    plain = [at for at in candidates if "?" not in rest[:at]]
    if not plain and candidates:
        whole = HOST_PORT.match(rest)
        query = rest.index("?")
        if whole and (whole[2] is None or whole[2].isdigit()) and "=" in rest[query:candidates[0]]:
            return None, rest
    choices = plain or candidates
    hosted = [at for at in choices if HOST_PORT.match(rest[at + 1:])[1]]
    if not choices:
        return None, rest
    at = (hosted or choices)[-1]
    return rest[:at], rest[at + 1:]


def mask_url_password(url: str) -> str:
    """Hide the password in a database URL: ``postgresql://bob:secret@h/db`` -> ``postgresql://bob:***@h/db``.

    Also ``?password=``/``&sslpassword=``-style parameters, and passwords holding unencoded ``@``, ``#`` or ``/``.
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return _SECRET_PARAMETERS.sub(r"\1***", url)
    userinfo, rest = split_userinfo(rest)
    if userinfo is not None and ":" in userinfo:
        rest = f"{userinfo.partition(':')[0]}:***@{rest}"
    elif userinfo is not None:
        rest = f"{userinfo}@{rest}"
    return f"{scheme}://" + _SECRET_PARAMETERS.sub(r"\1***", rest)


def redact_text(text: str, secrets: list[str]) -> str:
    """Remove each secret (passwords, found values) from a message before it is shown."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text
