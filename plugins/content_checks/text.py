"""The text of a content file, line by line: characters it must not have, raw HTML and
attributes, nesting, phone numbers, images, links, and template text left to write."""

import html
import re

from markdown.extensions.attr_list import get_attrs_and_remainder

from .core import BARE_ADDRESSES
from .links import LINK_SCHEMES, check_source_link

PLACEHOLDER = "REPLACE:"  # marks what the editor still has to write (tools/templates/)
MAX_NESTING = 8  # lists or quotes inside each other; deeper breaks the Markdown reader
# Characters a content file must not have, by name: str.splitlines() breaks lines
# at them (Word's Shift+Enter pastes the vertical tab), Python-Markdown does not.
SEPARATORS = {
    "\v": "a vertical tab (U+000B), an invisible line break (Shift+Enter in Word?)",
    "\f": "a page break (form feed, U+000C)",
    "\x1c": "an invisible separator (U+001C)", "\x1d": "an invisible separator (U+001D)",
    "\x1e": "an invisible separator (U+001E)",
    "\x85": "an invisible line break (next line, U+0085)",
    "\u2028": "an invisible line break (line separator, U+2028)",
    "\u2029": "an invisible paragraph break (paragraph separator, U+2029)",
}
NAMES = {**SEPARATORS, "\x00": "a NUL character (U+0000), which some programs write by mistake"}
USE_A_LINE_BREAK = "Delete it and use a normal line break (Enter) instead."
DELETE_IT = "Delete it: retype the text around it, or paste it again as plain text."
CHARACTER_FIXES = dict.fromkeys(SEPARATORS, USE_A_LINE_BREAK)
# Embeddings, overrides and isolates: they make text read differently from how it is stored.
DIRECTION_MARKS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# A code span as Python-Markdown finds it: an escaped backtick (\\`) starts none, and
# it ends at a run of as many backticks as it started with.
CODE_SPAN = re.compile(r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))")
HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$)|<!--")
# A Markdown link's address with a scheme: [text](scheme:...), <scheme:...>, [id]: scheme:...
LINK_SCHEME = re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|<)([A-Za-z][A-Za-z0-9+.-]*):")
PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[ .-]?\d{3}[ .-]\d{4}\b")
THREE_DIGITS = re.compile(r"\d\d\d")  # in every PHONE_LIKE match, and quick to look for
IMAGE = re.compile(r"!\[([^\]]*)\]\s*[(\[]([^)\]\s]*)")
SOURCE_LINK = re.compile(r"\{(filename|static|attach)\}([^\s)\]\"'>]*)")
# attr_list's attributes, as Python-Markdown finds them: {: #id .class key=value}.
ATTRIBUTES = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)\}")
LINK_KINDS = {"filename", "static", "attach", "tag", "category", "index", "author"}
# Pelican's older way to write those links, |filename|x.md, where a link's address starts.
PIPE_MARKER = re.compile(r"(?:(?<=\()|(?<=<)|(?<=: ))\|(filename|static|attach|tag|category|index|author)\|")
# Attributes as Python-Markdown and the theme write them. A literal start keeps
# these fast (a leading \b would make them ten times slower).
# A web address written as it is, not in <...>, (...) nor [...]: Python-Markdown shows
# it as plain text (the site has no extension that links bare addresses).
BARE_ADDRESS = re.compile(r"(?<![<(\[\"'=/\w])https?://[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")
REFERENCE_LINE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s")  # [name]: https://... defines a link
# What to write instead of an HTML tag.
BOLD = "For bold text, write `**words**`."
ITALICS = "For slanted text, write `*words*`."
NEW_PARAGRAPH = "To start a new paragraph, leave an empty line."
LIST = "For a list, start each line with `- `."
MARKDOWN_FOR = {
    "a": "For a link, write `[text](address)`.",
    "b": BOLD, "strong": BOLD, "i": ITALICS, "em": ITALICS,
    "br": NEW_PARAGRAPH, "p": NEW_PARAGRAPH,
    "img": "For an image, write `![What it shows]({static}/images/file.svg)`.",
    "h2": "For a heading, write `## Heading`.", "h3": "For a heading, write `### Heading`.",
    "ul": LIST, "li": LIST, "ol": "For a numbered list, start each line with `1. `.",
}


def check_characters(state, name, number, line):
    """Report the first invisible character the file must not have; True if one was found.
    A line separator other than the line break would end a metadata line for the
    checks or an editor but not for Pelican, so fields could hide from the checks."""
    for character in line:
        what = character_name(character)
        if what:
            state.problem(name, number, f"this line has {what}. {CHARACTER_FIXES.get(character, DELETE_IT)}")
            return True
    return False


def character_name(character):
    """What an editor calls a character the files must not have, or None if it may stay."""
    if character in NAMES:
        return NAMES[character]
    code = ord(character)
    if code < 0x20 and character != "\t" or 0x7F <= code < 0xA0:
        return f"an invisible control character (U+{code:04X})"
    if character in DIRECTION_MARKS:
        return f"an invisible character that changes the direction of the text (U+{code:04X})"
    return None


def check_text(state, source):
    """Raw HTML, nesting, images and {filename} links, line by line.

    Lines between ``` fences are checked too: this site's Markdown has no code
    blocks, so what is written there is published as it is. The `{filename}`,
    `{static}` and `{attach}` links found are kept in source.links (line number,
    kind, target as written) for the checks across files."""
    source.links = []
    for index in range(source.body_start, len(source.lines)):
        line = source.lines[index]
        number = index + 1
        if THREE_DIGITS.search(line) and PHONE_LIKE.search(line):
            check_phone(state, source, number, line)
        if line[:1] in (" ", "\t", ">") and nesting(line) > MAX_NESTING:
            state.problem(
                source.name, number,
                f"lists or quotes are nested more than {MAX_NESTING} levels deep here."
                " Use fewer levels: start fewer spaces or `>` at the start of the line.",
            )
            return
        if not ("<" in line or "![" in line or "}" in line or ":" in line or "|" in line):
            continue  # most lines: nothing to check
        line = without_code(line)
        if "{" in line:
            check_attributes(state, source, number, line)
        if "://" in line and not REFERENCE_LINE.match(line):
            for address in BARE_ADDRESS.findall(line):
                state.notice(
                    source.name, number,
                    f"`{address}` is shown as plain text, not as a link. Write it as"
                    f" `<{address}>`, or as `[words that say where it goes]({address})`.",
                    BARE_ADDRESSES,
                )
        for scheme in LINK_SCHEME.findall(line):
            if scheme.lower() not in LINK_SCHEMES:
                target = re.match(r"[^\s>]+", line[line.index(scheme + ":"):]).group(0)
                while target.count(")") > target.count("("):
                    target = target[:-1]  # the link's closing bracket
                state.problem(
                    source.name, number,
                    f"the link `{target}` is not a web address. Links must start with"
                    " `https://`, `tel:` or `mailto:`, or point to a page of the site.",
                )
        tag = HTML_TAG.search(line)
        if tag:
            state.problem(source.name, number, html_message(tag))
        for alt, target in IMAGE.findall(line):
            check_image(state, source, number, alt, target)
        for kind, target in SOURCE_LINK.findall(line):
            source.links.append((number, kind, html.unescape(target)))
            check_source_link(state, source, number, f"{{{kind}}}{target}")


def without_code(line):
    """A line of text without its code spans, its links' |kind| markers written {kind}."""
    line = CODE_SPAN.sub("", line)
    return PIPE_MARKER.sub(r"{\1}", line) if "|" in line else line


def check_attributes(state, source, number, line):
    """attr_list's `{: ...}`: only an anchor (`{#name}`) is kept on the built page; any
    other attribute would be removed without a word, so it is refused here."""
    for found in ATTRIBUTES.finditer(line):
        if found.group(1).strip() in LINK_KINDS:
            continue  # {filename}, {static}...: a link, not attributes
        attributes, _rest = get_attrs_and_remainder(found.group(1))
        names = [{"#": "id", ".": "class"}.get(name, name) for name, _value in attributes]
        dropped = [name for name in names if name != "id"]
        if dropped:
            state.problem(
                source.name, number,
                f"`{found.group(0)}` adds `{dropped[0]}`, which the site removes from pages: only an"
                " anchor such as `{#my-section}` can be added. Remove the rest.",
            )
            return


def check_phone(state, source, number, line):
    """The practice's number only, and always as the link that dials it."""
    display, tel = state.settings["PHONE_DISPLAY"], state.settings["PHONE_TEL"]
    link = f"[{display}](tel:{tel})"
    for found in PHONE_LIKE.findall(line):
        if re.sub(r"\D", "", found) != re.sub(r"\D", "", display):
            state.problem(
                source.name, number,
                f"`{found}` is not the practice's number ({display}). Write `{link}`.",
            )
            return
    if len(PHONE_LIKE.findall(line)) > line.count(link):
        state.problem(
            source.name, number,
            f"write the phone number as a link that dials it: `{link}`.",
        )


def nesting(line):
    """How deep a line sits in lists and quotes: each `>` and each 4 spaces is a level."""
    body = line.lstrip(" \t>")
    start = line[: len(line) - len(body)].replace("\t", "    ")
    return start.count(">") + len(start.replace(">", "")) // 4


def check_image(state, source, number, alt, target):
    if not alt.strip():
        state.problem(
            source.name, number,
            "this image has no description, which people using screen readers need."
            f" Describe it between the brackets: `![What the picture shows]({target})`.",
        )
    if not target.startswith(("{static}", "{attach}")):
        state.problem(
            source.name, number,
            f"the image `{target}` is not a file of this site. Save the picture in"
            " content/images/ and write `![What it shows]({static}/images/file.svg)`.",
        )


def html_message(tag):
    if tag.group(0) == "<!--":
        return (
            "HTML comments (`<!-- ... -->`) are not allowed in content: they are"
            " published with the page. Remove the comment."
        )
    name = tag.group(2).lower()
    written = f"<{tag.group(1)}{name}>"
    if name in ("script", "iframe", "object", "embed", "style", "form"):
        return (
            f"`{written}` is not allowed in content: pages must not carry their own code."
            " Remove it; ask the web team if the page needs something special."
        )
    instead = MARKDOWN_FOR.get(name, "Write Markdown instead (see README, Writing content).")
    return f"HTML such as `{written}` is not allowed in content. {instead}"


def check_placeholders(state, source):
    """Before publishing: no template text left to write."""
    numbers = [n for n, line in enumerate(source.lines, 1) if PLACEHOLDER in line]
    if numbers:
        more = f" (and {len(numbers) - 1} more lines)" if len(numbers) > 1 else ""
        state.problem(
            source.name, numbers[0],
            f"this line{more} still has the template's `{PLACEHOLDER}` text. Write the"
            " real text in its place, preview it, then publish again.",
        )
