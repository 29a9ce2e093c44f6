"""Templates' remembered url_for (saas.page_urls) answers exactly what Flask's would, under
any script root, and each language's bound translations are the request's own."""
from __future__ import annotations

from flask import render_template_string, url_for

from saas.page_urls import page_url


def test_a_remembered_url_is_the_url_flask_builds(app):
    cases = [("web.asset_sheet", {}), ("static", {"filename": "portal.css"}),
             ("web.policy", {"policy_number": "P0000000001"}), ("web.policy", {"policy_number": "P0000000002"}),
             ("web.language", {"code": "en"}), ("web.products", {"tab": "a b&c"})]
    for script_root in ("", "/portal"):
        with app.test_request_context("/", base_url=f"http://localhost{script_root}/"):
            for endpoint, values in cases:
                for _twice in range(2):  # built, then remembered
                    assert page_url(endpoint, **values) == url_for(endpoint, **values)
            assert page_url("web.asset_sheet").startswith(script_root + "/")
            assert page_url("web.policy", policy_number="X", _anchor="top") == url_for(
                "web.policy", policy_number="X", _anchor="top")
            assert page_url("web.products", tab=["a", "b"]) == url_for("web.products", tab=["a", "b"])


def test_templates_use_the_remembered_url_for_and_the_request_language(app):
    assert app.jinja_env.globals["url_for"] is page_url
    page = "{{ url_for('web.asset_sheet') }}|{{ _('My policies') }}"
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        assert render_template_string(page) == "/|My policies"
    with app.test_request_context("/", headers={"Cookie": "lang=zh"}):
        assert render_template_string(page) == "/|我的保单"
