"""The most visited pages' templates compiled once per language: in them a label written as
``_('literal')`` or ``gettext('literal')`` (no parameters) and ``current_locale()`` are constants
of the language, so they are translated, and escaped, when the template is compiled - at every
view Jinja would call the function, look the text up in the catalogue and escape it again (a
page has dozens). The same text comes out as from the ordinary template: the ``_`` a page gets
is the one of the request's language (``saas.i18n``), and the compiled copy used is the one of
that language. Only labels are constants: everything about the customer is read and rendered
at every request as before. A page opts in by rendering with ``render_page``."""
from __future__ import annotations

from typing import Iterator

from flask import Flask, current_app, render_template
from flask.templating import Environment as FlaskEnvironment
from jinja2 import Environment
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_DOT, TOKEN_LPAREN, TOKEN_NAME, TOKEN_RPAREN, TOKEN_STRING, Token, TokenStream

from paas.i18n import LOCALES, translations
from saas.i18n import current_locale

_LABEL_FUNCTIONS = ("_", "gettext")
_EXTENSION_KEY = "saas.page_templates"


class _LabelsOfOneLanguage(Extension):
    """Rewrites ``_('text')`` into the string of the environment's language, and
    ``current_locale()`` into that language, at compile time (Jinja then folds and escapes
    constant output into the template's text)."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        locale = self.environment.page_language  # type: ignore[attr-defined]
        catalogue = translations(locale)
        tokens = list(stream)
        index, previous = 0, None
        while index < len(tokens):
            token = tokens[index]
            if token.type == TOKEN_NAME and (previous is None or previous.type != TOKEN_DOT):
                following = [t.type for t in tokens[index + 1:index + 4]]
                if (token.value in _LABEL_FUNCTIONS and following == [TOKEN_LPAREN, TOKEN_STRING, TOKEN_RPAREN]):
                    token = Token(token.lineno, TOKEN_STRING, catalogue.gettext(tokens[index + 2].value))
                    index += 3
                elif token.value == "current_locale" and following[:2] == [TOKEN_LPAREN, TOKEN_RPAREN]:
                    token = Token(token.lineno, TOKEN_STRING, locale)
                    index += 2
            yield token
            previous = token
            index += 1


class FlatGlobalsEnvironment(FlaskEnvironment):
    """Flask's template environment, giving each template its globals as one dict instead of a
    ChainMap over the environment's: Jinja copies a template's globals into the context of
    every render, and from a ChainMap of the sixty-odd names the app registers that copy costs
    about 50 µs a page (from a dict, 1 µs). The copy is taken when a template is loaded, which
    is after the app is set up, every global registered (one registered later would reach only
    templates loaded later, or reloaded in development). Its overlays (``_of_language``) are
    of this class too."""

    def make_globals(self, d):
        return {**self.globals, **(d or {})}


def _of_language(app: Flask, locale: str) -> Environment:
    by_language = app.extensions[_EXTENSION_KEY]
    environment = by_language.get(locale)
    if environment is None:
        base = app.jinja_env
        # Shares the loader, globals and filters; its own cache (its templates differ).
        environment = base.overlay(extensions=[_LabelsOfOneLanguage], cache_size=getattr(base.cache, "capacity", 400))
        environment.page_language = locale  # type: ignore[attr-defined]
        by_language[locale] = environment
    return environment


def render_page(name: str, **context: object) -> str:
    """``render_template`` with the template compiled for the request's language."""
    app = current_app
    locale = current_locale()
    if _EXTENSION_KEY not in app.extensions or locale not in LOCALES:
        return render_template(name, **context)
    return render_template(_of_language(app, locale).get_template(name), **context)


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION_KEY] = {}
