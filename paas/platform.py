"""What the services run on: the ports wired by ``portal`` and the policies set by configuration."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from iaas.clock import Clock
from iaas.jobs import JobQueue
from iaas.keyring import KeyRing
from iaas.messaging import MessageGateway
from iaas.objects import ObjectStore
from iaas.payments import PaymentGateway
from iaas.ratelimit import RateLimiter
from paas.security.passwords import Passwords
from paas.security.policy import SecurityPolicy
from paas.unit_of_work import UnitOfWork


@dataclass
class Platform:
    session_factory: Callable[[], Session]
    clock: Clock
    keyring: KeyRing
    rate_limiter: RateLimiter
    gateways: Mapping[str, MessageGateway]
    security: SecurityPolicy = field(default_factory=SecurityPolicy)
    # Sessions without a transaction for read-only work (None: use session_factory).
    read_only_session_factory: Callable[..., Session] | None = None
    # Autocommit connections for read-only work on PostgreSQL (None: read-only units keep a
    # transaction). With it, read_only_session_factory must accept ``bind=`` (a sessionmaker).
    read_only_connect: Callable[[], Connection] | None = None
    payments: PaymentGateway | None = None
    # Where customers and providers reach us (return addresses after a hosted checkout).
    public_url: str = "http://127.0.0.1:8000"
    objects: ObjectStore | None = None  # uploaded documents
    # After-commit work (paas.jobs); None runs it in-process after the commit (tests with fakes).
    jobs: JobQueue | None = None

    @cached_property
    def passwords(self) -> Passwords:
        return Passwords(self.security)

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        return UnitOfWork(self, read_only=read_only)
