"""End-to-end fixtures: the real CLI and the real gunicorn on loopback, driven over HTTP and
through a real Chromium (Playwright).

Self-contained on purpose: nothing here uses the fixtures of ``tests/conftest.py``.

* ``live_server`` (session): a temp data folder, ``portal db upgrade`` and ``portal seed --demo``
  as subprocesses, then ``gunicorn portal.wsgi:app`` on a free loopback port.
* ``private_live_server`` (function): the same, with a server and data folder of its own, for
  tests that leave state behind in the server (sign-in throttling lives in the worker's memory).
* ``browser`` (session): Debian's Chromium through Playwright; the tests using it are skipped
  when it is missing, unless ``PORTAL_REQUIRE_BROWSER=1`` (then they fail, saying why).
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.e2e.page_checks import watch
from tests.e2e.support import DEMO, DEMO2, GUNICORN, PORTAL, REPO_ROOT, LiveServer

CHROMIUM = Path(os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("PORTAL_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# "    clerk@example.com          clerk        TOTP secret 6ZUQZXGY3LP4PD36SQDMLOBOFIIPKLPJ"
_SEED_STAFF_LINE = re.compile(r"^\s+(?P<email>\S+@\S+)\s+(?P<role>\w+)\s+TOTP secret (?P<secret>[A-Z2-7]+)\s*$")


# --------------------------------------------------------------------------- the live server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(data_dir: Path) -> dict[str, str]:
    """The parent environment minus any portal setting (a developer's DATABASE_URL or login
    limits must not leak in), plus cheap password hashing. The seed hashes the demo
    passwords with these same costs."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PORTAL_") and k not in ("DATABASE_URL", "HOST", "PORT")}
    env.update(
        PORTAL_ENV="test",
        PORTAL_DATA_DIR=str(data_dir),
        PORTAL_ARGON2_TIME_COST="1",
        PORTAL_ARGON2_MEMORY_KIB="8192",
        PYTHONUNBUFFERED="1",
    )
    return env


def _prepare_data(env: dict[str, str]) -> tuple[dict[str, str], str]:
    """``portal db upgrade`` then ``portal seed --demo``; returns the printed TOTP secrets."""
    result = None
    for args in (["db", "upgrade"], ["seed", "--demo"]):
        result = subprocess.run(
            [str(PORTAL), *args], env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120
        )
        if result.returncode != 0:
            pytest.fail(
                f"`portal {' '.join(args)}` exited {result.returncode}:\n{result.stdout}\n{result.stderr}",
                pytrace=False,
            )
    seed_output = result.stdout
    secrets = {}
    for line in seed_output.splitlines():
        match = _SEED_STAFF_LINE.match(line)
        if match:
            secrets[match["email"]] = match["secret"]
    if "clerk@example.com" not in secrets:
        pytest.fail(f"no staff TOTP secrets in the output of `portal seed --demo`:\n{seed_output}", pytrace=False)
    return secrets, seed_output


def _wait_until_up(server: LiveServer, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            return False
        conn = http.client.HTTPConnection(server.host, server.port, timeout=2)
        try:
            conn.request("GET", "/login")
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                return True
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    return False


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def _start_live_server(data_dir: Path, extra_env: dict[str, str] | None = None, *,
                       like_make_run: bool = False) -> LiveServer:
    """gunicorn on a free port, with ``extra_env`` on top of the test settings. ``like_make_run``:
    as `make run` starts it, told only HOST and PORT (no --bind, no PORTAL_PUBLIC_URL), so the
    portal must work out its own address."""
    env = {**_server_env(data_dir), **(extra_env or {})}
    secrets, seed_output = _prepare_data(env)
    log_path = data_dir / "gunicorn.log"
    server = None
    for _attempt in range(3):  # the probed port can be taken before gunicorn binds it
        port = _free_port()
        if like_make_run:
            env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
            bind = []
        else:
            # The sandbox's return addresses and webhooks lead back to this very server.
            env = {**env, "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{port}"}
            bind = ["--bind", f"127.0.0.1:{port}"]
        server = LiveServer(
            base_url=f"http://127.0.0.1:{port}",
            host="127.0.0.1",
            port=port,
            data_dir=data_dir,
            env=env,
            staff_totp_secrets=secrets,
            seed_output=seed_output,
            log_path=log_path,
        )
        with open(log_path, "ab") as log:
            server.process = subprocess.Popen(
                [
                    str(GUNICORN),
                    "--config", "python:portal.gunicorn_conf",
                    *bind,
                    "portal.wsgi:app",
                ],
                env=env,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if _wait_until_up(server):
            return server
        _stop(server.process)
    pytest.fail(f"gunicorn did not come up on 127.0.0.1; its log:\n{server.log_tail()}", pytrace=False)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> LiveServer:
    server = _start_live_server(tmp_path_factory.mktemp("portal-live"))
    yield server
    _stop(server.process)


@pytest.fixture
def start_live_server(tmp_path_factory):
    """Start servers of one's own with extra settings (e.g. ``PORTAL_WORKERS``, ``DATABASE_URL``)."""
    started: list[LiveServer] = []

    def start(**extra_env: str) -> LiveServer:
        started.append(_start_live_server(tmp_path_factory.mktemp("portal-custom"), extra_env))
        return started[-1]

    yield start
    for server in started:
        _stop(server.process)


@pytest.fixture
def private_live_server(tmp_path_factory) -> LiveServer:
    """A server and data folder nobody else uses."""
    server = _start_live_server(tmp_path_factory.mktemp("portal-private"))
    yield server
    _stop(server.process)


@pytest.fixture(scope="session")
def policy_numbers(live_server) -> dict[str, list[str]]:
    """The policy numbers each demo policyholder sees on their asset sheet, read off the web."""
    numbers = {}
    for email in (DEMO, DEMO2):
        client = live_server.http()
        assert client.login(email).status == 302, f"could not sign in as {email}"
        sheet = client.get("/")
        assert sheet.status == 200
        numbers[email] = re.findall(r'href="/policies/([^"]+)"', sheet.text)
        assert numbers[email], f"no policies on the asset sheet of {email}"
        client.logout()
    return numbers


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def browser():
    def unavailable(reason: str):
        if REQUIRE_BROWSER:
            pytest.fail(f"browser tests are required (PORTAL_REQUIRE_BROWSER=1) but {reason}", pytrace=False)
        pytest.skip(f"{reason} (set PORTAL_REQUIRE_BROWSER=1 to make this a failure)")

    if not CHROMIUM.exists():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        unavailable(f"the playwright package cannot be imported ({exc})")

    manager = sync_playwright().start()
    try:
        try:
            chromium = manager.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - whatever stops the launch, say what it was
            unavailable(f"Chromium at {CHROMIUM} could not be launched: {exc}")
        yield chromium
        chromium.close()
    finally:
        manager.stop()


# The pages the running test opened, each watched by the checks every page passes.
_WATCHES = []


@pytest.fixture(autouse=True)
def every_page_passes_the_checks():
    """Fails a browser test if any page it visited sticks out of a 390 or 1280 px screen or
    mixes languages, whatever the test itself asserted."""
    _WATCHES.clear()
    yield _WATCHES
    problems = [problem for checked in _WATCHES for problem in checked.problems]
    _WATCHES.clear()
    if problems:
        pytest.fail("pages that do not pass the checks of tests/e2e/page_checks.py:\n" + "\n".join(problems),
                    pytrace=False)


def _context_and_page(browser, live_server, **options):
    # A Chinese browser unless a test says otherwise: pages follow Accept-Language until a
    # language is chosen, and Chromium's own default is en-US.
    options.setdefault("locale", "zh-CN")
    context = browser.new_context(base_url=live_server.base_url, **options)
    context.set_default_timeout(10_000)
    context.set_default_navigation_timeout(15_000)
    page = watch(context.new_page())
    _WATCHES.append(page)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A fresh desktop browser profile (no cookies) pointed at the live server."""
    context, page = _context_and_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    page.check_now()  # the last page the test saw
    context.close()


@pytest.fixture
def private_page(browser, private_live_server):
    """A fresh desktop browser profile pointed at a server of its own (for tests that change data)."""
    context, page = _context_and_page(browser, private_live_server, viewport={"width": 1280, "height": 900})
    yield page
    page.check_now()  # the last page the test saw
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A fresh phone-sized, touch-screen, mobile browser profile."""
    context, page = _context_and_page(
        browser, live_server,
        viewport={"width": 390, "height": 844}, device_scale_factor=3, is_mobile=True, has_touch=True,
    )
    yield page
    page.check_now()  # the last page the test saw
    context.close()


PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(params=["phone", "desktop"])
def newcomer(request, browser, tmp_path_factory):
    """What a newcomer meets: a server of its own started as `make run` starts it, on a port that
    is not 8000 and with no PORTAL_PUBLIC_URL, and a fresh browser on a phone or a desktop.
    Yields (server, page, device)."""
    server = _start_live_server(tmp_path_factory.mktemp("portal-newcomer"), like_make_run=True)
    context = None
    try:
        assert server.port != 8000 and "PORTAL_PUBLIC_URL" not in server.env
        context, page = _context_and_page(browser, server, **(PHONE if request.param == "phone" else DESKTOP))
        yield server, page, request.param
        page.check_now()  # the last page the test saw
    finally:
        if context is not None:
            context.close()
        _stop(server.process)
