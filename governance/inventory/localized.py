"""Text the organisation writes, given in one language or several: ``{en: ..., fa: ..., vi: ...}``.

A field typed :data:`LocalText` accepts a plain string (English) or a mapping of
language codes to strings with an ``en`` entry. Everywhere else the value is its English
text (a :class:`LocalizedText` is a ``str``); :func:`translated` gives the inventory in
another language and lists every sentence that has no translation in it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, PlainValidator, WithJsonSchema

SOURCE = "en"
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


class LocalizedText(str):
    """English text that may carry translations (``.translations``: language -> text)."""

    translations: dict[str, str]

    def __new__(cls, text: str, translations: dict[str, str] | None = None):
        value = super().__new__(cls, text)
        value.translations = dict(translations or {})
        return value


def _parse(value: Any) -> LocalizedText:
    if isinstance(value, str):
        return LocalizedText(value.strip())
    if isinstance(value, dict) and value:
        bad = [k for k in value if not isinstance(k, str) or not _LANG.match(k)]
        if bad:
            raise ValueError(f"not a language code: {', '.join(map(str, bad))} (use en, fa, vi ...)")
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise ValueError("each translation must be non-empty text")
        if SOURCE not in value:
            raise ValueError("give the English text under 'en' (the other languages are its translations)")
        texts = {k: v.strip() for k, v in value.items()}
        return LocalizedText(texts.pop(SOURCE), texts)
    raise ValueError("give text, or a mapping of language codes to text such as {en: ..., fa: ..., vi: ...}")


LocalText = Annotated[
    str,
    PlainValidator(_parse),
    WithJsonSchema({"oneOf": [
        {"type": "string"},
        {"type": "object", "required": [SOURCE], "minProperties": 1,
         "patternProperties": {_LANG.pattern: {"type": "string", "minLength": 1}}, "additionalProperties": False,
         "description": "the text per language: en (required) and its translations, e.g. fa, vi"},
    ]}),
]


def translated(model: BaseModel, lang: str) -> tuple[BaseModel, list[tuple]]:
    """``model`` with every :data:`LocalText` in ``lang``, and the key paths of those without a translation."""
    missing: list[tuple] = []
    return _walk(model, lang, (), missing), missing


def _walk(node: Any, lang: str, loc: tuple, missing: list[tuple]) -> Any:
    if isinstance(node, LocalizedText):
        if lang == SOURCE or not node:
            return node
        text = node.translations.get(lang)
        if text is None:
            missing.append(loc)
            return node
        return LocalizedText(text, node.translations)
    if isinstance(node, BaseModel):
        updates = {name: _walk(getattr(node, name), lang, loc + (name,), missing) for name in type(node).model_fields}
        return node.model_copy(update=updates)
    if isinstance(node, list):
        return [_walk(value, lang, loc + (i,), missing) for i, value in enumerate(node)]
    return node
