"""The policyholder web: sign in, the asset sheet (一账通), one policy, language."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("web", __name__, template_folder="templates")

from saas.web import account_views, asset_views, language_views, policy_views  # noqa: E402,F401  (routes register themselves)
from saas.web import payment_views, sandbox_views  # noqa: E402,F401  (paying premiums online)
from saas.web import advisor_views, learn_views, presale_text, product_views, quote_views  # noqa: E402,F401  (pre-sale, no login)
from saas.web import servicing  # noqa: E402,F401  (policy servicing)
from saas.web import claims  # noqa: E402,F401  (reporting and tracking claims)
from saas.web import security_views  # noqa: E402,F401  (bank accounts, held payouts, the freeze)
from saas.web import online_service_views, account_page_views  # noqa: E402,F401  (opening online service, the account)
from saas.web import favicon_views  # noqa: E402,F401  (the icon browsers ask for)
from saas.web import session_views  # noqa: E402,F401  (is the session still signed in)
from saas.web import applications  # noqa: E402,F401  (applying for new cover)
from saas.web import notice_views, verify_views  # noqa: E402,F401  (electronic notices; /verify needs no login)


@blueprint.record_once
def _labels(state) -> None:
    from paas.billing.orders import STATUS_LABELS as PAYMENT_STATUS_LABELS
    from paas.billing.orders import failure_label
    from paas.dividends.declare import OPTION_LABELS
    from paas.policies.terms import MODE_LABELS, RELATIONSHIP_LABELS, STATUS_LABELS
    from saas.servicing import install as install_servicing

    install_servicing(state.app)

    state.app.jinja_env.globals.update(
        status_labels=STATUS_LABELS, mode_labels=MODE_LABELS, relationship_labels=RELATIONSHIP_LABELS,
        dividend_options=OPTION_LABELS, payment_status_labels=PAYMENT_STATUS_LABELS, payment_failure=failure_label,
    )
