"""The audit log is append-only and tamper-evident; verification finds the first broken link."""
from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from paas.audit import chain
from paas.audit.chain import SYSTEM, Actor


def _write(uow, count):
    for n in range(count):
        chain.record(uow, Actor("staff", 7, "员工七"), "test.event", subject=f"thing:{n}", detail={"n": n, "名": "值"})
    uow.commit()


def _without_guards(uow):
    """Test-only: lift the append-only triggers inside the test's own (rolled back) transaction."""
    if uow.session.get_bind().dialect.name == "postgresql":
        uow.session.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
    else:
        uow.session.execute(text("DROP TRIGGER audit_log_no_update"))
        uow.session.execute(text("DROP TRIGGER audit_log_no_delete"))


def test_an_untouched_chain_verifies(uow):
    _write(uow, 5)
    report = chain.verify(uow.session, uow.keyring)
    assert report.intact and report.entries_checked == 5


def test_the_database_refuses_to_change_or_delete_entries(uow):
    _write(uow, 2)
    for statement in ("UPDATE audit_log SET action = 'x' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1"):
        nested = uow.session.begin_nested()
        with pytest.raises(DatabaseError, match="append-only"):
            uow.session.execute(text(statement))
        nested.rollback()


@pytest.mark.parametrize(
    ("tamper", "broken_at"),
    [
        ("UPDATE audit_log SET detail = '{}' WHERE seq = 3", 3),
        ("UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 2", 2),
        ("DELETE FROM audit_log WHERE seq = 3", 3),
        ("DELETE FROM audit_log WHERE seq = 5", 5),
    ],
)
def test_tampering_is_found_at_the_first_broken_link(uow, tamper, broken_at):
    _write(uow, 5)
    _without_guards(uow)
    uow.session.execute(text(tamper))
    report = chain.verify(uow.session, uow.keyring)
    assert not report.intact
    assert report.first_broken_seq == broken_at
    assert report.entries_checked == broken_at - 1


def test_rewriting_an_entry_and_its_hash_breaks_the_next_link(uow):
    _write(uow, 4)
    _without_guards(uow)
    uow.session.execute(text("UPDATE audit_log SET hash = '" + "f" * 64 + "' WHERE seq = 2"))
    report = chain.verify(uow.session, uow.keyring)
    assert report.first_broken_seq == 2


def test_system_actor_and_subject_are_kept(uow):
    entry = chain.record(uow, SYSTEM, "batch.ran", subject="cycle:2026-11-27")
    uow.commit()
    assert entry.seq >= 1 and len(entry.hash) == 64
    assert chain.verify(uow.session, uow.keyring).intact
