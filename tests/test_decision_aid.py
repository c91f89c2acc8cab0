"""The decision aid: the option grid and icon arrays read their numbers from the one
data file (DECISION_AID["file"]), and so does the text around them; the disclosure and
the next review date show on every medical page; the aid's pages exist in both
languages and link to each other."""

import datetime
import gzip
import re
import tomllib
from pathlib import Path

import lxml.html
import pytest

from decision_aid import numbers
from helpers import ROOT, file_of, run_build, wording


def aid_data(site):
    return tomllib.loads(Path(site.settings["DECISION_AID"]["file"]).read_text(encoding="utf-8"))


def aid_pages(site):
    """The built pages of the aid's type (Type: decision), in both languages."""
    return [(name, tree) for name, tree in site.trees()
            if tree.find("body").get("data-page-type") == "decision"]


# "44 of 100", "3.5 to 23 of 100"; "44 de cada 100", "3.5 a 23 de cada 100"
PER_100 = {
    "en": re.compile(r"(\d+(?:\.\d+)?)(?: to (\d+(?:\.\d+)?))? of 100\b"),
    "es": re.compile(r"(\d+(?:\.\d+)?)(?: a (\d+(?:\.\d+)?))? de cada 100\b"),
}


def lang_of(name):
    return "es" if name.startswith("es/") else "en"


def per_100_numbers(text, lang):
    found = []
    for low, high in PER_100[lang].findall(" ".join(text.split())):
        found += [float(low)] + ([float(high)] if high else [])
    return found


def known_numbers(site):
    return {float(v) for group in numbers(aid_data(site)).values() for v in group.values()}


def figures(array, kind):
    """How many figures of a kind an icon array draws: the cells (10 x 12) that its
    rectangles filled with that kind's pattern cover, each pattern one figure."""
    pattern = array.cssselect(f"pattern[id$='-{kind}']")[0]
    assert len(pattern.cssselect(f"path.app-icons__{kind}")) == 1
    cells = 0
    for rect in array.cssselect("rect"):
        if rect.get("fill") == f"url(#{pattern.get('id')})":
            width, height = float(rect.get("width")), float(rect.get("height"))
            assert width % 10 == 0 and height % 12 == 0, "whole cells only"
            cells += int(width // 10 * (height // 12))
    return cells


def test_the_aid_pages_exist_in_both_languages_and_link_to_each_other(site):
    slugs = {name.split("/")[0] for name, _ in aid_pages(site) if not name.startswith("es/")}
    assert {"options", "without-a-procedure", "what-matters", "learn-more"} <= slugs
    for lang_prefix in ("", "es/"):
        options = f"{lang_prefix}options/index.html"
        for slug in slugs - {"options"}:
            page = f"{lang_prefix}{slug}/index.html"
            tree = site.tree(page)
            targets = {file_of(site.output, page, a.get("href"))[0]
                       for a in tree.cssselect("main a[href]")}
            assert options in targets, f"{page}: no link to the options page"
            back = {file_of(site.output, options, a.get("href"))[0]
                    for a in site.tree(options).cssselect("main a[href]")}
            assert page in back, f"{options}: no link to {page}"
    for slug in slugs:
        for page, twin in ((f"{slug}/index.html", f"es/{slug}/index.html"),
                           (f"es/{slug}/index.html", f"{slug}/index.html")):
            switch = site.tree(page).cssselect("header a.app-header__lang")
            assert switch and file_of(site.output, page, switch[0].get("href"))[0] == twin


def test_each_icon_array_draws_its_number_of_100_from_the_data_file(site):
    data = aid_data(site)
    per_100 = data["per_100"]
    seen = set()
    for name, tree in aid_pages(site):
        lang = lang_of(name)
        for compare in tree.cssselect("figure.app-compare"):
            figure = data["figures"][compare.get("data-figure")]
            arrays = compare.cssselect("figure.app-icon-array")
            assert [int(a.get("data-n")) for a in arrays] == [g["n"] for g in figure["groups"]]
            for array, group in zip(arrays, figure["groups"]):
                assert (figures(array, "on"), figures(array, "off")) == (group["n"], 100 - group["n"]), name
                said = per_100[lang].format(n=group["n"])
                svg = array.cssselect("svg[role=img]")[0]
                assert said in svg.get("aria-label"), f"{name}: the picture's text alternative"
                assert said in array.cssselect("figcaption")[0].text_content(), name
            seen.add(compare.get("data-figure"))
    assert seen == set(data["figures"]), "every picture in the data file is on a page"


def test_the_text_around_each_picture_gives_the_same_numbers(site):
    data = aid_data(site)
    for name, tree in aid_pages(site):
        lang = lang_of(name)
        prose = tree.cssselect("main .app-prose")[0]
        around = " ".join(p.text_content() for p in prose.cssselect("p, li")
                          if not p.xpath("ancestor::figure | ancestor::table"))
        for compare in tree.cssselect("figure.app-compare"):
            for group in data["figures"][compare.get("data-figure")]["groups"]:
                assert float(group["n"]) in per_100_numbers(around, lang), (
                    f"{name}: the text does not give {group['n']} for {compare.get('data-figure')}")


def test_every_number_per_100_on_the_aid_pages_is_one_of_the_data_file(site):
    known = known_numbers(site)
    checked = 0
    for name, tree in aid_pages(site):
        text = tree.cssselect("main .app-prose")[0].text_content()
        for number in per_100_numbers(text, lang_of(name)):
            assert number in known, f"{name}: {number} of 100 is not in the data file"
            checked += 1
    assert checked > 30


def test_the_grid_shows_the_data_file_in_each_language(site):
    data = aid_data(site)
    values = numbers(data)
    grid = data["grid"]
    for name in ("options/index.html", "es/options/index.html"):
        lang = lang_of(name)
        table = site.tree(name).cssselect("table.app-grid")[0]
        heads = [th.text_content() for th in table.cssselect("thead th")][1:]
        assert heads == [option[lang] for option in grid["options"]]
        rows = table.cssselect("tbody tr")
        assert [r.cssselect("th")[0].text_content() for r in rows] == [r[lang] for r in grid["rows"]]
        for row, spec in zip(rows, grid["rows"]):
            for cell, option in zip(row.cssselect("td"), grid["options"]):
                assert cell.get("data-label") == option[lang]
                source = re.sub(r"\[([^\]]+)\]\(ref-[\w-]+\)", r"\1", spec[option["key"]][lang])
                expected = re.sub(r"\{([\w-]+)\.([\w-]+)\}",
                                  lambda m: str(values[m[1]][m[2]]), source)
                assert cell.text_content() == expected, f"{name}: {spec['en']} / {option['key']}"
                assert "{" not in cell.text_content()
        for link in table.cssselect("a[href]"):
            path, anchor = file_of(site.output, name, link.get("href"))
            assert site.tree(path).get_element_by_id(anchor) is not None, link.get("href")


def test_medical_pages_show_the_disclosure_and_the_next_review_date(site):
    medical = {t for t, spec in site.settings["PAGE_TYPES"].items() if spec["medical"]}
    checked = 0
    for name, tree in site.trees():
        if tree.find("body").get("data-page-type") not in medical:
            continue
        reviewed = tree.cssselect(".app-reviewed time[datetime]")[0].get("datetime")
        next_review = tree.cssselect(".app-next-review time[datetime]")
        day = datetime.date.fromisoformat(reviewed)
        expected = day.replace(year=day.year + 1, day=28 if (day.month, day.day) == (2, 29) else day.day)
        assert next_review and next_review[0].get("datetime") == expected.isoformat(), name
        footer = " ".join(tree.cssselect("footer .app-footer__disclosure")[0].text_content().split())
        for sentence in ("Written by our web team", "(no clinician has checked it yet)",
                         "We are paid when we do kyphoplasty. No device maker paid for or reviewed"
                         " this site. Pages are checked at least every 12 months and after a major"
                         " new trial or guideline."):
            assert wording(name, sentence) in footer, f"{name}: {sentence}"
        checked += 1
    assert checked > 60


def test_the_values_exercise_stores_and_sends_nothing(site):
    for name in ("what-matters/index.html", "es/what-matters/index.html"):
        tree = site.tree(name)
        assert not tree.cssselect("main form, main input, main textarea, main select, main button")
        questions = [a for a in tree.cssselect("main a[href]")
                     if "questions-to-ask" in a.get("href")]
        assert questions, f"{name}: leads to the questions to ask"


def test_the_options_page_first_load_fits_in_14_kb(site):
    """The HTML and the stylesheet it needs on screen, gzipped."""
    for name in ("options/index.html", "es/options/index.html"):
        links = site.tree(name).cssselect('link[rel="stylesheet"]:not([media="print"])')
        assert len(links) == 1, name
        css = sum(len(gzip.compress((site.output / file_of(site.output, name, link.get("href"))[0])
                                    .read_bytes(), 9)) for link in links)
        html = len(gzip.compress((site.output / name).read_bytes(), 9))
        print(f"\n{name}: HTML {html / 1024:.1f} KB + CSS {css / 1024:.1f} KB gzipped")
        assert html + css <= 14 * 1024


@pytest.mark.parametrize("change, message", [
    ("n = 44,", "must be a whole number from 0 to 100"),
    ("{vapour.treated}", "names no number"),
])
def test_bad_numbers_stop_the_build_with_a_message(tmp_path, change, message):
    data = (ROOT / "data" / "decision-aid.toml").read_text(encoding="utf-8")
    bad = {"n = 44,": "n = 144,", "{vapour.treated}": "{vapour.nobody}"}[change]
    assert change in data
    broken = tmp_path / "decision-aid.toml"
    broken.write_text(data.replace(change, bad), encoding="utf-8")
    result = run_build(tmp_path / "output", extra={"DECISION_AID": {"file": str(broken)}})
    assert result.returncode != 0
    problems = [line for line in result.stderr.splitlines() if line.startswith("PROBLEM")]
    assert any(str(broken) in line and message in line for line in problems), result.stderr


def test_the_author_shows_only_when_set(content_copy, tmp_path):
    """`Author:` names the writer on that page alone; with a `Reviewer:`, the footer no
    longer says that no clinician has checked the page."""
    question = content_copy / "faq" / "does-it-hurt.md"
    text = question.read_text(encoding="utf-8")
    question.write_text(text.replace("Type: faq", "Author: Jane Doe, RN\nReviewer: John Roe, MD\nType: faq", 1),
                        encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, content=content_copy)
    assert result.returncode == 0, result.stderr
    unchecked = "(no clinician has checked it yet)"
    for name, expect_author in (("faq/does-it-hurt/index.html", True),
                                ("faq/what-relief/index.html", False)):
        tree = lxml.html.fromstring((output / name).read_bytes())
        meta = " ".join(tree.cssselect(".app-meta")[0].text_content().split())
        footer = " ".join(tree.cssselect(".app-footer__disclosure")[0].text_content().split())
        assert ("Written by Jane Doe, RN" in meta) == expect_author, name
        assert (unchecked in footer) != expect_author, name
