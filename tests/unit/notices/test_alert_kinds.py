"""Every security alert kind makes an account notice (paas.security.alerts: no alert is a plain
message any more): its builder names a security type with no letter and fills its fields so
they sign."""
from __future__ import annotations

import importlib
from datetime import date, datetime, timezone

import pytest

from paas.notices import document
from paas.notices.types import notice_type
from paas.security.alerts import AlertKind

MODULES = ("paas.security.alerts", "paas.security.devices", "paas.security.recovery",
           "paas.security.account_settings", "paas.security.customer_totp", "paas.security.lockout_notice")
PARAMS = {"mobile": "138****7777", "email": "a***@example.com", "account": "中国银行 **** 2333",
          "what": "Withdraw accumulated dividends", "policy": "P00012345", "until": datetime(2026, 12, 6, 2, tzinfo=timezone.utc),
          "reference": "SR000123", "claim": "C000123", "amount": "1000.00", "device": "Firefox on Linux",
          "address": "10.0.0.1"}


def _kinds() -> list[AlertKind]:
    found = {}
    for name in MODULES:
        for value in vars(importlib.import_module(name)).values():
            if isinstance(value, AlertKind):
                found[value.name] = value
    return sorted(found.values(), key=lambda kind: kind.name)


def test_every_alert_of_the_rules_is_found():
    assert [kind.name for kind in _kinds()] == [
        "bank_account_added", "bank_account_removed", "claim_payout_held", "email_changed", "freeze_lifted",
        "freeze_on", "login_locked", "mobile_changed", "money_moved", "new_device", "online_service_closed",
        "password_changed", "password_reset", "payee_changed", "payout_held", "totp_off", "totp_on"]


@pytest.mark.parametrize("kind", _kinds(), ids=lambda kind: kind.name)
def test_each_alert_kind_makes_a_security_account_notice_that_signs(kind):
    type_code, fields = kind.notice(PARAMS, PARAMS, date(2026, 12, 3))
    notice = notice_type(type_code)
    assert notice.security and not notice.has_letter and not notice.about_policy
    data = document.build(type_code, notice_number="A00000000001", language="zh", issued_on=date(2026, 12, 3),
                          recipient_name="张三丰", policy_number=None, fields=fields)
    assert set(data["fields"]) >= {f.name for f in notice.fields if f.required}
