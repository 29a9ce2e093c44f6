"""GET /session/check: 200 and nothing else while signed in; signed out, idle too long or
after sign-out it is the login page like any page (the check is the real one, not a cache)."""
from __future__ import annotations

from datetime import timedelta

from tests.factories import PASSWORD, make_policyholder


def test_answers_only_while_the_session_holds(uow, web, clock):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    assert web.get("/session/check").status_code == 302  # never signed in
    web.login("alice@example.com", PASSWORD)
    signed_in = web.get("/session/check")
    assert signed_in.status_code == 200 and signed_in.get_data() == b""
    assert signed_in.headers["Cache-Control"] == "no-store"
    # the unchanged session is not sent again, and caches are told the answer depends on it
    assert "Set-Cookie" not in signed_in.headers and "Cookie" in signed_in.headers["Vary"]
    out = web.logout()
    assert "portal_session=;" in out.headers["Set-Cookie"]  # the cookie is deleted at sign-out
    after = web.get("/session/check")
    assert after.status_code == 302 and after.headers["Location"].startswith("/login")


def test_an_idle_session_is_refused_at_once(uow, web, clock, platform):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    clock.advance(platform.security.idle_timeout + timedelta(seconds=1))
    assert web.get("/session/check").status_code == 302


def test_a_session_in_use_stays_signed_in_past_the_idle_timeout(uow, web, clock, platform):
    """Each request's last-seen time is kept (a read-only page writes it, and on SQLite its
    transaction must still be committed): browsing every 10 minutes never times out."""
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    step = platform.security.idle_timeout * 2 / 3
    for _ in range(4):
        clock.advance(step)
        assert web.get("/session/check").status_code == 200
        assert web.get("/").status_code == 200


def test_session_protection_off_costs_nothing_and_on_still_applies(uow, web, app, monkeypatch):
    """Flask-Login hashed the address and user agent at every request even with its protection
    off; it now does only when protection is on (then exactly as Flask-Login does)."""
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    identifiers = []
    make_identifier = app.login_manager._session_identifier_generator

    def counting():
        identifiers.append(1)
        return make_identifier()

    monkeypatch.setattr(app.login_manager, "_session_identifier_generator", counting)
    assert web.get("/session/check").status_code == 200
    assert identifiers == []
    app.config["SESSION_PROTECTION"] = "strong"
    assert web.get("/session/check").status_code == 200  # a permanent session is only marked not fresh
    assert identifiers == [1]


def test_a_get_skips_the_token_work_and_a_post_without_its_token_is_refused(uow, web, app, monkeypatch):
    from flask_wtf import csrf

    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    validated, exemptions = [], []
    validate, is_exempt = csrf.validate_csrf, app.extensions["csrf"]._is_exempt
    monkeypatch.setattr(csrf, "validate_csrf", lambda *args, **kwargs: validated.append(1) or validate(*args, **kwargs))
    monkeypatch.setattr(app.extensions["csrf"], "_is_exempt", lambda: exemptions.append(1) or is_exempt())
    for method in (web.client.get, web.client.head, web.client.options):
        assert method("/session/check").status_code in (200, 405)
    assert validated == [] and exemptions == []
    assert web.client.post("/logout", data={}).status_code == 400
    assert validated == [1] and exemptions == [1]
    assert web.get("/session/check").status_code == 200  # still signed in
    web.logout()
    assert web.get("/session/check").status_code == 302


def test_the_remember_me_hook_still_acts_when_told_to(uow, web, app):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert "Set-Cookie" not in web.get("/session/check").headers
    app.config["REMEMBER_COOKIE_REFRESH_EACH_REQUEST"] = True
    assert "remember_token=" in web.get("/session/check").headers["Set-Cookie"]
