"""What a safe built page is: the allowlist the security tests check every page against.

A page may hold only the theme's elements and the content's (plugins/sanitize),
no event handler, no script but the theme's own file and JSON-LD, and no
address that runs code or loads from another site.
"""

import json
import re
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

from sanitize import CONTENT_TAGS

THEME_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "div", "span",
    "p", "br", "nav", "ul", "ol", "li", "main", "article", "section", "aside", "footer",
    "h1", "h2", "form", "label", "input", "button", "noscript", "details", "summary",
    "svg", "path", "time", "img", "strong",
}
ALLOWED_TAGS = THEME_TAGS | CONTENT_TAGS
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "poster", "data", "content"}
URL_METAS = {"og:url", "og:image", "twitter:image"}
SCHEMES = {"", "http", "https", "mailto", "tel"}
THEME_SCRIPT = re.compile(r"(^|/)theme/js/site\.[0-9a-f]{8}\.js$")
CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def problems_in_page(html, siteurl=""):
    """Everything in a built page outside the allowlist, as a list of strings."""
    found = []
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag not in ALLOWED_TAGS:
            found.append(f"element <{tag}>")
        if tag == "script" and not (
            THEME_SCRIPT.search(element.get("src", ""))
            or element.get("type") == "application/ld+json" and json_ok(element.text)
        ):
            found.append(f"script {element.get('src') or (element.text or '')[:60]!r}")
        if tag == "meta" and element.get("http-equiv") is not None:
            found.append("meta http-equiv")
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                found.append(f"attribute {name} on <{tag}>")
            if name in URL_ATTRIBUTES and (tag != "meta" or is_url_meta(element)):
                found += url_problems(tag, name, value, siteurl)
    return found


def is_url_meta(meta):
    """A <meta> whose content is an address (the others hold text)."""
    return (meta.get("property") or meta.get("name")) in URL_METAS


def url_problems(tag, name, value, siteurl):
    url = CONTROL.sub("", value).lower()
    scheme = urlsplit(url).scheme if ":" in url.split("/")[0] else ""
    if scheme not in SCHEMES:
        return [f"{scheme}: address in {name} of <{tag}>"]
    if tag == "img" and name == "src" and not same_site(value, siteurl):
        return [f"image from another site: {value}"]
    return []


def same_site(url, siteurl):
    parts = urlsplit(url)
    if not parts.scheme and not parts.netloc:
        return True
    return bool(siteurl) and url.startswith(siteurl.rstrip("/") + "/")


def json_ok(text):
    try:
        json.loads(text or "")
    except ValueError:
        return False
    return "<" not in (text or "")  # |tojson writes < as \u003c: nothing can close the tag


def problems_in_fragment(html, siteurl=""):
    """The same check for an HTML fragment, such as a feed entry's summary."""
    return problems_in_page(f"<html><body>{html}</body></html>", siteurl)


def problems_in_feed(xml_bytes, siteurl=""):
    """Atom entries whose HTML summary or content is outside the allowlist."""
    found = []
    root = lxml.etree.fromstring(xml_bytes)
    for node in root.iter("{http://www.w3.org/2005/Atom}summary",
                          "{http://www.w3.org/2005/Atom}content"):
        if node.get("type") == "html" and node.text:
            found += problems_in_fragment(node.text, siteurl)
    return found
