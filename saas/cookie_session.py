"""Flask's signed cookie session (itsdangerous, the app's secret key and its fallbacks), with
its serializer built once per set of keys instead of at every request. The signature, its
age and the keys accepted are checked exactly as Flask checks them.

A cookie whose signature was verified is remembered by its exact text (and the keys that
verified it), so the same bytes sent again skip the HMAC and the decoding - about a quarter
of a millisecond on every signed-in request. Only that is skipped: the cookie's age is checked
against the session lifetime at every request, a rotated key refuses it at once, and what the
cookie names (the server-side session) is still looked up at every request by Flask-Login's
loader, so sign-out and revocation take effect on the next request whatever is remembered."""
from __future__ import annotations

import threading
import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

VERIFIED_KEPT = 2048  # cookies remembered per worker; beyond, the oldest is forgotten
VERIFIED_COOKIE_MAX = 4096  # what a browser sends at most; longer ones are verified each time
# Values a cookie session may hold that a shallow copy cannot share between requests.
_IMMUTABLE = (str, bytes, int, float, bool, type(None))


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer | None] = {}
        # cookie text -> (keys that verified it, its signing time in seconds, its contents)
        self._verified: dict[str, tuple[tuple, int, dict]] = {}
        self._evicting = threading.Lock()

    def _keys(self, app: Flask) -> tuple:
        return app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ())

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = self._keys(app)
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        keys = self._keys(app)
        serializer = self._serializers.get(keys) or self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(value)
        if known is not None and known[0] == keys:
            # The same check itsdangerous makes of the signing time (TimestampSigner.unsign).
            age = int(time.time()) - known[1]
            if 0 <= age <= max_age:
                return self.session_class(known[2])  # a copy: the request may change its session
            return self.session_class()  # expired (or from the future), as itsdangerous refuses it
        try:
            data, signed_at = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if (len(value) <= VERIFIED_COOKIE_MAX and isinstance(data, dict)
                and all(isinstance(item, _IMMUTABLE) for item in data.values())):
            self._remember(value, (keys, int(signed_at.timestamp()), dict(data)))
        return self.session_class(data)

    def save_session(self, app: Flask, session: SecureCookieSession, response) -> None:
        """Flask's, without reading the cookie's seven settings when nothing is sent: an unchanged
        session (every request but sign-in and sign-out here) only gets its ``Vary: Cookie``."""
        if not self.should_set_cookie(app, session):  # nor modified, so not to be deleted either
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def _remember(self, value: str, entry: tuple[tuple, int, dict]) -> None:
        with self._evicting:
            verified = self._verified
            while len(verified) >= VERIFIED_KEPT:
                verified.pop(next(iter(verified)))
            verified[value] = entry


def init_app(app: Flask) -> None:
    app.session_interface = CookieSessions()
