"""New business in the console, for underwriters and supervisors: the referred queue, one case
in full, the decisions (within authority; a second, higher underwriter above it), statistics."""
from saas.console.underwriting import case_views, statistics_views  # noqa: F401  (routes register themselves)
