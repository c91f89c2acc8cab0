"""Settings and plugins after issue 13: Pelican's own settings where it has one
(ARTICLE_ORDER_BY, TEMPLATE_PAGES), the theme's filters in plugins/theme_filters.

The built output is checked by test_seo, test_pages and test_build; these are
the pieces on their own."""

import datetime
import re
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader
from pelican.settings import read_settings
from pelican.utils import order_content

import theme_filters  # plugins/, on the path: pyproject.toml's pythonpath
from helpers import ROOT, SETTINGS, run_build


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
        "sanitized", "long_date", "next_review", "in_order", "faq_questions", "with_phone_help"}


def test_with_phone_help_ends_each_block_that_calls_the_phone():
    html = ('<p>Read <a href="/x/">this</a>.</p><p>Call <a href="tel:+1">1</a> today.</p>'
            '<ul><li>Or <a href="tel:+1">1</a></li><li>No phone</li></ul>')
    line = ' <span class="app-language-help">A &lt;b&gt; line</span>'
    assert theme_filters.with_phone_help(html, "A <b> line") == (
        f'<p>Read <a href="/x/">this</a>.</p><p>Call <a href="tel:+1">1</a> today.{line}</p>'
        f'<ul><li>Or <a href="tel:+1">1</a>{line}</li><li>No phone</li></ul>')
    assert theme_filters.with_phone_help(html, "") == html


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


# plugins/subsite_reading ------------------------------------------------------------

import subsite_reading  # noqa: E402


def test_the_spanish_site_reads_its_pages_their_english_pages_and_what_they_link_to(tmp_path):
    (tmp_path / "faq" / "es").mkdir(parents=True)
    (tmp_path / "faq" / "es" / "a.md").write_text(
        "Text. [B]({filename}../b.md) [C]({filename}/faq/c.md#x) [D]({filename}&#x2F;faq/d.md)\n",
        encoding="utf-8")
    files = ["faq/a.md", "faq/b.md", "faq/c.md", "faq/d.md", "faq/e.md", "faq/es/a.md",
             "pages/e.md"]
    assert subsite_reading.wanted(files, str(tmp_path), "es") == {
        "faq/es/a.md", "faq/a.md", "faq/b.md", "faq/c.md", "faq/d.md"}


def test_a_spanish_link_to_a_page_with_no_spanish_version_still_leads_to_it(
        content_copy, tmp_path):
    """The Spanish site does not read the English pages it does not show, except those
    a Spanish page links to: the link leads to the English page."""
    english = content_copy / "articles" / "recovery.md"
    (content_copy / "articles" / "only-in-english.md").write_text(
        english.read_text(encoding="utf-8").replace("Slug: recovery", "Slug: only-in-english")
        .replace("Title: Recovery", "Title: Only in English"), encoding="utf-8")
    spanish = content_copy / "articles" / "es" / "recovery.md"
    spanish.write_text(spanish.read_text(encoding="utf-8").replace(
        "\n## ", "\nLea [la guía en inglés]({filename}/articles/only-in-english.md).\n\n## ", 1),
        encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, content=content_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (output / "es" / "articles" / "recovery" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'href="([^"]*only-in-english[^"]*)">la guía en inglés', page).group(1)
    target = (output / "es" / "articles" / "recovery" / link / "index.html").resolve()
    assert target == (output / "articles" / "only-in-english" / "index.html").resolve()
    assert target.is_file()
    assert not (output / "es" / "articles" / "only-in-english").exists()


# plugins/sanitize: each result of nh3 remembered within one build ----------------------

import pytest  # noqa: E402

import sanitize  # noqa: E402


def test_the_sanitizer_calls_nh3_once_per_text_in_a_build_and_keeps_nothing_after(
        tmp_path, monkeypatch):
    """Within a build, one nh3 call for each text and site; the next build starts
    afresh (no file in the cache folder: one written by someone else could put
    markup back, issue 21)."""
    pelican = SimpleNamespace(settings={"CACHE_PATH": str(tmp_path), "LOAD_CONTENT_CACHE": True,
                                        "CACHE_CONTENT": True})
    dirty, kept = '<p onclick="x()">a<script>b</script></p>', '<p id="a">b <em>c</em></p>'
    picture = '<img alt="x" src="https://a.example/x.svg">'
    sanitize.on_initialized(pelican)
    expected = [sanitize.nh3_clean(dirty), kept]
    assert expected[0] == "<p>a</p>"
    assert [sanitize.clean(dirty), sanitize.clean(kept)] == expected
    monkeypatch.setitem(sanitize.site, "origin", "https://a.example")
    assert sanitize.clean(picture) == picture  # the site's own picture
    monkeypatch.setitem(sanitize.site, "origin", "")
    assert sanitize.clean(picture) == '<img alt="x">'  # not the result for another site
    calls = []
    nh3_clean = sanitize.nh3_clean
    monkeypatch.setattr(sanitize, "nh3_clean", lambda html: calls.append(html) or nh3_clean(html))
    assert [sanitize.clean(dirty), sanitize.clean(kept)] == expected and calls == []

    sanitize.on_initialized(pelican)  # the next build
    assert sanitize.memo == {} and list(tmp_path.iterdir()) == []
    assert [sanitize.clean(dirty), sanitize.clean(kept)] == expected and calls == [dirty, kept]
    sanitize.memo.clear()


# plugins/theme_filters: `_()` remembered ---------------------------------------------

def test_the_templates_gettext_gives_the_same_words_once_remembered():
    import gettext

    from jinja2 import Environment, pass_context

    catalog = gettext.translation("messages", str(ROOT / "theme" / "translations"), ["es"])
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(catalog, newstyle=True)
    template = env.from_string(
        '{{ _("Call") }} {{ _("Call us") }} {{ _("Call") }} {{ _("Not in the catalog") }}')
    before = template.render()
    asked, installed = [], env.globals["gettext"]

    @pass_context
    def counted(context, text, **variables):
        asked.append(text)
        return installed(context, text, **variables)

    env.globals["gettext"] = counted
    theme_filters.remember_gettext(SimpleNamespace(env=env))
    assert template.render() == template.render() == before
    assert before == "Llamar Llámenos Llamar Not in the catalog"
    assert asked == ["Call", "Call us", "Not in the catalog"]  # each text once


def kept_templates_env(cache, source, filters=(), **options):
    """A Jinja environment as a generator's (its filters set), given its compiled-templates
    cache by theme_filters in a keyed cache folder (tools/build.py's CACHE_KEY)."""
    from jinja2 import DictLoader, Environment

    env = Environment(loader=DictLoader(source), **options)
    env.filters.update(filters)
    settings = {"CACHE_PATH": str(cache), "CACHE_KEY": "k", "LOAD_CONTENT_CACHE": True,
                "CACHE_CONTENT": True}
    theme_filters.keep_compiled_templates(SimpleNamespace(env=env, settings=settings))
    return env


def test_templates_are_compiled_once_for_environments_that_compile_them_alike(tmp_path):
    compiled = []
    source = {"t.html": "{% if x %}\n  {{ x|upper }}\n{% endif %}\n"}
    envs = [kept_templates_env(tmp_path, source, trim_blocks=trim) for trim in (True, True, False)]
    for env in envs:
        def counted(source, name=None, *args, original=env.compile, **kwargs):
            compiled.append(name)
            return original(source, name, *args, **kwargs)
        env.compile = counted
    assert [env.get_template("t.html").render(x="a") for env in envs] == [
        "  A\n", "  A\n", "\n  A\n"]
    assert compiled == ["t.html", "t.html"]  # the second environment used the first one's code
    assert len(list((tmp_path / "kept" / "templates").iterdir())) == 2  # a folder for each way


def test_templates_are_kept_only_in_a_keyed_cache_folder(tmp_path):
    from jinja2 import Environment

    env = Environment()
    theme_filters.keep_compiled_templates(SimpleNamespace(env=env, settings={
        "CACHE_PATH": str(tmp_path), "LOAD_CONTENT_CACHE": True, "CACHE_CONTENT": True}))
    assert env.bytecode_cache is None and list(tmp_path.iterdir()) == []


# plugins/content_checks: clean results remembered -----------------------------------

import logging  # noqa: E402

import content_checks  # noqa: E402
import pelican_internals  # noqa: E402
from helpers import CONTENT  # noqa: E402


def file_checks(caplog, content, cache, load=True, **overrides):
    """One build's file checks (step 1), its results saved for the next: the problems,
    every record logged (level, text, notice heading) and the files as read."""
    settings = read_settings(str(ROOT / "pelicanconf.py"), override={
        "PATH": str(content), "CACHE_PATH": str(cache), "LOAD_CONTENT_CACHE": load,
        "CACHE_KEY": "keyed", **overrides})  # as tools/build.py says once the folder is keyed
    caplog.clear()
    pelican_internals.forget_logged_warnings()  # Pelican logs a text once per process
    with caplog.at_level(logging.INFO, logger=content_checks.log.name):
        try:
            content_checks.on_initialized(SimpleNamespace(settings=settings))
        except content_checks.ContentError:
            pass
    content_checks.state.memo.save(settings)
    logged = [(r.levelno, r.getMessage(), getattr(r, "notice", None)) for r in caplog.records
              if r.name == content_checks.log.name]
    return content_checks.state.messages, logged, content_checks.state.sources


def review_due(content, today):
    """An article last reviewed 400 days ago: a notice in every build. Returns the
    date and where the notice points: 'articles/recovery.md:<line of Reviewed>'."""
    article = content / "articles" / "recovery.md"
    old = (today - datetime.timedelta(days=400)).isoformat()
    text = re.sub(r"^Reviewed: .*$", f"Reviewed: {old}", article.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    article.write_text(text, encoding="utf-8")
    line = next(n for n, words in enumerate(text.splitlines(), 1) if words.startswith("Reviewed:"))
    return old, f"articles/recovery.md:{line}"


def test_the_file_checks_remembered_give_what_running_them_gives(
        content_copy, tmp_path, caplog, monkeypatch, today):
    old, where = review_due(content_copy, today)
    first = file_checks(caplog, content_copy, tmp_path, load=False)
    due = [r for r in first[1] if r[2] == content_checks.DUE_FOR_REVIEW]
    assert due == [(logging.INFO, f"{CONTENT.name}/{where}: last reviewed {old}."
                    " Have it reviewed, then set `Reviewed` to that date.",
                    content_checks.DUE_FOR_REVIEW)]

    monkeypatch.setattr(content_checks.memo, "check_source", lambda *args: pytest.fail("ran"))
    assert file_checks(caplog, content_copy, tmp_path) == first  # the same notices, logged again


def break_text(content, monkeypatch, today):
    path = content / "articles" / "recovery.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nSee <b>this</b>.\n", encoding="utf-8")


def later_day(content, monkeypatch, today):
    monkeypatch.setattr(content_checks.core, "today_at_the_practice",
                        lambda settings: today + datetime.timedelta(days=400))


def link_target_gone(content, monkeypatch, today):
    (content / "articles" / "warning-signs.md").unlink()


@pytest.mark.parametrize("change, overrides", [
    (break_text, {}), (later_day, {}), (link_target_gone, {}),
    (None, {"PRODUCTION": True}), (None, {"CONTENT_CHECKS": {**SETTINGS["CONTENT_CHECKS"], "summary_length": [50, 60]}}),
], ids=["text", "today", "a linked file gone", "PRODUCTION", "a setting"])
def test_a_remembered_result_is_never_given_once_what_it_read_changed(
        change, overrides, content_copy, tmp_path, caplog, monkeypatch, today):
    before = file_checks(caplog, content_copy, tmp_path / "warm")
    if change:
        change(content_copy, monkeypatch, today)
    warm = file_checks(caplog, content_copy, tmp_path / "warm", **overrides)
    cold = file_checks(caplog, content_copy, tmp_path / "cold", load=False, **overrides)
    assert warm == cold
    assert file_checks(caplog, content_copy, tmp_path / "warm", **overrides) == cold  # and again
    assert warm[:2] != before[:2]  # the change shows


def test_the_file_checks_read_only_the_settings_their_results_are_kept_under(monkeypatch):
    """Every setting check_source reads is part of each remembered result's key."""
    read = set()

    class Recording(dict):
        def __getitem__(self, name):
            read.add(name)
            return super().__getitem__(name)

        def get(self, name, default=None):
            read.add(name)
            return super().get(name, default)

    for production in (False, True):
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={"PRODUCTION": production})
        state = content_checks.State(settings)
        state.files = set(content_checks.list_files(CONTENT))
        state.settings = Recording(settings)
        for name in sorted(n for n in state.files if n.endswith(".md")):
            content_checks.check_source(state, content_checks.read_source(state, CONTENT / name, name))
        assert state.messages == []
    assert read and read <= set(content_checks.SOURCE_SETTINGS)


def test_a_page_s_sections_are_remembered_for_the_same_main_and_rules(tmp_path, monkeypatch):
    def checked(rules, page):
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "CACHE_PATH": str(tmp_path), "PAGE_TYPES": {"article": {"sections": rules}},
            "CACHE_KEY": "keyed"})
        state = content_checks.State(settings)
        state.memo = content_checks.Memo(settings)  # what the last run saved
        content_checks.check_sections_once(state, source, page)
        state.memo.save(settings)
        return state.messages

    source = content_checks.Source("articles/x.md", [], page_type="article")
    two = [("two sections", "main h2", 2)]
    good = b"<header><h2>Menu</h2></header><main><h2>A</h2><h2>B</h2></main>"
    bad = good.replace(b"<h2>B</h2>", b"<p>B</p>")
    lacks = ["content/articles/x.md: every page of type `article` needs two sections, which"
             " this one lacks. See README, Writing content."]
    assert checked(two, good) == []
    check_sections = content_checks.memo.check_sections
    monkeypatch.setattr(content_checks.memo, "check_sections", lambda *args: pytest.fail("ran"))
    assert checked(two, good) == []  # remembered
    monkeypatch.setattr(content_checks.memo, "check_sections", check_sections)
    assert checked([("two sections", "main h2", 3)], good) == lacks  # other rules
    assert checked(two, bad) == lacks  # another <main>
    assert checked(two, bad) == lacks  # a problem is never remembered


def test_a_warm_build_lists_the_same_notices_and_finds_a_new_mistake(
        content_copy, tmp_path, today):
    _, where = review_due(content_copy, today)
    output, cache = tmp_path / "output", tmp_path / "cache"
    builds = [run_build(output, content=content_copy, cache=cache) for _ in range(2)]
    assert [b.returncode for b in builds] == [0, 0], builds[0].stderr
    assert (cache / "kept" / content_checks.MEMO_FILE).is_file()
    notices = [[line for line in b.stdout.splitlines() if line.startswith("  - ")] for b in builds]
    assert notices[0] == notices[1]
    assert any(f"{where}: last reviewed" in line for line in notices[0])

    article = content_copy / "articles" / "recovery.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nSee <b>this</b>.\n",
                       encoding="utf-8")
    broken = run_build(output, content=content_copy, cache=cache)
    assert broken.returncode == 1
    assert "PROBLEM  content/articles/recovery.md:" in broken.stderr
    assert "HTML such as `<b>` is not allowed in content." in broken.stderr


# plugins/theme_filters: compiled templates keyed on the filters' code (issue 21) -----

def test_compiled_templates_follow_the_code_of_a_plain_filter(tmp_path):
    """Jinja runs a plain filter on a constant as it compiles: the compiled code holds
    its result. Another filter code (fingerprint.asset without @pass_context, changed)
    must compile the template again."""
    source = {"page.html": '<link href="{{ "site.css"|asset }}">'}
    first = kept_templates_env(tmp_path, source, {"asset": lambda name: f"/theme/{name}?old"})
    assert first.get_template("page.html").render() == '<link href="/theme/site.css?old">'
    second = kept_templates_env(tmp_path, source,
                                {"asset": lambda name: f"/theme/{name.upper()}?new"})
    assert second.get_template("page.html").render() == '<link href="/theme/SITE.CSS?new">'


# plugins/discovery: one build's dates in one object (issue 25) ------------------------

import discovery  # noqa: E402


def test_each_build_starts_new_dates_and_its_language_sub_sites_share_them():
    def started(**settings):
        discovery.on_initialized(SimpleNamespace(settings=settings))
        return discovery.dates

    first = started()
    first.written["output/old.html"] = None
    assert started(LANGUAGE_SUBSITE=True) is first  # the Spanish site adds to the same
    second = started()
    assert second is not first and second.written == {} and second.newest == {}


def test_a_listing_gets_its_newest_guide_s_date_and_an_undated_page_its_site_s():
    zone = ZoneInfo("America/New_York")
    older, newer = (datetime.datetime(2024, m, 1, tzinfo=zone) for m in (3, 5))
    dates = discovery.Dates()
    dates.newest["en"] = newer
    guides = [SimpleNamespace(modified=older), SimpleNamespace(modified=newer)]
    dates.note_written("out/articles/index.html", {"articles": guides, "DEFAULT_LANG": "en"})
    undated = SimpleNamespace(status="published", modified=None)
    dates.note_written("out/about/index.html", {"page": undated, "DEFAULT_LANG": "en"})
    draft = SimpleNamespace(status="draft", modified=older)
    dates.note_written("out/drafts/x.html", {"article": draft, "DEFAULT_LANG": "en"})
    assert dates.written == {"out/articles/index.html": newer, "out/about/index.html": newer}
