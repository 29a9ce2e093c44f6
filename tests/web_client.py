"""A thin helper over Flask's test client that behaves like a browser with forms: it reads
the CSRF token from the page it is on, as a real form post would carry it."""
from __future__ import annotations

import re

from flask.testing import FlaskClient

_TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


class WebClient:
    def __init__(self, client: FlaskClient) -> None:
        self.client = client

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def csrf_token(self, path: str = "/login") -> str:
        page = self.client.get(path)
        match = _TOKEN.search(page.get_data(as_text=True))
        assert match, f"no CSRF token on {path} (status {page.status_code})"
        return match.group(1)

    def post_form(self, path: str, data: dict, *, token_from: str | None = None, **kwargs):
        token = self.csrf_token(token_from or path)
        return self.client.post(path, data={"csrf_token": token, **data}, **kwargs)

    def login(self, identifier: str, password: str):
        return self.post_form("/login", {"identifier": identifier, "password": password})

    def staff_login(self, email: str, password: str, code: str):
        return self.post_form("/console/login", {"email": email, "password": password, "code": code})

    def logout(self):
        return self.post_form("/logout", {}, token_from="/")

    def text(self, path: str, **kwargs) -> str:
        return self.client.get(path, **kwargs).get_data(as_text=True)
