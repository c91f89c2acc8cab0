"""The Spanish site: every page has its twin, each speaks its own language, and
machines are told which is which (lang, hreflang, og:locale, JSON-LD, sitemap)."""

import json
import re
from urllib.parse import urlsplit

import lxml.html
import pytest
import textstat
from babel.messages.pofile import read_po
from lxml import etree

import content_checks
from helpers import ROOT, SETTINGS, file_of, prose_text, search_results
from theme_support import build_variant

READING_TYPES = set(SETTINGS["PAGE_TYPES"]) - content_checks.THEME_TYPES  # every type a file can have
MIN_INFLESZ = 65  # "bastante fácil" or easier on the Szigriszt-Pazos scale (issue 22)
SPANISH = {m.id: m.string for m in
           read_po((ROOT / "theme/translations/es/LC_MESSAGES/messages.po").open("rb")) if m.id}


def english_pages(site):
    for name, tree in site.trees():
        if not name.startswith("es/") and tree.find("body").get("data-page-type") in READING_TYPES:
            yield name, tree


def path_of(site, page, href):
    """The built file a link leads to (it may start with / or be relative)."""
    path, _ = file_of(site.output, page, href)
    assert (site.output / path).is_file(), f"{page}: {href} leads nowhere"
    return path


def switch(tree, lang):
    links = tree.cssselect(f'header a.app-header__lang[hreflang="{lang}"]')
    assert len(links) == 1 and links[0].get("lang") == lang
    return links[0].get("href")


def test_every_reading_page_has_its_spanish_twin_and_back(site):
    pairs = 0
    for name, tree in english_pages(site):
        twin = path_of(site, name, switch(tree, "es"))
        assert twin == "es/" + name, f"{name}: the switch leads to {twin}"
        twin_tree = site.tree(twin)
        assert twin_tree.get("lang") == "es"
        assert path_of(site, twin, switch(twin_tree, "en")) == name
        pairs += 1
    spanish = [n for n, t in site.trees() if n.startswith("es/")
               and t.find("body").get("data-page-type") in READING_TYPES]
    assert pairs > 0 and len(spanish) == pairs


def visible_text(tree):
    body = tree.find("body")
    texts = [t for t in body.itertext() if t.strip()]
    texts += [v for el in body.iter() if isinstance(el.tag, str)
              for k, v in el.attrib.items() if k in ("aria-label", "title", "alt") or k.startswith("data-text")]
    return [" ".join(t.split()) for t in texts]


def test_no_english_theme_wording_on_a_spanish_page(site):
    english = {m for m, es in SPANISH.items() if es and es != m and len(m) > 3}
    checked = 0
    for name, tree in site.trees():
        if not name.startswith("es/"):
            continue
        for text in visible_text(tree):
            for words in english:
                if re.search(rf"(^|\W){re.escape(words)}($|\W)", text):
                    raise AssertionError(f"{name}: English {words!r} in {text!r}")
        checked += 1
    assert checked >= 60


# Forms docs/glosario.md tells writers to avoid, as they would read on a page.
AVOIDED = {
    "de mentira (say: simulado)": r"\bde mentira\b",
    "depende de usted (brace: ask us)": r"\bdepende de usted\b",
    "el único hueso (say: solo el hueso que se rompió)": r"\bel único hueso\b",
    "tomografía (TC) (say: CT o TAC)": r"\(TC\)",
    "buen candidato (say: buena opción)": r"\bbuen[oa]? candidat[oa]s?\b",
    "¿Estaré despierto? (say: ¿Me van a dormir…?)": r"\bestaré despiert[oa]\b",
    "datos más nuevos (the newest evidence goes the other way)": r"\bdatos más (nuevos|recientes)\b",
    "sus propios pasos / instrucciones / su propia página": r"\bsus? propi[oa]s? (pasos|instrucciones|página)\b",
    "Aprenda más / Sepa más": r"\b(aprenda|sepa) más\b",
    "¿Preguntas? Llame…": r"¿Preguntas\?",
    "resumen justo / idea justa (say: equilibrado)": r"\b(resumen|idea) just[oa]\b",
    "se mete un balón": r"\bse mete un balón\b",
    "vista de lado (say: vista lateral)": r"\bvista de lado\b",
}
# "anticoagulante" for blood thinners leaves out aspirin and clopidogrel: a sentence
# may use it only beside the glossary's term ("medicamentos que diluyen la sangre").
ANTICOAGULANT, BLOOD_THINNER = re.compile(r"\banticoagulantes?\b", re.I), re.compile(r"diluye", re.I)


def spanish_sentences(site):
    for name, tree in site.trees():
        if name.startswith("es/"):
            for text in visible_text(tree):
                for sentence in re.split(r"(?<=[.!?:;])\s+", text):
                    yield name, sentence


def test_no_spanish_page_uses_a_form_the_glossary_avoids(site):
    found = []
    for name, sentence in spanish_sentences(site):
        found += [f"{name}: {label}: {sentence!r}" for label, pattern in AVOIDED.items()
                  if re.search(pattern, sentence, re.I)]
        if ANTICOAGULANT.search(sentence) and not BLOOD_THINNER.search(sentence):
            found.append(f"{name}: 'anticoagulante' alone for blood thinners: {sentence!r}")
    assert not found, "\n".join(found)


INTERPRETER = "You may ask for an interpreter when you call."


def help_beside_phone_links(tree):
    """The help line shown beside each call to the phone number (None where there is
    none). Not counted: the footer's number and the phone header's small call button
    (the header stays small on a phone; the call bar below carries the line)."""
    lines = []
    for link in tree.cssselect('a[href^="tel:"]'):
        if link.xpath("ancestor::footer") or "app-header__call-button" in link.get("class", ""):
            continue
        block = link.xpath("ancestor::*[self::p or self::li or self::aside or self::td][1]")[0]
        helps = block.cssselect(".app-language-help")
        after = block.getnext()
        if not helps and after is not None and "app-language-help" in (after.get("class") or ""):
            helps = [after]
        lines.append(" ".join(helps[0].text_content().split()) if helps else None)
    return lines


def phone_help_by_language(output):
    """{"en": set of help lines beside phone links, "es": ...} over every page, and
    how many Spanish pages have at least two (header and call bar)."""
    seen, spanish_pages = {"en": set(), "es": set()}, 0
    for path in sorted(output.rglob("*.html")):
        name = path.relative_to(output).as_posix()
        if "pagefind" in name:
            continue
        lines = help_beside_phone_links(lxml.html.fromstring(path.read_bytes()))
        seen["es" if name.startswith("es/") else "en"].update(lines)
        spanish_pages += name.startswith("es/") and len(lines) >= 2
    return seen, spanish_pages


def test_spanish_phone_calls_offer_an_interpreter_until_language_help_is_set(site):
    assert site.settings["LANGUAGE_HELP"] == {"en": "", "es": ""}
    seen, spanish_pages = phone_help_by_language(site.output)
    assert seen == {"en": {None}, "es": {SPANISH[INTERPRETER]}}
    assert spanish_pages >= 40
    for name, sentence in spanish_sentences(site):  # nothing claims staff speak Spanish
        assert not re.search(r"hablamos español|habla español", sentence, re.I), name


def test_language_help_when_set_shows_beside_every_phone_call(tmp_path_factory):
    help_text = {"en": "Test: help in your language.", "es": "Prueba: ayuda en su idioma."}
    output = build_variant(tmp_path_factory.mktemp("language-help"), LANGUAGE_HELP=help_text)
    seen, spanish_pages = phone_help_by_language(output)
    assert seen == {"en": {help_text["en"]}, "es": {help_text["es"]}}
    assert spanish_pages >= 40


def test_spanish_pages_share_the_spanish_card(site):
    spanish = site.settings["I18N_SUBSITES"]["es"]
    assert (site.output / spanish["SHARE_IMAGE"]).is_file()
    for name, tree in site.trees():
        if name.startswith("es/") and tree.cssselect('meta[property="og:image"]'):
            image = tree.cssselect('meta[property="og:image"]')[0].get("content")
            alt = tree.cssselect('meta[property="og:image:alt"]')[0].get("content")
            assert image.endswith("/" + spanish["SHARE_IMAGE"]), name
            assert alt == spanish["SHARE_IMAGE_ALT"] != site.settings["SHARE_IMAGE_ALT"], name


def test_every_spanish_page_reads_at_inflesz_65_or_more(site, capsys):
    textstat.set_lang("es")
    try:
        scores = {name: textstat.szigriszt_pazos(prose_text(site.soup(name)))
                  for name, tree in site.trees() if name.startswith("es/")
                  and tree.find("body").get("data-page-type") in READING_TYPES
                  and len(prose_text(site.soup(name)).split()) >= 20}
    finally:
        textstat.set_lang("en_US")
    with capsys.disabled():
        print("\nINFLESZ (Szigriszt-Pazos) of each Spanish page, hardest first:")
        for name, score in sorted(scores.items(), key=lambda item: item[1]):
            print(f"  {score:5.1f}  {name}")
    guides_and_questions = {name for name, tree in site.trees() if name.startswith("es/")
                            and tree.find("body").get("data-page-type") in ("article", "faq")}
    assert guides_and_questions and guides_and_questions <= set(scores)  # every one is scored
    assert {n: s for n, s in scores.items() if s < MIN_INFLESZ} == {}


def test_each_language_is_declared(published):
    for name, tree in published.trees():
        lang = "es" if name.startswith("es/") else "en"
        assert tree.get("lang") == lang, name
        locale = tree.cssselect('meta[property="og:locale"]')[0].get("content")
        assert locale == {"en": "en_US", "es": "es_US"}[lang], name
        graph = json.loads(tree.cssselect('script[type="application/ld+json"]')[0].text)["@graph"]
        assert {n.get("inLanguage") for n in graph if "inLanguage" in n} == {lang}, name


def test_dates_are_written_in_each_language(site):
    english = site.tree("articles/recovery/index.html").cssselect(".app-reviewed time")[0]
    spanish = site.tree("es/articles/recovery/index.html").cssselect(".app-reviewed time")[0]
    assert re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}", english.text)
    assert re.fullmatch(r"\d{1,2} de [a-z]+ de \d{4}", spanish.text)
    assert spanish.getparent().text_content().startswith(SPANISH["Last checked against its sources"])


def test_hreflang_links_go_both_ways_with_x_default(published):
    siteurl = published.settings["SITEURL"]
    declared = {}
    for name, tree in published.trees():
        links = {link.get("hreflang"): link.get("href")
                 for link in tree.cssselect('head link[rel="alternate"][hreflang]')}
        canonical = tree.cssselect('link[rel="canonical"]')
        if links:
            assert canonical and links[tree.get("lang")] == canonical[0].get("href"), name
            assert links["x-default"] == links["en"], name
            assert all(href.startswith(siteurl + "/") for href in links.values()), name
            declared[canonical[0].get("href")] = links
    assert len(declared) >= 80  # every page with a twin (tags have none)
    for url, links in declared.items():
        for lang, href in links.items():
            assert declared.get(href) == links, f"{url} -> {lang} {href}: not linked back"


def test_the_sitemap_lists_both_languages_with_their_alternates(published):
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = etree.parse(str(published.output / "sitemap.xml")).getroot()
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    siteurl = published.settings["SITEURL"]
    assert f"{siteurl}/es/" in urls and f"{siteurl}/es/articles/recovery/" in urls
    alternates = {x.get("hreflang"): x.get("href")
                  for x in urls[f"{siteurl}/es/articles/recovery/"].findall("x:link", ns)}
    assert alternates == {"es": f"{siteurl}/es/articles/recovery/",
                          "en": f"{siteurl}/articles/recovery/",
                          "x-default": f"{siteurl}/articles/recovery/"}


def test_a_feed_per_language(published):
    atom = "{http://www.w3.org/2005/Atom}"
    for prefix, lang in (("", "en"), ("es/", "es")):
        feed = etree.parse(str(published.output / prefix / "feeds/articles.atom.xml")).getroot()
        links = [e.find(f"{atom}link").get("href") for e in feed.findall(f"{atom}entry")]
        assert len(links) >= 10
        assert all(("/es/" in link) == (lang == "es") for link in links), prefix


def test_the_search_index_is_split_by_language(site):
    metas = sorted(p.name.split("_")[0] for p in (site.output / "pagefind").glob("pagefind.*.pf_meta"))
    assert metas == ["pagefind.en", "pagefind.es"]


@pytest.mark.parametrize("query, expected", [("cemento", "/es/articles/procedure-day/"),
                                             ("fiebre", "/es/articles/warning-signs/")])
def test_the_spanish_search_finds_spanish_pages(page, site_url, site, query, expected):
    page.goto(f"{site_url}/es/search/?q={query}")
    page.locator("#search-results h2").wait_for()
    found = [urlsplit(a.get_attribute("href")).path
             for a in page.locator("#search-results ol a").element_handles()]
    assert found and all(path.startswith("/es/") for path in found), found
    assert any(expected in group for group in search_results(page, site)[:3]), found
    assert SPANISH["{count} results for “{query}”"].format(count=len(found), query=query) == \
        " ".join(page.locator("#search-results h2").inner_text().split())


@pytest.mark.parametrize("width", [375, 1280])
def test_the_language_switch_is_there_and_easy_to_press(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    try:
        tab.goto(f"{site_url}/articles/recovery/")
        link = tab.locator("header a.app-header__lang")
        box = link.bounding_box()
        assert link.is_visible() and box["height"] >= 44 and box["width"] >= 44
        link.focus()
        tab.keyboard.press("Enter")
        tab.wait_for_url(f"{site_url}/es/articles/recovery/")
        assert tab.locator("html").get_attribute("lang") == "es"
    finally:
        context.close()
