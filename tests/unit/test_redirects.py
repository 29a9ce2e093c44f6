"""``safe_next``: a path on this site, or the fallback - never a foreign place, never an error."""
import pytest

from saas.web.redirects import safe_next


@pytest.mark.parametrize("target", [
    "/\r\n//evil.example", "/\n/evil.example", "/\t/evil.example", "/policies\x00", "/a\x7f", "/a\u2028b",
    "//evil.example", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "evil.example",
    " /policies", "http://[evil", "/" + "a" * 600, "", None,
])
def test_anything_but_a_plain_path_here_gives_the_fallback(target):
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ["/", "/policies/P1234567890?tab=values", "/pay/%0d%0a", "/保单"])
def test_a_path_on_this_site_is_kept(target):
    assert safe_next(target, "/home") == target
