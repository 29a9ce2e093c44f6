"""``portal cycle run`` and ``portal cycle status`` on a fresh SQLite data folder with a small
bulk-seeded book: progress on stderr, a summary on stdout, a rerun skipped."""
from __future__ import annotations

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


def test_run_status_and_rerun(run):
    assert run("db", "upgrade").exit_code == 0
    assert run("seed", "--policies", "300").exit_code == 0
    first = run("cycle", "run", "--date", "2027-01-15", "--batch-size", "100", "--partition", "1/1")
    assert first.exit_code == 0, first.output
    assert "grace           batch    3/3" in first.stderr  # progress: step, batches, policies, rate
    assert "ids/s" in first.stderr
    lines = {line.split()[0]: line.split()[1] for line in first.stdout.splitlines()}
    assert lines == {"fund_orders": "done", "premium_mode": "done", "premium_due": "done", "grace": "done",
                     "grace_warning": "done", "anniversaries": "done", "statements": "done", "maturities": "done",
                     "lapse": "done", "notices": "done", "print_letters": "done", "payment_orders": "not", "claim_reminders": "done",
                     "open_requests": "done", "audit_checkpoint": "done"}
    again = run("cycle", "run", "--date", "2027-01-15")
    assert again.exit_code == 0 and again.stdout.count("skipped") == 14
    status = run("cycle", "status", "--date", "2027-01-15")
    assert status.exit_code == 0 and status.stdout.count(" done ") == 14 and "last id 300" in status.stdout
    assert "held to the signed checkpoint" in run("audit", "verify").output
    assert "No cycle has run" in run("cycle", "status", "--date", "2027-01-16").stdout


def test_bad_options_are_refused(run):
    run("db", "upgrade")
    assert run("cycle", "run", "--date", "2027-01-15", "--partition", "3/2").exit_code != 0
    refused = CliRunner().invoke(main, ["cycle", "run", "--date", "2027-01-15", "--steps", "grace,nonsense"])
    assert refused.exit_code != 0 and "unknown cycle steps: nonsense" in refused.output


def test_a_scheduled_run_names_today_and_gets_the_clocks_business_day(run):
    from datetime import datetime, timezone

    run("db", "upgrade")
    today = datetime.now(timezone.utc).date().isoformat()  # the system clock's business day
    ran = run("cycle", "run", "--date", "today", "--steps", "grace")
    assert ran.exit_code == 0, ran.output
    assert f"Cycle {today}," in ran.stderr
    assert run("cycle", "run", "--date", "tomorrow").exit_code != 0
