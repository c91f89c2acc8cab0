"""Which files may be in the content folder, each Markdown file read once (size,
encoding, characters), and every check of one file on its own (check_source)."""

import hashlib
import os
from pathlib import Path

from .core import Source
from .fields import check_fields, read_metadata, split_lines
from .svg import check_svg
from .text import check_characters, check_placeholders, check_text

MAX_FILE_BYTES = 1_000_000
STATIC_TYPES = {".svg", ".png", ".jpg", ".jpeg", ".webp"}  # pictures in STATIC_PATHS


def list_files(root):
    """Every file under the content folder, relative, with /, in order. Links
    (symlinks) and hidden folders are listed as they are, never entered."""
    found = []
    for folder, dirs, files in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [prefix + name for name in files]
        stop = [d for d in dirs if d.startswith(".") or os.path.islink(os.path.join(folder, d))]
        found += [prefix + name for name in stop]
        dirs[:] = [d for d in dirs if d not in stop]
    return sorted(found)


def check_file(state, name):
    """Whether a file in the content folder may be published; log why not."""
    settings = state.settings
    top = name.split("/")[0]
    if os.path.islink(os.path.join(state.root, name)):  # a str: quicker than a Path
        state.problem(
            name, None,
            "this is a link (symlink) to another file or folder, which the site does not publish."
            " Put a copy of the file itself here, or delete the link.",
        )
    elif any(part.startswith(".") for part in name.split("/")):
        made_by = " (your computer made it)" if name.endswith((".DS_Store", "Thumbs.db")) else ""
        state.problem(
            name, None,
            f"names starting with a dot are hidden files, which the site does not"
            f" publish{made_by}. Delete it, or rename it without the dot.",
        )
    elif top in settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]:
        if name.endswith(".md"):
            return True
        state.problem(
            name, None,
            "only Markdown files (ending in .md) belong in this folder."
            " Rename the file, or move it out of the content folder.",
        )
    elif top in settings["STATIC_PATHS"]:
        return check_static(state, name)
    else:
        folders = ", ".join(settings["ARTICLE_PATHS"] + settings["PAGE_PATHS"]
                            + settings["STATIC_PATHS"])
        state.problem(
            name, None,
            f"this file is not in a folder the site publishes ({folders})."
            " Move it into one of them, or delete it.",
        )
    return False


def check_static(state, name):
    """Pictures, and the files EXTRA_PATH_METADATA places (icons, manifest)."""
    if name in state.settings.get("EXTRA_PATH_METADATA", {}):
        return True
    suffix = Path(name).suffix.lower()
    if suffix not in STATIC_TYPES:
        kinds = ", ".join(sorted(STATIC_TYPES))
        state.problem(
            name, None,
            f"only pictures ({kinds}) are published from this folder."
            " Delete the file, or save the picture in one of these formats.",
        )
        return False
    if suffix == ".svg":
        check_svg(state, name)
    return True


def read_source(state, path, name):
    """The file as a Source, or None (with a problem logged) if it cannot be read."""
    size = os.stat(path).st_size
    if size > MAX_FILE_BYTES:
        state.problem(
            name, None,
            f"the file is {size / 1_000_000:.1f} MB; a page must be under"
            f" {MAX_FILE_BYTES // 1_000_000} MB. Remove pasted material or split it"
            " into several pages.",
        )
        return None
    with open(path, "rb") as file:
        data = file.read()
    if not data.strip():
        state.problem(
            name, None,
            "the file is empty. Start again with `make newarticle` or `make newfaq`,"
            " or delete the file.",
        )
        return None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data.count(b"\x00") * 4 > len(data):
        # UTF-16 (every other byte of English text is 0) decodes, wrongly, as UTF-8
        state.problem(
            name, None,
            "the file is not saved as UTF-8 (it looks like UTF-16). Save the file again"
            " with the encoding set to UTF-8 in your editor.",
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        state.problem(
            name, data[: error.start].count(b"\n") + 1,
            f"this line has a character that is not UTF-8 (byte 0x{data[error.start]:02x})."
            " Save the file again with the encoding set to UTF-8 in your editor.",
        )
        return None
    lines = split_lines(text)
    for number, line in enumerate(lines, 1):
        if not line.isprintable() and check_characters(state, name, number, line):
            return None
    source = Source(name, lines, lang_folder=state.lang_folder(name))
    source.digest = hashlib.sha256(data).hexdigest()
    return source


def check_source(state, source):
    """Every check of one file on its own: its metadata block, fields and text (and,
    for the live site, text still to be written). The preview runs it on each save."""
    if read_metadata(state, source):
        check_fields(state, source)
        check_text(state, source)
    if state.settings.get("PRODUCTION"):
        check_placeholders(state, source)
