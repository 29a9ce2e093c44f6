"""Where an application stands, and the words for it."""
from __future__ import annotations

from paas.errors import N_

DRAFT = "draft"
REFERRED = "referred"  # in the underwriters' queue
AWAITING_EVIDENCE = "awaiting_evidence"  # the applicant owes a document or an exam
AWAITING_SECOND = "awaiting_second"  # decided above the first underwriter's limit; a higher one must agree
OFFERED = "offered"  # a counter-offer (rated, exclusion) the applicant accepts or refuses online
ACCEPTED = "accepted"  # on standard or agreed terms: the first premium is awaited
ISSUED = "issued"
DECLINED = "declined"
POSTPONED = "postponed"
REFUSED = "refused"  # the applicant refused the counter-offer
WITHDRAWN = "withdrawn"

STATUS_LABELS = {
    DRAFT: N_("Draft"),
    REFERRED: N_("With an underwriter"),
    AWAITING_EVIDENCE: N_("Waiting for your information"),
    AWAITING_SECOND: N_("With an underwriter"),
    OFFERED: N_("Offer waiting for your answer"),
    ACCEPTED: N_("Accepted: pay the first premium"),
    ISSUED: N_("Policy issued"),
    DECLINED: N_("Cover declined"),
    POSTPONED: N_("Postponed"),
    REFUSED: N_("Offer refused"),
    WITHDRAWN: N_("Withdrawn"),
}
# Applications that may still become cover: counted in the insured's aggregate cover.
OPEN = frozenset({REFERRED, AWAITING_EVIDENCE, AWAITING_SECOND, OFFERED, ACCEPTED})
IN_QUEUE = frozenset({REFERRED, AWAITING_SECOND})
FINAL = frozenset({ISSUED, DECLINED, POSTPONED, REFUSED, WITHDRAWN})

STANDARD, RATED, EXCLUSION, POSTPONE, DECLINE, EVIDENCE, AGREE = (
    "standard", "rated", "exclusion", "postpone", "decline", "evidence", "agree")
DECISION_LABELS = {
    STANDARD: N_("Accept at standard rates"),
    RATED: N_("Accept with an extra premium"),
    EXCLUSION: N_("Accept with an exclusion"),
    POSTPONE: N_("Postpone"),
    DECLINE: N_("Decline the application"),
    EVIDENCE: N_("Ask for more information"),
    AGREE: N_("Agree as second underwriter"),
}
COUNTER_OFFERS = frozenset({RATED, EXCLUSION})
