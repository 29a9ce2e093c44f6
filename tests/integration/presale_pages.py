"""Reading the pre-sale pages in a language, as a browser would."""
from __future__ import annotations

import html
import re


def page(web, path, lang="en"):
    web.client.set_cookie("lang", lang)
    response = web.get(path)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def post(web, path, data, lang="en", token_from=None):
    web.client.set_cookie("lang", lang)
    response = web.post_form(path, data, token_from=token_from or path)
    return response.status_code, html.unescape(response.get_data(as_text=True))


def field_error(body, field):
    """The message shown next to a form field, if any."""
    found = re.search(rf'<p class="field-error" id="{field}-error"[^>]*>([^<]*)</p>', body)
    return found and found.group(1)
