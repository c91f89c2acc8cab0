"""Bad input: each editor mistake stops the build with one clear line, and loses nothing.

Every case below breaks a fresh copy of the real content in one way and returns
the exact line the build must print for it. The content checks must find that
problem and no other: for the mistakes they find in the files themselves, the
checks run on the copy without a build (tests/helpers.py run_checks). The
mistakes found only once Pelican has read or written the pages, and one of the
others for each way the build stops, are built: the build must print that line
and no other problem, exit non-zero, leave the site built before it byte-for-byte
unchanged, and leave no half-built folder behind.
"""

import datetime
import shutil

import pytest

import content_checks
from helpers import SETTINGS, metadata, run_build, run_checks, snapshot
from new_content import read_fields

# Helpers: pick a file, name it as the build does, and change one thing in it.


def pick(content, folder, number=0):
    """The first (or second...) Markdown file of a content folder."""
    return sorted((content / folder).glob("*.md"))[number]


def shown(path):
    """The name the build gives a file: content/articles/x.md."""
    return f"content/{path.relative_to(path.parents[1]).as_posix()}"


def set_field(path, name, value):
    """Give a metadata field a new value (None removes the line); return its line number."""
    lines = path.read_text(encoding="utf-8").split("\n")
    number = read_fields(path)[name.lower()][0] - 1
    assert lines[number].startswith(f"{name}:"), lines[number]
    if value is None:
        del lines[number]
    else:
        lines[number] = f"{name}: {value}".rstrip()
    path.write_text("\n".join(lines), encoding="utf-8")
    return number + 1


def field(path, name):
    """The value of a metadata field."""
    return metadata(path)[name.lower()]


def append(path, text):
    """Add a paragraph at the end of the text; return its line number."""
    old = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(f"{old}\n\n{text}\n", encoding="utf-8")
    return old.count("\n") + 3


# The mistakes. Each breaks the content and returns the line the build must print.


def field_mistake(name, folder, field_name, value, message):
    """A mistake in one field of the first file of folder (or of the file folder/x.md):
    set to value, or removed (None). message follows the file's name, and the line's
    number when the line is still there, in what the build prints."""
    def mistake(content, today):
        path = content / folder if folder.endswith(".md") else pick(content, folder)
        line = set_field(path, field_name, value)
        return f"{shown(path)}{'' if value is None else f':{line}'}: {message}"

    mistake.__name__ = name
    return mistake


missing_title = field_mistake(
    "missing_title", "articles", "Title", None,
    "`Title` is missing. Add a line `Title: ...` to the metadata block at the top, with the"
    " page's heading.")
missing_date = field_mistake(
    "missing_date", "articles", "Date", None,
    "`Date` is missing. Add a line `Date: ...` to the metadata block at the top, with the date"
    " the article was first published, as YYYY-MM-DD.")
missing_reviewed = field_mistake(
    "missing_reviewed", "faq", "Reviewed", None,
    "`Reviewed` is missing. Add a line `Reviewed: ...` to the metadata block at the top, with"
    " the date the page was last checked against its sources, as YYYY-MM-DD.")
empty_summary = field_mistake(
    "empty_summary", "faq", "Summary", "",
    "`Summary` is empty. Write one sentence of 50 to 160 characters after `Summary:`.")
reviewed_not_a_date = field_mistake(
    "reviewed_not_a_date", "articles", "Reviewed", "2026-02-30",
    "`Reviewed: 2026-02-30` is not a real date. Write it as YYYY-MM-DD, for example"
    " `Reviewed: 2026-03-15`.")
reviewed_in_words = field_mistake(
    "reviewed_in_words", "faq", "Reviewed", "March 2026",
    "`Reviewed: March 2026` is not a real date. Write it as YYYY-MM-DD, for example"
    " `Reviewed: 2026-03-15`.")
summary_too_short = field_mistake(
    "summary_too_short", "articles", "Summary", "Back pain.",
    "the Summary is 10 characters long; it must be 50 to 160 (search engines show it under"
    " the title). Make it longer.")
summary_too_long = field_mistake(
    "summary_too_long", "faq", "Summary", "A very long summary. " * 8,
    "the Summary is 167 characters long; it must be 50 to 160 (search engines show it under"
    " the title). Make it shorter.")
unknown_type = field_mistake(
    "unknown_type", "pages/about.md", "Type", "about",
    "unknown `Type: about`. Use one of: "  # the types the settings define for content files
    + ", ".join(t for t in SETTINGS["PAGE_TYPES"] if t not in content_checks.THEME_TYPES) + ".")
type_in_wrong_folder = field_mistake(
    "type_in_wrong_folder", "faq", "Type", "article",
    "a file in content/faq/ must have `Type: faq`. Change the Type, or move the file to the"
    " right folder.")
unknown_category = field_mistake(
    "unknown_category", "articles", "Category", "Recovery",
    "unknown `Category: Recovery`. Use one of: Conditions, Treatment, Your procedure.")


def misspelt_field(content, today):
    article = pick(content, "articles")
    line = set_field(article, "Tags", None)
    lines = article.read_text(encoding="utf-8").split("\n")
    lines.insert(line - 1, "Tgas: spine, recovery")
    article.write_text("\n".join(lines), encoding="utf-8")
    return f"{shown(article)}:{line}: unknown field `Tgas`. Did you mean `Tags`?"


def reviewed_in_the_future(content, today):
    article = pick(content, "articles")
    later = today + datetime.timedelta(days=30)
    line = set_field(article, "Reviewed", later.isoformat())
    return (f"{shown(article)}:{line}: `Reviewed: {later}` is in the future. Write the date"
            " the review took place.")


def duplicate_slug(content, today):
    first, second = pick(content, "articles", 0), pick(content, "articles", 1)
    slug = field(first, "Slug")
    line = set_field(second, "Slug", slug)
    return (f"{shown(second)}:{line}: the address /articles/{slug}/ is already used by"
            f" {shown(first)}. Give this page its own `Slug`.")


def duplicate_faq_anchor(content, today):
    first, second = pick(content, "faq", 0), pick(content, "faq", 1)
    slug = field(first, "Slug")
    line = set_field(second, "Slug", slug)
    return (f"{shown(second)}:{line}: `Slug: {slug}` is already used by {shown(first)}. Each"
            f" question needs its own Slug: it is its address (/faq/{slug}/) and its anchor on"
            f" the questions page (/faq/#{slug}).")


def link_to_missing_file(content, today):
    article = pick(content, "articles")
    line = append(article, "Read [about sleep]({filename}/articles/no-such-guide.md).")
    return (f"{shown(article)}:{line}: the link `{{filename}}/articles/no-such-guide.md` points"
            " to a file that does not exist. Check the file name, or remove the link.")


def link_to_misspelt_file(content, today):
    question = pick(content, "faq")
    target = pick(content, "faq", 1).relative_to(content).as_posix()
    typo = target.replace(".md", "x.md")
    line = append(question, f"See [this answer]({{filename}}/{typo}).")
    return (f"{shown(question)}:{line}: the link `{{filename}}/{typo}` points to a file that"
            f" does not exist. Did you mean `{{filename}}/{target}`?")


def link_to_missing_page(content, today):
    article = pick(content, "articles")
    line = append(article, "See [the answer](/faq/nope/).")
    return (f"{shown(article)}:{line}: the link `/faq/nope/` leads to a page that does not"
            " exist. Link to the page's file instead, like"
            " `[Does it hurt?]({filename}/faq/does-it-hurt.md)`.")


def link_to_markdown_file(content, today):
    article = pick(content, "articles")
    target = pick(content, "faq").relative_to(content).as_posix()
    line = append(article, f"See [the answer](/{target}).")
    return (f"{shown(article)}:{line}: the link `/{target}` leads to a page that does not"
            f" exist. To link to a page by its file, write `{{filename}}/{target}`.")


def link_to_missing_anchor(content, today):
    article = pick(content, "articles")
    sources = (content / "pages" / "references.md").read_text(encoding="utf-8")
    anchor = sources.split("{#", 1)[1].split("}", 1)[0]
    link = f"{{filename}}/pages/references.md#{anchor}x"
    line = append(article, f"A study says so ([source]({link})).")
    return (f"{shown(article)}:{line}: the link `{link}` points to `#{anchor}x`, which is not"
            f" on that page. Did you mean `#{anchor}`?")


def link_to_a_draft_by_its_address(content, today):
    """The draft's preview is built (drafts/), but the live site has no such page."""
    article, draft = pick(content, "articles"), content / "articles" / "a-new-guide.md"
    draft.write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    set_field(draft, "Slug", "a-new-guide")
    lines = draft.read_text(encoding="utf-8").split("\n")
    draft.write_text("\n".join(["Status: draft"] + lines), encoding="utf-8")
    line = append(article, "Read [the new guide](/drafts/a-new-guide.html).")
    return (f"{shown(article)}:{line}: the link `/drafts/a-new-guide.html` leads to {shown(draft)},"
            " which has `Status: draft`: visitors of this page cannot reach it. Remove the"
            " link, or publish that page first.")


def image_without_description(content, today):
    article = pick(content, "articles")
    image = sorted((content / "images").iterdir())[0].name
    line = append(article, f"![]({{static}}/images/{image})")
    return (f"{shown(article)}:{line}: this image has no description, which people using"
            " screen readers need. Describe it between the brackets:"
            f" `![What the picture shows]({{static}}/images/{image})`.")


def script_in_text(content, today):
    question = pick(content, "faq")
    line = append(question, "<script>alert('hello')</script>")
    return (f"{shown(question)}:{line}: `<script>` is not allowed in content: pages must not"
            " carry their own code. Remove it; ask the web team if the page needs something"
            " special.")


def html_in_text(content, today):
    article = pick(content, "articles")
    line = append(article, "Call us <b>today</b>.")
    return (f"{shown(article)}:{line}: HTML such as `<b>` is not allowed in content. For bold"
            " text, write `**words**`.")


def missing_colon(content, today):
    article = pick(content, "articles")
    line = set_field(article, "Summary", None)
    lines = article.read_text(encoding="utf-8").split("\n")
    lines.insert(line - 1, "Summary What a spine fracture is")
    article.write_text("\n".join(lines), encoding="utf-8")
    return (f"{shown(article)}:{line}: `Summary What a spine fracture is` is not a"
            " `Field: value` line. Put a colon after the field's name: `Summary: ...`.")


def no_metadata_block(content, today):
    question = pick(content, "faq")
    text = question.read_text(encoding="utf-8")
    question.write_text(text.split("\n\n", 1)[1], encoding="utf-8")
    return (f"{shown(question)}:1: the file must start with its metadata block (lines like"
            " `Title: ...`). Add it at the top, then one empty line, then the text.")


def not_utf8(content, today):
    article = pick(content, "articles")
    line = append(article, "A cafe")
    article.write_bytes(article.read_bytes().replace(b"A cafe", b"A caf\xe9"))
    return (f"{shown(article)}:{line}: this line has a character that is not UTF-8 (byte 0xe9)."
            " Save the file again with the encoding set to UTF-8 in your editor.")


def duplicate_faq_order(content, today):
    first, second = pick(content, "faq", 0), pick(content, "faq", 1)
    order = field(first, "Order")
    line = set_field(second, "Order", order)
    return (f"{shown(second)}:{line}: `Order: {order}` is also the place of {shown(first)}."
            " Give each question its own number.")


def utf16_file(content, today):
    question = pick(content, "faq")
    question.write_bytes(question.read_text(encoding="utf-8").encode("utf-16-le"))
    return (f"{shown(question)}: the file is not saved as UTF-8 (it looks like UTF-16). Save"
            " the file again with the encoding set to UTF-8 in your editor.")


def script_link(content, today):
    article = pick(content, "articles")
    line = append(article, "[Click here](javascript:alert(1))")
    return (f"{shown(article)}:{line}: the link `javascript:alert(1)` is not a web address."
            " Links must start with `https://`, `tel:` or `mailto:`, or point to a page of"
            " the site.")


def empty_file(content, today):
    question = pick(content, "faq")
    question.write_text("", encoding="utf-8")
    return (f"{shown(question)}: the file is empty. Start again with `make newarticle` or"
            " `make newfaq`, or delete the file.")


def huge_file(content, today):
    article = pick(content, "articles")
    article.write_bytes(article.read_bytes().ljust(1_500_000, b"x"))
    return (f"{shown(article)}: the file is 1.5 MB; a page must be under 1 MB. Remove pasted"
            " material or split it into several pages.")


def not_markdown(content, today):
    notes = content / "articles" / "notes.txt"
    notes.write_text("to do\n", encoding="utf-8")
    return (f"{shown(notes)}: only Markdown files (ending in .md) belong in this folder."
            " Rename the file, or move it out of the content folder.")


def missing_section(content, today):
    article = pick(content, "articles")
    text = article.read_text(encoding="utf-8")
    assert "## When to call us" in text
    article.write_text(text.replace("## When to call us", "## Questions?"), encoding="utf-8")
    return (f"{shown(article)}: every page of type `article` needs a \"When to call us\""
            " section, which this one lacks. See README, Writing content.")


# Found in the content files, before Pelican reads them: checked without a build.
FOUND_IN_THE_FILES = [
    missing_title, missing_date, missing_reviewed, empty_summary, misspelt_field,
    reviewed_not_a_date, reviewed_in_words, reviewed_in_the_future,
    summary_too_short, summary_too_long, unknown_type, type_in_wrong_folder, unknown_category,
    duplicate_slug, duplicate_faq_anchor,
    link_to_missing_file, link_to_misspelt_file,
    image_without_description, script_in_text, html_in_text, script_link,
    missing_colon, no_metadata_block, not_utf8, utf16_file, empty_file, huge_file, not_markdown,
]
# Found only once Pelican has read the pages, or written them: only a build shows them.
FOUND_IN_THE_BUILD = [
    duplicate_faq_order,  # the pages as read
    link_to_missing_page, link_to_markdown_file, link_to_missing_anchor, missing_section,  # as written
    link_to_a_draft_by_its_address,
]
# The files' step of the build, end to end: a metadata mistake, a file that cannot be read.
BUILT_TOO = [missing_title, not_utf8]


@pytest.mark.parametrize("mistake", FOUND_IN_THE_FILES, ids=lambda m: m.__name__)
def test_the_checks_find_the_mistake_in_the_files(mistake, content_copy, today):
    expected = mistake(content_copy, today)

    assert run_checks(content_copy) == [expected]


@pytest.fixture(scope="module")
def good_build(site):
    """The real content, built (the session's site): (output folder, its files)."""
    return site.output, snapshot(site.output)


@pytest.mark.parametrize("mistake", FOUND_IN_THE_BUILD + BUILT_TOO, ids=lambda m: m.__name__)
def test_mistake_stops_the_build_with_one_clear_line(mistake, good_build, content_copy, tmp_path,
                                                     today):
    good_output, good_files = good_build
    output = tmp_path / "output"
    shutil.copytree(good_output, output)
    expected = mistake(content_copy, today)

    result = run_build(output, content=content_copy)

    problems = [line for line in result.stderr.splitlines() if line.startswith("PROBLEM")]
    assert problems == [f"PROBLEM  {expected}"], result.stderr
    assert result.returncode == 1
    assert result.stderr.rstrip().endswith(
        f"Build stopped: 1 problem (listed above). The site in {output}/ was not changed."
    )
    assert snapshot(output) == good_files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "output"]


def test_the_build_mistakes_pass_the_checks_of_the_files(content_copy, today):
    """They are the build's to find: the files' checks see nothing wrong with them."""
    for mistake in FOUND_IN_THE_BUILD:
        mistake(content_copy, today)
    assert run_checks(content_copy) == []


@pytest.mark.parametrize("days, due", [(365, False), (366, True)])
def test_old_review_is_listed_and_the_build_goes_on(days, due, content_copy, tmp_path, today):
    article = pick(content_copy, "articles")
    reviewed = today - datetime.timedelta(days=days)
    line = set_field(article, "Reviewed", reviewed.isoformat())
    output = tmp_path / "output"

    result = run_build(output, content=content_copy)

    assert result.returncode == 0, result.stderr
    assert "PROBLEM" not in result.stderr
    notice = (f"  - {shown(article)}:{line}: last reviewed {reviewed}. Have it reviewed, then"
              " set `Reviewed` to that date.")
    listed = "Due for review (last reviewed more than 12 months ago):\n" + notice + "\n"
    assert (listed in result.stdout) is due, result.stdout
    page = output / "articles" / field(article, "Slug") / "index.html"
    shown_date = f"{reviewed:%B} {reviewed.day}, {reviewed.year}"
    assert f'<time datetime="{reviewed}">{shown_date}</time>' in page.read_text(encoding="utf-8")


# Dates written another way; addresses shown as plain text (issue 24) ---------------

@pytest.mark.parametrize("field_name, value, meant", [
    ("Date", "12/05/2026", "`Date: 2026-12-05` for December 5 (or `Date: 2026-05-12` for May 12)"),
    ("Reviewed", "25.11.2026", "`Reviewed: 2026-11-25`"),
])
def test_a_date_in_another_format_says_how_to_write_it(content_copy, field_name, value, meant):
    article = pick(content_copy, "articles")
    line = set_field(article, field_name, value)
    assert run_checks(content_copy) == [
        f"{shown(article)}:{line}: `{field_name}: {value}`: the date must be written YYYY-MM-DD,"
        f" so {meant}."]


def test_a_bare_web_address_is_listed_with_how_to_make_it_a_link(content_copy):
    article = pick(content_copy, "articles")
    text = article.read_text(encoding="utf-8")
    address = "https://www.bonehealthandosteoporosis.org/patients/"
    article.write_text(text + f"\nRead more at {address}. Or at <{address}>, or"
                              f" [the foundation]({address}), or `{address}`.\n",
                       encoding="utf-8")
    line = len(text.split("\n")) + 1
    assert run_checks(content_copy) == []  # a notice: the build goes on
    notices = [n for n in content_checks.state.notices if n[3] == content_checks.BARE_ADDRESSES]
    assert notices == [(
        article.relative_to(content_copy).as_posix(), line,
        f"`{address}` is shown as plain text, not as a link. Write it as `<{address}>`, or as"
        f" `[words that say where it goes]({address})`.", content_checks.BARE_ADDRESSES)]
