"""Notices in the console: a delivery given up is listed (recipient masked) and sent again
from there; the print batch joins the paper letters behind an address sheet - made from the
console, and each night by the cycle (one batch a night, however often the night is rerun); the
statistics count letters by type and channel, the share delivered electronically and the share
opened."""
from __future__ import annotations

import io
from datetime import timedelta

import pyotp
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from paas.audit.models import AuditEntry
from paas.cycle.batch import Partition
from paas.cycle.runner import run_cycle
from paas.cycle.steps.print_letters import batch_name
from paas.notices import printing
from paas.notices.delivery import deliver_due
from paas.security.sessions import principal_of as staff_principal
from tests.factories import PASSWORD, make_staff, principal_of
from paas.notices.preferences import set_preferences
from tests.notice_events_support import deliveries, holder_with_policy, raise_notice


@pytest.fixture
def clerk(uow, web, clock):
    staff = make_staff(uow, "clerk")
    uow.commit()
    web.staff_login(staff.account.email, PASSWORD, pyotp.TOTP(staff.totp_secret).at(clock.now()))
    return staff


def test_a_failed_delivery_is_listed_masked_and_sent_again_from_the_console(uow, platform, gateway, clerk, web, clock):
    gateway.failing = True
    customer, _, policy = holder_with_policy(uow, email="failing.customer@example.com")
    notice = raise_notice(uow, policy)
    for row in deliveries(uow, notice).values():
        row.attempts, row.status = 6, "failed"
    uow.commit()
    page = web.text("/console/notices")
    email = deliveries(uow, notice)["email"]
    assert f'data-test="failed-{email.id}"' in page and "f***@example.com" in page and customer.email not in page
    gateway.failing = False
    response = web.post_form(f"/console/notices/deliveries/{email.id}/retry", {}, token_from="/console/notices")
    assert response.status_code == 303
    assert [e.recipient for e in gateway.sent] == [customer.email]
    assert f'data-test="failed-{email.id}"' not in web.text("/console/notices")


def test_the_print_batch_has_an_address_sheet_then_each_paper_letter(uow, clerk, web):
    customer, account, policy = holder_with_policy(uow, name="刘纸", address="北京市朝阳区建国路1号")
    set_preferences(uow, principal_of(account), customer, {("premium_due", "paper")})
    notice = raise_notice(uow, policy)
    uow.commit()
    assert set(deliveries(uow, notice)) == {"paper"}
    assert web.post_form("/console/notices/print", {}, token_from="/console/notices").status_code == 303
    page = web.text("/console/notices")
    name = page.split('data-test="batch-')[1].split('"')[0]
    pdf = web.get(f"/console/notices/print/{name}.pdf")
    assert pdf.status_code == 200
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) >= 2
    sheet = reader.pages[0].extract_text()
    assert "刘纸" in sheet and "建国路" in sheet and notice.code in sheet
    uow.session.expire_all()
    assert deliveries(uow, notice)["paper"].status == "printed"
    assert web.post_form("/console/notices/print", {}, token_from="/console/notices").status_code == 303
    assert web.text("/console/notices").count('data-test="batch-') == 1  # nothing left: no empty batch


def _batches(uow, clerk) -> list[str]:
    return printing.print_batches(uow, staff_principal(clerk.account))


def _batch_text(platform, name: str) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(platform.objects.get(f"{printing.PREFIX}{name}.pdf")))
    return reader.pages[0].extract_text(), len(reader.pages)


def _paper_letter(uow, name: str, address: str):
    customer, account, policy = holder_with_policy(uow, name=name, address=address)
    set_preferences(uow, principal_of(account), customer, {("premium_due", "paper")})
    return raise_notice(uow, policy)


def test_the_night_prints_one_batch_of_the_paper_letters_and_a_rerun_none_more(uow, platform, clerk, web):
    first, second = _paper_letter(uow, "刘纸", "北京市朝阳区建国路1号"), _paper_letter(uow, "陈信", "上海市黄浦区南京东路2号")
    _, _, by_email = holder_with_policy(uow, name="王电", email="e-delivery@example.com")  # chose e-delivery
    electronic = raise_notice(uow, by_email)
    uow.commit()
    day = uow.clock.today()
    reports = {r.step: r for r in run_cycle(platform, day, steps=["notices", "print_letters"])}
    assert (reports["print_letters"].status, reports["print_letters"].touched) == ("done", 2)
    night = batch_name(day)
    assert _batches(uow, clerk) == [night]
    sheet, pages = _batch_text(platform, night)
    assert "刘纸" in sheet and "陈信" in sheet and first.code in sheet and second.code in sheet
    assert "王电" not in sheet and electronic.code not in sheet and pages >= 3  # the sheet, then each letter
    uow.session.expire_all()
    assert [(d.status, d.print_batch) for d in (deliveries(uow, first)["paper"], deliveries(uow, second)["paper"])] \
        == [("printed", night)] * 2
    assert "paper" not in deliveries(uow, electronic)
    [entry] = uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "notices.print_batch"))
    assert (entry.actor_type, entry.subject) == ("system", f"print:{night}")
    assert f'data-test="batch-{night}"' in web.text("/console/notices")  # the mail room finds it

    # A rerun of the night, even ``again`` with a letter made since: no second batch, and that
    # letter waits for the next night rather than being lost.
    later = _paper_letter(uow, "赵后", "广州市天河区体育西路3号")
    uow.commit()
    assert [r.status for r in run_cycle(platform, day, steps=["print_letters"])] == ["skipped"]
    [again] = run_cycle(platform, day, steps=["print_letters"], again=True)
    assert (again.status, again.touched) == ("done", 0)
    assert _batches(uow, clerk) == [night]
    uow.session.expire_all()
    assert deliveries(uow, later)["paper"].status == "pending"
    [next_night] = run_cycle(platform, day + timedelta(days=1), steps=["print_letters"])
    assert next_night.touched == 1
    sheet, _ = _batch_text(platform, batch_name(day + timedelta(days=1)))
    assert later.code in sheet and first.code not in sheet
    assert len(_batches(uow, clerk)) == 2


def test_a_night_cut_into_partitions_prints_one_batch_by_partition_one(uow, platform):
    letter = _paper_letter(uow, "刘分", "北京市西城区金融大街5号")
    uow.commit()
    day = uow.clock.today()
    [second] = run_cycle(platform, day, partition=Partition(2, 2), steps=["print_letters"])
    assert second.status == "not run" and platform.objects.list(printing.PREFIX) == []
    [first] = run_cycle(platform, day, partition=Partition(1, 2), steps=["print_letters"])
    assert (first.status, first.touched) == ("done", 1)
    assert letter.code in _batch_text(platform, batch_name(day))[0]
    assert len(platform.objects.list(printing.PREFIX)) == 1


def test_a_night_whose_batch_was_not_committed_prints_its_letters_on_the_rerun(uow, platform, monkeypatch):
    letter = _paper_letter(uow, "刘重", "北京市海淀区中关村大街4号")
    uow.commit()
    day = uow.clock.today()
    real_record = printing.chain.record

    def fail_after_storing(*args, **kwargs):  # the PDF is stored, then the transaction fails
        raise RuntimeError("the database went away")

    monkeypatch.setattr(printing.chain, "record", fail_after_storing)
    with pytest.raises(RuntimeError):
        run_cycle(platform, day, steps=["print_letters"])
    monkeypatch.setattr(printing.chain, "record", real_record)
    uow.session.expire_all()
    assert deliveries(uow, letter)["paper"].status == "pending"  # nothing half-written
    [rerun] = run_cycle(platform, day, steps=["print_letters"])
    assert (rerun.status, rerun.touched) == ("done", 1)
    sheet, _ = _batch_text(platform, batch_name(day))  # the same name: the stored file is replaced, not doubled
    assert letter.code in sheet and len(platform.objects.list(printing.PREFIX)) == 1


def test_statistics_by_type_and_channel(uow, platform, clerk, web):
    _, _, policy = holder_with_policy(uow)
    first = raise_notice(uow, policy)
    raise_notice(uow, policy, on=uow.clock.today().replace(day=1))
    deliver_due(uow, uow.clock.now())
    first.read_at = uow.clock.now()
    uow.commit()
    page = web.text("/console/notices/statistics")
    assert 'data-test="type-premium_due"' in page and 'data-test="notice-total">2<' in page
    assert 'data-test="electronic-share">100.0%<' in page and 'data-test="opened-share">50.0%<' in page


def test_a_policyholder_never_sees_the_console_notices(uow, web):
    customer, account, _ = holder_with_policy(uow, email="nosy@example.com")
    uow.commit()
    web.login("nosy@example.com", PASSWORD)
    assert web.get("/console/notices").status_code == 404
