"""Language of each response: the visitor's choice (cookie), else their account's, else
Chinese. Also the small, fast formatters the pages use for money and dates."""
from __future__ import annotations

from datetime import date, datetime, timezone, timedelta
from decimal import Decimal

from flask import Flask, g, request
from flask_babel import Babel, get_locale, gettext

from paas.errors import DomainError
from paas.i18n import DEFAULT_LOCALE, LOCALES, TRANSLATIONS_DIR, supported

LANGUAGE_COOKIE = "lang"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Times are shown in China Standard Time, the insurer's business time zone.
_BUSINESS_TZ = timezone(timedelta(hours=8))


def select_locale() -> str:
    # An API client says what it wants in Accept-Language; a browser's choice is the
    # language switch (cookie). Pages ignore Accept-Language: Chinese is the default.
    if request.path.startswith("/api/"):
        chosen = request.accept_languages.best_match(LOCALES)
    else:
        chosen = supported(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    principal = g.get("principal")
    if principal is not None and supported(principal.locale):
        return principal.locale
    return DEFAULT_LOCALE


def current_locale() -> str:
    return str(get_locale() or DEFAULT_LOCALE).split("_")[0]


def error_text(error: DomainError) -> str:
    """A service's message in the user's language."""
    text = gettext(error.message)
    return text % error.params if error.params else text


def money(amount: Decimal | None) -> str:
    # CNY is written with ¥ in both Chinese and English; two decimals, thousands separated.
    if amount is None:
        return "—"
    return f"¥{amount:,.2f}"


def day(value: date | None) -> str:
    if value is None:
        return "—"
    if current_locale() == "zh":
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS_EN[value.month - 1]} {value.year}"


def moment(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(_BUSINESS_TZ)
    return f"{day(local.date())} {local:%H:%M}"


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    Babel(app, locale_selector=select_locale)
    app.jinja_env.filters.update(money=money, day=day, moment=moment, percent=percent)
    app.jinja_env.globals.update(current_locale=current_locale)
