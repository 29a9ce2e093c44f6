"""The ``portal`` command on a fresh SQLite data folder: migrate, seed, verify the audit chain."""
from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from portal.cli import main


# Customer 1 as a migration test writes it into the SQLite file of an older revision.
CUSTOMER_BEFORE_THE_MIGRATION = (
    "INSERT INTO customers (id, customer_number, name, gender, birth_date, id_type, id_number_cipher, id_number_index, "
    "created_at) VALUES (1, 'C00000001', '老客户', 'F', '1980-01-01', 'resident_id', 'x', 'y', '2024-01-01 00:00:00.000000')")


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


def _intrude(tmp_path, seq, relink_with_key: bool, **changes):
    """Rewrite entry ``seq`` straight in the database file and relink the rest: plainly, or
    with the key ring's MAC key (an intruder who also took the key file)."""
    from sqlalchemy.orm import Session

    from iaas.database import create_database_engine
    from iaas.keyring import LocalKeyRing
    from tests.audit_support import plain_sha, rewrite, with_key

    engine = create_database_engine(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    ring = LocalKeyRing.load_or_create(tmp_path / "keys" / "keyring.json")
    with Session(engine) as session:
        rewrite(session, seq, relink=with_key(ring) if relink_with_key else plain_sha, **changes)
        session.commit()
    engine.dispose()


def test_verify_finds_an_entry_relinked_with_plain_sha256(run, tmp_path):
    run("db", "upgrade")
    run("seed", "--demo")
    _intrude(tmp_path, 3, False, actor_label="forged")
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert "BROKEN at entry 3" in result.output and "keyed link does not verify" in result.output


def test_checkpoint_then_verify_holds_even_a_rewrite_made_with_the_key(run, tmp_path):
    run("db", "upgrade")
    run("seed", "--demo")
    before = run("audit", "verify")
    assert before.exit_code == 0 and "no signed checkpoint yet" in before.output
    taken = run("audit", "checkpoint")
    assert taken.exit_code == 0 and "Checkpoint of entry" in taken.output
    seq = int(taken.output.split("Checkpoint of entry ")[1].split()[0])
    assert list((tmp_path / "objects" / "audit" / "checkpoints").glob("*.json"))
    held = run("audit", "verify")
    assert held.exit_code == 0 and f"held to the signed checkpoint at entry {seq}" in held.output
    _intrude(tmp_path, 2, True, actor_label="forged")
    result = CliRunner().invoke(main, ["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {seq}: differs from the signed checkpoint" in result.output
    refused = CliRunner().invoke(main, ["audit", "checkpoint"])
    assert refused.exit_code == 1 and "No checkpoint taken" in refused.output


def test_rotated_keys_keep_verifying_and_the_public_keys_export(run, tmp_path):
    import json

    run("db", "upgrade")
    run("seed", "--demo")
    run("audit", "checkpoint")
    assert run("keys", "rotate").exit_code == 0
    run("user", "create-staff", "--email", "after.rotation@insurer.example", "--name", "新同事", "--role", "clerk",
        "--password", "a-good-password-7")  # written under the new key
    run("audit", "checkpoint")
    db = sqlite3.connect(tmp_path / "portal.sqlite3")
    assert db.execute("SELECT count(DISTINCT key_id) FROM audit_log").fetchone() == (2,)
    db.close()
    assert run("audit", "verify").exit_code == 0
    public = json.loads(run("keys", "public").output)
    ring = json.loads((tmp_path / "keys" / "keyring.json").read_text())
    assert set(public) == set(ring["data_keys"]) and len(public) == 2 and ring["active"] in public


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
