"""theme_filters: the theme's own Jinja filters.

- `long_date`: a YYYY-MM-DD date (the Reviewed field) written out in the page's
  language: November 20, 2026, or 20 de noviembre de 2026.
- `in_order`: pages or guides by their `Order` (a whole number; none: last),
  then by title.
- `faq_questions`: the questions (Type: faq) among pages, in their `Order`.

And `_()`, the templates' gettext (jinja2.ext.i18n, translations installed by
pelican-i18n-subsites), remembered for each text: every page asks for the same
few, and each call goes through three of Jinja's context calls.
"""

import datetime
import functools

from babel.dates import format_date
from jinja2 import pass_context
from pelican import signals


@pass_context
def long_date(context, value):
    """2026-11-20 -> November 20, 2026, or 20 de noviembre de 2026 (the Reviewed field)."""
    return written_date(str(value), context["DEFAULT_LANG"])


@functools.cache
def written_date(value, lang):
    return format_date(datetime.date.fromisoformat(value), format="long", locale=lang)


def in_order(items):
    """Pages or guides by their `Order` (a whole number; none: last), then by title."""
    return sorted(items, key=lambda item: (int(item.metadata.get("order", 999)), item.title))


def faq_questions(pages):
    """The FAQ entries among pages, in their `Order`."""
    return in_order(page for page in pages if page.metadata.get("type") == "faq")


def on_initialized(pelican):
    pelican.settings.setdefault("JINJA_FILTERS", {}).update(
        long_date=long_date, in_order=in_order, faq_questions=faq_questions)


def remember_gettext(generator):
    """Make the environment's `_()` give, for each text, what it gave the first time.
    The key holds the gettext it resolves to, so another catalog is never mixed in."""
    env = getattr(generator, "env", None)
    if env is None or "_" not in env.globals:
        return
    texts = {}

    @pass_context
    def gettext_alias(context, text, **variables):
        gettext = context.resolve("gettext")
        if variables:
            return context.call(gettext, text, **variables)
        key = (gettext, text, context.eval_ctx.autoescape)
        if key not in texts:
            texts[key] = context.call(gettext, text)
        return texts[key]

    env.globals["_"] = gettext_alias


def register():
    signals.initialized.connect(on_initialized)
    signals.generator_init.connect(remember_gettext)
