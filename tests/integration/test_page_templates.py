"""The asset sheet, the policy page, its premium history, its services and their forms compiled
once per language (saas/page_templates.py): in each language the page is, character for
character, what the ordinary template renders (the CSRF token and a form's idempotency key
aside, made afresh at each view), and only a label written as a literal is
translated at compile time - one with parameters, a label chosen by a variable and an attribute
that happens to be called ``_`` are left to run as before."""
from __future__ import annotations

import re

import pytest
from flask import render_template

from saas import page_templates
from saas.web import policy_views
from saas.web.servicing import service_views
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.web_client import WebClient

# Made afresh at each view: the CSRF token (signed) and a form's idempotency key.
_TOKEN = re.compile(r'name="(?:csrf_token|idempotency_key)"( type="hidden")? value="[^"]+"')


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_pages_are_what_the_ordinary_templates_render(uow, app, monkeypatch, language):
    customer, _account = make_policyholder(uow, name="王丽", mobile="+8613711114441", email="fold@example.com")
    policy = make_policy(uow, customer)
    uow.commit()
    web = WebClient(app.test_client())
    web.login("fold@example.com", PASSWORD)
    web.client.set_cookie("lang", language)
    number = policy.policy_number
    paths = ("/", f"/policies/{number}", f"/policies/{number}/premiums", f"/policies/{number}/services",
             f"/policies/{number}/services/contact_address", f"/policies/{number}/services/beneficiaries")
    folded = [web.text(path) for path in paths]
    monkeypatch.setattr(policy_views, "render_page", render_template)
    monkeypatch.setattr(service_views, "render_page", render_template)
    plain = [web.text(path) for path in paths]
    assert ("我的保单" if language == "zh" else "My policies") in folded[0]
    assert policy.policy_number in folded[1] and 'data-test="premiums"' in folded[1]
    assert [web.get(path).status_code for path in paths] == [200] * len(paths)
    assert f'action="/policies/{number}/services/contact_address"' in folded[4]
    assert [_TOKEN.sub("", page) for page in folded] == [_TOKEN.sub("", page) for page in plain]


def test_only_literal_labels_are_folded(app):
    source = ("{{ _('Sign out') }}|{{ _('Hello, %(name)s', name='x') }}|{{ _(label) }}|"
              "{{ thing._('Sign out') }}|{{ gettext('Sign out') }}|{{ current_locale() }}")
    with app.test_request_context("/", headers={"Cookie": "lang=zh"}):
        environment = page_templates._of_language(app, "zh")
        compiled = environment.compile(source, raw=True)
        folded = compiled.count("退出登录")
        calls = [call for call in ("'Hello, %(name)s'", "l_0_label", "'Sign out'") if call in compiled]
        rendered = environment.from_string(source).render(
            _=lambda text, **params: "<" + text + ">", gettext=str, label="x",
            thing={"_": lambda text: "attribute " + text}, current_locale=lambda: "en")
    assert folded == 2 and calls == ["'Hello, %(name)s'", "l_0_label", "'Sign out'"]
    # Folded: the Chinese label (twice) and the language; the rest called as written.
    assert rendered == "退出登录|&lt;Hello, %(name)s&gt;|&lt;x&gt;|attribute Sign out|退出登录|zh"
