"""content_checks: stop the build on editor mistakes, with a one-line fix for each.

Every problem is logged as an error that names the file (and the line where it
can), says what is wrong and how to fix it. Problems found before writing stop
the build before anything is written; the build wrapper then keeps the old site.
Pages due for medical review are logged as notices, which do not stop the build.
"""

import datetime
import logging
import posixpath
import re
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from pelican import signals

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1_000_000
KNOWN_FIELDS = {
    "title", "date", "modified", "category", "tags", "slug", "summary",
    "reviewed", "type", "order", "template", "save_as", "url", "status",
    "video", "checklist", "lang",
}  # fmt: skip
META_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(.*)$")
HTML_TAG = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)(?![A-Za-z0-9-]*:)[^>]*>")
CODE = re.compile(r"`[^`\n]*`")
LINK_ATTR = re.compile(r"""\b(href|src)\s*=\s*["']([^"']*)["']""")
IMG_TAG = re.compile(r"<img\b[^>]*>")
ID_ATTR = re.compile(r"""\bid\s*=\s*["']([^"']+)["']""")
PELICAN_LINK = re.compile(r"^\{(filename|static|attach)\}(.*)$")


class ContentError(Exception):
    """Raised once the problems it counts have all been logged."""

    already_reported = True


class Checker:
    """Holds one build's settings and the problems found so far."""

    def __init__(self, settings):
        self.settings = settings
        self.content_root = Path(settings["PATH"])
        self.problem_count = 0
        self.written = {}  # output file -> content object

    def show(self, path):
        """The file's name as the editor sees it: content/faq/x.md."""
        path = Path(path)
        try:
            return str(path.relative_to(self.content_root.parent))
        except ValueError:
            return str(path)

    def problem(self, path, line, message):
        self.problem_count += 1
        where = f"{self.show(path)}:{line}" if line else self.show(path)
        log.error("%s: %s", where, message)

    def stop_if_problems(self, stage):
        if self.problem_count:
            count = self.problem_count
            raise ContentError(f"{count} content problem(s) found {stage}")


checker = None


def line_of(path, needle):
    """The first line number of a file that contains needle, or None."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for number, line in enumerate(lines, start=1):
        if needle in line:
            return number
    return None


# 1. Before Pelican reads anything: the raw files ----------------------------


def content_files(settings):
    root = Path(settings["PATH"])
    folders = settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]
    for folder in folders:
        yield from sorted((root / folder).rglob("*.md"))


def check_raw_file(path):
    data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        checker.problem(
            path, None,
            f"the file is {len(data) / 1_000_000:.1f} MB; a page must be under 1 MB."
            " Remove pasted material or split it into several pages.",
        )  # fmt: skip
        return
    if not data.strip():
        checker.problem(
            path, None,
            "the file is empty. Start from `make newarticle` or `make newfaq`,"
            " or delete the file.",
        )  # fmt: skip
        return
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        checker.problem(
            path, line,
            "the file is not saved as UTF-8 text. Save it again with the"
            " encoding set to UTF-8 in your editor.",
        )  # fmt: skip
        return
    check_metadata_block(path, text)
    check_raw_html(path, text)


def check_metadata_block(path, text):
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not META_LINE.match(lines[0]):
        checker.problem(
            path, 1,
            "the file must start with its metadata block (lines like `Title: ...`)."
            " Add it at the top, then one empty line, then the text.",
        )  # fmt: skip
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            return
        if line.startswith((" ", "\t")):  # continuation of the line above
            continue
        match = META_LINE.match(line)
        if not match:
            checker.problem(
                path, number,
                f"`{line.strip()[:40]}` in the metadata block has no colon."
                " Write it as `Field: value`, and leave one empty line before the text.",
            )  # fmt: skip
        elif match.group(1).lower() not in KNOWN_FIELDS:
            known = ", ".join(sorted(f.capitalize() for f in KNOWN_FIELDS))
            checker.problem(
                path, number,
                f"unknown field `{match.group(1)}`. Check the spelling; known fields:"
                f" {known}.",
            )  # fmt: skip


def check_raw_html(path, text):
    in_body = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not in_body:
            in_body = not line.strip()  # the body starts after the first empty line
            continue
        tag = HTML_TAG.search(CODE.sub("", line))
        if not tag:
            continue
        name = tag.group(2).lower()
        if name == "script":
            fix = "Scripts are not allowed in content. Remove the <script> tag."
        else:
            fix = "Use Markdown instead (see README: Writing content)."
        checker.problem(path, number, f"HTML tag <{tag.group(1)}{name}> found. {fix}")


def on_initialized(pelican):
    global checker
    checker = Checker(pelican.settings)
    for path in content_files(pelican.settings):
        check_raw_file(path)
    checker.stop_if_problems("in the content files")


# 2. After reading, before writing: metadata and links -----------------------


def metadata_text(content, name):
    value = content.metadata.get(name)
    if value is None:
        return ""
    text = re.sub(r"<[^>]+>", "", str(value))
    return " ".join(text.split())


def check_metadata(content):
    settings = checker.settings
    path = content.source_path
    page_type = content.metadata.get("type", "")

    def problem(field, message):
        checker.problem(path, line_of(path, f"{field.capitalize()}:"), message)

    for field in settings["REQUIRED_METADATA"]:
        if not metadata_text(content, field):
            checker.problem(
                path, None,
                f"`{field.capitalize()}` is missing or empty. Add a line"
                f" `{field.capitalize()}: ...` to the metadata block at the top.",
            )  # fmt: skip
    if page_type and page_type not in settings["PAGE_TYPES"]:
        known = ", ".join(settings["PAGE_TYPES"])
        problem("type", f"unknown page type `{page_type}`. Use one of: {known}.")
    if content.__class__.__name__ == "Article":
        if page_type and page_type != "article":
            problem("type", "files in articles/ must have `Type: article`.")
        category = str(content.metadata.get("category", ""))
        if category not in settings["ARTICLE_CATEGORIES"]:
            known = ", ".join(settings["ARTICLE_CATEGORIES"])
            problem(
                "category",
                f"unknown category `{category}`. Use one of: {known}.",
            )
    summary = metadata_text(content, "summary")
    low, high = settings["SUMMARY_LENGTH"]
    if summary and not low <= len(summary) <= high:
        problem(
            "summary",
            f"`Summary` is {len(summary)} characters long; it must be {low} to {high}"
            " (it is what search engines show under the title).",
        )
    if page_type == "faq":
        try:
            int(str(content.metadata.get("order", "")))
        except ValueError:
            problem("order", "`Order` must be a whole number, like `Order: 3`.")
    if settings["PAGE_TYPES"].get(page_type, {}).get("medical"):
        check_reviewed(content, problem)


def check_reviewed(content, problem):
    raw = metadata_text(content, "reviewed")
    if not raw:
        checker.problem(
            content.source_path, None,
            "`Reviewed` is missing. Add `Reviewed: YYYY-MM-DD`, the date of the last"
            " medical review.",
        )  # fmt: skip
        return
    try:
        reviewed = datetime.date.fromisoformat(raw)
    except ValueError:
        problem(
            "reviewed",
            f"`Reviewed: {raw}` is not a real date. Write it as YYYY-MM-DD,"
            " for example `Reviewed: 2026-03-15`.",
        )
        return
    today = datetime.date.today()
    if reviewed > today:
        problem(
            "reviewed",
            f"`Reviewed: {raw}` is in the future. Use the date the review happened.",
        )
    elif (today - reviewed).days > checker.settings["REVIEW_DUE_DAYS"]:
        log.info(
            "%s: last reviewed %s; please have it reviewed and update `Reviewed`.",
            checker.show(content.source_path), raw,
            extra={"notice": True},
        )  # fmt: skip


def check_duplicates(contents):
    seen = defaultdict(list)
    for content in contents:
        if content.save_as:
            seen[content.save_as].append(content)
    for save_as, same in seen.items():
        if len(same) > 1:
            others = ", ".join(checker.show(c.source_path) for c in same[1:])
            first = same[0]
            checker.problem(
                first.source_path, line_of(first.source_path, "Slug:"),
                f"the slug `{first.slug}` is also used by {others}. Give each page"
                " its own `Slug`.",
            )  # fmt: skip


def check_links(content, context):
    """Links in the text: {filename} targets exist; images have alt text."""
    raw = content._content or ""
    for tag in IMG_TAG.findall(raw):
        alt = re.search(r"""\balt\s*=\s*["']([^"']*)["']""", tag)
        if not alt or not alt.group(1).strip():
            src = (LINK_ATTR.search(tag) or [None, None, "?"])[2]
            name = src.rsplit("/", 1)[-1]
            checker.problem(
                content.source_path, line_of(content.source_path, name),
                f"the image `{name}` has no text alternative. Describe it inside the"
                f" brackets: `![What the picture shows]({src})`.",
            )  # fmt: skip
    for url in sorted({url for _attr, url in LINK_ATTR.findall(raw)}):
        match = PELICAN_LINK.match(url)
        if not match:
            continue
        target = match.group(2).split("#")[0].split("?")[0]
        if target.startswith("/"):
            relative = target.lstrip("/")
        else:
            relative = posixpath.normpath(
                posixpath.join(posixpath.dirname(content.relative_source_path), target)
            )
        known = context["generated_content"].keys() | context["static_content"].keys()
        if relative not in known:
            checker.problem(
                content.source_path, line_of(content.source_path, match.group(0)),
                f"the link `{url}` points to a file that does not exist. Check the"
                " file name, or remove the link.",
            )  # fmt: skip


def on_all_generators_finalized(generators):
    contents = []
    for generator in generators:
        contents += getattr(generator, "articles", [])
        contents += getattr(generator, "drafts", [])
        contents += getattr(generator, "pages", [])
        contents += getattr(generator, "hidden_pages", [])
        contents += getattr(generator, "draft_pages", [])
    context = generators[0].context
    for content in contents:
        check_metadata(content)
        check_links(content, context)
    check_duplicates(contents)
    checker.stop_if_problems("in the content")


# 3. After writing: required sections and plain links, on the built pages ----


def on_content_written(path, context):
    content = context.get("article") or context.get("page")
    if content is None or context.get("articles_page") is not None:
        return
    if Path(path).name != "index.html" and not str(path).endswith(".html"):
        return
    if getattr(content, "save_as", None) and str(path).endswith(content.save_as):
        checker.written[Path(path)] = content


def check_sections(page_path, tree, content):
    page_type = content.metadata.get("type", "")
    for what, selector, minimum in checker.settings["PAGE_TYPES"][page_type]["sections"]:
        if len(tree.cssselect(selector)) < minimum:
            checker.problem(
                content.source_path, None,
                f"a page of type `{page_type}` needs {what}, and this one has not."
                " See README: Writing content.",
            )  # fmt: skip


def check_page_links(page_path, content, output):
    """Plain site links in the text (not {filename} ones) lead to built files."""
    raw = content._content or ""
    base = content.url
    for _attr, url in LINK_ATTR.findall(raw):
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("{", "#")) or not url:
            continue
        target = posixpath.normpath(posixpath.join("/" + base, unquote(parts.path)))
        file = output / target.lstrip("/")
        if url.endswith("/") or file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            checker.problem(
                content.source_path, line_of(content.source_path, url),
                f"the link `{url}` leads to a page that does not exist. Link to the"
                " Markdown file instead, like `[text]({filename}/faq/does-it-hurt.md)`.",
            )  # fmt: skip


def check_fragments(page_path, tree, content, output):
    """#anchors in the text point at an id on the target page."""
    for element in tree.cssselect("main .app-prose a[href*='#']"):
        href = element.get("href")
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        if parts.path:
            target = (page_path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
        else:
            target = page_path
        if not target.is_file():
            continue  # reported as a missing page
        ids = set(ID_ATTR.findall(target.read_text(encoding="utf-8")))
        if parts.fragment not in ids:
            checker.problem(
                content.source_path, line_of(content.source_path, "#" + parts.fragment),
                f"the link `{href}` points to `#{parts.fragment}`, which is not on"
                " that page. Check the part after `#`.",
            )  # fmt: skip


def on_finalized(pelican):
    output = Path(pelican.settings["OUTPUT_PATH"])
    for page_path, content in checker.written.items():
        tree = lxml.html.fromstring(page_path.read_bytes())
        check_sections(page_path, tree, content)
        check_page_links(page_path, content, output)
        check_fragments(page_path, tree, content, output)
    checker.stop_if_problems("in the built pages")


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(on_finalized)
