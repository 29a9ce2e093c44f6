"""Where to send someone after a form: only ever back into this site."""
from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """``target`` if it is a path on this site, else ``fallback``: never an error, whatever came in."""
    if not target or len(target) > 500:
        return fallback
    # Control characters (CR/LF would split the Location header - a 500 - and browsers drop tabs
    # and newlines, turning "/\t/evil.example" into "//evil.example") and other unprintables.
    if not target.isprintable():
        return fallback
    # A path on this site only: no scheme, no host, no protocol-relative //evil, no backslash tricks.
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced "[" taken for an IPv6 host
        return fallback
    if parts.scheme or parts.netloc:
        return fallback
    return target
