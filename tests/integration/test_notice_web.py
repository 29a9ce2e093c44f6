"""Notices on the policyholder web: the inbox with its unread count and filters, a notice
opened (read) and its PDF (PAdES-signed), another customer's notice a 404, the choices per
type and channel at /account/notices, and the public /verify page."""
from __future__ import annotations

import pytest
from sqlalchemy import update

from paas.notices.models import Notice
from tests.factories import PASSWORD, make_policy, make_policyholder
from tests.notice_events_support import lapse_data, raise_notice


@pytest.fixture
def alice(uow, web):
    customer, account = make_policyholder(uow, name="王丽", email="notices-alice@example.com")
    policy, other = make_policy(uow, customer), make_policy(uow, customer)
    due = raise_notice(uow, policy)
    lapse = raise_notice(uow, other, "lapsed", lapse_data())
    uow.commit()
    web.login("notices-alice@example.com", PASSWORD)
    return {"policy": policy, "other": other, "due": due, "lapse": lapse}


@pytest.fixture
def bobs_notice(uow):
    customer, _ = make_policyholder(uow, name="赵强", email="notices-bob@example.com")
    notice = raise_notice(uow, make_policy(uow, customer))
    uow.commit()
    return notice


def test_the_inbox_lists_counts_and_filters(alice, web):
    assert 'data-test="unread-notices">2<' in web.text("/")
    page = web.text("/notices")
    assert "交费通知单" in page or "保费" in page
    assert f'data-test="notice-{alice["due"].id}"' in page and f'data-test="notice-{alice["lapse"].id}"' in page
    only_lapse = web.text("/notices?type=lapse")
    assert f'notice-{alice["lapse"].id}"' in only_lapse and f'notice-{alice["due"].id}"' not in only_lapse
    by_policy = web.text(f"/notices?policy={alice['policy'].policy_number}")
    assert f'notice-{alice["due"].id}"' in by_policy and f'notice-{alice["lapse"].id}"' not in by_policy


def test_opening_a_notice_reads_it_and_the_pdf_is_signed(alice, web):
    notice = alice["due"]
    page = web.get(f"/notices/{notice.id}")
    assert page.status_code == 200 and notice.code in page.get_data(as_text=True)
    assert "sha256-" in page.headers["Content-Security-Policy"]  # the letter's own style, by its hash
    assert 'data-test="unread-notices">1<' in web.text("/")
    pdf = web.get(f"/notices/{notice.id}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert b"/ByteRange" in pdf.data  # PAdES-signed on first download
    assert web.get(f"/notices/{notice.id}/pdf").data == pdf.data  # the same signed file every time
    web.post_form(f"/notices/{notice.id}/unread", {}, token_from=f"/notices/{notice.id}")
    assert 'data-test="unread-notices">' in web.text("/")


def test_another_customers_notice_is_not_found(alice, bobs_notice, web):
    assert web.get(f"/notices/{bobs_notice.id}").status_code == 404
    assert web.get(f"/notices/{bobs_notice.id}/pdf").status_code == 404
    assert web.post_form(f"/notices/{bobs_notice.id}/unread", {}, token_from="/notices").status_code == 404
    assert web.get("/notices/999999").status_code == 404


def test_preferences_page_saves_choices_and_locks_what_the_law_decides(alice, web):
    page = web.text("/account/notices")
    assert 'value="lapse.email"' in page and 'value="premium_due.sms"' in page
    saved = web.post_form("/account/notices", {"want": ["premium_due.email", "dividend.paper"]})
    assert saved.status_code == 200 and 'data-test="preferences-saved"' in saved.get_data(as_text=True)
    after = web.text("/account/notices")
    assert 'value="premium_due.email"' in after
    refused = web.post_form("/account/notices", {"want": ["nonsense.email"]})
    assert refused.status_code == 422


def test_verify_needs_no_login_and_shows_only_type_date_and_masked_name(alice, uow, other_web):
    notice = alice["due"]
    page = other_web.text(f"/verify?code={notice.code}")
    assert 'data-test="verdict-genuine"' in page and "王*" in page and "王丽" not in page
    assert alice["policy"].policy_number not in page and "1,200" not in page
    assert 'data-test="verdict-unknown"' in other_web.text("/verify?code=ZZZZ-ZZZZ-ZZZZ")
    uow.session.execute(update(Notice).where(Notice.id == notice.id).values(
        canonical=notice.canonical.replace(b"1200.00", b"1.00")))
    uow.commit()
    assert 'data-test="verdict-not-genuine"' in other_web.text(f"/verify?code={notice.code}")


def test_without_the_chinese_font_the_pdf_is_a_clear_503_and_the_notice_page_still_opens(alice, uow, web, monkeypatch):
    from paas.notices import fonts, render

    notice = alice["lapse"]
    uow.session.execute(update(Notice).where(Notice.id == notice.id).values(signed_pdf_key=None))  # not yet made
    uow.commit()

    def missing():
        raise fonts.FontsMissing("NotoSansCJK-Regular.ttc not found")

    monkeypatch.setattr(fonts, "noto_folders", missing)
    monkeypatch.setattr(fonts, "letter_font_folder", lambda: fonts.Path("/nonexistent-letter-cut"))
    for cached in (fonts.font_folders, fonts.text_fonts):
        cached.cache_clear()
    monkeypatch.setattr(render, "_POOL", render._CompilerPool())  # none of the compilers made with the font
    try:
        pdf = web.get(f"/notices/{notice.id}/pdf")
        assert pdf.status_code == 503
        assert "此通知书的PDF暂时无法生成" in pdf.get_data(as_text=True)
        assert "Traceback" not in pdf.get_data(as_text=True) and "NotoSansCJK" not in pdf.get_data(as_text=True)
        assert web.get(f"/notices/{notice.id}").status_code == 200
    finally:
        for cached in (fonts.font_folders, fonts.text_fonts):
            cached.cache_clear()
