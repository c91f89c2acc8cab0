"""Page dates: each page's last real change, and what every written page changed last.

Each page's `modified` becomes the newest of its `Date`, `Reviewed` and
`Modified`, so the Atom feed and the sitemap show the last real change. (The
guides' order, newest first and then by slug, is Pelican's ARTICLE_ORDER_BY,
set in pelicanconf.py.)
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican.utils import SafeDatetime


def as_day(value, timezone):
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
                found.append(as_day(value, timezone))
            except ValueError:
                pass  # content_checks reports a malformed date
    return found


class Dates:
    """One build's dates: made when the main site starts, shared by its language
    sub-sites (i18n_subsites), read by the sitemap at the end."""

    def __init__(self):
        self.newest = {}  # language -> the newest content date of its site
        self.written = {}  # every page written, in every language: output path -> last change

    def set_modified(self, generators):
        """Each page's `modified`: the newest of its own dates; and the newest date
        of the site's public pages, for its language."""
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
        self.newest[settings["DEFAULT_LANG"]] = max(dates) if dates else None

    def note_written(self, path, context):
        """Remember each public page's last change, for the sitemap: its own date, the
        newest guide it lists, or else the newest date of its language's site."""
        obj = context.get("article") or context.get("page")
        if obj is not None and obj.status != "published":
            return
        if obj is not None:
            modified = getattr(obj, "modified", None)
        else:
            listed = [
                a.modified for a in context.get("articles") or () if getattr(a, "modified", None)
            ]
            modified = max(listed) if listed else None
        self.written[str(Path(path))] = modified or self.newest.get(context["DEFAULT_LANG"])
