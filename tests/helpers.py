"""Plain helpers shared by the test modules: paths, builds, built pages, servers.

The test modules import from here (and from theme_support.py and safety.py), never
from one another or from conftest.py: pytest loads conftest.py itself, for its
fixtures (the built site, content copies, the browser) and the markers.
test_tests.py checks that. The rule every test follows is conftest.py's docstring.

The project's plugins/, tools/ and bench/ are importable because pyproject.toml
puts them on the path (pytest's `pythonpath`), as it does this folder.
"""

import filecmp
import gzip
import json
import posixpath
import re
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import extruct
import lxml.html
from bs4 import BeautifulSoup
from pelican.settings import read_settings

import content_checks
from new_content import read_fields  # the metadata block, as the build reads it

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SITES = ROOT / "tests" / "sites"  # small sites a test builds (tests/README.md)
SETTINGS = read_settings(str(ROOT / "pelicanconf.py"))


# The content and the settings -----------------------------------------------------


def metadata(path):
    """A content file's `Field: value` block: {field name in lower case: value}."""
    problems = []
    fields = read_fields(path, problems)
    assert not problems, f"{path}: {problems}"
    return {name: value for name, (_, value) in fields.items()}


def run_checks(content, production=False):
    """The problems the content checks (plugins/content_checks) find in a content
    folder, as the lines the build prints, without building."""
    overrides = {"PATH": str(content), "PRODUCTION": production,
                 "LOAD_CONTENT_CACHE": False}  # the checks themselves, never remembered results
    pelican = SimpleNamespace(
        settings=read_settings(str(ROOT / "pelicanconf.py"), override=overrides))
    try:
        content_checks.on_initialized(pelican)
    except content_checks.ContentError:
        pass
    return content_checks.state.messages


def questions(content=CONTENT):
    """Each language's questions (content/faq) in the order the hub lists them, by
    Order, then Title: {"en": [metadata, ...], "es": [...]}."""
    found = {}
    for path in sorted((Path(content) / "faq").rglob("*.md")):
        meta = metadata(path)
        found.setdefault(meta.get("lang") or SETTINGS["DEFAULT_LANG"], []).append(meta)
    return {lang: sorted(items, key=lambda m: (int(m["order"]), m["title"]))
            for lang, items in found.items()}


EXTRA_QUESTIONS = 80  # added in every language by conftest's `grown`


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


# Folders of built files ------------------------------------------------------------


def files(folder):
    """Every file under folder, relative, with /, sorted."""
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())


def tree_differences(left, right):
    """Files that differ, or exist on one side only, compared byte for byte."""
    def same(name):
        a, b = Path(left, name), Path(right, name)
        return a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)

    return sorted(n for n in set(files(left)) | set(files(right)) if not same(n))


def snapshot(folder):
    """{relative path: bytes} of every file under folder."""
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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


# Building ------------------------------------------------------------------------


def run_build(output, settings="pelicanconf.py", content=CONTENT, cache=None, extra=None):
    """Build with the project's build command; return the finished process.

    settings is a file name in the project, or a path (a site in tests/sites/);
    extra is {setting: value} given to the build as Pelican's -e (values in JSON)."""
    command = [sys.executable, str(ROOT / "tools" / "build.py"), "-s", str(ROOT / settings),
               "-c", str(content), "-o", str(output),
               "--cache", str(cache or Path(output).parent / f".cache-{Path(output).name}")]
    if extra:
        command += ["-e", *(f"{name}={json.dumps(value)}" for name, value in extra.items())]
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
    """A whole build of the real content with these settings, as a Site."""
    output = tmp_path_factory.mktemp(name) / "output"
    result = run_build(output, settings)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"
    return Site(output, result.stdout + result.stderr, read_settings(str(ROOT / settings)))


# What a built page holds ------------------------------------------------------------

BLOCKS = "p, li, h2, h3, td, th, figcaption"


def prose_text(soup):
    """The body prose of a page as sentences: reference lists and citations aside."""
    prose = soup.select_one("main .app-prose")
    if prose is None:
        return ""
    sentences = []
    for block in prose.select(BLOCKS):
        if block.find_parent("li", id=True) or block.select(BLOCKS):
            continue  # a reference entry, or a container of other blocks
        text = " ".join(block.get_text(" ").split())
        text = re.sub(r"\([^()]*\b(19|20)\d\d\)", "", text)  # (Author, Journal, 2009)
        if text:
            sentences.append(text if text[-1] in ".?!:" else text + ".")
    return " ".join(sentences)


def url_of(site, relative):
    """The public address of a built file, as the build writes links to it."""
    return f"{site.settings['SITEURL']}/{address_of(relative)}"


def json_ld(site, relative):
    """The JSON-LD nodes of a page (the @graph flattened), parsed by extruct."""
    html = (site.output / relative).read_text(encoding="utf-8")
    found = extruct.extract(html, base_url=url_of(site, relative), syntaxes=["json-ld"],
                            uniform=False)["json-ld"]
    nodes = []
    for block in found:
        nodes += block.get("@graph", [block])
    return nodes


def types(node):
    """A JSON-LD node's @type, as a set."""
    kind = node.get("@type", [])
    return set([kind] if isinstance(kind, str) else kind)


def of_type(nodes, kind):
    return [n for n in nodes if kind in types(n)]


def faq_page_question(nodes):
    """The one Question of a question page's FAQPage, checked for what schema.org
    and search engines require: a FAQPage whose mainEntity is a list of Question,
    each with its name and an acceptedAnswer (an Answer) with its text."""
    faq_page, = of_type(nodes, "FAQPage")
    assert isinstance(faq_page["mainEntity"], list)
    question, = faq_page["mainEntity"]
    assert types(question) == {"Question"} and question["name"].strip()
    answer = question["acceptedAnswer"]
    assert types(answer) == {"Answer"} and answer["text"].strip()
    return question


def fragments(output):
    """Pagefind's page records: {url: {content, meta, ...}}."""
    found = {}
    for path in sorted((Path(output) / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        found[record["url"]] = record
    return found


# Serving the built site, and the browser ------------------------------------------

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


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
