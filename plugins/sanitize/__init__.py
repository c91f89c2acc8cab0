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

nh3 is called once for each distinct input: `clean()` remembers what it returned
for it (keyed by a digest of the input and the site's origin), and the main
site keeps those results in the content cache folder (CACHE_PATH) for the next
build, like Pelican's own cache. That file is read only
when it was written with the same nh3 version and this same file (the
allowlist), so a change of either means a fresh start; it holds only the
results the last build used.
"""

import hashlib
import os
import json
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup
from pelican import signals

CONTENT_TAGS = {
    "p", "a", "em", "strong", "code", "pre", "blockquote", "hr", "br",
    "h2", "h3", "h4", "ul", "ol", "li", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
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

MEMO_FILE = "sanitize-results.json"  # in CACHE_PATH
# What nh3 returned: digest of (origin, input) -> output, or None when the output
# is the input itself (Markdown's HTML usually is). `used`: the digests looked up
# since the build started, the only ones written to the cache file; `loaded`:
# those read from it (the file is written again only if they differ).
memo, used, loaded = {}, set(), set()
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
    used.add(key)
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


def memo_stamp():
    """What the results depend on besides the input: nh3 and this file."""
    return hashlib.sha256(version("nh3").encode() + Path(__file__).read_bytes()).hexdigest()


def load_memo(settings):
    memo.clear()
    used.clear()
    loaded.clear()
    if not settings.get("LOAD_CONTENT_CACHE"):
        return
    try:
        saved = json.loads((Path(settings["CACHE_PATH"]) / MEMO_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or unreadable: start afresh
        return
    if isinstance(saved, dict) and saved.get("stamp") == memo_stamp():
        results = saved.get("results") or {}
        memo.update(results)
        loaded.update(results)


def save_memo(settings):
    if not settings.get("CACHE_CONTENT") or used == loaded:
        return
    results = {key: memo[key] for key in used if key in memo}
    path = Path(settings["CACHE_PATH"]) / MEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{MEMO_FILE}.{os.getpid()}")
    temporary.write_text(json.dumps({"stamp": memo_stamp(), "results": results}),
                         encoding="utf-8")
    temporary.replace(path)


def on_initialized(pelican):
    settings = pelican.settings
    site["origin"] = origin(settings.get("SITEURL", ""))
    settings.setdefault("JINJA_FILTERS", {})["sanitized"] = sanitized
    if not settings.get("LANGUAGE_SUBSITE"):  # a sub-site is built inside the main one
        load_memo(settings)


def on_finalized(pelican):
    if not pelican.settings.get("LANGUAGE_SUBSITE"):
        save_memo(pelican.settings)


def on_content(instance):
    """Clean a page's HTML and its summary as soon as Pelican has read them."""
    if getattr(instance, "_content", None):
        instance._content = clean(instance._content)
    if "summary" in instance.metadata:
        instance.metadata["summary"] = clean(instance.metadata["summary"])
        instance._summary = instance.metadata["summary"]


def register():
    signals.initialized.connect(on_initialized)
    signals.content_object_init.connect(on_content)
    signals.finalized.connect(on_finalized)
