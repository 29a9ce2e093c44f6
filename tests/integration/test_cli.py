"""The ``portal`` command on a fresh SQLite data folder: migrate, seed, verify the audit chain."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from portal.cli import main


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PORTAL_ARGON2_TIME_COST", "1")
    monkeypatch.setenv("PORTAL_ARGON2_MEMORY_KIB", "8192")
    monkeypatch.setenv("PORTAL_ARGON2_PARALLELISM", "1")

    def invoke(*args):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_upgrade_seed_and_verify(run, tmp_path):
    assert run("db", "upgrade").exit_code == 0
    first = run("seed", "--demo")
    assert first.exit_code == 0 and "demo@example.com" in first.output and "TOTP secret" in first.output
    assert "DEMO ONLY" in first.output
    second = run("seed", "--demo")
    assert "nothing changed" in second.output
    verified = run("audit", "verify")
    assert verified.exit_code == 0 and "intact" in verified.output
    code = run("user", "totp-code", "clerk@example.com")
    assert code.exit_code == 0 and len(code.output.strip()) == 6 and code.output.strip().isdigit()
    # Only demo staff have an authenticator to print; a customer's codes go by SMS, never here.
    customer = CliRunner().invoke(main, ["user", "totp-code", "demo@example.com"])
    assert customer.exit_code != 0 and not any(word.isdigit() and len(word) == 6 for word in customer.output.split())


def test_verify_names_the_first_broken_link(run, tmp_path):
    run("db", "upgrade")
    run("seed", "--demo")
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET actor_label = 'forged' WHERE seq = 3")
    db.commit()
    db.close()
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry 3" in result.output


def test_create_staff_prints_the_secret_once(run):
    run("db", "upgrade")
    result = run("user", "create-staff", "--email", "new.clerk@insurer.example", "--name", "新同事", "--role", "clerk",
                 "--password", "a-good-password-7")
    assert result.exit_code == 0 and "otpauth://" in result.output
    again = CliRunner().invoke(main, ["user", "create-staff", "--email", "new.clerk@insurer.example", "--name", "x",
                                      "--role", "clerk", "--password", "a-good-password-7"])
    assert again.exit_code != 0 and "already exists" in again.output
    # A demo-only command refuses real accounts.
    assert CliRunner().invoke(main, ["user", "totp-code", "new.clerk@insurer.example"]).exit_code != 0


def test_seed_needs_to_be_told_what(run):
    result = CliRunner().invoke(main, ["seed"])
    assert result.exit_code == 2 and "--demo" in result.output
