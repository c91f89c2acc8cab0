"""hosting_headers: write `_headers` (Netlify, Cloudflare Pages) into the production build.

The header values live in deploy/hosting.py, which also generates the nginx
server block, so every host gets the same ones. The file is written last (on
pelican-granular-signals' "deploy" signal), after Pagefind and the theme's
fingerprinted names, because it lists content-named files by name.
"""

import importlib.util
import logging
from pathlib import Path

import blinker
import pelican.plugins.granular_signals

log = logging.getLogger(__name__)

HOSTING = Path(__file__).resolve().parents[2] / "deploy" / "hosting.py"


def load_hosting():
    """deploy/hosting.py as a module (deploy/ is not a package on the path)."""
    spec = importlib.util.spec_from_file_location("kyphoplasty_hosting", HOSTING)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def write_headers(pelican):
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE"):
        return  # a language's sub-site: one file at the top serves every language
    output = Path(settings["OUTPUT_PATH"])
    (output / "_headers").write_text(load_hosting().headers_file(output), encoding="utf-8")
    log.info("hosting_headers: wrote _headers")


def register():
    pelican.plugins.granular_signals.register()
    blinker.signal("deploy").connect(write_headers)
