"""Secrets port: a secret's value by name. Embedded default: the environment itself (which is
also how ECS hands over the secrets it fetched from Secrets Manager at start). In the cloud,
Secrets Manager read directly (``iaas.secrets.secretsmanager``), for a process outside ECS;
``portal.secrets_wiring`` resolves the variables that name a secret there."""
from __future__ import annotations

from typing import Protocol

__all__ = ["SecretSource"]


class SecretSource(Protocol):
    def get(self, secret_id: str, *, field: str | None = None) -> str:
        """The secret's text, or one field of a JSON secret; ``KeyError`` if there is none."""
