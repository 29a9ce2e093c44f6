"""Secrets from AWS Secrets Manager: the current version of a secret, its whole text or one
field of a JSON secret (``{"secret_key": ..., "webhook_secret": ...}``). Each secret is fetched
once per process: the values are read at start, not on every request."""
from __future__ import annotations

import json
from typing import Any

from iaas.aws import error_code


class SecretsManagerSecrets:
    def __init__(self, client: Any) -> None:
        self._client = client
        self._texts: dict[str, str] = {}

    def get(self, secret_id: str, *, field: str | None = None) -> str:
        text = self._texts.get(secret_id)
        if text is None:
            try:
                text = self._client.get_secret_value(SecretId=secret_id)["SecretString"]
            except Exception as exc:
                if error_code(exc) == "ResourceNotFoundException":
                    raise KeyError(secret_id) from exc
                raise
            self._texts[secret_id] = text
        if field is None:
            return text
        try:
            value = json.loads(text)[field]
        except (ValueError, TypeError, KeyError) as exc:
            raise KeyError(f"{secret_id}#{field}") from exc
        return str(value)
