"""Staff roles. Authority limits by level come with underwriting and claims."""
from __future__ import annotations

from paas.errors import N_

UNDERWRITER = "underwriter"
ADJUSTER = "adjuster"
CLERK = "clerk"
SUPERVISOR = "supervisor"

STAFF_ROLES = {
    UNDERWRITER: N_("Underwriter"),
    ADJUSTER: N_("Claims adjuster"),
    CLERK: N_("Servicing clerk"),
    SUPERVISOR: N_("Supervisor"),
}
