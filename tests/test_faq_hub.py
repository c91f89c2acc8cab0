"""The questions hub (/faq/ and /es/faq/) lists every question and links to its own
page, where the full answer is; it stays within the first-load budget as the
questions grow (`grown`: the real content with 80 more questions per language).
"""

import pytest

from helpers import CONTENT, EXTRA_QUESTIONS, SETTINGS, faq_page_question, json_ld, questions
from theme_support import FIRST_LOAD_LIMIT, first_loads

HUBS = {"en": "faq/index.html", "es": "es/faq/index.html"}
WITH_ANSWER = SETTINGS.get("FAQ_HUB_SUMMARIES", 20)  # theme/templates/faq_index.html's default


def hub_entries(built, lang):
    """The hub's questions as it lists them: (id, link, Summary shown or None)."""
    entries = []
    for item in built.tree(HUBS[lang]).cssselect("main .app-faq__item"):
        link, = item.cssselect("a[href]")
        summary = item.cssselect("p")
        entries.append((item.get("id"), link.get("href"),
                        " ".join(summary[0].text_content().split()) if summary else None))
    return entries


def check_hub(built, content):
    for lang, listed in questions(content).items():
        entries = hub_entries(built, lang)
        # Every question, in its Order, at its own address /faq/#<slug>, linking to its page.
        assert [entry[0] for entry in entries] == [meta["slug"] for meta in listed], lang
        for slug, href, _ in entries:
            assert href.rstrip("/").endswith(f"faq/{slug}"), f"{lang} {slug}: links to {href}"
        # The first ones show their Summary as a short answer, the rest their title only.
        shown = [summary for _, _, summary in entries]
        assert shown == [" ".join(meta["summary"].split()) for meta in listed[:WITH_ANSWER]] + \
            [None] * (len(listed) - WITH_ANSWER), lang


def test_the_hub_lists_every_question_in_order(site):
    check_hub(site, CONTENT)


def test_the_hub_lists_every_question_as_the_questions_grow(grown):
    listed = questions(grown.content)
    assert {lang: len(items) for lang, items in listed.items()} == \
        {lang: len(items) + EXTRA_QUESTIONS for lang, items in questions().items()}
    check_hub(grown, grown.content)


@pytest.mark.parametrize("lang", HUBS)
def test_the_hub_stays_within_14_kb_as_the_questions_grow(grown, lang):
    loads = first_loads(grown)
    print(f"\n{HUBS[lang]} with {len(questions(grown.content)[lang])} questions:"
          f" first load {loads[HUBS[lang]] / 1024:.1f} KB gzipped")
    assert loads[HUBS[lang]] <= FIRST_LOAD_LIMIT
    assert {name: size for name, size in loads.items() if size > FIRST_LOAD_LIMIT} == {}


def test_each_new_question_page_has_its_faq_page_data(grown):
    for lang, listed in questions(grown.content).items():
        prefix = "" if lang == SETTINGS["DEFAULT_LANG"] else f"{lang}/"
        for meta in listed:
            page = f"{prefix}faq/{meta['slug']}/index.html"
            question = faq_page_question(json_ld(grown, page))
            assert question["name"] == meta["title"], page
