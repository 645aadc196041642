"""Checks that a person using a screen reader, a keyboard or a magnifier cares about.

Every helper takes a Playwright sync `Page` and fails with a message that says what a user
would meet, so a failing test reads as a bug report. Used by the tests in this folder and
by scripts/screenshots.py (which needs none of the assertions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage

from django.urls import reverse

# The rule sets BITV 2.0 points to through EN 301 549: WCAG 2.1 level A and AA
# (the 2.0 rules are tagged separately in axe-core).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# 320 CSS px is WCAG 1.4.10's reflow width; 1280 px at 200 % zoom lays out like 640 CSS px.
REFLOW_VIEWPORTS = {
    "320 px wide": {"width": 320, "height": 640, "scale": 1},
    "1280 px at 200 % zoom": {"width": 640, "height": 400, "scale": 2},
}


# --- URLs ------------------------------------------------------------------------


def url_path(viewname: str, *args, **kwargs) -> str:
    """The path of a named URL (a missing one fails the test: every page is on main)."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


# --- axe-core --------------------------------------------------------------------


def axe_violations(page, known_upstream: Mapping[str, str] | None = None):
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_21_AA}}
    context = None
    if known_upstream:
        context = {"include": [["html"]], "exclude": [[selector] for selector in known_upstream]}
    return Axe().run(page, context=context, options=options)


def assert_no_axe_violations(
    page, context: str = "", known_upstream: Mapping[str, str] | None = None
) -> None:
    """axe-core (bundled, offline) finds no WCAG 2.0/2.1 A or AA violation on the page.

    `known_upstream` maps a CSS selector to the reason its elements are left out: only for
    faults in third-party code we do not ship (listed in docs/accessibility.md under known
    limitations). Everything else on the page is still checked."""
    results = axe_violations(page, known_upstream)
    assert results.violations_count == 0, (
        f"axe-core: {results.violations_count} WCAG violation(s) on {context or page.url}\n"
        f"{results.generate_report()}"
    )


# --- Reflow (WCAG 1.4.10) --------------------------------------------------------

_OVERFLOW_SCRIPT = """() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const culprits = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width && box.right > limit + 1) {
      const style = getComputedStyle(el);
      if (style.position === 'absolute' && box.bottom < 0) continue;  // e.g. skip link
      const classes = typeof el.className === 'string' ? el.className.trim() : '';
      culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (classes ? '.' + classes.split(/\\s+/).join('.') : '') +
        ' (right edge ' + Math.round(box.right) + ')');
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: limit, culprits: culprits.slice(0, 8)};
}"""


def horizontal_overflow(page) -> dict:
    return page.evaluate(_OVERFLOW_SCRIPT)


def assert_reflows(page, url: str | None = None) -> None:
    """No horizontal scrolling at 320 CSS px and at 1280 px with 200 % zoom.

    Changes the page's viewport and restores it afterwards."""
    url = url or page.url
    original = page.viewport_size
    try:
        for name, viewport in REFLOW_VIEWPORTS.items():
            page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
            page.goto(url)
            measured = horizontal_overflow(page)
            assert measured["scrollWidth"] <= measured["clientWidth"], (
                f"{url} scrolls horizontally at {name}: content is {measured['scrollWidth']} px "
                f"wide in a {measured['clientWidth']} px window. "
                f"Too wide: {', '.join(measured['culprits']) or 'unknown'}"
            )
    finally:
        if original:
            page.set_viewport_size(original)


# --- Keyboard --------------------------------------------------------------------


@dataclass(frozen=True)
class FocusStop:
    """One element reached with Tab, with what a sighted keyboard user would see."""

    tag: str
    text: str
    href: str | None
    id: str | None
    focus_visible: bool
    in_viewport: bool
    dom_index: int

    def __str__(self) -> str:
        label = self.text or self.id or self.href or ""
        return f"<{self.tag}> {label!r}"


# Before tabbing, remember each focusable element's unfocused outline and box-shadow
# and its position in the document, so that "focus visible" means "looks different".
_SNAPSHOT_SCRIPT = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex], details';
  const elements = Array.from(document.querySelectorAll(selector));
  window.__a11yFocusables = elements.map((el, index) => {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor;
    return {el, index, outline,
            shadow: style.boxShadow, border: style.borderColor, background: style.backgroundColor,
            decoration: style.textDecorationLine};
  });
  return elements.length;
}"""

_ACTIVE_SCRIPT = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const known = (window.__a11yFocusables || []).find(entry => entry.el === el);
  const style = getComputedStyle(el);
  const outline = style.outlineStyle + ' ' + style.outlineWidth + ' ' + style.outlineColor;
  const outlineShown = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const changed = known ? (outline !== known.outline || style.boxShadow !== known.shadow ||
                           style.borderColor !== known.border ||
                           style.backgroundColor !== known.background) : outlineShown;
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 80),
    href: el.getAttribute('href'), id: el.id || null,
    focus_visible: changed,
    in_viewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
                 box.top < window.innerHeight && box.left < window.innerWidth,
    dom_index: known ? known.index : -1,
  };
}"""


def tab_through(page, max_stops: int = 80) -> list[FocusStop]:
    """Press Tab from the top of the page until focus leaves the page or comes back round.

    Returns the focus stops in order."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.evaluate(_SNAPSHOT_SCRIPT)
    page.evaluate("() => window.scrollTo(0, 0)")
    stops: list[FocusStop] = []
    for _ in range(max_stops):
        page.keyboard.press("Tab")
        active = page.evaluate(_ACTIVE_SCRIPT)
        if active is None:
            break
        stop = FocusStop(**active)
        if stops and stop == stops[0]:
            break
        stops.append(stop)
    return stops


def assert_focus_order_is_sensible(stops: Iterable[FocusStop], url: str = "") -> None:
    """Focus starts at the skip link, follows the reading order, and every stop is visible."""
    stops = list(stops)
    assert stops, f"{url}: Tab reaches nothing"
    assert stops[0].href == "#main", f"{url}: the first Tab stop is {stops[0]}, not the skip link"
    indices = [stop.dom_index for stop in stops]
    assert indices == sorted(indices), (
        f"{url}: focus jumps against the reading order: {' → '.join(map(str, stops))}"
    )
    hidden = [str(stop) for stop in stops if not stop.in_viewport]
    assert not hidden, f"{url}: focused but scrolled out of view or invisible: {hidden}"
    invisible = [str(stop) for stop in stops if not stop.focus_visible]
    assert not invisible, f"{url}: focus is not visible on {invisible}"


def assert_focus_moves_to(page, element_id: str, timeout: float = 5_000) -> None:
    """Focus lands on the element, e.g. through `autofocus`, which Chromium applies a
    moment after the page has loaded (hence waiting rather than looking once)."""
    try:
        page.wait_for_function(
            "(id) => document.activeElement && document.activeElement.id === id",
            arg=element_id,
            timeout=timeout,
        )
    except Exception as error:  # Playwright's TimeoutError
        focused = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
        raise AssertionError(f"focus is not on #{element_id} but on {focused[:120]}") from error


def assert_skip_link_works(page) -> None:
    """The first Tab shows the skip link; Enter moves focus into the main content."""
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.get_attribute("href") == "#main", "the first Tab stop is not the skip link"
    box = skip.bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 0, "the focused skip link is not on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main", (
        "Enter on the skip link does not move focus to the main content"
    )
    page.keyboard.press("Tab")
    inside = page.evaluate("() => document.getElementById('main').contains(document.activeElement)")
    footer = page.evaluate("() => !!document.activeElement.closest('footer')")
    # A page whose main content has no link goes straight on to the footer.
    assert inside or footer, "after the skip link, Tab goes back into the header"


def fill_form_by_keyboard(page, values: Mapping[str, str | bool], submit: str) -> None:
    """Fill a form with the keyboard alone and submit it with Enter on its button.

    `values` maps a field's accessible label (regex, case-insensitive) to text, or to True
    for a checkbox/radio that is switched on with the space bar. Focus moves with Tab only;
    the helper fails when a field cannot be reached within 40 Tab presses."""
    for label, value in values.items():
        target = page.get_by_label(re.compile(label, re.IGNORECASE)).first
        target_id = target.get_attribute("id")
        if target.get_attribute("type") == "radio":
            # Tab enters a radio group once; the arrow keys move (and select) within it.
            name = target.get_attribute("name")
            _tab_to(page, lambda n=name: _active_name(page) == n, f"radio group {name!r}")
            for _ in range(20):
                if _active_id(page) == target_id:
                    break
                page.keyboard.press("ArrowDown")
            assert _active_id(page) == target_id, f"radio {label!r} not reached with arrows"
            page.keyboard.press("Space")
            continue
        _tab_to(page, lambda tid=target_id: _active_id(page) == tid, f"field {label!r}")
        if value is True:
            page.keyboard.press("Space")
        elif value is False:
            continue
        else:
            tag = page.evaluate("() => document.activeElement.tagName.toLowerCase()")
            if tag == "select":
                # Typing the option's start selects it in Chromium's closed select.
                page.keyboard.type(str(value))
            else:
                page.keyboard.press("ControlOrMeta+a")
                page.keyboard.type(str(value))
    button = page.get_by_role("button", name=re.compile(submit, re.IGNORECASE)).first
    button_handle = button.element_handle()
    _tab_to(
        page,
        lambda: page.evaluate("(b) => document.activeElement === b", button_handle),
        f"button {submit!r}",
    )
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _active_id(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _active_name(page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.name")


def _tab_to(page, reached, what: str, limit: int = 40) -> None:
    for _ in range(limit):
        if reached():
            return
        page.keyboard.press("Tab")
    assert reached(), f"{what} cannot be reached with Tab"


# --- Form errors (WCAG 3.3.1, 3.3.3, 4.1.3) ---------------------------------------


def assert_errors_announced(page) -> list[str]:
    """After a failed submit: a summary at the top that is announced (role=alert or
    focused), links from it to each field with an error, and each such field marked
    aria-invalid and described by its message. Returns the ids of the invalid fields."""
    summary = page.locator(".error-summary")
    assert summary.count() == 1, "no error summary on the page after a failed submit"
    announced = page.evaluate(
        """() => {
          const s = document.querySelector('.error-summary');
          return s.getAttribute('role') === 'alert' || document.activeElement === s ||
                 s.contains(document.activeElement);
        }"""
    )
    assert announced, "the error summary is neither role=alert nor focused"
    main_first = page.evaluate(
        """() => {
          const s = document.querySelector('.error-summary');
          const form = s.closest('main').querySelector('form');
          return !form || !!(s.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING)
                 || form.contains(s);
        }"""
    )
    assert main_first, "the error summary comes after the form instead of before it"

    targets = summary.locator("a[href^='#']").evaluate_all("links => links.map(a => a.hash)")
    # One entry per field: a radio group counts once, reached through any of its choices.
    fields = page.locator("[aria-invalid='true']").evaluate_all(
        """fields => fields.map(f => ({
            id: f.id,
            group: (f.type === 'radio' || f.type === 'checkbox') && f.name
              ? Array.from(f.form.elements).filter(e => e.name === f.name).map(e => e.id)
              : [f.id],
        }))"""
    )
    assert fields, "no field is marked aria-invalid=true"
    invalid = []
    for field in fields:
        if any(f"#{member}" in targets for member in field["group"]):
            invalid.append(field["id"])
        else:
            raise AssertionError(f"the error summary has no link to #{field['id']}")
        description = page.evaluate(
            """(id) => {
              // A radio group is described on its fieldset.
              const field = document.getElementById(id);
              const holders = [field, field.closest('fieldset')].filter(Boolean);
              const ids = holders.flatMap(
                h => (h.getAttribute('aria-describedby') || '').split(/\\s+/));
              return ids.filter(Boolean).map(ref => {
                const el = document.getElementById(ref);
                return el ? el.innerText.trim() : '';
              }).join(' ');
            }""",
            field["id"],
        )
        assert description, f"#{field['id']} is not described by its error message"
    for target in targets:
        exists = page.evaluate("(id) => !!document.getElementById(id)", target[1:])
        assert exists, f"the error summary links to {target}, which is not on the page"
    return invalid


# --- Email -----------------------------------------------------------------------


def deliver_outbox() -> None:
    """Send the queued emails now, through EMAIL_DELIVERY_BACKEND.

    The email pipeline stores messages in the database (outbox); its worker
    sends them later. Tests call this instead of running the worker."""
    from outbox import deliver_outbox as deliver

    deliver()


def received_messages(smtp_server, to: str | None = None) -> list[EmailMessage]:
    messages = [entry["message"] for entry in smtp_server.handler.messages]
    if to is not None:
        messages = [
            entry["message"]
            for entry in smtp_server.handler.messages
            if to.lower() in [r.lower() for r in entry["to"]]
        ]
    return messages


def message_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    return part.get_content() if part is not None else ""


def link_in_message(message: EmailMessage, contains: str = "") -> str:
    """The first http(s) link in the plain-text body whose URL contains `contains`."""
    links = re.findall(r"https?://[^\s<>\"')]+", message_text(message))
    matching = [link for link in links if contains in link]
    assert matching, f"no link containing {contains!r} in the email: {links}"
    return matching[0]


def retarget(link: str, live_server_url: str) -> str:
    """Point a link from an email (built with SITE_URL) at the test's live server."""
    return re.sub(r"^https?://[^/]+", live_server_url, link)


# --- logging in ------------------------------------------------------------------


def log_in(page, url: str, email: str, password: str) -> None:
    """Log in through the account login (django-allauth, by e-mail address), where `url`
    (for example the admin's /admin/login/ or a page that needs a login) sends the browser.
    The user needs a confirmed address (tests.conftest.verified_superuser)."""
    page.goto(url)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.locator("input[type=submit], button[type=submit]").last.click()
