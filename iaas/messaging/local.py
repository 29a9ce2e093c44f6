"""Embedded gateway: each message becomes a file in ``<data>/outbox/<channel>/``. The file name
is the outbox reference: resending the same message overwrites it instead of duplicating it.

The text is sealed with the key ring (it may hold a one-time code): someone who can read the
data folder cannot read a live code from it. ``delivered`` unseals the newest messages for the
development inbox, the only place that shows what a phone or mailbox would have received."""
from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from iaas.keyring import KeyRing
    from iaas.messaging import Envelope

BODY_CONTEXT = "outbox.local_file"


@dataclass(frozen=True)
class DeliveredMessage:
    channel: str
    recipient: str
    subject: str | None
    body: str
    reference: str


class LocalFolderGateway:
    def __init__(self, folder: Path, keyring: "KeyRing") -> None:
        self._folder = folder
        self._keyring = keyring

    def send(self, envelope: "Envelope") -> str:
        target_dir = self._folder / envelope.channel
        target_dir.mkdir(parents=True, exist_ok=True)
        target = target_dir / f"{envelope.reference}.json"
        temporary = target.with_suffix(".tmp")
        payload = {
            "to": envelope.recipient,
            "subject": envelope.subject,
            "sealed_body": self._keyring.encrypt(envelope.body, context=BODY_CONTEXT),
            "reference": envelope.reference,
        }
        if envelope.attachments:  # sealed like the body: a letter holds personal data
            payload["attachments"] = [
                {"filename": a.filename, "content_type": a.content_type,
                 "sealed": self._keyring.encrypt(base64.b64encode(a.content).decode("ascii"), context=BODY_CONTEXT)}
                for a in envelope.attachments]
        temporary.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(temporary, target)
        return f"local:{envelope.channel}:{envelope.reference}"

    def delivered(self, *, limit: int = 50) -> list[DeliveredMessage]:
        """The newest messages written here, unsealed, newest first."""
        paths = sorted(self._folder.glob("*/*.json"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        messages = []
        for path in paths[:limit]:
            data = json.loads(path.read_text(encoding="utf-8"))
            try:
                body = self._keyring.decrypt(data["sealed_body"], context=BODY_CONTEXT)
            except (KeyError, ValueError):  # written before sealing, or under a key since retired
                continue
            messages.append(DeliveredMessage(path.parent.name, data["to"], data["subject"], body, data["reference"]))
        return messages
