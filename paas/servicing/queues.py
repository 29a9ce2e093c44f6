"""Who decides what: servicing clerks take the clerk queue (name/ID corrections, large
surrenders), underwriters the underwriting queue (reinstatements whose health declaration the
underwriting rules refer). The rules about people are the shared referral desk's (paas.desk)."""
from __future__ import annotations

from paas.desk.four_eyes import check_not_submitter
from paas.desk.teams import CLERKS, TEAMS, UNDERWRITERS, require_team
from paas.security.principal import Principal
from paas.servicing.models import ServiceRequest

DECIDERS = {queue: TEAMS[queue] for queue in (CLERKS, UNDERWRITERS)}


def check_may_decide(staff: Principal, request: ServiceRequest) -> None:
    require_team(staff, request.review_queue if request.review_queue in DECIDERS else None)
    # Four eyes: whoever keyed a change for a customer does not also approve it.
    check_not_submitter(staff, request.submitted_by)
