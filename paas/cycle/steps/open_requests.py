"""Step 11 - servicing requests never confirmed (``paas.servicing.expiry``).

Rule: a request still waiting for its code half an hour after it was made has ended: it is
marked expired, the policy is free for the next change, and the customer is told by SMS (or
e-mail), in their language. The engine ends such a request itself when it next meets it;
this step ends the ones nobody came back to. Not per policy: run once a night by partition
1, a hundred at a time; a rerun finds nothing left to end."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from paas.platform import Platform

NAME = "open_requests"


def run(platform: "Platform", on: date) -> int:
    """End every request left waiting for its code; returns how many were ended."""
    from paas.servicing.expiry import expire_left_over

    return expire_left_over(platform)
