"""No staff page, table or file shows a live one-time code: the outbox seals it apart from the
text and erases it once delivered, the local gateway's files are sealed, the console outbox is
for supervisors. Only the development inbox shows codes, and only in development."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from iaas.messaging import LocalFolderGateway
from paas.messaging import outbox
from paas.messaging.models import OutboxMessage
from paas.schema import metadata
from paas.security.roles import STAFF_ROLES
from paas.servicing import engine
from paas.security.sessions import principal_of
from tests.factories import PASSWORD, make_staff
from tests.outbox_support import sms_code
from tests.servicing_support import make_holder
from tests.web_client import WebClient


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "var"


@pytest.fixture
def local_gateway(platform, keyring, data_dir) -> LocalFolderGateway:
    """The embedded gateway, as ``make run`` wires it, writing into the data folder."""
    gateway = LocalFolderGateway(data_dir / "outbox", keyring)
    platform.gateways = {"email": gateway, "sms": gateway}
    return gateway


def _dump(uow) -> str:
    """Every value of every column of every table, as text."""
    uow.session.flush()
    lines = []
    for table in metadata.sorted_tables:
        for row in uow.session.execute(select(table)).all():
            lines.append(f"{table.name}: " + " | ".join(repr(value) for value in row))
    return "\n".join(lines)


def _files(folder: Path) -> str:
    return "\n".join(
        f"{path}: " + path.read_bytes().decode("latin-1") for path in sorted(folder.rglob("*")) if path.is_file()
    )


def _occurrences(code: str, text: str) -> int:
    return len(re.findall(rf"(?<!\d){code}(?!\d)", text))


def _withdraw(web, holder) -> str:
    path = f"/policies/{holder.whole_life.policy_number}/services/dividend_withdrawal"
    page = web.text(path)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    answer = web.post_form(path, {"idempotency_key": key, "amount": "10", "bank_account": "1"}, token_from=path)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer.headers["Location"].rsplit("/", 1)[1]


def _confirm(web, uow, reference: str) -> None:
    page = f"/requests/{reference}"
    answer = web.post_form(f"{page}/confirm", {"code": sms_code(uow, reference)}, token_from=page)
    assert answer.status_code == 303, answer.get_data(as_text=True)


def _staff_pages(holder, references: list[str]) -> list[str]:
    number, customer = holder.whole_life.policy_number, holder.customer.customer_number
    pages = ["/console/", f"/console/?q={customer}", "/console/outbox", "/console/payments", "/console/queues",
             "/console/requests", f"/console/requests?q={customer}", "/console/statistics", "/console/claims",
             f"/console/customers/{customer}", f"/console/policies/{number}/services",
             f"/console/policies/{number}/services/dividend_withdrawal"]
    return pages + [f"/console/requests/{reference}" for reference in references]


def test_no_live_code_in_any_table_file_or_staff_page(uow, app, web, clock, local_gateway, data_dir, tmp_path):
    holder = make_holder(uow, "sealed@example.com", "+8613811113333")
    staff = {role: make_staff(uow, role=role) for role in STAFF_ROLES}
    uow.commit()
    before_tables, before_files = _dump(uow), _files(tmp_path)
    assert web.login(holder.email, PASSWORD).status_code == 302
    delivered = []
    for _ in range(3):  # one awaits its code at a time: confirm each, as the customer would
        delivered.append(_withdraw(web, holder))
        _confirm(web, uow, delivered[-1])
    # A fourth code waits in the outbox (its transaction is still open): sealed, not delivered.
    pending = engine.start(uow, principal_of(holder.account), holder.whole_life.policy_number, "dividend_withdrawal",
                           {"amount": "10", "bank_account": "1"}, channel="web", idempotency_key="sealed-pending")
    assert pending.status == "awaiting_code"
    codes = {reference: sms_code(uow, reference) for reference in [*delivered, pending.reference]}
    received = {m.body for m in local_gateway.delivered()}
    for reference in delivered:  # the phones did get them
        assert any(reference in body and codes[reference] in body for body in received)

    tables, files = _dump(uow), _files(tmp_path)
    pages = {}
    for role, member in staff.items():
        client = WebClient(app.test_client())
        signed_in = client.staff_login(member.account.email, PASSWORD, _totp(member, clock))
        assert signed_in.status_code == 302, role
        for path in _staff_pages(holder, [*delivered, pending.reference]):
            pages[f"{role} {path}"] = client.text(path)
    assert any("••••••" in text for key, text in pages.items() if key.startswith("supervisor /console/outbox"))
    for reference, code in codes.items():
        assert _occurrences(code, tables) == _occurrences(code, before_tables), f"code of {reference} in a table"
        assert _occurrences(code, files) == _occurrences(code, before_files), f"code of {reference} in a file"
        for key, text in pages.items():
            assert _occurrences(code, text) == 0, f"code of {reference} on {key}"
    # The delivered ones are no longer even sealed; the pending one is, until it goes out.
    sealed = dict(uow.session.execute(select(OutboxMessage.id, OutboxMessage.sealed_secrets)
                                      .where(OutboxMessage.kind == "servicing_code")).all())
    assert sorted(bool(s) for s in sealed.values()) == [False, False, False, True]


def test_the_new_contacts_code_is_sealed_like_the_first(uow, app, web, clock, local_gateway, tmp_path):
    holder = make_holder(uow, "sealed-contact@example.com", "+8613811114444")
    supervisor = make_staff(uow, role="supervisor")
    uow.commit()
    before_tables, before_files = _dump(uow), _files(tmp_path)
    assert web.login(holder.email, PASSWORD).status_code == 302
    path = f"/policies/{holder.whole_life.policy_number}/services/contact_phone"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', web.text(path)).group(1)
    answer = web.post_form(path, {"idempotency_key": key, "mobile": "13900004444"}, token_from=path)
    assert answer.status_code == 303, answer.get_data(as_text=True)
    reference = answer.headers["Location"].rsplit("/", 1)[1]
    first = sms_code(uow, reference, kind="servicing_code")
    contact = sms_code(uow, reference, kind="servicing_contact_code")
    assert any(m.recipient == "+8613900004444" and contact in m.body for m in local_gateway.delivered())
    page = f"/requests/{reference}"
    done = web.post_form(f"{page}/confirm", {"code": first, "contact_code": contact}, token_from=page)
    assert done.status_code == 303, done.get_data(as_text=True)
    client = WebClient(app.test_client())
    assert client.staff_login(supervisor.account.email, PASSWORD, _totp(supervisor, clock)).status_code == 302
    pages = {path: client.text(path) for path in _staff_pages(holder, [reference])}
    tables, files = _dump(uow), _files(tmp_path)
    for name, code in (("first", first), ("contact", contact)):
        assert _occurrences(code, tables) == _occurrences(code, before_tables), f"{name} code in a table"
        assert _occurrences(code, files) == _occurrences(code, before_files), f"{name} code in a file"
        assert not [path for path, text in pages.items() if _occurrences(code, text)], f"{name} code on a page"


def _totp(member, clock) -> str:
    import pyotp

    return pyotp.TOTP(member.totp_secret).at(clock.now())


@pytest.mark.parametrize("role", ["underwriter", "adjuster", "clerk"])
def test_the_outbox_page_is_for_supervisors_only(uow, app, clock, role):
    member, supervisor = make_staff(uow, role=role), make_staff(uow, role="supervisor")
    uow.commit()
    client = WebClient(app.test_client())
    assert client.staff_login(member.account.email, PASSWORD, _totp(member, clock)).status_code == 302
    assert client.get("/console/outbox").status_code == 403
    assert 'data-test="nav-outbox"' not in client.text("/console/")
    boss = WebClient(app.test_client())
    assert boss.staff_login(supervisor.account.email, PASSWORD, _totp(supervisor, clock)).status_code == 302
    assert boss.get("/console/outbox").status_code == 200
    assert 'data-test="nav-outbox"' in boss.text("/console/")


def test_a_secret_is_sealed_until_delivered_then_erased(uow, platform, gateway, keyring):
    gateway.failing = True
    message = outbox.queue(uow, channel="sms", kind="test_code", recipient="+8613800000001", locale="en",
                           body=f"Your code is {outbox.placeholder('code')}.", secrets={"code": "424242"})
    uow.commit()
    uow.session.refresh(message)
    assert "424242" not in message.body and "424242" not in message.sealed_secrets
    assert outbox.masked(message.body) == "Your code is ••••••."
    gateway.failing = False
    assert outbox.deliver_pending(platform) == 1
    assert [e.body for e in gateway.sent] == ["Your code is 424242."]
    uow.session.refresh(message)
    assert message.status == "sent" and message.sealed_secrets is None


def test_a_message_that_keeps_failing_forgets_its_code(uow, platform, gateway):
    gateway.failing = True
    message = outbox.queue(uow, channel="sms", kind="test_code", recipient="+8613800000001", locale="en",
                           body="Code %(code)s", secrets={"code": "135790"})
    uow.commit()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_pending(platform)
    uow.session.refresh(message)
    assert message.status == "failed" and message.sealed_secrets is None


@pytest.mark.parametrize("body", ["Your code is 111111", "Your code is 111111 (%(code)s)"])
def test_a_secret_written_out_or_without_its_place_in_the_text_is_refused(uow, body):
    with pytest.raises(ValueError):
        outbox.queue(uow, channel="sms", kind="test_code", recipient="+8613800000001", locale="en",
                     body=body, secrets={"code": "111111"})


def test_the_development_inbox_shows_codes_in_development_only(uow, platform, local_gateway, data_dir):
    from portal.app import create_app
    from portal.config import Settings

    holder = make_holder(uow, "dev-inbox@example.com", "+8613811114444")
    base = {"PORTAL_DATA_DIR": str(data_dir), "PORTAL_SECRET_KEY": "test-secret-key"}
    development = create_app(Settings.from_env({**base, "PORTAL_ENV": "development"}), platform=platform)
    customer = WebClient(development.test_client())
    assert customer.login(holder.email, PASSWORD).status_code == 302
    reference = _withdraw(customer, holder)
    code = sms_code(uow, reference)
    visitor = WebClient(development.test_client())  # nobody signed in: a person trying the demo
    inbox = visitor.get("/dev/inbox")
    assert inbox.status_code == 200
    text = inbox.get_data(as_text=True)
    assert 'data-test="dev-inbox-notice"' in text and reference in text and code in text
    # From another machine (a development portal bound to 0.0.0.0): nothing there.
    remote = development.test_client().get("/dev/inbox", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert remote.status_code == 404 and code not in remote.get_data(as_text=True)

    for env in ("test", "production"):
        app = create_app(Settings.from_env({**base, "PORTAL_ENV": env}), platform=platform)
        assert not [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/dev")], env
        assert app.test_client().get("/dev/inbox").status_code == 404, env



def test_codes_stored_in_clear_before_the_upgrade_are_masked_by_it(tmp_path):
    from sqlalchemy import text

    from iaas.database import create_database_engine
    from portal import migrate

    engine = create_database_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    migrate.upgrade(engine, "0007")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO outbox_messages (channel, kind, recipient, body, locale, status, attempts, created_at) VALUES "
            "('sms', 'servicing_code', '+8613800000001', :code, 'en', 'sent', 1, '2026-11-27 02:00:00'),"
            "('sms', 'login_locked', '+8613800000001', :other, 'en', 'sent', 1, '2026-11-27 02:00:00')"),
            {"code": "Your confirmation code is 246810 for request SR0A1B2C3D4E (withdrawal).",
             "other": "Call 95500 about 123456"})
    migrate.upgrade(engine, "0009")
    with engine.connect() as connection:
        bodies = connection.execute(text("SELECT body FROM outbox_messages ORDER BY id")).scalars().all()
    engine.dispose()
    assert bodies == ["Your confirmation code is •••••• for request SR0A1B2C3D4E (withdrawal).", "Call 95500 about 123456"]
