"""Each use of Pelican's inside (plugins/pelican_internals.py) pinned against the
installed Pelican: a failure says what Pelican changed and which function to mend.
Also: no import cycle among tools/, plugins/ and bench/, and sys.path changed only
where listed (issue 25)."""

import ast
import json
import logging
import subprocess
import sys
import textwrap

import pytest

import pelican_internals
from helpers import ROOT


def pinned(holds, what, function):
    assert holds, f"Pelican changed {what}: see pelican_internals.{function}"


@pytest.fixture
def pelican_content_class():
    """Content's class attributes as they were: watch_text_reads changes them for the process."""
    from pelican.contents import Content

    names = ("_content", "get_content", "get_summary")
    saved = {name: Content.__dict__[name] for name in names if name in Content.__dict__}
    yield Content
    for name in names:
        if name in saved:
            setattr(Content, name, saved[name])
        elif name in Content.__dict__:
            delattr(Content, name)


def a_page(tmp_path, html, **metadata):
    from pelican.contents import Page
    from pelican.settings import read_settings

    settings = read_settings(override={"PATH": str(tmp_path)})
    context = {"generated_content": {}, "static_content": {}, "localsiteurl": ""}
    return Page(html, metadata={"title": "A page", **metadata}, settings=settings,
                source_path=str(tmp_path / "a.md"), context=context)


# Logging -------------------------------------------------------------------------


def test_forget_logged_warnings_lets_a_warning_through_again():
    from pelican.log import LimitFilter

    pinned(isinstance(getattr(LimitFilter, "_raised_messages", None), set)
           and isinstance(getattr(LimitFilter, "_group_count", None), dict),
           "LimitFilter's _raised_messages/_group_count", "forget_logged_warnings")
    seen = []
    handler = logging.Handler()
    handler.emit = seen.append
    logger = logging.getLogger("pelican.test_pelican_internals")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        for _ in range(2):
            logger.warning("the same warning, twice")
        pinned(len(seen) == 1, "LimitFilter (a repeated warning is no longer dropped)",
               "forget_logged_warnings")
        pelican_internals.forget_logged_warnings()
        logger.warning("the same warning, twice")
        pinned(len(seen) == 2, "LimitFilter (clearing _raised_messages no longer resets it)",
               "forget_logged_warnings")
    finally:
        logger.removeHandler(handler)


# A small site built by Pelican, in a process of its own (signals stay there) -------

TINY_SITE = """
import json, logging, sys
from pathlib import Path
from pelican import Pelican, signals
from pelican.settings import read_settings
from pelican.writers import Writer
import pelican_internals

tmp = Path(sys.argv[1])
found = {"writers": [], "read_failures": []}

class ReadFailures(logging.Handler):
    def emit(self, record):
        name = pelican_internals.is_read_failure(record)
        if name is not None:
            found["read_failures"].append(name)

logging.getLogger("pelican.generators").addHandler(ReadFailures())

def on_generator_init(generator):
    if type(generator).__name__ == "ArticlesGenerator":
        pelican_internals.read_only(generator, lambda files: {f for f in files if "left-out" not in f})

def on_generators(generators):
    articles = next(g for g in generators if type(g).__name__ == "ArticlesGenerator")
    page = pelican_internals.page_from_file(articles.context, "kept.md")
    found["page_from_file"] = getattr(page, "title", None)
    fresh = pelican_internals.read_page_again(articles, "kept.md", page)
    found["read_page_again"] = [type(fresh) is type(page), fresh.source_path == page.source_path,
                                pelican_internals.page_html(fresh) == pelican_internals.page_html(page)]

class Recording(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        found["writers"].append(output_path)

signals.generator_init.connect(on_generator_init)
signals.all_generators_finalized.connect(on_generators)
signals.get_writer.connect(lambda pelican: Recording, weak=False)
settings = read_settings(override={
    "PATH": str(tmp / "content"), "OUTPUT_PATH": str(tmp / "output"),
    "CACHE_PATH": str(tmp / "cache"), "CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True,
    "PLUGINS": [], "SITEURL": "", "TIMEZONE": "UTC", "FEED_ALL_ATOM": None,
    "CATEGORY_FEED_ATOM": None})
Pelican(settings).run()
found["cache_files"] = sorted(p.name for p in (tmp / "cache").iterdir())
found["output_path"] = settings["OUTPUT_PATH"]
found["articles"] = sorted(p.name for p in (tmp / "output").glob("*.html"))
print(json.dumps(found))
"""


@pytest.fixture(scope="module")
def tiny_site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tiny")
    (tmp / "content").mkdir()
    for name in ("kept", "left-out"):
        (tmp / "content" / f"{name}.md").write_text(
            f"Title: {name}\nDate: 2024-01-01\n\nThe text of {name}.\n", encoding="utf-8")
    (tmp / "content" / "unreadable.md").write_text(
        "Title: unreadable\nDate: not a date\n\nText.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(TINY_SITE), str(tmp)],
                            capture_output=True, text=True, timeout=120,
                            env={"PYTHONPATH": str(ROOT / "plugins"), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.splitlines()[-1])


def test_content_cache_files_are_known(tiny_site):
    names = tiny_site["cache_files"]
    pinned(names and all(pelican_internals.is_content_cache_file(n) for n in names),
           f"the names of its content cache files ({names})", "is_content_cache_file")


def test_a_page_is_found_and_read_again(tiny_site):
    pinned(tiny_site["page_from_file"] == "kept", "context['generated_content']",
           "page_from_file")
    pinned(all(tiny_site["read_page_again"]),
           "Generator.readers/path/context or Readers.read_file", "read_page_again")


def test_read_only_leaves_a_file_unread(tiny_site):
    built = tiny_site["articles"]
    pinned("kept.html" in built and "left-out.html" not in built,
           f"how ArticlesGenerator finds its files (built {built})", "read_only")


def test_the_writer_hook_is_given_the_output_folder(tiny_site):
    """tools/preview.py tells the sites apart by the folder a Writer is made for."""
    pinned(tiny_site["writers"] == [tiny_site["output_path"]],
           "how it makes a get_writer Writer (writer(output_path, settings=...))",
           "(tools/preview.py RecordingWriter)")


def test_write_file_takes_name_template_context():
    """tools/preview.py writes a file again with the arguments the build gave write_file."""
    import inspect

    from pelican.writers import Writer

    names = list(inspect.signature(Writer.write_file).parameters)[:4]
    pinned(names == ["self", "name", "template", "context"], f"Writer.write_file ({names})",
           "(tools/preview.py render_again)")


# Pages' text ---------------------------------------------------------------------


def test_a_file_pelican_could_not_read_is_known(tiny_site):
    pinned(any(name.endswith("unreadable.md") for name in tiny_site["read_failures"]),
           'the message for a file it could not read ("Could not process %s")',
           "is_read_failure")


def test_a_page_being_read_takes_new_text_and_summary(tmp_path):
    page = a_page(tmp_path, "<p>Old text.</p>", summary="<p>Old summary.</p>")
    pinned(page.__dict__.get("_summary") == page.metadata["summary"] == "<p>Old summary.</p>",
           "where a page keeps its Summary", "replace_page_summary")
    pelican_internals.replace_page_html(page, "<p>New text.</p>")
    pelican_internals.replace_page_summary(page, "<p>New summary.</p>")
    pinned(page.content == "<p>New text.</p>", "where get_content reads a page's text",
           "replace_page_html")
    pinned(page.summary == "<p>New summary.</p>", "where get_summary reads a page's Summary",
           "replace_page_summary")
    page.refresh_metadata_intersite_links()
    pinned(page.summary == "<p>New summary.</p>",
           "where refresh_metadata_intersite_links takes the Summary from", "replace_page_summary")


def test_page_html_and_set_page_html(tmp_path, pelican_content_class):
    from pelican.utils import memoized

    pinned(all(isinstance(pelican_content_class.__dict__.get(name), memoized)
               for name in ("get_content", "get_summary")),
           "Content.get_content/get_summary (no longer memoized)", "memoized_method")
    page = a_page(tmp_path, "<p>Old text.</p>")
    pinned(pelican_internals.page_html(page) == "<p>Old text.</p>", "where a page keeps its text",
           "page_html")
    assert page.content == page.summary == "<p>Old text.</p>"
    pelican_internals.set_page_html(page, "<p>New text.</p>")
    pinned(page.content == page.summary == "<p>New text.</p>",
           "how get_content/get_summary keep their results", "set_page_html")


def test_watch_text_reads_sees_every_read(tmp_path, pelican_content_class):
    seen = []
    pelican_internals.watch_text_reads(lambda page, what: seen.append((page.title, what)))
    page = a_page(tmp_path, "<p>Text.</p>")
    seen.clear()  # Pelican reads the text as it makes the page
    assert page._content == "<p>Text.</p>"
    assert page.content == "<p>Text.</p>"
    assert page.summary == "<p>Text.</p>"
    pinned(seen[0] == ("A page", "text") and ("A page", "summary") in seen
           and seen.count(("A page", "text")) >= 2,
           f"how a page's text is read ({seen})", "watch_text_reads")
    pelican_internals.set_page_html(page, "<p>Again.</p>")
    pinned(page.content == "<p>Again.</p>", "Content._content (as a property)", "watch_text_reads")


# A page's path in the content folder (plugins/source_paths) ----------------------


@pytest.mark.parametrize("root, source", [
    ("/site/content", "/site/content/faq/q.md"),
    ("/site/content", "faq/es/q.md"),
    ("/site/content/", "/site/content/articles/../faq/q.md"),
    ("/site/content", "/elsewhere/q.md"),
    ("content", "content/faq/q.md"),  # a folder given relative to here: Pelican's own code
])
def test_remembered_source_paths_are_pelicans_own(root, source):
    from types import SimpleNamespace

    from pelican.contents import Content

    found = Content.__dict__["get_relative_source_path"]  # source_paths may have patched it
    own = getattr(found, "pelicans_own", found)
    remembered = pelican_internals.remembering(own)
    page = SimpleNamespace(settings={"PATH": root}, source_path=source)
    for path in (None, "/site/content/x.md"):
        pinned(remembered(page, path) == own(page, path),
               f"Content.get_relative_source_path ({root!r}, {path or source!r})",
               "remember_relative_source_paths")


# Imports -------------------------------------------------------------------------

CODE = [*ROOT.glob("tools/*.py"), *ROOT.glob("plugins/*.py"), *ROOT.glob("plugins/*/*.py"),
        *ROOT.glob("bench/*.py")]
# The programs' one change of sys.path: build.plugins_importable(), which new_content.py
# and preview.py call too (bench/suite.py is given PYTHONPATH by bench/run.py).
SYS_PATH_CHANGES = {"tools/build.py": 1}


def module_name(path):
    """The name a module is imported by: content_checks.text for
    plugins/content_checks/text.py, content_checks for its __init__.py, build for
    tools/build.py."""
    if path.parent.parent.name == "plugins":  # in a plugin package
        package = path.parent.name
        return package if path.name == "__init__.py" else f"{package}.{path.stem}"
    return path.stem


def imported(node, name, names):
    """The modules of ours an import statement in module `name` loads."""
    if isinstance(node, ast.Import):
        wanted = [alias.name for alias in node.names]
    elif node.level:  # from .core import x; from . import core
        package = name if f"{name}.__init__" in names else name.rpartition(".")[0]
        base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
        module = f"{base}.{node.module}" if node.module else base
        wanted = [f"{module}.{alias.name}" for alias in node.names] + [module]
    else:
        wanted = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
    found = set()
    for module in wanted:  # content_checks.text, else content_checks
        while module and module not in names:
            module = module.rpartition(".")[0]
        if module:
            found.add(module)
    return found


def test_no_import_cycle_among_tools_plugins_bench_and_tests():
    """Imports anywhere in a module (also inside functions, relative ones too) count."""
    paths = CODE + sorted(ROOT.glob("tests/*.py"))
    names = {module_name(path): path for path in paths}
    assert len(names) == len(paths), "two modules with one name"
    names_with_init = set(names) | {f"{module_name(p)}.__init__" for p in paths
                                    if p.name == "__init__.py"}
    imports = {}
    for name, path in names.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found |= imported(node, name, names_with_init) & names.keys()
        imports[name] = sorted(found - {name})

    def cycle_from(name, path):
        for other in imports[name]:
            if other in path:
                return [*path[path.index(other):], other]
            found = cycle_from(other, [*path, other])
            if found:
                return found
        return None

    for name in sorted(imports):
        cycle = cycle_from(name, [name])
        assert cycle is None, f"an import cycle: {' -> '.join(cycle)}"
    assert "content_checks.files" in imports["content_checks.memo"]  # relative imports seen


def test_sys_path_is_changed_only_by_each_programs_entry_point():
    changes = {}
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        count = text.count("sys.path.insert") + text.count("sys.path.append")
        if count:
            changes[path.relative_to(ROOT).as_posix()] = count
    extra = {name: count for name, count in changes.items()
             if count > SYS_PATH_CHANGES.get(name, 0)}
    assert not extra, f"sys.path changed in {extra}: use build.plugins_importable()"
