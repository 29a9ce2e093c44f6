"""Claims for the policyholder: reporting one on a policy, the claim's timeline, supplying
its documents and downloading them again, and the list of their claims."""
from saas.claims_display import install
from saas.web import blueprint
from saas.web.claims import claim_views, report_views  # noqa: F401  (routes register themselves)

blueprint.record_once(lambda state: install(state.app))
