"""``next`` after signing in is a path on this site or nothing: control characters (a 500
before: CR/LF split the Location header) and foreign places fall back to the asset sheet."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_policyholder


@pytest.fixture
def alice(uow):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()


@pytest.mark.parametrize("target", ["/\r\n//evil.example", "/\t/evil.example", "//evil.example", "/\x00x",
                                    "https://evil.example/"])
def test_a_bad_next_signs_in_and_goes_home(alice, web, target):
    response = web.post_form("/login", {"identifier": "alice@example.com", "password": PASSWORD, "next": target})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert web.get("/").status_code == 200


def test_a_good_next_is_followed(alice, web):
    response = web.post_form("/login", {"identifier": "alice@example.com", "password": PASSWORD,
                                        "next": "/policies?x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/policies?x=1"


def test_a_bad_next_on_the_language_switch_goes_home(web):
    response = web.post_form("/language/en", {"next": "/\r\n//evil.example"}, token_from="/login")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_a_control_character_in_the_page_asked_for_is_not_carried_to_the_login(web):
    response = web.get("/policies/P1%0D%0Aevil")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"  # no next: it would have carried CR/LF
    login = web.get("/login?next=/%0D%0A//evil.example")
    assert login.status_code == 200
