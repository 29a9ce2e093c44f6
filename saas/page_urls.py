"""``url_for`` for templates, remembered: a page builds a dozen of the same links on every view
(the bar, the static files), and building one through Werkzeug's routing costs more than the
look-up. A URL without ``_external``/``_anchor``-style options is a pure function of the
endpoint, its values and the script root (no host matching, no URL defaults here - checked at
start-up), so a bounded memo returns exactly what ``url_for`` would."""
from __future__ import annotations

from functools import lru_cache

from flask import Flask, request, url_for


@lru_cache(maxsize=4096)
def _built(script_root: str, endpoint: str, values: tuple[tuple[str, object], ...]) -> str:
    return url_for(endpoint, **dict(values))


def page_url(endpoint: str, **values: object) -> str:
    if endpoint[:1] == ".":  # relative to the blueprint of the request: as is
        return url_for(endpoint, **values)
    if not values:  # most links of a page: no generator, no sorting for them
        return _built(request.script_root, endpoint, ())
    if any(name[:1] == "_" for name in values):  # an option (_external, _anchor...): as is
        return url_for(endpoint, **values)
    try:
        # In the order given: the same values in another order are only another key.
        return _built(request.script_root, endpoint, tuple(values.items()))
    except TypeError:  # a value that cannot be a key (a list of query values)
        return url_for(endpoint, **values)


def init_app(app: Flask) -> None:
    if app.url_map.host_matching or app.url_default_functions:
        return  # a URL would depend on more than its endpoint and values: build every one
    app.jinja_env.globals["url_for"] = page_url
