"""Policy servicing for the policyholder: what can be done to a policy, the form of each
service, confirming with a one-time code, and the history of requests."""
from saas.web.servicing import request_views, service_views  # noqa: F401  (routes register themselves)
