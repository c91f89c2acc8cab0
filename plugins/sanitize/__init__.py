"""sanitize: the guarantee that no page carries markup an editor did not mean.

The templates autoescape (JINJA_ENVIRONMENT in pelicanconf.py), so titles,
summaries, tags and every other field are plain text wherever they land. The
one exception is the HTML that Markdown makes of a page's text: it passes
through `clean()`, an allowlist sanitizer (nh3, the Ammonia binding), and only
then is it marked safe.

- Allowed: exactly the elements and attributes our Markdown produces (CONTENT_TAGS,
  CONTENT_ATTRIBUTES), links to https, http, mailto and tel addresses and to the
  site itself, and images from the site itself.
- Everything else goes: other elements (their text stays, except script and
  style, which go whole), event handlers, style, comments, javascript: and data:
  addresses, images from other sites.

`clean()` runs twice: on each page's HTML as Pelican reads it (so the feeds and
anything else that reads the content get the clean text) and in the `sanitized`
template filter, the only way the theme marks HTML safe.

The source checks (plugins/content_checks) refuse the same things earlier, with
a message for the editor; this plugin does not depend on them.

nh3 is called once for each distinct input in a build: `clean()` remembers what
it returned for it (keyed by a digest of the input and the site's origin) until
the next build starts. Nothing is kept between builds: a results file in the
cache folder could be written by someone else, and nh3 on every page of a build
costs little (0.02 s on this site, 0.2 s at 1,000 articles).
"""

import hashlib
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup
from pelican import signals

import pelican_internals

CONTENT_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "blockquote", "hr", "br",
    "h2", "h3", "h4", "ul", "ol", "li", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}
CONTENT_ATTRIBUTES = {
    "*": {"id"},
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"https", "http", "mailto", "tel"}
DROPPED_WHOLE = {"script", "style"}  # their text is code, not words

# The site's own scheme and host (empty in development, where every local
# address is relative); set when the build starts, the same for every language.
site = {"origin": ""}

# What nh3 returned in this build: digest of (origin, input) -> output, or None when
# the output is the input itself (Markdown's HTML usually is).
memo = {}
MISSING = object()


def origin(url):
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""


def same_site(url):
    """True for a relative address, or an absolute one on the site's own host."""
    parts = urlsplit(url.strip())
    if not parts.scheme and not parts.netloc:
        return True
    return bool(site["origin"]) and origin(url) == site["origin"]


def keep_attribute(tag, attribute, value):
    """nh3's attribute filter: images only from the site itself."""
    if tag == "img" and attribute == "src" and not same_site(value):
        return None
    return value


def clean(html):
    """The HTML with everything outside the allowlist removed."""
    if not html:
        return html or ""
    html = str(html)
    key = hashlib.sha256(f"{site['origin']}\0{html}".encode()).hexdigest()
    found = memo.get(key, MISSING)
    if found is MISSING:
        output = nh3_clean(html)
        found = memo[key] = None if output == html else output
    return html if found is None else found


def nh3_clean(html):
    return nh3.clean(
        html,
        tags=CONTENT_TAGS,
        clean_content_tags=DROPPED_WHOLE,
        attributes=CONTENT_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
    )


def sanitized(html):
    """Template filter: the cleaned HTML, marked safe for autoescaping templates."""
    return Markup(clean(html))


def on_initialized(pelican):
    settings = pelican.settings
    site["origin"] = origin(settings.get("SITEURL", ""))
    settings.setdefault("JINJA_FILTERS", {})["sanitized"] = sanitized
    if not settings.get("LANGUAGE_SUBSITE"):  # a sub-site is built inside the main one
        memo.clear()


def on_content(instance):
    """Clean a page's HTML and its summary as soon as Pelican has read them."""
    html = pelican_internals.page_html(instance)
    if html:
        pelican_internals.replace_page_html(instance, clean(html))
    if "summary" in instance.metadata:
        pelican_internals.replace_page_summary(instance, clean(instance.metadata["summary"]))


def register():
    signals.initialized.connect(on_initialized)
    signals.content_object_init.connect(on_content)
