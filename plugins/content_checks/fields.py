"""The metadata block at the top of a content file, read as Pelican's Markdown reader
splits it, and the rules for each field."""

import datetime
import difflib
import hashlib
import re

from .core import AWAITING_REVIEW, DUE_FOR_REVIEW, STATUSES, TRANSLATED_FROM, make_slug
from .text import HTML_TAG, html_message

KNOWN_FIELDS = {
    "title", "date", "modified", "category", "tags", "slug", "summary",
    "reviewed", "reviewer", "type", "order", "template", "save_as", "url", "status",
    "video", "checklist", "lang", "author", TRANSLATED_FROM,
}
# Fields some page types need on top of required_metadata and medical_metadata.
TYPE_FIELDS = {"article": ["date", "category", "tags"], "faq": ["order", "slug"]}
# The fields each page type may have. Fields that decide where or how a page is
# written (Template, Save_as, URL) only where fixed_fields gives them, and only
# with the value it gives.
EVERY_TYPE = {"title", "summary", "type", "slug", "status", "modified", "lang", TRANSLATED_FROM}
MEDICAL = {"reviewed", "reviewer", "author"}
ALLOWED_FIELDS = {
    "article": EVERY_TYPE | MEDICAL | {"date", "category", "tags", "order", "checklist", "video"},
    "faq": EVERY_TYPE | MEDICAL | {"order"},
    "home": EVERY_TYPE | MEDICAL,
    "decision": EVERY_TYPE | MEDICAL | {"order"},
}
PLACEMENT_FIELDS = {"template", "save_as", "url"}
LABELS = {"url": "URL", "save_as": "Save_as", TRANSLATED_FROM: "Translated-from"}  # as written
YES_NO = {"yes": True, "true": True, "no": False, "false": False}
BOOLEAN_FIELDS = ("checklist", "video")  # read as True or False (on_content_init)
LATEST_YEAR_AGO = 100  # dates before this many years ago are typing mistakes
# Folders whose files must all have one type; any other folder holds pages.
FOLDER_TYPES = {"articles": "article", "faq": "faq"}
THEME_TYPES = {"listing"}  # made by the theme, never written by editors
# Invisible in the metadata block: a field name or value with one is not what it looks like.
ZERO_WIDTH = set("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
# The metadata block, as Python-Markdown's `meta` extension reads it.
FIELD_LINE = re.compile(r"^[ ]{0,3}([A-Za-z0-9_-]+):\s*(.*)$")
MORE_LINE = re.compile(r"^[ ]{4,}(.*)$")
TAB_LENGTH = 4  # Python-Markdown's, which the site keeps
BLOCK_END = re.compile(r"^(-{3}|\.{3})(\s.*)?")  # ends the block, even before `---: x`
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ORDER = re.compile(r"[0-9]{1,4}")
TWO_LETTERS = re.compile(r"[A-Za-z]{2}")
WORD = re.compile(r"\w")
ENTITY = re.compile(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def split_lines(text):
    """The lines of a file as Pelican reads them: its byte-order mark dropped (the
    utf-8-sig codec), "\r\n" and "\r" read as "\n" (the file opened as text), tabs
    expanded and the text split at "\n" only, as Python-Markdown does (str.splitlines
    would also split at the characters in SEPARATORS, which Markdown leaves in the line)."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return text.expandtabs(TAB_LENGTH).split("\n")


def read_block(lines):
    """The metadata block at the top of a file's lines, read as Python-Markdown's `meta`
    extension reads it for Pelican. Pure: the build and tools/new_content use it.

    Returns (fields, body_start, problems): fields {name in lower case: (line number,
    value)}, body_start the index of the first line of the text (0 when the block is
    broken), problems [(line number, message)]. A broken block gives the fields before
    the break, and its problem last."""
    fields, problems = {}, []
    last = None
    for index, line in enumerate(lines):
        number = index + 1
        hidden = next((c for c in line if c in ZERO_WIDTH), None)
        if hidden:
            problems.append((
                number,
                f"this line has an invisible character (U+{ord(hidden):04X}), so the field is"
                " not what it looks like. Delete the line and type it again.",
            ))
            return fields, 0, problems
        if index == 0 and not FIELD_LINE.match(line):
            problems.append((
                1,
                "the file must start with its metadata block (lines like `Title: ...`)."
                " Add it at the top, then one empty line, then the text.",
            ))
            return fields, 0, problems
        if not line.strip():
            return fields, number, problems
        if BLOCK_END.match(line):
            problems.append((
                number,
                "a line starting with `---` or `...` ends the metadata block early. Remove it,"
                " and leave one empty line between the metadata block and the text.",
            ))
            return fields, 0, problems
        more = MORE_LINE.match(line)
        match = FIELD_LINE.match(line)
        if more and last:
            at, value = fields[last]
            fields[last] = (at, f"{value} {more.group(1).strip()}".strip())
        elif match:
            last = match.group(1).lower()
            if last in fields:
                problems.append((
                    number,
                    f"`{match.group(1)}` is given twice (also on line"
                    f" {fields[last][0]}). Keep one of the two lines.",
                ))
            else:
                fields[last] = (number, match.group(2).strip())
        else:
            first_word = line.split()[0]
            if FIELD_LINE.match(line.strip()):
                fix = "Start the line at the left edge: remove the spaces or tab before it."
            elif first_word.lower() in KNOWN_FIELDS:
                fix = f"Put a colon after the field's name: `{first_word}: ...`."
            else:
                fix = (
                    "Leave one empty line between the metadata block and the text,"
                    " or, if this is a field, write it as `Field: value`."
                )
            quote = line.strip() if len(line.strip()) <= 40 else line.strip()[:40].rstrip() + "..."
            problems.append((number, f"`{quote}` is not a `Field: value` line. {fix}"))
            return fields, 0, problems
    return fields, len(lines), problems


def read_metadata(state, source):
    """Fill source.fields from the metadata block; report a broken block. True if it
    is whole (a field given twice is reported, and the block still read)."""
    source.fields, source.body_start, problems = read_block(source.lines)
    for number, message in problems:
        state.problem(source.name, number, message)
    return source.body_start > 0


def field_hint(state, name):
    """What belongs in a field, in words."""
    settings = state.settings
    low, high = state.options["summary_length"]
    types = ", ".join(t for t in settings["PAGE_TYPES"] if t not in THEME_TYPES)
    return {
        "title": "the page's heading",
        "summary": f"one sentence of {low} to {high} characters",
        "type": f"one of: {types}",
        "reviewed": "the date the page was last checked against its sources, as YYYY-MM-DD",
        "date": "the date the article was first published, as YYYY-MM-DD",
        "category": "one of: " + ", ".join(settings["ARTICLE_CATEGORIES"]),  # English
        "tags": "a few words separated by commas",
        "order": "the question's place in the list, a whole number",
        "slug": "the address, in lowercase words joined by hyphens",
    }.get(name, "a value")


def check_fields(state, source):
    """Every field known, each required field there and filled in, each value valid."""
    settings = state.settings
    fields = source.fields
    folder = source.name.split("/")[0]
    source.page_type = FOLDER_TYPES.get(folder) or fields.get("type", (0, ""))[1]
    source.lang = fields.get("lang", (0, ""))[1] or source.lang_folder or settings["DEFAULT_LANG"]
    if source.lang_folder and "lang" not in fields:
        state.problem(
            source.name, None,
            f"a page in the {source.lang_folder}/ folder needs `Lang: {source.lang_folder}`."
            " Add the line to the metadata block.",
        )
    maybe_meant = set()
    last = max(number for number, _value in fields.values())
    allowed = sorted(ALLOWED_FIELDS.get(source.page_type, EVERY_TYPE))  # never the refused ones
    for name, (number, _value) in fields.items():
        if name not in KNOWN_FIELDS:
            close = difflib.get_close_matches(name, allowed, n=1)
            written = source.lines[number - 1].split(":")[0].strip()
            if number == last and not close:  # most likely the text, right under the fields
                fix = ("Leave one empty line between the metadata block and the text,"
                       f" or, if `{written}` is meant as a field, check its name.")
            elif close:
                maybe_meant.add(close[0])
                fix = f"Did you mean `{close[0].capitalize()}`?"
            else:
                fix = f"Known fields: {', '.join(f.capitalize() for f in allowed)}."
            state.problem(source.name, number, f"unknown field `{written}`. {fix}")
        else:
            message = field_not_allowed(state, source, name)
            if message:
                state.problem(source.name, number, message)

    required = list(state.options["required_metadata"])
    if settings["PAGE_TYPES"].get(source.page_type, {}).get("medical"):
        required += state.options["medical_metadata"]
    required += TYPE_FIELDS.get(source.page_type, [])
    for name in required:
        label = name.capitalize()
        if name not in fields and name not in maybe_meant:
            state.problem(
                source.name, None,
                f"`{label}` is missing. Add a line `{label}: ...` to the metadata block"
                f" at the top, with {field_hint(state, name)}.",
            )
        elif name in fields and not fields[name][1] and name not in PLACEMENT_FIELDS:
            state.problem(
                source.name, fields[name][0],
                f"`{label}` is empty. Write {field_hint(state, name)} after `{label}:`.",
            )

    for name, (number, value) in fields.items():
        if name in PLACEMENT_FIELDS:
            message = check_placement(state, source, value, name)
        else:
            message = check_value(state, source, name, value)
        if message:
            state.problem(source.name, number, message)


def check_value(state, source, name, value):
    """What is wrong with one field's value, or None."""
    tag = HTML_TAG.search(value) if "<" in value else None
    if tag:
        return html_message(tag)
    entity = ENTITY.search(value) if "&" in value else None
    if entity:
        return (
            f"`{entity.group(0)}` is a code for a character. Write the character itself"
            f" (for example `&` or `<`) after `{name.capitalize()}:`."
        )
    check = FIELD_CHECKS.get(name)
    return check(state, source, value) if check and value else None


def field_not_allowed(state, source, name):
    """Why this page may not have this field, or None if it may."""
    label = LABELS.get(name, name.capitalize())
    fixed = state.options["fixed_fields"].get(source.twin_name, {})
    if name in PLACEMENT_FIELDS:
        if name in fixed:
            return None
        return (
            f"`{label}` cannot be set here: it changes where or how the page is written."
            " Remove the line; the page's Type and Slug decide that."
        )
    allowed = ALLOWED_FIELDS.get(source.page_type, EVERY_TYPE)
    if name in allowed or source.page_type not in state.settings["PAGE_TYPES"]:
        return None  # an unknown Type is reported on its own line
    return (
        f"a page with `Type: {source.page_type}` does not use `{label}`. Remove the line."
    )


def check_placement(state, source, value, name):
    expected = state.options["fixed_fields"].get(source.twin_name, {}).get(name)
    if expected is not None and value != expected:
        label = LABELS.get(name, name.capitalize())
        return f"`{label}: {value}` must be `{label}: {expected}` on this page. Change it back."
    return None


def check_type(state, source, value):
    types = [t for t in state.settings["PAGE_TYPES"] if t not in THEME_TYPES]
    folder = source.name.split("/")[0]
    if value not in types:
        return f"unknown `Type: {value}`. Use one of: {', '.join(types)}."
    if folder in FOLDER_TYPES and value != FOLDER_TYPES[folder]:
        return (
            f"a file in {state.show(folder)}/ must have `Type: {FOLDER_TYPES[folder]}`."
            " Change the Type, or move the file to the right folder."
        )
    if folder not in FOLDER_TYPES and value in FOLDER_TYPES.values():
        home = next(f for f, t in FOLDER_TYPES.items() if t == value)
        return f"a page with `Type: {value}` belongs in {state.show(home)}/. Move the file there."
    return None


def check_category(state, source, value):
    languages = state.settings["LANGUAGES"]
    categories = languages.get(source.lang, languages[state.settings["DEFAULT_LANG"]])["topics"]
    if source.page_type == "article" and value not in categories:
        return f"unknown `Category: {value}`. Use one of: {', '.join(categories)}."
    return None


def check_summary(state, source, value):
    if "](" in value or "][" in value or "<http" in value:
        return (
            "the Summary is shown as plain text (under the title, and in search results),"
            " so a link there would be lost. Write it without a link; put links in the text."
        )
    low, high = state.options["summary_length"]
    if not low <= len(value) <= high:
        return (
            f"the Summary is {len(value)} characters long; it must be {low} to {high}"
            f" (search engines show it under the title). Make it"
            f" {'longer' if len(value) < low else 'shorter'}."
        )
    return None


def check_reviewed(state, source, value):
    day = read_date(value)
    if day is None:
        return other_date_format(value, "Reviewed") or (
            f"`Reviewed: {value}` is not a real date. Write it as YYYY-MM-DD,"
            " for example `Reviewed: 2026-03-15`."
        )
    if day > state.today:
        return f"`Reviewed: {value}` is in the future. Write the date the review took place."
    due_days = state.options["review_due_days"]
    medical = state.settings["PAGE_TYPES"].get(source.page_type, {}).get("medical")
    line = source.fields["reviewed"][0]
    if medical and (state.today - day).days > due_days:
        state.notice(
            source.name, line,
            f"last reviewed {value}. Have it reviewed, then set `Reviewed` to that date.",
            DUE_FOR_REVIEW,
        )
    if medical and "reviewer" not in source.fields and state.settings.get("PRODUCTION"):
        state.notice(
            source.name, line,
            "no clinician has reviewed this page yet. When one has, add"
            " `Reviewer: Name, credentials` and set `Reviewed` to that date.",
            AWAITING_REVIEW,
        )
    return None


def check_date(state, source, value, label="Date"):
    """Date and Modified: a real date, not in the future nor long ago."""
    day = read_date(value[:10]) if ISO_DATE_TIME.match(value) else None
    if day is None:
        return other_date_format(value, label) or (
            f"`{label}: {value}` is not a real date. Write it as YYYY-MM-DD,"
            f" for example `{label}: 2026-03-15`."
        )
    if day > state.today:
        return f"`{label}: {value}` is in the future. Write the date it happened."
    if day.year < state.today.year - LATEST_YEAR_AGO:
        return f"`{label}: {value}` is more than {LATEST_YEAR_AGO} years ago. Check the year."
    return None


def check_modified(state, source, value):
    return check_date(state, source, value, "Modified")


def check_order(state, source, value):
    if not ORDER.fullmatch(value):
        return f"`Order: {value}` must be a whole number, like `Order: 3`."
    return None


def check_tags(state, source, value):
    seen = set()
    for tag in (t.strip() for t in value.split(",")):
        if not make_slug(tag):
            return (
                f"the tag `{tag}` has no letters or digits, so it cannot have an address."
                " Write tags as words separated by commas, like `Tags: recovery, pain`."
            )
        if len(tag) > 40:
            return f"the tag `{tag[:40]}...` is too long. Keep each tag to a few words."
        if make_slug(tag) in seen:
            return f"the tag `{tag}` is given twice. Keep one."
        seen.add(make_slug(tag))
    return None


def yes_no(label):
    """The check of a field that is yes or no (true or false is read too)."""
    def check_yes_no(state, source, value):
        if value.lower() not in YES_NO:
            return f"`{label}: {value}` must be `{label}: yes` or `{label}: no`."
        return None
    return check_yes_no


def check_lang(state, source, value):
    languages = list(state.settings["LANGUAGES"])
    if value not in languages:
        return f"unknown `Lang: {value}`. Use one of: {', '.join(languages)}."
    if value != (source.lang_folder or state.settings["DEFAULT_LANG"]):
        folder = source.lang_folder or "the English"
        return (
            f"`Lang: {value}` does not match the folder ({folder}). A page in another"
            f" language goes in a folder named after it, like {source.name.split('/')[0]}/es/."
        )
    return None


def check_reviewer(state, source, value, field="Reviewer"):
    if not TWO_LETTERS.search(value) or len(value) > 120:
        return (
            f"`{field}: {value}` must be the clinician's name and credentials,"
            f" like `{field}: Jane Doe, MD`."
        )
    return None


def check_author(state, source, value):
    return check_reviewer(state, source, value, "Author")


def check_title(state, source, value):
    if not WORD.search(value):
        return "the Title has no words. Write the page's heading."
    return None


def check_slug(state, source, value):
    if not SLUG.match(value):
        return (
            f"`Slug: {value}` cannot be used in an address. Use lowercase letters, digits"
            f" and hyphens, like `Slug: {make_slug(value) or 'my-page'}`."
        )
    return None


def check_status(state, source, value):
    if value not in STATUSES:
        return f"unknown `Status: {value}`. Use one of: {', '.join(sorted(STATUSES))}."
    return None


def check_translated_from(state, source, value):
    if not source.lang_folder:
        return ("only a translation has `Translated-from` (it records the English text it was"
                " made from). Delete the line.")
    if not re.fullmatch(r"[0-9a-f]{12}", value):
        return (f"`Translated-from: {value}` is not a code this build wrote. Run `make translated"
                f" FILE={state.show(source.name)}` once the translation is up to date.")
    return None


def text_hash(source):
    """The first 12 hex digits of the SHA-256 of a file's text after its metadata block
    (spaces at its start and end aside): what a translation records in Translated-from."""
    text = "\n".join(source.lines[source.body_start:]).strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def other_date_format(value, label):
    """For a date written another way (12/05/2026, 5.12.2026): that it must be written
    YYYY-MM-DD, with the date it may mean written so (both, when it could be either)."""
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value.strip())
    if not found:
        return None
    first, second, year = (int(part) for part in found.groups())
    meant = []
    for month, day in ((first, second), (second, first)):  # US order first
        try:
            meant.append(datetime.date(year, month, day))
        except ValueError:
            pass
    meant = list(dict.fromkeys(meant))
    if not meant:
        return None  # not a real date either way: the usual message
    written = [f"`{label}: {day.isoformat()}`" + (f" for {day:%B} {day.day}" if meant[1:] else "")
               for day in meant]
    other = f" (or {written[1]})" if written[1:] else ""
    return f"`{label}: {value}`: the date must be written YYYY-MM-DD, so {written[0]}{other}."


def read_date(value):
    """A YYYY-MM-DD date, or None if it is not one."""
    if not ISO_DATE.match(value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


FIELD_CHECKS = {
    "type": check_type,
    "category": check_category,
    "summary": check_summary,
    "reviewed": check_reviewed,
    "date": check_date,
    "modified": check_modified,
    "order": check_order,
    "tags": check_tags,
    "checklist": yes_no("Checklist"),
    "video": yes_no("Video"),
    "lang": check_lang,
    "reviewer": check_reviewer,
    "author": check_author,
    "title": check_title,
    "slug": check_slug,
    "status": check_status,
    TRANSLATED_FROM: check_translated_from,
}


def read_yes_no(content):
    """Yes-or-no fields as True or False: the text `no` would count as true in a template."""
    for name in BOOLEAN_FIELDS:
        value = content.metadata.get(name)
        if isinstance(value, str):
            content.metadata[name] = YES_NO.get(value.strip().lower(), False)
            setattr(content, name, content.metadata[name])
