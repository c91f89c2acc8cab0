"""A site whose build meets a plugin that fails at its start (plugins/boom): the
project's settings, plus that plugin. tests/test_build.py: one line per error.

BOOM says how the plugin fails: "warn" (a warning, then an exception the plugin has
reported itself), or "raise" (an unexpected exception): -e BOOM='"raise"'.
"""

import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here.parents[2]))  # the project, for pelicanconf.py
from pelicanconf import *  # noqa: E402,F403

# Relative paths would be read from this folder: the project's, in full.
PATH = str(HERE / "content")  # noqa: F405
THEME = str(HERE / "theme")  # noqa: F405
PLUGIN_PATHS = [str(HERE / "plugins"), str(here / "plugins")]  # noqa: F405
PLUGINS = [*PLUGINS, "boom"]  # noqa: F405
BOOM = "warn"
