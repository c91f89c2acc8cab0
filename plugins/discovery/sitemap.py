"""sitemap.xml for the live site (SITEMAP_SAVE_AS): one file for every language.

Each page at the canonical address and with the hreflang links its own head
declares (so the sitemap never disagrees with the pages). Listings get the
newest date of the guides they list, undated pages the newest date of their
language's site, never the time of the build, so two builds are identical.
"""

from html import escape
from pathlib import Path

import lxml.html


def write_sitemap(settings, written):
    """Write the sitemap from `written` (output path -> last change, dates.Dates):
    each public page at its canonical address, with its last change and the
    hreflang links the page itself declares."""
    entries = []
    for path, modified in written.items():
        head = head_links(path)
        if head is None or "canonical" not in head:
            continue  # not a page (a feed), or a page without an address of its own (404)
        entries.append((head["canonical"], modified, head["alternates"]))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml">',
    ]
    for url, modified, links in sorted(entries):
        lines.append(f"<url><loc>{escape(url)}</loc>")
        if modified is not None:
            lines.append(f"<lastmod>{modified.isoformat()}</lastmod>")
        lines += [
            f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
            for lang, href in links
        ]
        lines.append("</url>")
    lines.append("</urlset>")
    target = Path(settings["OUTPUT_PATH"], settings["SITEMAP_SAVE_AS"])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def head_links(path):
    """The canonical address and hreflang links a written HTML page declares."""
    if not path.endswith(".html"):
        return None
    with open(path, "rb") as page:
        head = page.read().split(b"</head>", 1)[0]
    tree = lxml.html.fromstring(head)
    found = {"alternates": []}
    for link in tree.iter("link"):
        if link.get("rel") == "canonical":
            found["canonical"] = link.get("href")
        elif link.get("rel") == "alternate" and link.get("hreflang"):
            found["alternates"].append((link.get("hreflang"), link.get("href")))
    return found
