"""Structured logs: one JSON object a line, each carrying the request id of the request it
belongs to. The id comes from ``X-Request-Id`` when a proxy sent a sane one (so one id
follows a request through the load balancer and the portal), else a new one; it is returned
in the response's ``X-Request-Id``."""
from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
from datetime import datetime, timezone

from flask import Flask

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
_SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")  # what we accept back into our logs and headers
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": REQUEST_ID.get(),
        }
        entry.update({key: value for key, value in vars(record).items() if key not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: str = "INFO") -> None:
    """JSON lines on stderr for the whole process (the container's log driver collects them)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class RequestIds:
    """WSGI middleware: the request's id set for its logs before the app runs, returned in the
    response's headers and forgotten after (three Flask hooks did this at every request)."""

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        offered = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _SANE_ID.fullmatch(offered) else os.urandom(16).hex()
        REQUEST_ID.set(request_id)

        def start_with_id(status, headers, exc_info=None):
            headers.append(("X-Request-Id", request_id))
            return start_response(status, headers, exc_info)

        try:
            body = self.app(environ, start_with_id)
        finally:
            REQUEST_ID.set("-")
        # A streamed body (a PDF, a CSV export) runs its code after we return: its chunks and its
        # close() log under the id too. A list has no code left to run, and the server's own file
        # wrapper must reach the server unwrapped or it loses its sendfile path.
        file_wrapper = environ.get("wsgi.file_wrapper")
        if isinstance(body, (list, tuple)) or (isinstance(file_wrapper, type) and isinstance(body, file_wrapper)):
            return body
        return _BodyUnderId(body, request_id)


class _BodyUnderId:
    """A response body whose iteration and close() run with its request's id set."""

    def __init__(self, body, request_id: str) -> None:
        self._body, self._request_id = body, request_id

    def __iter__(self):
        chunks = iter(self._body)
        while True:
            token = REQUEST_ID.set(self._request_id)
            try:
                chunk = next(chunks)
            except StopIteration:
                return
            finally:
                REQUEST_ID.reset(token)
            yield chunk

    def close(self) -> None:
        close = getattr(self._body, "close", None)
        if close is not None:
            token = REQUEST_ID.set(self._request_id)
            try:
                close()
            finally:
                REQUEST_ID.reset(token)


def init_app(app: Flask) -> None:
    app.wsgi_app = RequestIds(app.wsgi_app)
