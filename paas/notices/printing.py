"""The night's print batch for the mail room: every letter due on paper (customers who asked
for paper, and legally required letters to customers with no electronic channel) in one PDF,
an address sheet first (one line per letter, in the order the letters follow), stored in the
object store and listed in the console. The letters are rendered here, not before: a notice
nobody prints is never rendered. Paper is not PAdES-signed (a printed signature proves
nothing); the code and QR on it verify the letter at /verify."""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from paas.audit import chain
from paas.customers.models import Customer
from paas.notices.delivery import PENDING, PRINTED
from paas.notices.letters import signed
from paas.notices.models import Notice, NoticeDelivery
from paas.notices.preferences import PAPER
from paas.notices.desk import check_desk

if TYPE_CHECKING:
    from paas.security.principal import Principal
    from paas.unit_of_work import UnitOfWork

BATCH_LIMIT = 2000
PREFIX = "notices/print/"
# The address sheet, as typst: rows come in through sys.inputs (never as markup).
ADDRESS_SHEET = """
#let rows = json(bytes(sys.inputs.rows))
#set page(paper: "a4", margin: 1.5cm)
#set text(font: ("Noto Sans CJK SC", "Noto Sans"), size: 9pt)
= #sys.inputs.title
#table(columns: (auto, 1fr, 2fr, auto, auto), stroke: 0.4pt,
  [*No.*], [*Name*], [*Address*], [*Postcode*], [*Notice*],
  ..rows.map(r => (r.at("n"), r.at("name"), r.at("address"), r.at("postcode"), r.at("notice"))).flatten())
"""


@dataclass(frozen=True)
class PrintBatch:
    name: str
    letters: int
    key: str


def print_batch(uow: "UnitOfWork", staff: "Principal | None", now: datetime, *, name: str | None = None) -> PrintBatch | None:
    """Print what waits for paper (up to ``BATCH_LIMIT``); None when nothing does. ``staff``:
    who asked in the console (None: the system - the nightly cycle or its command). ``name``:
    the batch's name when the caller names it (the night's); a batch of that name made already
    is not made again."""
    if staff is not None:
        check_desk(staff)
    # Locked: two batches made at once (two clicks, a click and the night) wait for each other,
    # and the second finds the first one's letters printed, never prints them twice.
    rows = uow.session.execute(
        select(NoticeDelivery, Notice, Customer).join(Notice, Notice.id == NoticeDelivery.notice_id)
        .join(Customer, Customer.id == Notice.customer_id)
        .where(NoticeDelivery.channel == PAPER, NoticeDelivery.status == PENDING)
        .order_by(Customer.address_postcode, NoticeDelivery.id).limit(BATCH_LIMIT)
        .with_for_update(of=NoticeDelivery)).all()
    if not rows or (name is not None and made_already(uow, name)):
        return None
    from pypdf import PdfWriter

    from paas.notices.fonts import font_folders
    from paas.notices.render import render_pdf

    name = name or f"P{now:%Y%m%d%H%M%S}"
    sheet = [{"n": str(n), "name": customer.name, "address": customer.address or "",
              "postcode": customer.address_postcode or "", "notice": notice.code}
             for n, (_delivery, notice, customer) in enumerate(rows, 1)]
    import typst

    writer = PdfWriter()
    writer.append(io.BytesIO(typst.compile(ADDRESS_SHEET.encode("utf-8"), font_paths=list(font_folders()),
                                           sys_inputs={"rows": json.dumps(sheet, ensure_ascii=False),
                                                       "title": f"Print batch {name} ({len(rows)})"})))
    for delivery, notice, _customer in rows:
        writer.append(io.BytesIO(render_pdf(signed(notice), notice.locale, public_url=uow.platform.public_url)))
        delivery.status, delivery.sent_at, delivery.print_batch, delivery.attempts = PRINTED, now, name, 1
    out = io.BytesIO()
    writer.write(out)
    key = f"{PREFIX}{name}.pdf"
    uow.platform.objects.put(key, out.getvalue(), content_type="application/pdf")
    chain.record(uow, staff.actor if staff is not None else chain.SYSTEM, "notices.print_batch",
                 subject=f"print:{name}", detail={"letters": len(rows)})
    return PrintBatch(name, len(rows), key)


def made_already(uow: "UnitOfWork", name: str) -> bool:
    return uow.session.scalar(select(NoticeDelivery.id).where(NoticeDelivery.print_batch == name).limit(1)) is not None


def print_batches(uow: "UnitOfWork", staff: "Principal") -> list[str]:
    check_desk(staff)
    return sorted((key[len(PREFIX):-4] for key in uow.platform.objects.list(PREFIX)), reverse=True)


def batch_pdf(uow: "UnitOfWork", staff: "Principal", name: str) -> bytes:
    check_desk(staff)
    from paas.errors import N_, NotFound

    if name not in print_batches(uow, staff):
        raise NotFound(N_("There is no such print batch."))
    return uow.platform.objects.get(f"{PREFIX}{name}.pdf")
