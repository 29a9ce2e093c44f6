"""Property-based fuzzing of every operation the OpenAPI document lists (schemathesis, through
the app's WSGI interface), signed in as a demo policyholder with a valid CSRF token, in Chinese
and in English; plus explicit cases every JSON operation gets: a body nested 2,000 deep, NUL
bytes and CRLF in every string. It iterates over whatever the document lists, so an endpoint
added later is fuzzed without a change here.

What must hold for every response: never a 5xx; every 4xx is a JSON error with a message in
the caller's language (Chinese ones contain Chinese characters: the catalogue translates every
message). Examples are bounded and derandomised, so the test is repeatable and takes well under
a minute on two cores."""
from __future__ import annotations

import os
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from portal.demo.people import DEMO_PASSWORD
from portal.demo.seed import seed_demo
from tests.conftest import REQUIRE_POSTGRES

pytestmark = pytest.mark.slow

# Per operation, generation mode and with or without the customer's own names; a longer hunt:
# PORTAL_FUZZ_EXAMPLES=200.
EXAMPLES = int(os.environ.get("PORTAL_FUZZ_EXAMPLES", "8"))
TWISTS = ("as generated", "nul", "crlf")
LANGUAGES = ("zh", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")
DEEP = "[" * 2000 + "]" * 2000
# One database, to stay within a minute: PostgreSQL where the suite requires it (it is the one
# that refuses NUL bytes), else SQLite.
FUZZ_ENGINE = "postgres" if REQUIRE_POSTGRES else "sqlite"
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def signed_in(platform, app, web):
    """The demo cast; its first policyholder signed in. The schema is read from the app itself,
    and the customer's own names for things (policies, services, accounts, products) are kept,
    so that cases reach past the 404 of a name nobody has."""
    seed_demo(platform)
    web.login("demo@example.com", DEMO_PASSWORD)
    token = web.client.get("/api/v1/me").json["csrf_token"]
    cookie = web.client.get_cookie("portal_session")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    policies = [p["policy_number"] for p in web.get("/api/v1/policies").json["policies"]]
    own = {
        "policy_number": policies,
        "kind": sorted({s["kind"] for p in policies for s in web.get(f"/api/v1/policies/{p}/services").json["services"]}),
        "reference": [a["reference"] for a in web.get("/api/v1/external-accounts").json["accounts"]],
        "code": [p["code"] for p in web.get("/api/v1/products").json["products"]],
    }
    return schema, {"portal_session": cookie.value}, token, {name: values for name, values in own.items() if values}


def _problem(response, language: str) -> str | None:
    """What is wrong with an answer, if anything."""
    status = response.status_code
    if status >= 500:
        return f"{status} {response.text[:300]}"
    if status < 400:
        return None
    try:
        message = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return f"{status} without a JSON error: {response.text[:200]}"
    if not isinstance(message, str) or not message.strip():
        return f"{status} with an empty message"
    if language == "zh" and not CJK.search(message):
        return f"{status} not in Chinese: {message}"
    if language == "en" and not LATIN.search(message):
        return f"{status} not in English: {message}"
    return None


def _headers(token: str, language: str) -> dict[str, str]:
    return {"X-CSRFToken": token, "Accept-Language": language}


def _twisted(value, twist: str):
    """Every string of a body or query with a NUL byte, or a CRLF, put into it."""
    if twist == TWISTS[0]:
        return value
    if isinstance(value, str):
        return value[:1] + ("\x00" if twist == "nul" else "\r\nSet-Cookie: x=1\r\n") + value[1:]
    if isinstance(value, dict):
        return {key: _twisted(item, twist) for key, item in value.items()}
    if isinstance(value, list):
        return [_twisted(item, twist) for item in value]
    return value


def _strategies(operation, own: dict[str, list[str]]):
    """Each generation mode, and, where the path has parameters the customer has values for,
    with those (else nearly every case is a 404 and the operation itself is never reached)."""
    named = {name: st.sampled_from(own[name]) for name in re.findall(r"\{(\w+)\}", operation.path) if name in own}
    for mode in GenerationMode:
        yield mode.value, operation.as_strategy(generation_mode=mode)
        if named:
            yield f"{mode.value}, own names", st.fixed_dictionaries(named).flatmap(
                lambda values, mode=mode: operation.as_strategy(generation_mode=mode, path_parameters=values))


def _fuzzer(operation, label: str, strategy, token: str, cookies: dict, failures: list[str]):
    @FUZZ
    @given(case=strategy, language=st.sampled_from(LANGUAGES), twist=st.sampled_from(TWISTS))
    def fuzz(case, language, twist):
        if isinstance(case.body, (dict, list, str)):
            case.body = _twisted(case.body, twist)
        if case.query:
            case.query = _twisted(case.query, twist)
        response = case.call(headers=_headers(token, language), cookies=cookies)
        problem = _problem(response, language)
        if problem:
            failures.append(f"{operation.method.upper()} {case.formatted_path} ({label}, {twist}, {language}): {problem}"
                            f" body={case.body!r:.200} query={case.query!r:.100}")
    return fuzz


@pytest.mark.parametrize("engine", [FUZZ_ENGINE], indirect=True)
def test_every_operation_survives_fuzzing_without_a_5xx_and_answers_in_the_callers_language(signed_in):
    schema, cookies, token, own = signed_in
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25, len(operations)
    for operation in operations:
        for label, strategy in _strategies(operation, own):
            try:
                _fuzzer(operation, label, strategy, token, cookies, failures)()
            except Unsatisfiable:  # nothing to make invalid (no parameters, no body): nothing to fuzz
                assert label.startswith(GenerationMode.NEGATIVE.value), (operation.path, label)
    assert not failures, "\n".join(sorted(set(failures))[:30])


@pytest.mark.parametrize("engine", [FUZZ_ENGINE], indirect=True)
def test_every_json_operation_refuses_a_body_nested_2000_deep_in_the_callers_language(signed_in, web):
    schema, _, token, own = signed_in
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    with_json = [o for o in operations if "application/json" in (o.definition.raw.get("requestBody") or {}).get("content", {})]
    assert len(with_json) >= 8, [o.path for o in with_json]
    for operation in with_json:
        path = re.sub(r"\{(\w+)\}", lambda m: (own.get(m.group(1)) or ["X1"])[0], operation.path)
        for language in LANGUAGES:
            response = web.client.open("/api/v1" + path, method=operation.method.upper(), data=DEEP,
                                       content_type="application/json", headers=_headers(token, language))
            problem = _problem(_Answer(response), language) if response.status_code == 400 else "not 400"
            if problem:
                failures.append(f"{operation.method.upper()} {path} ({language}): {response.status_code} {problem}")
    assert not failures, "\n".join(failures)


class _Answer:
    """A Flask test response read the way _problem reads schemathesis' responses."""

    def __init__(self, response) -> None:
        self.status_code, self.text, self._response = response.status_code, response.get_data(as_text=True), response

    def json(self):
        return self._response.get_json()
