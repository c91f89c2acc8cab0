"""Each page's address, and each page and its translation: two pages never at one
address (from the fields before reading, as Pelican computed it after), nor at one
the site writes itself; a translation paired with its English page and kept up to
date; each question with its own place in the list."""

import posixpath
import re
from pathlib import Path

from .core import (
    NEEDS_TRANSLATION,
    STATUSES,
    TRANSLATED_FROM,
    Source,
    read_sources,
    slug_of,
    status_of,
)
from .fields import read_date, text_hash


def check_slugs(state):
    """Two pages of one language with one Slug: Pelican would take one for the
    other's translation. Returns the pages that repeat another's Slug."""
    owners, repeated = {}, set()
    for source in sorted((s for s in state.sources.values() if s.fields), key=slug_owner_first):
        kind = "articles" if source.name.startswith("articles/") else "pages"
        slug = slug_of(source)
        first = owners.setdefault((source.lang, kind, slug), source)
        if first is source:
            continue
        repeated.add(source.twin_name)
        folder = {"articles": "articles/", "faq": "faq/"}.get(source.name.split("/")[0], "")
        address = f"/{language_prefix(state, source.lang)}{folder}{slug}/"
        state.problem(source.name, slug_line(source), address_taken(state, source, first, address))
    return repeated


def check_addresses(state, skip=()):
    """Each page written has its own address, in both languages together, and never
    one the site itself writes (the Spanish site, feeds, the theme's files...)."""
    owners, fixed = {}, fixed_addresses(state)
    for source in sorted((s for s in state.sources.values() if s.fields), key=slug_owner_first):
        address = address_of(state, source)
        if source.twin_name in skip or source.name in state.broken or not address:
            continue
        message = address_problem(state, source, address, owners, fixed)
        if message:
            state.problem(source.name, slug_line(source), message)


def address_of(state, source):
    """Where Pelican will write the page, in the output folder (es/... for Spanish),
    from its fields; '' for a draft (the live site writes none)."""
    settings = state.settings
    if status_of(source) == "draft":
        return ""
    if "save_as" in source.fields:
        path = source.fields["save_as"][1]
    elif source.name.split("/")[0] in settings["ARTICLE_PATHS"]:
        path = settings["ARTICLE_SAVE_AS"].format(slug=slug_of(source))
    else:
        found = re.match(settings.get("PATH_METADATA") or "$^", source.name)
        prefix = found.groupdict().get("url_prefix") if found else None
        prefix = prefix or settings.get("DEFAULT_METADATA", {}).get("url_prefix", "")
        path = settings["PAGE_SAVE_AS"].format(slug=slug_of(source), url_prefix=prefix)
    return language_prefix(state, source.lang) + path


def language_prefix(state, lang):
    """The folder of a language's site: '' for the site's own language, 'es/' for Spanish."""
    return "" if lang == state.main_lang else f"{lang}/"


def fixed_addresses(state):
    """What the site writes itself, not from a content file: {address: what it is},
    where an address ending in / stands for everything in that folder."""
    settings = state.settings
    fixed = {settings.get("THEME_STATIC_DIR", "theme") + "/": "the theme's files",
             "pagefind/": "the search index", "robots.txt": "the file for search engines",
             settings.get("SITEMAP_SAVE_AS") or "sitemap.xml": "the sitemap"}
    fixed.update({folder + "/": "the pictures and icons" for folder in settings["STATIC_PATHS"]})
    fixed.update({place["path"]: f"a file of content/{name}" for name, place
                  in settings.get("EXTRA_PATH_METADATA", {}).items() if "path" in place})
    for lang in [state.main_lang, *state.other_langs]:
        prefix = language_prefix(state, lang)
        fixed[prefix + settings["INDEX_SAVE_AS"]] = "the site's list of guides"
        fixed[prefix + "feeds/"] = "the news feeds"
        fixed[prefix + "drafts/"] = "the previews of drafts"
        for setting, what in (("TAG_SAVE_AS", "the lists of guides by tag"),
                              ("CATEGORY_SAVE_AS", "the topics' pages")):
            fixed[prefix + settings[setting].split("/")[0] + "/"] = what
        if prefix:
            name = settings["LANGUAGES"].get(lang, {}).get("name", lang)
            fixed[prefix] = f"the {prefix} folder, where the site in {name} is"
    return fixed


def address_problem(state, source, address, owners, fixed_ones):
    """Why a page may not be written at address, or None (and it is then taken: owners
    maps each address to its page). fixed_ones: fixed_addresses(state)."""
    shown = "/" + address.removesuffix("index.html")
    for fixed, what in fixed_ones.items():
        mine = fixed == language_prefix(state, source.lang)  # a language's pages are in its folder
        if not mine and (address == fixed or fixed.endswith("/") and address.startswith(fixed)):
            return f"the address {shown} is the site's own ({what}). Choose another `Slug`."
    first = owners.setdefault(address, source)
    return None if first is source else address_taken(state, source, first, shown)


def address_taken(state, source, first, shown):
    """The message for a page whose address (shown as /x/) the page first has."""
    if source.page_type == "faq" and first.page_type == "faq":
        slug = slug_of(source)
        return (
            f"`Slug: {slug}` is already used by {state.show(first.name)}. Each question"
            f" needs its own Slug: it is its address ({shown}) and its anchor on the"
            f" questions page (/{language_prefix(state, source.lang)}faq/#{slug})."
        )
    return (f"the address {shown} is already used by {state.show(first.name)}."
            " Give this page its own `Slug`.")


def slug_line(source):
    """The line to show for a problem with a page's address: its Slug, else its Title."""
    return source.fields.get("slug", source.fields.get("title", (None,)))[0]


def slug_owner_first(source):
    """Of two pages with one Slug, the one whose file is named after it keeps it."""
    return (Path(source.name).stem != slug_of(source), source.name)


def check_twins(state, skip=()):
    """Each page and its translation: paired by file name and Slug, and up to date.

    A missing or older translation is a notice (listed at the end of the build);
    a translation without its English page is refused by the live build."""
    languages = state.other_langs
    by_name = {(s.lang, s.twin_name): s for s in state.sources.values() if s.fields}
    main_lang = state.main_lang
    broken = {Source(name, [], lang_folder=state.lang_folder(name)).twin_name
              for name in state.broken}  # unreadable ones too
    for (lang, name), source in sorted(by_name.items()):
        if name in skip or name in broken:
            continue  # a problem of its own (or of its twin's file) is reported first
        if lang != main_lang:
            check_translation(state, source, by_name.get((main_lang, name)))
            continue
        if status_of(source) == "draft":
            continue
        for other in languages:
            twin = by_name.get((other, name))
            folder = posixpath.join(posixpath.dirname(name), other)
            if twin is None:
                command = "newfaq" if name.startswith("faq/") else "newarticle"
                state.notice(name, None, f"no version in {folder}/ yet. To start it: make {command}"
                             f" TRANSLATE={state.show(name)}", NEEDS_TRANSLATION)
            elif TRANSLATED_FROM in twin.fields:  # the text it was made from, not the dates
                line, made_from = twin.fields[TRANSLATED_FROM]
                if made_from != text_hash(source):
                    state.notice(
                        twin.name, line,
                        f"the text of {state.show(name)} changed after this translation was"
                        " made. Bring the translation up to date, then run `make translated"
                        f" FILE={state.show(twin.name)}`.",
                        NEEDS_TRANSLATION,
                    )
            elif last_change(twin) < last_change(source):
                state.notice(
                    twin.name, None,
                    f"older than {state.show(name)} (changed {last_change(source)})."
                    " Bring the translation up to date, then set its `Reviewed` date.",
                    NEEDS_TRANSLATION,
                )


def check_translation(state, source, original):
    if original is None:
        message = (
            f"there is no English page {state.show(source.twin_name)} for this translation."
            " Give it the English page's file name, or write the English page first."
        )
        if state.settings.get("PRODUCTION"):
            state.problem(source.name, None, message)
        else:
            state.notice(source.name, None, message, NEEDS_TRANSLATION)
        return
    own, theirs = status_of(source), status_of(original)
    if STATUSES.index(own) < STATUSES.index(theirs):
        state.problem(
            source.name, source.fields.get("status", (None,))[0],
            f"{state.show(original.name)} has `Status: {theirs}`, so this translation would go"
            f" live without it. Give this page `Status: {theirs}` too, or publish the English"
            " page first.",
        )
    own, theirs = slug_of(source), slug_of(original)
    if own != theirs:
        state.problem(
            source.name, slug_line(source),
            f"`Slug: {own}` must be the Slug of {state.show(original.name)}, `{theirs}`:"
            " it pairs the two pages.",
        )


def last_change(source):
    """The newest of a file's Date, Reviewed and Modified (YYYY-MM-DD), or ''."""
    values = (source.fields.get(name, (0, ""))[1][:10] for name in ("date", "reviewed", "modified"))
    return max((v for v in values if read_date(v)), default="")


def check_duplicates(state):
    """Each page has its own address, where Pelican is to write it (step 1 checked
    where the fields say it goes); one question's Slug is also its FAQ anchor."""
    owners, fixed = {}, fixed_addresses(state)
    for source in sorted(read_sources(state), key=owner_first):
        if source.content.status == "draft":
            continue
        address = language_prefix(state, source.lang) + source.save_as
        message = address_problem(state, source, address, owners, fixed)
        if message:
            state.problem(source.name, slug_line(source), message)
    check_faq_order(state)


def check_faq_order(state):
    """No two questions share a place in the list."""
    first = {}
    for source in sorted(read_sources(state), key=owner_first):
        if source.page_type != "faq" or "order" not in source.fields:
            continue
        number, value = source.fields["order"]
        other = first.setdefault(value.strip(), source)
        if other is not source:
            state.problem(
                source.name, number,
                f"`Order: {value.strip()}` is also the place of {state.show(other.name)}."
                " Give each question its own number.",
            )


def owner_first(source):
    """Sort key: of two pages at one address, the one named after its slug keeps it."""
    return (Path(source.name).stem != source.content.slug, source.name)
