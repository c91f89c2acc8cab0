"""theme/static/js/site.js in Chromium: any address, however malformed, leaves it working.

A fragment such as #%E0%A4%A (a link cut short) is not valid percent-encoding:
decodeURIComponent throws on it. site.js must go on setting up the page.
"""

import pytest

MALFORMED = ["%E0%A4%A", "%", "%zz", "does-it-hurt%"]


def watch(page):
    """Collect the page's uncaught errors and console errors; waits give up after 5 s."""
    page.set_default_timeout(5000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    return problems


def answers_open(page):
    return page.eval_on_selector_all(".app-faq details", "items => items.map((d) => d.open)")


@pytest.mark.parametrize("fragment", MALFORMED)
def test_a_malformed_fragment_leaves_the_faq_working(page, site_url, fragment):
    problems = watch(page)
    page.goto(f"{site_url}/faq/#{fragment}")
    assert page.evaluate("location.hash") == f"#{fragment}"  # the browser kept it as it was
    # The show-all button is shown by site.js after it has read the fragment.
    toggle = page.locator(".app-faq__toggle button")
    toggle.wait_for(state="visible")
    opened = answers_open(page)
    assert len(opened) >= 5 and not any(opened)
    open_label = toggle.get_attribute("data-open-label")
    close_label = toggle.get_attribute("data-close-label")
    assert toggle.text_content() == open_label
    toggle.click()
    assert all(answers_open(page))
    assert toggle.text_content() == close_label
    toggle.click()
    assert not any(answers_open(page))
    assert problems == []


def test_a_malformed_fragment_on_the_page_breaks_nothing(page, site_url):
    """The same fragment arriving later (a link on the page): the hashchange handler."""
    problems = watch(page)
    page.goto(f"{site_url}/faq/")
    page.locator(".app-faq__toggle button").wait_for(state="visible")
    page.evaluate("location.hash = '%E0%A4%A'")
    page.wait_for_function("location.hash === '#%E0%A4%A'")
    # A well-formed fragment afterwards still opens its question: the handler survived.
    page.evaluate("location.hash = 'does-it-hurt'")
    page.wait_for_function("document.getElementById('does-it-hurt').open")
    assert problems == []


def test_an_encoded_fragment_still_opens_its_question(page, site_url):
    problems = watch(page)
    # %2D is "-": decoded, it names the question does-it-hurt.
    page.goto(f"{site_url}/faq/#does%2Dit%2Dhurt")
    page.wait_for_function("document.getElementById('does-it-hurt').open")
    assert [d for d in answers_open(page) if d] == [True]
    assert problems == []


def test_a_malformed_fragment_leaves_other_pages_working(page, site_url):
    """The search page's script runs after the fragment too: it fills in the query."""
    problems = watch(page)
    page.goto(f"{site_url}/search/?q=cement#%E0%A4%A")
    page.wait_for_selector("#search-results ol li a")
    assert page.input_value("form[data-pagefind-ui] input") == "cement"
    assert problems == []
