"""theme_filters: the theme's own Jinja filters.

- `long_date`: a YYYY-MM-DD date (the Reviewed field) written out in the page's
  language: November 20, 2026, or 20 de noviembre de 2026.
- `in_order`: pages or guides by their `Order` (a whole number; none: last),
  then by title.
- `faq_questions`: the questions (Type: faq) among pages, in their `Order`.
"""

import datetime

from babel.dates import format_date
from jinja2 import pass_context
from pelican import signals


@pass_context
def long_date(context, value):
    """2026-11-20 -> November 20, 2026, or 20 de noviembre de 2026 (the Reviewed field)."""
    day = datetime.date.fromisoformat(str(value))
    return format_date(day, format="long", locale=context["DEFAULT_LANG"])


def in_order(items):
    """Pages or guides by their `Order` (a whole number; none: last), then by title."""
    return sorted(items, key=lambda item: (int(item.metadata.get("order", 999)), item.title))


def faq_questions(pages):
    """The FAQ entries among pages, in their `Order`."""
    return in_order(page for page in pages if page.metadata.get("type") == "faq")


def on_initialized(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=long_date, in_order=in_order, faq_questions=faq_questions)


def register():
    signals.initialized.connect(on_initialized)
