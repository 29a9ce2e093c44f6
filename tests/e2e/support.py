"""Helpers the end-to-end tests share (the fixtures themselves are in conftest.py)."""
from __future__ import annotations

import gettext
import http.client
import re
import subprocess
import sys
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pyotp

REPO_ROOT = Path(__file__).resolve().parents[2]
BIN_DIR = Path(sys.executable).parent
PORTAL = BIN_DIR / "portal"
GUNICORN = BIN_DIR / "gunicorn"
TRANSLATIONS_DIR = REPO_ROOT / "paas" / "i18n" / "translations"

DEMO_PASSWORD = "demo-password-1"
DEMO = "demo@example.com"
DEMO2 = "demo2@example.com"

_CSRF = re.compile(r'name="csrf_token"[^>]*\bvalue="([^"]+)"')


def zh(msgid: str, **params: object) -> str:
    """What the compiled Chinese catalogue says for ``msgid`` (the msgid itself while it is
    still untranslated), so the assertions follow the catalogue as the translator fills it in."""
    catalogue = gettext.translation("messages", localedir=str(TRANSLATIONS_DIR), languages=["zh"], fallback=True)
    text = catalogue.gettext(msgid)
    return text % params if params else text


@dataclass
class LiveServer:
    """A running gunicorn serving the portal from its own data folder."""

    base_url: str
    host: str
    port: int
    data_dir: Path
    env: dict[str, str]
    staff_totp_secrets: dict[str, str]
    seed_output: str
    log_path: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    password = DEMO_PASSWORD

    def url(self, path: str) -> str:
        return self.base_url + path

    def portal(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run the real ``portal`` CLI against this server's data folder, same environment."""
        result = subprocess.run(
            [str(PORTAL), *args], env=self.env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"portal {' '.join(args)} exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        return result

    def totp(self, email: str) -> pyotp.TOTP:
        return pyotp.TOTP(self.staff_totp_secrets[email])

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def http(self) -> "HttpClient":
        return HttpClient(self.host, self.port)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str

    def header(self, name: str) -> str | None:
        return self.headers.get(name)

    def set_cookies(self) -> list[str]:
        return self.headers.get_all("Set-Cookie") or []

    def csrf_token(self) -> str:
        match = _CSRF.search(self.text)
        assert match, f"no csrf_token on the page (status {self.status})"
        return match.group(1)


class HttpClient:
    """One visitor over real HTTP on loopback: keeps its cookies, never follows redirects."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Response:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
        try:
            try:
                conn.request(method, path, body=body, headers=headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # a server may answer (413) before it has read all of a large body
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read().decode("utf-8", errors="replace"))
        finally:
            conn.close()
        self._remember(response)
        return response

    def _remember(self, response: Response) -> None:
        for header in response.set_cookies():
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value or "1970" in (morsel["expires"] or ""):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post_form(self, path: str, fields: dict[str, str]) -> Response:
        return self.request(
            "POST", path, body=urlencode(fields).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def login(self, identifier: str, password: str = DEMO_PASSWORD) -> Response:
        token = self.get("/login").csrf_token()
        return self.post_form("/login", {"csrf_token": token, "identifier": identifier, "password": password})

    def logout(self) -> Response:
        token = self.get("/").csrf_token()
        return self.post_form("/logout", {"csrf_token": token})


def set_account_language(server: LiveServer, email: str, locale: str) -> None:
    """Put a policyholder's saved language back. Switching language while signed in saves it
    on the account, and the account's choice applies at the next sign-in in any browser."""
    client = server.http()
    assert client.login(email).status == 302, f"could not sign in as {email}"
    page = client.get("/")
    answer = client.post_form(f"/language/{locale}", {"csrf_token": page.csrf_token(), "next": "/"})
    assert answer.status == 302, answer.status
    client.logout()


def sign_in(page, identifier: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and send the policyholder sign-in form shown on ``page``."""
    page.fill("#identifier", identifier)
    page.fill("#password", password)
    page.click("form.stack button[type=submit]")


def fill_about_the_life(page, *, height: str, weight: str, income: str, beneficiary: str) -> None:
    """The application form after its health answers: measurements, occupation and income,
    one beneficiary for everything, online premium payment and the two declarations."""
    page.fill("#height_cm", height)
    page.fill("#weight_kg", weight)
    page.select_option("#occupation_class", "1")
    page.fill("#income", income)
    page.fill("#cover_elsewhere", "0")
    page.fill("#beneficiary_1_name", beneficiary)
    page.select_option("#beneficiary_1_relationship", "spouse")
    page.fill("#beneficiary_1_share", "100")
    page.check("#pm-online")
    page.check("#declare_truth")
    page.check("#consent_data")
