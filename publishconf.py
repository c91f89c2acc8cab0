"""Production settings: everything in pelicanconf.py, plus what the live site needs."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: F403

# The address the site is published at. Change it here if the site moves.
SITEURL = "https://kyphoplasty.example.org"
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
# Each language's sub-site has its own feed, with its own addresses.
I18N_SUBSITES = {lang: {**overrides, "FEED_DOMAIN": f"{SITEURL}/{lang}"}
                 for lang, overrides in I18N_SUBSITES.items()}  # noqa: F405
FEED_ATOM = "feeds/articles.atom.xml"  # the guides in the language of its site

DELETE_OUTPUT_DIRECTORY = True

# Drafts (Status: draft) are for the preview only: the live site never writes
# them, so they are in no page, search index, sitemap or feed.
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
PRODUCTION = True

# sitemap.xml for search engines: every language's pages, with each page's last
# change taken from the content (plugins/discovery); robots.txt points to it.
SITEMAP_SAVE_AS = "sitemap.xml"
TEMPLATE_PAGES = {str(HERE / "theme" / "templates" / "robots.txt"): "robots.txt"}  # noqa: F405

# After every other plugin: `_headers` for Netlify and Cloudflare Pages
# (deploy/hosting.py), and .gz and .br copies of text files for servers that
# serve them as they are (nginx: deploy/nginx/kyphoplasty.conf). Both run on
# pelican-granular-signals' late signals, so the search index is compressed too.
PLUGINS = PLUGINS + ["hosting_headers", "pelican.plugins.precompress"]  # noqa: F405
PRECOMPRESS_TEXT_EXTENSIONS = {
    ".html", ".css", ".js", ".json", ".svg", ".ico", ".webmanifest", ".xml", ".txt", ".atom",
}
