"""Plain Pelican, the benchmark's yardstick: what pelican-quickstart writes for
development, the default theme, no plugins. Only the folders are ours, so it
reads the same content (bench/run.py passes the content and cache folders)."""

AUTHOR = "Precision Therapy"
SITENAME = "Kyphoplasty at Precision Therapy"
SITEURL = ""
PATH = "content"
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"

FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DEFAULT_PAGINATION = False
RELATIVE_URLS = True

PLUGINS = []  # explicitly none: unset, every installed pelican.plugins.* would load

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages", "faq"]
STATIC_PATHS = ["images"]

CACHE_CONTENT = True  # as in pelicanconf.py, so cold and warm compare like for like
LOAD_CONTENT_CACHE = True
