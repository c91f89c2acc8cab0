"""Accessibility in a real browser: every page, at phone, narrow-phone and desktop widths.

One pass over the site (tests/theme_support.py) loads each page in Debian's
Chromium and measures it; the tests below each judge one part of what it found.
"""

import pytest

from theme_support import audit_pages, page_urls, same_origin

WIDTHS = ["phone", "desktop"]


@pytest.fixture(scope="module")
def audit(chromium, site, site_url):
    found = audit_pages(site_url, page_urls(site))
    assert len(found) == len(site.html_files()) > 50
    return found


def failures(audit, width, key):
    return {path: found[width][key] for path, found in audit.items() if found[width][key]}


def test_every_page_loads_without_script_errors(audit):
    assert {p: f["status"] for p, f in audit.items() if f["status"] != 200} == {}
    assert {p: f["errors"] for p, f in audit.items() if f["errors"]} == {}


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_finds_no_wcag_a_or_aa_violations(audit, width):
    """axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules, on every page (375 px and 1280 px)."""
    assert failures(audit, width, "axe") == {}


@pytest.mark.parametrize("scheme", ["aaa_light", "aaa_dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_text_contrast_is_at_least_7_to_1(audit, width, scheme):
    """WCAG 1.4.6 (7:1; 4.5:1 for large text), in the light and the dark colour scheme."""
    assert failures(audit, width, scheme) == {}


@pytest.mark.parametrize("width", ["narrow", "phone", "desktop"])
def test_no_horizontal_scrolling(audit, width):
    """Nothing is wider than the screen, down to 320 px (WCAG 1.4.10 reflow)."""
    wide = {path: found[width]["overflow"] for path, found in audit.items() if found[width]["overflow"] > 0}
    assert wide == {}


@pytest.mark.parametrize("width", ["narrow", "phone", "desktop"])
def test_text_is_at_least_18px(audit, width):
    assert failures(audit, width, "smallText") == {}


@pytest.mark.parametrize("width", ["narrow", "phone", "desktop"])
def test_targets_are_at_least_44_by_44(audit, width):
    """Every link, button and question is 44 x 44 px or more, unless it sits in a sentence."""
    assert failures(audit, width, "smallTargets") == {}


def test_lines_hold_about_70_characters_on_a_desktop(audit):
    longest = {path: found["desktop"]["longestLine"] for path, found in audit.items()}
    too_long = {path: n for path, n in longest.items() if n > 80}
    assert too_long == {}
    # The column is not squeezed either: the long articles fill lines of 60 or more.
    assert longest["articles/procedure-day/"] >= 60


def test_no_request_leaves_the_site(audit, site_url):
    """Loading and using a page asks nothing of any other origin: no fonts, trackers or embeds."""
    outside = {path: [url for url in found["requests"] if not same_origin(url, site_url)]
               for path, found in audit.items()}
    assert {path: urls for path, urls in outside.items() if urls} == {}
    # The check saw the page's own files being fetched.
    home = audit[""]["requests"]
    assert any(url.endswith(".css") for url in home) and any(url.endswith(".js") for url in home)


# Keyboard, focus and the FAQ, driven like a visitor would ------------------------------

FOCUSED = """
() => {
  const el = document.activeElement;
  (window.__stops = window.__stops || []).push(el);
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  const onTop = [...el.getClientRects()].some((part) => {
    const hit = document.elementFromPoint(part.left + part.width / 2, part.top + part.height / 2);
    return !!hit && (el === hit || el.contains(hit));
  });
  return {
    tag: el.tagName.toLowerCase(), text: el.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
    href: el.getAttribute("href"), id: el.id,
    where: el.closest(".app-call-bar") ? "call bar" : el.closest(".app-nav") ? "menu"
         : el.closest(".app-faq") ? "faq" : el.closest("header") ? "header" : "",
    onTop, top: Math.round(box.top), bottom: Math.round(box.bottom),
    style: [style.backgroundColor, style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow],
  };
}
"""

UNFOCUSED = """
() => {
  document.activeElement.blur();
  return window.__stops.map((el) => {
    const style = getComputedStyle(el);
    return [style.backgroundColor, style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow];
  });
}
"""

FOCUS_YELLOW = "rgb(255, 221, 0)"


def tab_through(page, limit=80):
    """Press Tab until focus leaves the page; what had focus, in order."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        stops.append(page.evaluate(FOCUSED))
    return stops


def test_keyboard_reaches_skip_link_menu_questions_and_call_link_in_order(page, site_url, site):
    page.goto(f"{site_url}/faq/")
    links = site.tree("faq/index.html").cssselect("a[href], button, summary, input")
    stops = tab_through(page, limit=len(links) + 5)
    where = [stop["where"] for stop in stops]

    assert stops[0]["text"] == "Skip to main content"
    assert stops[0]["href"] == "#main-content"
    menu = [i for i, w in enumerate(where) if w == "menu"]
    faq = [stops[i]["href"] for i, w in enumerate(where) if w == "faq"]
    call = [i for i, w in enumerate(where) if w == "call bar"]
    assert len(menu) == 5 and len(call) == 1
    # Every question's link, in the hub's order (test_faq_hub: every question, in Order).
    hub = [a.get("href") for a in site.tree("faq/index.html").cssselect(".app-faq__item a")]
    assert faq == hub and hub
    first_question = where.index("faq")
    assert 0 < menu[0] and menu[-1] < first_question and first_question + len(faq) - 1 < call[0]
    assert stops[call[0]]["href"] == f"tel:{site.settings['PHONE_TEL']}"


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 812}, {"width": 1280, "height": 900}],
                         ids=["phone", "desktop"])
def test_focus_is_always_visible_and_never_hidden(browser, site_url, viewport):
    """Every stop shows the yellow focus style, and is in view, not under the call bar (WCAG 2.4.7, 2.4.11)."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{site_url}/articles/procedure-day/")
    stops = tab_through(page)
    unfocused = page.evaluate(UNFOCUSED)
    context.close()

    assert len(stops) > 25
    assert [(s["text"], s["top"], s["bottom"]) for s in stops if not s["onTop"]] == []
    for stop, before in zip(stops, unfocused):
        focused = stop["style"]
        assert focused != before, f"no focus style on {stop}"
        yellow = focused[0] == FOCUS_YELLOW
        ring = focused[1] == "solid" and float(focused[2][:-2]) >= 3 and focused[3] == FOCUS_YELLOW
        assert yellow or ring, f"focus style on {stop['text']!r} is {focused}"


def test_skip_link_moves_focus_to_the_main_content(page, site_url):
    page.goto(f"{site_url}/articles/recovery/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "app-skip-link"
    assert page.locator(".app-skip-link").is_visible()
    assert page.locator(".app-skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')")


def targeted(page):
    """The id of the element the address's fragment leads to (CSS :target)."""
    return page.evaluate("document.querySelector(':target')?.id ?? null")


def in_view(page, selector):
    return page.evaluate(f"""() => {{
        const box = document.querySelector({selector!r}).getBoundingClientRect();
        return box.top >= 0 && box.top < innerHeight - 100; }}""")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_a_faq_address_leads_to_its_question_on_the_hub(browser, site_url, site, javascript):
    """/faq/#<slug> (the "All questions" link of each question's page, and links from
    other sites) shows that question on the hub, marked, with the link to its answer;
    no script needed."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, java_script_enabled=javascript)
    page = context.new_page()
    hub = site.tree("faq/index.html").cssselect(".app-faq__item")
    last = hub[-1].get("id")  # the farthest down: the page must scroll to it
    page.goto(f"{site_url}/faq/#{last}")
    assert targeted(page) == last and in_view(page, f"#{last}")
    assert page.evaluate(f"getComputedStyle(document.getElementById({last!r})).outlineStyle") == "solid"

    # From a question's own page, by its "All questions" link, and on to its answer.
    first = hub[0].get("id")
    page.goto(f"{site_url}/faq/{first}/")
    page.locator(".app-more a").click()
    page.wait_for_url(f"**/faq/#{first}")
    assert targeted(page) == first and in_view(page, f"#{first}")
    page.locator(f"#{first} a").click()
    page.wait_for_url(f"**/faq/{first}/")
    context.close()
