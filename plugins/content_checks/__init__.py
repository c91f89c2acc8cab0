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

A medical page whose last review is more than review_due_days old is logged as
a notice: the build goes on and lists it at the end.

A file's checks in step 1 and a page's sections in step 3 that found no problem
are remembered in the content cache folder (CACHE_PATH), keyed on all they read:
the next build replays their notices instead of running them again (memo.py).

Reading a Markdown file has a time limit (read_time_limit seconds), and Pelican's
"Could not process x.md" becomes one line for the editor (reading.py).

The package, by job: core (Source, State: one build's state, passed to every check),
files (which files may exist; reading one), fields (the metadata block, the field
rules), text, svg, links, twins (slugs, addresses, translations), sections, memo,
reading, options. This module connects the signals; the handlers find the current
build's State in `state`.

Settings: CONTENT_CHECKS in pelicanconf.py, one dict checked over core.DEFAULTS
(fixed_fields, required_metadata, medical_metadata, summary_length,
review_due_days, read_time_limit).
"""

import logging
import os
from pathlib import Path

from pelican import signals

from .core import (
    AWAITING_REVIEW,
    BARE_ADDRESSES,
    DUE_FOR_REVIEW,
    NEEDS_TRANSLATION,
    TRANSLATED_FROM,
    ContentError,
    Source,
    State,
    log,
    make_slug,
    read_sources,
    today_at_the_practice,
)
from .fields import THEME_TYPES, read_block, read_metadata, read_yes_no, split_lines, text_hash
from .files import check_file, check_source, list_files, read_source
from .links import ID, check_links, check_links_between
from .memo import (
    MEMO_FILE,
    SOURCE_SETTINGS,
    Memo,
    check_sections_once,
    check_source_once,
    source_key,
)
from .options import check_settings
from .reading import ReadFailure, time_markdown_readers
from .sections import check_sections
from .text import PLACEHOLDER, character_name
from .twins import address_of, check_addresses, check_duplicates, check_slugs, check_twins

__all__ = [
    "AWAITING_REVIEW", "BARE_ADDRESSES", "DUE_FOR_REVIEW", "ID", "MEMO_FILE",
    "NEEDS_TRANSLATION", "PLACEHOLDER", "SOURCE_SETTINGS", "THEME_TYPES", "TRANSLATED_FROM",
    "address_of", "character_name", "check_links", "check_links_between", "check_sections",
    "check_sections_once", "check_settings", "check_source", "check_source_once",
    "ContentError", "list_files", "log", "make_slug", "Memo", "read_block", "read_metadata",
    "read_source", "Source", "split_lines", "State", "text_hash", "today_at_the_practice",
]

state = None  # the current build's State: the signal handlers find it here
outer = []  # the main site's state while a language sub-site (i18n_subsites) is built


def show_current(name):
    """A file's name as the editor sees it, for the current build (None before one)."""
    return state.show(name) if state is not None else None


READ_FAILURE = ReadFailure(show_current)


def on_initialized(pelican):
    """Step 1: every content file, raw, before Pelican reads anything."""
    global state
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE"):  # the files were all checked by the main site
        outer.append(state)
        state = State(settings, outer[-1].options)
        state.sources, state.files = outer[-1].sources, outer[-1].files
        state.main_lang, state.other_langs = outer[-1].main_lang, outer[-1].other_langs
        state.memo = outer[-1].memo
        return
    outer.clear()  # a build stopped in a sub-site never came back to its main site
    state = State(settings)
    state.memo = Memo(settings)
    check_all_files(state)


def check_all_files(state):
    """Each file on its own, then across the files; stops the build on a problem."""
    check_settings(state.settings)
    names = list_files(state.root)
    state.files = set(names)
    state.source_key = source_key(state, names)
    for name in names:
        if not check_file(state, name) or not name.endswith(".md"):
            continue
        source = read_source(state, os.path.join(state.root, name), name)
        if source is None:
            continue
        state.sources[name] = source
        check_source_once(state, source)
    duplicates = check_slugs(state)
    check_addresses(state, skip=duplicates)
    check_links_between(state)
    check_twins(state, skip=duplicates)
    state.stop_if_problems("in the content files")


def on_all_generators_finalized(generators):
    """Step 2: after reading, before writing: two pages at one address."""
    for generator in generators:
        for kind in ("articles", "drafts", "pages", "hidden_pages", "draft_pages"):
            for content in getattr(generator, kind, []):
                source = state.sources.get(content.relative_source_path.replace(os.sep, "/"))
                if source is None:
                    continue  # not an editor's file
                source.content = content
                source.save_as = content.save_as  # computed by Pelican on every use
    check_duplicates(state)
    state.stop_if_problems("in the content")


def on_finalized(pelican):
    """Step 3: required sections, plain links and anchors, on the built pages."""
    output = Path(pelican.settings["OUTPUT_PATH"])
    for source in read_sources(state):
        page = output / source.save_as
        if source.content.status == "draft" or not page.is_file():
            continue
        check_sections_once(state, source, page.read_bytes())
        check_links(state, source, output)
    state.stop_if_problems("in the built pages")
    if not pelican.settings.get("LANGUAGE_SUBSITE"):  # after the sub-sites: all checked
        state.memo.save(pelican.settings)
    leave_subsite()


def leave_subsite():
    """After a language's sub-site: back to the main site's state."""
    global state
    if outer and state.settings.get("LANGUAGE_SUBSITE"):
        state = outer.pop()


def register():
    signals.readers_init.connect(time_markdown_readers)
    logging.getLogger("pelican.generators").addFilter(READ_FAILURE)  # once: the same object
    signals.content_object_init.connect(read_yes_no)
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.finalized.connect(on_finalized)
