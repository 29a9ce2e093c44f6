"""Which console pages a staff member's nav offers: only those their role can use. The
roles come from the rule that guards each page, so the nav and the page never disagree."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app

from paas.billing.attention import ATTENTION_ROLES
from paas.claims.authority import CLAIM_ROLES
from paas.desk.teams import TEAMS, UNDERWRITERS
from paas.errors import N_
from paas.messaging.optout import SMS_DESK_ROLES
from paas.messaging.queries import may_read_outbox
from paas.notices.desk import NOTICE_DESK_ROLES
from paas.security.principal import Principal
from paas.servicing.desk import visible_queues
from paas.servicing.payee_hold import HOLD_DESK_ROLES
from paas.servicing.statistics import STATISTICS_ROLES


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: str  # message id
    test_id: str
    may_use: Callable[[Principal], bool]


def _any_staff(staff: Principal) -> bool:
    return True


def _roles(*roles: str) -> Callable[[Principal], bool]:
    return lambda staff: staff.role in roles


ENTRIES = (
    NavEntry("console.home", N_("Find a customer"), "nav-customers", _any_staff),
    NavEntry("console.queues", N_("Review queues"), "nav-queues", lambda staff: bool(visible_queues(staff))),
    NavEntry("console.find_service_requests", N_("Requests"), "nav-requests", _any_staff),
    NavEntry("console.underwriting_queue", N_("New business"), "nav-underwriting", _roles(*TEAMS[UNDERWRITERS])),
    NavEntry("console.claims_queue", N_("Claims"), "nav-claims", _roles(*CLAIM_ROLES)),
    NavEntry("console.payments_attention", N_("Payments to check"), "nav-payments", _roles(*ATTENTION_ROLES)),
    NavEntry("console.held_payouts", N_("Held payouts"), "nav-held", _roles(*HOLD_DESK_ROLES)),
    NavEntry("console.servicing_statistics_page", N_("Statistics"), "nav-statistics", _roles(*STATISTICS_ROLES)),
    NavEntry("console.claim_statistics_page", N_("Claims statistics"), "nav-claim-statistics", _roles(*CLAIM_ROLES)),
    NavEntry("console.notice_desk", N_("Notices"), "nav-notices", _roles(*NOTICE_DESK_ROLES)),
    NavEntry("console.outbox", N_("Outbox"), "nav-outbox", may_read_outbox),
    NavEntry("console.sms_simulator", N_("SMS simulator"), "nav-sms",
             lambda staff: sms_simulator_on() and staff.role in SMS_DESK_ROLES),
)


def sms_simulator_on() -> bool:
    return bool(current_app.config.get("PORTAL_SMS_SIMULATOR", True))


def console_nav(staff: Principal | None) -> list[NavEntry]:
    if staff is None or not staff.is_staff:
        return []
    return [entry for entry in ENTRIES if entry.may_use(staff)]
