"""Knowledge pages (保险知识): how a life policy works, in plain words. The prose is one
template per topic per language (too long for message ids); the numbers in it come from
the engine and the catalogue, so a page never disagrees with a quote."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template

from paas.errors import N_
from paas.presale import examples
from paas.products import catalogue
from saas.i18n import current_locale
from saas.transaction import platform, read_only
from saas.web import blueprint


@dataclass(frozen=True)
class Topic:
    slug: str
    template: str
    title: str
    summary: str


TOPICS = (
    Topic("grace-period", "grace_period", N_("Grace period"),
          N_("Missed a premium? You have 60 days to pay it, and you stay covered meanwhile.")),
    Topic("lapse-and-reinstatement", "lapse_reinstatement", N_("Lapse and reinstatement"),
          N_("What happens when a policy lapses, and how to bring it back within two years.")),
    Topic("free-look", "free_look", N_("Free-look period"),
          N_("15 days from receiving your policy to change your mind, with every premium refunded.")),
    Topic("cash-value", "cash_value", N_("Cash value"),
          N_("What your policy is worth if you surrender it, and why it starts low.")),
    Topic("policy-loans", "policy_loans", N_("Policy loans"),
          N_("Borrow against your policy's cash value and keep your cover.")),
)
_BY_SLUG = {topic.slug: topic for topic in TOPICS}


@blueprint.get("/learn")
@read_only
def learn():
    return render_template("web/learn/index.html", topics=TOPICS)


@blueprint.get("/learn/<string(maxlength=40):topic>")
@read_only
def learn_topic(topic: str):
    found = _BY_SLUG.get(topic)
    if found is None:
        abort(404)
    today = platform().clock.today()
    sample = examples.cash_value_example(today)
    return render_template(
        f"web/learn/{current_locale()}/{found.template}.html", topic=found, topics=TOPICS, today=today,
        example=sample, reinstatement=examples.reinstatement_example(sample.quote, today),
        grace_ends=examples.grace_period_end(today), rules=examples, products=catalogue.on_sale(),
    )
