"""Policy servicing in the console: the review queues, a request in full with its decision,
request search, acting for a customer (the same forms, confirmed with the clerk's own
authenticator) and the statistics."""
from saas.console.servicing import act_views, queue_views, request_views, statistics_views  # noqa: F401
