"""Secrets from the environment or from Secrets Manager (moto's server on loopback): a variable
naming ``secretsmanager:<id>[#field]`` gives the same settings as the value set in the clear,
and a secret that is not there is a clear error at start naming the variable."""
from __future__ import annotations

import json

import pytest

from portal.config import ConfigurationError, Settings
from tests.contracts.conftest import REGION, unique


def _base(tmp_path, moto_endpoint):
    return {"PORTAL_ENV": "production", "PORTAL_DATA_DIR": str(tmp_path), "PORTAL_PAYMENTS": "stripe",
            "PORTAL_AWS_REGION": REGION, "PORTAL_AWS_ENDPOINT_URL": moto_endpoint}


@pytest.fixture
def stored(aws):
    client = aws("secretsmanager")
    session = client.create_secret(Name=unique("portal/session-key"), SecretString="s" * 64)["ARN"]
    stripe = client.create_secret(Name=unique("portal/stripe"), SecretString=json.dumps(
        {"secret_key": "sk_live_abc", "webhook_secret": "whsec_def"}))["ARN"]
    return session, stripe


@pytest.mark.parametrize("source", ["environment", "secrets manager"])
def test_settings_are_the_same_wherever_the_secrets_come_from(tmp_path, moto_endpoint, stored, source):
    session, stripe = stored
    if source == "environment":
        secrets = {"PORTAL_SECRET_KEY": "s" * 64, "PORTAL_STRIPE_SECRET_KEY": "sk_live_abc",
                   "PORTAL_STRIPE_WEBHOOK_SECRET": "whsec_def"}
    else:
        secrets = {"PORTAL_SECRET_KEY": f"secretsmanager:{session}",
                   "PORTAL_STRIPE_SECRET_KEY": f"secretsmanager:{stripe}#secret_key",
                   "PORTAL_STRIPE_WEBHOOK_SECRET": f"secretsmanager:{stripe}#webhook_secret"}
    settings = Settings.from_env({**_base(tmp_path, moto_endpoint), **secrets})
    assert settings.secret_key == "s" * 64
    assert (settings.stripe_secret_key, settings.stripe_webhook_secret) == ("sk_live_abc", "whsec_def")
    assert "secretsmanager:" not in json.dumps(dict(settings.extra))


@pytest.mark.parametrize("reference", ["secretsmanager:portal/never-made", "secretsmanager:{stripe}#no_such_field"])
def test_a_missing_secret_is_named_at_start(tmp_path, moto_endpoint, stored, reference):
    env = {**_base(tmp_path, moto_endpoint), "PORTAL_SECRET_KEY": "k" * 64,
           "PORTAL_STRIPE_SECRET_KEY": reference.format(stripe=stored[1]), "PORTAL_STRIPE_WEBHOOK_SECRET": "whsec_x"}
    with pytest.raises(ConfigurationError, match="PORTAL_STRIPE_SECRET_KEY"):
        Settings.from_env(env)


def test_each_secret_is_fetched_once(aws, stored):
    from iaas.secrets.secretsmanager import SecretsManagerSecrets

    client, calls = aws("secretsmanager"), []
    client.meta.events.register("before-call.secrets-manager.GetSecretValue", lambda **kwargs: calls.append(1))
    secrets = SecretsManagerSecrets(client)
    assert secrets.get(stored[1], field="secret_key") == "sk_live_abc"
    assert secrets.get(stored[1], field="webhook_secret") == "whsec_def"
    assert len(calls) == 1
