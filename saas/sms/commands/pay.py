"""PAY/支付 <policy>: a one-time link paying the oldest open premium of the policy
(``paas.billing.pay_links``). The reply names only the amount and the masked policy."""
from __future__ import annotations

from paas.billing import pay_links
from paas.billing.dues import open_dues
from paas.errors import N_
from paas.policies.lookup import policy_by_digits
from paas.servicing.kinds.common import amount_text
from saas.sms.conversation import Conversation
from saas.sms.registry import SmsCommand

NOTHING_DUE = N_("[Pinghe Life] Nothing is due on policy %(policy)s now.")
BEING_PAID = N_("[Pinghe Life] The premium of policy %(policy)s is already being paid or checked. "
                "Reply DUE later to see where it stands.")
LINK = N_("[Pinghe Life] Pay %(amount)s yuan for policy %(policy)s: %(url)s (once, within 24 hours).")


def pay(conversation: Conversation, args: tuple[str, ...]) -> str:
    uow = conversation.uow
    number = policy_by_digits(uow, conversation.customer_id, args[0] if args else None)
    masked = pay_links.mask_policy(number)
    due = next((d for d in open_dues(uow, conversation.customer_id) if d.policy_number == number), None)
    if due is None:
        return conversation.t(NOTHING_DUE, policy=masked)
    if due.in_payment or due.in_review:
        return conversation.t(BEING_PAID, policy=masked)
    token = pay_links.issue(uow, conversation.customer_id, due)
    url = uow.platform.public_url.rstrip("/") + pay_links.PATH + token
    return conversation.t(LINK, amount=amount_text(due.amount), policy=masked, url=url)


PAY = SmsCommand("PAY", ("PAY", "支付"), N_("A payment link for a policy"), pay)
