"""decision_aid: the option grid and the icon arrays, made from one data file.

The numbers live in the file DECISION_AID["file"] names (data/decision-aid.toml). A page asks for
a picture or the grid with a paragraph of its own:

    [icon-array vapour]
    [option-grid]

The `decision_aid` template filter, applied after `sanitized`, puts in their
place the grid (a table) or a comparison of icon arrays: for each group, 100
figures, N of them filled, drawn as inline SVG, with a caption that states the
number. Everything it writes is escaped here; only the markers are replaced.

Bad data or a marker naming nothing stops the build with one message naming the
file, the entry and the fix.
"""

import logging
import re
import tomllib
from pathlib import Path

from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals

import pelican_internals
import plugin_settings

log = logging.getLogger(__name__)

MARKER = re.compile(r"<p>\[(icon-array ([\w-]+)|option-grid)\]</p>")
PLACEHOLDER = re.compile(r"\{([\w-]+)\.([\w-]+)\}")
REF_LINK = re.compile(r"\[([^\]]+)\]\((ref-[\w-]+)\)")
LANGS = ("en", "es")
# One figure: a head and a body, drawn from its top-left corner in a 10 x 12 cell.
PERSON = "m5 .3a2.2 2.2 0 1 1 0 4.4a2.2 2.2 0 1 1 0-4.4zm-3.4 5.2h6.8l-.8 6.2h-5.2z"


class DataError(Exception):
    """A problem in the data file, worded for the editor."""


data = {}  # the file's contents once read: figures, numbers, grid, per_100
state = {"file": None}


def load(path):
    """The data file, checked. Raises DataError naming the entry and the fix."""
    where = Path(path)
    try:
        loaded = tomllib.loads(where.read_text(encoding="utf-8"))
    except OSError:
        raise DataError(
            f"{path}: cannot read the file. Check DECISION_AID['file'] in pelicanconf.py.") from None
    except tomllib.TOMLDecodeError as error:
        raise DataError(f"{path}: {error}. Fix the line it names (TOML: name = \"text\").") from None
    for name, figure in loaded.get("figures", {}).items():
        for group in figure.get("groups", []):
            n = group.get("n")
            if not isinstance(n, int) or not 0 <= n <= 100:
                raise DataError(
                    f"{path}: figures.{name}, group {group.get('key')!r}: n = {n!r} must be a"
                    " whole number from 0 to 100 (people out of 100).")
        for field in ("title", "note", "outcome", "cite"):
            missing = [lang for lang in LANGS if lang not in figure.get(field, {})]
            if missing:
                raise DataError(f"{path}: figures.{name}: write {field}.{missing[0]} = \"...\".")
    values = numbers(loaded)
    for row in loaded.get("grid", {}).get("rows", []):
        for option in loaded["grid"]["options"]:
            for lang in LANGS:
                text = row.get(option["key"], {}).get(lang)
                if text is None:
                    raise DataError(f"{path}: grid row {row.get('en')!r}: write"
                                    f" {option['key']}.{lang} = \"...\".")
                for name, key in PLACEHOLDER.findall(text):
                    if key not in values.get(name, {}):
                        raise DataError(
                            f"{path}: grid row {row.get('en')!r}, {option['key']}.{lang}:"
                            f" {{{name}.{key}}} names no number. Use one of: "
                            + ", ".join(f"{{{n}.{k}}}" for n in values for k in values[n]))
    return loaded


def numbers(loaded):
    """{figure or number name: {key: value}}: every number the file gives."""
    found = {name: {g["key"]: g["n"] for g in figure.get("groups", [])}
             for name, figure in loaded.get("figures", {}).items()}
    found.update(loaded.get("numbers", {}))
    return found


def cell_text(text, lang, refs_url):
    """A grid cell: numbers filled in, [Study](ref-x) made links, the rest escaped."""
    values = numbers(data)
    text = PLACEHOLDER.sub(lambda m: str(values[m[1]][m[2]]), text)  # 2.0 stays 2.0, as studies give it
    html, last = [], 0
    for match in REF_LINK.finditer(text):
        html.append(escape(text[last:match.start()]))
        html.append(Markup('<a href="{}#{}">{}</a>').format(refs_url, match[2], match[1]))
        last = match.end()
    html.append(escape(text[last:]))
    return Markup("").join(html)


def icon_array(n, label, key):
    """100 figures in 10 rows of 10, the first n filled; an image labelled by its caption.

    Each kind of figure is an SVG pattern (one 10 x 12 cell) that fills rectangles: a few
    elements and a few hundred bytes for any n, where 100 drawn figures took 8 KB."""
    rows, rest = divmod(n, 10)
    boxes = [("on", 0, 0, 100, 12 * rows), ("on", 0, 12 * rows, 10 * rest, 12),
             ("off", 10 * rest, 12 * rows, 100 - 10 * rest, 12 * (rows < 10)),
             ("off", 0, 12 * (rows + 1), 100, 12 * max(0, 9 - rows))]
    rects = Markup("").join(
        Markup('<rect x="{x}" y="{y}" width="{w}" height="{h}"'
               ' fill="url(#{key}-{kind})"/>').format(kind=kind, x=x, y=y, w=w, h=h, key=key)
        for kind, x, y, w, h in boxes if w and h)
    patterns = Markup("").join(
        Markup('<pattern id="{key}-{kind}" width="10" height="12" patternUnits="userSpaceOnUse">'
               '<path class="app-icons__{kind}" d="M0 0{person}"/></pattern>').format(
                   key=key, kind=kind, person=PERSON) for kind in ("on", "off"))
    return Markup(
        '<svg class="app-icons" viewBox="0 0 100 120" role="img" aria-label="{label}">'
        '<defs>{patterns}</defs>{rects}</svg>').format(label=label, patterns=patterns, rects=rects)


def comparison(name, lang, refs_url):
    figure = data["figures"][name]
    per_100 = data["per_100"][lang]
    parts = []
    for number, group in enumerate(figure["groups"]):
        count = per_100.format(n=group["n"])
        label = f"{group[lang]}: {count} {figure['outcome'][lang]}"
        parts.append(Markup(
            '<figure class="app-icon-array" data-n="{n}">{svg}'
            '<figcaption>{group}: <strong>{count}</strong> {outcome}</figcaption></figure>'
        ).format(n=group["n"], svg=icon_array(group["n"], label, f"icons-{name}-{number}"), group=group[lang],
                 count=count, outcome=figure["outcome"][lang]))
    return Markup(
        '<figure class="app-compare" id="figure-{name}" data-figure="{name}">'
        '<figcaption><strong>{title}</strong><br>{note} <a href="{refs}#{ref}">{source}: {cite}</a>'
        '</figcaption><div class="app-compare__groups">{groups}</div></figure>'
    ).format(name=name, title=figure["title"][lang], note=figure["note"][lang], refs=refs_url,
             ref=figure["ref"], source=data["source"][lang], cite=figure["cite"][lang],
             groups=Markup("").join(parts))


def grid(lang, refs_url):
    spec = data["grid"]
    head = Markup("").join(Markup('<th scope="col">{}</th>').format(o[lang]) for o in spec["options"])
    rows = []
    for row in spec["rows"]:
        cells = Markup("").join(
            Markup('<td data-label="{}">{}</td>').format(
                option[lang], cell_text(row[option["key"]][lang], lang, refs_url))
            for option in spec["options"])
        rows.append(Markup('<tr><th scope="row">{}</th>{}</tr>').format(row[lang], cells))
    return Markup(
        '<table class="app-grid"><caption>{title}</caption><thead><tr><th scope="col">{corner}'
        '</th>{head}</tr></thead><tbody>{rows}</tbody></table>'
    ).format(title=spec["title"][lang], corner=spec["corner"][lang], head=head,
             rows=Markup("").join(rows))


@pass_context
def decision_aid(context, html):
    """Template filter: the page's HTML with each marker replaced."""
    if "[" not in html:
        return html
    lang = context["DEFAULT_LANG"]
    refs_url = f"{context['SITEURL']}/references/"
    return Markup(MARKER.sub(lambda m: replacement(m[1], m[2], lang, refs_url), str(html)))


def replacement(marker, name, lang, refs_url):
    if not data or (name and name not in data["figures"]):
        return f"<p>[{marker}]</p>"  # the build has already said what is wrong
    return str(comparison(name, lang, refs_url) if name else grid(lang, refs_url))


def check_markers(instance):
    """A marker naming no figure is the editor's mistake: say which and the fix."""
    html = pelican_internals.page_html(instance) or ""
    if not data:  # the data file could not be read: the build has said why
        return
    for _, name in MARKER.findall(html) if "[icon-array" in html else ():
        if name and name not in data.get("figures", {}):
            log.error("%s: [icon-array %s]: no such picture in %s. Use one of: %s.",
                      instance.source_path, name, state["file"], ", ".join(data.get("figures", {})))


def on_initialized(pelican):
    settings = pelican.settings
    path = plugin_settings.read(settings, "DECISION_AID", {"file": ""})["file"]
    settings.setdefault("JINJA_FILTERS", {})["decision_aid"] = decision_aid
    if not path or (settings.get("LANGUAGE_SUBSITE") and state["file"] == path):
        return  # the Spanish sub-site uses what the main site read
    state["file"] = path
    data.clear()
    try:
        data.update(load(path))
    except DataError as error:
        log.error("%s", str(error))


def register():
    signals.initialized.connect(on_initialized)
    signals.content_object_init.connect(check_markers)
