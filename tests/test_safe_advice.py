"""Advice a patient can safely act on, in English and in Spanish (issue 20).

These tests check meaning that must never come back: which warning signs go to
911, which to a same-day call; no urgent care for warning signs; no "newer data",
no "very rare" cement in the lungs, no promise of going home the same day; the
practice's view on early treatment always beside the evidence against it.

Spanish writers: the Spanish pages must contain the words in the "es" lists
below (the same facts as the English, from facts.md W1, R2, P7, T4).
"""

import json
import re

import pytest

# The spinal-cord signs (facts.md W1): each group must appear in the 911 list;
# one word of a group is enough.
SPINAL_CORD_SIGNS = {
    "en": [("weak",), ("numb",), ("between the legs", "between your legs", "bottom"),
           ("urine", "bladder"), ("bowel",)],
    "es": [("debilidad",), ("adormec", "entumec"), ("entre las piernas",),
           ("orinar",), ("vejiga", "intestino")],
}
# Fever and its threshold belong on the same-day list.
FEVER = {"en": ("fever", "100.4"), "es": ("fiebre", "38")}
# "Urgent care" may be named only just after a "not" ("Do not go to an urgent care
# center"; "No vaya a un centro de atención urgente"), never as a place to go.
URGENT_CARE = {"en": r"urgent care",
               "es": r"(centros?|cl[ií]nicas?) de (atenci[oó]n|cuidados?) urgentes?|urgent care"}
NOT = {"en": r"\b(do not|don't|never|not)", "es": r"\b(no|nunca)"}
# Never said: supporting data called newer; cement in the lungs called very rare;
# a promise of going home the same day.
NEWER_DATA = {"en": r"\bnewer (data|evidence|studies)\b",
              "es": r"\bdatos (más nuevos|mas nuevos|recientes)\b"}
VERY_RARE = {"en": r"\bvery rare", "es": r"\bmuy rar[oa]s?\b"}
LUNGS = {"en": r"\blungs?\b", "es": r"\bpulm[oó]n(es)?\b"}
PROMISES = {
    "en": [r"\byou (do not|don't|will not|won't) stay (the night|overnight)\b",
           r"\byou (will )?go home the same day\b"],
    "es": [r"\bno se queda a dormir\b", r"\bno pasa la noche\b",
           r"\busted (vuelve|regresa|se va|va) a (su )?casa el mismo día\b"],
}
# The practice's view on early treatment, and the evidence against it (facts.md T4).
OUR_VIEW = {"en": r"\bour (practice's )?view\b|\bwe think\b",
            "es": r"\bnuestra opinión\b|\bnuestro punto de vista\b|\bcreemos\b"}
EARLY = {"en": r"\bearl(y|ier)\b|\bsoon after\b",
         "es": r"\btempran|\bpronto\b|\bpoco después\b"}
TRIALS_AND_REVIEWS = r"Buchbinder|Kallmes|VERTOS IV|Firanescu|Cochrane|ASBMR|Ebeling"
EVIDENCE_AGAINST = TRIALS_AND_REVIEWS + "|NICE"

LANGUAGES = ["en", "es"]


def prefix(lang):
    return "es/" if lang == "es" else ""


def text_of(element):
    return " ".join(element.text_content().split())


def list_items(site, lang, section_id):
    """The list items of a section of the warning-signs page, in lower case."""
    page = f"{prefix(lang)}articles/{site.settings['WARNING_SIGNS_ARTICLE']}/index.html"
    headings = site.tree(page).cssselect(f"main h2#{section_id}")
    assert headings, f"{page}: no section #{section_id}"
    items = []
    for sibling in headings[0].itersiblings():
        if sibling.tag == "h2":
            break
        items += [text_of(li).lower() for li in sibling.iter("li")]
    assert items, f"{page}: #{section_id} has no list"
    return items


def missing_signs(text, lang):
    return [group for group in SPINAL_CORD_SIGNS[lang]
            if not any(word in text for word in group)]


def json_ld_values(tree):
    """Every value in the page's structured data, decoded (JSON may escape "ó" as
    \\u00f3), each object before the values inside it."""
    def walk(node):
        yield node
        inside = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        for value in inside:
            yield from walk(value)

    for script in tree.cssselect('script[type="application/ld+json"]'):
        yield from walk(json.loads(script.text))


def json_ld_text(tree):
    return " ".join(value for value in json_ld_values(tree) if isinstance(value, str))


def trees_of(site, lang):
    """(name, parsed page) for each page of a language that has a <main>."""
    for name, tree in site.trees():
        if name.startswith("es/") == (lang == "es") and tree.cssselect("main"):
            yield name, tree


def pages_of(site, lang):
    """(name, everything the page says: its main text and its structured data)."""
    for name, tree in trees_of(site, lang):
        yield name, text_of(tree.cssselect("main")[0]) + " " + json_ld_text(tree)


def sentences(text):
    return re.split(r"(?<=[.!?;])\s+", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_911_list_holds_the_spinal_cord_signs(site, lang):
    call_911 = " ".join(list_items(site, lang, "call-911"))
    assert missing_signs(call_911, lang) == [], f"missing from the 911 list: {call_911}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_same_day_list_holds_fever_with_its_threshold_and_no_spinal_cord_sign(site, lang):
    items = list_items(site, lang, "call-us-today")
    fever, threshold = FEVER[lang]
    assert any(fever in item and threshold in item for item in items), items
    for item in items:
        found = [w for group in SPINAL_CORD_SIGNS[lang] for w in group if w in item]
        assert found == [], f"a spinal-cord sign on the same-day list: {item}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_sends_warning_signs_to_urgent_care(site, lang):
    warned_off = rf"{NOT[lang]}(\s+\w+){{0,5}}\s+({URGENT_CARE[lang]})"
    offered = [f"{name}: {s}" for name, said in pages_of(site, lang) for s in sentences(said)
               if re.search(URGENT_CARE[lang], s, re.I) and not re.search(warned_off, s, re.I)]
    assert offered == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_page_overstates_certainty_or_promises_a_same_day_return(site, lang):
    wrong = []
    for name, said in pages_of(site, lang):
        for sentence in sentences(said):
            if re.search(NEWER_DATA[lang], sentence, re.I):
                wrong.append(f"{name}: supporting data called newer: {sentence}")
            if re.search(VERY_RARE[lang], sentence, re.I) and re.search(LUNGS[lang], sentence, re.I):
                wrong.append(f"{name}: cement in the lungs called very rare: {sentence}")
            if any(re.search(promise, sentence, re.I) for promise in PROMISES[lang]):
                wrong.append(f"{name}: a promise: {sentence}")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_practice_view_on_early_treatment_stands_beside_the_evidence_against(site, lang):
    with_view = []
    for name, tree in trees_of(site, lang):
        blocks = [text_of(b) for b in tree.cssselect("main p, main li")]
        if any(re.search(OUR_VIEW[lang], b, re.I) and re.search(EARLY[lang], b, re.I)
               for b in blocks):
            with_view.append(name)
            assert re.search(EVIDENCE_AGAINST, " ".join(blocks)), \
                f"{name}: the practice's view without the trials or guidance against it"
    assert with_view, "no page gives the practice's view on early treatment"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_structured_data_sends_the_spinal_cord_signs_to_911(site, lang):
    page = f"{prefix(lang)}articles/{site.settings['DISCOVERY']['procedure_article']}/index.html"
    followups = [value["followup"] for value in json_ld_values(site.tree(page))
                 if isinstance(value, dict) and "followup" in value]
    assert len(followups) == 1, page
    calls_911 = [s.lower() for s in sentences(followups[0]) if "911" in s]
    assert calls_911, followups[0]
    assert missing_signs(" ".join(calls_911), lang) == [], f"missing from: {calls_911}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_home_page_gives_the_evidence_before_the_practice_view(site, lang):
    """Issue 23: the practice's view stays labelled, below the summary of the evidence."""
    blocks = [text_of(b) for b in site.tree(f"{prefix(lang)}index.html").cssselect("main p, main li")]
    view = next(n for n, b in enumerate(blocks) if re.search(OUR_VIEW[lang], b, re.I))
    # NICE comes earlier, as guidance: the trials and reviews are the evidence summary.
    evidence = next(n for n, b in enumerate(blocks) if re.search(TRIALS_AND_REVIEWS, b)
                    and not re.search(OUR_VIEW[lang], b, re.I))
    assert evidence < view, blocks[view]


# The practice's own claims (facts.md R1, O1, O4) and the labels that must go with them,
# in the same sentence or the one before it.
PRACTICE_CLAIMS = {
    "en": r"\b(is|are) generally safe|\brisks are low|\bmost (people|patients) (are|get) back to"
          r"|\bmost (people|patients) feel (pain )?relief",
    "es": r"\bsegura en general|\bsuele ser segura|\briesgos son bajos"
          r"|\bla mayoría( de las personas)? vuelven? a sus actividades|\bsienten? alivio enseguida",
}
LABELS = {"en": r"\bin our experience\b|\bwe think\b|\bour (practice's )?view\b",
          "es": r"\ben nuestra experiencia\b|\bpensamos\b|\bcreemos\b|\bnuestra opinión\b"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_practice_claims_are_labelled_as_its_experience(site, lang):
    unlabelled, claims = [], 0
    for name, tree in trees_of(site, lang):
        for block in tree.cssselect("main p, main li, main td"):
            said = sentences(text_of(block))
            for n, sentence in enumerate(said):
                if re.search(PRACTICE_CLAIMS[lang], sentence, re.I):
                    claims += 1
                    if not re.search(LABELS[lang], " ".join(said[max(0, n - 1):n + 1]), re.I):
                        unlabelled.append(f"{name}: {sentence}")
    assert claims, "no page states the practice's experience: are the patterns still right?"
    assert unlabelled == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_warning_signs_page_starts_with_what_to_do_in_an_emergency(site, lang):
    """Right under its title, before the summary and the dates: 911, and a link to the
    911 list (a phone shows it in the first screen)."""
    page = f"{prefix(lang)}articles/{site.settings['WARNING_SIGNS_ARTICLE']}/index.html"
    after_title = site.tree(page).cssselect("main h1")[0].getnext()
    assert "911" in text_of(after_title)
    assert [a.get("href") for a in after_title.iter("a")] == ["#call-911"]


def test_only_the_warning_signs_page_has_no_call_us_bar(site):
    """The phone's "Call us" bar sticks to the bottom of every page but the warning-signs
    guide, whose 911 list says not to call us first; its header still has the number."""
    warning_pages = {f"{prefix(lang)}articles/{site.settings['WARNING_SIGNS_ARTICLE']}/index.html"
                     for lang in LANGUAGES}
    for path in site.html_files():
        page = path.relative_to(site.output).as_posix()
        tree = site.tree(page)
        has_bar = bool(tree.cssselect(".app-call-bar a[href^='tel:']"))
        assert has_bar == (page not in warning_pages), page
        if page in warning_pages:
            assert tree.cssselect(f"header a[href='tel:{site.settings['PHONE_TEL']}']"), page
