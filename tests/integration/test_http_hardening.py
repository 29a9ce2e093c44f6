"""Bad, oversized and wrongly-typed input gets a clear 4xx in the user's language; pages carry
security headers; nothing ever shows a stack trace."""
from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_policy, make_policyholder


@pytest.fixture
def signed_in(uow, web):
    customer, _ = make_policyholder(uow, email="hard@example.com")
    make_policy(uow, customer)
    uow.commit()
    web.login("hard@example.com", PASSWORD)
    return web


def test_security_headers_on_every_page(web):
    response = web.get("/login")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure_and_hsts_is_sent(platform, tmp_path):
    from portal.app import create_app
    from portal.config import Settings

    settings = Settings.from_env({"PORTAL_ENV": "production", "PORTAL_SECRET_KEY": "x" * 40, "PORTAL_DATA_DIR": str(tmp_path)})
    client = create_app(settings, platform=platform).test_client()
    response = client.get("/login", base_url="https://portal.example")
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age" in response.headers["Strict-Transport-Security"]


@pytest.mark.parametrize("path", ["/policies/<script>alert(1)</script>", "/policies/" + "9" * 500, "/policies/P%00",
                                  "/policies/../../etc/passwd", "/nowhere"])
def test_garbage_paths_are_404_pages_in_chinese(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert 'lang="zh-CN"' in body and "<script>alert" not in body and "Traceback" not in body


def test_wrong_method_is_405(signed_in):
    response = signed_in.get("/logout")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_oversized_body_is_413(web):
    response = web.client.post("/login", data={"identifier": "x" * (3 * 1024 * 1024), "password": "p"})
    assert response.status_code == 413
    assert "Traceback" not in response.get_data(as_text=True)


def test_wrongly_typed_and_missing_fields_are_handled(uow, web):
    token = web.csrf_token()
    for data in ({"identifier": ["a@b.cn", "c@d.cn"], "password": "x"}, {}, {"password": "only"},
                 {"identifier": "\x00\x01", "password": "x" * 10_000}):
        response = web.client.post("/login", data={"csrf_token": token, **data})
        assert 400 <= response.status_code < 500, data
    json_post = web.client.post("/login", json={"identifier": "a"}, headers={"X-CSRFToken": token})
    assert 400 <= json_post.status_code < 500
    invalid_utf8 = web.client.post("/login", data=f"csrf_token={token}&identifier=%FF%FE&password=%C3".encode(),
                                   content_type="application/x-www-form-urlencoded")
    assert 400 <= invalid_utf8.status_code < 500


def test_api_errors_are_json(web):
    response = web.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json
    assert response.json["error"]["message"]


def test_unexpected_errors_are_a_calm_500_without_details(platform, settings):
    from portal.app import create_app

    app = create_app(settings, platform=platform)

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in body and "Traceback" not in body
    assert 'lang="zh-CN"' in body


def test_static_assets_are_served_and_cacheable(web):
    with web.get("/static/portal.css") as response:
        assert response.status_code == 200 and "max-age" in response.headers.get("Cache-Control", "")
