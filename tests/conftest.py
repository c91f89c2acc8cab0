"""Shared fixtures: the real site, built once per test session into a temporary folder.

The rule for every test: a test takes what it expects from the content and the
settings, read when it runs, and pins a rule, not today's text. Editors change
the content and the settings every day (a new question, a Reviewed date set to
today, VIDEO_ID filled in): the tests must stay green through such routine edits
and fail only when a rule is broken.

- What the site shows (its questions, its newest date, its video) is read from
  the content files (`metadata()`) and the settings (`SETTINGS`, `site.settings`)
  first, then compared with the built pages; never a date, a count, a title or a
  list of slugs copied from today's content.
- A count asserts a rule ("every question is on the hub", "one result per
  guide"), not a number that removing a page would break. A lower bound only
  guards against a check that silently saw nothing, and stays far below the
  site's size.
- A test that needs a page in a given state (a video set, a date changed, more
  questions) builds a copy in that state (`content_copy`, `run_build`,
  theme_support.build_variant) instead of relying on the real content being so.
- A test may use a real page as its subject (recovery.md, does-it-hurt.md) when
  it edits a copy of it; it then finds what it changes (a field by name), not
  today's wording.
"""

import filecmp
import posixpath
import shutil
import subprocess
import sys
import threading
import types
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from bs4 import BeautifulSoup
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
sys.path.insert(0, str(ROOT / "plugins"))  # our plugins, importable by the tests

sys.path.insert(0, str(ROOT / "tools"))

import content_checks  # noqa: E402
from hosting_headers import load_hosting  # noqa: E402,F401  deploy/hosting.py, loaded one way
from new_content import read_fields  # noqa: E402  the metadata block, as the build reads it

SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


def metadata(path):
    """A content file's `Field: value` block: {field name in lower case: value}."""
    problems = []
    fields = read_fields(path, problems)
    assert not problems, f"{path}: {problems}"
    return {name: value for name, (_, value) in fields.items()}


@pytest.fixture
def today():
    """Today at the practice (its TIMEZONE), as the build sees it: taken when the test
    runs, not when the tests are collected (a run may pass midnight)."""
    return content_checks.today_at_the_practice(SETTINGS)


def run_checks(content, production=False):
    """The problems the content checks (plugins/content_checks) find in a content
    folder, as the lines the build prints, without building."""
    overrides = {"PATH": str(content), "PRODUCTION": production,
                 "LOAD_CONTENT_CACHE": False}  # the checks themselves, never remembered results
    pelican = types.SimpleNamespace(
        settings=read_settings(str(ROOT / "pelicanconf.py"), override=overrides))
    try:
        content_checks.on_initialized(pelican)
    except content_checks.ContentError:
        pass
    return content_checks.state.messages


def files(folder):
    """Every file under folder, relative, with /, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())


def tree_differences(left, right):
    """Files that differ, or exist on one side only, compared byte for byte."""
    def same(name):
        a, b = Path(left, name), Path(right, name)
        return a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)

    return sorted(n for n in set(files(left)) | set(files(right)) if not same(n))


def address_of(relative):
    """The address of a built file relative to the site root, as links name it:
    'faq/index.html' -> 'faq/', 'index.html' -> '', '404.html' -> '404.html'."""
    return relative.removesuffix("index.html") if relative.rsplit("/", 1)[-1] == "index.html" else relative


def file_of(output, page, href):
    """The built file (relative, with /) a local link on page leads to, and its #fragment.
    The link may start with / or be relative; a folder stands for its index.html."""
    parts = urlsplit(href)
    if not parts.path:
        return page, parts.fragment  # "#section": the page itself
    path = posixpath.normpath(posixpath.join("/" + posixpath.dirname(page), unquote(parts.path)))
    path = path.lstrip("/")
    if (Path(output) / path).is_dir():
        path = posixpath.join(path, "index.html")
    return path, parts.fragment


def wording(page, english):
    """The theme's text as a page shows it: English, or on es/ pages the Spanish
    of the catalog (theme/translations)."""
    if not page.startswith("es/"):
        return english
    if not SPANISH:
        from babel.messages.pofile import read_po

        catalog = ROOT / "theme" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
        SPANISH.update({m.id: m.string for m in read_po(catalog.open("rb")) if m.id})
    return SPANISH[english]


SPANISH = {}


def run_build(output, settings="pelicanconf.py", content=CONTENT, cache=None):
    """Build with the project's build command; return the finished process."""
    command = [sys.executable, str(ROOT / "tools" / "build.py"), "-s", str(ROOT / settings),
               "-c", str(content), "-o", str(output),
               "--cache", str(cache or Path(output).parent / f".cache-{Path(output).name}")]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT)


@dataclass
class Site:
    """A built site: its folder, the build's messages and parsed pages."""

    output: Path
    log: str
    settings: dict
    _soups: dict = field(default_factory=dict)
    _trees: dict = field(default_factory=dict)

    def html_files(self):
        return sorted(
            p for p in self.output.rglob("*.html") if "pagefind" not in p.parts
        )

    def soup(self, relative):
        """The parsed page at a path like 'faq/index.html'."""
        path = self.output / relative
        if path not in self._soups:
            self._soups[path] = BeautifulSoup(path.read_bytes(), "lxml")
        return self._soups[path]

    def pages(self):
        """(relative path, parsed page) for every HTML page."""
        for path in self.html_files():
            yield path.relative_to(self.output).as_posix(), self.soup(path.relative_to(self.output))

    def tree(self, relative):
        """The page at a path like 'faq/index.html' as an lxml tree (its <html>).

        About 20 times faster to parse than soup(): use it in checks that read
        every page (.cssselect(), .xpath()). See bench/ for the figures."""
        path = self.output / relative
        if path not in self._trees:
            self._trees[path] = lxml.html.fromstring(path.read_bytes())
        return self._trees[path]

    def trees(self):
        """(relative path, lxml tree) for every HTML page."""
        for path in self.html_files():
            name = path.relative_to(self.output).as_posix()
            yield name, self.tree(name)


def build_site(tmp_path_factory, name, settings):
    output = tmp_path_factory.mktemp(name) / "output"
    result = run_build(output, settings)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"
    return Site(output, result.stdout + result.stderr, read_settings(str(ROOT / settings)))


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The development build of the real content."""
    return build_site(tmp_path_factory, "dev", "pelicanconf.py")


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The production build (publishconf.py) of the real content."""
    return build_site(tmp_path_factory, "publish", "publishconf.py")


@pytest.fixture
def content_copy(tmp_path):
    """A throwaway copy of the real content, for tests that break it on purpose."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


# Serving the built site, and a real browser -----------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(folder):
    """Serve a folder on 127.0.0.1 from a background thread; returns the server."""
    handler = partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def site_url(site):
    """The development build served over HTTP, e.g. http://127.0.0.1:40123."""
    server = serve(site.output)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium: its path. A test that needs it asks for this fixture (or for
    `browser`, `page`), which marks it `browser`."""
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: run tools/system-deps.sh"
    return executable


@pytest.fixture(scope="session")
def java():
    """Java, for the Nu Html Checker: its path. Marks the test `browser` (a page checker)."""
    executable = shutil.which("java")
    assert executable, "Java is missing: run tools/system-deps.sh"
    return executable


@pytest.fixture(scope="session")
def browser(chromium):
    """Debian's Chromium, driven by Playwright. Browser tests never skip."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab at phone size (375 x 812)."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    tab = context.new_page()
    yield tab
    context.close()


# The questions, and the site as it grows ----------------------------------------


def questions(content=CONTENT):
    """Each language's questions (content/faq) in the order the hub lists them, by
    Order, then Title: {"en": [metadata, ...], "es": [...]}."""
    found = {}
    for path in sorted((Path(content) / "faq").rglob("*.md")):
        meta = metadata(path)
        found.setdefault(meta.get("lang") or SETTINGS["DEFAULT_LANG"], []).append(meta)
    return {lang: sorted(items, key=lambda m: (int(m["order"]), m["title"]))
            for lang, items in found.items()}


EXTRA_QUESTIONS = 80


@pytest.fixture(scope="session")
def grown(tmp_path_factory):
    """The development build of the real content with EXTRA_QUESTIONS more questions
    in every language, copies of one as an editor would make them
    (bench/synth.py add_questions): the site as it grows. Its content folder is
    `grown.content`."""
    sys.path.insert(0, str(ROOT / "bench"))
    import synth

    folder = tmp_path_factory.mktemp("grown")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    synth.add_questions(content, EXTRA_QUESTIONS)
    result = run_build(folder / "output", content=content)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"
    built = Site(folder / "output", result.stdout + result.stderr, SETTINGS)
    built.content = content
    return built


# Markers, from the fixtures a test uses (tests/README.md) -------------------------

# A test that uses one of these fixtures (itself or through another fixture) gets the marker.
FIXTURE_MARKERS = {
    "chromium": "browser",  # browser, page, the accessibility pass, Lighthouse
    "java": "browser",  # the Nu Html Checker
    "nginx_program": "nginx",
    "published": "slow",  # a whole extra build: the production one
    "grown": "slow",  # the site with more questions
    "production": "slow",  # test_lighthouse's production build
    "served_locally": "slow",  # test_nginx's production build for the browser
}
# A test whose own code calls one of these builds the site again: `slow`.
BUILDERS = {"run_build", "build_variant", "video_build", "build_site"}


def pytest_collection_modifyitems(items):
    """Mark each test `browser`, `nginx` or `slow` from what it uses (pyproject.toml)."""
    for item in items:
        marks = {FIXTURE_MARKERS[name] for name in item.fixturenames if name in FIXTURE_MARKERS}
        if BUILDERS & set(item.function.__code__.co_names):
            marks.add("slow")
        for mark in sorted(marks):
            item.add_marker(mark)


def search_results(page, site):
    """The search page's results, as lists of addresses: pages with the same text
    (copies of one page, as an editor makes when starting new questions from one)
    form one entry, in the order the first of them came. A test of the search's
    ranking reads these, so that copies of a page do not push the pages it expects
    out of view."""
    groups = {}
    for link in page.locator("#search-results ol a").element_handles():
        path = urlsplit(link.get_attribute("href")).path
        built = site.output / path.lstrip("/") / "index.html"
        prose = site.tree(built.relative_to(site.output).as_posix()).cssselect("main .app-prose")
        text = " ".join(prose[0].text_content().split()) if prose else path
        groups.setdefault(text, []).append(path)
    return list(groups.values())
