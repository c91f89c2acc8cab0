"""content_checks: stop the build on editor mistakes, with a one-line fix for each.

Every problem is logged as an error of the form

    content/faq/x.md:12: what is wrong. How to fix it.

(the line is left out where there is none). The build wrapper (tools/build.py)
then throws the new build away and keeps the site it had.

The checks run in three steps, each stopping the build when it found problems:

1. `initialized`, before Pelican reads anything: every content file is read
   once, raw. File size, emptiness, encoding, the metadata block and every field
   in it, raw HTML, images without a description and `{filename}` links; for
   the live site (PRODUCTION), text still to be written from the templates.
2. `all_generators_finalized`, after reading: two pages with the same address.
3. `finalized`, on the built pages: the sections each page type needs, plain
   links such as `/faq/x/`, and `#anchors`.

A medical page whose last review is more than REVIEW_DUE_DAYS old is logged as
a notice: the build goes on and lists it at the end.
"""

import datetime
import difflib
import html
import logging
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
from lxml.cssselect import CSSSelector
from pelican import signals
from unidecode import unidecode

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000
PLACEHOLDER = "REPLACE:"  # marks what the editor still has to write (tools/templates/)
KNOWN_FIELDS = {
    "title", "date", "modified", "category", "tags", "slug", "summary",
    "reviewed", "type", "order", "template", "save_as", "url", "status",
    "video", "checklist", "lang",
}  # fmt: skip
# Fields some page types need on top of REQUIRED_METADATA and MEDICAL_METADATA.
TYPE_FIELDS = {"article": ["date", "category", "tags"], "faq": ["order", "slug"]}
# Folders whose files must all have one type; any other folder holds pages.
FOLDER_TYPES = {"articles": "article", "faq": "faq"}
THEME_TYPES = {"listing"}  # made by the theme, never written by editors
STATUSES = {"published", "hidden", "draft"}
LINK_SCHEMES = {"https", "http", "mailto", "tel"}  # never javascript: or data:

# The metadata block, as Python-Markdown's `meta` extension reads it.
FIELD_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
MORE_LINE = re.compile(r"^[ ]{4,}(.*)$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

CODE_SPAN = re.compile(r"`+[^`]*`+")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)|<!--")
IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]([^)\]\s]*)")
SOURCE_LINK = re.compile(r"\{(filename|static|attach)\}([^\s)\]\"'>]+)")
# Attributes as Python-Markdown and the theme write them. A literal start keeps
# these fast (a leading \b would make them ten times slower).
HREF = re.compile(r'href="([^"]*)"')
SRC = re.compile(r'src="([^"]*)"')
ID = re.compile(r' id="([^"]*)"')

# What to write instead of an HTML tag.
BOLD = "For bold text, write `**words**`."
ITALICS = "For slanted text, write `*words*`."
NEW_PARAGRAPH = "To start a new paragraph, leave an empty line."
LIST = "For a list, start each line with `- `."
MARKDOWN_FOR = {
    "a": "For a link, write `[text](address)`.",
    "b": BOLD, "strong": BOLD, "i": ITALICS, "em": ITALICS,
    "br": NEW_PARAGRAPH, "p": NEW_PARAGRAPH,
    "img": "For an image, write `![What it shows]({static}/images/file.svg)`.",
    "h2": "For a heading, write `## Heading`.", "h3": "For a heading, write `### Heading`.",
    "ul": LIST, "li": LIST, "ol": "For a numbered list, start each line with `1. `.",
}  # fmt: skip


class ContentError(Exception):
    """Raised once the problems it counts have all been logged."""

    already_reported = True


@dataclass
class Source:
    """One content file as the editor wrote it."""

    name: str  # relative to the content folder, with /: faq/x.md
    lines: list
    fields: dict = field(default_factory=dict)  # name -> (line number, value)
    body_start: int = 0  # index in lines of the first line of the text
    page_type: str = ""
    content: object = None  # Pelican's article or page, once read
    save_as: str = ""  # where Pelican writes it, in the output folder


class State:
    """One build's settings, the files read and the problems found so far."""

    def __init__(self, settings):
        self.settings = settings
        self.root = Path(settings["PATH"])
        self.today = today_at_the_practice(settings)
        self.sources = {}  # name -> Source
        self.files = set()  # every file in the content folder, relative, with /
        self.ids = {}  # built page -> the ids on it
        self.problem_count = 0
        self.selectors = {
            page_type: [(what, CSSSelector(css), least) for what, css, least in rule["sections"]]
            for page_type, rule in settings["PAGE_TYPES"].items()
        }

    def show(self, name):
        """A file's name as the editor sees it: content/faq/x.md."""
        return f"{self.root.name}/{name}"

    def problem(self, name, line, message):
        self.problem_count += 1
        log.error("%s: %s", self.show(name) + (f":{line}" if line else ""), message)

    def notice(self, name, line, message):
        log.info("%s:%s: %s", self.show(name), line, message, extra={"notice": True})

    def stop_if_problems(self, step):
        if self.problem_count:
            raise ContentError(f"{self.problem_count} content problem(s) found {step}")


state = None


def make_slug(text):
    """A page address from a title: 'Does it hurt?' -> 'does-it-hurt'."""
    return re.sub(r"[^a-z0-9]+", "-", unidecode(text).lower()).strip("-")


def today_at_the_practice(settings):
    """Today's date where the practice is (TIMEZONE), not where the build runs."""
    return datetime.datetime.now(ZoneInfo(settings["TIMEZONE"])).date()


def line_of(source, needle):
    """The first line of the text that contains needle, or None."""
    for number in range(source.body_start, len(source.lines)):
        if needle in source.lines[number]:
            return number + 1
    return None


def resolve(source_name, target):
    """The content file a {filename} or {static} link points to, relative, with /."""
    target = unquote(target.split("#")[0].split("?")[0])
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_name), target))


# 1. Before Pelican reads anything: each content file, raw ----------------------


def read_source(path, name):
    """The file as a Source, or None (with a problem logged) if it cannot be read."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        state.problem(
            name, None,
            f"the file is {size / 1_000_000:.1f} MB; a page must be under"
            f" {MAX_FILE_BYTES // 1_000_000} MB. Remove pasted material or split it"
            " into several pages.",
        )  # fmt: skip
        return None
    data = path.read_bytes()
    if not data.strip():
        state.problem(
            name, None,
            "the file is empty. Start again with `make newarticle` or `make newfaq`,"
            " or delete the file.",
        )  # fmt: skip
        return None
    if b"\x00" in data:  # UTF-16 without a byte-order mark decodes, wrongly, as UTF-8
        state.problem(
            name, None,
            "the file is not saved as UTF-8 (it looks like UTF-16). Save the file again"
            " with the encoding set to UTF-8 in your editor.",
        )  # fmt: skip
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        state.problem(
            name, data[: error.start].count(b"\n") + 1,
            f"this line has a character that is not UTF-8 (byte 0x{data[error.start]:02x})."
            " Save the file again with the encoding set to UTF-8 in your editor.",
        )  # fmt: skip
        return None
    return Source(name, text.lstrip("\ufeff").splitlines())


def read_metadata(source):
    """Fill source.fields from the metadata block; report a broken block."""
    lines = source.lines
    if not FIELD_LINE.match(lines[0]):
        state.problem(
            source.name, 1,
            "the file must start with its metadata block (lines like `Title: ...`)."
            " Add it at the top, then one empty line, then the text.",
        )  # fmt: skip
        return False
    last = None
    for index, line in enumerate(lines):
        number = index + 1
        if not line.strip():
            source.body_start = number
            return True
        more = MORE_LINE.match(line)
        match = FIELD_LINE.match(line)
        if more and last:
            at, value = source.fields[last]
            source.fields[last] = (at, f"{value} {more.group(1).strip()}".strip())
        elif match:
            last = match.group(1).lower()
            if last in source.fields:
                state.problem(
                    source.name, number,
                    f"`{match.group(1)}` is given twice (also on line"
                    f" {source.fields[last][0]}). Keep one of the two lines.",
                )  # fmt: skip
            else:
                source.fields[last] = (number, match.group(2).strip())
        else:
            first_word = line.split()[0]
            if FIELD_LINE.match(line.strip()):
                fix = "Start the line at the left edge: remove the spaces or tab before it."
            elif first_word.lower() in KNOWN_FIELDS:
                fix = f"Put a colon after the field's name: `{first_word}: ...`."
            else:
                fix = (
                    "Leave one empty line between the metadata block and the text,"
                    " or, if this is a field, write it as `Field: value`."
                )
            quote = line.strip() if len(line.strip()) <= 40 else line.strip()[:40].rstrip() + "..."
            state.problem(source.name, number, f"`{quote}` is not a `Field: value` line. {fix}")
            return False
    source.body_start = len(lines)
    return True


def field_hint(name):
    """What belongs in a field, in words."""
    settings = state.settings
    low, high = settings["SUMMARY_LENGTH"]
    types = ", ".join(t for t in settings["PAGE_TYPES"] if t not in THEME_TYPES)
    return {
        "title": "the page's heading",
        "summary": f"one sentence of {low} to {high} characters",
        "type": f"one of: {types}",
        "reviewed": "the date of the last medical review, as YYYY-MM-DD",
        "date": "the date the article was first published, as YYYY-MM-DD",
        "category": "one of: " + ", ".join(settings["ARTICLE_CATEGORIES"]),
        "tags": "a few words separated by commas",
        "order": "the question's place in the list, a whole number",
        "slug": "the address, in lowercase words joined by hyphens",
    }.get(name, "a value")


def check_fields(source):
    """Every field known, each required field there and filled in, each value valid."""
    settings = state.settings
    fields = source.fields
    folder = source.name.split("/")[0]
    source.page_type = FOLDER_TYPES.get(folder) or fields.get("type", (0, ""))[1]
    maybe_meant = set()
    for name, (number, _value) in fields.items():
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, sorted(KNOWN_FIELDS), n=1)
            if close:
                maybe_meant.add(close[0])
                fix = f"Did you mean `{close[0].capitalize()}`?"
            else:
                known = ", ".join(sorted(f.capitalize() for f in KNOWN_FIELDS))
                fix = f"Known fields: {known}."
            written = source.lines[number - 1].split(":")[0].strip()
            state.problem(source.name, number, f"unknown field `{written}`. {fix}")

    required = list(settings["REQUIRED_METADATA"])
    if settings["PAGE_TYPES"].get(source.page_type, {}).get("medical"):
        required += settings["MEDICAL_METADATA"]
    required += TYPE_FIELDS.get(source.page_type, [])
    for name in required:
        label = name.capitalize()
        if name not in fields and name not in maybe_meant:
            state.problem(
                source.name, None,
                f"`{label}` is missing. Add a line `{label}: ...` to the metadata block"
                f" at the top, with {field_hint(name)}.",
            )  # fmt: skip
        elif name in fields and not fields[name][1]:
            state.problem(
                source.name, fields[name][0],
                f"`{label}` is empty. Write {field_hint(name)} after `{label}:`.",
            )  # fmt: skip

    for name, (number, value) in fields.items():
        check = FIELD_CHECKS.get(name)
        tag = HTML_TAG.search(value) if "<" in value else None
        message = html_message(tag) if tag else check(source, value) if check and value else None
        if message:
            state.problem(source.name, number, message)


def check_type(source, value):
    types = [t for t in state.settings["PAGE_TYPES"] if t not in THEME_TYPES]
    folder = source.name.split("/")[0]
    if value not in types:
        return f"unknown `Type: {value}`. Use one of: {', '.join(types)}."
    if folder in FOLDER_TYPES and value != FOLDER_TYPES[folder]:
        return (
            f"a file in {state.show(folder)}/ must have `Type: {FOLDER_TYPES[folder]}`."
            " Change the Type, or move the file to the right folder."
        )
    if folder not in FOLDER_TYPES and value in FOLDER_TYPES.values():
        home = next(f for f, t in FOLDER_TYPES.items() if t == value)
        return f"a page with `Type: {value}` belongs in {state.show(home)}/. Move the file there."
    return None


def check_category(source, value):
    categories = state.settings["ARTICLE_CATEGORIES"]
    if source.page_type == "article" and value not in categories:
        return f"unknown `Category: {value}`. Use one of: {', '.join(categories)}."
    return None


def check_summary(source, value):
    low, high = state.settings["SUMMARY_LENGTH"]
    if not low <= len(value) <= high:
        return (
            f"the Summary is {len(value)} characters long; it must be {low} to {high}"
            f" (search engines show it under the title). Make it"
            f" {'longer' if len(value) < low else 'shorter'}."
        )
    return None


def check_reviewed(source, value):
    day = read_date(value)
    if day is None:
        return (
            f"`Reviewed: {value}` is not a real date. Write it as YYYY-MM-DD,"
            " for example `Reviewed: 2026-03-15`."
        )
    if day > state.today:
        return f"`Reviewed: {value}` is in the future. Write the date the review took place."
    due_days = state.settings["REVIEW_DUE_DAYS"]
    medical = state.settings["PAGE_TYPES"].get(source.page_type, {}).get("medical")
    if medical and (state.today - day).days > due_days:
        state.notice(
            source.name, source.fields["reviewed"][0],
            f"last reviewed {value}. Have it reviewed, then set `Reviewed` to that date.",
        )  # fmt: skip
    return None


def check_date(source, value):
    try:
        datetime.datetime.fromisoformat(value)
    except ValueError:
        return (
            f"`Date: {value}` is not a real date. Write it as YYYY-MM-DD,"
            " for example `Date: 2026-03-15`."
        )
    return None


def check_order(source, value):
    if not value.isdigit():
        return f"`Order: {value}` must be a whole number, like `Order: 3`."
    return None


def check_slug(source, value):
    if not SLUG.match(value):
        return (
            f"`Slug: {value}` cannot be used in an address. Use lowercase letters, digits"
            f" and hyphens, like `Slug: {make_slug(value) or 'my-page'}`."
        )
    return None


def check_status(source, value):
    if value not in STATUSES:
        return f"unknown `Status: {value}`. Use one of: {', '.join(sorted(STATUSES))}."
    return None


def read_date(value):
    """A YYYY-MM-DD date, or None if it is not one."""
    if not ISO_DATE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


FIELD_CHECKS = {
    "type": check_type,
    "category": check_category,
    "summary": check_summary,
    "reviewed": check_reviewed,
    "date": check_date,
    "order": check_order,
    "slug": check_slug,
    "status": check_status,
}


def check_text(source):
    """Raw HTML, images without a description and {filename} links, line by line."""
    in_code = False
    for index in range(source.body_start, len(source.lines)):
        line = source.lines[index]
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code or not ("<" in line or "![" in line or "}" in line):
            continue  # most lines: nothing to check
        line = CODE_SPAN.sub("", line)
        number = index + 1
        tag = HTML_TAG.search(line)
        if tag:
            state.problem(source.name, number, html_message(tag))
        for alt, target in IMAGE.findall(line):
            if not alt.strip():
                state.problem(
                    source.name, number,
                    "this image has no description, which people using screen readers need."
                    f" Describe it between the brackets: `![What the picture shows]({target})`.",
                )  # fmt: skip
        for kind, target in SOURCE_LINK.findall(line):
            check_source_link(source, number, f"{{{kind}}}{target}")


def html_message(tag):
    if tag.group(0) == "<!--":
        return (
            "HTML comments (`<!-- ... -->`) are not allowed in content: they are"
            " published with the page. Remove the comment."
        )
    name = tag.group(2).lower()
    written = f"<{tag.group(1)}{name}>"
    if name in ("script", "iframe", "object", "embed", "style", "form"):
        return (
            f"`{written}` is not allowed in content: pages must not carry their own code."
            " Remove it; ask the web team if the page needs something special."
        )
    instead = MARKDOWN_FOR.get(name, "Write Markdown instead (see README, Writing content).")
    return f"HTML such as `{written}` is not allowed in content. {instead}"


def check_source_link(source, number, link):
    target = resolve(source.name, link.split("}", 1)[1])
    if target in state.files:
        return
    close = difflib.get_close_matches(target, sorted(state.files), n=1, cutoff=0.8)
    kind = link.split("}")[0] + "}"
    if close:
        fix = f"Did you mean `{kind}/{close[0]}`?"
    else:
        fix = "Check the file name, or remove the link."
    state.problem(
        source.name, number, f"the link `{link}` points to a file that does not exist. {fix}"
    )


def check_placeholders(source):
    """Before publishing: no template text left to write."""
    numbers = [n for n, line in enumerate(source.lines, 1) if PLACEHOLDER in line]
    if numbers:
        more = f" (and {len(numbers) - 1} more lines)" if len(numbers) > 1 else ""
        state.problem(
            source.name, numbers[0],
            f"this line{more} still has the template's `{PLACEHOLDER}` text. Write the"
            " real text in its place, preview it, then publish again.",
        )  # fmt: skip


def list_files(root):
    """Every file under the content folder, relative, with /, in order."""
    found = []
    for folder, _dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in files]
    return sorted(found)


def on_initialized(pelican):
    global state
    settings = pelican.settings
    state = State(settings)
    names = list_files(state.root)
    state.files = set(names)
    folders = tuple(f"{folder}/" for folder in settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"])
    for name in names:
        if not name.startswith(folders) or name.rsplit("/", 1)[-1].startswith("."):
            continue
        if not name.endswith(".md"):
            state.problem(
                name, None,
                "only Markdown files (ending in .md) belong in this folder."
                " Rename the file, or move it out of the content folder.",
            )  # fmt: skip
            continue
        source = read_source(state.root / name, name)
        if source is None:
            continue
        state.sources[name] = source
        if read_metadata(source):
            check_fields(source)
            check_text(source)
        if settings.get("PRODUCTION"):
            check_placeholders(source)
    state.stop_if_problems("in the content files")


# 2. After reading, before writing: two pages at one address -----------------------


def on_all_generators_finalized(generators):
    for generator in generators:
        for kind in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for content in getattr(generator, kind, []):
                source = state.sources.get(content.relative_source_path.replace(os.sep, "/"))
                if source is None:
                    continue  # not an editor's file
                source.content = content
                source.save_as = content.save_as  # computed by Pelican on every use
    check_duplicates()
    state.stop_if_problems("in the content")


def check_duplicates():
    """Each page has its own address; one question's Slug is also its FAQ anchor."""
    owner = {state.settings["INDEX_SAVE_AS"]: None}  # the theme's list of guides
    for source in sorted(read_sources(), key=owner_first):
        first = owner.setdefault(source.save_as, source)
        if first is source:
            continue
        slug = source.content.slug
        address = "/" + source.content.url
        if first is None:
            message = f"the address {address} is the site's list of guides. Choose another `Slug`."
        elif source.page_type == "faq":
            message = (
                f"`Slug: {slug}` is already used by {state.show(first.name)}. Each question"
                f" needs its own Slug: it is its address ({address}) and its anchor on the"
                f" questions page (/faq/#{slug})."
            )
        else:
            message = (
                f"the address {address} is already used by {state.show(first.name)}."
                " Give this page its own `Slug`."
            )
        number = source.fields.get("slug", source.fields["title"])[0]
        state.problem(source.name, number, message)
    check_faq_order()


def check_faq_order():
    """No two questions share a place in the list."""
    first = {}
    for source in sorted(read_sources(), key=owner_first):
        if source.page_type != "faq" or "order" not in source.fields:
            continue
        number, value = source.fields["order"]
        other = first.setdefault(value.strip(), source)
        if other is not source:
            state.problem(
                source.name, number,
                f"`Order: {value.strip()}` is also the place of {state.show(other.name)}."
                " Give each question its own number.",
            )  # fmt: skip


def read_sources():
    """The sources Pelican has read, as articles or pages."""
    return [source for source in state.sources.values() if source.content is not None]


def owner_first(source):
    """Sort key: of two pages at one address, the one named after its slug keeps it."""
    return (Path(source.name).stem != source.content.slug, source.name)


# 3. After writing: required sections, plain links and anchors, on the built pages --


def on_finalized(pelican):
    output = Path(pelican.settings["OUTPUT_PATH"])
    for source in read_sources():
        page = output / source.save_as
        if source.content.status == "draft" or not page.is_file():
            continue
        check_sections(source, page.read_bytes())
        check_links(source, output)
    state.stop_if_problems("in the built pages")


def check_sections(source, page_html):
    """The parts a page of its type needs (PAGE_TYPES), looked for in <main>."""
    start, end = page_html.find(b"<main"), page_html.find(b"</main>")
    tree = lxml.etree.HTML(page_html[start:end + 7] if 0 <= start < end else page_html)
    for what, selector, least in state.selectors.get(source.page_type, []):
        if len(selector(tree)) < least:
            state.problem(
                source.name, None,
                f"every page of type `{source.page_type}` needs {what}, which this one"
                " lacks. See README, Writing content.",
            )  # fmt: skip


def check_links(source, output):
    """Plain links lead to a built page; every #anchor is on the page it points to."""
    text = source.content._content
    for url in dict.fromkeys(html.unescape(u) for u in HREF.findall(text) + SRC.findall(text)):
        parts = urlsplit(url)
        if parts.scheme and parts.scheme not in LINK_SCHEMES:
            state.problem(
                source.name, line_of(source, url),
                f"the link `{url}` is not a web address. Links must start with"
                " `https://`, `tel:` or `mailto:`, or point to a page of the site.",
            )  # fmt: skip
            continue
        if parts.scheme or parts.netloc or url.startswith(("{static}", "{attach}")):
            continue
        if url.startswith("{filename}"):
            if not parts.fragment:
                continue  # checked before reading
            target = state.sources.get(resolve(source.name, url.split("}", 1)[1]))
            if target is None or not target.save_as:
                continue  # checked before reading
            page = output / target.save_as
        else:
            page = output / urljoin("/" + source.save_as, unquote(parts.path)).lstrip("/")
            if page.is_dir():
                page = page / "index.html"
            if not page.is_file():
                if parts.path.endswith(".md") and url.startswith("/"):
                    fix = f"To link to a page by its file, write `{{filename}}{url}`."
                else:
                    fix = (
                        "Link to the page's file instead, like"
                        " `[Does it hurt?]({filename}/faq/does-it-hurt.md)`."
                    )
                state.problem(
                    source.name, line_of(source, url),
                    f"the link `{url}` leads to a page that does not exist. {fix}",
                )
                continue
        if parts.fragment and parts.fragment not in ids_on(page):
            close = difflib.get_close_matches(parts.fragment, sorted(ids_on(page)), n=1)
            fix = f"Did you mean `#{close[0]}`?" if close else "Check the part after `#`."
            state.problem(
                source.name, line_of(source, url),
                f"the link `{url}` points to `#{parts.fragment}`, which is not on that page. {fix}",
            )  # fmt: skip


def ids_on(page):
    """The ids of a built page (read once per build)."""
    if page not in state.ids:
        state.ids[page] = set(ID.findall(page.read_text(encoding="utf-8")))
    return state.ids[page]


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
