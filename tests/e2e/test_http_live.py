"""Real HTTP on loopback against the real gunicorn: security headers, cookie flags, sign-in
throttling, sign-out invalidating the session, oversized bodies and unknown policies."""
from __future__ import annotations

import html
import re
import time
from urllib.parse import quote

import pytest

from paas.security.lockout_notice import SIGN_IN_PAUSED
from portal.demo.people import PEOPLE
from tests.e2e.support import DEMO, DEMO2, HttpClient, zh
from tests.outbox_support import local_messages

pytestmark = pytest.mark.slow

PAGES = ["/login", "/console/login", "/", "/policies/P0000000000", "/no-such-page", "/static/portal.css"]


def cookie_attributes(set_cookie_headers: list[str], name: str) -> list[str]:
    for header in set_cookie_headers:
        if header.startswith(name + "="):
            return [part.strip().lower() for part in header.split(";")[1:]]
    raise AssertionError(f"no {name} cookie set in {set_cookie_headers}")


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(live_server, path):
    response = live_server.http().get(path)
    assert response.status in (200, 302, 404), response.status
    csp = response.header("Content-Security-Policy") or ""
    directives = {part.strip() for part in csp.split(";")}
    assert "frame-ancestors 'none'" in directives, csp
    assert "default-src 'self'" in directives, csp
    assert response.header("X-Frame-Options") == "DENY"
    assert response.header("X-Content-Type-Options") == "nosniff"
    if not path.startswith("/static/"):
        assert response.header("Cache-Control") == "no-store"


def test_signed_in_pages_carry_the_headers_too(live_server, policy_numbers):
    client = live_server.http()
    assert client.login(DEMO).status == 302
    for path in ("/", f"/policies/{policy_numbers[DEMO][0]}"):
        response = client.get(path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.header("Content-Security-Policy")
        assert response.header("X-Frame-Options") == "DENY"
        assert response.header("X-Content-Type-Options") == "nosniff"
        assert response.header("Cache-Control") == "no-store"
    client.logout()


def test_session_cookie_is_httponly_and_samesite_lax(live_server):
    client = live_server.http()
    anonymous = client.get("/login")
    attributes = cookie_attributes(anonymous.set_cookies(), "portal_session")
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "path=/" in attributes

    signed_in = client.post_form(
        "/login", {"csrf_token": anonymous.csrf_token(), "identifier": DEMO, "password": live_server.password}
    )
    assert signed_in.status == 302
    attributes = cookie_attributes(signed_in.set_cookies(), "portal_session")
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    client.logout()


def test_signing_out_makes_the_old_cookie_worthless(live_server, policy_numbers):
    client = live_server.http()
    assert client.login(DEMO).status == 302
    assert client.get("/").status == 200
    stolen = dict(client.cookies)
    policy = f"/policies/{policy_numbers[DEMO][0]}"

    signed_out = client.logout()
    assert signed_out.status == 302
    assert signed_out.header("Location").endswith("/login")

    replay = HttpClient(live_server.host, live_server.port)
    replay.cookies = stolen
    response = replay.get("/")
    assert response.status == 302
    assert response.header("Location").startswith("/login")
    response = replay.get(policy)
    assert response.status == 302
    assert response.header("Location").startswith("/login")


def test_oversized_body_gets_a_413_page_not_a_500(live_server):
    client = live_server.http()
    client.get("/login")
    body = b"identifier=" + b"x" * (2 * 1024 * 1024 + 1024)
    response = client.request(
        "POST", "/login", body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert response.status == 413
    assert response.header("Content-Type").startswith("text/html")
    assert zh("What you sent is too large.") in response.text
    assert "Traceback" not in response.text
    # The server is still fine afterwards.
    assert live_server.http().get("/login").status == 200


def alert_text(response) -> str:
    match = re.search(r'<p class="error" role="alert"[^>]*>(.*?)</p>', response.text, re.S)
    assert match, f"no error message on the page: {response.text[:500]}"
    return html.unescape(match.group(1).strip())


@pytest.mark.parametrize(
    "number",
    ["GARBAGE", "P0000000000", "P" + "9" * 40, "<script>alert(1)</script>", "../../etc/passwd", "P' OR '1'='1", "保单"],
)
def test_garbage_policy_numbers_are_not_found(live_server, number):
    client = live_server.http()
    assert client.login(DEMO2).status == 302
    response = client.get("/policies/" + quote(number, safe=""))
    assert response.status == 404
    assert "Traceback" not in response.text
    assert "<script>alert" not in response.text  # whatever is echoed back is escaped
    generic = "We could not find that page."
    specific = "We could not find policy %(number)s among your policies."
    shown = number[:20]  # the message quotes at most 20 characters of it
    assert alert_text(response) in {
        zh(generic), generic, zh(specific, number=shown), specific % {"number": shown}
    }
    client.logout()


def test_sign_in_is_throttled_per_account(private_live_server):
    """Its own server: the counters live in its data folder and must not leak into other tests."""
    server = private_live_server
    wrong = {"identifier": DEMO, "password": "wrong-password"}
    for attempt in range(1, 6):
        client = server.http()
        token = client.get("/login").csrf_token()
        response = client.post_form("/login", {"csrf_token": token, **wrong})
        assert response.status == 401, f"attempt {attempt}: {response.status}"
        assert response.header("Retry-After") is None

    client = server.http()
    token = client.get("/login").csrf_token()
    sixth = client.post_form("/login", {"csrf_token": token, **wrong})
    assert sixth.status == 429
    retry_after = int(sixth.header("Retry-After"))
    assert 0 < retry_after <= 15 * 60
    expected = zh("Too many unsuccessful attempts. For your security, please wait %(minutes)s minutes and try again.",
                  minutes=15)
    assert 'data-test="login-error"' in sixth.text
    assert expected in sixth.text

    # Even the right password waits now...
    client = server.http()
    token = client.get("/login").csrf_token()
    right = client.post_form("/login", {"csrf_token": token, "identifier": DEMO, "password": server.password})
    assert right.status == 429
    assert client.get("/").status == 302

    # ...while other accounts from the same address are not affected.
    other = server.http()
    assert other.login(DEMO2).status == 302
    assert other.get("/").status == 200

    # The owner was told once, by SMS to their mobile and by e-mail, in their language (the embedded
    # gateway writes each message as a file in the data folder).
    mobile = next(p.mobile for p in PEOPLE if p.email == DEMO)
    sms_dir = server.data_dir / "outbox" / "sms"
    deadline = time.monotonic() + 5
    # (the demo's e-policies, sent as notices when it was seeded, are files there too: notice-*)
    while not list(sms_dir.glob("msg-*.json")) and time.monotonic() < deadline:
        time.sleep(0.1)

    def told_now() -> list:  # sealed in the files: a test unseals them
        return [m for m in local_messages(server.data_dir) if not m.reference.startswith("notice-")]

    while len(told_now()) < 2 and time.monotonic() < deadline:  # the e-mail may land a moment later
        time.sleep(0.1)
    messages = told_now()
    # (a policyholder's pause is a security alert: by SMS and by e-mail, once each)
    assert sorted(m.recipient for m in messages) == sorted([mobile, DEMO])
    told = next(m for m in messages if m.recipient == mobile)
    assert told.body.startswith(zh(SIGN_IN_PAUSED.text)) and "95500" in told.body
