"""The one referral desk: who works each queue, each desk's authority limits by level, and the
four-eyes rules — the same for servicing, claims and underwriting."""
from __future__ import annotations

from decimal import Decimal

import pytest

from paas.desk import authority, four_eyes
from paas.desk.teams import CLAIMS, CLERKS, UNDERWRITERS, require_team, teams_of, works
from paas.errors import NotPermitted
from paas.security.principal import Principal


def staff(role: str | None, level: int = 1, account: int = 1) -> Principal:
    return Principal(account, "x", "zh", role=role, authority_level=level)


def test_each_team_is_worked_by_its_role_and_supervisors():
    assert teams_of(staff("underwriter")) == [UNDERWRITERS]
    assert teams_of(staff("adjuster")) == [CLAIMS]
    assert teams_of(staff("clerk")) == [CLERKS]
    assert set(teams_of(staff("supervisor"))) == {CLERKS, UNDERWRITERS, CLAIMS}
    assert not works(Principal(9, "customer", "zh", customer_id=3), UNDERWRITERS)
    with pytest.raises(NotPermitted):
        require_team(staff("adjuster"), UNDERWRITERS)


@pytest.mark.parametrize("desk,level,limit", [(UNDERWRITERS, 1, "1000000"), (UNDERWRITERS, 2, "3000000"),
                                              (UNDERWRITERS, 3, "10000000"), (CLAIMS, 1, "50000"), (CLAIMS, 3, "5000000")])
def test_limits_by_desk_and_level(desk, level, limit):
    role = "underwriter" if desk == UNDERWRITERS else "adjuster"
    assert authority.limit_of(staff(role, level), desk) == Decimal(limit)
    assert authority.within_limit(staff(role, level), desk, Decimal(limit))
    assert not authority.within_limit(staff(role, level), desk, Decimal(limit) + 1)


def test_no_limit_outside_ones_team():
    assert authority.limit_of(staff("adjuster", 3), UNDERWRITERS) == 0


def test_the_second_level_is_the_lowest_higher_level_whose_limit_covers_the_amount():
    assert authority.second_level(UNDERWRITERS, 1, Decimal("2000000")) == 2
    assert authority.second_level(UNDERWRITERS, 1, Decimal("4000000")) == 3
    assert authority.second_level(UNDERWRITERS, 3, Decimal("4000000")) is None


def test_four_eyes():
    with pytest.raises(NotPermitted):
        four_eyes.check_not_submitter(staff("clerk", account=7), 7)
    four_eyes.check_not_submitter(staff("clerk", account=7), 8)
    first = dict(first_approver_id=1, first_level=1, amount=Decimal("2000000"))
    for who in (staff("underwriter", 3, account=1), staff("underwriter", 1, account=2)):  # the same person; same level
        with pytest.raises(NotPermitted):
            four_eyes.check_second(who, UNDERWRITERS, **first)
        assert not four_eyes.may_second(who, UNDERWRITERS, **first)
    with pytest.raises(NotPermitted, match="above your authority"):
        four_eyes.check_second(staff("underwriter", 2, account=2), UNDERWRITERS, 1, 1, Decimal("4000000"))
    four_eyes.check_second(staff("underwriter", 2, account=2), UNDERWRITERS, **first)
