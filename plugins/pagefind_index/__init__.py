"""pagefind_index: build the on-site search index with Pagefind after the pages are written.

One index for the whole site; Pagefind splits it by each page's <html lang>, and
the search page loads the part in its own language.

Pagefind reads every page again (about 3 ms a page), so the index is not rebuilt
when no page changed: tools/build.py sets PAGEFIND_INDEX, a dict: "previous", the
output folder the new site will replace, and "stamp", a file in the cache folder, which
records a digest of the pages the index in that folder was made from and the size
and time of change of each of its files. When the new pages have the same digest,
and the files are still as recorded, they are linked into the new site instead of
running Pagefind: the same bytes Pagefind would write.

The stamp is not one of plugins/site_cache's kept files (signed by tools/build.py,
read only in a keyed build): it describes files in an output folder rather than
holding a result, it is checked against those files before anything is reused, and
the devserver's `--search-index` process rewrites it after the build has signed the
cache folder. It is written whole or not at all (site_cache.write_atomically).

With "later" (the devserver's builds), Pagefind is not run at all: the
previous index is carried over as it is, possibly behind the pages, and the
devserver brings it up to date after the new pages are on screen (index_later).
"""

import hashlib
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

from pelican import signals

import plugin_settings
import site_cache

log = logging.getLogger(__name__)

# Pagefind's ready-made interfaces; the theme uses its own, on pagefind.js.
UNUSED = ["pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*",
          "pagefind-highlight.js"]
BUNDLE = "pagefind"
# PAGEFIND_INDEX, set by tools/build.py: none of them, Pagefind runs every time.
OPTIONS = {"previous": "", "stamp": "", "later": False}


def pages_digest(site):
    """A digest of what Pagefind reads: every HTML page (its path and bytes) outside
    the index, and what makes the index of them (Pagefind's version, this code)."""
    from importlib.metadata import version

    site = Path(site)
    digest = hashlib.sha256()
    digest.update(version("pagefind_bin").encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if relative.parts[0] == BUNDLE:
            continue
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_stamps(bundle):
    """Each file of the index: [size, time of change in ns] (a linked file keeps both)."""
    bundle = Path(bundle)
    return {path.relative_to(bundle).as_posix(): stamp_of(path)
            for path in sorted(bundle.rglob("*")) if path.is_file()}


def stamp_of(path):
    status = os.stat(path)
    return [status.st_size, status.st_mtime_ns]


def run_pagefind(site, bundle):
    """Index site into the folder bundle; returns Pagefind's complaint, or None."""
    import pagefind_bin  # its program itself: `python -m pagefind_bin` would start Python first

    result = subprocess.run(
        [str(pagefind_bin.get_executable()), "--site", str(site), "--output-path",
         str(bundle), "--silent"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        return result.stderr or result.stdout or f"Pagefind exited with {result.returncode}"
    for pattern in UNUSED:
        for file in Path(bundle).glob(pattern):
            file.unlink()
    # Pagefind lists the languages in a random order: sort them, so that two builds
    # of the same content are the same, byte for byte.
    entry = Path(bundle) / "pagefind-entry.json"
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["languages"] = dict(sorted(data["languages"].items()))
    entry.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return None


def read_stamp(stamp):
    try:
        return json.loads(Path(stamp).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_stamp(stamp, pages, bundle):
    record = {"pages": pages, "files": file_stamps(bundle)}
    site_cache.write_atomically(stamp, json.dumps(record).encode())


def usable_index(previous, stamp):
    """The stamp, if previous/pagefind still holds the files it records; else None."""
    recorded = read_stamp(stamp) if stamp else None
    if not previous or not recorded or not isinstance(recorded.get("files"), dict):
        return None
    bundle = Path(previous) / BUNDLE
    files = recorded["files"]
    try:
        for name, recorded_stamp in files.items():
            if stamp_of(bundle / name) != recorded_stamp:
                return None
    except OSError:
        return None
    return recorded if files else None


def carry_over(recorded, previous, site):
    """Link (or copy) the recorded index files of previous into site/pagefind."""
    source, target = Path(previous) / BUNDLE, Path(site) / BUNDLE
    for folder in sorted({(target / name).parent for name in recorded["files"]}):
        folder.mkdir(parents=True, exist_ok=True)  # once each: a thousand files share two
    for name in recorded["files"]:
        try:
            os.link(source / name, target / name)
        except OSError:
            shutil.copy2(source / name, target / name)


def on_finalized(pelican):
    settings = pelican.settings
    if settings.get("LANGUAGE_SUBSITE"):
        return  # a language's sub-site: the main site indexes every language at its end
    output = settings["OUTPUT_PATH"]
    options = plugin_settings.read(settings, "PAGEFIND_INDEX", OPTIONS)
    previous, stamp = options["previous"], options["stamp"]
    recorded = usable_index(previous, stamp)
    if options["later"]:
        if recorded:
            carry_over(recorded, previous, output)
        return
    pages = pages_digest(output)
    if recorded and recorded.get("pages") == pages:
        carry_over(recorded, previous, output)
        return
    problem = run_pagefind(output, Path(output) / BUNDLE)
    if problem:
        log.error("pagefind_index: the search index could not be built:\n%s", problem)
        return
    if stamp:
        write_stamp(stamp, pages, Path(output) / BUNDLE)


def index_later(output, stamp, lock):
    """Bring output/pagefind up to date with the pages in output (the devserver, after a
    build with PAGEFIND_INDEX["later"]). lock() holds the output folder while the new index is
    put in; if the pages changed meanwhile (a newer build), the index made is dropped.
    Returns True when the index in output is up to date."""
    output = Path(output)
    pages = pages_digest(output)
    recorded = usable_index(output, stamp)
    if recorded and recorded.get("pages") == pages:
        return True
    fresh = output.with_name(f".{output.name}-search-new")
    shutil.rmtree(fresh, ignore_errors=True)
    try:
        problem = run_pagefind(output, fresh)
        if problem:
            log.error("pagefind_index: the search index could not be built:\n%s", problem)
            return False
        with lock():
            if pages_digest(output) != pages:
                return False
            old = output.with_name(f".{output.name}-search-old")
            shutil.rmtree(old, ignore_errors=True)
            if (output / BUNDLE).exists():
                (output / BUNDLE).rename(old)
            fresh.rename(output / BUNDLE)
            write_stamp(stamp, pages, output / BUNDLE)
            shutil.rmtree(old, ignore_errors=True)
        return True
    finally:
        shutil.rmtree(fresh, ignore_errors=True)


def register():
    signals.finalized.connect(on_finalized)
