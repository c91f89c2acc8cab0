"""discovery: what search engines, link previews and assistants read about each page.

- Page dates: each page's `modified` becomes the newest of its `Date`, `Reviewed`
  and `Modified`, so the Atom feed and the sitemap show the last real change.
  Guides of the same date get a fixed order (by slug), so the feed is the same
  in every build.
- JSON-LD: templates call `{{ structured_data()|tojson }}` and get one @graph
  built from the page's metadata and the settings (never from text in content):
  MedicalClinic and WebSite everywhere, MedicalWebPage (about; lastReviewed and
  reviewedBy only when a `Reviewer` is named) on medical pages, MedicalProcedure on the procedure article, FAQPage with the
  questions and answers as the page shows them, BreadcrumbList on inner pages.
  `document_name()` gives the page's name for link previews (og:title).
- Sitemap dates (production build, with pelican-sitemap): listings get the newest
  date of the guides they list, and undated pages the newest date of the site,
  never the time of the build, so two builds of the same content are identical.
- robots.txt: written in the production build only, pointing to the sitemap.
"""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.utils import SafeDatetime

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


state = {"newest": None, "listings": {}}


def on_all_generators_finalized(generators):
    settings = generators[0].settings
    timezone = settings["TIMEZONE"]
    newest = []
    for generator in generators:
        for name in ("articles", "pages", "hidden_pages"):
            for content in getattr(generator, name, []):
                dates = content_dates(content, timezone)
                if dates:
                    content.modified = max(dates)
                    if name != "hidden_pages":
                        newest.append(content.modified)
    state["newest"] = max(newest) if newest else None
    state["listings"] = {}
    for generator in generators:
        articles = getattr(generator, "articles", None)
        if articles:
            # Pelican reads files in set order, so guides of the same date come out
            # in a different order each build (the Atom feed changed between builds).
            # Newest first as before; the same date: by slug.
            articles.sort(key=lambda article: article.slug)
            articles.sort(key=lambda article: article.date, reverse=True)
    _sitemap_fallback_date(state["newest"])


def _sitemap_module():
    try:
        from pelican.plugins.sitemap import sitemap
    except ImportError:
        return None
    return sitemap


def _sitemap_fallback_date(newest):
    """pelican-sitemap dates undated pages with the build's clock: use the site's
    newest content date instead, so the sitemap only changes when content does."""
    sitemap = _sitemap_module()
    if sitemap is not None and newest is not None:
        sitemap.generator.now = newest


class Listing:
    """What pelican-sitemap reads of a list page: its address and last change."""

    status = "published"
    translations = ()

    def __init__(self, url, modified):
        self.url = url
        self.modified = modified


def on_content_written(path, context):
    """Remember the newest guide of each list page (topic, tag, all guides)."""
    if context.get("article") or context.get("page"):
        return
    dates = [a.modified for a in context.get("articles") or () if getattr(a, "modified", None)]
    if dates:
        state["listings"][str(Path(path))] = max(dates)


def on_finalized(pelican):
    """Before pelican-sitemap writes (it is listed after us): date the list pages."""
    sitemap = _sitemap_module()
    if sitemap is None or not state["listings"]:
        return
    output = Path(pelican.settings["OUTPUT_PATH"])
    queue = sitemap.generator.page_queue
    for index, (path, obj) in enumerate(queue):
        modified = state["listings"].get(str(Path(path)))
        if obj is None and modified is not None:
            url = Path(path).relative_to(output).as_posix()
            url = re.sub(r"(?:^|(?<=/))index\.html$", "", url)
            queue[index] = (path, Listing(url, modified))


def write_robots_txt(pelican):
    """robots.txt for the live site only; the development build is not indexed."""
    settings = pelican.settings
    if not settings.get("PRODUCTION"):
        return
    lines = ["User-agent: *", "Allow: /", "Disallow: /pagefind/", ""]
    if settings.get("SITEMAP") is not None:
        lines.append(f"Sitemap: {settings['SITEURL']}/sitemap.xml")
    Path(settings["OUTPUT_PATH"], "robots.txt").write_text("\n".join(lines) + "\n",
                                                           encoding="utf-8")


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


def _clinic(ctx, siteurl):
    node = {
        "@type": "MedicalClinic",
        "@id": _url(siteurl, "#clinic"),
        "name": ctx["PRACTICE_NAME"],
        "url": _url(siteurl, ""),
        "telephone": ctx["PHONE_TEL"],
        "areaServed": ctx.get("PRACTICE_AREA"),
        "logo": _url(siteurl, "icon-512.png"),
        "image": _url(siteurl, ctx.get("SHARE_IMAGE", "")),
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
        "publisher": {"@id": _url(siteurl, "#clinic")},
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


def page_crumbs(ctx):
    """The breadcrumb trail: (url, label), Home first. The theme shows it and the
    JSON-LD repeats it. None on the home page and the 404 page."""
    siteurl = ctx.get("SITEURL", "")
    strings = ctx["STRINGS"]
    home = (_url(siteurl, ""), strings["nav_home"])
    guides = (_url(siteurl, "articles/"), strings["nav_articles"])
    kind, obj = _which(ctx)
    if kind == "article":
        return [home, guides, (_url(siteurl, obj.category.url), obj.category.name),
                (_url(siteurl, obj.url), obj.title)]
    if kind == "page":
        if obj.metadata.get("type") == "home" or obj.save_as == "404.html":
            return None
        trail = [home]
        if obj.metadata.get("type") == "faq":
            trail.append((_url(siteurl, "faq/"), strings["nav_faq"]))
        return trail + [(_url(siteurl, obj.url), obj.title)]
    if kind in ("category", "tag"):
        return [home, guides, (_url(siteurl, obj.url), obj.name)]
    return [home, guides]


@pass_context
def document_name(ctx):
    """The page's own name, without the site's name (for og:title and JSON-LD)."""
    strings = ctx["STRINGS"]
    kind, obj = _which(ctx)
    if kind in ("article", "page"):
        return plain(obj.title)
    if kind == "category":
        return f"{strings['articles_in_topic']} {obj.name.lower()}"
    if kind == "tag":
        return f"{strings['articles_with_tag']} “{obj.name}”"
    return strings["articles_heading"]


def _question(siteurl, faq):
    return {
        "@type": "Question",
        "@id": _url(siteurl, faq.url) + "#question",
        "name": plain(faq.title),
        "url": _url(siteurl, faq.url),
        "acceptedAnswer": {"@type": "Answer", "text": plain_text(faq.get_content(siteurl))},
    }


def _faqs(ctx):
    """Every question, in the order the FAQ hub lists them (the theme's filter)."""
    return list(ctx.environment.filters["faq_questions"](ctx.get("pages") or []))


@pass_context
def structured_data(ctx):
    """The page's JSON-LD @graph (a dict: the template writes it with |tojson)."""
    siteurl = ctx.get("SITEURL", "")
    graph = [_clinic(ctx, siteurl), _website(ctx, siteurl)]
    kind, obj = _which(ctx)
    if kind == "page" and obj.save_as == "404.html":
        return {"@context": "https://schema.org", "@graph": graph}

    page_types = ctx.get("PAGE_TYPES", {})
    metadata = obj.metadata if kind in ("article", "page") else {}
    page_type = metadata.get("type", "listing")
    medical = page_types.get(page_type, {}).get("medical", False)
    url = _url(siteurl, obj.url if obj is not None else "articles/")
    if kind == "page" and metadata.get("type") == "home":
        url = _url(siteurl, "")

    types = []
    questions = []
    if kind == "page" and metadata.get("type") == "faq":
        questions = [obj]
    elif kind == "page" and obj.metadata.get("template") == "faq_index":
        questions = _faqs(ctx)
    if questions:
        types.append("FAQPage")
    if medical:
        types.append("MedicalWebPage")
    if kind in ("category", "tag", "index"):
        types.append("CollectionPage")
    if not types:
        types.append("WebPage")

    webpage = {
        "@type": types[0] if len(types) == 1 else types,
        "@id": url + "#webpage",
        "url": url,
        "name": document_name(ctx),
        "inLanguage": ctx.get("DEFAULT_LANG", "en"),
        "isPartOf": {"@id": _url(siteurl, "#website")},
        "publisher": {"@id": _url(siteurl, "#clinic")},
    }
    if metadata.get("summary"):
        webpage["description"] = text_of(metadata["summary"])
    timezone = ctx["TIMEZONE"]
    if metadata.get("date"):
        webpage["datePublished"] = _day(metadata["date"], timezone).date().isoformat()
    if obj is not None and getattr(obj, "modified", None) and kind in ("article", "page"):
        webpage["dateModified"] = obj.modified.date().isoformat()
    if medical:
        if metadata.get("reviewed") and metadata.get("reviewer"):  # a named clinician only
            webpage["lastReviewed"] = str(metadata["reviewed"]).strip()
            webpage["reviewedBy"] = {"@type": "Person", "name": plain(metadata["reviewer"])}
        is_procedure = kind == "article" and obj.slug == ctx.get("PROCEDURE_ARTICLE")
        webpage["about"] = [_condition(ctx, siteurl),
                            _procedure(ctx, siteurl, full=is_procedure)]
        if is_procedure:
            webpage["mainEntity"] = {"@id": _url(siteurl, "#procedure")}
    if questions:
        webpage["mainEntity"] = [_question(siteurl, q) for q in questions]
    graph.append(webpage)

    crumbs = page_crumbs(ctx)
    if crumbs:
        webpage["breadcrumb"] = {"@id": url + "#breadcrumb"}
        graph.append({
            "@type": "BreadcrumbList",
            "@id": url + "#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": number, "name": plain(label), "item": link}
                for number, (link, label) in enumerate(crumbs, start=1)
            ],
        })
    return {"@context": "https://schema.org", "@graph": graph}


def on_initialized(pelican):
    jinja_globals = pelican.settings.setdefault("JINJA_GLOBALS", {})
    jinja_globals["structured_data"] = structured_data
    jinja_globals["document_name"] = document_name
    jinja_globals["breadcrumb_trail"] = pass_context(page_crumbs)


def register():
    signals.initialized.connect(on_initialized)
    signals.all_generators_finalized.connect(on_all_generators_finalized)
    signals.content_written.connect(on_content_written)
    signals.finalized.connect(on_finalized)
    signals.finalized.connect(write_robots_txt)
