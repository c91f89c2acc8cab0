"""pagefind_index: build the on-site search index with Pagefind after the pages are written."""

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
    output = pelican.settings["OUTPUT_PATH"]
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


def register():
    signals.finalized.connect(on_finalized)
