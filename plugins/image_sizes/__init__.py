"""image_sizes: give every content image its width and height, so the page keeps its place.

On a slow phone the text arrives before the pictures. Without a size, each
picture takes no room until it arrives, then pushes the text down while the
visitor reads. With `width` and `height`, the browser keeps the right space
from the start; the theme's CSS still scales the picture to the column.

The size comes from the file's header: an SVG's own width and height in
pixels, else its viewBox; for PNG, JPEG, WebP, GIF, AVIF and the rest,
`imagesize` (a JPEG turned by its EXIF orientation is measured as shown).

Only `{static}` and `{attach}` images from the content folder are touched, and
only when the markup does not give a size already. As in Pelican, a path
starting with `/` is read from the content folder, any other from the folder
of the page that links to it: `{static}../images/x.png` in `content/faq/a.md`
is `content/images/x.png`.
"""

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote

import imagesize
from pelican import signals

import pelican_internals

IMG = re.compile(r"<img\b[^>]*>", re.I)
SRC = re.compile(r"""\bsrc=(["'])\{(?:static|attach)\}([^"']+)\1""")
SIZED = re.compile(r"\b(width|height)\s*=", re.I)
SVG_TAG = re.compile(r"<svg\b[^>]*>", re.S)
VIEWBOX = re.compile(
    r"""\bviewBox=(["'])\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*\1""")
PIXELS = re.compile(r"^\s*([\d.]+)\s*(px)?\s*$")


def svg_size(data):
    """(width, height) of an SVG: its width and height in pixels, else its viewBox."""
    tag = SVG_TAG.search(data[:4000].decode("utf-8", "replace"))
    if not tag:
        return None
    tag = tag.group(0)

    def attribute(name):
        found = re.search(rf"""\s{name}=(["'])(.*?)\1""", tag)
        value = found and PIXELS.match(found.group(2))
        return float(value.group(1)) if value else None

    width, height = attribute("width"), attribute("height")
    if width and height:
        return round(width), round(height)
    box = VIEWBOX.search(tag)
    if box:
        width, height = float(box.group(2)), float(box.group(3))
        if width > 0 and height > 0:
            return round(width), round(height)
    return None


def size_of(path):
    """(width, height) of a picture file, or None when it cannot be read."""
    try:
        with open(path, "rb") as file:
            head = file.read(4000)
    except OSError:
        return None
    if path.suffix.lower() == ".svg" or b"<svg" in head[:1000]:
        return svg_size(head)
    width, height = imagesize.get(str(path))
    if width > 0 and height > 0:
        return round(width), round(height)
    return None


def image_file(src, content_root, page_folder):
    """The file a `{static}`/`{attach}` src names, as Pelican reads it."""
    link = unquote(src.split("#", 1)[0].split("?", 1)[0])
    if link.startswith("/"):
        relative = link.lstrip("/")
    else:
        relative = posixpath.join(page_folder, link)
    relative = posixpath.normpath(relative)
    if relative.startswith("../") or relative == "..":
        return None  # outside the content folder: Pelican would not find it either
    return Path(content_root) / relative


def add_sizes(html, content_root, page_folder=""):
    """The HTML with width and height on every local image that has neither.

    page_folder: the folder of the page's source file, relative to content_root."""

    def sized(match):
        tag = match.group(0)
        src = SRC.search(tag)
        if not src or SIZED.search(tag):
            return tag
        path = image_file(src.group(2), content_root, page_folder)
        size = path and size_of(path)
        if not size:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return f'{tag[: -len(end)].rstrip()} width="{size[0]}" height="{size[1]}"{end}'

    return IMG.sub(sized, html)


def on_content(instance):
    html = pelican_internals.page_html(instance) or ""
    if "<img" in html:
        root = instance.settings["PATH"]
        source = getattr(instance, "source_path", None)
        folder = ""
        if source:
            try:
                folder = Path(source).resolve().parent.relative_to(Path(root).resolve())
            except ValueError:  # a page from outside the content folder
                folder = Path()
            folder = "" if folder == Path() else folder.as_posix()
        pelican_internals.replace_page_html(instance, add_sizes(html, root, folder))


def register():
    signals.content_object_init.connect(on_content)
