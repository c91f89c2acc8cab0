"""Lighthouse (npm, pinned in package.json) with Debian's Chromium, in its default mobile setup.

It audits the production build (publishconf.py), with SITEURL pointed at the
local server so canonical links and the like are the real thing. Home, an
article, the FAQ and the 404 page, in both languages, must score 100 in
accessibility, best practices and SEO.

The performance score is timing (blocking time, speed index) and moves with
the machine's load, so it is printed (`pytest -s` shows it), never asserted.
What the test asserts of performance does not depend on the load: nothing
moves noticeably once shown (layout shift in Lighthouse's good range), and the
page's weight and size stay within budget. (test_a11y checks that no request
leaves the site, on every page.)
"""

import json
import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from helpers import ROOT, serve
from theme_support import build_variant

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PAGES = {"home": "", "article": "articles/procedure-day/", "faq": "faq/", "404": "404.html",
         "options": "options/", "es-home": "es/", "es-article": "es/articles/procedure-day/",
         "es-faq": "es/faq/", "es-options": "es/options/"}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
ASSERTED = ["accessibility", "best-practices", "seo"]
MAX_BYTES = 100 * 1024  # everything a page loads, uncompressed (the test server does not compress)
MAX_ELEMENTS = 800  # Lighthouse warns above 800
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking"


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The production build, served on 127.0.0.1 at the address it was built for."""
    folder = tmp_path_factory.mktemp("lighthouse")
    server = serve(folder / "output")
    url = f"http://127.0.0.1:{server.server_address[1]}"
    output = build_variant(folder, "publishconf.py", SITEURL=url)
    yield url, output, folder
    server.shutdown()


def lighthouse(url, report, chromium):
    assert LIGHTHOUSE.exists(), "Lighthouse is missing: run `make node_modules/.installed`"
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={report}",
         f"--chrome-flags={CHROME_FLAGS}"],
        env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, cwd=ROOT,
        timeout=240,
    )
    assert result.returncode == 0, f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}"
    return json.loads(report.read_text())


def scores(lhr):
    return {name: round(lhr["categories"][name]["score"] * 100) for name in CATEGORIES}


def failed_audits(lhr):
    """(category, audit, explanation) for every scored audit below full marks."""
    found = []
    for name in ASSERTED:
        for ref in lhr["categories"][name]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                found.append((name, ref["id"], audit.get("displayValue") or audit.get("explanation")))
    return found


@pytest.fixture(scope="module")
def reports(production, chromium):
    """Lighthouse's report on each page; two pages at a time."""
    url, _, folder = production

    def run(name):
        return name, lighthouse(f"{url}/{PAGES[name]}", folder / f"{name}.json", chromium)

    with ThreadPoolExecutor(2) as pool:
        found = dict(pool.map(run, PAGES))
    version = next(iter(found.values()))["lighthouseVersion"]
    print(f"\nLighthouse {version}, mobile (performance is printed, not asserted):")
    for name, lhr in found.items():
        print(f"  {name:8} " + "  ".join(f"{k} {v}" for k, v in scores(lhr).items()))
    return found


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_scores_100(reports, production, name):
    url = production[0]
    lhr = reports[name]
    assert lhr["configSettings"]["formFactor"] == "mobile"
    assert lhr["finalDisplayedUrl"] == f"{url}/{PAGES[name]}"
    found = {k: v for k, v in scores(lhr).items() if k in ASSERTED}
    assert found == dict.fromkeys(ASSERTED, 100), failed_audits(lhr)


@pytest.mark.parametrize("name", list(PAGES))
def test_lighthouse_performance_not_timing(reports, name):
    """The parts of performance that do not move with the machine's load."""
    audits = reports[name]["audits"]
    assert audits["cumulative-layout-shift"]["score"] == 1, audits["cumulative-layout-shift"]["displayValue"]
    assert audits["total-byte-weight"]["numericValue"] <= MAX_BYTES, audits["total-byte-weight"]["displayValue"]
    assert audits["dom-size"]["numericValue"] <= MAX_ELEMENTS
