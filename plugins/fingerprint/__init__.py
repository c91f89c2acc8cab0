"""fingerprint: name theme CSS and JS after their contents, so they can be cached for a year.

Templates write `{{ 'css/site.css'|asset }}` and get `theme/css/site.1a2b3c4d.css`
(a language's sub-site, whose THEME_STATIC_DIR is `../theme`, gets that).
"""

import hashlib
from pathlib import Path

from jinja2 import pass_context
from pelican import signals

names = {}  # "css/site.css" -> "css/site.1a2b3c4d.css"


def fingerprinted(relative, data):
    stem, dot, suffix = relative.rpartition(".")
    return f"{stem}.{hashlib.sha256(data).hexdigest()[:8]}{dot}{suffix}"


@pass_context
def asset(context, relative):
    """The Jinja filter: the fingerprinted path of a theme file."""
    return f"{context['THEME_STATIC_DIR']}/{names[relative]}"


def on_initialized(pelican):
    settings = pelican.settings
    static = Path(settings["THEME"]) / "static"
    names.clear()
    for file in sorted(static.rglob("*")):
        if file.suffix in {".css", ".js"}:
            relative = file.relative_to(static).as_posix()
            name = fingerprinted(relative, file.read_bytes())
            names[relative] = name
    settings.setdefault("JINJA_FILTERS", {})["asset"] = asset


def on_finalized(pelican):
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE"):
        return  # it uses the main site's theme files
    theme_out = Path(settings["OUTPUT_PATH"]) / settings["THEME_STATIC_DIR"]
    for relative, name in names.items():
        (theme_out / relative).rename(theme_out / name)


def register():
    signals.initialized.connect(on_initialized)
    signals.finalized.connect(on_finalized)
