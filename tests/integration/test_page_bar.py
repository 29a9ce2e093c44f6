"""The bar of the policyholder pages kept per language, sign-in state and path (saas/page_bar.py):
what two customers get is the same bar, each with the CSRF token of their own session (and the
language switch in it works with that token), signed out it is the signed-out bar, a page's path
is its own, and the console's bar, which names the staff member, is not kept."""
from __future__ import annotations

import re
import time
from unittest.mock import patch

import itsdangerous

from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.web_client import WebClient

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _bar(page: str) -> str:
    return page[page.index('<header class="bar">'):page.index("</header>")]


def _two_customers(uow):
    for name, mobile, email in (("王丽", "+8613711113331", "bar-one@example.com"),
                                ("李雷", "+8613711113332", "bar-two@example.com")):
        customer, _account = make_policyholder(uow, name=name, mobile=mobile, email=email)
        make_policy(uow, customer)
    uow.commit()


def test_each_customer_gets_the_bar_with_the_token_of_their_own_session(uow, app):
    _two_customers(uow)
    one, two = WebClient(app.test_client()), WebClient(app.test_client())
    one.login("bar-one@example.com", PASSWORD)
    two.login("bar-two@example.com", PASSWORD)
    first, second = one.text("/"), two.text("/")
    assert "王丽" in first and "李雷" in second and "李雷" not in first
    tokens = _TOKEN.findall(_bar(first)), _TOKEN.findall(_bar(second))
    assert len(tokens[0]) == 2 and len(set(tokens[0])) == 1 and tokens[0][0] != tokens[1][0]
    assert _TOKEN.sub("", _bar(first)) == _TOKEN.sub("", _bar(second))  # the same bar otherwise
    switched = one.client.post("/language/en", data={"csrf_token": tokens[0][0], "next": "/"})
    assert switched.status_code in (302, 303)
    assert 'lang="zh-CN" data-test="language"' in one.text("/")  # now in English: the switch offers 中文
    refused = two.client.post("/language/en", data={"csrf_token": tokens[0][0], "next": "/"})
    assert refused.status_code == 400  # one customer's token is no use to another


def test_signed_out_and_per_path(uow, app):
    _two_customers(uow)
    web = WebClient(app.test_client())
    web.login("bar-one@example.com", PASSWORD)
    signed_in = _bar(web.text("/products"))
    assert 'data-test="logout"' in signed_in and 'name="next" value="/products"' in signed_in
    assert 'name="next" value="/assets"' in _bar(web.text("/assets"))
    web.logout()
    signed_out = _bar(web.text("/products"))
    assert 'data-test="logout"' not in signed_out and 'name="next" value="/products"' in signed_out


def test_the_kept_copies_do_not_grow_with_the_paths_clients_ask_for(uow, app):
    # The path is put into the kept bar like the token: a client asking for a thousand
    # made-up query strings neither grows the worker's memory nor pushes the real bars out.
    web = WebClient(app.test_client())
    kept = app.jinja_env.globals["kept_bar"].__self__.kept
    for n in range(50):
        assert f'name="next" value="/products?x={n}&amp;y=1"' in _bar(web.text(f"/products?x={n}&y=1"))
    assert len(kept) <= 2


def test_a_sessions_token_is_signed_once_and_still_checked(uow, app):
    """saas/csrf.py page_token: the pages of one session carry one signed token (signed once
    per process, not at every page), it is still accepted, another session's is not, and a
    session that starts again after signing out gets a token of its own."""
    _two_customers(uow)
    one, two = WebClient(app.test_client()), WebClient(app.test_client())
    one.login("bar-one@example.com", PASSWORD)
    two.login("bar-two@example.com", PASSWORD)
    pages = [_TOKEN.findall(one.text(path)) for path in ("/", "/assets", "/products", "/")]
    tokens = {token for page in pages for token in page}
    assert all(pages) and len(tokens) == 1
    # A servicing form's own field (Flask-WTF's) carries the same token as the bar, also when
    # the form is shown later than the token was signed (a fresh one would differ).
    number = re.search(r'href="/policies/([A-Z0-9]+)"', one.text("/")).group(1)
    later = int(time.time()) + 100
    with patch.object(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: later):
        form = one.text(f"/policies/{number}/services/contact_address")
    assert set(re.findall(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', form)) == tokens
    token = tokens.pop()
    theirs = set(_TOKEN.findall(two.text("/")))
    assert len(theirs) == 1 and token not in theirs
    assert two.client.post("/language/en", data={"csrf_token": token, "next": "/"}).status_code == 400
    assert one.client.post("/language/en", data={"csrf_token": token, "next": "/"}).status_code in (302, 303)
    assert one.client.post("/logout", data={"csrf_token": token}).status_code in (302, 303)
    one.login("bar-one@example.com", PASSWORD)
    again = set(_TOKEN.findall(one.text("/")))
    assert len(again) == 1 and token not in again
    assert one.client.post("/language/zh", data={"csrf_token": token, "next": "/"}).status_code == 400


def test_pages_sign_the_token_once_unless_tokens_expire(uow, app, monkeypatch):
    """A token's time stamp matters once tokens expire: then each page signs its own."""
    from flask_wtf.csrf import generate_csrf

    import saas.csrf

    signed = []

    def counted() -> str:
        signed.append(1)
        return generate_csrf()

    monkeypatch.setattr(saas.csrf, "generate_csrf", counted)
    _two_customers(uow)
    web = WebClient(app.test_client())
    web.login("bar-one@example.com", PASSWORD)
    web.text("/")
    signed.clear()
    for _ in range(3):
        assert len(set(_TOKEN.findall(web.text("/")))) == 1
    assert not signed  # no time limit: signed already, before these pages
    app.config["WTF_CSRF_TIME_LIMIT"] = 3600
    for _ in range(3):
        assert len(set(_TOKEN.findall(web.text("/")))) == 1
    assert len(signed) == 3
