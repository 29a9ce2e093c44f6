"""The console's SMS simulator: a colleague types as a mobile; the message takes the one
path every SMS takes; the replies show, a code never does; each simulated message is audited."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from paas.audit.models import AuditEntry
from tests.outbox_support import sms_code
from tests.servicing_support import make_holder, staff_signed_in

MOBILE = "+8613800000000"


@pytest.fixture
def holder(uow):
    return make_holder(uow, "sim@example.com", MOBILE)


def _send(web, text: str, mobile: str = MOBILE):
    return web.post_form("/console/sms", {"mobile": mobile, "message": text}, token_from=f"/console/sms?mobile={mobile}")


def test_staff_type_as_a_mobile_and_see_the_reply(platform, uow, holder, web, clock):
    staff_signed_in(uow, web, clock)
    response = _send(web, "ＰＯＬ")
    assert response.status_code == 302
    page = web.text(response.headers["Location"])
    assert "ＰＯＬ" in page and holder.whole_life.policy_number in page and "保单" + holder.whole_life.policy_number in page
    entries = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "sms.simulated")).all()
    assert len(entries) == 1


def test_the_code_sent_to_the_phone_shows_as_dots(platform, uow, holder, web, clock):
    staff_signed_in(uow, web, clock)
    page = web.text(_send(web, f"WD {holder.whole_life.policy_number[-4:]} 200").headers["Location"])
    found = re.search(r"SR[0-9A-F]{10}", page)
    assert found, page
    code = sms_code(uow, found[0])
    assert "••••••" in page and code not in page
    page = web.text(_send(web, code).headers["Location"])
    assert code not in page and "办理完成" in page


def test_anything_typed_is_answered_never_an_error(platform, uow, holder, web, clock):
    staff_signed_in(uow, web, clock)
    for typed in ("", "😀" * 300, "<script>alert(1)</script>", "%(code)s", "WD 9 -1", "领取 ０ 五百", "\u200b\u00a0POL"):
        response = _send(web, typed)
        assert response.status_code == 302, typed
    # A control character is refused by the console's form as every form refuses it, in words;
    # from a phone it is only a space (tests/unit/test_sms_parser_properties.py).
    refused = _send(web, "\x00\x1b[31m")
    assert refused.status_code == 422 and "控制字符" in refused.get_data(as_text=True)
    page = web.text(f"/console/sms?mobile={MOBILE}")
    assert "<script>alert(1)</script>" not in page


def test_policyholders_and_strangers_do_not_reach_it(web):
    assert web.get("/console/sms").status_code == 302  # to the staff sign-in


def test_only_the_colleagues_who_answer_customers_use_it(uow, web, clock):
    staff_signed_in(uow, web, clock, role="adjuster")
    assert web.get("/console/sms").status_code == 403
    assert web.get("/console/sms/opt-outs").status_code == 403


def test_a_production_portal_has_no_simulator(app, uow, web, clock):
    app.config["PORTAL_SMS_SIMULATOR"] = False
    staff_signed_in(uow, web, clock)
    assert web.get("/console/sms").status_code == 404
    assert "nav-sms" not in web.text("/console/")
