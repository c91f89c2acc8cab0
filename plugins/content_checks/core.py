"""What every check shares: one content file (Source), one build's state (State) and
small helpers. The state is made per build (per Pelican instance) and passed to
each check that needs it."""

import datetime
import logging
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from lxml.cssselect import CSSSelector
from unidecode import unidecode

import plugin_settings

log = logging.getLogger(__package__)  # "content_checks": build.py and the tests read it

OPTIONS = "CONTENT_CHECKS"  # the plugin's settings: one dict in pelicanconf.py
DEFAULTS = {
    "fixed_fields": {},  # file -> {field: the only value it may have}: Template, Save_as, URL
    "required_metadata": ["title", "summary", "type"],
    "medical_metadata": ["reviewed"],  # on top, for a page type with "medical"
    "summary_length": (50, 160),  # characters
    "review_due_days": 365,
    "read_time_limit": 20,  # seconds to read one Markdown file; 0: none
}
# What each value must be, beyond its kind (plugin_settings.read).
RULES = {
    "fixed_fields": (lambda value: all(isinstance(fields, dict) for fields in value.values()),
                     'a dict {"pages/x.md": {"template": "..."}}'),
    "required_metadata": (lambda value: all(isinstance(n, str) for n in value),
                          'a list of field names in quotes, e.g. ["title"]'),
    "medical_metadata": (lambda value: all(isinstance(n, str) for n in value),
                         'a list of field names in quotes, e.g. ["reviewed"]'),
    "summary_length": (lambda value: len(value) == 2
                       and all(type(n) is int for n in value) and 0 <= value[0] <= value[1],
                       "a pair of whole numbers, shortest and longest, e.g. (50, 160)"),
    "review_due_days": (lambda value: type(value) is int and value > 0,
                        "a whole number of days above 0, e.g. 365"),
    "read_time_limit": (lambda value: not isinstance(value, bool) and value >= 0,
                        "a number of seconds, 0 for no limit, e.g. 20"),
}

# Headings of the lists of notices printed at the end of a build.
DUE_FOR_REVIEW = "Due for review (last reviewed more than 12 months ago)"
NEEDS_TRANSLATION = "Needing translation (missing, or the English page changed since)"
# In a translation: the English text it was made from (text_hash), written by
# `make newarticle TRANSLATE=...` and `make translated FILE=...`.
TRANSLATED_FROM = "translated-from"
BARE_ADDRESSES = "With a web address shown as plain text, not as a link"
AWAITING_REVIEW = "Awaiting a clinician's review (the live site says only when each was checked)"
STATUSES = ["published", "hidden", "draft"]  # from the most seen to the least
NOT_SLUG = re.compile(r"[^a-z0-9]+")
LANG_FOLDER = re.compile(r"/[a-z]{2}/")


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
    lang_folder: str = ""  # the language folder it is in (faq/es/x.md: es), or ''
    links: list = field(default_factory=list)  # (line number, kind, target): check_text

    @property
    def twin_name(self):
        """The name without its language folder: faq/es/x.md -> faq/x.md."""
        return LANG_FOLDER.sub("/", self.name, count=1) if self.lang_folder else self.name


class State:
    """One build's settings, the files read and the problems found so far."""

    def __init__(self, settings, options=None):
        self.settings = settings
        self.options = read_options(settings) if options is None else options  # CONTENT_CHECKS
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

    def lang_folder(self, name):
        """The language folder a file is in (faq/es/x.md: es), or ''."""
        parts = name.split("/")
        languages = self.settings.get("I18N_SUBSITES", {})
        return parts[1] if len(parts) > 2 and parts[1] in languages else ""

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


def read_sources(state):
    """The sources this site (one language) has read, as articles or pages."""
    lang = state.settings["DEFAULT_LANG"]
    return [source for source in state.sources.values()
            if source.content is not None and source.lang == lang]


def status_of(source):
    return source.fields.get("status", (0, ""))[1] or "published"


def slug_of(source):
    return source.fields.get("slug", (0, ""))[1] or make_slug(source.fields.get("title", (0, ""))[1])


def read_options(settings):
    """CONTENT_CHECKS, checked (plugins/plugin_settings), over DEFAULTS."""
    return plugin_settings.read(settings, OPTIONS, DEFAULTS, RULES)
