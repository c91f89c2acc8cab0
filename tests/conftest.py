"""Shared fixtures: the real site, built once per test session into a temporary folder.

The rule for every test: a test takes what it expects from the content and the
settings, read when it runs, and pins a rule, not today's text. Editors change
the content and the settings every day (a new question, a Reviewed date set to
today, VIDEO_ID filled in): the tests must stay green through such routine edits
and fail only when a rule is broken.

- What the site shows (its questions, its newest date, its video) is read from
  the content files (`metadata()`) and the settings (`SETTINGS`, `site.settings`)
  first, then compared with the built pages; never a date, a count, a title or a
  list of slugs copied from today's content.
- A count asserts a rule ("every question is on the hub", "one result per
  guide"), not a number that removing a page would break. A lower bound only
  guards against a check that silently saw nothing, and stays far below the
  site's size.
- A test that needs a page in a given state (a video set, a date changed, more
  questions) builds a copy in that state (`content_copy`, helpers.run_build,
  theme_support.build_variant, a small site in tests/sites/) instead of relying
  on the real content being so.
- A test may use a real page as its subject (recovery.md, does-it-hurt.md) when
  it edits a copy of it; it then finds what it changes (a field by name), not
  today's wording.

Fixtures and the markers only: the helpers the tests import are in helpers.py
(and theme_support.py, safety.py). No test module imports conftest.py or another
test module (test_tests.py).
"""

import functools
import inspect
import shutil

import pytest

import content_checks
import synth  # bench/synth.py
from helpers import (
    CHROMIUM_ARGS,
    CONTENT,
    EXTRA_QUESTIONS,
    SETTINGS,
    Site,
    build_site,
    run_build,
    serve,
)


@pytest.fixture
def today():
    """Today at the practice (its TIMEZONE), as the build sees it: taken when the test
    runs, not when the tests are collected (a run may pass midnight)."""
    return content_checks.today_at_the_practice(SETTINGS)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The development build of the real content."""
    return build_site(tmp_path_factory, "dev", "pelicanconf.py")


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The production build (publishconf.py) of the real content."""
    return build_site(tmp_path_factory, "publish", "publishconf.py")


@pytest.fixture
def content_copy(tmp_path):
    """A throwaway copy of the real content, for tests that break it on purpose."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


# Serving the built site, and a real browser -----------------------------------


@pytest.fixture(scope="session")
def site_url(site):
    """The development build served over HTTP, e.g. http://127.0.0.1:40123."""
    server = serve(site.output)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium: its path. A test that needs it asks for this fixture (or for
    `browser`, `page`), which marks it `browser`."""
    executable = shutil.which("chromium")
    assert executable, "Chromium is missing: run tools/system-deps.sh"
    return executable


@pytest.fixture(scope="session")
def java():
    """Java, for the Nu Html Checker: its path. Marks the test `browser` (a page checker)."""
    executable = shutil.which("java")
    assert executable, "Java is missing: run tools/system-deps.sh"
    return executable


@pytest.fixture(scope="session")
def browser(chromium):
    """Debian's Chromium, driven by Playwright. Browser tests never skip."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab at phone size (375 x 812)."""
    context = browser.new_context(viewport={"width": 375, "height": 812})
    tab = context.new_page()
    yield tab
    context.close()


# The site as it grows ------------------------------------------------------------


@pytest.fixture(scope="session")
def grown(tmp_path_factory):
    """The development build of the real content with EXTRA_QUESTIONS more questions
    in every language, copies of one as an editor would make them
    (bench/synth.py add_questions): the site as it grows. Its content folder is
    `grown.content`."""
    folder = tmp_path_factory.mktemp("grown")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    synth.add_questions(content, EXTRA_QUESTIONS)
    result = run_build(folder / "output", content=content)
    assert result.returncode == 0, f"the build failed:\n{result.stdout}\n{result.stderr}"
    built = Site(folder / "output", result.stdout + result.stderr, SETTINGS)
    built.content = content
    return built


# Markers, from the fixtures a test uses (tests/README.md) -------------------------

# A test that uses one of these fixtures (itself or through another fixture) gets the marker.
FIXTURE_MARKERS = {
    "chromium": "browser",  # browser, page, the accessibility pass, Lighthouse
    "java": "browser",  # the Nu Html Checker
    "nginx_program": "nginx",
    "published": "slow",  # a whole extra build: the production one
    "grown": "slow",  # the site with more questions
    "production": "slow",  # test_lighthouse's production build
    "served_locally": "slow",  # test_nginx's production build for the browser
}
# A test whose own code calls one of these builds the site again: `slow`. So does one
# that calls a function of its module that calls one of them (builders_of).
BUILDERS = {"run_build", "build_variant", "video_build", "build_site", "Pelican"}


@functools.cache
def builders_of(module):
    """BUILDERS, and the functions of the module that call one (at any depth)."""
    found = set(BUILDERS)
    helpers = [function for name, function in vars(module).items()
               if inspect.isfunction(function) and not name.startswith("test_")
               and function.__module__ == module.__name__]
    while True:
        more = {function.__name__ for function in helpers
                if found & set(function.__code__.co_names)} - found
        if not more:
            return found
        found |= more


def names_used(function):
    """The global names a test's code uses (a Hypothesis test's own function's too)."""
    inner = getattr(getattr(function, "hypothesis", None), "inner_test", function)
    return set(function.__code__.co_names) | set(inner.__code__.co_names)


def pytest_collection_modifyitems(items):
    """Mark each test `browser`, `nginx` or `slow` from what it uses (pyproject.toml)."""
    for item in items:
        marks = {FIXTURE_MARKERS[name] for name in item.fixturenames if name in FIXTURE_MARKERS}
        if builders_of(item.module) & names_used(item.function):
            marks.add("slow")
        for mark in sorted(marks):
            item.add_marker(mark)
