"""The policyholder web through the real app (Flask test client), on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from datetime import date, timedelta

from tests.factories import PASSWORD, make_policy, make_policyholder


def _setup(uow):
    alice, alice_account = make_policyholder(uow, name="王丽", mobile="+8613711112222", email="alice@example.com")
    bob, _ = make_policyholder(uow, name="赵强", mobile="+8613733334444", email="bob@example.com")
    alice_policy = make_policy(uow, alice, sum_assured="880000.00")
    bob_policy = make_policy(uow, bob, product="WLPAR", sum_assured="123456.78")
    uow.commit()
    return alice, alice_policy, bob, bob_policy


def test_login_by_email_shows_only_own_policies(uow, web):
    _, alice_policy, _, bob_policy = _setup(uow)
    response = web.login("Alice@Example.com ", PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    page = web.text("/")
    assert alice_policy.policy_number in page
    assert "¥880,000.00" in page
    assert bob_policy.policy_number not in page and "123,456.78" not in page


def test_login_by_mobile_in_any_common_spelling(uow, web):
    _setup(uow)
    assert web.login("137 1111 2222", PASSWORD).status_code == 302
    assert web.get("/").status_code == 200


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(uow, web):
    _setup(uow)
    wrong_password = web.login("alice@example.com", "not-the-password-1")
    no_account = web.login("nobody@example.com", "not-the-password-1")
    assert wrong_password.status_code == no_account.status_code == 401
    assert _error(wrong_password) == _error(no_account)
    assert web.get("/").status_code == 302


def test_another_customers_policy_is_not_found_and_leaks_nothing(uow, web):
    _, alice_policy, _, bob_policy = _setup(uow)
    web.login("alice@example.com", PASSWORD)
    theirs = web.get(f"/policies/{bob_policy.policy_number}")
    nonexistent = web.get("/policies/P9999999994")
    assert theirs.status_code == nonexistent.status_code == 404
    body = theirs.get_data(as_text=True)
    assert "123,456.78" not in body and "赵强" not in body
    assert web.get(f"/policies/{alice_policy.policy_number}").status_code == 200


def test_policy_page_shows_parties_beneficiaries_and_premiums(uow, web):
    alice, alice_policy, _, _ = _setup(uow)
    web.login("alice@example.com", PASSWORD)
    page = web.text(f"/policies/{alice_policy.policy_number}")
    assert "王丽" in page and "受益人" in page
    assert "100%" in page
    # ID numbers appear masked, never in full.
    assert re.search(r"440106\*+\d{3}[\dX]", page)
    assert len(alice_policy.premiums) > 0
    assert page.count("¥1,200.00") >= len(alice_policy.premiums)


def test_policy_page_shows_the_latest_premiums_and_links_to_all_of_them(uow, web):
    from paas.policies.detail import RECENT_PREMIUMS

    alice, _, bob, _ = _setup(uow)
    monthly = make_policy(uow, alice, mode="monthly", premium="100.01", issue_date=date(2022, 1, 1),
                          paid_to=date(2025, 1, 1))  # 36 monthly premiums
    uow.commit()
    assert len(monthly.premiums) == 36 > RECENT_PREMIUMS
    web.login("alice@example.com", PASSWORD)
    page = web.text(f"/policies/{monthly.policy_number}")
    # The count and the total are of every premium, the table of the latest ones, newest first.
    assert "已缴保费36期，累计¥3,600.36。" in page
    rows = re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">¥100.01</td>", page)
    assert rows == [f"2024年{month}月1日" for month in range(12, 0, -1)]
    link = f"/policies/{monthly.policy_number}/premiums"
    assert f'href="{link}"' in page and "查看全部36期缴费记录" in page

    history = web.text(link)
    assert "已缴保费36期，累计¥3,600.36。" in history
    assert history.count("¥100.01") == 36 and history.count("银行代扣") == 36 and "2022年1月1日" in history
    web.post_form("/language/en", {"next": link}, token_from=link)
    english = web.text(link)
    assert "36 premiums paid, ¥3,600.36 in total." in english and english.count("Bank debit") == 36

    # Bob cannot read Alice's history: the same answer as for a policy that does not exist.
    web.logout()
    web.login("bob@example.com", PASSWORD)
    theirs, missing = web.get(link), web.get("/policies/P9999999994/premiums")
    assert theirs.status_code == missing.status_code == 404
    assert "100.01" not in theirs.get_data(as_text=True)


def test_a_policy_with_few_premiums_shows_them_all_without_a_link(uow, web):
    _, alice_policy, _, _ = _setup(uow)
    web.login("alice@example.com", PASSWORD)
    page = web.text(f"/policies/{alice_policy.policy_number}")
    assert f"已缴保费{len(alice_policy.premiums)}期" in page
    assert "/premiums\"" not in page


def test_premium_history_needs_a_sign_in(uow, app):
    _, alice_policy, _, _ = _setup(uow)
    response = app.test_client().get(f"/policies/{alice_policy.policy_number}/premiums")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_logout_invalidates_the_old_cookie(uow, web, app):
    _setup(uow)
    web.login("alice@example.com", PASSWORD)
    cookie = web.client.get_cookie("portal_session").value
    assert web.logout().status_code == 302
    replay = app.test_client()
    replay.set_cookie("portal_session", cookie)
    assert replay.get("/").status_code == 302


def test_session_token_changes_at_login(uow, web):
    _setup(uow)
    web.get("/login")
    before = web.client.get_cookie("portal_session").value
    web.login("alice@example.com", PASSWORD)
    after = web.client.get_cookie("portal_session").value
    assert before != after
    web.logout()
    web.login("alice@example.com", PASSWORD)
    assert web.client.get_cookie("portal_session").value != after


def test_idle_session_expires(uow, web, clock):
    _setup(uow)
    web.login("alice@example.com", PASSWORD)
    clock.advance(timedelta(minutes=14))
    assert web.get("/").status_code == 200
    clock.advance(timedelta(minutes=14))  # activity above renewed the idle window
    assert web.get("/").status_code == 200
    clock.advance(timedelta(minutes=16))
    response = web.get("/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_language_switch_to_english_and_back(uow, web):
    _, alice_policy, _, _ = _setup(uow)
    web.login("alice@example.com", PASSWORD)
    assert 'lang="zh-CN"' in web.text("/")
    response = web.post_form("/language/en", {"next": "/"}, token_from="/")
    assert response.status_code == 302
    page = web.text("/")
    assert 'lang="en"' in page and "Sign out" in page
    web.post_form("/language/zh", {"next": f"/policies/{alice_policy.policy_number}"}, token_from="/")
    assert 'lang="zh-CN"' in web.text("/")


def test_language_switch_refuses_foreign_redirects(uow, web):
    response = web.post_form("/language/en", {"next": "//evil.example/steal"}, token_from="/login")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_forms_without_csrf_token_are_refused(uow, web):
    _setup(uow)
    response = web.client.post("/login", data={"identifier": "alice@example.com", "password": PASSWORD})
    assert response.status_code == 400
    assert web.get("/").status_code == 302


def test_staff_account_cannot_use_the_policyholder_login(uow, web):
    from tests.factories import make_staff

    staff = make_staff(uow)
    uow.commit()
    response = web.login(staff.account.email, PASSWORD)
    assert response.status_code == 401


def _error(response) -> str:
    match = re.search(r'data-test="login-error">([^<]+)<', response.get_data(as_text=True))
    assert match, "no error message shown"
    return match.group(1)


def test_language_choice_is_kept_on_the_account_for_notices(uow, web):
    from sqlalchemy import select

    from paas.audit.models import AuditEntry
    from paas.security.models import Account

    _setup(uow)
    web.login("alice@example.com", PASSWORD)
    web.post_form("/language/en", {"next": "/"}, token_from="/")
    web.post_form("/language/en", {"next": "/"}, token_from="/")  # no change, no second entry
    assert uow.session.execute(select(Account.locale).where(Account.email == "alice@example.com")).scalar_one() == "en"
    entries = uow.session.execute(select(AuditEntry).where(AuditEntry.action == "account.locale_changed")).scalars().all()
    assert len(entries) == 1
    # A new browser (no cookie) gets the account's language after signing in.
    from tests.web_client import WebClient

    fresh = WebClient(web.client.application.test_client())
    fresh.login("alice@example.com", PASSWORD)
    assert 'lang="en"' in fresh.text("/")
