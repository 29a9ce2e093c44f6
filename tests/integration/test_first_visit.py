"""A first visit (issue 11): an English browser is answered in English until a language is
chosen, and the choice wins; the site has an icon, linked and at /favicon.ico."""
from __future__ import annotations

from tests.factories import PASSWORD, make_policyholder

EN_US = {"Accept-Language": "en-US,en;q=0.9"}


def test_an_english_browser_gets_english_on_its_first_visit(web):
    assert "Sign in" in web.text("/login", headers=EN_US) and 'lang="en"' in web.text("/login", headers=EN_US)
    assert 'lang="zh-CN"' in web.text("/login", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert 'lang="zh-CN"' in web.text("/login")  # no preference: Chinese, the default
    assert 'lang="zh-CN"' in web.text("/login", headers={"Accept-Language": "fr-FR,de;q=0.8"})  # none we have
    assert 'lang="en"' in web.text("/login", headers={"Accept-Language": "fr-FR,en-GB;q=0.8,zh;q=0.5"})  # best we have


def test_a_language_chosen_wins_over_the_browsers(web):
    web.client.set_cookie("lang", "zh")  # what the language switch keeps
    assert 'lang="zh-CN"' in web.text("/login", headers=EN_US)


def test_the_accounts_language_wins_over_the_browsers(uow, web):
    make_policyholder(uow, email="zh-reader@example.com")  # accounts keep Chinese unless changed
    uow.commit()
    web.login("zh-reader@example.com", PASSWORD)
    assert 'lang="zh-CN"' in web.text("/", headers=EN_US)


def test_the_icon_is_linked_from_every_page_and_served_where_browsers_look(web):
    page = web.text("/login")
    assert '<link rel="icon" href="/static/favicon.ico"' in page
    for path in ("/favicon.ico", "/static/favicon.ico"):
        answer = web.get(path)
        data = answer.data
        answer.close()  # a file response: its file is closed with it
        assert answer.status_code == 200 and data[:4] == b"\x00\x00\x01\x00"  # an ICO file
