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
