"""The asset sheet and one policy, for the policyholder who owns them."""
from __future__ import annotations

from paas.notices.inbox import UNREAD_OF_OWNER, unread_count
from paas.policies import queries
from paas.policies.detail import policy_detail_with
from paas.policies.premium_history import CHANNEL_LABELS, OTHER_CHANNEL, premium_history
from paas.underwriting.terms import SPECIAL_TERMS_COLUMNS, special_terms_of
from saas.auth import policyholder_required, principal
from saas.page_templates import render_page
from saas.transaction import read_only, uow
from saas.web import blueprint


@blueprint.route("/")
@policyholder_required
@read_only
def asset_sheet():
    customer_id = principal().customer_id
    sheet, unread = queries.asset_sheet_with(uow(), customer_id, UNREAD_OF_OWNER)  # one round trip
    if unread is None:  # no policies: no row carried the count
        unread = unread_count(uow(), customer_id)
    return render_page("web/asset_sheet.html", sheet=sheet, unread_notices=unread)


@blueprint.route("/policies/<string(maxlength=32):policy_number>")
@policyholder_required
@read_only
def policy(policy_number: str):
    detail, terms = policy_detail_with(uow(), principal().customer_id, policy_number, SPECIAL_TERMS_COLUMNS)
    return render_page("web/policy.html", policy=detail, special_terms=special_terms_of(*terms))  # one round trip


@blueprint.route("/policies/<string(maxlength=32):policy_number>/premiums")
@policyholder_required
@read_only
def premium_history_page(policy_number: str):
    history = premium_history(uow(), principal().customer_id, policy_number)
    return render_page("web/premiums.html", history=history, channel_labels=CHANNEL_LABELS,
                       other_channel=OTHER_CHANNEL)
