"""Claims in the console, for adjusters and supervisors: the queue, one claim with its policy,
computed benefit and documents shown inline, and the decisions (more documents, approve within
one's authority or as the second approver, decline with a reason)."""
from saas.claims_display import install
from saas.console import blueprint
from saas.console.claims import claim_views, decision_views, queue_views, statistics_views  # noqa: F401  (routes register themselves)

blueprint.record_once(lambda state: install(state.app))
