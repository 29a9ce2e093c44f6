"""Keyed links and signed checkpoints: the rewrites that passed ``verify`` with plain SHA-256
links - recompute the later hashes, move the head - are reported with the entry and why; so is
a rewrite done with the key behind a checkpoint, a tail cut off with its head, and a forged
checkpoint. Rotating the key ring keeps older entries and checkpoints verifying."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from iaas.keyring import LocalKeyRing, verify_signature
from iaas.keyring.local import _unb64
from paas.audit import chain, checkpoints
from paas.audit.chain import Actor
from paas.audit.models import AuditEntry, AuditHead
from paas.cycle.runner import run_cycle
from tests.audit_support import plain_sha, rewrite, with_key, without_guards
from tests.conftest import TEST_NOW


def _write(platform, count, start=0):
    with platform.unit_of_work() as uow:
        for n in range(start, start + count):
            chain.record(uow, Actor("staff", 7, "员工七"), "test.event", subject=f"thing:{n}", detail={"n": n})
        uow.commit()


def _checkpoint(platform):
    with platform.unit_of_work() as uow:
        return checkpoints.take(uow.session, platform.keyring, platform.objects, uow.clock.now())


def _verify(platform):
    with platform.unit_of_work() as uow:
        return checkpoints.verify(uow.session, platform.keyring, platform.objects)


def test_links_are_keyed_and_name_their_key(platform, uow):
    _write(platform, 3)
    entries = uow.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert {e.key_id for e in entries} == {platform.keyring.active_key_id}
    assert all(e.hash != chain.legacy_hash(e, e.prev_hash) for e in entries)  # not a plain hash
    assert _verify(platform).intact


def test_an_edit_relinked_withplain_sha256_is_reported_at_that_entry(platform, uow):
    _write(platform, 6)
    rewrite(uow.session, 3, relink=plain_sha, detail='{"n":"forged"}')
    report = _verify(platform)
    assert (report.first_broken_seq, report.entries_checked) == (3, 2)
    assert "keyed link does not verify" in report.reason


def test_an_edit_relinked_as_unkeyed_legacy_entries_is_reported(platform, uow):
    _write(platform, 6)
    without_guards(uow.session)
    uow.session.execute(update(AuditEntry).where(AuditEntry.seq >= 4).values(key_id=None))
    rewrite(uow.session, 4, relink=plain_sha, detail='{"n":"forged"}')
    report = _verify(platform)
    assert report.first_broken_seq == 4 and "no key id" in report.reason


def test_a_rewrite_with_the_key_behind_a_checkpoint_is_reported(platform, uow):
    _write(platform, 5)
    taken = _checkpoint(platform)
    assert taken.seq == 5
    _write(platform, 3, start=5)
    ring = platform.keyring
    rewrite(uow.session, 2, relink=with_key(ring), actor_label="someone else")
    # With the key the links are consistent again ...
    assert chain.verify(uow.session, ring).intact
    # ... but not with what was signed at entry 5.
    report = _verify(platform)
    assert report.first_broken_seq == 5 and report.entries_checked == 4
    assert "differs from the signed checkpoint" in report.reason and "at or before this one" in report.reason


def test_a_rewrite_after_the_checkpoint_is_found_at_its_entry(platform, uow):
    _write(platform, 3)
    _checkpoint(platform)
    _write(platform, 3, start=3)
    rewrite(uow.session, 5, relink=plain_sha, subject="thing:forged")
    report = _verify(platform)
    assert report.first_broken_seq == 5 and report.checkpoint_seq == 3


def test_a_tail_cut_off_with_its_head_moved_back_is_reported_by_the_checkpoint(platform, uow):
    _write(platform, 5)
    _checkpoint(platform)
    without_guards(uow.session)
    uow.session.execute(text("DELETE FROM audit_log WHERE seq > 3"))
    third = uow.session.get(AuditEntry, 3)
    uow.session.execute(update(AuditHead).values(seq=3, hash=third.hash))
    assert chain.verify(uow.session, platform.keyring).intact  # the chain alone cannot tell
    report = _verify(platform)
    assert report.first_broken_seq == 4 and "removed" in report.reason and "covers 5" in report.reason


def test_a_truncated_tail_is_reported(platform, uow):
    _write(platform, 5)
    without_guards(uow.session)
    uow.session.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    report = _verify(platform)
    assert report.first_broken_seq == 5 and "removed" in report.reason


def test_a_head_moved_back_over_entries_still_there_is_reported(platform, uow):
    _write(platform, 5)
    third = uow.session.get(AuditEntry, 3)
    uow.session.execute(update(AuditHead).values(seq=3, hash=third.hash))
    report = _verify(platform)
    assert report.first_broken_seq == 4 and "not chained" in report.reason


@pytest.mark.parametrize("forgery", ["changed hash", "other ring", "no signature", "garbage"])
def test_a_forged_checkpoint_is_reported(platform, uow, forgery):
    _write(platform, 4)
    taken = _checkpoint(platform)
    data = json.loads(platform.objects.get(taken.object_key))
    if forgery == "changed hash":
        data["hash"] = "f" * 64
    elif forgery == "other ring":
        data["signing_key_id"], data["signature"] = LocalKeyRing.generate().sign(
            checkpoints.Checkpoint(**data).signed_bytes(), purpose=checkpoints.PURPOSE)
    elif forgery == "no signature":
        data["signature"] = ""
    body = b"{not json" if forgery == "garbage" else json.dumps(data).encode()
    platform.objects.create(f"{checkpoints.PREFIX}000000000009-forged.json", body, content_type="application/json")
    report = _verify(platform)
    assert not report.intact
    assert {"changed hash": "does not verify", "other ring": "not in the key ring", "no signature": "no signature",
            "garbage": "unreadable"}[forgery] in report.reason
    with pytest.raises(checkpoints.CheckpointRefused):
        _checkpoint(platform)  # nor is a new one signed on top of it


def test_a_broken_chain_is_not_signed(platform, uow):
    _write(platform, 3)
    rewrite(uow.session, 2, relink=plain_sha, subject="x")
    with pytest.raises(checkpoints.CheckpointRefused, match="entry 2"):
        _checkpoint(platform)
    assert platform.objects.list(checkpoints.PREFIX) == []


def test_checkpoints_are_new_objects_signed_for_anyone_to_check(platform, uow):
    _write(platform, 2)
    first = _checkpoint(platform)
    _write(platform, 1, start=2)
    second = _checkpoint(platform)
    keys = platform.objects.list(checkpoints.PREFIX)
    assert keys == sorted([first.object_key, second.object_key]) and len(set(keys)) == 2
    with pytest.raises(FileExistsError):
        platform.objects.create(second.object_key, b"{}", content_type="application/json")
    # The exported public key alone checks the signature.
    public = _unb64(platform.keyring.public_keys()[second.signing_key_id])
    assert verify_signature(public, second.signed_bytes(), second.signature, purpose=checkpoints.PURPOSE)
    assert (second.seq, second.mac_key_id, second.legacy_until) == (3, platform.keyring.active_key_id, 0)
    assert _verify(platform).checkpoint_seq == 3


def test_rotation_keeps_older_entries_and_checkpoints_verifying(platform, uow):
    _write(platform, 3)
    _checkpoint(platform)
    rotated = replace(platform, keyring=platform.keyring.rotated())
    _write(rotated, 3, start=3)
    _checkpoint(rotated)
    key_ids = uow.session.scalars(select(AuditEntry.key_id).order_by(AuditEntry.seq)).all()
    assert key_ids == [platform.keyring.active_key_id] * 3 + [rotated.keyring.active_key_id] * 3
    report = _verify(rotated)
    assert report.intact and report.entries_checked == 6 and report.checkpoint_seq == 6
    # A ring without the newer key cannot vouch for its entries.
    assert "not in the key ring" in _verify(platform).reason


def test_legacy_entries_verify_only_before_the_first_keyed_one(platform, uow):
    """Entries written before the migration have no key id and a plain SHA-256 link."""
    _write(platform, 4)
    without_guards(uow.session)
    uow.session.execute(update(AuditEntry).where(AuditEntry.seq <= 2).values(key_id=None))
    rewrite(uow.session, 1, relink=lambda e, prev: chain.legacy_hash(e, prev) if e.key_id is None
             else chain.entry_hash(platform.keyring, e, prev))
    assert _verify(platform).intact
    taken = _checkpoint(platform)
    assert taken.legacy_until == 2
    # An unkeyed entry after a keyed one is a rewrite without the key.
    uow.session.execute(update(AuditEntry).where(AuditEntry.seq == 4).values(key_id=None))
    rewrite(uow.session, 4, relink=plain_sha)
    report = _verify(platform)
    assert report.first_broken_seq == 4 and "no key id" in report.reason


def test_the_nightly_cycle_ends_with_a_checkpoint(platform, uow):
    _write(platform, 2)
    day = TEST_NOW.date()
    [report] = run_cycle(platform, day, steps=["audit_checkpoint"])
    assert (report.step, report.status, report.touched) == ("audit_checkpoint", "done", 1)
    [key] = platform.objects.list(checkpoints.PREFIX)
    stored = json.loads(platform.objects.get(key))
    assert stored["seq"] == 2 and stored["signing_key_id"] == platform.keyring.active_key_id
    assert _verify(platform).checkpoint_seq == 2  # and the step's own entry (3) verifies after it
    assert uow.session.scalar(select(AuditHead.seq)) == 3
    # Without an object store the step does not apply.
    [skipped] = run_cycle(replace(platform, objects=None), day + timedelta(days=1), steps=["audit_checkpoint"])
    assert skipped.status == "not run"


def test_entries_written_before_the_migration_keep_verifying(tmp_path, keyring):
    """A log chained with plain SHA-256 under revision 0007, upgraded: old entries verify as
    legacy, new ones are keyed after them, and the first checkpoint records where legacy ends."""
    from sqlalchemy.orm import Session

    from iaas.clock import FixedClock
    from iaas.database import create_database_engine
    from iaas.objects import LocalFolderStore
    from iaas.ratelimit import RateLimiter
    from paas.platform import Platform
    from portal import migrate

    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(engine, "0007")
    prev = chain.GENESIS_HASH
    with engine.begin() as connection:
        for seq in (1, 2):
            entry = AuditEntry(seq=seq, occurred_at=TEST_NOW, actor_type="system", actor_label="system",
                               action="old.event", subject=None, detail="{}", address=None, actor_id=None)
            entry.hash = chain.legacy_hash(entry, prev)
            connection.execute(text(
                "INSERT INTO audit_log (seq, occurred_at, actor_type, actor_label, action, detail, prev_hash, hash)"
                " VALUES (:seq, :at, 'system', 'system', 'old.event', '{}', :prev, :hash)"),
                {"seq": seq, "at": TEST_NOW.isoformat(), "prev": prev, "hash": entry.hash})
            prev = entry.hash
        connection.execute(text("UPDATE audit_head SET seq = 2, hash = :hash"), {"hash": prev})
    migrate.upgrade(engine)
    platform = Platform(session_factory=lambda: Session(engine, expire_on_commit=False), clock=FixedClock(TEST_NOW),
                        keyring=keyring, rate_limiter=RateLimiter("memory://"), gateways={},
                        objects=LocalFolderStore(tmp_path / "objects"))
    assert _verify(platform).intact
    _write(platform, 2)
    report = _verify(platform)
    assert report.intact and report.entries_checked == 4
    assert _checkpoint(platform).legacy_until == 2
    with Session(engine) as session:
        assert session.scalars(select(AuditEntry.key_id).order_by(AuditEntry.seq)).all() == [
            None, None, keyring.active_key_id, keyring.active_key_id]
        with pytest.raises(DatabaseError, match="append-only"):  # the upgrade kept the log's guards
            session.execute(text("UPDATE audit_log SET action = 'x' WHERE seq = 1"))
    engine.dispose()
