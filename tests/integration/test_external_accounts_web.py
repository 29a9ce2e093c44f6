"""Net worth and external accounts through the policyholder web, in Chinese and English."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from paas.assets import external
from paas.audit.models import AuditEntry
from tests.factories import PASSWORD, make_external_account, make_policyholder

FORM = {"name": "工资卡", "kind": "bank", "institution": "招商银行", "balance": "12,345.60", "as_of": "2026-11-01"}


@pytest.fixture
def alice(uow, web):
    account = make_policyholder(uow, name="王丽", email="nw-alice@example.com")[1]
    uow.commit()
    web.login("nw-alice@example.com", PASSWORD)
    return account


@pytest.fixture
def bobs_account(uow):
    bob = make_policyholder(uow, name="赵强", email="nw-bob@example.com")[1]
    account = make_external_account(uow, bob, name="赵强的股票", kind="securities", balance="654321.98")
    uow.commit()
    return bob, account


def _accounts(uow, owner):
    uow.session.expire_all()
    return external.list_accounts(uow, owner.customer_id)


def _add(web, **changes):
    return web.post_form("/assets/external/new", {**FORM, **changes})


def _segments(page: str) -> list[str]:
    return re.findall(r'<path class="segment seg-(\w+)"', page)


def test_empty_net_worth_page_in_chinese(alice, web):
    page = web.text("/assets")
    assert 'lang="zh-CN"' in page and "净资产" in page and "总资产" in page
    assert 'data-test="no-assets"' in page and _segments(page) == []
    assert 'href="/assets/external/new"' in page


def test_nav_links_to_net_worth(alice, web):
    assert 'href="/assets">净资产</a>' in web.text("/")


def test_add_edit_and_remove_through_the_pages(alice, web, uow):
    form = web.text("/assets/external/new")
    assert 'value="2026-11-27"' in form and 'max="2026-11-27"' in form  # as-of defaults to today
    response = _add(web)
    assert response.status_code == 303 and response.headers["Location"] == "/assets"
    (account,) = _accounts(uow, alice)
    page = web.text("/assets")
    assert "工资卡" in page and "招商银行" in page and "¥12,345.60" in page and "2026年11月1日" in page
    assert _segments(page) == ["bank"]

    edit_path = f"/assets/external/{account.reference}/edit"
    assert 'value="12345.60"' in web.text(edit_path)
    response = web.post_form(edit_path, {**FORM, "name": "养老金账户", "kind": "pension", "balance": "8000"})
    assert response.status_code == 303
    (changed,) = _accounts(uow, alice)
    assert (changed.name, changed.kind, str(changed.balance)) == ("养老金账户", "pension", "8000.00")

    remove_path = f"/assets/external/{account.reference}/remove"
    confirm = web.text(remove_path)
    assert "养老金账户" in confirm and "无法恢复" in confirm and 'data-test="confirm-remove"' in confirm
    response = web.post_form(remove_path, {})
    assert response.status_code == 303
    assert _accounts(uow, alice) == ()
    actions = uow.session.execute(select(AuditEntry.action).where(
        AuditEntry.subject == f"external_account:{account.reference}").order_by(AuditEntry.seq)).scalars().all()
    assert actions == ["external_account.added", "external_account.updated", "external_account.removed"]


def test_chart_has_one_segment_per_held_category_and_a_legend(alice, web, uow):
    for kind, balance in [("bank", "500"), ("fund", "300"), ("bank", "100"), ("other", "100"), ("securities", "0")]:
        make_external_account(uow, alice, kind=kind, balance=balance)
    uow.commit()
    page = web.text("/assets")
    assert _segments(page) == ["bank", "fund", "other"]
    assert 'viewBox="0 0 200 200"' in page and 'role="img"' in page
    legend = page[page.index('data-test="allocation-legend"'):]
    assert re.search(r'data-test="share-bank">60.0%', legend)
    assert re.search(r'data-test="share-fund">30.0%', legend) and re.search(r'data-test="share-other">10.0%', legend)
    assert 'share-securities' not in legend  # a zero holding has no line and no segment
    assert 'data-test="total-assets">¥1,000.00' in page and 'data-test="net-worth">¥1,000.00' in page


def test_pages_carry_no_inline_script_or_style(alice, web, uow):
    make_external_account(uow, alice)
    uow.commit()
    (account,) = _accounts(uow, alice)
    for path in ("/assets", "/assets/external/new", f"/assets/external/{account.reference}/edit",
                 f"/assets/external/{account.reference}/remove"):
        page = web.text(path)
        assert "<script" not in page and "style=" not in page and "<style" not in page, path


@pytest.mark.parametrize("field, value, words", [
    ("balance", "-100", "余额不能为负数"), ("balance", "1.234", "两位小数"), ("balance", "1000000000000", "999,999,999,999.99"),
    ("balance", "很多", "以元为单位"), ("as_of", "2026-11-28", "不能晚于今天"), ("as_of", "1989-12-31", "1990年1月1日"),
    ("as_of", "2026-02-30", "真实存在"), ("name", "", "1至60个字符"), ("name", "账" * 61, "1至60个字符"),
    ("kind", "crypto", "请选择账户类型"), ("institution", "x" * 61, "60个字符"),
])
def test_bad_input_comes_back_with_the_message_beside_the_field(alice, web, uow, field, value, words):
    response = _add(web, **{field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    message = re.search(rf'<p class="field-error" id="{field}-error" role="alert" data-test="error-{field}">([^<]+)</p>', page)
    assert message and words in message.group(1)
    assert f'aria-describedby="{field}-error"' in page and 'data-test="form-error"' not in page
    kept = {k: v for k, v in FORM.items() if k not in (field, "kind")}
    assert all(f'value="{v}"' in page for v in kept.values())  # what was typed is still there
    assert _accounts(uow, alice) == ()


def test_every_wrong_field_is_marked_at_once(alice, web, uow):
    response = _add(web, name="", kind="crypto", institution="x" * 61, balance="-1", as_of="2026-02-30")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "有 5 项需要修改" in page
    marked = set(re.findall(r'data-test="error-([a-z_]+)"', page))
    assert marked == {"name", "kind", "institution", "balance", "as_of"} and page.count('aria-invalid="true"') >= 4
    assert _accounts(uow, alice) == ()


def test_messages_in_english_after_switching_language(alice, web):
    web.post_form("/language/en", {"next": "/assets"}, token_from="/assets")
    page = web.text("/assets")
    assert 'lang="en"' in page and "Net worth" in page and "Accounts held elsewhere" in page
    response = _add(web, balance="-1")
    assert response.status_code == 422 and "The balance cannot be negative." in response.get_data(as_text=True)


def test_the_31st_account_is_refused(alice, web, uow):
    for n in range(30):
        make_external_account(uow, alice, name=f"账户{n}")
    uow.commit()
    assert "账户数量已达上限" in web.text("/assets") and 'data-test="add-account"' not in web.text("/assets")
    response = _add(web)
    assert response.status_code == 422
    assert re.search(r'data-test="form-error">外部账户最多可登记30个', response.get_data(as_text=True))
    assert len(_accounts(uow, alice)) == 30


def test_another_customers_account_cannot_be_seen_changed_or_removed(alice, web, uow, bobs_account):
    bob, theirs = bobs_account
    base = f"/assets/external/{theirs.reference}"
    responses = [web.get(f"{base}/edit"), web.get(f"{base}/remove"),
                 web.post_form(f"{base}/edit", {**FORM, "balance": "1"}, token_from="/assets"),
                 web.post_form(f"{base}/remove", {}, token_from="/assets")]
    missing = web.get("/assets/external/Zz9Zz9Zz9Z/edit")
    for response in responses:
        body = response.get_data(as_text=True)
        assert response.status_code == 404 and "赵强" not in body and "654,321.98" not in body
        assert _error_message(body) == _error_message(missing.get_data(as_text=True))
    overview = web.text("/assets")
    assert theirs.reference not in overview and "654,321.98" not in overview and _segments(overview) == []
    assert _accounts(uow, bob) == (theirs,)


def test_forms_need_the_csrf_token(alice, web, uow):
    assert web.client.post("/assets/external/new", data=FORM).status_code == 400
    make_external_account(uow, alice)
    uow.commit()
    (account,) = _accounts(uow, alice)
    assert web.client.post(f"/assets/external/{account.reference}/remove").status_code == 400
    assert _accounts(uow, alice) == (account,)


def test_signed_out_visitors_are_sent_to_sign_in(web):
    for path in ("/assets", "/assets/external/new", "/assets/external/Zz9Zz9Zz9Z/edit"):
        response = web.get(path)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def _error_message(page: str) -> str:
    return re.search(r'<p class="error" role="alert">([^<]+)</p>', page).group(1)
