"""What an object key may be, the same for every store: keys come from our own code, but one
must never climb out of its folder (local) or its prefix (S3)."""
from __future__ import annotations

import re

_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/_.-]{0,199}$")


def checked_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key.split("/"):
        raise ValueError(f"unsafe object key {key!r}")
    return key


def attachment_disposition(filename: str) -> str:
    """A Content-Disposition that saves the file under its own name, any script (RFC 6266/5987)."""
    from urllib.parse import quote

    ascii_name = "".join(ch if ch.isascii() and ch.isprintable() and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{ascii_name or 'document'}\"; filename*=UTF-8''{quote(filename, safe='')}"
