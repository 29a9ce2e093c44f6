"""Who decides what: servicing clerks take the clerk queue (name/ID corrections, large
surrenders), underwriters the underwriting queue (reinstatements with a health "yes")."""
from __future__ import annotations

from paas.errors import N_, NotPermitted
from paas.security.principal import Principal
from paas.security.roles import CLERK, SUPERVISOR, UNDERWRITER
from paas.servicing.models import ServiceRequest

DECIDERS = {"clerk": (CLERK, SUPERVISOR), "underwriter": (UNDERWRITER, SUPERVISOR)}


def check_may_decide(staff: Principal, request: ServiceRequest) -> None:
    if not staff.is_staff or staff.role not in DECIDERS.get(request.review_queue or "", ()):
        raise NotPermitted(N_("This request is decided in another team's queue."))
    if request.submitted_by == staff.account_id:
        # Four eyes: whoever keyed a change for a customer does not also approve it.
        raise NotPermitted(N_("You submitted this request; another colleague must decide it."))
