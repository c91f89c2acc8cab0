"""discovery: what search engines, link previews and assistants read about each page.

The package, by job:

- dates: each page's `modified` (the newest of its Date, Reviewed and Modified),
  and one build's `Dates` (the newest date of each language's site, every page
  written and its last change), made when the main site starts.
- json_ld: `structured_data()`, the page's JSON-LD @graph.
- crumbs: the breadcrumb trail (`breadcrumb_trail()` in templates) and
  `document_name()`, the page's name for link previews (og:title).
- languages: `language_versions()` for the language switch, `alternates()` for
  the hreflang links, `root_url()` (pelican-i18n-subsites).
- sitemap: sitemap.xml for the live site (SITEMAP_SAVE_AS), every language in one
  file, from the pages as written.
- page (which page is being written, its address, `once_per_page`) and text
  (plain words, the theme's wording): what the others share.

This module checks the settings (DISCOVERY), gives the templates their globals
and connects the signals; the handlers find the current build's Dates in `dates`.
"""

from jinja2 import pass_context
from pelican import signals

import plugin_settings

from .crumbs import document_name, page_crumbs
from .dates import Dates, content_dates
from .json_ld import structured_data
from .languages import alternates, language_versions, root_url
from .page import once_per_page, page_path
from .sitemap import write_sitemap
from .text import plain, plain_text, text_of, translate

__all__ = [
    "Dates", "alternates", "content_dates", "document_name", "language_versions",
    "once_per_page", "page_crumbs", "page_path", "plain", "plain_text", "root_url",
    "structured_data", "text_of", "translate", "write_sitemap",
]

OPTIONS = {"procedure_article": ""}  # DISCOVERY: the slug of the procedure's guide

dates = None  # the current build's Dates (the main site's, shared by its sub-sites)


def on_initialized(pelican):
    """The settings checked, the templates' globals, and a new build's Dates."""
    global dates
    # Checked, and every key there for the templates' context (ctx["DISCOVERY"]).
    pelican.settings["DISCOVERY"] = plugin_settings.read(pelican.settings, "DISCOVERY", OPTIONS)
    jinja_globals = pelican.settings.setdefault("JINJA_GLOBALS", {})
    jinja_globals["language_versions"] = language_versions
    jinja_globals["alternates"] = alternates
    jinja_globals["root_url"] = root_url
    jinja_globals["structured_data"] = structured_data
    jinja_globals["document_name"] = document_name
    jinja_globals["breadcrumb_trail"] = pass_context(page_crumbs)
    if not pelican.settings.get("LANGUAGE_SUBSITE"):
        dates = Dates()


def on_all_generators_finalized(generators):
    dates.set_modified(generators)


def on_content_written(path, context):
    dates.note_written(path, context)


def on_finalized(pelican):
    """The sitemap, once every language is written (the main site finishes last)."""
    settings = pelican.settings
    if not settings.get("LANGUAGE_SUBSITE") and settings.get("SITEMAP_SAVE_AS"):
        write_sitemap(settings, dates.written)


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(on_finalized)
