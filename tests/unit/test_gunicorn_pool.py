"""Each gunicorn worker's database pool holds a connection for every thread and one more, unless
PORTAL_DB_POOL_SIZE says otherwise: with fewer, the pool's overflow connections are opened and
closed under load, each a new PostgreSQL backend with cold caches."""
from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from portal.config import Settings


@pytest.fixture()
def environ(monkeypatch, tmp_path):
    """The worker's environment: a copy, so what post_fork sets leaves this process's alone."""
    copy = {key: value for key, value in os.environ.items() if key != "PORTAL_DB_POOL_SIZE"}
    copy["PROMETHEUS_MULTIPROC_DIR"] = str(tmp_path)
    monkeypatch.setattr(os, "environ", copy)
    return copy


def _post_fork(threads: int) -> None:
    from portal import gunicorn_conf

    gunicorn_conf.post_fork(None, SimpleNamespace(cfg=SimpleNamespace(threads=threads)))


def test_a_worker_of_eight_threads_pools_nine_connections(environ):
    _post_fork(8)
    assert Settings.from_env(environ).database_pool_size == 9


def test_a_pool_size_set_by_the_operator_stays(environ):
    environ["PORTAL_DB_POOL_SIZE"] = "20"
    _post_fork(8)
    assert Settings.from_env(environ).database_pool_size == 20
