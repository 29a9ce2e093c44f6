"""Secrets from the environment or from Secrets Manager. A ``PORTAL_*`` variable whose value is
``secretsmanager:<secret name or ARN>`` (``#field`` for one field of a JSON secret) is replaced,
at start, by the secret's value - for processes that run where nothing injects secrets (ECS
does: there the task definition's ``secrets`` set the variables themselves). A client is made
only when some variable asks for one."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from portal.config import ConfigurationError

if TYPE_CHECKING:
    from iaas.secrets import SecretSource

REFERENCE = "secretsmanager:"


def resolve_secret_references(env: Mapping[str, str], source: "SecretSource | None" = None) -> dict[str, str]:
    resolved = dict(env)
    references = {name: value[len(REFERENCE):] for name, value in env.items()
                  if name.startswith("PORTAL_") and value.startswith(REFERENCE)}
    if not references:
        return resolved
    if source is None:
        from iaas.aws import aws_client
        from iaas.secrets.secretsmanager import SecretsManagerSecrets

        source = SecretsManagerSecrets(aws_client("secretsmanager", region=env.get("PORTAL_AWS_REGION"),
                                                  endpoint_url=env.get("PORTAL_AWS_ENDPOINT_URL")))
    for name, reference in references.items():
        secret_id, _, field = reference.partition("#")
        try:
            resolved[name] = source.get(secret_id, field=field or None)
        except KeyError:
            raise ConfigurationError(f"{name} names {reference!r} in Secrets Manager, which has no such secret"
                                     + (" field" if field else "")) from None
    return resolved
