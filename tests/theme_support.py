"""Helpers for the theme's checks: variant builds, and one browser pass over every page.

The browser pass loads each page once in Debian's Chromium and measures it at
phone, narrow-phone and desktop widths, in the light and the dark scheme:
axe-core, contrast, text size, target size, line length, horizontal scroll and
every request the page makes. Pages are audited a few at a time.
"""

import asyncio
import gzip
import shutil
import textwrap
import threading
from pathlib import Path
from urllib.parse import urlsplit

from helpers import CHROMIUM_ARGS, ROOT, address_of, run_build

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
NARROW = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}


def build_variant(folder, settings="pelicanconf.py", **overrides):
    """Build the real content with these settings, some of them overridden (given to
    the build as Pelican's -e SETTING=VALUE); return the output folder, folder/output."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / "output"
    result = run_build(output, settings=settings, cache=folder / "cache", extra=overrides)
    assert result.returncode == 0, f"the variant build failed:\n{result.stdout}\n{result.stderr}"
    return output


FIRST_LOAD_LIMIT = 14 * 1024  # bytes: what fits in TCP's first round trip (10 segments)


def first_loads(site):
    """{page: its first load}: the HTML and the stylesheet a page needs before it can
    show anything, gzipped as the server sends them (level 9), in bytes."""
    (css,) = (site.output / "theme" / "css").glob("site.*.css")
    css_size = len(gzip.compress(css.read_bytes(), 9))
    return {path.relative_to(site.output).as_posix(): len(gzip.compress(path.read_bytes(), 9)) + css_size
            for path in site.html_files()}


def page_urls(site):
    """The address of every built page, relative to the site root: '', 'faq/', '404.html'."""
    return [address_of(path.relative_to(site.output).as_posix()) for path in site.html_files()]


# What the browser measures on a page -------------------------------------------

MEASURE = textwrap.dedent("""
(measureLines) => {
  const shown = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden"
      && !el.closest(".app-visually-hidden, noscript, svg");
  };
  const blockOf = (el) => {
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return block;
  };
  const words = (text) => (text.match(/[A-Za-z]{2,}/g) || []).length;

  // Text smaller than 18 CSS px.
  const smallText = [];
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const text = texts.currentNode.textContent.trim();
    const el = texts.currentNode.parentElement;
    if (!text || !shown(el)) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 17.95) smallText.push(`${size}px: ${text.slice(0, 50)}`);
  }

  // Targets smaller than 44 x 44 px, unless they sit in a sentence (WCAG 2.5.5's inline exception).
  const smallTargets = [];
  const focusable = "a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex='-1'])";
  for (const el of document.querySelectorAll(focusable)) {
    if (!shown(el)) continue;
    const box = el.getBoundingClientRect();
    if (box.width >= 43.5 && box.height >= 43.5) continue;
    const block = blockOf(el);
    let rest = block ? block.textContent : "";
    for (const target of block ? block.querySelectorAll("a, button") : []) rest = rest.replace(target.textContent, " ");
    if (words(rest) >= 1) continue;  // other words around it: a link in a sentence or block of text
    smallTargets.push(`${Math.round(box.width)}x${Math.round(box.height)}: ${el.outerHTML.slice(0, 90)}`);
  }

  // The longest line of the page's paragraphs, in characters.
  let longestLine = 0;
  const range = document.createRange();
  for (const p of measureLines ? document.querySelectorAll("main p") : []) {
    if (!shown(p)) continue;
    const lines = new Map();
    const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        if (!box.height) continue;
        const top = Math.round(box.top + box.height / 2);
        let line = [...lines.keys()].find((key) => Math.abs(key - top) < box.height / 2);
        if (line === undefined) { line = top; lines.set(line, 0); }
        lines.set(line, lines.get(line) + 1);
      }
    }
    for (const count of lines.values()) longestLine = Math.max(longestLine, count);
  }

  const root = document.documentElement;
  return {smallText, smallTargets, longestLine,
          overflow: root.scrollWidth - root.clientWidth};
}
""")


AAA_CONTRAST = "color-contrast-enhanced"  # WCAG 1.4.6: 7:1, or 4.5:1 for large text


def axe_options(contrast_only=False):
    """The WCAG 2.0-2.2 A and AA rules, and the 7:1 contrast rule; or the contrast rule alone."""
    if contrast_only:
        return {"runOnly": {"type": "rule", "values": [AAA_CONTRAST]}, "resultTypes": ["violations"]}
    return {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {AAA_CONTRAST: {"enabled": True}},
            "resultTypes": ["violations"]}


def describe(violations):
    """axe's violations as short lines: rule, impact, the first few elements."""
    lines = []
    for violation in violations:
        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
        summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")[:160]
        lines.append(f"{violation['id']} ({violation['impact']}): {targets} {summary}")
    return lines


async def _audit_page(page, base, path):
    """Load one page in the worker's tab and measure it."""
    requests, errors = [], []

    def on_request(request):
        requests.append(request.url)

    def on_error(error):
        errors.append(str(error))

    page.on("request", on_request)
    page.on("pageerror", on_error)
    await page.set_viewport_size(PHONE)
    await page.emulate_media(color_scheme="light")
    response = await page.goto(f"{base}/{path}", wait_until="load")

    async def axe(contrast_only=False):
        result = await page.evaluate("options => axe.run(document, options)", axe_options(contrast_only))
        wcag = [v for v in result["violations"] if v["id"] != AAA_CONTRAST]
        aaa = [v for v in result["violations"] if v["id"] == AAA_CONTRAST]
        return describe(wcag), describe(aaa)

    async def width(viewport, full=True):
        await page.set_viewport_size(viewport)
        await page.emulate_media(color_scheme="light")
        found = await page.evaluate(MEASURE, viewport["width"] >= 1000)
        if full:
            found["axe"], found["aaa_light"] = await axe()
            await page.emulate_media(color_scheme="dark")
            found["aaa_dark"] = (await axe(contrast_only=True))[1]
        return found

    found = {"status": response.status, "errors": errors}
    found["phone"] = await width(PHONE)
    found["narrow"] = await width(NARROW, full=False)
    found["desktop"] = await width(DESKTOP)
    page.remove_listener("request", on_request)
    page.remove_listener("pageerror", on_error)
    found["requests"] = requests
    return found


async def _audit(base, paths, workers):
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
        queue = list(paths)
        results = {}

        async def worker():
            context = await browser.new_context(viewport=PHONE)
            await context.add_init_script(path=str(AXE))  # axe is in every page before its own scripts
            page = await context.new_page()
            while queue:
                path = queue.pop(0)
                results[path] = await _audit_page(page, base, path)
            await context.close()

        await asyncio.gather(*(worker() for _ in range(workers)))
        await browser.close()
    return results


def audit_pages(base, paths, workers=2):
    """Audit every page; {path: findings}. Runs in its own thread, clear of the sync Playwright."""
    assert AXE.is_file(), "axe-core is missing: run `make node_modules/.installed`"
    assert shutil.which("chromium"), "Chromium is missing: run tools/system-deps.sh"
    box = {}

    def work():
        try:
            box["results"] = asyncio.run(_audit(base, paths, workers))
        except BaseException as error:  # handed to the test below
            box["error"] = error

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["results"]


def same_origin(url, base):
    parts, home = urlsplit(url), urlsplit(base)
    return parts.scheme == "data" or (parts.scheme, parts.netloc) == (home.scheme, home.netloc)


# The video section's three states --------------------------------------------------

VIDEO_ID = "M7lc1UVf-VE"  # a well-formed YouTube id; nothing is fetched in the tests
VIDEO_CHANNEL_URL = "https://www.youtube.com/@example-practice"
_variants = {}


VIDEO_STATES = {"id": {"VIDEO_ID": VIDEO_ID, "VIDEO_CHANNEL_URL": VIDEO_CHANNEL_URL},
                "channel": {"VIDEO_ID": "", "VIDEO_CHANNEL_URL": VIDEO_CHANNEL_URL},
                "none": {"VIDEO_ID": "", "VIDEO_CHANNEL_URL": ""}}


def video_state(settings):
    """Which of the three states the settings' video is in: "id", "channel" or "none"."""
    if settings["VIDEO_ID"]:
        return "id"
    return "channel" if settings["VIDEO_CHANNEL_URL"] else "none"


def video_build(tmp_path_factory, state, site=None):
    """The development build with the practice's video set ("id"), only its channel
    ("channel") or neither ("none"): `site`'s own output when its settings are
    already so, else a variant build, made once per test session, whichever module
    asks first."""
    overrides = VIDEO_STATES[state]
    if site is not None and all(site.settings[k] == v for k, v in overrides.items()):
        return site.output
    if state not in _variants:
        _variants[state] = build_variant(tmp_path_factory.mktemp(f"video-{state}"), **overrides)
    return _variants[state]
