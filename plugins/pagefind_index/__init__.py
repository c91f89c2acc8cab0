"""pagefind_index: build the on-site search index with Pagefind after the pages are written."""

import logging
import subprocess
import sys

from pelican import signals

log = logging.getLogger(__name__)


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


def register():
    signals.finalized.connect(on_finalized)
