"""Time-based one-time passwords (RFC 6238, via pyotp) for staff, each code usable once."""
from __future__ import annotations

from datetime import datetime

import pyotp

ISSUER = "Portal Console"
STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def current_code(secret: str, at: datetime) -> str:
    return pyotp.TOTP(secret).at(at)


def matching_step(secret: str, code: str, at: datetime, *, last_step: int | None) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift either way), or
    None. A step at or before ``last_step`` was already used and is refused: no replay."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(at.timestamp()) // STEP_SECONDS
    for step in (now_step, now_step - 1, now_step + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
