"""theme/static/js/site.js in Chromium: any address, however malformed, leaves it working.

A fragment such as #%E0%A4%A (a link cut short) is not valid percent-encoding:
decodeURIComponent throws on it. site.js must go on setting up the page.
"""

import pytest

MALFORMED = ["%E0%A4%A", "%", "%zz", "no-such-question%"]


def watch(page):
    """Collect the page's uncaught errors and console errors; waits give up after 5 s."""
    page.set_default_timeout(5000)
    problems = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    return problems


@pytest.mark.parametrize("fragment", MALFORMED)
def test_a_malformed_fragment_leaves_the_faq_working(page, site_url, fragment):
    problems = watch(page)
    page.goto(f"{site_url}/faq/#{fragment}")
    assert page.evaluate("location.hash") == f"#{fragment}"  # the browser kept it as it was
    assert page.evaluate("document.querySelector(':target')") is None
    page.locator(".app-faq__item a").first.click()  # the questions still lead to their answers
    page.wait_for_url("**/faq/*/")
    assert problems == []


def test_an_encoded_fragment_still_leads_to_its_question(page, site_url, site):
    problems = watch(page)
    slug = site.tree("faq/index.html").cssselect(".app-faq__item")[-1].get("id")
    # %2D is "-": decoded, it names the question.
    page.goto(f"{site_url}/faq/#{slug.replace('-', '%2D')}")
    assert page.evaluate("document.querySelector(':target')?.id") == slug
    assert problems == []


def test_a_malformed_fragment_leaves_other_pages_working(page, site_url):
    """The search page's script runs after the fragment too: it fills in the query."""
    problems = watch(page)
    page.goto(f"{site_url}/search/?q=cement#%E0%A4%A")
    page.wait_for_selector("#search-results ol li a")
    assert page.input_value("form[data-pagefind-ui] input") == "cement"
    assert problems == []
