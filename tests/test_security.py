"""Safe by construction: the source checks' messages, the sanitizer, and hostile builds.

Two layers. The content checks (plugins/content_checks) refuse hostile or
careless input with one line for the editor; they are unit-tested here on small
content folders, without a build. The guarantee is on the output: templates
autoescape and a page's HTML passes the allowlist sanitizer (plugins/sanitize).
The builds below switch the checks off, so hostile input reaches the output,
and then read every page against the allowlist (tests/safety.py).
"""

import os
import shutil

import pytest
from feedgenerator.django.utils.xmlutils import UnserializableContentError
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from pelican import Pelican
from pelican.settings import read_settings

import content_checks
import sanitize
from helpers import ROOT, fragments, run_build, run_checks
from safety import problems_in_feed, problems_in_fragment, problems_in_page

SITEURL = "https://kyphoplasty.example.org"

# A small valid site: one guide, one question, one page.
ARTICLE = """Title: A guide
Date: 2026-01-05
Category: Treatment
Tags: recovery
Summary: A short guide for the tests, long enough to pass the summary check.
Reviewed: 2026-01-05
Type: article

An opening paragraph.

## First part

Words.

## When to call us

Call us.
"""
QUESTION = """Title: A question?
Slug: a-question
Order: 1
Summary: A short answer for the tests, long enough to pass the summary check.
Reviewed: 2026-01-05
Type: faq

The answer.
"""
PAGE = """Title: A page
Slug: a-page
Summary: A practice page for the tests, long enough to pass the summary check.
Type: practice

Some text.
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>A dot</title>{}</svg>'
BASE = {"articles/a-guide.md": ARTICLE, "faq/a-question.md": QUESTION, "pages/a-page.md": PAGE,
        "images/dot.svg": SVG.format('<circle cx="5" cy="5" r="4"/>')}


def write(content, files):
    for name, text in files.items():
        path = content / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")


def check(tmp_path, files, production=False):
    """The problems the content checks find in BASE changed by files (None: removed)."""
    content = tmp_path / "content"
    write(content, {name: text for name, text in {**BASE, **files}.items() if text is not None})
    return run_checks(content, production)


def edit(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


def test_the_small_site_passes(tmp_path):
    assert check(tmp_path, {}) == []


# The source checks: one line each, naming the file, the line and the fix ------------

HOSTILE_FILES = {
    "entity-encoded HTML in a Summary": (
        {"pages/a-page.md": edit(PAGE, "Summary: A practice", "Summary: &lt;img src=x onerror=alert(1)&gt;")},
        "content/pages/a-page.md:3: `&lt;` is a code for a character. Write the character itself"),
    "a meta refresh in a Summary": (
        {"pages/a-page.md": edit(PAGE, "Summary: A practice", 'Summary: &lt;meta http-equiv="refresh"&gt;')},
        "content/pages/a-page.md:3: `&lt;` is a code for a character."),
    "raw HTML between ``` lines": (
        {"pages/a-page.md": PAGE + "\n```\n<script>alert(1)</script>\n```\n"},
        "content/pages/a-page.md:9: `<script>` is not allowed in content"),
    "raw HTML between ~~~ lines": (
        {"pages/a-page.md": PAGE + "\n~~~\n<img src=x onerror=alert(1)>\n~~~\n"},
        "content/pages/a-page.md:9: HTML such as `<img>` is not allowed in content."),
    "a custom element": (
        {"pages/a-page.md": PAGE + "\n<x-y onfocus=alert(1)>text</x-y>\n"},
        "content/pages/a-page.md:8: HTML such as `<x-y>` is not allowed in content."),
    "a single-quoted javascript: link": (
        {"pages/a-page.md": PAGE + "\n<a href='javascript:alert(1)'>x</a>\n"},
        "content/pages/a-page.md:8: HTML such as `<a>` is not allowed in content."),
    "a content file named with a dot": (
        {"articles/.note.md": ARTICLE},
        "content/articles/.note.md: names starting with a dot are hidden files"),
    "URL": (
        {"pages/a-page.md": edit(PAGE, "Type:", 'URL: x" onmouseover="alert(1)\nType:')},
        "content/pages/a-page.md:4: `URL` cannot be set here: it changes where or how the page is written."),
    "Save_as": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Save_as: robots.txt\nType:")},
        "content/pages/a-page.md:4: `Save_as` cannot be set here"),
    "Lang": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Lang: fr\nType:")},
        "content/pages/a-page.md:4: unknown `Lang: fr`. Use one of: en, es."),
    "Lang: es outside an es/ folder": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Lang: es\nType:")},
        "content/pages/a-page.md:4: `Lang: es` does not match the folder"),
    "a Spanish page without Lang": (
        {"pages/es/a-page.md": PAGE},
        "content/pages/es/a-page.md: a page in the es/ folder needs `Lang: es`."),
    "a Spanish page with another Slug than its English page": (
        {"pages/es/a-page.md": edit(PAGE, "Slug: a-page", "Slug: una-pagina\nLang: es")},
        "content/pages/es/a-page.md:2: `Slug: una-pagina` must be the Slug of content/pages/a-page.md"),
    "Template": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Template: nonexistent\nType:")},
        "content/pages/a-page.md:4: `Template` cannot be set here"),
    "an unknown Status": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Status: secret\nType:")},
        "content/pages/a-page.md:4: unknown `Status: secret`. Use one of: draft, hidden, published."),
    "a field of another page type": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Order: 3\nType:")},
        "content/pages/a-page.md:4: a page with `Type: practice` does not use `Order`."),
    "the home page's Save_as changed": (
        {"pages/home.md": "Title: Home\nSummary: " + "Home page of the site, with enough words in it. " * 2
         + "\nType: home\nReviewed: 2026-01-05\nTemplate: home\nSave_as: feeds/x.xml\nURL:\n\nText.\n"},
        "content/pages/home.md:6: `Save_as: feeds/x.xml` must be `Save_as: index.html` on this page."),
    "an external image": (
        {"pages/a-page.md": PAGE + "\n![A dot](https://evil.example/x.png)\n"},
        "content/pages/a-page.md:8: the image `https://evil.example/x.png` is not a file of this site."),
    "Order: ²": (
        {"faq/a-question.md": edit(QUESTION, "Order: 1", "Order: ²")},
        "content/faq/a-question.md:3: `Order: ²` must be a whole number, like `Order: 3`."),
    "Tags: ✓": (
        {"articles/a-guide.md": edit(ARTICLE, "Tags: recovery", "Tags: ✓")},
        "content/articles/a-guide.md:4: the tag `✓` has no letters or digits"),
    "Modified: yesterday": (
        {"articles/a-guide.md": edit(ARTICLE, "Type:", "Modified: yesterday\nType:")},
        "content/articles/a-guide.md:7: `Modified: yesterday` is not a real date. Write it as YYYY-MM-DD"),
    "Date: 9999-12-31": (
        {"articles/a-guide.md": edit(ARTICLE, "Date: 2026-01-05", "Date: 9999-12-31")},
        "content/articles/a-guide.md:2: `Date: 9999-12-31` is in the future."),
    "a list 300 levels deep": (
        {"pages/a-page.md": PAGE + "\n" + "".join("    " * n + "- x\n" for n in range(300))},
        "content/pages/a-page.md:17: lists or quotes are nested more than 8 levels deep here."),
    "quotes 300 levels deep": (
        {"pages/a-page.md": PAGE + "\n" + ">" * 300 + " x\n"},
        "content/pages/a-page.md:8: lists or quotes are nested more than 8 levels deep here."),
    "another phone number": (
        {"pages/a-page.md": PAGE + "\nCall 858-555-0100 today.\n"},
        "content/pages/a-page.md:8: `858-555-0100` is not the practice's number (858-677-9957)."),
    "the phone number as plain text": (
        {"pages/a-page.md": PAGE + "\nCall 858-677-9957 today.\n"},
        "content/pages/a-page.md:8: write the phone number as a link that dials it:"
        " `[858-677-9957](tel:+18586779957)`."),
    "the text right under the fields": (
        {"pages/a-page.md": edit(PAGE, "Type: practice\n\n", "Type: practice\nREPLACE: the text.\n\n")},
        "content/pages/a-page.md:5: unknown field `REPLACE`. Leave one empty line between the"
        " metadata block and the text"),
    "a misspelt field never suggests a refused one": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Templat: x\nType:")},
        "content/pages/a-page.md:4: unknown field `Templat`. Known fields:"),
    "a Reviewer that is not a name": (
        {"faq/a-question.md": edit(QUESTION, "Type:", "Reviewer: 123\nType:")},
        "content/faq/a-question.md:6: `Reviewer: 123` must be the clinician's name and credentials"),
    "a dotfile among the pictures": (
        {"images/.DS_Store": b"\x00\x00\x00\x01Bud1"},
        "content/images/.DS_Store: names starting with a dot are hidden files, which the site does"
        " not publish (your computer made it)."),
    "an .env file": (
        {".env": "SECRET=1"},
        "content/.env: names starting with a dot are hidden files"),
    "an HTML file among the pictures": (
        {"images/go.html": '<meta http-equiv="refresh" content="0;url=https://evil.example/">'},
        "content/images/go.html: only pictures (.jpeg, .jpg, .png, .svg, .webp) are published"),
    "a file outside the published folders": (
        {"notes.txt": "hello"},
        "content/notes.txt: this file is not in a folder the site publishes"),
    "an SVG with a script": (
        {"images/bad.svg": SVG.format("\n<script>alert(1)</script>")},
        "content/images/bad.svg:2: the picture has code (`<script>`)."),
    "an SVG with an event handler": (
        {"images/bad.svg": SVG.format('<circle onload="alert(1)" r="1"/>')},
        "content/images/bad.svg:1: the picture has code (`onload`)."),
    "an SVG that loads another site": (
        {"images/bad.svg": SVG.format('<image href="https://evil.example/x.png"/>')},
        "content/images/bad.svg:1: the picture loads another file or site (`https://evil.example/x.png`)."),
    "an SVG with an entity": (
        {"images/bad.svg": '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SVG.format("&x;")},
        "content/images/bad.svg: the picture declares a DOCTYPE or ENTITY."),
    "an SVG styled from another site": (
        {"images/bad.svg": SVG.format("<style>rect { fill: url(https://evil.example/a) }</style>")},
        "content/images/bad.svg:1: the picture loads another file or site (in `<style>`)."),
    # What the checks read is what Pelican reads: characters that split a line for
    # str.splitlines() but not for Python-Markdown are refused by name.
    "a vertical tab (Word's Shift+Enter) hiding a Status": (
        {"articles/a-guide.md": edit(ARTICLE, "Type: article", "Type: article\vStatus: draft")},
        "content/articles/a-guide.md:7: this line has a vertical tab (U+000B), an invisible line"
        " break (Shift+Enter in Word?). Delete it and use a normal line break (Enter) instead."),
    "form feeds hiding a Save_as": (
        {"pages/a-page.md": edit(PAGE, "Type: practice", "Type: practice\f\fSave_as: es/index.html")},
        "content/pages/a-page.md:4: this line has a page break (form feed, U+000C)."),
    "a line separator in the text": (
        {"pages/a-page.md": PAGE + "\nOne\u2028two\n"},
        "content/pages/a-page.md:8: this line has an invisible line break (line separator, U+2028)."),
    "a NUL character": (
        {"pages/a-page.md": PAGE + "\nOne\x00two\n"},
        "content/pages/a-page.md:8: this line has a NUL character (U+0000)"),
    "another control character": (
        {"pages/a-page.md": PAGE + "\nOne\x1btwo\n"},
        "content/pages/a-page.md:8: this line has an invisible control character (U+001B)."),
    "a right-to-left override": (
        {"pages/a-page.md": PAGE + "\nOne\u202etwo\n"},
        "content/pages/a-page.md:8: this line has an invisible character that changes the"
        " direction of the text (U+202E)."),
    "a zero-width space in a field's name": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Sta\u200btus: draft\nType:")},
        "content/pages/a-page.md:4: this line has an invisible character (U+200B), so the field"
        " is not what it looks like."),
    "a second byte-order mark": (
        {"pages/a-page.md": "\ufeff\ufeff" + PAGE},
        "content/pages/a-page.md:1: this line has an invisible character (U+FEFF)"),
    "a --- line inside the metadata block": (
        {"pages/a-page.md": edit(PAGE, "Type:", "---\nType:")},
        "content/pages/a-page.md:4: a line starting with `---` or `...` ends the metadata block"
        " early."),
    # One address, one page, across both languages and the site's own addresses.
    "Slug: es on a practice page (the Spanish home)": (
        {"pages/a-page.md": edit(PAGE, "Slug: a-page", "Slug: es")},
        "content/pages/a-page.md:2: the address /es/ is the site's own (the es/ folder, where"
        " the site in Español is). Choose another `Slug`."),
    "Slug: pagefind": (
        {"pages/a-page.md": edit(PAGE, "Slug: a-page", "Slug: pagefind")},
        "content/pages/a-page.md:2: the address /pagefind/ is the site's own (the search index)."),
    "Slug: theme": (
        {"pages/a-page.md": edit(PAGE, "Slug: a-page", "Slug: theme")},
        "content/pages/a-page.md:2: the address /theme/ is the site's own (the theme's files)."),
    "Slug: feeds": (
        {"pages/a-page.md": edit(PAGE, "Slug: a-page", "Slug: feeds")},
        "content/pages/a-page.md:2: the address /feeds/ is the site's own (the news feeds)."),
    "Slug: articles (the list of guides)": (
        {"pages/a-page.md": edit(PAGE, "Slug: a-page", "Slug: articles")},
        "content/pages/a-page.md:2: the address /articles/ is the site's own (the site's list of"
        " guides)."),
    "a Spanish page at the Spanish list of tags": (
        {"pages/es/tags.md": edit(PAGE, "Slug: a-page", "Slug: tags\nLang: es")},
        "content/pages/es/tags.md:2: the address /es/tags/ is the site's own (the lists of guides"
        " by tag)."),
    # A translation goes live only with its English page.
    "the Spanish twin of an English draft": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Status: draft\nType:"),
         "pages/es/a-page.md": edit(PAGE, "Type:", "Lang: es\nType:")},
        "content/pages/es/a-page.md: content/pages/a-page.md has `Status: draft`, so this"
        " translation would go live without it. Give this page `Status: draft` too, or publish"
        " the English page first."),
    "the published Spanish twin of a hidden English page": (
        {"pages/a-page.md": edit(PAGE, "Type:", "Status: hidden\nType:"),
         "pages/es/a-page.md": edit(PAGE, "Type:", "Lang: es\nStatus: published\nType:")},
        "content/pages/es/a-page.md:5: content/pages/a-page.md has `Status: hidden`"),
    # {attach} moves a file into the page's folder: never one the site or another page uses.
    "{attach} of the favicon": (
        {"extra/favicon.ico": b"\x00\x00\x01\x00", "pages/a-page.md": PAGE + "\n[Icon]({attach}/extra/favicon.ico)\n"},
        "content/pages/a-page.md:8: `{attach}/extra/favicon.ico` would move"
        " content/extra/favicon.ico, which the whole site uses, into this page's folder. Write"
        " `{static}/extra/favicon.ico` instead."),
    "|attach| of the favicon": (
        {"extra/favicon.ico": b"\x00\x00\x01\x00", "pages/a-page.md": PAGE + "\n[Icon](|attach|/extra/favicon.ico)\n"},
        "content/pages/a-page.md:8: `{attach}/extra/favicon.ico` would move"
        " content/extra/favicon.ico, which the whole site uses, into this page's folder."),
    "{attach} of a picture another page shows": (
        {"pages/a-page.md": PAGE + "\n![A dot]({attach}../images/dot.svg)\n",
         "faq/a-question.md": QUESTION + "\n![A dot]({static}/images/dot.svg)\n"},
        "content/pages/a-page.md:8: `{attach}/images/dot.svg` would move content/images/dot.svg,"
        " which content/faq/a-question.md uses too, into this page's folder. Write"
        " `{static}/images/dot.svg` instead."),
    # A page never links to a page less public than itself.
    "a link to a draft": (
        {"articles/a-guide.md": edit(ARTICLE, "Type:", "Status: draft\nType:"),
         "pages/a-page.md": PAGE + "\nRead [the guide]({filename}/articles/a-guide.md).\n"},
        "content/pages/a-page.md:8: the link `{filename}/articles/a-guide.md` leads to"
        " content/articles/a-guide.md, which has `Status: draft`: visitors of this page cannot"
        " reach it. Remove the link, or publish that page first."),
    "a link from a published page to a hidden one": (
        {"faq/a-question.md": edit(QUESTION, "Type:", "Status: hidden\nType:"),
         "pages/a-page.md": PAGE + "\nSee [the answer]({filename}../faq/a-question.md#x).\n"},
        "content/pages/a-page.md:8: the link `{filename}/faq/a-question.md` leads to"
        " content/faq/a-question.md, which has `Status: hidden`: visitors of this page should not"
        " be sent to it."),
    # Smaller ways the checks read the text otherwise than Markdown did.
    "Checklist: maybe": (
        {"articles/a-guide.md": edit(ARTICLE, "Type:", "Checklist: maybe\nType:")},
        "content/articles/a-guide.md:7: `Checklist: maybe` must be `Checklist: yes` or"
        " `Checklist: no`."),
    "raw HTML between escaped backticks": (
        {"pages/a-page.md": PAGE + "\nA \\`<b>bold</b>\\` word.\n"},
        "content/pages/a-page.md:8: HTML such as `<b>` is not allowed in content."),
    "an attribute other than an anchor": (
        {"pages/a-page.md": PAGE + '\nSome words.\n{: onclick="alert(1)" }\n'},
        "content/pages/a-page.md:9: `{: onclick=\"alert(1)\" }` adds `onclick`, which the site"
        " removes from pages: only an anchor such as `{#my-section}` can be added."),
    "a class on a heading": (
        {"pages/a-page.md": PAGE + "\n## Call us {: .app-call-bar #call }\n"},
        "content/pages/a-page.md:8: `{: .app-call-bar #call }` adds `class`"),
    "a link in the Summary": (
        {"pages/a-page.md": edit(PAGE, "Summary: A practice", "Summary: See [us](/a-page/), a practice")},
        "content/pages/a-page.md:3: the Summary is shown as plain text (under the title, and in"
        " search results), so a link there would be lost."),
    "{static} with no file": (
        {"pages/a-page.md": PAGE + "\n[A file]({static})\n"},
        "content/pages/a-page.md:8: the link `{static}` has no file after `{static}`. Write the"
        " file's path, like `{static}/images/file.svg`."),
    "{static} of a folder": (
        {"pages/a-page.md": PAGE + "\n[A file]({static}/images)\n"},
        "content/pages/a-page.md:8: the link `{static}/images` points to a folder, not a file."),
    "{static} outside the content folder": (
        {"pages/a-page.md": PAGE + "\n[A file]({static}../../etc/passwd)\n"},
        "content/pages/a-page.md:8: the link `{static}../../etc/passwd` points outside the"
        " content folder."),
    "{static} of a page": (
        {"pages/a-page.md": PAGE + "\n[A file]({static}/faq/a-question.md)\n"},
        "content/pages/a-page.md:8: the link `{static}/faq/a-question.md` points to a page;"
        " `{static}` is for pictures and files. Write `{filename}/faq/a-question.md`."),
    "{filename} of a picture": (
        {"pages/a-page.md": PAGE + "\n[A file]({filename}/images/dot.svg)\n"},
        "content/pages/a-page.md:8: the link `{filename}/images/dot.svg` points to a picture or"
        " file; `{filename}` is for pages. Write `{static}/images/dot.svg`."),
}


@pytest.mark.parametrize("files, expected", HOSTILE_FILES.values(), ids=HOSTILE_FILES.keys())
def test_each_mistake_gets_one_line(tmp_path, files, expected):
    messages = check(tmp_path, files)
    assert len(messages) == 1, messages
    assert messages[0].startswith(expected), messages
    assert "\n" not in messages[0] and messages[0].endswith(".")


@pytest.mark.parametrize("target", ["/etc/hostname", "../../outside.svg", "."])
def test_links_are_refused_by_name_wherever_they_point(tmp_path, target):
    write(tmp_path / "content", BASE)
    os.symlink(target, tmp_path / "content" / "images" / "link.svg")
    assert check(tmp_path, {}) == [
        "content/images/link.svg: this is a link (symlink) to another file or folder, which the"
        " site does not publish. Put a copy of the file itself here, or delete the link."]


def test_a_symlink_loop_is_one_line(tmp_path):
    write(tmp_path / "content", BASE)
    os.symlink("loop", tmp_path / "content" / "images" / "loop")
    os.symlink(".", tmp_path / "content" / "images" / "here")
    messages = check(tmp_path, {})
    assert [m.split(":")[0] for m in messages] == ["content/images/here", "content/images/loop"]


@pytest.mark.parametrize("name, value", [
    ("VIDEO_ID", 'x" onmouseover="alert(1)'),
    ("VIDEO_CHANNEL_URL", "javascript:alert(1)"),
    ("VIDEO_CHANNEL_URL", "https://evil.example/"),
])
def test_video_settings_must_be_youtube_addresses(name, value, caplog):
    content_checks.check_settings({name: value})
    assert [r.getMessage().split(":")[0] for r in caplog.records] == ["pelicanconf.py"]
    assert name in caplog.records[0].getMessage()


def test_the_live_build_lists_pages_awaiting_a_clinicians_review(tmp_path, caplog):
    caplog.set_level("INFO")
    assert check(tmp_path, {}, production=True) == []
    notices = [r for r in caplog.records
               if getattr(r, "notice", None) == content_checks.AWAITING_REVIEW]
    assert sorted(r.getMessage().split(":")[0] for r in notices) == [
        "content/articles/a-guide.md", "content/faq/a-question.md"]
    assert {r.notice for r in notices} == {content_checks.AWAITING_REVIEW}


@pytest.mark.parametrize("english, spanish", [("draft", "draft"), ("hidden", "hidden"),
                                              ("hidden", "draft"), ("published", "hidden")])
def test_a_translation_may_be_as_hidden_as_its_english_page_or_more(tmp_path, english, spanish):
    assert check(tmp_path, {
        "pages/a-page.md": edit(PAGE, "Type:", f"Status: {english}\nType:"),
        "pages/es/a-page.md": edit(PAGE, "Type:", f"Lang: es\nStatus: {spanish}\nType:")},
        production=True) == []


def test_pages_may_link_to_pages_as_public_and_attach_their_own_pictures(tmp_path):
    assert check(tmp_path, {
        "articles/a-guide.md": edit(ARTICLE, "Type:", "Status: draft\nType:")
        + "\n![A dot]({attach}/images/dot.svg) [Page]({filename}/pages/a-page.md)\n",
        "faq/a-question.md": edit(QUESTION, "Type:", "Status: hidden\nType:")
        + "\n[Page]({filename}/pages/a-page.md) `{filename}/articles/a-guide.md`\n"}) == []


def test_what_markdown_reads_as_fine_the_checks_do_too(tmp_path):
    assert check(tmp_path, {
        "articles/a-guide.md": edit(ARTICLE, "Type:", "Checklist: true\nType:")
        + "\n## More {#more}\n\n`a {: onclick=x }` and \\`b\\`\n",
        "pages/a-page.md": PAGE + "\n[The question]({filename}&#x2F;faq/a-question.md)"
        " [Again](|filename|/faq/a-question.md)\n\n| static | attach |\n|---|---|\n|static|x|\n"}) == []


def test_a_page_refused_for_a_character_is_not_also_called_missing(tmp_path):
    """Its translation is not reported as having no English page."""
    messages = check(tmp_path, {
        "pages/a-page.md": edit(PAGE, "Type: practice", "Type: practice\vStatus: draft"),
        "pages/es/a-page.md": edit(PAGE, "Type:", "Lang: es\nType:")}, production=True)
    assert [m.split(": ")[0] for m in messages] == ["content/pages/a-page.md:4"], messages


def test_windows_and_old_mac_line_ends_are_read_as_line_breaks(tmp_path):
    assert check(tmp_path, {"pages/a-page.md": "\ufeff" + PAGE.replace("\n", "\r\n"),
                            "faq/a-question.md": QUESTION.replace("\n", "\r")}) == []


# Every character str.splitlines() breaks at, NUL and the other C0 controls, and the
# invisible direction and zero-width characters.
SPLIT_AT = ["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
INVISIBLE = ([chr(c) for c in range(0x20) if chr(c) not in "\n\r"] + ["\x7f"]
             + [chr(c) for c in range(0x200B, 0x2010)] + [chr(c) for c in range(0x202A, 0x202F)]
             + [chr(c) for c in range(0x2066, 0x206A)] + ["\ufeff"])
# Lines that decide where a page goes or whether it is published.
PLACING = ["Status: draft", "Status: hidden", "Save_as: es/index.html", "URL: robots.txt",
           "Template: home", "Slug: es", "Lang: es", "Title: x", "Type: faq"]
block = st.lists(st.one_of(st.sampled_from(PLACING), st.sampled_from(SPLIT_AT + INVISIBLE),
                           st.sampled_from([" ", "    ", "\t", ":", "-", "---", "...", "a"])),
                 max_size=12).map("".join)


@settings(max_examples=500, deadline=None, derandomize=True)
@given(block)
def test_the_checks_read_the_fields_pelican_reads(tmp_path_factory, text):
    """Whatever the checks accept, they read the metadata block as Python-Markdown's
    `meta` extension does for Pelican: the same fields, with the same values."""
    import markdown

    folder = tmp_path_factory.mktemp("block")
    path = folder / "x.md"
    path.write_bytes(("Title: A page\n" + text + "\n\nText.\n").encode("utf-8", "surrogatepass"))
    state = content_checks.State({**read_settings(str(ROOT / "pelicanconf.py")),
                                  "PATH": str(folder)})
    source = content_checks.read_source(state, path, "x.md")
    accepted = source is not None and content_checks.read_metadata(state, source)
    accepted = accepted and not state.messages
    if not accepted:
        return
    with open(path, encoding="utf-8-sig") as file:  # as Pelican opens it (pelican_open)
        reader = markdown.Markdown(extensions=["meta"])
        reader.convert(file.read())
    assert {name: " ".join(values).strip() for name, values in reader.Meta.items()} == {
        name: value for name, (_line, value) in source.fields.items()}


# The sanitizer -------------------------------------------------------------------

@pytest.mark.parametrize("html", [
    '<p><img src="x" onerror="alert(1)"></p>',
    '<p><a href="javascript:alert(1)">x</a><a href=" JaVaScRiPt:alert(1)">y</a></p>',
    '<p><a href="data:text/html,<script>alert(1)</script>">x</a></p>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "<script>alert(1)</script><style>p{}</style><iframe src=x></iframe>",
    '<x-y onfocus="alert(1)">text</x-y><svg onload="alert(1)"><script>1</script></svg>',
    '<p style="background:url(x)" class="app-call-bar">x</p><!-- comment -->',
    '<img src="https://evil.example/x.png" alt="x"><img src="//evil.example/x.png" alt="y">',
    '<form action="https://evil.example/"><input name="q"><button formaction="x">b</button></form>',
    '<a href="vbscript:x">v</a><object data="x"></object><embed src="x"><base href="https://e/">',
])
def test_the_sanitizer_keeps_nothing_outside_the_allowlist(html):
    cleaned = sanitize.clean(html)
    assert problems_in_fragment(cleaned) == []
    for word in ("alert", "evil", "comment", "style", "refresh", "class"):
        assert word not in cleaned.lower() or word == "alert" and "<" not in cleaned


def test_the_sanitizer_keeps_what_markdown_writes():
    html = ('<h2 id="when-to-call-us">When</h2><p>A <strong>b</strong> <em>c</em> '
            '<a href="{filename}/faq/x.md#y" title="t">d</a> <a href="tel:+18586779957">e</a> '
            '<a href="mailto:a@b.c">f</a> <a href="https://www.nice.org.uk/">g</a></p>'
            '<ol start="2"><li id="ref-x">h</li></ol><ul><li>i</li></ul>'
            '<p><img alt="A dot" height="10" src="{static}/images/dot.svg" width="10"></p>'
            '<table><thead><tr><th align="left">j</th></tr></thead>'
            '<tbody><tr><td align="left">k</td></tr></tbody></table>'
            '<blockquote><p>l</p></blockquote><hr><pre><code>m</code></pre>')
    assert sanitize.clean(html) == html


def test_images_of_the_site_itself_are_kept_in_the_live_build():
    sanitize.site["origin"] = sanitize.origin(SITEURL + "/es")
    try:
        kept = f'<img alt="x" src="{SITEURL}/images/dot.svg">'
        assert sanitize.clean(kept) == kept
        assert "src" not in sanitize.clean(f'<img alt="x" src="{SITEURL}.evil.example/a.svg">')
        assert "src" not in sanitize.clean(f'<img alt="x" src="{SITEURL}@evil.example/a.svg">')
    finally:
        sanitize.site["origin"] = ""


# Whole builds with the checks switched off: the output layer alone -------------------

def live_settings(folder, output):
    """The live site's settings without the content checks (and Pagefind unless asked)."""
    return read_settings(str(ROOT / "publishconf.py"), override={
        "PATH": str(folder), "OUTPUT_PATH": str(output), "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False, "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        "PLUGINS": [p for p in read_settings(str(ROOT / "publishconf.py"))["PLUGINS"]
                    if p not in ("content_checks", "pagefind_index",
                                 "pelican.plugins.precompress", "hosting_headers")],
    })


def build_unchecked(tmp_path, files, with_search=False):
    content = tmp_path / "content"
    shutil.rmtree(content, ignore_errors=True)
    write(content, {name: text for name, text in {**BASE, **files}.items() if text is not None})
    output = tmp_path / "output"
    shutil.rmtree(output, ignore_errors=True)
    settings = live_settings(content, output)
    if with_search:
        settings["PLUGINS"] = settings["PLUGINS"] + ["pagefind_index"]
    site = dict(sanitize.site)
    try:
        Pelican(settings).run()
    finally:
        sanitize.site.update(site)  # the live site's origin stays with this build
    return output


def site_problems(output, feeds=True):
    found = {}
    for page in sorted(output.rglob("*.html")):
        problems = problems_in_page(page.read_bytes(), SITEURL)
        if problems:
            found[page.relative_to(output).as_posix()] = problems
    for feed in output.rglob("*.xml") if feeds else ():
        if feed.name != "sitemap.xml":
            problems = problems_in_feed(feed.read_bytes(), SITEURL)
            if problems:
                found[feed.name] = problems
    return found


HOSTILE_PAGE = """Title: <script>alert(1)</script> &lt;b&gt;" onmouseover="alert(1)
Slug: hostile
Summary: &lt;img src=x onerror=alert(1)&gt; &lt;meta http-equiv="refresh" content="0;url=https://evil.example/"&gt; </script><script>alert(1)</script>
Type: practice

Hello <x-y onfocus=alert(1) tabindex=1>x</x-y> <a href='javascript:alert(1)'>x</a>

```
<script>alert(1)</script><img src=x onerror=alert(1)>
```

![x](https://evil.example/x.png) [y](javascript:alert(1)) [z](data:text/html,x)

<svg onload=alert(1)></svg> <iframe src="https://evil.example/"></iframe>
"""
HOSTILE_GUIDE = edit(edit(ARTICLE, "Summary: A short", "Summary: &lt;img src=x onerror=alert(1)&gt; short"),
                     "Tags: recovery", 'Tags: recovery, <b onmouseover="alert(1)">x</b>')


def test_hostile_content_without_the_checks_builds_a_safe_site(tmp_path):
    output = build_unchecked(tmp_path, {"pages/hostile.md": HOSTILE_PAGE,
                                        "articles/a-guide.md": HOSTILE_GUIDE}, with_search=True)
    page = (output / "hostile" / "index.html").read_text(encoding="utf-8")
    assert "Hello" in page and "evil.example/x.png" not in page
    assert site_problems(output) == {}
    assert len(list(output.rglob("*.html"))) >= 8
    # Plain text in the search index too: the summary's words, never live markup.
    records = fragments(output)
    assert records and all("onerror" not in str(r.get("meta")) or "<img" not in str(r.get("meta"))
                           for r in records.values())


def test_the_live_build_publishes_no_draft_anywhere(tmp_path):
    draft = edit(ARTICLE, "Type:", "Status: draft\nType:").replace("A guide", "A draft")
    hidden = edit(PAGE, "Type:", "Status: hidden\nType:").replace("a-page", "a-hidden-page")
    output = build_unchecked(tmp_path, {"articles/a-draft.md": draft,
                                        "pages/a-hidden-page.md": hidden}, with_search=True)
    assert not (output / "drafts").exists()
    everything = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                           for p in output.rglob("*") if p.is_file() and "pagefind" not in p.parts)
    assert "a-draft" not in everything and "A draft" not in everything
    assert (output / "a-hidden-page" / "index.html").exists()  # hidden: there, but not listed
    assert "a-hidden-page" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    urls = set(fragments(output))
    assert "/articles/a-guide/" in urls
    assert not any("draft" in url or "hidden" in url for url in urls)


# Whole builds with the checks: what they read is what the built page shows ------------

def build_checked(tmp_path, files):
    """Build BASE changed by files with the project's build command (checks on)."""
    write(tmp_path / "content", {**BASE, **files})
    return run_build(tmp_path / "output", content=tmp_path / "content")


def test_yes_no_fields_and_links_to_lists_are_read_as_pelican_makes_them(tmp_path):
    links = ("[Tag]({tag}recovery) [Topic]({category}Treatment) [Guides]({index})"
             " [Question](|filename|/faq/a-question.md)")
    result = build_checked(tmp_path, {
        "articles/a-guide.md": edit(ARTICLE, "Type:", "Checklist: no\nVideo: No\nType:"),
        "pages/a-page.md": PAGE + f"\n{links}\n"})
    assert result.returncode == 0, result.stderr
    output = tmp_path / "output"
    guide = (output / "articles" / "a-guide" / "index.html").read_text(encoding="utf-8")
    assert "app-checklist" not in guide and "app-video" not in guide
    page = (output / "a-page" / "index.html").read_text(encoding="utf-8")
    for href in ("../tags/recovery/", "../topics/treatment/", "../articles/index.html",
                 "../faq/a-question/"):
        assert f'href="{href}"' in page
    assert (output / "tags" / "recovery" / "index.html").is_file()


def test_links_markdown_reads_otherwise_are_refused_by_name(tmp_path):
    result = build_checked(tmp_path, {"pages/a-page.md": PAGE + (
        "\n[Over two lines](\njavascript:alert(1)) [Coded](&#106;avascript:alert(1))"
        " [No tag]({tag}nope) [No topic]({category}Recovery)\n")})
    problems = [line for line in result.stderr.splitlines() if line.startswith("PROBLEM")]
    lost = ("lost its address: it was not a web address (https://, tel:, mailto:) nor a file"
            " of this site. Write it as `[text](https://...)`, or link to a page with `{filename}`.")
    assert problems == [
        f"PROBLEM  content/pages/a-page.md:8: the link `[Over two lines]` {lost}",
        f"PROBLEM  content/pages/a-page.md:9: the link `[Coded]` {lost}",
        "PROBLEM  content/pages/a-page.md:9: the link `{tag}nope` leads to a page that does not"
        " exist: no guide has the tag `nope`. Check its spelling in the guides' `Tags`.",
        "PROBLEM  content/pages/a-page.md:9: the link `{category}Recovery` leads to a page that"
        " does not exist: no guide has `Category: Recovery`. Use one of: Conditions, Treatment,"
        " Your procedure."], result.stderr


# Hostile input of every shape: the property -------------------------------------------

TOKENS = ["<", ">", '"', "'", "&", "&lt;", "&gt;", "&#60;", "&#x3C;", "&amp;", "`", "```", "~~~",
          "script", "img", "svg", "meta", "iframe", "style", "x-y", "a", "/", "=", " ", ":",
          "onerror=", "onload=", "href=", "src=", "http-equiv=refresh", "javascript:",
          "data:", "JaVaScRiPt:", "alert(1)", "[", "]", "(", ")", "!", "{filename}", "#",
          "<!--", "-->", "\\", "*", "_", "-", "|"]
BODY_TOKENS = TOKENS + ["\n", "\n\n", "    ", "> ", "- ", "1. ", "[x](javascript:alert(1))",
                        "![x](https://evil.example/x.png)", "<a href='javascript:1'>"]
# Every character str.splitlines() breaks at, NUL and the other C0 controls, the
# invisible direction and zero-width characters (SPLIT_AT, INVISIBLE), and the lines
# that would place a page or keep it back (PLACING): in the fields and in the text.
HIDDEN = SPLIT_AT + INVISIBLE + PLACING
line = st.one_of(
    st.lists(st.one_of(st.sampled_from(TOKENS), st.sampled_from(HIDDEN)), max_size=25),
    st.lists(st.sampled_from(SPLIT_AT[3:] + PLACING + [" ", "a"]), max_size=6),  # else valid
).map("".join)
body = st.lists(st.one_of(st.sampled_from(BODY_TOKENS), st.sampled_from(HIDDEN)),
                max_size=60).map("".join)
BASE_PAGES = []  # the HTML files of BASE's live build, made once


def html_files(output):
    return {p.relative_to(output).as_posix() for p in output.rglob("*.html")}


@settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "60")), deadline=None,
          derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.generate])  # no shrinking: each example is a build
@given(title=line, summary=line, tag=line, text=body)
@example(title="a\vStatus: draft", summary="", tag="", text="")  # Word's Shift+Enter
@example(title="", summary="\u2028Status: hidden", tag="", text="")
@example(title="", summary="", tag="x\x85Save_as: es/index.html", text="\f\fSave_as: robots.txt")
def test_no_hostile_input_makes_an_unsafe_page(tmp_path, title, summary, tag, text):
    if not BASE_PAGES:
        BASE_PAGES.append(html_files(build_unchecked(tmp_path, {})))
    # Each field stays on its line ("\n" and "\r" end a line for Pelican and the checks
    # alike); every other character is left in it.
    one_line = {k: v.replace("\r", " ").replace("\n", " ") for k, v in
                {"title": title, "summary": summary, "tag": tag}.items()}
    guide = (f"Title: T {one_line['title']}\nSlug: a-guide\nDate: 2026-01-05\nCategory: Treatment\n"
             f"Tags: t{one_line['tag'].replace(',', ' ')}\nSummary: S {one_line['summary']} and"
             " enough words to pass the check of a summary's length.\n"
             f"Reviewed: 2026-01-05\nType: article\n\n{text}\n\n## When to call us\n\nCall.\n")
    question = edit(QUESTION, "The answer.", text or "x")
    files = {"articles/a-guide.md": guide, "faq/a-question.md": question}
    # A control character in the guide makes its Atom feed XML that does not parse, or
    # stops Pelican's feed writer: the checks refuse those characters by name.
    controls = any(content_checks.character_name(c) for c in guide)
    try:
        output = build_unchecked(tmp_path, files)
    except UnserializableContentError:
        assert controls and run_checks(tmp_path / "content", production=True)
        return
    assert site_problems(output, feeds=not controls) == {}
    # No page moved, none kept back as a draft, none added: the guide and the question
    # where their Slugs put them, and only the pages BASE has, and the guide's tags.
    assert (output / "articles" / "a-guide" / "index.html").exists()
    assert (output / "faq" / "a-question" / "index.html").exists()
    assert not (output / "drafts").exists()
    assert {p for p in html_files(output) - BASE_PAGES[0] if not p.startswith("tags/")} == set()
    # And the checks, where they let the files through, read the same Status and address.
    if not run_checks(tmp_path / "content", production=True):
        source = content_checks.state.sources["articles/a-guide.md"]
        assert content_checks.address_of(content_checks.state, source) == "articles/a-guide/index.html"
        assert "status" not in source.fields and "save_as" not in source.fields
