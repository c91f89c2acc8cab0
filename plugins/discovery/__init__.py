"""discovery: what search engines, link previews and assistants read about each page.

- Page dates: each page's `modified` becomes the newest of its `Date`, `Reviewed`
  and `Modified`, so the Atom feed and the sitemap show the last real change.
  (The guides' order, newest first and then by slug, is Pelican's
  ARTICLE_ORDER_BY, set in pelicanconf.py.)
- JSON-LD: templates call `{{ structured_data()|tojson }}` and get one @graph
  built from the page's metadata and the settings (never from text in content):
  MedicalClinic and WebSite everywhere, MedicalWebPage (about; lastReviewed and
  reviewedBy only when a `Reviewer` is named) on medical pages, MedicalProcedure on
  the procedure article, BreadcrumbList on inner pages. Each question's own page
  is a FAQPage with its one Question and the answer as the page shows it; the
  questions hub, which lists the questions with their Summary and no answers, is
  a CollectionPage (the answers in its JSON-LD would grow its first load by about
  0.5 KB gzip a question).
  `document_name()` gives the page's name for link previews (og:title).
- Sitemap (production build, SITEMAP_SAVE_AS): one file for every language, each
  page at the canonical address and with the hreflang links its own head
  declares (so the sitemap never disagrees with the pages). Listings get the
  newest date of the guides they list, undated pages the newest date of their
  language's site, never the time of the build, so two builds are identical.
- Languages (pelican-i18n-subsites): `language_versions()` gives the other
  languages' version of the page for the language switch, `alternates()` the
  hreflang links (same page only, plus x-default).

The page's address, its breadcrumb trail and its language versions are asked for
two or three times on each page: each is worked out once per page written
(`once_per_page`).
"""

import datetime
import functools
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.utils import SafeDatetime

import plugin_settings

SCHEMA = "https://schema.org/"
BLOCKS = {"p", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
          "pre", "table", "tr", "div", "dl", "dt", "dd", "figure", "figcaption", "br"}


# Dates ------------------------------------------------------------------------


def _day(value, timezone):
    """A date or datetime, or a YYYY-MM-DD string, as a zoned datetime at midnight."""
    if isinstance(value, datetime.datetime):
        day = value.date()
    elif isinstance(value, datetime.date):
        day = value
    else:
        day = datetime.date.fromisoformat(str(value).strip())
    return SafeDatetime(day.year, day.month, day.day, tzinfo=ZoneInfo(timezone))


def content_dates(content, timezone):
    """The page's own dates (Date, Reviewed, Modified), as zoned datetimes."""
    found = []
    for name in ("date", "reviewed", "modified"):
        value = content.metadata.get(name)
        if value:
            try:
                found.append(_day(value, timezone))
            except ValueError:
                pass  # content_checks reports a malformed date
    return found


newest = {}  # language -> the newest content date of its site
written = {}  # every page written, in every language: output path -> last change


def on_all_generators_finalized(generators):
    settings = generators[0].settings
    timezone = settings["TIMEZONE"]
    dates = []
    for generator in generators:
        for name in ("articles", "pages", "hidden_pages"):
            for content in getattr(generator, name, []):
                found = content_dates(content, timezone)
                if found:
                    content.modified = max(found)
                    if name != "hidden_pages":
                        dates.append(content.modified)
    newest[settings["DEFAULT_LANG"]] = max(dates) if dates else None


def on_content_written(path, context):
    """Remember each public page's last change, for the sitemap: its own date, the
    newest guide it lists, or else the newest date of its language's site."""
    obj = context.get("article") or context.get("page")
    if obj is not None and obj.status != "published":
        return
    if obj is not None:
        modified = getattr(obj, "modified", None)
    else:
        listed = [a.modified for a in context.get("articles") or () if getattr(a, "modified", None)]
        modified = max(listed) if listed else None
    written[str(Path(path))] = modified or newest.get(context["DEFAULT_LANG"])


def on_initialized_dates(pelican):
    if not pelican.settings.get("LANGUAGE_SUBSITE"):
        written.clear()
        newest.clear()


def write_sitemap(pelican):
    """sitemap.xml (SITEMAP_SAVE_AS) for the live site, every language in one file:
    each public page at its canonical address, with its last change and the
    hreflang links the page itself declares."""
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE") or not settings.get("SITEMAP_SAVE_AS"):
        return
    entries = []
    for path, modified in written.items():
        head = _head_links(path)
        if head is None or "canonical" not in head:
            continue  # not a page (a feed), or a page without an address of its own (404)
        entries.append((head["canonical"], modified, head["alternates"]))
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
             ' xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for url, modified, links in sorted(entries):
        lines.append(f"<url><loc>{escape(url)}</loc>")
        if modified is not None:
            lines.append(f"<lastmod>{modified.isoformat()}</lastmod>")
        lines += [f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
                  for lang, href in links]
        lines.append("</url>")
    lines.append("</urlset>")
    target = Path(settings["OUTPUT_PATH"], settings["SITEMAP_SAVE_AS"])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _head_links(path):
    """The canonical address and hreflang links a written HTML page declares."""
    if not path.endswith(".html"):
        return None
    with open(path, "rb") as page:
        head = page.read().split(b"</head>", 1)[0]
    tree = lxml.html.fromstring(head)
    found = {"alternates": []}
    for link in tree.iter("link"):
        if link.get("rel") == "canonical":
            found["canonical"] = link.get("href")
        elif link.get("rel") == "alternate" and link.get("hreflang"):
            found["alternates"].append((link.get("hreflang"), link.get("href")))
    return found


# Text -------------------------------------------------------------------------


def plain_text(html):
    """HTML as the reader sees it: the words, one line per block, no markup."""
    if not html or not str(html).strip():
        return ""
    root = lxml.html.fragment_fromstring(str(html), create_parent="div")
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    lines = (" ".join(line.split()) for line in root.text_content().splitlines())
    return "\n".join(line for line in lines if line)


def text_of(html):
    """The words of an HTML field (a Summary), as plain text."""
    return " ".join(Markup(str(html or "")).striptags().split())


def plain(text):
    """A plain-text field (a Title, a name) on one line."""
    return " ".join(str(text or "").split())


def translate(ctx, text):
    """The theme's wording in the page's language (the gettext catalog the
    templates use, through their `_()`; `make translations` extracts these calls too)."""
    gettext = ctx.environment.globals.get("_")  # theme_filters remembers each text
    return str(ctx.call(gettext, text)) if gettext else text


def once_per_page(function):
    """The function's last result while the same page is being written: the same
    file, object, site address and language."""
    last = {}

    @functools.wraps(function)
    def remembered(ctx):
        kind, obj = _which(ctx)
        key = (ctx.get("output_file"), kind, ctx.get("SITEURL"), ctx.get("DEFAULT_LANG"))
        if key[0] is None:  # not a page being written
            return function(ctx)
        if last.get("key") != key or last.get("obj") is not obj:
            last.update(key=key, obj=obj, value=function(ctx))
        return last["value"]

    return remembered


# JSON-LD ----------------------------------------------------------------------


def _url(siteurl, path):
    return f"{siteurl}/{path or ''}"


def _procedure(ctx, siteurl, full):
    spec = dict(ctx.get("MEDICAL_PROCEDURE") or {})
    node = {"@type": "MedicalProcedure", "@id": _url(siteurl, "#procedure"),
            "name": spec.pop("name", "")}
    if "alternateName" in spec:
        node["alternateName"] = spec.pop("alternateName")
    if full:
        procedure_type = spec.pop("procedureType", None)
        if procedure_type:
            node["procedureType"] = SCHEMA + procedure_type
        location = spec.pop("bodyLocation", None)
        if location:
            node["bodyLocation"] = location
        node.update(spec)
    return node


def _condition(ctx, siteurl):
    spec = dict(ctx.get("MEDICAL_CONDITION") or {})
    node = {"@type": "MedicalCondition", "@id": _url(siteurl, "#condition")}
    node.update(spec)
    node["possibleTreatment"] = {"@id": _url(siteurl, "#procedure")}
    return node


def _clinic_id(ctx):
    """The practice is one in every language: its node lives at the main site."""
    return _url(root_url(ctx), "#clinic")


def _clinic(ctx, siteurl):
    root = root_url(ctx)  # its address, logo and picture: the main site's
    node = {
        "@type": "MedicalClinic",
        "@id": _clinic_id(ctx),
        "name": ctx["PRACTICE_NAME"],
        "url": _url(root, ""),
        "telephone": ctx["PHONE_TEL"],
        "areaServed": ctx.get("PRACTICE_AREA"),
        "logo": _url(root, "icon-512.png"),
        "image": _url(root, ctx.get("SHARE_IMAGE", "")),
        "availableService": {"@id": _url(siteurl, "#procedure")},
    }
    if ctx.get("PARENT_ORGANIZATION"):
        node["parentOrganization"] = {"@type": "MedicalOrganization",
                                      "name": ctx["PARENT_ORGANIZATION"]}
    return {key: value for key, value in node.items() if value}


def _website(ctx, siteurl):
    return {
        "@type": "WebSite",
        "@id": _url(siteurl, "#website"),
        "name": ctx["SITENAME"],
        "url": _url(siteurl, ""),
        "inLanguage": ctx.get("DEFAULT_LANG", "en"),
        "publisher": {"@id": _clinic_id(ctx)},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint",
                       "urlTemplate": _url(siteurl, "search/?q={search_term_string}")},
            "query-input": "required name=search_term_string",
        },
    }


def _which(ctx):
    """What kind of page is being written, and its content object."""
    for kind in ("article", "page", "category", "tag"):
        value = ctx.get(kind)
        if value:
            return kind, value
    return "index", None


@once_per_page
def page_crumbs(ctx):
    """The breadcrumb trail: (url, label), Home first. The theme shows it and the
    JSON-LD repeats it. None on the home page and the 404 page."""
    siteurl = ctx.get("SITEURL", "")
    home = (_url(siteurl, ""), translate(ctx, "Home"))
    guides = (_url(siteurl, "articles/"), translate(ctx, "Guides"))
    kind, obj = _which(ctx)
    if kind == "article":
        return [home, guides, (_url(siteurl, obj.category.url), obj.category.name),
                (_url(siteurl, page_path(ctx)), obj.title)]
    if kind == "page":
        if obj.metadata.get("type") == "home" or obj.save_as == "404.html":
            return None
        trail = [home]
        if obj.metadata.get("type") == "faq":
            trail.append((_url(siteurl, "faq/"), translate(ctx, "Questions")))
        return trail + [(_url(siteurl, page_path(ctx)), obj.title)]
    if kind in ("category", "tag"):
        return [home, guides, (_url(siteurl, page_path(ctx)), obj.name)]
    return [home, guides]


@pass_context
def document_name(ctx):
    """The page's own name, without the site's name (for og:title and JSON-LD)."""
    kind, obj = _which(ctx)
    if kind in ("article", "page"):
        return plain(obj.title)
    if kind == "category":
        return f"{translate(ctx, 'Guides about')} {obj.name.lower()}"
    if kind == "tag":
        return f"{translate(ctx, 'Guides tagged')} “{obj.name}”"
    return translate(ctx, "Guides for patients and families")


def _question(siteurl, faq):
    return {
        "@type": "Question",
        "@id": _url(siteurl, faq.url) + "#question",
        "name": plain(faq.title),
        "url": _url(siteurl, faq.url),
        "acceptedAnswer": {"@type": "Answer", "text": plain_text(faq.get_content(siteurl))},
    }


def _is_faq_hub(obj):
    return getattr(obj, "metadata", {}).get("template") == "faq_index"


def _is_question(kind, metadata):
    return kind == "page" and metadata.get("type") == "faq"


@pass_context
def structured_data(ctx):
    """The page's JSON-LD @graph (a dict: the template writes it with |tojson)."""
    siteurl = ctx.get("SITEURL", "")
    graph = [_clinic(ctx, siteurl), _website(ctx, siteurl)]
    kind, obj = _which(ctx)
    if not (kind == "page" and obj.save_as == "404.html"):
        webpage = _webpage(ctx, siteurl, kind, obj)
        graph.append(webpage)
        crumbs = _breadcrumb_list(ctx, webpage["url"])
        if crumbs:
            webpage["breadcrumb"] = {"@id": crumbs["@id"]}
            graph.append(crumbs)
    return {"@context": "https://schema.org", "@graph": graph}


def _webpage(ctx, siteurl, kind, obj):
    """The page itself: a WebPage, MedicalWebPage, FAQPage or CollectionPage."""
    metadata = obj.metadata if kind in ("article", "page") else {}
    page_type = ctx.get("PAGE_TYPES", {}).get(metadata.get("type", "listing"), {})
    medical = page_type.get("medical", False)
    url = _url(siteurl, page_path(ctx))
    node = {
        "@type": _webpage_type(kind, obj, metadata, medical),
        "@id": url + "#webpage",
        "url": url,
        "name": document_name(ctx),
        "inLanguage": ctx.get("DEFAULT_LANG", "en"),
        "isPartOf": {"@id": _url(siteurl, "#website")},
        "publisher": {"@id": _clinic_id(ctx)},
    }
    if metadata.get("summary"):
        node["description"] = text_of(metadata["summary"])
    node.update(_webpage_dates(ctx, kind, obj, metadata))
    if medical:
        node.update(_medical_facts(ctx, siteurl, kind, obj, metadata))
    if _is_question(kind, metadata):
        node["mainEntity"] = [_question(siteurl, obj)]
    return node


def _webpage_type(kind, obj, metadata, medical):
    """The page's schema.org type, or a list of them when it is more than one."""
    types = []
    if _is_question(kind, metadata):
        types.append("FAQPage")
    if medical:
        types.append("MedicalWebPage")
    if kind in ("category", "tag", "index") or obj is not None and _is_faq_hub(obj):
        types.append("CollectionPage")  # the questions hub too: each answer is on its page
    if not types:
        return "WebPage"
    return types[0] if len(types) == 1 else types


def _webpage_dates(ctx, kind, obj, metadata):
    """datePublished (a guide's Date) and dateModified (its last real change)."""
    dates = {}
    if metadata.get("date"):
        dates["datePublished"] = _day(metadata["date"], ctx["TIMEZONE"]).date().isoformat()
    if kind in ("article", "page") and getattr(obj, "modified", None):
        dates["dateModified"] = obj.modified.date().isoformat()
    return dates


def _medical_facts(ctx, siteurl, kind, obj, metadata):
    """A medical page's review (by a named clinician only) and what it is about."""
    facts = {}
    if metadata.get("reviewed") and metadata.get("reviewer"):
        facts["lastReviewed"] = str(metadata["reviewed"]).strip()
        facts["reviewedBy"] = {"@type": "Person", "name": plain(metadata["reviewer"])}
    is_procedure = kind == "article" and obj.slug == ctx["DISCOVERY"]["procedure_article"]
    facts["about"] = [_condition(ctx, siteurl), _procedure(ctx, siteurl, full=is_procedure)]
    if is_procedure:
        facts["mainEntity"] = {"@id": _url(siteurl, "#procedure")}
    return facts


def _breadcrumb_list(ctx, url):
    """The breadcrumb trail the page shows, as a BreadcrumbList (None: no trail)."""
    crumbs = page_crumbs(ctx)
    if not crumbs:
        return None
    return {
        "@type": "BreadcrumbList",
        "@id": url + "#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": plain(label), "item": link}
            for number, (link, label) in enumerate(crumbs, start=1)
        ],
    }


# Languages ---------------------------------------------------------------------


def _twin_path(ctx, lang):
    """The path of this page in another language, and whether it is the same page."""
    kind, obj = _which(ctx)
    if kind in ("article", "page"):
        langs = {t.lang for t in getattr(obj, "translations", [])}
        if lang in langs:
            return page_path(ctx), True
        return None, False
    own = ctx["LANGUAGES"][ctx["DEFAULT_LANG"]]["topics"]
    if kind == "category" and obj.name in own:
        from pelican.urlwrappers import Category

        twin = Category(ctx["LANGUAGES"][lang]["topics"][own.index(obj.name)], ctx)
        return twin.url, True
    if kind == "index":
        return "articles/", True
    return "articles/", False  # a tag: no twin; the guides in that language


def _is_home(obj):
    return obj.metadata.get("type") == "home"


@pass_context
@once_per_page
def language_versions(ctx):
    """The other languages' versions of this page: (lang, name, url, same_page)."""
    versions = []
    siteurls = ctx.get("lang_siteurls") or {ctx["DEFAULT_LANG"]: ctx.get("SITEURL", "")}
    for lang, siteurl in siteurls.items():
        if lang == ctx["DEFAULT_LANG"]:
            continue
        path, same = _twin_path(ctx, lang)
        if path is None:
            path, same = "", False  # no translation yet: that language's home page
        name = ctx["LANGUAGES"][lang]["name"]
        versions.append((lang, name, f"{siteurl.rstrip('/')}/{path}", same))
    return versions


@pass_context
def alternates(ctx):
    """hreflang links: (lang, url) for this page and each translation, then x-default."""
    kind, obj = _which(ctx)
    if kind == "page" and obj.save_as.endswith("404.html"):
        return []
    own_url = ctx.get("SITEURL", "") + "/" + (page_path(ctx) or "")
    links = [(ctx["DEFAULT_LANG"], own_url)]
    links += [(lang, url) for lang, _name, url, same in language_versions(ctx) if same]
    if len(links) == 1:
        return []
    main_lang = ctx.get("main_lang") or ctx["DEFAULT_LANG"]
    links.append(("x-default", dict(links)[main_lang]))
    return links


@pass_context
def root_url(ctx):
    """The address of the main site's root, from any language's pages: the files
    every language shares (icons, share card) are there."""
    main_lang = ctx.get("main_lang") or ctx["DEFAULT_LANG"]
    siteurl = ctx.get("SITEURL", "")
    if ctx["DEFAULT_LANG"] == main_lang:
        return siteurl
    main = ctx.get("main_siteurl", "")
    if main.startswith(("https://", "http://")):
        return main
    return f"{siteurl}/{ctx['relpath_to_site'](ctx['DEFAULT_LANG'], main_lang)}"


@once_per_page
def page_path(ctx):
    """The page's address, relative to its site's root."""
    kind, obj = _which(ctx)
    if kind in ("article", "page"):
        return "" if _is_home(obj) else obj.url
    if kind in ("category", "tag"):
        return obj.url
    return "articles/"


OPTIONS = {"procedure_article": ""}  # DISCOVERY: the slug of the procedure's guide


def on_initialized(pelican):
    # Checked, and every key there for the templates' context (ctx["DISCOVERY"]).
    pelican.settings["DISCOVERY"] = plugin_settings.read(pelican.settings, "DISCOVERY", OPTIONS)
    jinja_globals = pelican.settings.setdefault("JINJA_GLOBALS", {})
    jinja_globals["language_versions"] = language_versions
    jinja_globals["alternates"] = alternates
    jinja_globals["root_url"] = root_url
    jinja_globals["structured_data"] = structured_data
    jinja_globals["document_name"] = document_name
    jinja_globals["breadcrumb_trail"] = pass_context(page_crumbs)


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.initialized.connect(on_initialized_dates)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(write_sitemap)
