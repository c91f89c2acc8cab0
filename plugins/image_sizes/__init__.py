"""image_sizes: give every content image its width and height, so the page keeps its place.

On a slow phone the text arrives before the pictures. Without a size, each
picture takes no room until it arrives, then pushes the text down while the
visitor reads. With `width` and `height` (from the SVG's viewBox, or the PNG's
header), the browser keeps the right space from the start; the theme's CSS
still scales the picture to the column.

Only `{static}` and `{attach}` images from the content folder are touched, and
only when the markup does not give a size already.
"""

import re
import struct
from pathlib import Path

from pelican import signals

IMG = re.compile(r"<img\b[^>]*>", re.I)
SRC = re.compile(r'\bsrc="\{(?:static|attach)\}/?([^"]+)"')
VIEWBOX = re.compile(r'<svg\b[^>]*\bviewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', re.S)


def size_of(path):
    """(width, height) of an SVG (its viewBox) or a PNG, or None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return struct.unpack(">II", data[16:24])
    if path.suffix.lower() == ".svg":
        found = VIEWBOX.search(data[:4000].decode("utf-8", "replace"))
        if found:
            return tuple(round(float(n)) for n in found.groups())
    return None


def add_sizes(html, content_path):
    def sized(match):
        tag = match.group(0)
        src = SRC.search(tag)
        if not src or re.search(r"\b(width|height)=", tag):
            return tag
        size = size_of(Path(content_path) / src.group(1))
        if not size:
            return tag
        end = "/>" if tag.endswith("/>") else ">"
        return f'{tag[: -len(end)].rstrip()} width="{size[0]}" height="{size[1]}"{end}'

    return IMG.sub(sized, html)


def on_content(instance):
    if getattr(instance, "_content", None):
        instance._content = add_sizes(instance._content, instance.settings["PATH"])


def register():
    signals.content_object_init.connect(on_content)
