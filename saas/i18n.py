"""Language of each response: the visitor's choice (cookie), else their account's, else
what their browser asks for (Accept-Language), else Chinese; API clients choose with
Accept-Language. Texts come from the platform's gettext
catalogue (``paas.i18n``), loaded once per process and installed into Jinja's i18n
extension. Also the small, fast formatters the pages use for money and dates."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from babel.support import NullTranslations
from flask import Flask, g, request
from jinja2 import pass_context

from paas.errors import DomainError
from paas.i18n import DEFAULT_LOCALE, LOCALES, supported, translations
from paas.i18n.dates import BUSINESS_TZ, dates_written, format_date
from paas.policies.terms import STATUS_LABELS

LANGUAGE_COOKIE = "lang"


def _select_locale() -> str:
    # An API client says what it wants in Accept-Language. On pages a choice made wins (the
    # language switch's cookie, then the account's); until one is made, the browser's
    # languages decide, so an English browser is not greeted in Chinese on its first visit.
    if request.path.startswith("/api/"):
        chosen = request.accept_languages.best_match(LOCALES)
    else:
        chosen = supported(request.cookies.get(LANGUAGE_COOKIE))
    if chosen:
        return chosen
    principal = g.get("principal")
    if principal is not None and supported(principal.locale):
        return principal.locale
    return _browser_locale() or DEFAULT_LOCALE


def _browser_locale() -> str | None:
    """The first of the browser's languages we have ("en-US" is English, "zh-TW" Chinese)."""
    for tag, _quality in request.accept_languages:  # best first
        if tag != "*" and supported(tag):
            return supported(tag)
    return None


def current_locale() -> str:
    """Decided once per request, on first use (after the signed-in user is known)."""
    locale = g.get("_locale")
    if locale is None:
        locale = g._locale = _select_locale()
    return locale


def _catalogue() -> NullTranslations:
    catalogue = g.get("_catalogue")
    if catalogue is None:
        catalogue = g._catalogue = translations(current_locale())
    return catalogue


def gettext(message: str, **params: object) -> str:
    text = _catalogue().gettext(message)
    return text % dates_written(params, current_locale()) if params else text


def ngettext(singular: str, plural: str, count: int, **params: object) -> str:
    text = _catalogue().ngettext(singular, plural, count)
    return text % {"num": count, **params}


def error_text(error: DomainError) -> str:
    """A service's message in the user's language."""
    return gettext(error.message, **shown_params(error.params))


def shown_params(params: dict) -> dict:
    """A message's parameters as the user reads them: a policy status by its label (dates
    are written for the reader by ``gettext`` itself)."""
    if "status" not in params:
        return params
    return {**params, "status": gettext(STATUS_LABELS.get(params["status"], params["status"]))}


def money(amount: Decimal | None) -> str:
    # CNY is written with ¥ in both Chinese and English; two decimals, thousands separated.
    if amount is None:
        return "—"
    return f"¥{amount:,.2f}"


def day(value: date | None) -> str:
    if value is None:
        return "—"
    return format_date(value, current_locale())


def moment(value: datetime | None) -> str:
    if value is None:
        return "—"
    local = value.astimezone(BUSINESS_TZ)
    return f"{day(local.date())} {local:%H:%M}"


@pass_context
def _day_of_the_page(context, value: date | None) -> str:
    """``day`` for templates: the page's language from its context (the context processor puts
    it there once) instead of asking ``flask.g`` for each of a premium history's dates. A macro
    imported without context asks as ``day`` does."""
    if value is None:
        return "—"
    # Where ``context.get`` looks, in its order, without its two more calls (a hundred dates on
    # the policy page); the context processor's value is in the parent.
    locale = context.vars.get("page_locale") or context.parent.get("page_locale")
    return format_date(value, locale or current_locale())


def percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


_BOUND: dict[str, dict] = {}


def _bound_to(locale: str) -> dict:
    """``_``, ``gettext`` and ``ngettext`` of one language, bound once per process: a page's
    dozens of labels then skip finding the request's catalogue at every call (and the
    language itself, for the ``day`` filter)."""
    bound = _BOUND.get(locale)
    if bound is None:
        catalogue = translations(locale)

        def bound_gettext(message: str, **params: object) -> str:
            text = catalogue.gettext(message)
            return text % dates_written(params, locale) if params else text

        def bound_ngettext(singular: str, plural: str, count: int, **params: object) -> str:
            return catalogue.ngettext(singular, plural, count) % {"num": count, **params}

        bound = _BOUND[locale] = {"_": bound_gettext, "gettext": bound_gettext, "ngettext": bound_ngettext,
                                  "page_locale": locale}
    return bound


def _translations_of_the_request() -> dict:
    return _bound_to(current_locale())


def init_app(app: Flask) -> None:
    # ``_`` is a plain function in templates: translations are plain text, so autoescaping
    # applies to them and their placeholders alike (a catalogue cannot inject markup), and
    # a page with dozens of labels skips Jinja's Markup formatting round for each one.
    # The globals serve what renders outside a template's own context (imported macros); the
    # context processor gives each rendered page the functions bound to its language.
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext, current_locale=current_locale)
    app.context_processor(_translations_of_the_request)
    app.jinja_env.filters.update(money=money, day=_day_of_the_page, moment=moment, percent=percent)
