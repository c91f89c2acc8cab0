"""pagefind_index: build the on-site search index with Pagefind after the pages are written.

One index for the whole site; Pagefind splits it by each page's <html lang>, and
the search page loads the part in its own language.
"""

import json
import logging
import subprocess
import sys
from pathlib import Path

from pelican import signals

log = logging.getLogger(__name__)

# Pagefind's ready-made interfaces; the theme uses its own, on pagefind.js.
UNUSED = ["pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
          "pagefind-highlight.js"]


def on_finalized(pelican):
    settings = pelican.settings
    if settings["DEFAULT_LANG"] in settings.get("I18N_SUBSITES", {}):
        return  # a language's sub-site: the main site indexes every language at its end
    output = settings["OUTPUT_PATH"]
    result = subprocess.run(
        [sys.executable, "-m", "pagefind_bin", "--site", output, "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        log.error("pagefind_index: the search index could not be built:\n%s",
                  result.stderr or result.stdout)
        return
    for pattern in UNUSED:
        for file in (Path(output) / "pagefind").glob(pattern):
            file.unlink()
    # Pagefind lists the languages in a random order: sort them, so that two builds
    # of the same content are the same, byte for byte.
    entry = Path(output) / "pagefind" / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def register():
    signals.finalized.connect(on_finalized)
