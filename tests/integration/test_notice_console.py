"""Notices in the console: a delivery given up is listed (recipient masked) and sent again
from there; the print batch joins the paper letters behind an address sheet; the statistics
count letters by type and channel, the share delivered electronically and the share opened."""
from __future__ import annotations

import io

import pyotp
import pytest
from pypdf import PdfReader

from paas.notices.delivery import deliver_due
from tests.factories import PASSWORD, make_staff, principal_of
from paas.notices.preferences import set_preferences
from tests.notice_events_support import deliveries, holder_with_policy, raise_notice


@pytest.fixture
def clerk(uow, web, clock):
    staff = make_staff(uow, "clerk")
    uow.commit()
    web.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    return staff


def test_a_failed_delivery_is_listed_masked_and_sent_again_from_the_console(uow, platform, gateway, clerk, web, clock):
    gateway.failing = True
    customer, _, policy = holder_with_policy(uow, email="failing.customer@example.com")
    notice = raise_notice(uow, policy)
    for row in deliveries(uow, notice).values():
        row.attempts, row.status = 6, "failed"
    uow.commit()
    page = web.text("/console/notices")
    email = deliveries(uow, notice)["email"]
    assert f'data-test="failed-{email.id}"' in page and "f***@example.com" in page and customer.email not in page
    gateway.failing = False
    response = web.post_form(f"/console/notices/deliveries/{email.id}/retry", {}, token_from="/console/notices")
    assert response.status_code == 303
    assert [e.recipient for e in gateway.sent] == [customer.email]
    assert f'data-test="failed-{email.id}"' not in web.text("/console/notices")


def test_the_print_batch_has_an_address_sheet_then_each_paper_letter(uow, clerk, web):
    customer, account, policy = holder_with_policy(uow, name="刘纸", address="北京市朝阳区建国路1号")
    set_preferences(uow, principal_of(account), customer, {("premium_due", "paper")})
    notice = raise_notice(uow, policy)
    uow.commit()
    assert set(deliveries(uow, notice)) == {"paper"}
    assert web.post_form("/console/notices/print", {}, token_from="/console/notices").status_code == 303
    page = web.text("/console/notices")
    name = page.split('data-test="batch-')[1].split('"')[0]
    pdf = web.get(f"/console/notices/print/{name}.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) >= 2
    sheet = reader.pages[0].extract_text()
    assert "刘纸" in sheet and "建国路" in sheet and notice.code in sheet
    uow.session.expire_all()
    assert deliveries(uow, notice)["paper"].status == "printed"
    assert web.post_form("/console/notices/print", {}, token_from="/console/notices").status_code == 303
    assert web.text("/console/notices").count('data-test="batch-') == 1  # nothing left: no empty batch


def test_statistics_by_type_and_channel(uow, platform, clerk, web):
    _, _, policy = holder_with_policy(uow)
    first = raise_notice(uow, policy)
    raise_notice(uow, policy, on=uow.clock.today().replace(day=1))
    deliver_due(uow, uow.clock.now())
    first.read_at = uow.clock.now()
    uow.commit()
    page = web.text("/console/notices/statistics")
    assert 'data-test="type-premium_due"' in page and 'data-test="notice-total">2<' in page
    assert 'data-test="electronic-share">100.0%<' in page and 'data-test="opened-share">50.0%<' in page


def test_a_policyholder_never_sees_the_console_notices(uow, web):
    customer, account, _ = holder_with_policy(uow, email="nosy@example.com")
    uow.commit()
    web.login("nosy@example.com", PASSWORD)
    assert web.get("/console/notices").status_code == 404
