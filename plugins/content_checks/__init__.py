"""content_checks: stop the build on editor mistakes, with a one-line fix for each.

Every problem is logged as an error of the form

    content/faq/x.md:12: what is wrong. How to fix it.

(the line is left out where there is none). The build wrapper (tools/build.py)
then throws the new build away and keeps the site it had.

The checks run in three steps, each stopping the build when it found problems:

1. `initialized`, before Pelican reads anything: every content file is read
   once, raw, split into lines as Pelican splits it (split_lines). File size,
   emptiness, encoding, invisible characters, the metadata block and every field
   in it, raw HTML, attributes, images without a description and `{filename}`
   links; for the live site (PRODUCTION), text still to be written from the
   templates. Then across the files: each page's address (both languages, and
   the site's own addresses), `{attach}` of shared files, links to less public
   pages, and translations against their English pages.
2. `all_generators_finalized`, after reading: two pages with the same address,
   as Pelican computed it.
3. `finalized`, on the built pages: the sections each page type needs, plain
   links such as `/faq/x/`, `{tag}` and `{category}` links, `#anchors`, and
   links whose address the sanitizer removed.

A medical page whose last review is more than REVIEW_DUE_DAYS old is logged as
a notice: the build goes on and lists it at the end.

A file's checks in step 1 and a page's sections in step 3 that found no problem
are remembered in the content cache folder (CACHE_PATH), keyed on all they read:
the next build replays their notices instead of running them again.
"""

import datetime
import difflib
import hashlib
import html
import json
import logging
import os
import posixpath
import re
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from zoneinfo import ZoneInfo

import lxml.etree
from lxml.cssselect import CSSSelector
from markdown.extensions.attr_list import get_attrs_and_remainder
from pelican import signals
from pelican.urlwrappers import Author, Category, Tag
from unidecode import unidecode

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000
# Headings of the lists of notices printed at the end of a build.
DUE_FOR_REVIEW = "Due for review (last reviewed more than 12 months ago)"
NEEDS_TRANSLATION = "Needing translation (missing, or the English page changed since)"
# In a translation: the English text it was made from (text_hash), written by
# `make newarticle TRANSLATE=...` and `make translated FILE=...`.
TRANSLATED_FROM = "translated-from"
BARE_ADDRESSES = "With a web address shown as plain text, not as a link"
AWAITING_REVIEW = "Awaiting a clinician's review (the live site says only when each was checked)"
PLACEHOLDER = "REPLACE:"  # marks what the editor still has to write (tools/templates/)
KNOWN_FIELDS = {
    "title", "date", "modified", "category", "tags", "slug", "summary",
    "reviewed", "reviewer", "type", "order", "template", "save_as", "url", "status",
    "video", "checklist", "lang", "author", TRANSLATED_FROM,
}  # fmt: skip
# Fields some page types need on top of REQUIRED_METADATA and MEDICAL_METADATA.
TYPE_FIELDS = {"article": ["date", "category", "tags"], "faq": ["order", "slug"]}
# The fields each page type may have. Fields that decide where or how a page is
# written (Template, Save_as, URL) only where FIXED_FIELDS gives them, and only
# with the value it gives.
EVERY_TYPE = {"title", "summary", "type", "slug", "status", "modified", "lang", TRANSLATED_FROM}
MEDICAL = {"reviewed", "reviewer", "author"}
ALLOWED_FIELDS = {
    "article": EVERY_TYPE | MEDICAL | {"date", "category", "tags", "order", "checklist", "video"},
    "faq": EVERY_TYPE | MEDICAL | {"order"},
    "home": EVERY_TYPE | MEDICAL,
    "decision": EVERY_TYPE | MEDICAL | {"order"},
}
PLACEMENT_FIELDS = {"template", "save_as", "url"}
LABELS = {"url": "URL", "save_as": "Save_as", TRANSLATED_FROM: "Translated-from"}  # as written
YES_NO = {"yes": True, "true": True, "no": False, "false": False}
BOOLEAN_FIELDS = ("checklist", "video")  # read as True or False (on_content_init)
LATEST_YEAR_AGO = 100  # dates before this many years ago are typing mistakes
MAX_NESTING = 8  # lists or quotes inside each other; deeper breaks the Markdown reader
STATIC_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}  # pictures in STATIC_PATHS
# Folders whose files must all have one type; any other folder holds pages.
FOLDER_TYPES = {"articles": "article", "faq": "faq"}
THEME_TYPES = {"listing"}  # made by the theme, never written by editors
STATUSES = ["published", "hidden", "draft"]  # from the most seen to the least
LINK_SCHEMES = {"https", "http", "mailto", "tel"}  # never javascript: or data:

# Characters a content file must not have, by name: str.splitlines() breaks lines
# at them (Word's Shift+Enter pastes the vertical tab), Python-Markdown does not.
SEPARATORS = {
    "\v": "a vertical tab (U+000B), an invisible line break (Shift+Enter in Word?)",
    "\f": "a page break (form feed, U+000C)",
    "\x1c": "an invisible separator (U+001C)", "\x1d": "an invisible separator (U+001D)",
    "\x1e": "an invisible separator (U+001E)",
    "\x85": "an invisible line break (next line, U+0085)",
    "\u2028": "an invisible line break (line separator, U+2028)",
    "\u2029": "an invisible paragraph break (paragraph separator, U+2029)",
}  # fmt: skip
NAMES = {**SEPARATORS, "\x00": "a NUL character (U+0000), which some programs write by mistake"}
USE_A_LINE_BREAK = "Delete it and use a normal line break (Enter) instead."
DELETE_IT = "Delete it: retype the text around it, or paste it again as plain text."
CHARACTER_FIXES = dict.fromkeys(SEPARATORS, USE_A_LINE_BREAK)
# Embeddings, overrides and isolates: they make text read differently from how it is stored.
DIRECTION_MARKS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible in the metadata block: a field name or value with one is not what it looks like.
ZERO_WIDTH = set("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")

# The metadata block, as Python-Markdown's `meta` extension reads it.
FIELD_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
MORE_LINE = re.compile(r"^[ ]{4,}(.*)$")
TAB_LENGTH = 4  # Python-Markdown's, which the site keeps
BLOCK_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")  # ends the block, even before `---: x`
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
NOT_SLUG = re.compile(r"[^a-z0-9]+")
LANG_FOLDER = re.compile(r"/[a-z]{2}/")
ORDER = re.compile(r"[0-9]{1,4}")
TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
WORD = re.compile(r"\w")

# A code span as Python-Markdown finds it: an escaped backtick (\\`) starts none, and
# it ends at a run of as many backticks as it started with.
CODE_SPAN = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)|<!--")
ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# A Markdown link's address with a scheme: [text](scheme:...), <scheme:...>, [id]: scheme:...
LINK_SCHEME = re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|<)([A-Za-z][A-Za-z0-9+.-]*):")
PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b")
THREE_DIGITS = re.compile(r"\d\d\d")  # in every PHONE_LIKE match, and quick to look for
IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]([^)\]\s]*)")
SOURCE_LINK = re.compile(r"\{(filename|static|attach)\}([^\s)\]\"'>]*)")
# attr_list's attributes, as Python-Markdown finds them: {: #id .class key=value}.
ATTRIBUTES = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
LINK_KINDS = {"filename", "static", "attach", "tag", "category", "index", "author"}
# Pelican's older way to write those links, |filename|x.md, where a link's address starts.
PIPE_MARKER = re.compile(r"(?:(?<=\()|(?<=<)|(?<=: ))\|(filename|static|attach|tag|category|index|author)\|")
OLD_MARKER = re.compile(r"^\|(\w+)\|")
# A link to one of the lists Pelican makes: {tag}name, {category}name, {index} (or |tag|name).
LIST_LINK = re.compile(r"[{|](tag|category|index|author)[|}](.*)")
# Attributes as Python-Markdown and the theme write them. A literal start keeps
# these fast (a leading \b would make them ten times slower).
# A web address written as it is, not in <...>, (...) nor [...]: Python-Markdown shows
# it as plain text (the site has no extension that links bare addresses).
BARE_ADDRESS = re.compile(r"(?<![<(\[\"'=/\w])https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
REFERENCE_LINE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")  # [name]: https://... defines a link
HREF = re.compile(r'href="([^"]*)"')
DROPPED_LINK = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>([^<]*)")  # no href left
DROPPED_IMAGE = re.compile(r'<img(?![^>]*\ssrc=)[^>]*?(?:\salt="([^"]*)")?[^>]*>')
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
    lang: str = ""  # its language: the Lang field, or the site's default
    digest: str = ""  # of the file's bytes

    @property
    def twin_name(self):
        """The name without its language folder: faq/es/x.md -> faq/x.md."""
        return LANG_FOLDER.sub("/", self.name, count=1) if self.lang_folder else self.name

    @property
    def lang_folder(self):
        """The language folder the file is in (faq/es/x.md: es), or ''."""
        parts = self.name.split("/")
        languages = state.settings.get("I18N_SUBSITES", {})
        return parts[1] if len(parts) > 2 and parts[1] in languages else ""


class State:
    """One build's settings, the files read and the problems found so far."""

    def __init__(self, settings):
        self.settings = settings
        self.root = Path(settings["PATH"])
        self.today = today_at_the_practice(settings)
        self.sources = {}  # name -> Source
        self.files = set()  # every file in the content folder, relative, with /
        self.ids = {}  # built page -> the ids on it
        self.pages = None  # built page -> its source (pages_by_file)
        # The main site's language and the others (a language's sub-site has its own DEFAULT_LANG).
        self.main_lang = settings["DEFAULT_LANG"]
        self.other_langs = list(settings.get("I18N_SUBSITES", {}))
        self.messages = []  # every problem, as logged (tests read them)
        self.notices = []  # every notice: (name, line, message, heading)
        self.source_key = ""  # what each file's checks read besides the file (on_initialized)
        self.broken = set()  # the files with a problem
        self.selectors = {
            page_type: [(what, CSSSelector(css), least) for what, css, least in rule["sections"]]
            for page_type, rule in settings["PAGE_TYPES"].items()
        }

    def show(self, name):
        """A file's name as the editor sees it: content/faq/x.md."""
        return f"{self.root.name}/{name}"

    def problem(self, name, line, message):
        self.broken.add(name)
        self.messages.append(f"{self.show(name)}{f':{line}' if line else ''}: {message}")
        log.error("%s", self.messages[-1])

    def notice(self, name, line, message, heading):
        """Listed at the end of the build under its heading; the build goes on."""
        where = self.show(name) + (f":{line}" if line else "")
        log.info("%s: %s", where, message, extra={"notice": heading})
        self.notices.append((name, line, message, heading))

    def stop_if_problems(self, step):
        if self.messages:
            raise ContentError(f"{len(self.messages)} content problem(s) found {step}")


state = None
outer = []  # the main site's state while a language sub-site (i18n_subsites) is built


def make_slug(text):
    """A page address from a title: 'Does it hurt?' -> 'does-it-hurt'."""
    return NOT_SLUG.sub("-", unidecode(text).lower()).strip("-")


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
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        state.problem(
            name, None,
            f"the file is {size / 1_000_000:.1f} MB; a page must be under"
            f" {MAX_FILE_BYTES // 1_000_000} MB. Remove pasted material or split it"
            " into several pages.",
        )  # fmt: skip
        return None
    with open(path, "rb") as file:
        data = file.read()
    if not data.strip():
        state.problem(
            name, None,
            "the file is empty. Start again with `make newarticle` or `make newfaq`,"
            " or delete the file.",
        )  # fmt: skip
        return None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\x00") * 4 > len(data):
        # UTF-16 (every other byte of English text is 0) decodes, wrongly, as UTF-8
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
    lines = split_lines(text)
    for number, line in enumerate(lines, 1):
        if not line.isprintable() and check_characters(name, number, line):
            return None
    source = Source(name, lines)
    source.digest = hashlib.sha256(data).hexdigest()
    return source


def split_lines(text):
    """The lines of a file as Pelican reads them: its byte-order mark dropped (the
    utf-8-sig codec), "\r\n" and "\r" read as "\n" (the file opened as text), tabs
    expanded and the text split at "\n" only, as Python-Markdown does (str.splitlines
    would also split at the characters in SEPARATORS, which Markdown leaves in the line)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.expandtabs(TAB_LENGTH).split("\n")


def check_characters(name, number, line):
    """Report the first invisible character the file must not have; True if one was found.
    A line separator other than the line break would end a metadata line for the
    checks or an editor but not for Pelican, so fields could hide from the checks."""
    for character in line:
        what = character_name(character)
        if what:
            state.problem(name, number, f"this line has {what}. {CHARACTER_FIXES.get(character, DELETE_IT)}")
            return True
    return False


def character_name(character):
    """What an editor calls a character the files must not have, or None if it may stay."""
    if character in NAMES:
        return NAMES[character]
    code = ord(character)
    if code < 0x20 and character != "\t" or 0x7F <= code < 0xA0:
        return f"an invisible control character (U+{code:04X})"
    if character in DIRECTION_MARKS:
        return f"an invisible character that changes the direction of the text (U+{code:04X})"
    return None


def read_metadata(source):
    """Fill source.fields from the metadata block; report a broken block."""
    lines = source.lines
    last = None
    for index, line in enumerate(lines):
        number = index + 1
        hidden = next((c for c in line if c in ZERO_WIDTH), None)
        if hidden:
            state.problem(
                source.name, number,
                f"this line has an invisible character (U+{ord(hidden):04X}), so the field is"
                " not what it looks like. Delete the line and type it again.",
            )  # fmt: skip
            return False
        if index == 0 and not FIELD_LINE.match(line):
            state.problem(
                source.name, 1,
                "the file must start with its metadata block (lines like `Title: ...`)."
                " Add it at the top, then one empty line, then the text.",
            )  # fmt: skip
            return False
        if not line.strip():
            source.body_start = number
            return True
        if BLOCK_END.match(line):
            state.problem(
                source.name, number,
                "a line starting with `---` or `...` ends the metadata block early. Remove it,"
                " and leave one empty line between the metadata block and the text.",
            )  # fmt: skip
            return False
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
        "reviewed": "the date the page was last checked against its sources, as YYYY-MM-DD",
        "date": "the date the article was first published, as YYYY-MM-DD",
        "category": "one of: " + ", ".join(settings["ARTICLE_CATEGORIES"]),  # English
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
    source.lang = fields.get("lang", (0, ""))[1] or source.lang_folder or settings["DEFAULT_LANG"]
    if source.lang_folder and "lang" not in fields:
        state.problem(
            source.name, None,
            f"a page in the {source.lang_folder}/ folder needs `Lang: {source.lang_folder}`."
            " Add the line to the metadata block.",
        )  # fmt: skip
    maybe_meant = set()
    last = max(number for number, _value in fields.values())
    allowed = sorted(ALLOWED_FIELDS.get(source.page_type, EVERY_TYPE))  # never the refused ones
    for name, (number, _value) in fields.items():
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, allowed, n=1)
            written = source.lines[number - 1].split(":")[0].strip()
            if number == last and not close:  # most likely the text, right under the fields
                fix = ("Leave one empty line between the metadata block and the text,"
                       f" or, if `{written}` is meant as a field, check its name.")
            elif close:
                maybe_meant.add(close[0])
                fix = f"Did you mean `{close[0].capitalize()}`?"
            else:
                fix = f"Known fields: {', '.join(f.capitalize() for f in allowed)}."
            state.problem(source.name, number, f"unknown field `{written}`. {fix}")
        else:
            message = field_not_allowed(source, name)
            if message:
                state.problem(source.name, number, message)

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
        elif name in fields and not fields[name][1] and name not in PLACEMENT_FIELDS:
            state.problem(
                source.name, fields[name][0],
                f"`{label}` is empty. Write {field_hint(name)} after `{label}:`.",
            )  # fmt: skip

    for name, (number, value) in fields.items():
        if name in PLACEMENT_FIELDS:
            message = check_placement(source, value, name)
        else:
            message = check_value(source, name, value)
        if message:
            state.problem(source.name, number, message)


def check_value(source, name, value):
    """What is wrong with one field's value, or None."""
    tag = HTML_TAG.search(value) if "<" in value else None
    if tag:
        return html_message(tag)
    entity = ENTITY.search(value) if "&" in value else None
    if entity:
        return (
            f"`{entity.group(0)}` is a code for a character. Write the character itself"
            f" (for example `&` or `<`) after `{name.capitalize()}:`."
        )
    check = FIELD_CHECKS.get(name)
    return check(source, value) if check and value else None


def field_not_allowed(source, name):
    """Why this page may not have this field, or None if it may."""
    label = LABELS.get(name, name.capitalize())
    fixed = state.settings.get("FIXED_FIELDS", {}).get(source.twin_name, {})
    if name in PLACEMENT_FIELDS:
        if name in fixed:
            return None
        return (
            f"`{label}` cannot be set here: it changes where or how the page is written."
            " Remove the line; the page's Type and Slug decide that."
        )
    allowed = ALLOWED_FIELDS.get(source.page_type, EVERY_TYPE)
    if name in allowed or source.page_type not in state.settings["PAGE_TYPES"]:
        return None  # an unknown Type is reported on its own line
    return (
        f"a page with `Type: {source.page_type}` does not use `{label}`. Remove the line."
    )


def check_placement(source, value, name):
    expected = state.settings.get("FIXED_FIELDS", {}).get(source.twin_name, {}).get(name)
    if expected is not None and value != expected:
        label = LABELS.get(name, name.capitalize())
        return f"`{label}: {value}` must be `{label}: {expected}` on this page. Change it back."
    return None


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
    languages = state.settings["LANGUAGES"]
    categories = languages.get(source.lang, languages[state.settings["DEFAULT_LANG"]])["topics"]
    if source.page_type == "article" and value not in categories:
        return f"unknown `Category: {value}`. Use one of: {', '.join(categories)}."
    return None


def check_summary(source, value):
    if "](" in value or "][" in value or "<http" in value:
        return (
            "the Summary is shown as plain text (under the title, and in search results),"
            " so a link there would be lost. Write it without a link; put links in the text."
        )
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
        return other_date_format(value, "Reviewed") or (
            f"`Reviewed: {value}` is not a real date. Write it as YYYY-MM-DD,"
            " for example `Reviewed: 2026-03-15`."
        )
    if day > state.today:
        return f"`Reviewed: {value}` is in the future. Write the date the review took place."
    due_days = state.settings["REVIEW_DUE_DAYS"]
    medical = state.settings["PAGE_TYPES"].get(source.page_type, {}).get("medical")
    line = source.fields["reviewed"][0]
    if medical and (state.today - day).days > due_days:
        state.notice(
            source.name, line,
            f"last reviewed {value}. Have it reviewed, then set `Reviewed` to that date.",
            DUE_FOR_REVIEW,
        )  # fmt: skip
    if medical and "reviewer" not in source.fields and state.settings.get("PRODUCTION"):
        state.notice(
            source.name, line,
            "no clinician has reviewed this page yet. When one has, add"
            " `Reviewer: Name, credentials` and set `Reviewed` to that date.",
            AWAITING_REVIEW,
        )  # fmt: skip
    return None


def check_date(source, value, label="Date"):
    """Date and Modified: a real date, not in the future nor long ago."""
    day = read_date(value[:10]) if ISO_DATE_TIME.match(value) else None
    if day is None:
        return other_date_format(value, label) or (
            f"`{label}: {value}` is not a real date. Write it as YYYY-MM-DD,"
            f" for example `{label}: 2026-03-15`."
        )
    if day > state.today:
        return f"`{label}: {value}` is in the future. Write the date it happened."
    if day.year < state.today.year - LATEST_YEAR_AGO:
        return f"`{label}: {value}` is more than {LATEST_YEAR_AGO} years ago. Check the year."
    return None


def check_modified(source, value):
    return check_date(source, value, "Modified")


def check_order(source, value):
    if not ORDER.fullmatch(value):
        return f"`Order: {value}` must be a whole number, like `Order: 3`."
    return None


def check_tags(source, value):
    seen = set()
    for tag in (t.strip() for t in value.split(",")):
        if not make_slug(tag):
            return (
                f"the tag `{tag}` has no letters or digits, so it cannot have an address."
                " Write tags as words separated by commas, like `Tags: recovery, pain`."
            )
        if len(tag) > 40:
            return f"the tag `{tag[:40]}...` is too long. Keep each tag to a few words."
        if make_slug(tag) in seen:
            return f"the tag `{tag}` is given twice. Keep one."
        seen.add(make_slug(tag))
    return None


def yes_no(label):
    """The check of a field that is yes or no (true or false is read too)."""
    def check_yes_no(source, value):
        if value.lower() not in YES_NO:
            return f"`{label}: {value}` must be `{label}: yes` or `{label}: no`."
        return None
    return check_yes_no


def check_lang(source, value):
    languages = list(state.settings["LANGUAGES"])
    if value not in languages:
        return f"unknown `Lang: {value}`. Use one of: {', '.join(languages)}."
    if value != (source.lang_folder or state.settings["DEFAULT_LANG"]):
        folder = source.lang_folder or "the English"
        return (
            f"`Lang: {value}` does not match the folder ({folder}). A page in another"
            f" language goes in a folder named after it, like {source.name.split('/')[0]}/es/."
        )
    return None



def check_reviewer(source, value, field="Reviewer"):
    if not TWO_LETTERS.search(value) or len(value) > 120:
        return (
            f"`{field}: {value}` must be the clinician's name and credentials,"
            f" like `{field}: Jane Doe, MD`."
        )
    return None


def check_author(source, value):
    return check_reviewer(source, value, "Author")


def check_title(source, value):
    if not WORD.search(value):
        return "the Title has no words. Write the page's heading."
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


def check_translated_from(source, value):
    if not source.lang_folder:
        return ("only a translation has `Translated-from` (it records the English text it was"
                " made from). Delete the line.")
    if not re.fullmatch(r"[0-9a-f]{12}", value):
        return (f"`Translated-from: {value}` is not a code this build wrote. Run `make translated"
                f" FILE={state.show(source.name)}` once the translation is up to date.")
    return None


def text_hash(source):
    """The first 12 hex digits of the SHA-256 of a file's text after its metadata block
    (spaces at its start and end aside): what a translation records in Translated-from."""
    text = "\n".join(source.lines[source.body_start:]).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def other_date_format(value, label):
    """For a date written another way (12/05/2026, 5.12.2026): that it must be written
    YYYY-MM-DD, with the date it may mean written so (both, when it could be either)."""
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
    if not found:
        return None
    first, second, year = (int(part) for part in found.groups())
    meant = []
    for month, day in ((first, second), (second, first)):  # US order first
        try:
            meant.append(datetime.date(year, month, day))
        except ValueError:
            pass
    meant = list(dict.fromkeys(meant))
    if not meant:
        return None  # not a real date either way: the usual message
    written = [f"`{label}: {day.isoformat()}`" + (f" for {day:%B} {day.day}" if meant[1:] else "")
               for day in meant]
    other = f" (or {written[1]})" if written[1:] else ""
    return f"`{label}: {value}`: the date must be written YYYY-MM-DD, so {written[0]}{other}."


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
    "modified": check_modified,
    "order": check_order,
    "tags": check_tags,
    "checklist": yes_no("Checklist"),
    "video": yes_no("Video"),
    "lang": check_lang,
    "reviewer": check_reviewer,
    "author": check_author,
    "title": check_title,
    "slug": check_slug,
    "status": check_status,
    TRANSLATED_FROM: check_translated_from,
}


def check_text(source):
    """Raw HTML, nesting, images and {filename} links, line by line.

    Lines between ``` fences are checked too: this site's Markdown has no code
    blocks, so what is written there is published as it is."""
    for index in range(source.body_start, len(source.lines)):
        line = source.lines[index]
        number = index + 1
        if THREE_DIGITS.search(line) and PHONE_LIKE.search(line):
            check_phone(source, number, line)
        if line[:1] in (" ", "\t", ">") and nesting(line) > MAX_NESTING:
            state.problem(
                source.name, number,
                f"lists or quotes are nested more than {MAX_NESTING} levels deep here."
                " Use fewer levels: start fewer spaces or `>` at the start of the line.",
            )  # fmt: skip
            return
        if not ("<" in line or "![" in line or "}" in line or ":" in line or "|" in line):
            continue  # most lines: nothing to check
        line = without_code(line)
        if "{" in line:
            check_attributes(source, number, line)
        if "://" in line and not REFERENCE_LINE.match(line):
            for address in BARE_ADDRESS.findall(line):
                state.notice(
                    source.name, number,
                    f"`{address}` is shown as plain text, not as a link. Write it as"
                    f" `<{address}>`, or as `[words that say where it goes]({address})`.",
                    BARE_ADDRESSES,
                )  # fmt: skip
        for scheme in LINK_SCHEME.findall(line):
            if scheme.lower() not in LINK_SCHEMES:
                target = re.match(r"[^\s>]+", line[line.index(scheme + ":"):]).group(0)
                while target.count(")") > target.count("("):
                    target = target[:-1]  # the link's closing bracket
                state.problem(
                    source.name, number,
                    f"the link `{target}` is not a web address. Links must start with"
                    " `https://`, `tel:` or `mailto:`, or point to a page of the site.",
                )  # fmt: skip
        tag = HTML_TAG.search(line)
        if tag:
            state.problem(source.name, number, html_message(tag))
        for alt, target in IMAGE.findall(line):
            check_image(source, number, alt, target)
        for kind, target in SOURCE_LINK.findall(line):
            check_source_link(source, number, f"{{{kind}}}{target}")


def without_code(line):
    """A line of text without its code spans, its links' |kind| markers written {kind}."""
    line = CODE_SPAN.sub("", line)
    return PIPE_MARKER.sub(r"{\1}", line) if "|" in line else line


def check_attributes(source, number, line):
    """attr_list's `{: ...}`: only an anchor (`{#name}`) is kept on the built page; any
    other attribute would be removed without a word, so it is refused here."""
    for found in ATTRIBUTES.finditer(line):
        if found.group(1).strip() in LINK_KINDS:
            continue  # {filename}, {static}...: a link, not attributes
        attributes, _rest = get_attrs_and_remainder(found.group(1))
        names = [{"#": "id", ".": "class"}.get(name, name) for name, _value in attributes]
        dropped = [name for name in names if name != "id"]
        if dropped:
            state.problem(
                source.name, number,
                f"`{found.group(0)}` adds `{dropped[0]}`, which the site removes from pages: only an"
                " anchor such as `{#my-section}` can be added. Remove the rest.",
            )  # fmt: skip
            return


def check_phone(source, number, line):
    """The practice's number only, and always as the link that dials it."""
    display, tel = state.settings["PHONE_DISPLAY"], state.settings["PHONE_TEL"]
    link = f"[{display}](tel:{tel})"
    for found in PHONE_LIKE.findall(line):
        if re.sub(r"\D", "", found) != re.sub(r"\D", "", display):
            state.problem(
                source.name, number,
                f"`{found}` is not the practice's number ({display}). Write `{link}`.",
            )  # fmt: skip
            return
    if len(PHONE_LIKE.findall(line)) > line.count(link):
        state.problem(
            source.name, number,
            f"write the phone number as a link that dials it: `{link}`.",
        )  # fmt: skip


def nesting(line):
    """How deep a line sits in lists and quotes: each `>` and each 4 spaces is a level."""
    body = line.lstrip(" \t>")
    start = line[: len(line) - len(body)].replace("\t", "    ")
    return start.count(">") + len(start.replace(">", "")) // 4


def check_image(source, number, alt, target):
    if not alt.strip():
        state.problem(
            source.name, number,
            "this image has no description, which people using screen readers need."
            f" Describe it between the brackets: `![What the picture shows]({target})`.",
        )  # fmt: skip
    if not target.startswith(("{static}", "{attach}")):
        state.problem(
            source.name, number,
            f"the image `{target}` is not a file of this site. Save the picture in"
            " content/images/ and write `![What it shows]({static}/images/file.svg)`.",
        )  # fmt: skip


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
    kind, written = link.split("}", 1)
    kind, written = kind + "}", html.unescape(written)  # Pelican reads &#x2F; as /, too
    target = resolve(source.name, written)
    example = "{filename}/faq/does-it-hurt.md" if kind == "{filename}" else "{static}/images/file.svg"
    if not urlsplit(written).path:
        why = f"has no file after `{kind}`. Write the file's path, like `{example}`."
    elif target == ".." or target.startswith("../"):
        why = f"points outside the content folder. Write the file's path from there, like `{example}`."
    elif target in state.files:
        page = target.endswith(".md")
        if page == (kind == "{filename}"):
            return
        if page:
            why = f"points to a page; `{kind}` is for pictures and files. Write `{{filename}}/{target}`."
        else:
            why = f"points to a picture or file; `{{filename}}` is for pages. Write `{{static}}/{target}`."
    elif any(name.startswith(target + "/") for name in state.files):
        why = "points to a folder, not a file. Add the file's name to the link."
    else:
        close = difflib.get_close_matches(target, sorted(state.files), n=1, cutoff=0.8)
        fix = f"Did you mean `{kind}/{close[0]}`?" if close else "Check the file name, or remove the link."
        why = f"points to a file that does not exist. {fix}"
    state.problem(source.name, number, f"the link `{link}` {why}")


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
    """Every file under the content folder, relative, with /, in order. Links
    (symlinks) and hidden folders are listed as they are, never entered."""
    found = []
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in files]
        stop = [d for d in dirs if d.startswith(".") or os.path.islink(os.path.join(folder, d))]
        found += [prefix + name for name in stop]
        dirs[:] = [d for d in dirs if d not in stop]
    return sorted(found)


def check_file(name):
    """Whether a file in the content folder may be published; log why not."""
    settings = state.settings
    top = name.split("/")[0]
    if os.path.islink(os.path.join(state.root, name)):  # a str: quicker than a Path
        state.problem(
            name, None,
            "this is a link (symlink) to another file or folder, which the site does not publish."
            " Put a copy of the file itself here, or delete the link.",
        )  # fmt: skip
    elif any(part.startswith(".") for part in name.split("/")):
        made_by = " (your computer made it)" if name.endswith((".DS_Store", "Thumbs.db")) else ""
        state.problem(
            name, None,
            f"names starting with a dot are hidden files, which the site does not"
            f" publish{made_by}. Delete it, or rename it without the dot.",
        )  # fmt: skip
    elif top in settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]:
        if name.endswith(".md"):
            return True
        state.problem(
            name, None,
            "only Markdown files (ending in .md) belong in this folder."
            " Rename the file, or move it out of the content folder.",
        )  # fmt: skip
    elif top in settings["STATIC_PATHS"]:
        return check_static(name)
    else:
        folders = ", ".join(settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]
                            + settings["STATIC_PATHS"])
        state.problem(
            name, None,
            f"this file is not in a folder the site publishes ({folders})."
            " Move it into one of them, or delete it.",
        )  # fmt: skip
    return False


def check_static(name):
    """Pictures, and the files EXTRA_PATH_METADATA places (icons, manifest)."""
    if name in state.settings.get("EXTRA_PATH_METADATA", {}):
        return True
    suffix = Path(name).suffix.lower()
    if suffix not in STATIC_TYPES:
        kinds = ", ".join(sorted(STATIC_TYPES))
        state.problem(
            name, None,
            f"only pictures ({kinds}) are published from this folder."
            " Delete the file, or save the picture in one of these formats.",
        )  # fmt: skip
        return False
    if suffix == ".svg":
        check_svg(name)
    return True


SVG_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
SVG_CODE = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}
OTHER_FILE = re.compile(r"url\(\s*['\"]?\s*[^#'\"\s)]|@import", re.I)


def check_svg(name):
    """An SVG picture is a drawing only: no code, no links to other files or sites."""
    data = (state.root / name).read_bytes()
    redo = " Export the picture again as a plain SVG, or ask the web team."
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        state.problem(name, None, "the picture declares a DOCTYPE or ENTITY." + redo)
        return
    try:
        root = lxml.etree.fromstring(data, parser=SVG_PARSER)
    except lxml.etree.XMLSyntaxError as error:
        state.problem(name, error.lineno, "the picture is not a valid SVG file." + redo)
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        local = lxml.etree.QName(element).localname.lower()
        why = None
        if local in SVG_CODE:
            why = f"has code (`<{local}>`)"
        for attribute, value in element.attrib.items():
            attribute = lxml.etree.QName(attribute).localname.lower()
            if attribute.startswith("on"):
                why = f"has code (`{attribute}`)"
            elif attribute in ("href", "src") and not value.strip().startswith("#"):
                why = f"loads another file or site (`{value[:60]}`)"
            elif attribute == "style" and OTHER_FILE.search(value):
                why = "loads another file or site (in `style`)"
        if local == "style" and OTHER_FILE.search(element.text or ""):
            why = "loads another file or site (in `<style>`)"
        if why:
            state.problem(name, element.sourceline, f"the picture {why}." + redo)
            return


class ReadFailure(logging.Filter):
    """Pelican's "Could not process x.md", with no reason, as one line for the editor."""

    def filter(self, record):
        if record.msg == "Could not process %s" and state is not None:
            error = sys.exc_info()[1]
            name = str(record.args[0]).replace(os.sep, "/")
            if isinstance(error, RecursionError):
                why = ("lists or quotes are nested too deeply. Use fewer levels"
                       " (fewer spaces or `>` at the start of the lines).")
            else:
                why = ("the site generator could not read this file. Undo your last change"
                       " to it, or run `make html DEBUG=1` for the details.")
            record.msg, record.args = "%s: %s", (state.show(name), why)
        return True


READ_FAILURE = ReadFailure()


def check_settings(settings):
    """The settings an editor may change that end up in a page's markup."""
    video, channel = settings.get("VIDEO_ID", ""), settings.get("VIDEO_CHANNEL_URL", "")
    if video and not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video):
        log.error("pelicanconf.py: `VIDEO_ID = %r` is not a YouTube video id. Copy only the"
                  " part after `v=` in the video's address.", video)
    if channel and not re.fullmatch(r"https://www\.youtube\.com/[^\s\"'<>]+", channel):
        log.error("pelicanconf.py: `VIDEO_CHANNEL_URL = %r` is not a YouTube address. Copy"
                  " the channel's address, starting with https://www.youtube.com/.", channel)


# Results remembered from the last build -----------------------------------------

MEMO_FILE = "content-checks-results.json"  # in CACHE_PATH
# What check_source reads besides the file (and today, and the other files' names).
SOURCE_SETTINGS = (
    "DEFAULT_LANG", "I18N_SUBSITES", "LANGUAGES", "PAGE_TYPES", "REQUIRED_METADATA",
    "MEDICAL_METADATA", "FIXED_FIELDS", "SUMMARY_LENGTH", "ARTICLE_CATEGORIES",
    "REVIEW_DUE_DAYS", "PRODUCTION", "PHONE_DISPLAY", "PHONE_TEL",
)  # fmt: skip
# key -> what a check that found no problem left: for check_source the fields and
# the notices it logged, for check_sections 1. `used`: the keys of this build,
# the only ones saved; `loaded`: those read (the file is written only if they differ).
memo, used, loaded = {}, set(), set()


def digest(*parts):
    hashed = hashlib.sha256()
    for part in parts:
        part = part if isinstance(part, bytes) else str(part).encode()
        hashed.update(len(part).to_bytes(8, "big") + part)  # the lengths keep parts apart
    return hashed.hexdigest()


def memo_stamp():
    """What every result depends on besides its key: this file, Python and the libraries."""
    return digest(Path(__file__).read_bytes(), sys.version,
                  *(version(name) for name in ("lxml", "cssselect", "unidecode")))


def load_memo(settings):
    memo.clear()
    used.clear()
    loaded.clear()
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    try:
        saved = json.loads((Path(settings["CACHE_PATH"]) / MEMO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: start afresh
        return
    if isinstance(saved, dict) and saved.get("stamp") == memo_stamp():
        results = saved.get("results") or {}
        memo.update(results)
        loaded.update(results)


def save_memo(settings):
    if not settings.get("CACHE_CONTENT") or used == loaded:
        return
    results = {key: memo[key] for key in used}
    path = Path(settings["CACHE_PATH"]) / MEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{MEMO_FILE}.{os.getpid()}")
    temporary.write_text(json.dumps({"stamp": memo_stamp(), "results": results}),
                         encoding="utf-8")
    temporary.replace(path)


def check_source_once(source):
    """check_source, or what it left last time for the same file, settings, date and
    file names: the fields, and the notices, logged again. Problems are never kept."""
    key = digest(state.source_key, source.name, source.digest)
    kept = memo.get(key)
    if kept is None:
        problems, notices = len(state.messages), len(state.notices)
        check_source(source)
        if len(state.messages) > problems:
            return
        kept = memo[key] = {
            "fields": dict(source.fields), "body_start": source.body_start,
            "page_type": source.page_type, "lang": source.lang,
            "notices": state.notices[notices:],
        }  # fmt: skip
    else:
        source.fields = {name: tuple(at) for name, at in kept["fields"].items()}
        source.body_start, source.page_type = kept["body_start"], kept["page_type"]
        source.lang = kept["lang"]
        for notice in kept["notices"]:
            state.notice(*notice)
    used.add(key)


def check_sections_once(source, page_html):
    """check_sections, unless it found nothing wrong with the same <main> before."""
    rules = state.settings["PAGE_TYPES"].get(source.page_type, {}).get("sections")
    key = digest("sections", source.page_type, repr(rules), main_of(page_html))
    if key not in memo:
        problems = len(state.messages)
        check_sections(source, page_html)
        if len(state.messages) > problems:
            return
        memo[key] = 1
    used.add(key)


def on_initialized(pelican):
    global state
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE"):  # the files were all checked by the main site
        outer.append(state)
        state = State(settings)
        state.sources, state.files = outer[-1].sources, outer[-1].files
        state.main_lang, state.other_langs = outer[-1].main_lang, outer[-1].other_langs
        return
    state = State(settings)
    logging.getLogger("pelican.generators").addFilter(READ_FAILURE)  # once: same object
    load_memo(settings)
    check_settings(settings)
    names = list_files(state.root)
    state.files = set(names)
    state.source_key = digest(repr([settings.get(name) for name in SOURCE_SETTINGS]),
                              state.today, "\0".join(names))
    for name in names:
        if not check_file(name) or not name.endswith(".md"):
            continue
        source = read_source(os.path.join(state.root, name), name)
        if source is None:
            continue
        state.sources[name] = source
        check_source_once(source)
    duplicates = check_slugs()
    check_addresses(skip=duplicates)
    check_links_between()
    check_twins(skip=duplicates)
    state.stop_if_problems("in the content files")


def check_source(source):
    """Every check of one file on its own: its metadata block, fields and text (and,
    for the live site, text still to be written). The preview runs it on each save."""
    if read_metadata(source):
        check_fields(source)
        check_text(source)
    if state.settings.get("PRODUCTION"):
        check_placeholders(source)


def check_slugs():
    """Two pages of one language with one Slug: Pelican would take one for the
    other's translation. Returns the pages that repeat another's Slug."""
    owners, repeated = {}, set()
    for source in sorted((s for s in state.sources.values() if s.fields), key=slug_owner_first):
        kind = "articles" if source.name.startswith("articles/") else "pages"
        slug = slug_of(source)
        first = owners.setdefault((source.lang, kind, slug), source)
        if first is source:
            continue
        repeated.add(source.twin_name)
        folder = {"articles": "articles/", "faq": "faq/"}.get(source.name.split("/")[0], "")
        address = f"/{language_prefix(source.lang)}{folder}{slug}/"
        state.problem(source.name, slug_line(source), address_taken(source, first, address))
    return repeated


def check_addresses(skip=()):
    """Each page written has its own address, in both languages together, and never
    one the site itself writes (the Spanish site, feeds, the theme's files...)."""
    owners, fixed = {}, fixed_addresses()
    for source in sorted((s for s in state.sources.values() if s.fields), key=slug_owner_first):
        address = address_of(source)
        if source.twin_name in skip or source.name in state.broken or not address:
            continue
        message = address_problem(source, address, owners, fixed)
        if message:
            state.problem(source.name, slug_line(source), message)


def address_of(source):
    """Where Pelican will write the page, in the output folder (es/... for Spanish),
    from its fields; '' for a draft (the live site writes none)."""
    settings = state.settings
    if status_of(source) == "draft":
        return ""
    if "save_as" in source.fields:
        path = source.fields["save_as"][1]
    elif source.name.split("/")[0] in settings["ARTICLE_PATHS"]:
        path = settings["ARTICLE_SAVE_AS"].format(slug=slug_of(source))
    else:
        found = re.match(settings.get("PATH_METADATA") or "$^", source.name)
        prefix = found.groupdict().get("url_prefix") if found else None
        prefix = prefix or settings.get("DEFAULT_METADATA", {}).get("url_prefix", "")
        path = settings["PAGE_SAVE_AS"].format(slug=slug_of(source), url_prefix=prefix)
    return language_prefix(source.lang) + path


def language_prefix(lang):
    """The folder of a language's site: '' for the site's own language, 'es/' for Spanish."""
    return "" if lang == state.main_lang else f"{lang}/"


def fixed_addresses():
    """What the site writes itself, not from a content file: {address: what it is},
    where an address ending in / stands for everything in that folder."""
    settings = state.settings
    fixed = {settings.get("THEME_STATIC_DIR", "theme") + "/": "the theme's files",
             "pagefind/": "the search index", "robots.txt": "the file for search engines",
             settings.get("SITEMAP_SAVE_AS") or "sitemap.xml": "the sitemap"}
    fixed.update({folder + "/": "the pictures and icons" for folder in settings["STATIC_PATHS"]})
    fixed.update({place["path"]: f"a file of content/{name}" for name, place
                  in settings.get("EXTRA_PATH_METADATA", {}).items() if "path" in place})
    for lang in [state.main_lang, *state.other_langs]:
        prefix = language_prefix(lang)
        fixed[prefix + settings["INDEX_SAVE_AS"]] = "the site's list of guides"
        fixed[prefix + "feeds/"] = "the news feeds"
        fixed[prefix + "drafts/"] = "the previews of drafts"
        for setting, what in (("TAG_SAVE_AS", "the lists of guides by tag"),
                              ("CATEGORY_SAVE_AS", "the topics' pages")):
            fixed[prefix + settings[setting].split("/")[0] + "/"] = what
        if prefix:
            name = settings["LANGUAGES"].get(lang, {}).get("name", lang)
            fixed[prefix] = f"the {prefix} folder, where the site in {name} is"
    return fixed


def address_problem(source, address, owners, fixed_ones):
    """Why a page may not be written at address, or None (and it is then taken: owners
    maps each address to its page). fixed_ones: fixed_addresses()."""
    shown = "/" + address.removesuffix("index.html")
    for fixed, what in fixed_ones.items():
        mine = fixed == language_prefix(source.lang)  # a language's pages are in its folder
        if not mine and (address == fixed or fixed.endswith("/") and address.startswith(fixed)):
            return f"the address {shown} is the site's own ({what}). Choose another `Slug`."
    first = owners.setdefault(address, source)
    return None if first is source else address_taken(source, first, shown)


def address_taken(source, first, shown):
    """The message for a page whose address (shown as /x/) the page first has."""
    if source.page_type == "faq" and first.page_type == "faq":
        slug = slug_of(source)
        return (
            f"`Slug: {slug}` is already used by {state.show(first.name)}. Each question"
            f" needs its own Slug: it is its address ({shown}) and its anchor on the"
            f" questions page (/{language_prefix(source.lang)}faq/#{slug})."
        )
    return (f"the address {shown} is already used by {state.show(first.name)}."
            " Give this page its own `Slug`.")


def check_links_between():
    """Links from one file to another: a page never links to a page less public than
    itself (a draft, or a hidden page from a published one), and `{attach}` (which
    moves the file into the page's folder) never takes a file the site or another
    page uses."""
    sources = [s for s in state.sources.values() if s.fields and s.name not in state.broken]
    links = [(source, number, kind, resolve(source.name, target))
             for source in sources for number, kind, target in source_links(source)]
    users = {}
    for source, _number, _kind, target in links:
        users.setdefault(target, set()).add(source.name)
    placed = state.settings.get("EXTRA_PATH_METADATA", {})
    for source, number, kind, target in links:
        link = f"{{{kind}}}{target}"
        if kind == "attach" and (target in placed or len(users[target]) > 1):
            other = sorted(users[target] - {source.name})
            who = (f"which {state.show(other[0])} uses too" if other and target not in placed
                   else "which the whole site uses")
            state.problem(
                source.name, number,
                f"`{{attach}}/{target}` would move {state.show(target)}, {who}, into this"
                f" page's folder. Write `{{static}}/{target}` instead.",
            )  # fmt: skip
        linked = state.sources.get(target)
        if kind == "filename" and linked is not None and linked.fields:
            less_public(source, number, f"{{filename}}/{target}", linked)


def less_public(source, number, link, target):
    """Report a link from source to a page less public than itself (a draft, or a
    hidden page from a published one); True if it was reported."""
    mine, theirs = status_of(source), status_of(target)
    if STATUSES.index(theirs) <= STATUSES.index(mine):
        return False
    state.problem(
        source.name, number,
        f"the link `{link}` leads to {state.show(target.name)}, which has `Status: {theirs}`:"
        f" visitors of this page {'cannot reach' if theirs == 'draft' else 'should not be sent to'}"
        " it. Remove the link, or publish that page first.",
    )  # fmt: skip
    return True


def source_links(source):
    """The `{filename}`, `{static}` and `{attach}` links of a file's text, outside code
    spans: (line number, kind, target as written)."""
    found = []
    for index in range(source.body_start, len(source.lines)):
        line = source.lines[index]
        if "}" in line or "|" in line:
            found += [(index + 1, kind, html.unescape(target))
                      for kind, target in SOURCE_LINK.findall(without_code(line))]
    return found


def slug_line(source):
    """The line to show for a problem with a page's address: its Slug, else its Title."""
    return source.fields.get("slug", source.fields.get("title", (None,)))[0]


def slug_owner_first(source):
    """Of two pages with one Slug, the one whose file is named after it keeps it."""
    return (Path(source.name).stem != slug_of(source), source.name)


def check_twins(skip=()):
    """Each page and its translation: paired by file name and Slug, and up to date.

    A missing or older translation is a notice (listed at the end of the build);
    a translation without its English page is refused by the live build."""
    languages = state.other_langs
    by_name = {(s.lang, s.twin_name): s for s in state.sources.values() if s.fields}
    main_lang = state.main_lang
    broken = {Source(name, []).twin_name for name in state.broken}  # unreadable ones too
    for (lang, name), source in sorted(by_name.items()):
        if name in skip or name in broken:
            continue  # a problem of its own (or of its twin's file) is reported first
        if lang != main_lang:
            check_translation(source, by_name.get((main_lang, name)))
            continue
        if status_of(source) == "draft":
            continue
        for other in languages:
            twin = by_name.get((other, name))
            folder = posixpath.join(posixpath.dirname(name), other)
            if twin is None:
                command = "newfaq" if name.startswith("faq/") else "newarticle"
                state.notice(name, None, f"no version in {folder}/ yet. To start it: make {command}"
                             f" TRANSLATE={state.show(name)}", NEEDS_TRANSLATION)
            elif TRANSLATED_FROM in twin.fields:  # the text it was made from, not the dates
                line, made_from = twin.fields[TRANSLATED_FROM]
                if made_from != text_hash(source):
                    state.notice(
                        twin.name, line,
                        f"the text of {state.show(name)} changed after this translation was"
                        " made. Bring the translation up to date, then run `make translated"
                        f" FILE={state.show(twin.name)}`.",
                        NEEDS_TRANSLATION,
                    )  # fmt: skip
            elif last_change(twin) < last_change(source):
                state.notice(
                    twin.name, None,
                    f"older than {state.show(name)} (changed {last_change(source)})."
                    " Bring the translation up to date, then set its `Reviewed` date.",
                    NEEDS_TRANSLATION,
                )  # fmt: skip


def check_translation(source, original):
    if original is None:
        message = (
            f"there is no English page {state.show(source.twin_name)} for this translation."
            " Give it the English page's file name, or write the English page first."
        )
        if state.settings.get("PRODUCTION"):
            state.problem(source.name, None, message)
        else:
            state.notice(source.name, None, message, NEEDS_TRANSLATION)
        return
    own, theirs = status_of(source), status_of(original)
    if STATUSES.index(own) < STATUSES.index(theirs):
        state.problem(
            source.name, source.fields.get("status", (None,))[0],
            f"{state.show(original.name)} has `Status: {theirs}`, so this translation would go"
            f" live without it. Give this page `Status: {theirs}` too, or publish the English"
            " page first.",
        )  # fmt: skip
    own, theirs = slug_of(source), slug_of(original)
    if own != theirs:
        state.problem(
            source.name, slug_line(source),
            f"`Slug: {own}` must be the Slug of {state.show(original.name)}, `{theirs}`:"
            " it pairs the two pages.",
        )  # fmt: skip


def status_of(source):
    return source.fields.get("status", (0, ""))[1] or "published"


def slug_of(source):
    return source.fields.get("slug", (0, ""))[1] or make_slug(source.fields.get("title", (0, ""))[1])


def last_change(source):
    """The newest of a file's Date, Reviewed and Modified (YYYY-MM-DD), or ''."""
    values = (source.fields.get(name, (0, ""))[1][:10] for name in ("date", "reviewed", "modified"))
    return max((v for v in values if read_date(v)), default="")


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
    """Each page has its own address, where Pelican is to write it (step 1 checked
    where the fields say it goes); one question's Slug is also its FAQ anchor."""
    owners, fixed = {}, fixed_addresses()
    for source in sorted(read_sources(), key=owner_first):
        if source.content.status == "draft":
            continue
        message = address_problem(source, language_prefix(source.lang) + source.save_as, owners,
                                  fixed)
        if message:
            state.problem(source.name, slug_line(source), message)
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
    """The sources this site (one language) has read, as articles or pages."""
    lang = state.settings["DEFAULT_LANG"]
    return [source for source in state.sources.values()
            if source.content is not None and source.lang == lang]


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
        check_sections_once(source, page.read_bytes())
        check_links(source, output)
    state.stop_if_problems("in the built pages")
    if not pelican.settings.get("LANGUAGE_SUBSITE"):  # after the sub-sites: all checked
        save_memo(pelican.settings)
    leave_subsite()


def leave_subsite():
    """After a language's sub-site: back to the main site's state."""
    global state
    if outer and state.settings.get("LANGUAGE_SUBSITE"):
        state = outer.pop()


def check_sections(source, page_html):
    """The parts a page of its type needs (PAGE_TYPES), looked for in <main>."""
    tree = lxml.etree.HTML(main_of(page_html))
    for what, selector, least in state.selectors.get(source.page_type, []):
        if len(selector(tree)) < least:
            state.problem(
                source.name, None,
                f"every page of type `{source.page_type}` needs {what}, which this one"
                " lacks. See README, Writing content.",
            )  # fmt: skip


def main_of(page_html):
    """The page's <main> element, or the whole page if it has none."""
    start, end = page_html.find(b"<main"), page_html.find(b"</main>")
    return page_html[start:end + 7] if 0 <= start < end else page_html


def check_links(source, output):
    """Plain links lead to a built page; every #anchor is on the page it points to."""
    text = source.content._content
    check_dropped(source, text)
    for url in dict.fromkeys(html.unescape(u) for u in HREF.findall(text) + SRC.findall(text)):
        url = OLD_MARKER.sub(r"{\1}", url)  # |filename|x.md, as Pelican still reads it
        parts = urlsplit(url)
        if not scheme_allowed(source, url, parts):
            continue
        if parts.scheme or parts.netloc or url.startswith(("{static}", "{attach}")):
            continue
        listed = LIST_LINK.fullmatch(url)
        if listed:
            page = list_link_page(source, url, *listed.groups(), output)
        elif url.startswith("{filename}"):
            page = filename_link_page(source, url, parts, output)
        else:
            page = plain_link_page(source, url, parts, output)
            target = page and pages_by_file(output).get(page)
            if target and less_public(source, line_of(source, url), url, target):
                continue
        if page is not None and parts.fragment:
            check_anchor(source, url, parts.fragment, page)


def check_dropped(source, text):
    """A link or picture whose address the sanitizer removed (plugins/sanitize), for
    however it was written: over two lines, with character codes, as a reference."""
    for kind, found in (("link", DROPPED_LINK), ("picture", DROPPED_IMAGE)):
        for words in found.findall(text):
            words = html.unescape(words)
            state.problem(
                source.name, line_of(source, f"[{words}]") if words else None,
                f"the {kind}{f' `[{words}]`' if words else ''} lost its address: it was not a"
                " web address (https://, tel:, mailto:) nor a file of this site. Write it as"
                " `[text](https://...)`, or link to a page with `{filename}`.",
            )  # fmt: skip


def pages_by_file(output):
    """{built file: its source} for this site's pages (drafts too, in their folder)."""
    if state.pages is None:
        state.pages = {output / s.save_as: s for s in read_sources() if s.save_as}
    return state.pages


def scheme_allowed(source, url, parts):
    """A link with a scheme must be a web address, `tel:` or `mailto:` (never
    `javascript:`); reports the link and returns False otherwise."""
    if parts.scheme and parts.scheme not in LINK_SCHEMES:
        state.problem(
            source.name, line_of(source, url),
            f"the link `{url}` is not a web address. Links must start with"
            " `https://`, `tel:` or `mailto:`, or point to a page of the site.",
        )  # fmt: skip
        return False
    return True


def filename_link_page(source, url, parts, output):
    """The built page a `{filename}` link with an #anchor leads to, or None when
    there is no anchor to check here (the file itself is checked before reading;
    a page in another language is built apart, and the tests check it)."""
    if not parts.fragment:
        return None
    target = state.sources.get(resolve(source.name, url.split("}", 1)[1]))
    if target is None or not target.save_as or target.lang != source.lang:
        return None
    return output / target.save_as


def list_link_page(source, url, kind, name, output):
    """The built list a {tag}, {category} or {index} link leads to, as Pelican makes
    the link; reports the link and returns None when the site has no such list."""
    settings = state.settings
    name = unquote(urlsplit(name).path)
    wrapper = {"tag": Tag, "category": Category, "author": Author}.get(kind)
    save_as = wrapper(name, settings).save_as if wrapper else settings["INDEX_SAVE_AS"]
    page = output / save_as if save_as else None
    if page is not None and page.is_file():
        return page
    if kind == "tag":
        why = f"no guide has the tag `{name}`. Check its spelling in the guides' `Tags`."
    elif kind == "category":
        topics = settings["LANGUAGES"][source.lang]["topics"]
        why = f"no guide has `Category: {name}`. Use one of: {', '.join(topics)}."
    else:
        why = f"the site has no {'authors' if kind == 'author' else 'list of guides'} page."
    state.problem(source.name, line_of(source, url),
                  f"the link `{url}` leads to a page that does not exist: {why}")
    return None


def plain_link_page(source, url, parts, output):
    """The built page a plain path leads to; reports the link and returns None
    when there is no such page."""
    page = output / urljoin("/" + source.save_as, unquote(parts.path)).lstrip("/")
    if page.is_dir():
        page = page / "index.html"
    if page.is_file():
        return page
    if parts.path.endswith(".md") and url.startswith("/"):
        fix = f"To link to a page by its file, write `{{filename}}{url}`."
    else:
        fix = ("Link to the page's file instead, like"
               " `[Does it hurt?]({filename}/faq/does-it-hurt.md)`.")
    state.problem(source.name, line_of(source, url),
                  f"the link `{url}` leads to a page that does not exist. {fix}")
    return None


def check_anchor(source, url, fragment, page):
    """The #anchor of a link is an id on the page it leads to."""
    if fragment not in ids_on(page):
        close = difflib.get_close_matches(fragment, sorted(ids_on(page)), n=1)
        fix = f"Did you mean `#{close[0]}`?" if close else "Check the part after `#`."
        state.problem(
            source.name, line_of(source, url),
            f"the link `{url}` points to `#{fragment}`, which is not on that page. {fix}",
        )  # fmt: skip


def ids_on(page):
    """The ids of a built page (read once per build)."""
    if page not in state.ids:
        state.ids[page] = set(ID.findall(page.read_text(encoding="utf-8")))
    return state.ids[page]


def on_content_init(content):
    """Yes-or-no fields as True or False: the text `no` would count as true in a template."""
    for name in BOOLEAN_FIELDS:
        value = content.metadata.get(name)
        if isinstance(value, str):
            content.metadata[name] = YES_NO.get(value.strip().lower(), False)
            setattr(content, name, content.metadata[name])


def register():
    signals.content_object_init.connect(on_content_init)
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
