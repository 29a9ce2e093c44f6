"""The headers added at the WSGI level (saas.headers.SecurityHeaders, portal.json_logs.RequestIds):
each exactly once, a view's own Content-Security-Policy kept, anything else of ours replaced, and
the request id known to the logs only while the request runs."""
from __future__ import annotations

from portal.json_logs import REQUEST_ID, RequestIds
from saas.headers import SecurityHeaders

OURS = {"Content-Security-Policy": "default-src 'self'", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def _answer(app, path="/page", **environ):
    started = []
    body = b"".join(app({"PATH_INFO": path, **environ}, lambda status, headers, exc_info=None: started.append(headers)))
    return started[0], body


def _view(*headers):
    def app(_environ, start_response):
        start_response("200 OK", [("Content-Type", "text/html"), *headers])
        return [b"page"]

    return app


def _named(headers, name):
    return [value for header, value in headers if header.lower() == name.lower()]


def test_a_page_gets_every_header_once_and_no_store():
    headers, body = _answer(SecurityHeaders(_view(), OURS))
    assert body == b"page" and _named(headers, "Content-Type") == ["text/html"]
    for name, value in OURS.items():
        assert _named(headers, name) == [value]
    assert _named(headers, "Cache-Control") == ["no-store"]


def test_a_views_own_policy_stands_and_its_other_headers_are_replaced():
    view = _view(("content-security-policy", "sandbox"), ("X-Frame-Options", "SAMEORIGIN"),
                 ("Cache-Control", "max-age=60"))
    headers, _body = _answer(SecurityHeaders(view, OURS))
    assert _named(headers, "Content-Security-Policy") == ["sandbox"]
    assert _named(headers, "X-Frame-Options") == ["DENY"]
    assert _named(headers, "Cache-Control") == ["no-store"]


def test_a_static_file_keeps_its_cache_lifetime():
    headers, _body = _answer(SecurityHeaders(_view(("Cache-Control", "max-age=3600")), OURS), "/static/portal.css")
    assert _named(headers, "Cache-Control") == ["max-age=3600"]
    assert _named(headers, "X-Frame-Options") == ["DENY"]


def test_the_request_id_is_returned_and_known_only_during_the_request():
    seen = []

    def view(environ, start_response):
        seen.append(REQUEST_ID.get())
        return _view()(environ, start_response)

    headers, _body = _answer(RequestIds(view), HTTP_X_REQUEST_ID="lb-1234")
    assert seen == ["lb-1234"] and _named(headers, "X-Request-Id") == ["lb-1234"]
    assert REQUEST_ID.get() == "-"
    headers, _body = _answer(RequestIds(view), HTTP_X_REQUEST_ID="bad id <script>")
    made = _named(headers, "X-Request-Id")
    assert made == [seen[-1]] and len(made[0]) == 32 and int(made[0], 16) >= 0


def test_a_streamed_body_and_its_close_run_under_the_request_id():
    seen = []

    class Streamed:
        def __iter__(self):
            for chunk in (b"one", b"two"):
                seen.append(("chunk", REQUEST_ID.get()))
                yield chunk

        def close(self):
            seen.append(("close", REQUEST_ID.get()))

    def view(_environ, start_response):
        start_response("200 OK", [("Content-Type", "application/pdf")])
        return Streamed()

    body = RequestIds(view)({"PATH_INFO": "/letter.pdf", "HTTP_X_REQUEST_ID": "lb-77"}, lambda *a: None)
    assert REQUEST_ID.get() == "-"  # nothing of the request is left set between its chunks
    assert b"".join(body) == b"onetwo"
    body.close()
    assert seen == [("chunk", "lb-77"), ("chunk", "lb-77"), ("close", "lb-77")]
    assert REQUEST_ID.get() == "-"


def test_a_list_body_and_the_servers_file_wrapper_reach_the_server_unwrapped():
    class FileWrapper:  # as gunicorn's: the server sends it with sendfile only if it gets it back
        def __init__(self, file, block_size=8192):
            self.file = file

        def __iter__(self):
            return iter([b"file"])

    wrapped = FileWrapper(None)

    def listed(_environ, start_response):
        start_response("200 OK", [])
        return [b"page"]

    def sent_file(_environ, start_response):
        start_response("200 OK", [])
        return wrapped

    environ = {"PATH_INFO": "/x", "wsgi.file_wrapper": FileWrapper}
    assert RequestIds(listed)(dict(environ), lambda *a: None) == [b"page"]
    assert RequestIds(sent_file)(dict(environ), lambda *a: None) is wrapped
