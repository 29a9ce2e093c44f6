"""Which staff roles work each desk's queue. A supervisor may work every one."""
from __future__ import annotations

from paas.errors import N_, NotPermitted
from paas.security.principal import Principal
from paas.security.roles import ADJUSTER, CLERK, SUPERVISOR, UNDERWRITER

CLERKS, UNDERWRITERS, CLAIMS = "clerk", "underwriter", "claims"
TEAMS: dict[str, tuple[str, ...]] = {
    CLERKS: (CLERK, SUPERVISOR),
    UNDERWRITERS: (UNDERWRITER, SUPERVISOR),
    CLAIMS: (ADJUSTER, SUPERVISOR),
}
ANOTHER_TEAM = N_("This request is decided in another team's queue.")


def works(staff: Principal, team: str | None) -> bool:
    return staff.is_staff and staff.role in TEAMS.get(team or "", ())


def require_team(staff: Principal, team: str | None, message: str = ANOTHER_TEAM) -> None:
    if not works(staff, team):
        raise NotPermitted(message)


def teams_of(staff: Principal, among: tuple[str, ...] | None = None) -> list[str]:
    return [team for team in (among or tuple(TEAMS)) if works(staff, team)]
