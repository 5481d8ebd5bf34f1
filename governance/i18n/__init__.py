"""The documents the toolkit writes, in more than one language (gettext catalogs with Babel).

  governance.i18n.available_languages()       ("en", "fa", "vi"): English plus every catalog found
  governance.i18n.check_language(lang)        an error listing the languages when there is no catalog
  governance.i18n.localizer(lang)             wording, dates, numbers, direction and fonts of a language
  governance.i18n.bidi.isolate_ltr_runs(html) left-to-right runs kept in order on right-to-left pages

Catalogs: ``governance/locale/<lang>/LC_MESSAGES/governance.po``; ``babel.cfg`` says where
messages are extracted from (templates, Python modules, data files). To add a language,
see ``governance/locale/README.md``.
"""

from governance.i18n.catalog import N_, SOURCE_LANGUAGE, available_languages, check_language
from governance.i18n.localizer import Localizer, localizer

__all__ = ["N_", "SOURCE_LANGUAGE", "Localizer", "available_languages", "check_language", "localizer"]
