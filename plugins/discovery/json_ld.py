"""JSON-LD: templates call `{{ structured_data()|tojson }}` and get one @graph built
from the page's metadata and the settings; the one piece of page text in it is a
question's answer (FAQPage), as plain text (text.plain_text) of the sanitized HTML.

MedicalClinic and WebSite everywhere, MedicalWebPage (about; lastReviewed and
reviewedBy only when a `Reviewer` is named) on medical pages, MedicalProcedure on
the procedure article, BreadcrumbList on inner pages. Each question's own page
is a FAQPage with its one Question and the answer as the page shows it; the
questions hub, which lists the questions with their Summary and no answers, is
a CollectionPage (the answers in its JSON-LD would grow its first load by about
0.5 KB gzip a question).
"""

from jinja2 import pass_context

from .crumbs import document_name, page_crumbs
from .dates import as_day
from .languages import root_url
from .page import address, page_path, which
from .text import plain, plain_text, text_of

SCHEMA = "https://schema.org/"


def _procedure(ctx, siteurl, full):
    spec = dict(ctx.get("MEDICAL_PROCEDURE") or {})
    node = {
        "@type": "MedicalProcedure",
        "@id": address(siteurl, "#procedure"),
        "name": spec.pop("name", ""),
    }
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
    node = {"@type": "MedicalCondition", "@id": address(siteurl, "#condition")}
    node.update(spec)
    node["possibleTreatment"] = {"@id": address(siteurl, "#procedure")}
    return node


def _clinic_id(ctx):
    """The practice is one in every language: its node lives at the main site."""
    return address(root_url(ctx), "#clinic")


def _clinic(ctx, siteurl):
    root = root_url(ctx)  # its address, logo and picture: the main site's
    node = {
        "@type": "MedicalClinic",
        "@id": _clinic_id(ctx),
        "name": ctx["PRACTICE_NAME"],
        "url": address(root, ""),
        "telephone": ctx["PHONE_TEL"],
        "areaServed": ctx.get("PRACTICE_AREA"),
        "logo": address(root, "icon-512.png"),
        "image": address(root, ctx.get("SHARE_IMAGE", "")),
        "availableService": {"@id": address(siteurl, "#procedure")},
    }
    if ctx.get("PARENT_ORGANIZATION"):
        node["parentOrganization"] = {
            "@type": "MedicalOrganization",
            "name": ctx["PARENT_ORGANIZATION"],
        }
    return {key: value for key, value in node.items() if value}


def _website(ctx, siteurl):
    return {
        "@type": "WebSite",
        "@id": address(siteurl, "#website"),
        "name": ctx["SITENAME"],
        "url": address(siteurl, ""),
        "inLanguage": ctx.get("DEFAULT_LANG", "en"),
        "publisher": {"@id": _clinic_id(ctx)},
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": address(siteurl, "search/?q={search_term_string}"),
            },
            "query-input": "required name=search_term_string",
        },
    }


def _question(siteurl, faq):
    return {
        "@type": "Question",
        "@id": address(siteurl, faq.url) + "#question",
        "name": plain(faq.title),
        "url": address(siteurl, faq.url),
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
    kind, obj = which(ctx)
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
    url = address(siteurl, page_path(ctx))
    node = {
        "@type": _webpage_type(kind, obj, metadata, medical),
        "@id": url + "#webpage",
        "url": url,
        "name": document_name(ctx),
        "inLanguage": ctx.get("DEFAULT_LANG", "en"),
        "isPartOf": {"@id": address(siteurl, "#website")},
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
        dates["datePublished"] = as_day(metadata["date"], ctx["TIMEZONE"]).date().isoformat()
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
        facts["mainEntity"] = {"@id": address(siteurl, "#procedure")}
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
