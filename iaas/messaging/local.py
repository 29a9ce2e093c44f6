"""Embedded gateway: each message becomes a file in ``<data>/outbox/<channel>/`` so a developer
can read what would have been sent. The file name is the outbox reference: resending the
same message overwrites it instead of duplicating it."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iaas.messaging import Envelope


class LocalFolderGateway:
    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def send(self, envelope: "Envelope") -> str:
        target_dir = self._folder / envelope.channel
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{envelope.reference}.json"
        temporary = target.with_suffix(".tmp")
        payload = {
            "to": envelope.recipient,
            "subject": envelope.subject,
            "body": envelope.body,
            "reference": envelope.reference,
        }
        temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, target)
        return f"local:{envelope.channel}:{envelope.reference}"
