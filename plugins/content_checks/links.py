"""Links: in a file's text (`{filename}`, `{static}`, `{attach}`: the file exists, is
of the right kind, and never less public than the page), and in the built pages
(plain links lead to a page, `{tag}` and `{category}` lists exist, every `#anchor`
is on its page, no link lost its address to the sanitizer)."""

import difflib
import html
import re
from urllib.parse import unquote, urljoin, urlsplit

from pelican.urlwrappers import Author, Category, Tag

import pelican_internals

from .core import STATUSES, line_of, read_sources, resolve, status_of

LINK_SCHEMES = {"https", "http", "mailto", "tel"}  # never javascript: or data:
OLD_MARKER = re.compile(r"^\|(\w+)\|")
# A link to one of the lists Pelican makes: {tag}name, {category}name, {index} (or |tag|name).
LIST_LINK = re.compile(r"[{|](tag|category|index|author)[|}](.*)")
HREF = re.compile(r'href="([^"]*)"')
DROPPED_LINK = re.compile(r"<a(?=[\s>])(?![^>]*\shref=)[^>]*>([^<]*)")  # no href left
DROPPED_IMAGE = re.compile(r'<img(?![^>]*\ssrc=)[^>]*?(?:\salt="([^"]*)")?[^>]*>')
SRC = re.compile(r'src="([^"]*)"')
ID = re.compile(r' id="([^"]*)"')


def check_source_link(state, source, number, link):
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


def check_links_between(state):
    """Links from one file to another: a page never links to a page less public than
    itself (a draft, or a hidden page from a published one), and `{attach}` (which
    moves the file into the page's folder) never takes a file the site or another
    page uses."""
    sources = [s for s in state.sources.values() if s.fields and s.name not in state.broken]
    links = [(source, number, kind, resolve(source.name, target))
             for source in sources for number, kind, target in source.links]
    users = {}
    for source, _number, _kind, target in links:
        users.setdefault(target, set()).add(source.name)
    placed = state.settings.get("EXTRA_PATH_METADATA", {})
    for source, number, kind, target in links:
        if kind == "attach" and (target in placed or len(users[target]) > 1):
            other = sorted(users[target] - {source.name})
            who = (f"which {state.show(other[0])} uses too" if other and target not in placed
                   else "which the whole site uses")
            state.problem(
                source.name, number,
                f"`{{attach}}/{target}` would move {state.show(target)}, {who}, into this"
                f" page's folder. Write `{{static}}/{target}` instead.",
            )
        linked = state.sources.get(target)
        if kind == "filename" and linked is not None and linked.fields:
            less_public(state, source, number, f"{{filename}}/{target}", linked)


def less_public(state, source, number, link, target):
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
    )
    return True


def check_links(state, source, output):
    """Plain links lead to a built page; every #anchor is on the page it points to."""
    text = pelican_internals.page_html(source.content)
    check_dropped(state, source, text)
    for url in dict.fromkeys(html.unescape(u) for u in HREF.findall(text) + SRC.findall(text)):
        url = OLD_MARKER.sub(r"{\1}", url)  # |filename|x.md, as Pelican still reads it
        parts = urlsplit(url)
        if not scheme_allowed(state, source, url, parts):
            continue
        if parts.scheme or parts.netloc or url.startswith(("{static}", "{attach}")):
            continue
        listed = LIST_LINK.fullmatch(url)
        if listed:
            page = list_link_page(state, source, url, *listed.groups(), output)
        elif url.startswith("{filename}"):
            page = filename_link_page(state, source, url, parts, output)
        else:
            page = plain_link_page(state, source, url, parts, output)
            target = page and pages_by_file(state, output).get(page)
            if target and less_public(state, source, line_of(source, url), url, target):
                continue
        if page is not None and parts.fragment:
            check_anchor(state, source, url, parts.fragment, page)


def check_dropped(state, source, text):
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
            )


def pages_by_file(state, output):
    """{built file: its source} for this site's pages (drafts too, in their folder)."""
    if state.pages is None:
        state.pages = {output / s.save_as: s for s in read_sources(state) if s.save_as}
    return state.pages


def scheme_allowed(state, source, url, parts):
    """A link with a scheme must be a web address, `tel:` or `mailto:` (never
    `javascript:`); reports the link and returns False otherwise."""
    if parts.scheme and parts.scheme not in LINK_SCHEMES:
        state.problem(
            source.name, line_of(source, url),
            f"the link `{url}` is not a web address. Links must start with"
            " `https://`, `tel:` or `mailto:`, or point to a page of the site.",
        )
        return False
    return True


def filename_link_page(state, source, url, parts, output):
    """The built page a `{filename}` link with an #anchor leads to, or None when
    there is no anchor to check here (the file itself is checked before reading;
    a page in another language is built apart, and the tests check it)."""
    if not parts.fragment:
        return None
    target = state.sources.get(resolve(source.name, url.split("}", 1)[1]))
    if target is None or not target.save_as or target.lang != source.lang:
        return None
    return output / target.save_as


def list_link_page(state, source, url, kind, name, output):
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


def plain_link_page(state, source, url, parts, output):
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


def check_anchor(state, source, url, fragment, page):
    """The #anchor of a link is an id on the page it leads to."""
    if fragment not in ids_on(state, page):
        close = difflib.get_close_matches(fragment, sorted(ids_on(state, page)), n=1)
        fix = f"Did you mean `#{close[0]}`?" if close else "Check the part after `#`."
        state.problem(
            source.name, line_of(source, url),
            f"the link `{url}` points to `#{fragment}`, which is not on that page. {fix}",
        )


def ids_on(state, page):
    """The ids of a built page (read once per build)."""
    if page not in state.ids:
        state.ids[page] = set(ID.findall(page.read_text(encoding="utf-8")))
    return state.ids[page]
