"""Knowledge pages and the needs-analysis advisor, for anyone, in Chinese and English; and
the pre-sale links every visitor sees."""
from __future__ import annotations

import re
from datetime import date

import pytest

from paas.presale.examples import cash_value_example
from saas.i18n import money
from tests.integration.presale_pages import field_error, page, post

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_knowledge_pages_in_both_languages(web, lang):
    status, index = page(web, "/learn", lang)
    slugs = re.findall(r'href="/learn/([\w-]+)"', index)
    assert status == 200 and slugs == ["grace-period", "lapse-and-reinstatement", "free-look", "cash-value", "policy-loans"]
    for slug in slugs:
        status, body = page(web, f"/learn/{slug}", lang)
        assert status == 200 and f'data-test="learn-{slug}"' in body
    assert ("60 days" if lang == "en" else "60天") in page(web, "/learn/grace-period", lang)[1]
    assert ("15 days" if lang == "en" else "15天") in page(web, "/learn/free-look", lang)[1]
    assert page(web, "/learn/nothing-here", lang)[0] == 404


def test_the_cash_value_page_shows_the_engines_numbers(web):
    example = cash_value_example(TODAY)
    _, body = page(web, "/learn/cash-value")
    for line in example.lines:
        assert f'<td class="num">{money(line.reserve)}</td><td class="num">{money(line.surrender_charge)}</td>' \
               f'<td class="num">{money(line.cash_value)}</td>' in body
    _, loans = page(web, "/learn/policy-loans", "zh")
    assert f'data-test="loan-example">{money(example.loan_maximum)}<' in loans and "不提供保单借款" in loans


ADVISOR = {"annual_income": "200000", "age": "35", "dependents": "3", "youngest_age": "4", "children": "2",
           "debts": "1200000", "savings": "300000", "existing_cover": "500000"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_advisor_shows_its_reasoning_and_quotes_its_recommendations(web, lang):
    status, body = post(web, "/advisor", ADVISOR, lang)
    assert status == 200
    assert 'data-test="life-cover">¥3,250,000.00<' in body and 'data-test="ci-cover">¥1,000,000.00<' in body
    reasoning = ("Income replacement: 70% of your yearly income of ¥200,000.00, for 18 years." if lang == "en"
                 else "收入替代：年收入¥200,000.00的70%，共18年。")
    assert reasoning in body and "−¥300,000.00" in body
    links = re.findall(r'href="(/quote\?[^"]+)"', body)
    assert len(links) == 4
    for link in links:
        status, form = page(web, link, lang)
        assert status == 200 and 'data-test="quote-form"' in form and 'value="35"' in form


ADVISOR_MISTAKES = [
    ("annual_income", "", "Enter your yearly income before tax, e.g. 150000 (0 if you have none)."),
    ("annual_income", "-100", "The amount cannot be negative; enter 0 if you have none."),
    ("annual_income", "a lot", "Enter an amount in yuan, e.g. 150000 (at most two decimals)."),
    ("annual_income", "999999999999", "The amount can be at most 100,000,000 yuan."),
    ("age", "12", "Give your age as a whole number from 18 to 70."),
    ("dependents", "99", "Give the number of people who depend on your income as a whole number from 0 to 20."),
    ("youngest_age", "", "Give the age of your youngest dependent as a whole number from 0 to 100."),
    ("children", "5", "Children still to educate must be a whole number from 0 to your number of dependents (3)."),
    ("debts", "1e9", "Enter an amount in yuan, e.g. 150000 (at most two decimals)."),
    ("savings", "2000000000", "The amount can be at most 1,000,000,000 yuan."),
]


@pytest.mark.parametrize("field, value, message", ADVISOR_MISTAKES)
def test_advisor_mistakes_are_422_with_the_limit_named(web, field, value, message):
    status, body = post(web, "/advisor", {**ADVISOR, field: value})
    assert status == 422 and field_error(body, field) == message


def test_advisor_mistakes_in_chinese(web):
    status, body = post(web, "/advisor", {**ADVISOR, "age": "12"}, "zh")
    assert status == 422 and field_error(body, "age") == "请以18至70之间的整数填写您的年龄。"


def test_everyone_sees_the_pre_sale_links_and_the_login_page_points_to_the_products(web):
    _, body = page(web, "/login")
    nav = body.split('<nav class="bar-actions">')[1].split("</nav>")[0]
    for path in ("/products", "/quote", "/learn", "/advisor"):
        assert f'href="{path}"' in nav
    assert 'data-test="see-products"' in body and "New to us? See our products" in body
    _, chinese = page(web, "/login", "zh")
    assert ">产品<" in chinese and ">需求分析<" in chinese
