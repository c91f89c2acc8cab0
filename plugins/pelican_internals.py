"""Every use of a part of Pelican that is not one of its documented hooks, in one place.

The site extends Pelican through its hooks (signals, `readers_init` with a reader
subclass, `get_writer` with a Writer subclass, JINJA_FILTERS/JINJA_GLOBALS). Where
no hook exists, the code that relies on Pelican's inside is here, one small
function each, saying what it relies on. tests/test_pelican_internals.py pins each
against the installed Pelican: after an upgrade, a failing test names the function
to mend (or to drop, when Pelican offers a hook for it).

Used by tools/build_log.py and tools/cache_folder.py (logging, the content cache),
tools/preview.py (the
preview's fast path: what each page's render read, a page's new text), the
plugins sanitize, image_sizes, decision_aid and content_checks (a page's text as
read, in `content_object_init`: Pelican has no setter), content_checks (Pelican's
message for a file it could not read), and the plugins source_paths and
subsite_reading (upstream-style patches: a page's path worked out once; which files
a sub-site reads).

Not here, also relying on Pelican's inside:
- plugins/theme_filters sets `generator.env.bytecode_cache` (Jinja's own attribute
  of the environment Pelican makes);
- pelican-granular-signals (a dependency) wraps `pelican.signals.finalized.send`.
"""

import functools
import os
import re

# Logging ---------------------------------------------------------------------------


def forget_logged_warnings():
    """Let Pelican log again a warning it has logged before in this process.

    Pelican's LimitFilter (pelican.log, on every logger Pelican makes) drops a
    warning already let through once, and stops a `limit_msg` group after five:
    a second build in one process (the preview worker, a test) would pass over a
    problem the first one reported. Relies on its class attributes
    `LimitFilter._raised_messages` (a set) and `_group_count` (a dict)."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


READ_FAILURE = "Could not process %s"


def is_read_failure(record):
    """The file name of Pelican's error for a content file it could not read (the
    reason is the exception being handled), or None for any other log record.
    Relies on the message "Could not process %s" with the file as its one argument
    (pelican.generators, logged from ArticlesGenerator and PagesGenerator)."""
    if record.msg == READ_FAILURE and record.args:
        return str(record.args[0])
    return None


# Pelican's content cache files, named after the generators: ArticlesGenerator,
# PagesGenerator-Readers ... (pelican.generators.CachingGenerator: the class name, and
# the class name + "-Readers" for its Readers' cache).
CONTENT_CACHE_FILE = re.compile(r"^\w+Generator(-Readers)?$")


def is_content_cache_file(name):
    """A file name Pelican gives its content cache (CONTENT_CACHE_FILE)."""
    return bool(CONTENT_CACHE_FILE.match(name))


# Pages' text (plugins while a page is read; the preview) ---------------------------------------------------------


def page_html(page):
    """A page's text as read (HTML, its links not yet replaced), or None; not seen by
    watch_text_reads. Relies on Pelican keeping it in the instance attribute
    `_content` (Content.__init__), which get_content reads."""
    return page.__dict__.get("_content")


def replace_page_html(page, html):
    """Give a page new text while it is being read (`content_object_init`): what
    get_content and the templates then show. Relies on what page_html relies on."""
    page.__dict__["_content"] = html


def replace_page_summary(page, html):
    """Give a page a new Summary while it is being read. get_summary returns the
    field, `metadata["summary"]`; Content.__init__ also keeps it in the private
    `_summary`, which refresh_metadata_intersite_links copies back over the field
    (plugins may write to it, says Pelican's comment there): so both."""
    page.metadata["summary"] = html
    page._summary = html


def memoized_method(name):
    """Pelican's `memoized` object behind Content.get_content / get_summary (also
    once watch_text_reads has wrapped them). Relies on both being
    pelican.utils.memoized in Content's class dict, their results kept in `.cache`
    under (page, siteurl)."""
    from pelican.contents import Content

    found = Content.__dict__[name]
    return getattr(found, "memo", found)


def set_page_html(page, html):
    """Give a page new text (HTML), and drop the results Pelican's get_content and
    get_summary kept for its old text. Relies on what page_html and
    memoized_method rely on."""
    replace_page_html(page, html)
    for name in ("get_content", "get_summary"):
        cache = memoized_method(name).cache
        for key in [key for key in cache if key[0] is page]:
            del cache[key]


def watch_text_reads(on_read):
    """Call on_read(page, what) on every read of a page's text, by a template or a
    plugin: what is "text" (Content._content, get_content: the `content`
    property) or "summary" (get_summary: the `summary` property).

    Replaces `Content._content` with a property (its value stays in the
    instance's dict) and wraps the memoized get_content(page, siteurl) and
    get_summary(page, siteurl) of every Content in this process."""
    from pelican.contents import Content

    def read(page):
        on_read(page, "text")
        return page.__dict__["_content"]

    def write(page, value):
        page.__dict__["_content"] = value

    def watched(name, what):
        memo = memoized_method(name)

        def method(page, siteurl):
            on_read(page, what)
            return memo(page, siteurl)  # one result per page and address

        method.memo = memo
        return method

    Content._content = property(read, write)
    Content.get_content = watched("get_content", "text")
    Content.get_summary = watched("get_summary", "summary")


def page_from_file(context, name):
    """The page (or article) a content file became in a site, by its path in the
    content folder, or None. Relies on the context's `generated_content` (where
    Pelican resolves {filename} links)."""
    return context["generated_content"].get(name)


def read_page_again(generator, name, page):
    """The content file read again into a new page of the same kind, through the
    generator's readers (its content cache and `content_object_init` included).
    Relies on Generator's `readers`, `path` and `context`, and on
    Readers.read_file(base_path, path, content_class, context)."""
    return generator.readers.read_file(base_path=generator.path, path=name,
                                       content_class=type(page), context=generator.context)


# Which files a generator reads (plugins/subsite_reading) ---------------------------


def read_only(generator, choose):
    """Make the generator read only choose(files) of the files it finds (paths
    relative to its content folder).

    Pelican has no hook or setting to leave single files out by their path
    (ARTICLE_EXCLUDES and PAGE_EXCLUDES name folders, IGNORE_FILES matches file
    names alone, and a twin has the same name as its page). The upstream hook
    would be a signal or a setting in Generator.get_files; until then this
    replaces the generator's own get_files(paths, exclude, extensions), which
    ArticlesGenerator and PagesGenerator call in generate_context."""
    every_file = generator.get_files

    def get_files(paths, exclude=None, extensions=None):
        return choose(every_file(paths, exclude=exclude, extensions=extensions))

    generator.get_files = get_files


# A page's path in the content folder (plugins/source_paths) -------------------------


@functools.cache
def relative_source_path(root, source_path):
    """Pelican's answer of get_relative_source_path, for an absolute content folder."""
    from pelican.utils import posixize_path

    return posixize_path(os.path.relpath(os.path.abspath(os.path.join(root, source_path)),
                                         os.path.abspath(root)))


def remembering(pelicans_own):
    """Content.get_relative_source_path, remembered by content folder and file; Pelican's
    own (pelicans_own) when the folder is not absolute."""

    def get_relative_source_path(self, source_path=None):
        root = self.settings["PATH"]
        source_path = source_path or self.source_path
        if source_path is None or not os.path.isabs(root):
            return pelicans_own(self, source_path)
        return relative_source_path(root, source_path)

    get_relative_source_path.pelicans_own = pelicans_own
    return get_relative_source_path


def remember_relative_source_paths():
    """A page's path relative to the content folder, worked out once per file and
    folder (for every Pelican in this process).

    Pelican's Content.url_format asks Content.get_relative_source_path on every
    `url` and `save_as` (even with a `path` field: the default is worked out
    first), and each time makes two absolute paths and a relative one: about
    18,500 times, 0.16 s of a 2.9 s warm build at 1,000 articles (our warm build
    against plain Pelican's: 1.08x with this, 1.14x without). The upstream patch:
    url_format would use the `relative_source_path` Content.__init__ already sets.
    Relies on get_relative_source_path(self, source_path=None) being a plain
    method of Content whose answer depends only on settings["PATH"] and the path."""
    from pelican.contents import Content

    own = Content.__dict__["get_relative_source_path"]
    if not hasattr(own, "pelicans_own"):
        Content.get_relative_source_path = remembering(own)
