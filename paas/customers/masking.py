"""How personal data appears on screen when nobody has asked to reveal it."""
from __future__ import annotations


def mask_id_number(value: str) -> str:
    """Region prefix and the last four: ``110105********123X``."""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_mobile(value: str | None) -> str:
    """``+86 138****8000``: enough to recognise one's own number, not to call it."""
    if not value:
        return ""
    digits = value[3:] if value.startswith("+86") else value.lstrip("+")
    prefix = "+86 " if value.startswith("+86") else "+"
    if len(digits) < 7:
        return prefix + "*" * len(digits)
    return prefix + digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(value: str | None) -> str:
    if not value or "@" not in value:
        return ""
    local, _, domain = value.partition("@")
    return local[:1] + "***@" + domain


def mask_account_number(value: str) -> str:
    return "**** " + value[-4:] if len(value) > 4 else "****"


def mask_address(value: str | None) -> str:
    """Keep the first few characters (province / city), hide the street and number."""
    if not value:
        return ""
    keep = min(6, max(1, len(value) // 3))
    return value[:keep] + "****"
