"""Found and understood: titles, descriptions, canonical addresses, link previews,
icons, JSON-LD, sitemap, robots.txt and the Atom feed, checked on the built output.

Expected values come from the content files and the settings, read here on their
own, not from the plugin that writes them.
"""

import datetime
import gzip
import json
import re
import struct
from urllib.parse import urljoin, urlsplit

import brotli
import pytest
from bs4 import BeautifulSoup
from lxml import etree
from pelican.settings import read_settings

from helpers import (
    CONTENT,
    ROOT,
    Site,
    address_of,
    faq_page_question,
    json_ld,
    metadata,
    of_type,
    run_build,
    tree_differences,
    types,
    url_of,
)

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"a": "http://www.w3.org/2005/Atom"}


# What the content says ---------------------------------------------------------


def content_pages(content=CONTENT):
    """Built file (e.g. 'faq/blood-thinners/index.html') -> metadata of its source."""
    pages = {}
    for path in sorted(content.rglob("*.md")):
        meta = metadata(path)
        parts = path.relative_to(content).parts
        folder, lang = parts[0], meta.get("lang", "")
        if folder == "articles":
            built = f"articles/{meta['slug']}/index.html"
        elif folder == "faq":
            built = f"faq/{meta['slug']}/index.html"
        else:
            built = meta.get("save_as") or f"{meta['slug']}/index.html"
        pages[f"{lang}/{built}" if lang else built] = meta
    return pages


def own_date(meta):
    """The newest of a page's Date, Reviewed and Modified, or None."""
    days = [datetime.date.fromisoformat(meta[k][:10]) for k in ("date", "reviewed", "modified")
            if meta.get(k)]
    return max(days) if days else None


def site_setting(site, relative, name):
    """A setting as the page's language has it (I18N_SUBSITES for es/ pages)."""
    if relative.startswith("es/"):
        return site.settings["I18N_SUBSITES"]["es"].get(name, site.settings[name])
    return site.settings[name]


def text(element):
    return " ".join(element.get_text().split())


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


def visible_crumbs(site, relative, soup):
    page_url = url_of(site, relative)
    return [(text(a), urljoin(page_url, a["href"]))
            for a in soup.select("nav.app-breadcrumbs li a")]


# Every page: title, description, canonical, link previews, icons ---------------


def test_titles_and_descriptions_are_unique_and_from_the_summary(published):
    pages = content_pages()
    titles, descriptions = {}, {}
    for name, soup in published.pages():
        assert soup.html["lang"] == ("es" if name.startswith("es/") else "en"), name
        title = text(soup.title)
        description = soup.find("meta", attrs={"name": "description"})["content"]
        titles.setdefault(title, []).append(name)
        descriptions.setdefault(description, []).append(name)
        if name in pages:
            summary = " ".join(pages[name]["summary"].split())
            assert description == summary, f"{name}: the description is not the Summary"
    assert [t for t, names in titles.items() if len(names) > 1] == []
    assert [d for d, names in descriptions.items() if len(names) > 1] == []
    assert len(titles) == len(list(published.html_files())) > 60


def test_canonical_and_link_preview_tags(published):
    siteurl = published.settings["SITEURL"]
    for name, soup in published.pages():
        canonical = soup.select('link[rel="canonical"]')
        meta = {m.get("property") or m.get("name"): m["content"] for m in soup.select("meta[content]")}
        if name.endswith("404.html"):  # served at any address, with status 404: no canonical
            assert canonical == []
        else:
            assert len(canonical) == 1, name
            assert canonical[0]["href"] == url_of(published, name), name
            assert meta["og:url"] == canonical[0]["href"], name
            assert "robots" not in meta, f"{name}: the live page must not be noindex"
        assert meta["og:title"] == text(soup.h1), f"{name}: og:title is not the heading"
        assert meta["og:description"] == meta["description"] == meta["twitter:description"]
        assert meta["og:title"] == meta["twitter:title"]
        image = siteurl + "/" + site_setting(published, name, "SHARE_IMAGE")  # each language's card
        assert meta["og:image"] == meta["twitter:image"] == image, name
        assert meta["og:image:alt"] == meta["twitter:image:alt"] != ""
        assert meta["twitter:card"] == "summary_large_image"
        assert meta["og:site_name"] == site_setting(published, name, "SITENAME")
        assert meta["og:type"] == ("article" if name.removeprefix("es/").startswith("articles/") and
                                   soup.body["data-page-type"] == "article" else "website")
        assert all(v.startswith(siteurl) for k, v in meta.items()
                   if k in ("og:url", "og:image", "twitter:image"))


def test_the_share_images_are_1200_by_630_pngs(published):
    for image in (published.settings["SHARE_IMAGE"],
                  published.settings["I18N_SUBSITES"]["es"]["SHARE_IMAGE"]):
        data = (published.output / image).read_bytes()
        assert png_size(data) == (1200, 630), image
        assert len(data) < 300_000, image


def test_every_page_links_its_icons_and_manifest(site):
    for name, soup in site.pages():
        page_url = "http://x/" + name
        for selector in ('link[rel="icon"][href$=".ico"]', 'link[rel="icon"][type="image/svg+xml"]',
                         'link[rel="apple-touch-icon"]', 'link[rel="manifest"]'):
            link = soup.select_one(selector)
            assert link is not None, f"{name}: no {selector}"
            target = urlsplit(urljoin(page_url, link["href"])).path.lstrip("/")
            assert (site.output / target).is_file(), f"{name}: {link['href']} is missing"
        assert soup.select_one('meta[name="theme-color"]')


def test_icons_and_web_app_manifest(site):
    ico = (site.output / "favicon.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    sizes = {ico[6 + 16 * i] or 256 for i in range(count)}
    assert (reserved, kind) == (0, 1) and {16, 32} <= sizes
    assert png_size((site.output / "apple-touch-icon.png").read_bytes()) == (180, 180)
    assert "<svg" in (site.output / "favicon.svg").read_text(encoding="utf-8")

    manifest = json.loads((site.output / "site.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == site.settings["SITENAME"] and manifest["short_name"]
    assert urljoin("http://x/site.webmanifest", manifest["start_url"]) == "http://x/"
    assert manifest["lang"] == site.settings["DEFAULT_LANG"]
    purposes = set()
    for icon in manifest["icons"]:
        width, height = png_size((site.output / icon["src"]).read_bytes())
        assert icon["sizes"] == f"{width}x{height}"
        purposes.add((width, icon.get("purpose", "any")))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= purposes


# JSON-LD ------------------------------------------------------------------------


def test_every_page_has_the_clinic_and_no_invented_facts(published):
    settings = published.settings
    for name, _soup in published.pages():
        raw = (published.output / name).read_text(encoding="utf-8")
        assert raw.count('type="application/ld+json"') == 1, name
        nodes = json_ld(published, name)
        clinic, = of_type(nodes, "MedicalClinic")
        assert clinic["name"] == settings["PRACTICE_NAME"]
        assert clinic["telephone"] == settings["PHONE_TEL"]
        assert f'href="tel:{settings["PHONE_TEL"]}"' in raw, f"{name}: phone not on the page"
        assert clinic["parentOrganization"]["name"] == settings["PARENT_ORGANIZATION"]
        assert clinic["url"] == settings["SITEURL"] + "/"
        website, = of_type(nodes, "WebSite")
        assert website["url"] == settings["SITEURL"] + ("/es/" if name.startswith("es/") else "/")
        assert "search/?q={search_term_string}" in website["potentialAction"]["target"]["urlTemplate"]
        everything = json.dumps(nodes)
        # F1-F3 only: no street address, no people.
        assert "streetAddress" not in everything and '"Person"' not in everything, name


def test_medical_pages_are_medical_web_pages_with_their_topic(published):
    page_types = published.settings["PAGE_TYPES"]
    medical_seen = 0
    for name, soup in published.pages():
        if name.endswith("404.html"):
            continue
        nodes = json_ld(published, name)
        page_type = soup.body["data-page-type"]
        webpages = [n for n in nodes if n.get("@id") == url_of(published, name) + "#webpage"]
        assert len(webpages) == 1, f"{name}: no web page node"
        webpage = webpages[0]
        assert webpage["url"] == url_of(published, name)
        if page_types[page_type]["medical"]:
            medical_seen += 1
            assert "MedicalWebPage" in types(webpage), name
            # lastReviewed only with a named reviewer (test_pages checks that case).
            assert "lastReviewed" not in webpage and "reviewedBy" not in webpage, name
            about = set().union(*(types(a) for a in webpage["about"]))
            assert {"MedicalCondition", "MedicalProcedure"} <= about, name
        else:
            assert "MedicalWebPage" not in types(webpage), name
            assert "lastReviewed" not in webpage
    medical_sources = [meta for name, meta in content_pages().items() if page_types[meta["type"]]["medical"]]
    assert medical_seen == len(medical_sources) > 0  # every medical page of the content


def test_the_procedure_article_describes_kyphoplasty(published):
    slug = published.settings["DISCOVERY"]["procedure_article"]
    name = f"articles/{slug}/index.html"
    procedures = [n for n in json.loads(json.dumps(json_ld(published, name)))
                  for n in [n] + n.get("about", []) if "MedicalProcedure" in types(n)]
    full = [p for p in procedures if "howPerformed" in p]
    assert len(full) == 1
    procedure = full[0]
    assert procedure["name"] == "Kyphoplasty"
    assert procedure["procedureType"] in {"https://schema.org/PercutaneousProcedure",
                                          "https://schema.org/NoninvasiveProcedure"}
    for field in ("bodyLocation", "howPerformed", "preparation", "followup"):
        assert len(procedure[field]) > 20, f"{field} is empty"
    # Every figure it gives is also on the site's own pages (no invented numbers).
    said = " ".join(procedure[f] for f in ("howPerformed", "preparation", "followup"))
    pages = " ".join(text(published.soup(p).main) for p in
                     (name, "articles/recovery/index.html", "articles/risks/index.html"))
    assert set(re.findall(r"\d+", said)) <= set(re.findall(r"\d+", pages))
    # Only this article (and its Spanish twin) carries the full description.
    for other, _ in published.pages():
        if other not in (name, "es/" + name) and not other.endswith("404.html"):
            assert '"howPerformed"' not in (published.output / other).read_text(encoding="utf-8")


def answer_text(element):
    element = BeautifulSoup(str(element), "lxml")
    # the theme's own lines: the link to the page, the help beside the phone (LANGUAGE_HELP)
    for more in element.select(".app-more, .app-language-help"):
        more.decompose()
    return text(element)


def test_faq_hub_repeats_no_answer_in_its_markup(published):
    """The hub lists the questions and links to them; the answers are on the
    questions' own pages, each with its FAQPage (test below). Its JSON-LD repeats
    no answer either, so its first load stays small however many questions."""
    for hub in ("faq/index.html", "es/faq/index.html"):
        nodes = json_ld(published, hub)
        assert of_type(nodes, "FAQPage") == [] and of_type(nodes, "CollectionPage"), hub
        assert "acceptedAnswer" not in json.dumps(nodes), hub


def test_each_question_page_marks_up_its_question_as_shown(published):
    checked = 0
    for name, soup in published.pages():
        if soup.body["data-page-type"] != "faq":
            continue
        raw = (published.output / name).read_text(encoding="utf-8")
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', raw, re.S).group(1)
        assert json.loads(block)["@context"] == "https://schema.org", name
        question = faq_page_question(json_ld(published, name))
        assert question["name"] == text(soup.h1)
        assert question["url"] == url_of(published, name)
        shown = answer_text(soup.select_one("main .app-prose"))
        assert " ".join(question["acceptedAnswer"]["text"].split()) == shown, name
        checked += 1
    assert checked == len(list((CONTENT / "faq").rglob("*.md")))


def test_breadcrumb_markup_matches_the_visible_breadcrumbs(published):
    with_crumbs = 0
    for name, soup in published.pages():
        shown = visible_crumbs(published, name, soup)
        lists = of_type(json_ld(published, name), "BreadcrumbList")
        if not shown:
            assert lists == [], f"{name}: breadcrumb markup but no breadcrumbs"
            continue
        with_crumbs += 1
        trail, = lists
        items = sorted(trail["itemListElement"], key=lambda i: i["position"])
        assert [i["position"] for i in items] == list(range(1, len(items) + 1))
        assert [(i["name"], i["item"]) for i in items] == shown, name
    assert with_crumbs == len(list(published.html_files())) - 4  # all but home and 404, twice


def test_json_ld_is_escaped_for_any_title(content_copy, tmp_path):
    """A Title is plain text: it shows as written, and cannot end the JSON-LD
    script early (test_security throws markup at it with the checks off)."""
    hostile = """Is 1 < 2 & is "x" > 'y' </ safe?"""
    written = hostile
    question = content_copy / "faq" / "does-it-hurt.md"
    source = question.read_text(encoding="utf-8")
    question.write_text(re.sub(r"^Title: .*$", f"Title: {written}", source, count=1,
                               flags=re.M), encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, content=content_copy)
    assert result.returncode == 0, result.stderr
    for page in ("faq/does-it-hurt/index.html", "faq/index.html"):
        html = (output / page).read_text(encoding="utf-8")
        script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert "<" not in script.group(1)
        names = [q["name"] for n in json.loads(script.group(1))["@graph"]
                 for q in n.get("mainEntity", []) if isinstance(q, dict)]
        names += [text(h) for h in BeautifulSoup(html, "lxml").select("h1, .app-faq__item a")]
        assert hostile in names
    shown = BeautifulSoup((output / "faq/does-it-hurt/index.html").read_bytes(), "lxml")
    assert text(shown.h1) == hostile


# Sitemap, robots.txt, feed --------------------------------------------------------


def check_sitemap(site, content):
    """Every public page is in the sitemap, dated from the content."""
    tree = etree.parse(str(site.output / "sitemap.xml"))
    entries = {u.findtext("s:loc", namespaces=SITEMAP_NS): u.findtext("s:lastmod", namespaces=SITEMAP_NS)
               for u in tree.getroot().findall("s:url", SITEMAP_NS)}
    public = {url_of(site, name): name for name, _ in site.pages() if not name.endswith("404.html")}
    assert set(entries) == set(public)

    pages = content_pages(content)
    dated = {name: own_date(meta) for name, meta in pages.items() if not name.endswith("404.html")}
    newest = {lang: max(d for n, d in dated.items() if d and n.startswith("es/") == (lang == "es"))
              for lang in ("en", "es")}
    for url, lastmod in entries.items():
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00[+-]\d\d:\d\d", lastmod), lastmod
        name = public[url]
        if name in pages:  # a page with no date: the newest of its language's site
            expected = dated[name] or newest["es" if name.startswith("es/") else "en"]
        else:  # a list of guides: its newest guide
            listed = [urlsplit(urljoin(url, a["href"])).path.lstrip("/") + "index.html"
                      for a in site.soup(name).select("main .app-card a")]
            assert listed, name
            expected = max(dated[p] for p in listed)
        assert lastmod[:10] == expected.isoformat(), f"{name}: lastmod {lastmod}, expected {expected}"
    return entries


def test_sitemap_lists_every_public_page_with_its_content_date(published):
    entries = check_sitemap(published, CONTENT)
    assert all(url.startswith(published.settings["SITEURL"] + "/") for url in entries)


def test_sitemap_dates_follow_the_content(content_copy, tmp_path, today):
    """With different dates per page, each entry still gets its own: a guide
    reviewed today (as an editor marks a page re-checked) is the newest of the site,
    of the guides and of its tags; a question set back keeps its own older date."""
    older = today - datetime.timedelta(days=200)
    changes = {
        "articles/recovery.md": {"Date": older.isoformat(), "Reviewed": today.isoformat()},
        "faq/does-it-hurt.md": {"Reviewed": older.isoformat()},
    }
    for file, fields in changes.items():
        path = content_copy / file
        source = path.read_text(encoding="utf-8")
        for field, value in fields.items():
            source = re.sub(rf"^{field}: .*$", f"{field}: {value}", source, count=1, flags=re.M)
        path.write_text(source, encoding="utf-8")
    output = tmp_path / "output"
    result = run_build(output, "publishconf.py", content=content_copy)
    assert result.returncode == 0, result.stderr

    built = Site(output, result.stdout, read_settings(str(ROOT / "publishconf.py")))
    entries = check_sitemap(built, content_copy)
    siteurl = built.settings["SITEURL"]
    dates = {url.removeprefix(siteurl): lastmod[:10] for url, lastmod in entries.items()}
    assert dates["/articles/recovery/"] == today.isoformat()
    assert dates["/faq/does-it-hurt/"] == older.isoformat()
    tags = [a["href"].removeprefix(siteurl) for a in
            built.soup("articles/recovery/index.html").select(".app-tags a")]
    assert tags and all(dates[tag] == today.isoformat() for tag in tags)
    assert dates["/articles/"] == max(dates.values()) == today.isoformat()
    undated = ["/" + address_of(name) for name, meta in content_pages(content_copy).items()
               if own_date(meta) is None and not name.endswith("404.html")
               and not name.startswith("es/")]  # each language's own newest date
    assert undated and {dates[url] for url in undated} == {today.isoformat()}


def test_robots_txt_points_to_the_sitemap_in_production_only(site, published):
    robots = (published.output / "robots.txt").read_text(encoding="utf-8")
    lines = robots.splitlines()
    assert f"Sitemap: {published.settings['SITEURL']}/sitemap.xml" in lines
    assert "Disallow: /" not in lines
    assert not (site.output / "robots.txt").exists()
    assert not (site.output / "sitemap.xml").exists()
    for name, soup in site.pages():
        robots_meta = soup.select_one('meta[name="robots"]')
        assert robots_meta and robots_meta["content"] == "noindex", f"{name}: dev page indexable"


def test_atom_feed_of_the_articles(published):
    siteurl = published.settings["SITEURL"]
    feed = etree.parse(str(published.output / published.settings["FEED_ATOM"])).getroot()
    entries = feed.findall("a:entry", ATOM_NS)
    articles = {name: meta for name, meta in content_pages().items() if name.startswith("articles/")}
    # (the Spanish feed: test_i18n)
    assert len(entries) == len(articles) > 5
    for entry in entries:
        link = entry.find("a:link[@rel='alternate']", ATOM_NS).get("href")
        assert link.startswith(siteurl + "/articles/")
        name = link.removeprefix(siteurl + "/") + "index.html"
        meta = articles[name]
        assert entry.findtext("a:title", namespaces=ATOM_NS) == meta["title"]
        assert entry.findtext("a:updated", namespaces=ATOM_NS)[:10] == own_date(meta).isoformat()
        body = BeautifulSoup(entry.findtext("a:content", namespaces=ATOM_NS), "lxml")
        for element in body.select("[href], [src]"):
            url = element.get("href") or element.get("src")
            assert url.startswith((siteurl + "/", "https://", "tel:", "mailto:")), url
    for name, soup in published.pages():
        alternate = soup.select_one('link[rel="alternate"][type="application/atom+xml"]')
        prefix = "es/" if name.startswith("es/") else ""  # a feed per language
        assert alternate["href"] == f"{siteurl}/{prefix}{published.settings['FEED_ATOM']}", name


def test_development_build_has_no_feeds(site):
    written = [p.relative_to(site.output).as_posix() for p in site.output.rglob("*")
               if p.suffix in {".atom", ".rss", ".xml"} or "feeds" in p.parts]
    assert written == []
    for name, soup in site.pages():
        assert not soup.select('link[rel="alternate"][type*="xml"]'), name


# The production build ---------------------------------------------------------------


def readable(path):
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":  # .gz copies and Pagefind's index files
        data = gzip.decompress(data)
    elif path.suffix == ".br":
        data = brotli.decompress(data)
    return data


def test_production_build_leaks_no_development_address(published):
    checked = 0
    for path in sorted(published.output.rglob("*")):
        if path.is_file() and path.suffix != ".png":
            data = readable(path)
            for leak in (b"localhost", b"127.0.0.1", str(published.output).encode()):
                assert leak not in data, f"{path.relative_to(published.output)} contains {leak!r}"
            checked += 1
    assert checked > 200


def test_production_pages_use_absolute_addresses(published):
    siteurl = published.settings["SITEURL"]
    for name, soup in published.pages():
        for element in soup.select("[href], [src], form[action]"):
            url = element.get("href") or element.get("src") or element.get("action")
            if url.startswith(("#", "tel:", "mailto:")):
                continue
            assert url.startswith((siteurl + "/", "https://")), f"{name}: relative {url}"


def test_production_build_is_repeatable(published, tmp_path):
    """Sitemap dates, the feed, the search index, the precompressed copies and
    `_headers` do not change between builds (the one repeat of the production build)."""
    again = tmp_path / "output"
    result = run_build(again, "publishconf.py")
    assert result.returncode == 0, result.stderr
    assert tree_differences(published.output, again) == []
    for name in ("sitemap.xml", "robots.txt", "feeds/articles.atom.xml", "pagefind/pagefind-entry.json",
                 "_headers", "index.html.br", "index.html.gz"):
        assert (again / name).is_file(), name


@pytest.mark.parametrize("name", ["sitemap.xml", "feeds/articles.atom.xml"])
def test_xml_files_are_well_formed(published, name):
    etree.parse(str(published.output / name))
