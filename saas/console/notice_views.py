"""Notices in the console: deliveries given up (start one again), the print batches for the
mail room (make tonight's, download one) and the statistics."""
from __future__ import annotations

from flask import Response, abort, redirect, render_template, url_for

from paas.errors import NotFound
from paas.notices import delivery, desk, printing
from paas.notices.preferences import CHANNEL_LABELS, CHANNELS
from paas.notices.types import notice_type
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.periods import requested_period
from saas.transaction import read_only, uow
from saas.web.notice_forms import MarkForm


@blueprint.get("/notices")
@staff_required
@read_only
def notice_desk():
    unit, staff = uow(), principal()
    return render_template("console/notices.html", failed=desk.failed_deliveries(unit, staff),
                           batches=printing.print_batches(unit, staff), notice_type=notice_type,
                           channel_labels=CHANNEL_LABELS, form=MarkForm())


@blueprint.post("/notices/deliveries/<int:delivery_id>/retry")
@staff_required
def retry_notice_delivery(delivery_id: int):
    if not MarkForm().validate_on_submit():
        abort(400)
    desk.check_desk(principal())
    delivery.retry(uow(), principal(), delivery_id)
    return redirect(url_for("console.notice_desk"), 303)


@blueprint.post("/notices/print")
@staff_required
def make_print_batch():
    if not MarkForm().validate_on_submit():
        abort(400)
    unit = uow()
    printing.print_batch(unit, principal(), unit.clock.now())
    return redirect(url_for("console.notice_desk"), 303)


@blueprint.get("/notices/print/<string(maxlength=24):name>.pdf")
@staff_required
@read_only
def print_batch_pdf(name: str):
    try:
        data = printing.batch_pdf(uow(), principal(), name)
    except NotFound:
        abort(404)
    return Response(data, mimetype="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'})


@blueprint.get("/notices/statistics")
@staff_required
@read_only
def notice_statistics():
    unit = uow()
    start, end = requested_period(unit.clock.today())
    stats = desk.statistics(unit, principal(), start, end)
    return render_template("console/notice_statistics.html", stats=stats, channels=CHANNELS,
                           channel_labels=CHANNEL_LABELS, notice_type=notice_type)
