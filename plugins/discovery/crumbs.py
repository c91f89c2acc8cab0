"""The page's breadcrumb trail and its own name, in the page's language: the theme
shows them and the JSON-LD repeats them."""

from jinja2 import pass_context

from .page import address, once_per_page, page_path, which
from .text import plain, translate


@once_per_page
def page_crumbs(ctx):
    """The breadcrumb trail: (url, label), Home first. The theme shows it and the
    JSON-LD repeats it. None on the home page and the 404 page."""
    siteurl = ctx.get("SITEURL", "")
    home = (address(siteurl, ""), translate(ctx, "Home"))
    guides = (address(siteurl, "articles/"), translate(ctx, "Guides"))
    kind, obj = which(ctx)
    if kind == "article":
        return [
            home,
            guides,
            (address(siteurl, obj.category.url), obj.category.name),
            (address(siteurl, page_path(ctx)), obj.title),
        ]
    if kind == "page":
        if obj.metadata.get("type") == "home" or obj.save_as == "404.html":
            return None
        trail = [home]
        if obj.metadata.get("type") == "faq":
            trail.append((address(siteurl, "faq/"), translate(ctx, "Questions")))
        return trail + [(address(siteurl, page_path(ctx)), obj.title)]
    if kind in ("category", "tag"):
        return [home, guides, (address(siteurl, page_path(ctx)), obj.name)]
    return [home, guides]


@pass_context
def document_name(ctx):
    """The page's own name, without the site's name (for og:title and JSON-LD)."""
    kind, obj = which(ctx)
    if kind in ("article", "page"):
        return plain(obj.title)
    if kind == "category":
        return f"{translate(ctx, 'Guides about')} {obj.name.lower()}"
    if kind == "tag":
        return f"{translate(ctx, 'Guides tagged')} “{obj.name}”"
    return translate(ctx, "Guides for patients and families")
