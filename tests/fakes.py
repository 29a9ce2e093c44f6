"""Test doubles for the ports."""
from __future__ import annotations

from iaas.messaging import Envelope


class RecordingGateway:
    """Keeps what it was asked to send; can be told to fail."""

    def __init__(self) -> None:
        self.sent: list[Envelope] = []
        self.failing = False

    def send(self, envelope: Envelope) -> str:
        if self.failing:
            raise ConnectionError("gateway down")
        self.sent.append(envelope)
        return f"fake-{len(self.sent)}"
