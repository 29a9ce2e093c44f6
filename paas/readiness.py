"""Whether this process can serve: the database and the job queue answer (a request whose
after-commit work could not be queued must not be taken). A load balancer sends traffic only
to processes that are ready."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

if TYPE_CHECKING:
    from paas.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def not_ready(uow: "UnitOfWork") -> list[str]:
    """What is not reachable now (empty when ready); the reason is logged, not shown."""
    try:
        uow.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("readiness: the database does not answer")
        return ["database"]
    queue = uow.platform.jobs
    if queue is not None:
        try:
            queue.ping(connection=uow.session.connection() if queue.transactional else None)
        except Exception:  # any client's error: botocore's, the database's
            log.exception("readiness: the job queue does not answer")
            return ["queue"]
    return []
