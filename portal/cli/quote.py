"""``portal quote``: the quote service from a terminal, in Chinese or English."""
from __future__ import annotations

from functools import partial

import click

from iaas.clock import SystemClock
from paas.errors import N_, InvalidInput
from paas.i18n import LOCALES, translate
from paas.policies.terms import MODE_LABELS
from paas.presale.quoting import quote_from_fields
from paas.products.quotes import Quote

OPTION_OF_FIELD = {"product": "--product", "sex": "--sex", "age": "--age", "birth_date": "--birth-date",
                   "sum_assured": "--sum-assured", "term": "--term", "premium_term": "--premium-term", "mode": "--mode"}
BAD_INPUT_STATUS = 2  # what click uses for bad options
WHOLE_OF_LIFE = N_("Whole of life")
YEARS = N_("%(years)s years")
HEADINGS = (N_("Policy year"), N_("Age"), N_("Premiums paid"), N_("Cash value"))


@click.command()
@click.option("--product", required=True, help="Product code, e.g. TERM, WLPAR, ENDOW, ULINK, CI.")
@click.option("--sex", required=True, help="M or F.")
@click.option("--age", help="Age last birthday of the insured.")
@click.option("--birth-date", help="Instead of --age: YYYY-MM-DD.")
@click.option("--sum-assured", required=True, help="Yuan, in steps of 1,000.")
@click.option("--term", help="Years of cover (not for whole-life products).")
@click.option("--premium-term", help="Years of premiums, 'term' or 'to_age_60'.")
@click.option("--mode", default="annual", show_default=True, help="annual, semi_annual, quarterly, monthly or single.")
@click.option("--lang", type=click.Choice(LOCALES), default="zh", show_default=True)
@click.pass_context
def quote(ctx: click.Context, lang: str, **options: str | None) -> None:
    """Price a cover and print the premium and the guaranteed cash values."""
    fields = {name: value for name, value in options.items() if value is not None}
    try:
        quoted = quote_from_fields(fields, SystemClock().today())
    except InvalidInput as error:
        message = translate(lang, error.message, **error.params)
        option = OPTION_OF_FIELD.get(error.field or "")
        click.echo(f"{option}: {message}" if option else message, err=True)
        ctx.exit(BAD_INPUT_STATUS)
    for line in _summary(quoted, lang):
        click.echo(line)
    if quoted.illustration:
        click.echo("")
        click.echo("\t".join(translate(lang, heading) for heading in HEADINGS))
        for year in quoted.illustration:
            click.echo(f"{year.policy_year}\t{year.age}\t{_money(year.premiums_paid)}\t{_money(year.cash_value)}")


def _summary(quoted: Quote, lang: str) -> list[str]:
    cover, premium = quoted.cover, quoted.premium
    said = partial(translate, lang)
    sex = said(N_("Male") if cover.sex == "M" else N_("Female"))
    lines = [
        f"{quoted.spec.name(lang)} ({quoted.spec.code})",
        f"{said(N_('Insured'))}: {said(N_('%(sex)s, aged %(age)s'), sex=sex, age=cover.age)}",
        f"{said(N_('Sum assured'))}: {_money(cover.sum_assured)}",
        f"{said(N_('Cover lasts'))}: {said(YEARS, years=cover.term) if cover.term else said(WHOLE_OF_LIFE)}",
    ]
    if premium.payments_per_year:
        lines += [
            f"{said(N_('Premiums paid for'))}: {said(YEARS, years=cover.premium_years)}",
            f"{said(N_('Premium per payment'))} ({said(MODE_LABELS[cover.mode])}): {_money(premium.modal)}",
            f"{said(N_('Premium per year'))}: {_money(premium.per_year)}",
        ]
    else:
        lines.append(f"{said(N_('Single premium'))}: {_money(premium.modal)}")
    lines.append(f"{said(N_('Total premiums'))}: {_money(quoted.total_premiums)}")
    return lines


def _money(amount) -> str:
    return f"¥{amount:,.2f}"
