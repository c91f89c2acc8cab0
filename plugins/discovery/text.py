"""Text for JSON-LD and link previews: plain words from HTML and fields, and the
theme's wording in the page's language."""

import lxml.html
from markupsafe import Markup

BLOCKS = {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "table", "tr", "div", "dl", "dt", "dd", "figure", "figcaption", "br"}


def plain_text(html):
    """HTML as the reader sees it: the words, one line per block, no markup."""
    if not html or not str(html).strip():
        return ""
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def text_of(html):
    """The words of an HTML field (a Summary), as plain text."""
    return " ".join(Markup(str(html or "")).striptags().split())


def plain(text):
    """A plain-text field (a Title, a name) on one line."""
    return " ".join(str(text or "").split())


def translate(ctx, text):
    """The theme's wording in the page's language (the gettext catalog the
    templates use, through their `_()`; `make translations` extracts these calls too)."""
    gettext = ctx.environment.globals.get("_")  # theme_filters remembers each text
    return str(ctx.call(gettext, text)) if gettext else text
