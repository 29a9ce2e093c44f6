"""The layout check of page_checks.py finds what it is there to find: a page wider than the
phone, a table wider than its card (into the card's padding, still inside the screen), and
passes the same table in a box that scrolls. A check that cannot fail would pass every page."""
from __future__ import annotations

import pytest

from tests.e2e.page_checks import PHONE, overflow

pytestmark = [pytest.mark.browser]

CARD = ".card { padding: 16px; border: 1px solid #ccc; margin: 0 8px; } body { margin: 0; }"
# 350 px of table in a card whose content box is 390 - 2 * (8 + 1 + 16) = 340 px wide.
TABLE = '<table data-test="wide" style="border-collapse: collapse"><tr><td style="padding: 0"><div style="width: 350px">x</div></td></tr></table>'


def _laid_out(browser, body: str) -> list[str]:
    context = browser.new_context(viewport={"width": PHONE, "height": 700})
    try:
        page = context.new_page()
        page.set_content(f"<!doctype html><html><head><style>{CARD}</style></head><body>{body}</body></html>")
        return overflow(page, PHONE)
    finally:
        context.close()


def test_a_table_wider_than_its_card_is_found_though_it_fits_the_screen(browser):
    found = _laid_out(browser, f'<section class="card">{TABLE}</section>')
    assert len(found) == 1 and "[data-test=wide]" in found[0] and "its card 25..365 px" in found[0], found


def test_a_page_wider_than_the_phone_is_found(browser):
    found = _laid_out(browser, '<div style="width: 500px">long</div>')
    assert any("the page is 500 px wide" in problem for problem in found), found


def test_the_same_table_in_a_box_that_scrolls_passes(browser):
    assert _laid_out(browser, f'<section class="card"><div style="overflow-x: auto">{TABLE}</div></section>') == []
