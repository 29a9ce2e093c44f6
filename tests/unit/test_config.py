import pytest

from portal.config import ConfigurationError, Settings


def test_defaults_are_the_embedded_ones(tmp_path):
    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'portal.sqlite3'}"
    assert settings.ratelimit_storage == "database"
    assert not settings.production
    # A signing key is generated once and then reused.
    assert Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)}).secret_key == settings.secret_key


def test_production_needs_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="PORTAL_SECRET_KEY"):
        Settings.from_env({"PORTAL_ENV": "production", "PORTAL_DATA_DIR": str(tmp_path)})


def test_bad_values_are_named(tmp_path):
    with pytest.raises(ConfigurationError, match="PORTAL_IDLE_MINUTES"):
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_IDLE_MINUTES": "soon"})
    with pytest.raises(ConfigurationError, match="PORTAL_ENV"):
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_ENV": "staging"})


def test_environment_overrides(tmp_path):
    settings = Settings.from_env({
        "PORTAL_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://x@h/db", "PORTAL_IDLE_MINUTES": "5",
        "PORTAL_LOGIN_LIMIT_ACCOUNT": "3 per 10 minutes",
    })
    assert settings.database_url == "postgresql://x@h/db"
    assert settings.security.idle_timeout.total_seconds() == 300
    assert settings.security.login_limit_per_account == "3 per 10 minutes"


def test_surrender_review_threshold(tmp_path):
    from decimal import Decimal

    assert Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)}).security.surrender_review_above == Decimal("200000")
    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SURRENDER_REVIEW_ABOVE": "50000.50"})
    assert settings.security.surrender_review_above == Decimal("50000.50")
    for bad in ("lots", "-1", "NaN"):
        with pytest.raises(ConfigurationError, match="PORTAL_SURRENDER_REVIEW_ABOVE"):
            Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_SURRENDER_REVIEW_ABOVE": bad})


def test_public_url_follows_where_the_portal_is_served(tmp_path):
    base = {"PORTAL_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).public_url == "http://127.0.0.1:8000"
    assert Settings.from_env({**base, "PORT": "8101"}).public_url == "http://127.0.0.1:8101"
    assert Settings.from_env({**base, "HOST": "0.0.0.0", "PORT": "9000"}).public_url == "http://127.0.0.1:9000"
    assert Settings.from_env({**base, "PORTAL_BIND": "127.0.0.2:8200"}).public_url == "http://127.0.0.2:8200"
    # An explicit public URL (a proxy, a domain) wins.
    assert Settings.from_env({**base, "PORT": "8101", "PORTAL_PUBLIC_URL": "https://portal.example/"}).public_url == \
        "https://portal.example"


def test_a_container_gets_postgresql_from_its_parts(tmp_path):
    settings = Settings.from_env({
        "PORTAL_DATA_DIR": str(tmp_path), "PORTAL_DB_HOST": "db.internal", "PORTAL_DB_NAME": "portal",
        "PORTAL_DB_USER": "portal", "PORTAL_DB_PASSWORD": "p@ss/word:1",
    })
    assert settings.database_url == "postgresql://portal:p%40ss%2Fword%3A1@db.internal:5432/portal?sslmode=require"
    explicit = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "DATABASE_URL": "postgresql://x@h/db",
                                  "PORTAL_DB_HOST": "ignored"})
    assert explicit.database_url == "postgresql://x@h/db"



def test_new_payee_hold_hours(tmp_path):
    from datetime import timedelta

    assert Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path)}).security.new_payee_hold == timedelta(hours=72)
    settings = Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_NEW_PAYEE_HOLD_HOURS": "24"})
    assert settings.security.new_payee_hold == timedelta(hours=24)
    with pytest.raises(ConfigurationError, match="PORTAL_NEW_PAYEE_HOLD_HOURS"):
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_NEW_PAYEE_HOLD_HOURS": "three days"})
    with pytest.raises(ConfigurationError, match="PORTAL_NEW_PAYEE_HOLD_HOURS"):
        Settings.from_env({"PORTAL_DATA_DIR": str(tmp_path), "PORTAL_NEW_PAYEE_HOLD_HOURS": "-1"})
