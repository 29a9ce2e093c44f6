"""``portal notices deliver`` and ``portal notices print`` on a fresh SQLite data folder with the
demo cast: the demo's e-policies wait in the job queue until a worker runs, go out once (a
second run sends nothing), and with nothing waiting for paper no print batch is made."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from portal.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PORTAL_PAYMENTS", "off")

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_deliver_sends_what_is_due_once_and_print_makes_no_empty_batch(run, tmp_path):
    assert run("db", "upgrade").exit_code == 0
    assert run("seed", "--demo").exit_code == 0
    assert not list((tmp_path / "outbox").glob("*/notice-*.json"))  # queued for a worker, not sent inline
    assert run("worker", "--once").exit_code == 0
    sent = sorted(p.name for p in (tmp_path / "outbox").glob("*/notice-*.json"))
    assert len(sent) >= 8 and any(name.endswith("-email.json") for name in sent)
    email = json.loads(next((tmp_path / "outbox").glob("email/notice-*-email.json")).read_text(encoding="utf-8"))
    assert email["attachments"][0]["filename"].endswith(".pdf")
    again = run("notices", "deliver")
    assert again.exit_code == 0 and again.output.startswith("sent 0 ")
    assert sorted(p.name for p in (tmp_path / "outbox").glob("*/notice-*.json")) == sent
    assert "nothing to print" in run("notices", "print").output
