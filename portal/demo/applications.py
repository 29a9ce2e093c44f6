"""Demo new business: applications by the demo policyholders as the rules and an underwriter
left them, so the underwriters' queue, a case with evidence and the statistics have something
to show. Built through the real services; added once (left alone if any exists)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from paas.security.models import Account
from paas.security.sessions import principal_of
from paas.underwriting import answers, applications, decisions
from paas.underwriting.decisions import Decision
from paas.underwriting.models import Application
from paas.underwriting.rulebook import current
from paas.unit_of_work import UnitOfWork

PDF = b"%PDF-1.4\n% demo: ECG report\n"
# (product, changes to a healthy applicant's answers, what happens next). Most are standard
# cases the rules accept straight through, as on a real book of business.
DEMO_APPLICATIONS = (  # (applicant: 0 = the first demo policyholder, 1 = the second; product; answers changed; then)
    (0, "TERM", {"sum_assured": "300000"}, None),
    (0, "CI", {"sum_assured": "200000"}, None),
    (1, "ENDOW", {"sum_assured": "100000", "term": "15", "premium_term": "10"}, None),
    (1, "TERM", {"sum_assured": "300000", "mode": "monthly"}, None),
    (1, "TERM", {"sum_assured": "500000"}, None),
    (0, "TERM", {"q_heart": "yes"}, None),  # referred: waits in the queue
    (1, "TERM", {"occupation_class": "4", "sum_assured": "200000"}, None),
    (0, "TERM", {"q_hospital": "yes", "sum_assured": "200000"}, "document"),  # referred, asked for an ECG, answered
)


def _values(product: str, changes: dict[str, str]) -> dict[str, str]:
    values = {"insured": "self", "sum_assured": "500000", "term": "20", "premium_term": "term", "mode": "annual",
              "occupation_class": "1", "height_cm": "172", "weight_kg": "68", "income": "300000",
              "cover_elsewhere": "0", "payment_method": "online", "declare_truth": "yes", "consent_data": "yes"}
    if product == "CI":
        values.update(term="20", premium_term="20")
    values.update({f"q_{q.id}": "no" for q in current().questions_for(product)})
    values.update(changes)
    return values


def seed_applications(uow: UnitOfWork, applicants: list[Account], underwriter: Account) -> int:
    """Returns how many were added (0 when the demo applicants have applications already)."""
    if uow.session.scalar(select(Application.id).where(Application.account_id.in_([a.id for a in applicants])).limit(1)):
        return 0
    staff = principal_of(underwriter)
    for index, product, changes, evidence in DEMO_APPLICATIONS:
        who = principal_of(applicants[min(index, len(applicants) - 1)])
        application = applications.start(uow, who, product)
        applications.submit(uow, who, application.reference, _values(product, changes))
        # Backdated a little, so the queue shows how long each has waited.
        application.first_submitted_at = application.submitted_at = uow.clock.now() - timedelta(days=2)
        if evidence == "document":
            decisions.decide(uow, staff, application.reference,
                             Decision("evidence", evidence_kind="document", note="ECG (PDF)"))
            answers.upload_evidence(uow, who, application.reference, application.evidence[0].id,
                                    filename="ecg.pdf", data=PDF)
    return len(DEMO_APPLICATIONS)
