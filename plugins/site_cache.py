"""The one way our plugins keep a result from one build to the next.

Not a plugin: a module the plugins import (tools/build.py puts plugins/ on sys.path).

The policy, for every file kept here:

- It lives in the cache folder (CACHE_PATH). It is read only when LOAD_CONTENT_CACHE
  is on and written only when CACHE_CONTENT is on, as Pelican's own content cache.
- It is read only in a build whose cache folder is keyed: tools/build.py works out a
  key from everything a kept result may depend on besides its own input (the
  settings, the settings files, every plugin's code, Python, the installed
  packages' versions), empties the folder when the key changes, and signs each
  kept file so that a file it did not write is deleted before Pelican starts. It
  tells the plugins by setting CACHE_KEY; a build without it reads nothing kept
  and writes nothing. (Plain `pelican` cannot load our plugins at all: they
  import this module, which only tools/build.py puts on the path.)
- So a file needs only its own key inside it: a digest of the input it was made
  from (a page's bytes, a template's source), made with `digest()`.
- It is written whole or not at all: to a temporary file, then renamed.
- Clearing: `make clean` deletes the whole folder; so does a new key.

Everything kept is in the cache folder's `kept/` folder (path_of): tools/cache_folder.py
signs every file there, whatever its name, so a new kept file needs nothing more; a
file elsewhere is never read by this module.
"""

import hashlib
import json
import os
from pathlib import Path

KEY = "CACHE_KEY"  # set by tools/build.py once it has keyed the cache folder


def digest(*parts):
    """A hex digest of the parts (bytes, or anything with a str()), kept apart by their lengths."""
    hashed = hashlib.sha256()
    for part in parts:
        part = part if isinstance(part, bytes) else str(part).encode()
        hashed.update(len(part).to_bytes(8, "big") + part)
    return hashed.hexdigest()


KEPT_FOLDER = "kept"  # in CACHE_PATH: tools/cache_folder.py signs every file in it


def path_of(settings, name):
    return Path(settings["CACHE_PATH"]) / KEPT_FOLDER / name


def reads(settings):
    return bool(settings.get(KEY)) and bool(settings.get("LOAD_CONTENT_CACHE"))


def writes(settings):
    return bool(settings.get(KEY)) and bool(settings.get("CACHE_CONTENT"))


def load_bytes(settings, name):
    """The file's bytes, or None: none kept, not readable, or not to be read."""
    if not reads(settings):
        return None
    try:
        return path_of(settings, name).read_bytes()
    except OSError:
        return None


def save_bytes(settings, name, data):
    if writes(settings):
        write_atomically(path_of(settings, name), data)


def write_atomically(path, data):
    """Write data (bytes) to path whole or not at all: a reader sees the old file or the new."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def load_json(settings, name):
    """The value kept as JSON, or None."""
    data = load_bytes(settings, name)
    try:
        return json.loads(data) if data is not None else None
    except ValueError:
        return None


def save_json(settings, name, value):
    save_bytes(settings, name, json.dumps(value, sort_keys=True).encode())
