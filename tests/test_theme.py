"""The theme: structure of every page, its wording, its weight, and how it behaves.

Structure and weight are read from the built files; the call bar, printing,
reduced motion and the video are checked in Debian's Chromium.
"""

import gettext
import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from helpers import CONTENT, ROOT, SETTINGS, metadata, serve, wording
from theme_support import (
    FIRST_LOAD_LIMIT,
    VIDEO_CHANNEL_URL,
    VIDEO_ID,
    first_loads,
    video_build,
    video_state,
)

THEME = ROOT / "theme"

# Which menu item each kind of page belongs to.
SECTION = {"": "home", "articles/": "articles", "topics/": "articles", "tags/": "articles",
           "faq/": "faq", "book/": "book", "search/": "search"}


def section_of(name):
    name = name.removeprefix("es/")
    if name == "index.html":
        return "home"
    for prefix, key in SECTION.items():
        if prefix and name.startswith(prefix):
            return key
    return None


# Structure of every page -------------------------------------------------------


def test_skip_link_comes_first_and_leads_to_main(site):
    for name, soup in site.pages():
        first = soup.body.find(["a", "button", "input", "summary", "select", "textarea"])
        assert first is not None and "app-skip-link" in first.get("class", []), name
        assert first["href"] == "#main-content", name
        assert first.get_text(strip=True) == wording(name, "Skip to main content"), name
        main = soup.find_all("main")
        assert len(main) == 1 and main[0].get("id") == "main-content", name


def test_every_page_has_its_landmarks(site):
    for name, soup in site.pages():
        top = [child.name for child in soup.body.find_all(recursive=False)]
        assert top.count("header") == 1 and top.count("footer") == 1, f"{name}: {top}"
        assert soup.select_one("body > header nav.app-nav"), name
        labels = [nav.get("aria-label") for nav in soup.find_all("nav")]
        assert all(labels) and len(set(labels)) == len(labels), f"{name}: navs need distinct labels"
        assert soup.select_one("main h1"), f"{name}: the h1 belongs in main"


def test_menu_marks_the_current_section(site):
    keys = {"home": "Home", "articles": "Guides", "faq": "Questions", "book": "Book a consultation",
            "search": "Search"}
    marked = 0
    for name, soup in site.pages():
        current = soup.select(".app-nav [aria-current]")
        assert len(current) <= 1, name
        expected = section_of(name)
        if expected:
            assert [a.get_text(strip=True) for a in current] == [wording(name, keys[expected])], name
            assert current[0]["aria-current"] == "page"
            marked += 1
        else:
            assert current == [], f"{name}: belongs to no menu section"
    assert marked > 50


def test_inner_pages_have_breadcrumbs_ending_at_the_page(site):
    for name, soup in site.pages():
        crumbs = soup.select("nav.app-breadcrumbs ol > li > a")
        if name.removeprefix("es/") in ("index.html", "404.html"):
            assert crumbs == [], name
            continue
        assert len(crumbs) >= 2, f"{name}: no breadcrumbs"
        assert crumbs[0].get_text(strip=True) == wording(name, "Home")
        assert [a.get("aria-current") for a in crumbs] == [None] * (len(crumbs) - 1) + ["page"], name
        here = crumbs[-1]["href"].rstrip("/").split("/")[-1] or "."
        assert name.endswith(f"{here}/index.html") or name == f"{here}.html", f"{name}: {here}"
        if soup.body["data-page-type"] != "listing":
            assert crumbs[-1].get_text(strip=True) == soup.h1.get_text(strip=True), name


def test_one_h1_and_no_skipped_heading_levels(site):
    for name, soup in site.pages():
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels and levels[0] == 1 and levels.count(1) == 1, f"{name}: {levels}"
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{name}: h{before} is followed by h{after}"


def built_pages(*sites):
    for site in sites:
        yield from site.pages()


def test_no_inline_script_style_or_event_handler(site, published):
    """A Content-Security-Policy without 'unsafe-inline' blocks all of these."""
    checked = 0
    for name, soup in built_pages(site, published):
        assert soup.find("style") is None, f"{name}: <style>"
        assert soup.select("[style]") == [], f"{name}: style attribute"
        for script in soup.find_all("script"):
            if script.get("type") == "application/ld+json":
                continue  # data, never run
            assert script.get("src") and not script.string, f"{name}: inline script"
        handlers = [(el.name, a) for el in soup.find_all(True) for a in el.attrs if a.lower().startswith("on")]
        assert handlers == [], f"{name}: {handlers}"
        assert soup.select('a[href^="javascript:"]') == [], name
        checked += 1
    assert checked > 100


def test_pages_load_only_the_theme_stylesheet_and_script(site):
    """No framework, no web font, no third party: one CSS file for the screen, one
    for print (which does not hold up the page), and one JS file."""
    for name, soup in site.pages():
        styles = [(link["href"], link.get("media")) for link in soup.select('link[rel="stylesheet"]')]
        scripts = [s["src"] for s in soup.select("script[src]")]
        assert len(styles) == 2 and re.search(r"theme/css/site\.[0-9a-f]{8}\.css$", styles[0][0]), name
        assert styles[0][1] is None, name
        assert re.search(r"theme/css/print\.[0-9a-f]{8}\.css$", styles[1][0]) and styles[1][1] == "print"
        assert len(scripts) == 1 and re.search(r"theme/js/site\.[0-9a-f]{8}\.js$", scripts[0]), name
        assert soup.select_one("script[src]").has_attr("defer"), f"{name}: the script must not block"


def css_file(site):
    (css,) = (site.output / "theme" / "css").glob("site.*.css")
    return css


def test_css_is_small_and_uses_system_fonts_only(site):
    css = css_file(site).read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css
    assert "url(" not in css, "the stylesheet fetches nothing"
    families = set(re.findall(r"font-family:\s*([^;}]+)", css))
    assert families == {'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'}
    size = len(gzip.compress(css.encode(), 9))
    print(f"\nsite.css: {len(css.encode()) / 1024:.1f} KB, {size / 1024:.1f} KB gzipped")
    assert size < 5 * 1024


def test_first_load_fits_in_14_kb_compressed(site):
    """The HTML and the CSS a page needs before it can show anything, gzipped, fit TCP's first ~14 KB."""
    loads = first_loads(site)
    biggest = {}
    for name, tree in site.trees():
        kind = tree.find("body").get("data-page-type")
        biggest[kind] = max(biggest.get(kind, (0, "")), (loads[name], name))
    print("\nFirst load (HTML + CSS, gzipped), the largest page of each type:")
    for kind, (size, name) in sorted(biggest.items()):
        print(f"  {kind:11} {size / 1024:5.1f} KB  {name}")
    assert {name: size for name, size in loads.items() if size > FIRST_LOAD_LIMIT} == {}


# Fixed wording -------------------------------------------------------------------


def templates():
    return sorted((THEME / "templates").rglob("*.html"))


def test_templates_hold_no_fixed_wording(site):
    """Every word a visitor reads comes from the gettext catalog (`_()`), settings or content."""
    found = []
    for path in templates():
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", text, flags=re.S)
        for attr, value in re.findall(r'\b(aria-label|title|alt|placeholder|value|label)="([^"]*)"', text):
            if re.search(r"[A-Za-z]", value):
                found.append(f"{path.name}: {attr}={value!r}")
        text = re.sub(r"<script\b.*?</script>|<[^>]*>", " ", text, flags=re.S)
        words = re.findall(r"[A-Za-z][A-Za-z']*", text)
        if words:
            found.append(f"{path.name}: {' '.join(words)}")
    assert found == []


def test_every_theme_string_has_its_spanish_translation(tmp_path):
    """What `make translations` would extract is in the Spanish catalog, translated,
    and the compiled catalog the build reads is up to date."""
    catalogs = THEME / "translations"
    extracted = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "translate:2", "-o", str(extracted),
                    "plugins", "theme"], cwd=ROOT, check=True, capture_output=True)
    wanted = {m.id for m in read_po(extracted.open("rb")) if m.id}
    spanish = read_po((catalogs / "es" / "LC_MESSAGES" / "messages.po").open("rb"))
    translated = {m.id for m in spanish if m.id and m.string and not m.fuzzy}
    assert len(wanted) > 40
    assert sorted(wanted - translated) == []
    compiled = tmp_path / "messages.mo"
    with compiled.open("wb") as out:
        write_mo(out, spanish)
    mo = catalogs / "es" / "LC_MESSAGES" / "messages.mo"
    assert gettext.GNUTranslations(mo.open("rb"))._catalog == \
        gettext.GNUTranslations(compiled.open("rb"))._catalog, "run make translations"


# Pictures keep their place ---------------------------------------------------------


def test_every_content_image_has_its_size(site):
    images = [(name, img) for name, soup in site.pages() for img in soup.select("main img")]
    assert len(images) >= 4
    for name, img in images:
        assert img.get("width") and img.get("height"), f"{name}: {img['src']} has no size"


def test_pictures_take_their_room_before_they_arrive(page, site_url, site):
    """On a slow phone the text comes first: it must not jump when a picture arrives."""
    page.route("**/*.svg", lambda route: route.abort())
    page.goto(f"{site_url}/articles/procedure-day/")
    boxes = page.eval_on_selector_all("main img", "imgs => imgs.map(i => [i.complete && i.naturalWidth, "
                                      "i.getBoundingClientRect().width, i.getBoundingClientRect().height])")
    assert boxes and len(boxes) == len(site.tree("articles/procedure-day/index.html").cssselect("main img"))
    for loaded, width, height in boxes:
        assert not loaded  # the picture really did not arrive
        assert width > 300 and abs(height - width * 300 / 480) < 2, (width, height)


# The 404 page ---------------------------------------------------------------------


def test_the_404_page_helps(site, published):
    for built in (site, published):
        soup = built.soup("404.html")
        base = built.settings["SITEURL"] if built is published else ""
        form = soup.select_one("main form[role=search]")
        assert form["action"] == f"{base}/search/" and form.select_one("input[name=q]")
        links = {a["href"] for a in soup.select("main a")}
        assert {f"{base}/", f"{base}/articles/", f"{base}/faq/", f"{base}/book/"} <= links
        assert f"tel:{built.settings['PHONE_TEL']}" in links
        # Served for any missing address: every link must work from any folder.
        relative = [a["href"] for a in soup.select("[href], [src]") if not re.match(
            r"^(/|#|tel:|https?:)", a.get("href") or a.get("src"))]
        assert relative == []


# In the browser --------------------------------------------------------------------


def scrolled(page, y):
    """Scroll to y, then wait until the browser has drawn two frames there: by then the
    scroll-driven styles (the call bar's entrance) are those of the new position."""
    page.evaluate("""(y) => new Promise((done) => {
        window.scrollTo(0, y);
        requestAnimationFrame(() => requestAnimationFrame(done));
    })""", y)


def call_bar(page):
    return page.evaluate("""() => {
        const bar = document.querySelector('.app-call-bar');
        const box = bar.getBoundingClientRect(), style = getComputedStyle(bar);
        return {shown: style.display !== 'none' && style.visibility === 'visible',
                top: box.top, bottom: box.bottom, transform: style.transform, height: innerHeight};
    }""")


def test_the_call_bar_on_a_phone(page, site_url):
    page.goto(f"{site_url}/articles/procedure-day/")
    button = page.locator(".app-header__call-button")
    assert button.is_visible() and button.get_attribute("href") == f"tel:{SETTINGS['PHONE_TEL']}"
    assert not page.locator(".app-header__call").is_visible()
    # At the top the header's button is in view and the bar stays out of the way.
    assert not call_bar(page)["shown"]
    # Once the page scrolls, the number is at the bottom of the screen.
    scrolled(page, 1500)
    bar = call_bar(page)
    assert bar["shown"] and bar["bottom"] == bar["height"] and bar["transform"] in ("none", "matrix(1, 0, 0, 1, 0, 0)")
    link = page.locator(".app-call-bar a")
    assert link.is_visible() and link.get_attribute("href") == f"tel:{SETTINGS['PHONE_TEL']}"
    assert link.bounding_box()["height"] >= 48
    # At the very end it sits below the footer and covers none of it.
    scrolled(page, 100000)
    footer = page.locator("footer").bounding_box()
    bar = call_bar(page)
    assert bar["shown"] and footer["y"] + footer["height"] <= bar["top"] + 0.5


def test_the_number_is_in_the_header_on_a_large_screen(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{site_url}/articles/procedure-day/")
    phone = page.locator(".app-header__call a")
    assert phone.is_visible() and phone.inner_text().strip() == SETTINGS["PHONE_DISPLAY"]
    assert not page.locator(".app-header__call-button").is_visible()
    scrolled(page, 1500)
    assert not call_bar(page)["shown"]
    context.close()


def test_the_call_bar_does_not_stick_on_a_phone_on_its_side(browser, site_url):
    context = browser.new_context(viewport={"width": 667, "height": 375})
    page = context.new_page()
    page.goto(f"{site_url}/articles/procedure-day/")
    assert page.evaluate("getComputedStyle(document.querySelector('.app-call-bar')).position") == "static"
    context.close()


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion_is_respected(browser, site_url, motion):
    context = browser.new_context(viewport={"width": 375, "height": 812}, reduced_motion=motion)
    page = context.new_page()
    page.goto(f"{site_url}/faq/")
    moving = page.evaluate("""() => [...document.querySelectorAll('*')].flatMap((el) =>
        [null, '::before', '::after'].map((pseudo) => getComputedStyle(el, pseudo))
          .filter((s) => s.transitionDuration.split(', ').some((d) => parseFloat(d) > 0))
          .map(() => el.className || el.tagName))""")
    scrolled(page, 40)  # halfway through the bar's entrance
    bar = call_bar(page)
    context.close()
    assert bar["shown"]
    if motion == "reduce":
        assert moving == [] and bar["transform"] == "none"
    else:  # the same page does move when motion is welcome: the check above can see it
        assert bar["transform"] != "none"


def printed(page):
    page.emulate_media(media="print")
    return page.evaluate("""() => {
        const shown = (sel) => [...document.querySelectorAll(sel)].some((el) => el.checkVisibility());
        const links = [...document.querySelectorAll('main a[href]')].filter((a) => a.checkVisibility()
            && !a.closest('summary') && !/^(#|tel:)/.test(a.getAttribute('href')));
        return {
          menu: shown('.app-nav'), breadcrumbs: shown('.app-breadcrumbs'), callBar: shown('.app-call-bar'),
          callButton: shown('.app-header__call-button'), number: shown('.app-header__call a'),
          footerLinks: shown('.app-footer__links'), search: shown('.app-search'), tags: shown('.app-tags'),
          urls: links.map((a) => [a.getAttribute('href'), getComputedStyle(a, '::after').content]),
          fontSize: getComputedStyle(document.body).fontSize,
          boxes: [...document.querySelectorAll('.app-checklist .app-prose ul li')]
            .map((li) => getComputedStyle(li, '::before').borderTopStyle),
        };
    }""")


def test_an_article_prints_cleanly(page, site_url):
    page.goto(f"{site_url}/articles/procedure-day/")
    out = printed(page)
    assert [k for k in ("menu", "breadcrumbs", "callBar", "callButton", "footerLinks", "search", "tags") if out[k]] == []
    assert out["number"], "the printout keeps the phone number"
    assert out["fontSize"] == "16px"  # 12pt
    assert len(out["urls"]) >= 3
    for href, after in out["urls"]:
        assert after == f'" ({href})"', (href, after)


def test_the_checklist_prints_with_boxes_to_tick(page, site_url, site):
    page.goto(f"{site_url}/articles/questions-to-ask/")
    assert page.locator(".app-print-action button").is_visible()  # offered on screen
    out = printed(page)
    assert not out["menu"] and not out["callBar"] and out["number"]
    items = site.tree("articles/questions-to-ask/index.html").cssselect(".app-checklist .app-prose ul li")
    assert items and len(out["boxes"]) == len(items) and set(out["boxes"]) == {"solid"}
    assert not page.locator(".app-print-action").is_visible()


def test_the_faq_prints_every_question_with_the_address_of_its_answer(page, site_url, site):
    page.goto(f"{site_url}/faq/")
    out = printed(page)
    hub = [a.get("href") for a in site.tree("faq/index.html").cssselect(".app-faq__item a")]
    shown = dict(out["urls"])
    assert hub and [shown.get(href) for href in hub] == [f'" ({href})"' for href in hub]


# The video ---------------------------------------------------------------------------


def video_articles():
    return sorted(p.stem for p in (CONTENT / "articles").rglob("*.md")  # both languages
                  if metadata(p).get("video", "").lower() == "yes")


def pages_with_video(folder):
    from bs4 import BeautifulSoup

    return sorted(p.parent.name for p in Path(folder).rglob("*.html")
                  if "pagefind" not in p.parts and BeautifulSoup(p.read_bytes(), "lxml").select(".app-video"))


def test_the_site_shows_the_video_its_settings_give(site):
    """Whatever VIDEO_ID and VIDEO_CHANNEL_URL hold: the player for that id, a link
    to that channel, or nothing, on the pages that ask for the video (Video: yes)."""
    assert video_articles(), "an article asks for the video"
    state = video_state(site.settings)
    assert pages_with_video(site.output) == ([] if state == "none" else video_articles())
    from bs4 import BeautifulSoup

    for slug in pages_with_video(site.output):
        section = BeautifulSoup((site.output / "articles" / slug / "index.html").read_bytes(),
                                "lxml").select_one(".app-video")
        players = [el["data-video-id"] for el in section.select("[data-video-id]")]
        assert players == ([site.settings["VIDEO_ID"]] if state == "id" else []), slug
        if state == "channel":
            assert [a["href"] for a in section.select("a")] == [site.settings["VIDEO_CHANNEL_URL"]]


def test_no_video_section_when_no_video_is_set(site, tmp_path_factory):
    output = video_build(tmp_path_factory, "none", site)
    assert video_articles(), "an article asks for the video"
    assert pages_with_video(output) == []


def test_only_a_link_to_the_channel_when_only_the_channel_is_set(tmp_path_factory):
    output = video_build(tmp_path_factory, "channel")
    assert pages_with_video(output) == video_articles()
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((output / "articles" / video_articles()[0] / "index.html").read_bytes(), "lxml")
    section = soup.select_one(".app-video")
    assert [a["href"] for a in section.select("a")] == [VIDEO_CHANNEL_URL]
    assert section.select("iframe, [data-video-id]") == []


def test_the_video_loads_nothing_from_youtube_until_play(browser, tmp_path_factory):
    output = video_build(tmp_path_factory, "id")
    assert pages_with_video(output) == video_articles()
    server = serve(output)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    context = browser.new_context(viewport={"width": 375, "height": 812})
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    # No network here: YouTube's answer is played by the test.
    context.route("https://www.youtube-nocookie.com/**",
                  lambda route: route.fulfill(body="<!doctype html><title>player</title>", content_type="text/html"))
    page = context.new_page()
    try:
        page.goto(f"{base}/articles/{video_articles()[0]}/")
        page.wait_for_load_state("networkidle")
        assert [url for url in requests if not url.startswith(base)] == []
        assert page.locator("iframe").count() == 0

        play = page.locator(".app-video__play")
        assert play.inner_text().strip() == "Play the video"
        play.click()
        frame = page.locator(".app-video__frame iframe")
        frame.wait_for()
        assert frame.get_attribute("src").startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?")
        assert frame.get_attribute("title") == "Video: how vertebral augmentation works"
        page.wait_for_load_state("networkidle")
        outside = {url.split("/")[2] for url in requests if not url.startswith(base)}
        assert outside == {"www.youtube-nocookie.com"}
    finally:
        context.close()
        server.shutdown()
