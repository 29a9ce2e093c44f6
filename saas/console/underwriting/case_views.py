"""The underwriting queue and one case. Each decision is one service call that locks the
application, checks the underwriter's team and authority and audits the step; a refusal shows
the case again with the reason."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from paas.documents.uploads import read
from paas.errors import InvalidInput, NotFound, NotPermitted
from paas.underwriting import decisions
from paas.underwriting.decisions import Decision
from paas.underwriting.desk import case, queue
from saas.auth import principal, staff_required
from saas.console import blueprint
from saas.console.documents import show_document
from saas.console.underwriting.forms import DecisionForm
from saas.i18n import current_locale, error_text
from saas.transaction import read_only, uow

_CASE = "/underwriting/<string(maxlength=16):reference>"


@blueprint.get("/underwriting")
@staff_required
@read_only
def underwriting_queue():
    from paas.desk.authority import limit_of
    from paas.desk.teams import UNDERWRITERS

    who = principal()
    return render_template("console/underwriting/queue.html", lines=queue(uow(), who),
                           my_limit=limit_of(who, UNDERWRITERS))


@blueprint.get(_CASE)
@staff_required
def underwriting_case(reference: str):
    return case_page(reference)


@blueprint.get(f"{_CASE}/documents/<string(maxlength=24):document>")
@staff_required
def underwriting_document(reference: str, document: str):
    found = case(uow(), principal(), reference)  # checks the role; audited
    if document not in found.documents:
        raise NotFound(decisions.NOT_FOUND, reference=reference)
    doc, data = read(uow(), found.application.owner_id, document)
    return show_document(data, content_type=doc.content_type, filename=doc.filename)


@blueprint.post(f"{_CASE}/decide")
@staff_required
def decide_application(reference: str):
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    decision = Decision(kind=(request.form.get("decision") or "")[:12], extra_pct=(form.extra_pct.data or "")[:8],
                        exclusion=(form.exclusion.data or "")[:600], note=(form.note.data or "")[:600],
                        evidence_kind=(form.evidence_kind.data or "")[:12])
    unit = uow()
    try:
        decisions.decide(unit, principal(), reference, decision)
    except (InvalidInput, NotPermitted) as error:
        unit.rollback()
        values = {k: v[:600] for k, v in request.form.items() if k != "csrf_token"}
        page = case_page(reference, error=error_text(error), values=values)
        unit.commit()  # keep the audit entry of this view of the case
        return page, error.status
    return redirect(url_for("console.underwriting_case", reference=reference), 303)


def case_page(reference: str, *, error: str | None = None, values: dict | None = None):
    found = case(uow(), principal(), reference)
    from paas.underwriting import rulebook
    from paas.underwriting.evaluator import OUTCOME_LABELS

    book = rulebook.version(found.application.rulebook_version) if found.application.rulebook_version else rulebook.current()
    return render_template("console/underwriting/case.html", k=found, a=found.application, error=error,
                           values=values or {}, form=DecisionForm(), lang=current_locale(),
                           questions={q.id: q for q in book.health}, outcome_labels=OUTCOME_LABELS)
