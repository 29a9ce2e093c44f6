"""Job handlers by name. A feature registers its handler beside the service it calls:

    from paas.jobs.registry import job_handler

    @job_handler("notices.deliver_due")
    def deliver_due_job(platform: Platform, payload: dict) -> None:
        deliver_due(platform, ...)

and adds its module to ``HANDLER_MODULES`` below, so every worker knows every name. A handler
takes the platform and the JSON payload, opens its own unit(s) of work, and must be safe to
run twice (a worker killed after the work but before settling the job runs it again).
``@job_handler(name, every_seconds=60)`` also has every worker run it (payload ``{}``) on that
schedule, between jobs - a poll of an inbound queue, a sweep; ``PORTAL_EVERY_<NAME>`` (the
name upper-cased, dots as underscores) changes the interval of a deployment."""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paas.platform import Platform

Handler = Callable[["Platform", dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
PERIODIC: dict[str, float] = {}  # name -> seconds between runs by each worker
HANDLER_MODULES = (
    "paas.messaging.jobs",  # outbox.deliver
    "paas.billing.jobs",  # billing.send_refunds
    "paas.servicing.release_jobs",  # payouts.release_held (periodic)
    "paas.cycle.jobs",  # cycle.share
    "paas.notices.jobs",  # notices.deliver_made, notices.deliver_due (periodic)
)


class UnknownJob(LookupError):
    """No handler has that name: a worker older than the web process, or a typo."""


def job_handler(name: str, *, every_seconds: float | None = None) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        existing = HANDLERS.get(name)
        if existing is not None and existing is not handler and existing.__qualname__ != handler.__qualname__:
            raise ValueError(f"job {name!r} has a handler already: {existing.__module__}.{existing.__qualname__}")
        HANDLERS[name] = handler
        if every_seconds is not None:
            PERIODIC[name] = every_seconds
        return handler

    return register


def load_handlers() -> dict[str, Handler]:
    for module in HANDLER_MODULES:
        importlib.import_module(module)
    return HANDLERS


def handler_for(name: str) -> Handler:
    if name not in HANDLERS:
        load_handlers()
    try:
        return HANDLERS[name]
    except KeyError:
        raise UnknownJob(f"no handler for job {name!r}") from None
