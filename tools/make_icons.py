"""Draw the site's icons and link-preview picture into content/extra/ (run once; the
files are committed, so the build never needs a browser).

    .venv/bin/python tools/make_icons.py

Draws with Debian's Chromium through Playwright (as the tests do): favicon.svg,
favicon.ico (16, 32 and 48 px), apple-touch-icon.png (180), icon-192.png,
icon-512.png, icon-maskable-512.png, share-card.png and share-card-es.png
(1200 x 630, the English and Spanish link-preview pictures).
The mark: three stacked vertebrae on the site's blue, the middle one (the
treated bone) in the site's yellow.
"""

import html
import importlib.util
import shutil
import struct
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
EXTRA = ROOT / "content" / "extra"
BLUE, YELLOW, WHITE = "#0b3d6e", "#ffdd00", "#ffffff"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def mark(size=64, corner=14, inset=0):
    """The icon as SVG. inset: extra margin (in 64ths) around the vertebrae."""
    scale = (64 - 2 * inset) / 64
    blocks = "".join(
        f'<rect x="{inset + 18 * scale:.2f}" y="{inset + y * scale:.2f}"'
        f' width="{28 * scale:.2f}" height="{12 * scale:.2f}" rx="{4 * scale:.2f}"'
        f' fill="{colour}"/>'
        for y, colour in ((9, WHITE), (26, YELLOW), (43, WHITE))
    )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"'
            f' width="{size}" height="{size}">'
            f'<rect width="64" height="64" rx="{corner}" fill="{BLUE}"/>{blocks}</svg>')


def settings():
    spec = importlib.util.spec_from_file_location("pelicanconf", ROOT / "pelicanconf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# The share card's wording in each language: title, line, call (text alternatives
# in pelicanconf.py: SHARE_IMAGE_ALT and the Spanish one in I18N_SUBSITES).
SHARE_CARD_TEXT = {
    "en": ("Kyphoplasty for painful spine fractures",
           "Guides and answers for patients from {name}, part of {parent}, {area}.",
           "Call us: {phone}"),
    "es": ("Cifoplastia para fracturas de columna",
           "Guías y respuestas para pacientes de {name}, parte de {parent}, {area}.",
           "Llámenos: {phone}"),
}


def share_card(conf, lang="en"):
    words = dict(name=conf.PRACTICE_NAME, parent=conf.PARENT_ORGANIZATION,
                 area=conf.PRACTICE_AREA, phone=conf.PHONE_DISPLAY)
    title, line, call = (html.escape(text.format(**words)) for text in SHARE_CARD_TEXT[lang])
    return f"""<!doctype html><html><head><meta charset="utf-8"><style>
      html, body {{ margin: 0; width: 1200px; height: 630px; overflow: hidden; }}
      body {{ background: {BLUE}; color: {WHITE}; display: flex; align-items: center;
             font-family: "Liberation Sans", "DejaVu Sans", Arial, sans-serif; }}
      .mark {{ flex: none; margin: 0 64px 0 88px; }}
      .text {{ padding-right: 80px; }}
      h1 {{ font-size: 70px; line-height: 1.08; margin: 0 0 28px; letter-spacing: -1px; }}
      p {{ font-size: 32px; line-height: 1.35; margin: 0 0 36px; }}
      .call {{ display: inline-block; background: {YELLOW}; color: #1b1b1b;
               font-size: 38px; font-weight: bold; padding: 14px 28px; border-radius: 10px; }}
    </style></head><body>
      <div class="mark">{mark(260, corner=0)}</div>
      <div class="text"><h1>{title}</h1><p>{line}</p><span class="call">{call}</span></div>
    </body></html>"""


def ico(pngs):
    """A .ico file holding PNG images (every current browser reads these)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, data = b"", b""
    for size, png in pngs:
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32,
                               len(png), offset + len(data))
        data += png
    return header + entries + data


def main():
    EXTRA.mkdir(parents=True, exist_ok=True)
    conf = settings()
    (EXTRA / "favicon.svg").write_text(mark() + "\n", encoding="utf-8")
    executable = shutil.which("chromium")
    if not executable:
        sys.exit("Chromium is missing: run tools/system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)

        def render(markup, width, height, transparent=False):
            page = browser.new_page(viewport={"width": width, "height": height})
            page.set_content(markup)
            png = page.screenshot(omit_background=transparent,
                                  clip={"x": 0, "y": 0, "width": width, "height": height})
            page.close()
            return png

        def icon(size, **kwargs):
            body = f'<body style="margin:0">{mark(size, **kwargs)}</body>'
            return render(body, size, size, transparent=True)

        (EXTRA / "favicon.ico").write_bytes(ico([(s, icon(s)) for s in (16, 32, 48)]))
        (EXTRA / "apple-touch-icon.png").write_bytes(icon(180, corner=0, inset=4))
        (EXTRA / "icon-192.png").write_bytes(icon(192))
        (EXTRA / "icon-512.png").write_bytes(icon(512))
        # Maskable: full bleed, the mark inside the central safe circle.
        (EXTRA / "icon-maskable-512.png").write_bytes(icon(512, corner=0, inset=8))
        (EXTRA / "share-card.png").write_bytes(render(share_card(conf), 1200, 630))
        (EXTRA / "share-card-es.png").write_bytes(render(share_card(conf, "es"), 1200, 630))
        browser.close()
    for path in sorted(EXTRA.iterdir()):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
