"""The JSON API (``/api/v1``): the same policy data as the web, for a signed-in owner,
described by an OpenAPI document at ``/api/v1/openapi.json``."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("api", __name__)

from saas.api import external_account_endpoints, openapi, policy_endpoints  # noqa: E402,F401
from saas.api import product_endpoints  # noqa: E402,F401  (products and quotes, no sign-in)
from saas.api import payment_endpoints  # noqa: E402,F401  (premiums due, paying online)
from saas.api import document_endpoints, servicing_endpoints  # noqa: E402,F401  (policy servicing)
from saas.api import claim_endpoints  # noqa: E402,F401  (reporting and tracking claims)
from saas.api import security_endpoints  # noqa: E402,F401  (bank accounts, held payouts, the freeze)
from saas.api import account_endpoints, online_service_endpoints  # noqa: E402,F401  (opening online service, the account)
from saas.api import application_endpoints  # noqa: E402,F401  (new-business applications)
from saas.api import notice_endpoints  # noqa: E402,F401  (the inbox, notice PDFs, channel choices)
