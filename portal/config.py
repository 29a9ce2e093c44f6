"""Configuration from the environment (12-factor). Every setting has an embedded default, so
``make run`` needs nothing but Python; production sets ``PORTAL_ENV=production`` and the rest."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from iaas.database import sqlite_url_for
from paas.security.policy import SecurityPolicy


class ConfigurationError(RuntimeError):
    pass


@dataclass(frozen=True)
class Settings:
    env: str
    data_dir: Path
    database_url: str
    secret_key: str
    ratelimit_storage: str
    security: SecurityPolicy
    max_request_bytes: int = 2 * 1024 * 1024
    trusted_proxies: int = 0
    database_pool_size: int = 5
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def keyring_path(self) -> Path:
        return self.data_dir / "keys" / "keyring.json"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = dict(os.environ if environ is None else environ)
        mode = env.get("PORTAL_ENV", "development")
        if mode not in ("development", "test", "production"):
            raise ConfigurationError(f"PORTAL_ENV must be development, test or production, not {mode!r}")
        data_dir = Path(env.get("PORTAL_DATA_DIR", "./var")).resolve()
        secret_key = env.get("PORTAL_SECRET_KEY") or ""
        if not secret_key:
            if mode == "production":
                raise ConfigurationError("PORTAL_SECRET_KEY must be set in production")
            secret_key = _local_secret(data_dir)
        defaults = SecurityPolicy()
        security = SecurityPolicy(
            idle_timeout=timedelta(minutes=_int(env, "PORTAL_IDLE_MINUTES", 15)),
            session_lifetime=timedelta(hours=_int(env, "PORTAL_SESSION_HOURS", 12)),
            login_limit_per_account=env.get("PORTAL_LOGIN_LIMIT_ACCOUNT", defaults.login_limit_per_account),
            login_limit_per_address=env.get("PORTAL_LOGIN_LIMIT_ADDRESS", defaults.login_limit_per_address),
            argon2_time_cost=_int(env, "PORTAL_ARGON2_TIME_COST", defaults.argon2_time_cost),
            argon2_memory_cost_kib=_int(env, "PORTAL_ARGON2_MEMORY_KIB", defaults.argon2_memory_cost_kib),
            argon2_parallelism=_int(env, "PORTAL_ARGON2_PARALLELISM", defaults.argon2_parallelism),
            reveal_reason_min_length=_int(env, "PORTAL_REVEAL_REASON_MIN", defaults.reveal_reason_min_length),
        )
        return cls(
            env=mode,
            data_dir=data_dir,
            database_url=env.get("DATABASE_URL") or sqlite_url_for(data_dir),
            secret_key=secret_key,
            ratelimit_storage=env.get("PORTAL_RATELIMIT_STORAGE", "memory://"),
            security=security,
            max_request_bytes=_int(env, "PORTAL_MAX_REQUEST_BYTES", 2 * 1024 * 1024),
            trusted_proxies=_int(env, "PORTAL_TRUSTED_PROXIES", 0),
            database_pool_size=_int(env, "PORTAL_DB_POOL_SIZE", 5),
            extra={k: v for k, v in env.items() if k.startswith("PORTAL_")},
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigurationError(f"{name} must be a whole number, not {raw!r}") from exc


def _local_secret(data_dir: Path) -> str:
    """Development only: a signing key generated once and kept in the data folder."""
    path = data_dir / "keys" / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
    return value
