"""/healthz says the process answers; /readyz that it can serve (the database answers)."""
from __future__ import annotations

from sqlalchemy.exc import OperationalError


def test_health_and_readiness_need_no_session(web):
    assert web.get("/healthz").json == {"status": "ok"}
    ready = web.get("/readyz")
    assert ready.status_code == 200 and ready.json == {"status": "ready", "failing": []}


def test_not_ready_when_the_database_does_not_answer(app, platform, monkeypatch):
    def broken():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    session = platform.read_only_session_factory or platform.session_factory

    class Refusing:
        def __init__(self):
            self._session = session()

        def execute(self, *args, **kwargs):
            broken()

        def __getattr__(self, name):
            return getattr(self._session, name)

    monkeypatch.setattr(platform, "read_only_session_factory", Refusing)
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503 and answer.json == {"status": "not ready", "failing": ["database"]}
