"""Languages of the platform. One gettext catalogue serves the web pages (through the front
end) and what the platform writes itself (mail, SMS, notices). Chinese is the default."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"
LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"
# Message ids are written in English, so English needs no catalogue of its own.
SOURCE_LOCALE = "en"


def supported(locale: str | None) -> str | None:
    if not locale:
        return None
    primary = locale.replace("-", "_").split("_")[0].lower()
    return primary if primary in LOCALES else None


@lru_cache(maxsize=8)
def translations(locale: str) -> NullTranslations:
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [locale], domain=DOMAIN)


def translate(locale: str, message: str, **params: object) -> str:
    from paas.i18n.dates import dates_written

    locale = supported(locale) or DEFAULT_LOCALE
    text = translations(locale).gettext(message)
    return text % dates_written(params, locale) if params else text
