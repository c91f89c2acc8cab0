"""On-site search: Pagefind's index, and the search page in a real browser, with the
keyboard, with what a screen reader is told, and with JavaScript turned off."""

import re
from urllib.parse import urlsplit

import pytest

from helpers import fragments, search_results

# Searches a visitor would make: the page that must come first (or None), and the
# pages that must be among the first few (three; five for "numb", which also
# finds every page on numbing medicine).
SEARCHES = [
    ("cement", None, ["/articles/procedure-day/", "/articles/risks/"], 3),
    ("blood thinners", "/faq/blood-thinners/", ["/articles/risks/"], 3),
    ("recovery", None, ["/articles/recovery/", "/faq/what-is-recovery-like/"], 3),
    ("fever", "/articles/warning-signs/", [], 3),
    ("numb", None, ["/articles/warning-signs/"], 5),
]


def result_paths(page):
    return [urlsplit(a.get_attribute("href")).path
            for a in page.locator("#search-results ol a").element_handles()]


def wait_for_results(page):
    heading = page.locator("#search-results h2")
    heading.wait_for()
    return " ".join(heading.inner_text().split())


def tab_to(page, selector, limit=60):
    """Press Tab until the element matching selector has focus; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


@pytest.mark.parametrize("query, first, expected, within", SEARCHES)
def test_keyboard_search_finds_the_right_pages(page, site_url, site, query, first, expected,
                                               within):
    page.goto(f"{site_url}/search/")
    tab_to(page, "#search-input")
    page.keyboard.type(query)
    page.keyboard.press("Enter")
    summary = wait_for_results(page)

    found = result_paths(page)
    count = len(found)
    groups = search_results(page, site)  # copies of one page count once in the ranking
    assert summary == f"{count} results for “{query}”"
    if first:
        assert first in groups[0], f"{query!r}: {first} does not come first in {groups}"
    for path in expected:
        assert any(path in group for group in groups[:within]), \
            f"{query!r}: {path} not in the first {within} of {groups}"
    # The address now holds the search, so it can be shared or reloaded.
    assert urlsplit(page.url).query == "q=" + query.replace(" ", "+")

    # Focus stays in the box; the next stops are the button, then the first result.
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    link = page.locator("#search-results ol a").first
    assert page.evaluate("document.activeElement.href") == link.evaluate("a => a.href")
    title = link.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{found[0]}")
    assert page.locator("h1").inner_text() == title


def test_screen_readers_hear_the_number_of_results(page, site_url, site):
    page.goto(f"{site_url}/search/")
    box = page.get_by_role("searchbox", name="Search this site")
    assert page.get_by_role("search").count() == 1  # the form is a search landmark
    box.fill("cement")
    box.press("Enter")
    summary = wait_for_results(page)
    status = page.get_by_role("status")
    assert status.count() == 1
    assert " ".join(status.inner_text().split()) == summary
    assert status.get_attribute("role") == "status"  # a polite live region
    # The result list is named by its heading, and only the heading text is announced.
    results = page.locator("#search-results ol")
    heading_id = page.locator("#search-results h2").get_attribute("id")
    assert results.get_attribute("aria-labelledby") == heading_id
    assert page.locator("#search-results[aria-live], #search-results [aria-live]").count() == 0
    assert page.locator("#search-results ol li mark").count() > 0  # the word is highlighted


def test_search_runs_from_the_address(page, site_url, site):
    page.goto(f"{site_url}/search/?q=blood+thinners")
    wait_for_results(page)
    assert page.locator("#search-input").input_value() == "blood thinners"
    assert "/faq/blood-thinners/" in search_results(page, site)[0]


def test_a_search_with_no_results_says_what_to_do(page, site_url, site):
    page.goto(f"{site_url}/search/?q=zzxqv")
    summary = wait_for_results(page)
    assert summary == "No results for “{query}”. Try another word, or browse all guides and questions below.".format(query="zzxqv")
    assert result_paths(page) == []


def guide_and_question_paths(site):
    return sorted(
        "/" + p.parent.relative_to(site.output).as_posix() + "/"
        for folder in ("articles", "faq")
        for p in (site.output / folder).glob("*/index.html")
    )


@pytest.mark.parametrize("start", ["/search/?q=cement", "/404.html"])
def test_without_javascript_the_form_leads_to_every_guide_and_question(browser, site_url, site,
                                                                       start):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(site_url + start)
        box = page.get_by_role("searchbox", name="Search this site")
        box.fill("recovery")
        box.press("Enter")
        page.wait_for_url("**/search/?q=recovery")
        # The note for browsers without JavaScript (a <noscript>: Chromium still
        # parses it as script-on when only execution is switched off), then the list.
        assert "Search needs JavaScript. You can also browse all guides and questions:" in page.locator("noscript").inner_html()
        assert page.locator(".app-search__fallback").is_visible()
        assert page.locator("#search-results").inner_text() == ""
        listed = sorted(urlsplit(a.get_attribute("href")).path for a in
                        page.locator(".app-search__fallback a").element_handles())
        resolved = sorted(urlsplit(page.evaluate("(h) => new URL(h, location.href).pathname", p)).path
                          for p in listed)
        assert resolved == guide_and_question_paths(site)
        assert len(resolved) > 15
    finally:
        context.close()


# The index -----------------------------------------------------------------------


def test_the_index_holds_only_the_main_content(site):
    records = fragments(site.output)
    with_body = {"/" + re.sub(r"index\.html$", "", name) for name, soup in site.pages()
                 if soup.select_one("[data-pagefind-body]")}
    assert set(records) == with_body
    assert "/search/" not in records and "/faq/" not in records and "/articles/" not in records
    assert len(records) >= 25

    # Words that every page shows around its main content, and the review line.
    chrome = ["Skip to main content", "For questions or to book", "Kyphoplasty for spine fractures, San Diego",
              "Last checked against its sources"]
    every_page = "\n".join((site.output / n).read_text(encoding="utf-8") for n, _ in site.pages())
    for words in chrome:
        assert words in every_page
    for url, record in records.items():
        for words in chrome:
            assert words not in record["content"], f"{url}: the index holds {words!r}"
        page = site.soup(url.lstrip("/") + "index.html")
        assert record["meta"]["title"] == " ".join(page.h1.get_text().split())


