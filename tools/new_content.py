"""Start a new article or question from a template, filled in and ready to build.

    python tools/new_content.py article     # asks for the title and the topic
    python tools/new_content.py faq         # asks for the question

`make newarticle` and `make newfaq` run it. To answer on the command line instead
(as the tests do): make newarticle TITLE="Sleeping after kyphoplasty" CATEGORY="Your procedure"

To start the Spanish version of a page that exists (make newarticle TRANSLATE=...):

    python tools/new_content.py article --translate content/articles/recovery.md

writes content/articles/es/recovery.md: the same fields with `Lang: es`, the
topic in Spanish, the English text to translate under a REPLACE: line, each
heading with its English anchor kept (`## ... {#when-to-call-us}`), and links
to pages that already have a Spanish version pointing to that version.

and records in it the English text it starts from (`Translated-from:`, see
content_checks.text_hash). Once the translation is brought up to date after the
English text changed, mark it done (make translated FILE=...):

    python tools/new_content.py translated --file content/articles/es/recovery.md

It writes content/articles/<slug>.md or content/faq/<slug>.md from tools/templates/,
never over a file that exists or another page's address. The lines marked
REPLACE: are for the editor to write; the preview shows them, `make publish` refuses them.
"""

import argparse
import os
import re
import sys
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "tools" / "templates"
FOLDERS = {"article": "articles", "faq": "faq"}
LANGUAGE_NAMES = {"es": "Spanish"}  # for the editor, in English

from build import plugins_importable  # noqa: E402

plugins_importable()  # content_checks reads the metadata block as the build does
from content_checks import (  # noqa: E402
    PLACEHOLDER,
    TRANSLATED_FROM,
    Source,
    make_slug,
    read_block,
    split_lines,
    text_hash,
    today_at_the_practice,
)


def read_fields(path, problems=None):
    """A content file's metadata block, read as the build reads it (content_checks):
    {field name in lower case: (line number, value)}. A broken block gives the fields
    before the break; its problems are added to the list `problems` when one is given."""
    return read_page(path, problems).fields


def read_page(path, problems=None):
    """A content file as content_checks.Source, its metadata block read (read_block)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    source = Source(Path(path).name, split_lines(text))
    source.fields, source.body_start, found = read_block(source.lines)
    if problems is not None:
        problems += [message for _line, message in found]
    return source


TRIES = 3  # typed answers: a wrong one is asked again, this many times in all


def ask(question, answer, check):
    """The answer given on the command line, or else the one typed in, as check makes it:
    check(answer) returns the value, or raises SystemExit saying what is wrong. A wrong
    typed answer is asked again (TRIES in all); one from the command line stops."""
    if answer:
        return check(answer.strip())
    for attempt in range(1, TRIES + 1):
        try:
            typed = input(question).strip()
        except EOFError:
            return check("")  # no more answers to read
        try:
            return check(typed)
        except SystemExit as wrong:
            if attempt == TRIES:
                raise
            why = str(wrong).removeprefix("Nothing was created: ")
            print(f"{why[:1].upper()}{why[1:]} Try again.", file=sys.stderr)


def choose_category(categories, answer):
    """A category by name or number; the first one when none is given."""
    listing = ", ".join(f"{number} {name}" for number, name in enumerate(categories, 1))

    def category(answer):
        answer = answer or "1"
        if answer.isdigit() and 1 <= int(answer) <= len(categories):
            return categories[int(answer) - 1]
        for name in categories:
            if name.lower() == answer.lower():
                return name
        raise SystemExit(f"There is no topic `{answer}`. Choose one of: {', '.join(categories)}.")

    return ask(f"Topic ({listing}). Type its number [1]: ", answer, category)


def page_using(folder, slug):
    """The file that already has this address, if any."""
    if (folder / f"{slug}.md").exists():
        return folder / f"{slug}.md"
    for path in sorted(folder.glob("*.md")):
        if read_fields(path).get("slug", (0, ""))[1] == slug:
            return path
    return None


def next_order(folder):
    """One more than the highest Order of the questions."""
    orders = [0]
    for path in folder.glob("*.md"):
        value = read_fields(path).get("order", (0, ""))[1]
        if value.isdigit():
            orders.append(int(value))
    return max(orders) + 1


def translation(source, lang, settings, content):
    """The text of a new translation of source (a Path), into lang."""
    from markdown.extensions.toc import slugify

    lines = source.read_text(encoding="utf-8").split("\n")
    end = lines.index("") if "" in lines else len(lines)
    english = settings["ARTICLE_CATEGORIES"]
    spanish = settings["LANGUAGES"][lang]["topics"]
    fields = []
    for line in lines[:end]:
        name, _, value = line.partition(":")
        key = name.strip().lower()
        if key in ("title", "summary", "tags"):
            english_value = value.strip().removeprefix(PLACEHOLDER).strip()
            line = f"{name}: {PLACEHOLDER} {english_value}"
        elif key == "category" and value.strip() in english:
            line = f"{name}: {spanish[english.index(value.strip())]}"
        elif key == "reviewed":
            line = f"{name}: {today_at_the_practice(settings).isoformat()}"
        if key != TRANSLATED_FROM:
            fields.append(line)
        if key == "slug":
            fields.append(f"Lang: {lang}")
            fields.append(f"Translated-from: {text_hash(read_page(source))}")

    def anchored(match):
        heading = match.group(0)
        return heading if "{#" in heading else f"{heading} {{#{slugify(match.group(2), '-')}}}"

    def twin_link(match):
        target = match.group(1)
        folder, name = target.rsplit("/", 1)
        twin = f"{folder}/{lang}/{name}"
        return f"{{filename}}{twin}" if (content / twin.lstrip("/")).exists() else match.group(0)

    body = "\n".join(lines[end:])
    body = re.sub(r"(?m)^(#{2,6})[ \t]+(.+?)[ \t]*$", anchored, body)
    body = re.sub(r"\{filename\}(/[\w/.-]+\.md)", twin_link, body)
    language = LANGUAGE_NAMES.get(lang, lang)
    note = (f"{PLACEHOLDER} translate the text below into {language} with the words in"
            " docs/glosario.md, then delete this line.")
    return "\n".join(fields) + "\n\n" + note + "\n" + body


def start_translation(args, settings):
    """Write the new translation, or stop with one line (and nothing written): the
    English page must be a Markdown file in a page folder of content/ (not in a
    language's folder), and TO one of the site's other languages."""
    content = Path(args.content).resolve()
    languages = list(settings["I18N_SUBSITES"])
    lang = args.to or languages[0]
    if lang not in languages:
        raise SystemExit(f"Nothing was created: TO={lang} is not one of the site's other"
                         f" languages; use {' or '.join(f'TO={name}' for name in languages)}.")
    source = Path(args.translate).resolve()
    folders = {content / folder for folder in (*FOLDERS.values(), "pages")}
    if not source.is_file():
        raise SystemExit(f"Nothing was created: there is no file {args.translate}.")
    if source.suffix != ".md" or source.parent not in folders:
        raise SystemExit(
            f"Nothing was created: TRANSLATE={args.translate} is not an English page. Give"
            f" a Markdown file in {', '.join(sorted(shown(f) + '/' for f in folders))},"
            " e.g. TRANSLATE=content/articles/recovery.md.")
    path = source.parent / lang / source.name
    if path.exists() or path.is_symlink():
        raise SystemExit(f"Nothing was created: {shown(path)} already exists. Edit that file.")
    try:
        text = translation(source, lang, settings, content)
    except (OSError, UnicodeDecodeError) as error:
        raise SystemExit(f"Nothing was created: {shown(source)} could not be read"
                         f" ({type(error).__name__}); save it as UTF-8 text.") from None
    path.parent.mkdir(exist_ok=True)
    with open(path, "x", encoding="utf-8") as file:  # the text is whole before the file is made
        file.write(text)
    print(f"Created {shown(path)}.")
    if PLACEHOLDER in source.read_text(encoding="utf-8"):
        print(f"Note: {shown(source)} itself still has {PLACEHOLDER} lines; finish it first.")
    print(f"Translate the lines marked {PLACEHOLDER} and the text, then preview with `make devserver`.")
    return 0


def mark_translated(args, settings):
    """make translated FILE=content/articles/es/x.md: record in the translation the English
    text it now matches (Translated-from), so that a later change to that text lists it
    as needing translation again."""
    content = Path(args.content).resolve()
    languages = list(settings["I18N_SUBSITES"])
    path = Path(args.file).resolve() if args.file else None
    if path is None or not path.is_file():
        named = args.file or "(FILE= is empty)"
        raise SystemExit(f"Nothing was changed: there is no file {named}; name the translation,"
                         " e.g. make translated FILE=content/articles/es/recovery.md.")
    english = path.parent.parent / path.name
    if (path.parent.name not in languages or content not in path.parents
            or path.suffix != ".md"):
        raise SystemExit(f"Nothing was changed: {args.file} is not a translation. Give the file"
                         f" in a language's folder ({', '.join(f + '/' for f in languages)}),"
                         " e.g. FILE=content/articles/es/recovery.md.")
    if not english.is_file():
        raise SystemExit(f"Nothing was changed: there is no English page {shown(english)} for"
                         f" {shown(path)}.")
    page = read_page(path)
    if not page.fields or not page.lines[page.body_start - 1:page.body_start] == [""]:
        raise SystemExit(f"Nothing was changed: {shown(path)} has no metadata block followed by"
                         " an empty line; `make html` says what is wrong with it.")
    code = text_hash(read_page(english))
    field = f"Translated-from: {code}"
    lines = path.read_text(encoding="utf-8").split("\n")
    if TRANSLATED_FROM in page.fields:
        lines[page.fields[TRANSLATED_FROM][0] - 1] = field
    else:
        after = page.fields.get("lang", (page.body_start - 1,))[0]
        lines.insert(after, field)
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"Marked {shown(path)} as translated from the text of {shown(english)} as it is now"
          f" ({field}). A later change to that text lists it as needing translation again.")
    return 0


def shown(path):
    path = Path(path)
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=[*FOLDERS, "translated"])
    parser.add_argument("--content", default=str(ROOT / "content"), help="content folder")
    parser.add_argument("--title", default=os.environ.get("TITLE", ""))
    parser.add_argument("--category", default=os.environ.get("CATEGORY", ""))
    parser.add_argument("--translate", default=os.environ.get("TRANSLATE", ""),
                        help="start the translation of this English page")
    parser.add_argument("--to", default=os.environ.get("TO", ""), help="its language (es)")
    parser.add_argument("--file", default=os.environ.get("FILE", ""),
                        help="translated: the translation to mark as up to date")
    args = parser.parse_args(argv)

    from pelican.settings import read_settings

    settings = read_settings(str(ROOT / "pelicanconf.py"))
    if args.kind == "translated":
        return mark_translated(args, settings)
    if args.translate:
        return start_translation(args, settings)
    question = "Title of the new article: " if args.kind == "article" else "The question: "
    folder = Path(args.content) / FOLDERS[args.kind]

    def new_title(title):
        slug = make_slug(title)
        if not slug:
            raise SystemExit("Nothing was created: the title needs some letters or numbers.")
        existing = page_using(folder, slug)
        if existing:
            raise SystemExit(
                f"Nothing was created: {shown(existing)} already has the address `{slug}`."
                " Choose another title, or edit that file."
            )
        return title, slug

    title, slug = ask(question, args.title, new_title)

    values = {
        "title": title,
        "slug": slug,
        "today": today_at_the_practice(settings).isoformat(),
        "phone_display": settings["PHONE_DISPLAY"],
        "phone_tel": settings["PHONE_TEL"],
    }
    if args.kind == "article":
        values["category"] = choose_category(settings["ARTICLE_CATEGORIES"], args.category)
    else:
        values["order"] = next_order(folder)
    text = Template((TEMPLATES / f"{args.kind}.md").read_text(encoding="utf-8")).substitute(values)

    path = folder / f"{slug}.md"
    with open(path, "x", encoding="utf-8") as file:  # "x": never over an existing file
        file.write(text)
    print(f"Created {shown(path)}.")
    print(f"Write the lines marked {PLACEHOLDER}, then preview with `make devserver`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
