"""Results kept between builds: a file's checks (step 1) and a page's sections (step 3)
that found no problem, replayed by the next build instead of run again.

Kept in the cache folder by plugins/site_cache (its docstring: the policy, and how
to clear it). The folder's key already covers this plugin's code, Python and the
packages' versions, so each result needs only the key of what it read."""

import site_cache

from .files import check_source
from .sections import check_sections, main_of

MEMO_FILE = "content-checks-results.json"  # in the cache folder's kept/ (site_cache)
# What check_source reads besides the file (and today, and the other files' names).
SOURCE_SETTINGS = (
    "DEFAULT_LANG", "I18N_SUBSITES", "LANGUAGES", "PAGE_TYPES", "CONTENT_CHECKS",
    "ARTICLE_CATEGORIES", "PRODUCTION", "PHONE_DISPLAY", "PHONE_TEL",
)
digest = site_cache.digest


class Memo:
    """key -> what a check that found no problem left: for check_source the fields,
    the links and the notices it logged, for check_sections 1. Only the keys used by
    this build are saved, and only when they are not the ones read."""

    def __init__(self, settings):
        kept = site_cache.load_json(settings, MEMO_FILE)
        self.results = kept if isinstance(kept, dict) else {}
        self.loaded = set(self.results)
        self.used = set()

    def save(self, settings):
        if self.used != self.loaded:
            site_cache.save_json(settings, MEMO_FILE,
                                 {key: self.results[key] for key in self.used})


def source_key(state, names):
    """What each file's checks read besides the file: settings, today, the file names."""
    settings = state.settings
    return digest(repr([settings.get(name) for name in SOURCE_SETTINGS]), state.today,
                  "\0".join(names))


def check_source_once(state, source):
    """check_source, or what it left last time for the same file, settings, date and
    file names: the fields, the links, and the notices, logged again. Problems are
    never kept."""
    memo = state.memo
    key = digest(state.source_key, source.name, source.digest)
    kept = memo.results.get(key)
    if kept is None:
        problems, notices = len(state.messages), len(state.notices)
        check_source(state, source)
        if len(state.messages) > problems:
            return
        kept = memo.results[key] = {
            "fields": dict(source.fields), "body_start": source.body_start,
            "page_type": source.page_type, "lang": source.lang, "links": source.links,
            "notices": state.notices[notices:],
        }
    else:
        source.fields = {name: tuple(at) for name, at in kept["fields"].items()}
        source.body_start, source.page_type = kept["body_start"], kept["page_type"]
        source.lang = kept["lang"]
        source.links = [tuple(link) for link in kept["links"]]
        for notice in kept["notices"]:
            state.notice(*notice)
    memo.used.add(key)


def check_sections_once(state, source, page_html):
    """check_sections, unless it found nothing wrong with the same <main> before."""
    memo = state.memo
    rules = state.settings["PAGE_TYPES"].get(source.page_type, {}).get("sections")
    key = digest("sections", source.page_type, repr(rules), main_of(page_html))
    if key not in memo.results:
        problems = len(state.messages)
        check_sections(state, source, page_html)
        if len(state.messages) > problems:
            return
        memo.results[key] = 1
    memo.used.add(key)
