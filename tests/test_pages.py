"""Every built page: the basics, the sections its type requires, and working links."""

import json
import shutil
from urllib.parse import urlsplit

import lxml.html
import pytest

from helpers import CONTENT, file_of, run_build, wording

# The checks over every page parse with lxml (site.trees()): much faster than
# BeautifulSoup once the site has hundreds of pages (make bench measures them).


def test_every_page_has_the_basics(site):
    for name, tree in site.trees():
        assert len(tree.xpath("//h1")) == 1, f"{name}: needs exactly one h1"
        title = tree.find(".//title")
        assert title is not None and title.text_content().strip(), f"{name}: no <title>"
        lang = "es" if name.startswith("es/") else "en"
        assert tree.get("lang") == lang, f"{name}: <html> needs lang"
        description = tree.xpath("//meta[@name='description']/@content")
        assert description and description[0].strip(), f"{name}: no description"


def test_every_page_has_the_sections_of_its_type(site):
    page_types = site.settings["PAGE_TYPES"]
    checked = 0
    for name, tree in site.trees():
        page_type = tree.find("body").get("data-page-type")
        assert page_type in page_types, f"{name}: unknown page type {page_type}"
        for what, selector, minimum in page_types[page_type]["sections"]:
            assert len(tree.cssselect(selector)) >= minimum, f"{name}: needs {what}"
            checked += 1
    assert checked > 30


def test_medical_pages_show_when_they_were_reviewed(site):
    medical = {t for t, spec in site.settings["PAGE_TYPES"].items() if spec["medical"]}
    for name, tree in site.trees():
        if tree.find("body").get("data-page-type") in medical:
            time = tree.cssselect(".app-reviewed time[datetime]")
            assert time, f"{name}: no review date shown"


def test_only_a_named_reviewer_makes_a_page_medically_reviewed(tmp_path):
    """Without `Reviewer`, a page says when it was checked against its sources and
    claims no medical review, in the page or its JSON-LD; with it, it names them."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    question = content / "faq" / "does-it-hurt.md"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("Type: faq", "Reviewer: Jane Doe, MD\nType: faq", 1),
                        encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, settings="publishconf.py", content=content)
    assert result.returncode == 0, result.stderr
    reviewed_pages = 0
    for page in output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tree = lxml.html.fromstring(html)
        graph = [node for script in tree.cssselect('script[type="application/ld+json"]')
                 for node in json.loads(script.text)["@graph"]]
        reviewed = [node for node in graph if "reviewedBy" in node or "lastReviewed" in node]
        label = " ".join(" ".join(p.text_content().split()) for p in tree.cssselect(".app-reviewed"))
        if page.parent.name == "does-it-hurt" and "/es/" not in str(page):
            reviewed_pages += 1
            assert label.startswith(f"{'Medically reviewed by'} Jane Doe, MD {'on'} ")
            assert [node["reviewedBy"]["name"] for node in reviewed] == ["Jane Doe, MD"]
            assert reviewed[0]["lastReviewed"] == tree.cssselect(".app-reviewed time")[0].get("datetime")
        else:
            assert "medically reviewed" not in html.lower(), page
            assert reviewed == [], page
            checked = wording("es/" if "/es/" in str(page) else "", "Last checked against its sources")
            assert label == "" or label.startswith(checked + ":"), page
    assert reviewed_pages == 1
    assert "awaiting a clinician's review" in result.stdout  # the summary line
    # The list, one line a page, beside the output folder: "  - content/faq/what-relief.md:7:
    # no clinician has reviewed ...". (A translation notice may name the English file after
    # "older than": not a listing.)
    notes = (output.parent / f".{output.name}-notes.txt").read_text(encoding="utf-8")
    assert "Awaiting a clinician's review" in notes
    assert "  - content/faq/what-relief.md:" in notes
    assert "  - content/faq/does-it-hurt.md:" not in notes


def test_every_local_link_and_anchor_resolves(site):
    broken = []
    links = 0
    for name, tree in site.trees():
        for element in tree.xpath("//*[@href or @src]"):
            url = element.get("href") or element.get("src")
            parts = urlsplit(url)
            if parts.scheme or parts.netloc:
                continue  # tel:, https: and the like are not files of ours
            links += 1
            relative, fragment = file_of(site.output, name, url)
            target = site.output / relative
            if not target.is_file():
                broken.append(f"{name}: {url} (no such file)")
            elif fragment and target.suffix == ".html":
                page = site.tree(target.relative_to(site.output))
                if page.get_element_by_id(fragment, None) is None:
                    broken.append(f"{name}: {url} (no id '{fragment}')")
    assert broken == []
    assert links > 500


@pytest.mark.parametrize("page", ["index.html", "faq/index.html", "404.html"])
def test_the_phone_number_is_a_link(site, page):
    soup = site.soup(page)
    assert soup.select(f'a[href="tel:{site.settings["PHONE_TEL"]}"]')


@pytest.mark.parametrize("home", ["index.html", "es/index.html"])
def test_the_home_page_says_what_to_do_in_an_emergency_near_the_top(site, home):
    hero = site.tree(home).cssselect("main .app-hero")[0]
    line = hero.cssselect(".app-hero__emergency")[0]
    assert "911" in line.text_content()
    link, = line.cssselect("a")
    assert link.get("href").rstrip("/").endswith("articles/warning-signs")
