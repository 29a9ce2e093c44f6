"""Every request is counted and timed under its route and status (portal.metrics), each series
looked up once and then counted from that copy: the tenth request of a route counts as the first."""
from __future__ import annotations

from prometheus_client import REGISTRY


def _count(route: str, status: str, method: str = "GET") -> float:
    return REGISTRY.get_sample_value("portal_http_requests_total", {"method": method, "route": route, "status": status}) or 0


def _timed(route: str) -> float:
    return REGISTRY.get_sample_value("portal_http_request_seconds_count", {"method": "GET", "route": route}) or 0


def test_each_request_is_counted_and_timed_under_its_route(web):
    before, timed_before, missing_before = _count("/login", "200"), _timed("/login"), _count("unmatched", "404")
    for _ in range(10):
        assert web.get("/login").status_code == 200
    assert web.get("/no-such-page").status_code == 404
    assert _count("/login", "200") - before == 10 and _timed("/login") - timed_before == 10
    assert _count("unmatched", "404") - missing_before == 1


def test_made_up_methods_are_counted_as_one_series(app):
    # A client may send any token as its method; each would otherwise be a series kept for ever.
    before = _count("unmatched", "404", "other")
    for n in range(5):
        assert app.test_client().open("/no-such-page", method=f"FOO{n}").status_code == 404
    names = {sample.labels.get("method") for metric in REGISTRY.collect() if metric.name == "portal_http_requests"
             for sample in metric.samples}
    assert not any(name.startswith("FOO") for name in names if name)
    assert _count("unmatched", "404", "other") - before == 5
