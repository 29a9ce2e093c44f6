"""The signed cookie session with its serializer kept per key set (saas.cookie_session): a key
rotated away signs everyone out, a fallback key still opens the cookies it signed, and a
tampered cookie opens nothing; its signatures are Flask's own."""
from __future__ import annotations

import pytest
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from tests.factories import PASSWORD, make_policyholder


def test_keys_are_honoured_as_flask_honours_them(uow, web, app):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    old_key = app.secret_key
    app.secret_key = "a-new-secret-key-after-rotation"
    assert web.get("/session/check").status_code == 302  # signed with a key no longer accepted
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    assert web.get("/session/check").status_code == 200  # the old key as a fallback still opens it
    cookie = web.client.get_cookie("portal_session")
    web.client.set_cookie("portal_session", cookie.value[:-2] + ("AA" if cookie.value[-2:] != "AA" else "BB"))
    assert web.get("/session/check").status_code == 302



def test_the_cookie_is_signed_as_flask_signs_it(app):
    ours = app.session_interface.get_signing_serializer(app)
    flasks = SecureCookieSessionInterface().get_signing_serializer(app)
    value = {"_user_id": "token-of-wang-li", "csrf_token": "abc", "_permanent": True}
    signed = ours.dumps(value)
    assert flasks.loads(signed) == value and ours.loads(flasks.dumps(value)) == value
    forged = ours.dumps({**value, "_user_id": "someone-else"}).rsplit(".", 2)[0] + "." + signed.split(".", 1)[1]
    with pytest.raises(BadSignature):
        ours.loads(forged)
    with pytest.raises(BadSignature):
        flasks.loads(forged)


def _cookie(web) -> str:
    return web.client.get_cookie("portal_session").value


def _verifications(app, monkeypatch) -> list[str]:
    """The cookies whose signature is really checked from here on (not taken as remembered)."""
    checked: list[str] = []
    serializer = app.session_interface.get_signing_serializer(app)
    loads = serializer.loads

    def counting(value, *args, **kwargs):
        checked.append(value)
        return loads(value, *args, **kwargs)

    monkeypatch.setattr(serializer, "loads", counting)
    return checked


def test_an_unchanged_cookie_is_verified_once(uow, web, app, monkeypatch):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    checked = _verifications(app, monkeypatch)
    for _ in range(3):
        assert web.get("/session/check").status_code == 200
    assert checked == [_cookie(web)]


def test_a_remembered_cookie_is_refused_after_sign_out(uow, web, app, monkeypatch):
    """The cookie is remembered, but the server-side session it names is looked up each time."""
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    signed_in = _cookie(web)
    web.logout()
    checked = _verifications(app, monkeypatch)
    web.client.set_cookie("portal_session", signed_in)  # the old cookie, replayed
    assert web.get("/session/check").status_code == 302
    assert checked == []  # it was the remembered cookie that was refused


def test_a_remembered_cookie_past_the_session_lifetime_is_refused(uow, web, app, monkeypatch):
    """Its age is checked at every request: here the server-side session still holds (the
    portal's clock stands still), so only the cookie's own expiry can refuse it."""
    from saas import cookie_session

    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200
    checked = _verifications(app, monkeypatch)
    now = cookie_session.time.time()
    lifetime = app.permanent_session_lifetime.total_seconds()
    monkeypatch.setattr(cookie_session.time, "time", lambda: now + lifetime - 5)
    assert web.get("/session/check").status_code == 200
    monkeypatch.setattr(cookie_session.time, "time", lambda: now + lifetime + 5)
    assert web.get("/session/check").status_code == 302
    monkeypatch.setattr(cookie_session.time, "time", lambda: now - 3600)  # signed "in the future"
    assert web.get("/session/check").status_code == 302
    assert checked == []


def test_each_browser_gets_its_own_remembered_session(uow, web, other_web, app):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    make_policyholder(uow, name="李雷", mobile="+8613711113333", email="bob@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    other_web.login("bob@example.com", PASSWORD)
    for _ in range(2):
        assert "王丽" in web.text("/") and "李雷" not in web.text("/")
        assert "李雷" in other_web.text("/") and "王丽" not in other_web.text("/")
    other_web.logout()
    assert web.get("/session/check").status_code == 200  # one signing out leaves the other alone
    assert other_web.get("/session/check").status_code == 302


def test_a_request_changing_its_session_leaves_the_remembered_one_alone(app):
    interface = app.session_interface
    serializer = interface.get_signing_serializer(app)
    value = serializer.dumps({"_user_id": "token-of-wang-li", "csrf_token": "abc", "_permanent": True})
    with app.test_request_context(headers={"Cookie": f"portal_session={value}"}) as context:
        first = interface.open_session(app, context.request)
        first["_user_id"] = "someone-else"
        first.clear()
        again = interface.open_session(app, context.request)
    assert again["_user_id"] == "token-of-wang-li" and not again.modified
    assert value in interface._verified


def test_a_tampered_copy_of_a_remembered_cookie_opens_nothing(uow, web):
    make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    uow.commit()
    web.login("alice@example.com", PASSWORD)
    assert web.get("/session/check").status_code == 200  # remembered now
    cookie = _cookie(web)
    payload, stamp, signature = cookie.rsplit(".", 2)
    for tampered in (cookie + "x", f"{payload}.{stamp}.{signature[::-1]}", f"{payload}x.{stamp}.{signature}"):
        web.client.set_cookie("portal_session", tampered)
        assert web.get("/session/check").status_code == 302, tampered
