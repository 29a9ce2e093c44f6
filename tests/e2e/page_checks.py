"""The checks every page a browser test visits passes through, on a phone (390 px) and on a
desktop (1280 px) and a small desktop window (1024 px), whatever the test itself looks at:

* nothing wider than the screen: the page does not scroll sideways, and no element sticks out
  of it unless it sits in a box that scrolls (or clips) on its own; the bar at the top is one
  row at every width (on a phone, and on a desktop too narrow for all its links, they are in
  a menu);
* one language: the visible text of a Chinese page has no English words and that of an English
  page no Chinese, bar text marked with its own ``lang`` (the language switch) and the proper
  names the demo data holds (people's names and addresses).

``watch(page)`` wraps a Playwright page so that every page it loads is checked; the fixtures of
conftest.py fail the test at the end with every problem found, the page and the width."""
from __future__ import annotations

from portal.demo.people import BANK_ACCOUNTS, EXTERNAL_ACCOUNTS, PEOPLE, POLICIES, STAFF
from paas.security.sessions_view import DEVICE_NAMES
from tests.language_checks import foreign_words

PHONE, SMALL_DESKTOP, DESKTOP = 390, 1024, 1280
WIDTHS = (PHONE, SMALL_DESKTOP, DESKTOP)

# Names are written as they are, in either language: people's (beneficiaries' too), their
# addresses, their banks' and the accounts they named themselves.
PROPER_NAMES = tuple(sorted(
    {text for p in PEOPLE for text in (p.name, p.address) if text}
    | {b[0] for policies in POLICIES.values() for policy in policies for b in policy.beneficiaries}
    | {name for _email, name, _role, _level in STAFF}
    | {bank for accounts in BANK_ACCOUNTS.values() for bank, _number in accounts}
    | {text for accounts in EXTERNAL_ACCOUNTS.values() for a in accounts for text in (a[0], a[2])}
    # The official Chinese name of a claim document, given beside its English name so that an
    # English reader can ask the registry office for it.
    | {"户口注销证明"}
    # Browsers and systems by their product names: where a customer is signed in (sessions, alerts).
    | set(DEVICE_NAMES),
    key=len, reverse=True,
))

# The elements that stick out of a screen `width` wide, or out of the card they are in (into
# its padding or past it: a table 8 px too wide for its card on a phone), and are not inside a
# box that scrolls or clips: the scroll box is the fix, so an element inside one is fine.
_OVERFLOW_JS = """(width) => {
  const root = document.scrollingElement || document.documentElement;
  const found = [];
  if (root.scrollWidth > width) found.push(`the page is ${root.scrollWidth} px wide`);
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === 'auto' || x === 'scroll' || x === 'hidden' || x === 'clip') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase()
    + (el.id ? '#' + el.id : '')
    + (el.getAttribute('data-test') ? `[data-test=${el.getAttribute('data-test')}]` : '')
    + (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const reported = new Set();  // the outermost element that sticks out, not each one inside it
  for (const el of document.body.querySelectorAll('*')) {
    if (found.length > 8) break;
    if (reported.has(el.parentElement)) { reported.add(el); continue; }
    if (!el.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const left = box.left + window.scrollX, right = box.right + window.scrollX;
    let [from, to, within] = [0, width, ''];
    const card = el.parentElement && el.parentElement.closest('.card');
    if (card) {
      const c = card.getBoundingClientRect(), style = getComputedStyle(card);
      from = Math.max(from, c.left + window.scrollX + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft));
      to = Math.min(to, c.right + window.scrollX - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight));
      within = ` (its card ${Math.round(from)}..${Math.round(to)} px)`;
    }
    if ((right > to + 1 || left < from - 1) && !scrolls(el)) {
      reported.add(el);
      found.push(`${name(el)} spans ${Math.round(left)}..${Math.round(right)} px${within}`
                 + ` ("${(el.innerText || '').trim().slice(0, 40)}")`);
    }
  }
  return found;
}"""

# The visible text of the page in the page's own language: text nodes whose element is shown
# and whose nearest lang attribute is the page's, the title, placeholders and labels for
# assistive technology.
_TEXT_JS = """() => {
  const own = (document.documentElement.lang || '').split('-')[0];
  const parts = [document.title];
  const mine = (el) => {
    const marked = el.closest('[lang]');
    return !marked || marked.lang.split('-')[0] === own;
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
    const shown = el.tagName === 'OPTION' || el.checkVisibility({visibilityProperty: true});
    if (shown && mine(el)) parts.push(node.textContent);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], img[alt]')) {
    if (!mine(el)) continue;
    for (const attribute of ['placeholder', 'aria-label', 'alt']) {
      if (el.getAttribute(attribute)) parts.push(el.getAttribute(attribute));
    }
  }
  return {lang: own, text: parts.join('\\n')};
}"""


# The bar is one row (the brand, the menu or the links, the language switch): eleven links once
# wrapped into three rows above every page on a phone, and the console's English links into two
# on a desktop window 961-1100 px wide.
BAR_ROW_PX = 72
_BAR_JS = "() => { const bar = document.querySelector('header.bar'); return bar ? bar.getBoundingClientRect().height : 0; }"


def overflow(page, width: int) -> list[str]:
    """What sticks out of a screen ``width`` wide, as the page is laid out now."""
    found = page.evaluate(_OVERFLOW_JS, width)
    if (height := page.evaluate(_BAR_JS)) > BAR_ROW_PX:
        found.append(f"the bar at the top is {height:.0f} px high (more than one row)")
    return found


def mixed_language(page, allowed: tuple[str, ...] = ()) -> list[str]:
    """The words of the page's visible text that are in the other language."""
    seen = page.evaluate(_TEXT_JS)
    text = seen["text"]
    names = (*allowed, *PROPER_NAMES)
    for name in names:
        text = text.replace(name, " ")
    # What is left of a name once masked (北京市朝阳区****) is still the name.
    return [word for word in foreign_words(text, seen["lang"]) if not any(word in name for name in names)]


def check_page(page, widths: tuple[int, ...] = WIDTHS, allowed: tuple[str, ...] = ()) -> list[str]:
    """Every problem of the page shown now, at each width (the viewport is put back after)."""
    # A click that navigates may leave the browser between two documents (no <html> yet): the
    # page shown is the one that has loaded.
    page.wait_for_load_state("load")
    problems = []
    words = mixed_language(page, allowed)
    if words:
        problems.append(f"mixed language: {sorted(set(words))}")
    size = page.viewport_size
    try:
        for width in widths:
            if width != size["width"]:
                page.set_viewport_size({"width": width, "height": size["height"]})
            problems += [f"at {width} px: {found}" for found in overflow(page, width)]
    finally:
        if page.viewport_size != size:
            page.set_viewport_size(size)
    return problems


class CheckedPage:
    """A Playwright page that passes each page it loads through ``check_page``.

    The load event only marks the page as due; the check itself runs at the test's next call on
    the page (and at the end), in the test's own flow: run inside the event, it would race the
    test's next click and resize the screen under it."""

    def __init__(self, page, allowed: tuple[str, ...] = ()) -> None:
        self._page = page
        self._due = False
        self.allowed = allowed
        self.problems: list[str] = []
        self.checked: list[str] = []
        page.on("load", self._loaded)

    def _loaded(self, _page) -> None:
        self._due = True

    def check_now(self) -> None:
        """Check the page shown now if it loaded since the last check."""
        if not self._due or self._page.is_closed():
            return
        self._due = False
        try:
            found = check_page(self._page, allowed=self.allowed)
        except Exception as exc:  # noqa: BLE001 - the page went on (a refresh) mid-check
            if self._page.is_closed() or "navigat" in str(exc) or "context was destroyed" in str(exc):
                self._due = True  # the page it goes to loads and is checked in turn
                return
            raise
        url = self._page.url
        self.checked.append(url)
        self.problems += [f"{url}: {problem}" for problem in found]

    def allow(self, *names: str) -> None:
        """Text the test typed in itself (a new address) is the customer's own words."""
        self.allowed = (*self.allowed, *names)

    @property
    def unchecked(self):
        """The Playwright page itself, for the rare call that must not check first."""
        return self._page

    def __getattr__(self, name: str):
        self.check_now()
        attribute = getattr(self._page, name)
        if not callable(attribute):
            return attribute

        def checked_call(*args, **kwargs):
            self.check_now()
            return attribute(*args, **kwargs)

        return checked_call


def watch(page, allowed: tuple[str, ...] = ()) -> CheckedPage:
    return CheckedPage(page, allowed)
