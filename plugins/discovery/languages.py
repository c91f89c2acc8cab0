"""Languages (pelican-i18n-subsites): a page's versions in the other languages,
for the language switch, and its hreflang links (same page only, plus x-default)."""

from jinja2 import pass_context
from pelican.urlwrappers import Category

from .page import once_per_page, page_path, which


def twin_path(ctx, lang):
    """The path of this page in another language, and whether it is the same page."""
    kind, obj = which(ctx)
    if kind in ("article", "page"):
        langs = {t.lang for t in getattr(obj, "translations", [])}
        if lang in langs:
            return page_path(ctx), True
        return None, False
    own = ctx["LANGUAGES"][ctx["DEFAULT_LANG"]]["topics"]
    if kind == "category" and obj.name in own:
        twin = Category(ctx["LANGUAGES"][lang]["topics"][own.index(obj.name)], ctx)
        return twin.url, True
    if kind == "index":
        return "articles/", True
    return "articles/", False  # a tag: no twin; the guides in that language


@pass_context
@once_per_page
def language_versions(ctx):
    """The other languages' versions of this page: (lang, name, url, same_page)."""
    versions = []
    siteurls = ctx.get("lang_siteurls") or {ctx["DEFAULT_LANG"]: ctx.get("SITEURL", "")}
    for lang, siteurl in siteurls.items():
        if lang == ctx["DEFAULT_LANG"]:
            continue
        path, same = twin_path(ctx, lang)
        if path is None:
            path, same = "", False  # no translation yet: that language's home page
        name = ctx["LANGUAGES"][lang]["name"]
        versions.append((lang, name, f"{siteurl.rstrip('/')}/{path}", same))
    return versions


@pass_context
def alternates(ctx):
    """hreflang links: (lang, url) for this page and each translation, then x-default."""
    kind, obj = which(ctx)
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
