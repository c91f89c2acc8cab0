"""The cache folder: its key (what every cached result depends on), the HMAC that
makes its files trusted (only the last build of this checkout, for the same key,
signs them), and the removal of what a failed build may have left half-written.
"""

import os
import re
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A per-checkout secret, outside the cache folder (git-ignores it): the cache files
# are trusted only with a keyed hash (HMAC) of this secret. A cache folder written
# by anyone else (copied in, restored by CI, crafted) is thrown away, never read:
# Pelican's cache is pickle, the compiled templates are code.
SECRET = ROOT / ".cache-secret"
TRUSTED = "trusted.json"  # in the cache folder: the key and each file's HMAC
# The files signed (and removed when not signed): Pelican's content cache (its names:
# plugins/pelican_internals) and every file in a `kept` folder, where plugins/site_cache
# keeps what the plugins keep (content_checks' results, Jinja's compiled templates), in
# this folder and in a language's (es/). Any other file is left alone and nothing reads
# it: plugins/pagefind_index's records (search-index-*.json) are not trusted for
# safety, it checks the index they describe against the output folder's own files.
KEPT_FOLDER = "kept"  # site_cache.KEPT_FOLDER


def cache_key(settings, settings_file):
    """What every cached result depends on besides its own file: the settings (where
    the output goes aside), the settings files, every plugin's code, Python and the
    installed packages' versions. Another key: the cache folder starts empty (Pelican's
    own cache is keyed on file times only, the compiled templates on each template)."""
    import hashlib

    def stable(value):  # functions by name: their repr holds an address
        if callable(value):
            return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', value)}"
        if isinstance(value, (set, frozenset)):
            return sorted(map(repr, value))
        return re.sub(r" at 0x[0-9a-f]+", "", repr(value))

    import json

    digest = hashlib.sha256(sys.version.encode())
    shown_settings = {k: v for k, v in settings.items() if k not in ("OUTPUT_PATH", "CACHE_PATH")}
    digest.update(json.dumps(shown_settings, sort_keys=True, default=stable).encode())
    folders = [Path(settings_file).resolve().parent, ROOT]
    files = [path for folder in dict.fromkeys(folders) for path in sorted(folder.glob("*.py"))]
    for folder in settings.get("PLUGIN_PATHS") or []:
        files += sorted(Path(settings_file).resolve().parent.joinpath(folder).rglob("*.py"))
    for path in files:
        digest.update(str(path).encode() + b"\0" + path.read_bytes())
    for name in ("purelib", "platlib"):  # Pelican, Markdown, Jinja... by their versions
        folder = Path(sysconfig.get_path(name))
        if folder.is_dir():
            digest.update(" ".join(sorted(p for p in os.listdir(folder)
                                          if p.endswith(".dist-info"))).encode())
    return digest.hexdigest()


def secret():
    """This checkout's secret, made the first time (32 random bytes); None if it cannot be."""
    try:
        return bytes.fromhex(SECRET.read_text().strip()) or None
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        return None
    temporary = SECRET.with_name(f"{SECRET.name}.{os.getpid()}")
    try:
        temporary.write_text(os.urandom(32).hex())
        temporary.chmod(0o600)
        os.link(temporary, SECRET)  # fails if another build made it first: use that one
    except FileExistsError:
        pass
    except OSError:
        return None
    finally:
        temporary.unlink(missing_ok=True)
    return secret()


def signature(key, data):
    import hmac

    return hmac.new(key, data, "sha256").hexdigest()


def cache_files(cache):
    from pelican_internals import is_content_cache_file

    return {path.relative_to(cache).as_posix(): path for path in sorted(cache.rglob("*"))
            if (path.is_file() or path.is_symlink())
            and (is_content_cache_file(path.name)
                 or KEPT_FOLDER in path.relative_to(cache).parts[:-1])}


def trust_cache(cache, key):
    """Remove every file of the cache folder that the last build here did not sign,
    or signed for another key (settings, plugins, versions)."""
    import json

    secret_key = secret()
    try:
        saved = json.loads((cache / TRUSTED).read_text(encoding="utf-8"))
        body = json.dumps({"key": saved["key"], "files": saved["files"]}, sort_keys=True)
        trusted = saved["files"] if (
            secret_key and saved["key"] == key
            and saved["mac"] == signature(secret_key, body.encode())) else {}
    except (OSError, ValueError, KeyError, TypeError):
        trusted = {}
    for name, path in cache_files(cache).items() if cache.is_dir() else ():
        if (not secret_key or path.is_symlink()
                or trusted.get(name) != signature(secret_key, path.read_bytes())):
            path.unlink()


def sign_cache(cache, key):
    """After a build that went through: sign what is in the cache folder."""
    import json

    from site_cache import write_atomically

    secret_key = secret()
    if not secret_key or not cache.is_dir():
        return
    files = {name: signature(secret_key, path.read_bytes())
             for name, path in cache_files(cache).items() if not path.is_symlink()}
    body = json.dumps({"key": key, "files": files}, sort_keys=True)
    write_atomically(cache / TRUSTED, json.dumps(
        {"key": key, "files": files, "mac": signature(secret_key, body.encode())}).encode())


def search_stamp(output, cache):
    """Where plugins/pagefind_index records what the index in output was made from: in
    the content cache folder, one file per output folder."""
    import hashlib

    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(output).encode()).hexdigest()[:12]
    return cache / f"search-index-{output.name}-{key}.json"


def forget_failed_build(cache, key):
    """After a build that failed: remove what it wrote to the cache folder (nothing it
    wrote is signed, so trust_cache removes it; what the last good build signed
    stays), and the folders left empty."""
    if not cache.is_dir():
        return
    trust_cache(cache, key)
    for path in sorted(cache.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            try:
                path.rmdir()
            except OSError:
                pass
    try:
        cache.rmdir()
    except OSError:
        pass
