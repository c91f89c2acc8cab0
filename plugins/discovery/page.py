"""The page being written, as the templates' context shows it: which kind of page,
its addresses, and `once_per_page` for what is asked for several times a page."""

import functools


def address(siteurl, path):
    """An address on the site: its root address and a path in it."""
    return f"{siteurl}/{path or ''}"


def which(ctx):
    """What kind of page is being written, and its content object."""
    for kind in ("article", "page", "category", "tag"):
        value = ctx.get(kind)
        if value:
            return kind, value
    return "index", None


def once_per_page(function):
    """The function's last result while the same page is being written: the same
    file, object, site address and language. (The page's address, its breadcrumb
    trail and its language versions are asked for two or three times a page.)"""
    last = {}

    @functools.wraps(function)
    def remembered(ctx):
        kind, obj = which(ctx)
        key = (ctx.get("output_file"), kind, ctx.get("SITEURL"), ctx.get("DEFAULT_LANG"))
        if key[0] is None:  # not a page being written
            return function(ctx)
        if last.get("key") != key or last.get("obj") is not obj:
            last.update(key=key, obj=obj, value=function(ctx))
        return last["value"]

    return remembered


@once_per_page
def page_path(ctx):
    """The page's address, relative to its site's root."""
    kind, obj = which(ctx)
    if kind in ("article", "page"):
        return "" if obj.metadata.get("type") == "home" else obj.url
    if kind in ("category", "tag"):
        return obj.url
    return "articles/"
