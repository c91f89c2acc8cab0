"""Settings and plugins after issue 13: Pelican's own settings where it has one
(ARTICLE_ORDER_BY, TEMPLATE_PAGES), the theme's filters in plugins/theme_filters.

The built output is checked by test_seo, test_pages and test_build; these are
the pieces on their own."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from pelican.settings import read_settings
from pelican.utils import order_content

from conftest import ROOT

import theme_filters  # noqa: E402  (plugins/ is on sys.path: conftest)


def guide(slug, day, order=None, kind="article"):
    metadata = {"type": kind, **({"order": str(order)} if order is not None else {})}
    date = datetime.datetime(2026, 11, day, tzinfo=ZoneInfo("America/Los_Angeles"))
    return SimpleNamespace(slug=slug, title=slug.title(), date=date, metadata=metadata)


def test_guides_are_newest_first_then_by_slug():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    guides = [guide("b", 20), guide("c", 29), guide("a", 20), guide("d", 29)]
    ordered = order_content(guides, settings["ARTICLE_ORDER_BY"])
    assert [g.slug for g in ordered] == ["c", "d", "a", "b"]


def test_settings_hold_no_template_filters():
    assert read_settings(str(ROOT / "pelicanconf.py"))["JINJA_FILTERS"] == {}


def test_theme_filters_are_registered_on_initialized():
    pelican = SimpleNamespace(settings={"JINJA_FILTERS": {"sanitized": str}})
    theme_filters.on_initialized(pelican)
    assert set(pelican.settings["JINJA_FILTERS"]) == {
        "sanitized", "long_date", "in_order", "faq_questions"}


def test_in_order_and_faq_questions():
    pages = [guide("z", 1), guide("y", 1, order=2, kind="faq"), guide("x", 1, order=1, kind="faq"),
             guide("w", 1, kind="faq")]
    assert [p.slug for p in theme_filters.in_order(pages)] == ["x", "y", "w", "z"]
    assert [p.slug for p in theme_filters.faq_questions(pages)] == ["x", "y", "w"]


def test_long_date_in_each_language():
    for lang, expected in (("en", "November 20, 2026"), ("es", "20 de noviembre de 2026")):
        assert theme_filters.long_date({"DEFAULT_LANG": lang}, "2026-11-20") == expected


def test_robots_template_without_a_sitemap():
    settings = read_settings(str(ROOT / "pelicanconf.py"))
    env = Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates")),
                      **{k: v for k, v in settings["JINJA_ENVIRONMENT"].items()
                         if k != "extensions"})
    text = env.get_template("robots.txt").render(SITEURL="https://x", SITEMAP_SAVE_AS="")
    assert text == "User-agent: *\nAllow: /\nDisallow: /pagefind/\n\n"
    # only the live build writes it, on the main site only
    assert settings["TEMPLATE_PAGES"] == {}
    live = read_settings(str(ROOT / "publishconf.py"))
    assert list(live["TEMPLATE_PAGES"].values()) == ["robots.txt"]
    assert live["I18N_SUBSITES"]["es"]["TEMPLATE_PAGES"] == {}
