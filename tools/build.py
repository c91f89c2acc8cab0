"""Build the site as `pelican` does, but safely: swap the new site in only on success.

Takes Pelican's own options (`pelican --help`), so pelican-quickstart's
Makefile usages work: -s settings, -o output, the content folder as the first
argument, -e KEY=VALUE (JSON values), -t theme, --relative-urls, --cache-path,
--ignore-cache, -v, -q, -D (debug: full messages and tracebacks), -l (serve),
-r (rebuild on change), -p port, -b address. The differences from `pelican`:

- The site is built into a staging folder next to the output folder and swapped
  in only when nothing went wrong: every warning and error is collected, each
  printed as one PROBLEM line, and the site already in the output folder is then
  left exactly as it was (so -d is always in effect, and --fatal is not needed).
  The site replaced is kept as .OUTPUT-spare, which the next build empties and
  builds into.
- Two builds into the same output folder or content cache never run at once:
  the second one says so and waits.
- An unexpected failure is one line naming where it happened; -D (make DEBUG=1)
  prints the error's own text and the traceback.

    python tools/build.py                          # development build into output/
    python tools/build.py -s publishconf.py        # production build
    python tools/build.py some/content -o out      # other folders (used by tests)
    python tools/build.py -lr -p 8001              # preview: rebuild on save, serve
"""

import argparse
import fcntl
import logging
import os
import re
import shutil
import signal
import sys
import sysconfig
import tempfile
import time
import traceback
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
DETAILS = "Run it again with DEBUG=1 (make html DEBUG=1, or -D) for the details."

OUR_OPTIONS = """\
tools/build.py takes Pelican's options (below), and also:
  -c, --content PATH   the content folder (the same as Pelican's first argument)
  --cache PATH         the content cache folder (the same as --cache-path)
  --every-notice       list every notice (a long list is otherwise counted, and written
                       to .OUTPUT-notes.txt beside the output folder); -v does it too
Warnings stop the build and the site in the output folder is then kept as it was.
"""


# Options -------------------------------------------------------------------------

def parse(argv):
    """(Pelican's options, whether -l/-r are to be ignored), or raise SystemExit."""
    ours = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    ours.add_argument("-c", "--content")
    ours.add_argument("--cache")
    ours.add_argument("--once", action="store_true")  # the preview's own builds
    ours.add_argument("--clean", action="store_true")  # make clean: delete the output folder
    ours.add_argument("--every-notice", action="store_true")  # V=1: list every notice, not counts
    # The preview's: build without running Pagefind (the last index is kept), and
    # bring the index of the output folder up to date (devserver.py).
    ours.add_argument("--search-later", action="store_true")
    ours.add_argument("--search-index", action="store_true")
    # The preview's worker (preview.py): build, then update the pages on each save.
    ours.add_argument("--preview-worker", type=int, metavar="REPLY_FD")
    known, rest = ours.parse_known_args(argv)
    if "-h" in rest or "--help" in rest:
        print(OUR_OPTIONS)
    from pelican import parse_arguments

    try:
        args = parse_arguments(rest)
    except ValueError:  # -e with a malformed pair: Pelican raises instead of reporting
        sys.exit(f"PROBLEM  -e takes SETTING=VALUE pairs, VALUE in JSON ({bad_extra(rest)}):"
                 " -e SITEURL='\"https://example.org\"' RELATIVE_URLS=true FEED_ALL_ATOM=null")
    if known.content:
        args.path = known.content
    if known.cache:
        args.cache_path = str(Path(known.cache).resolve())
    if args.settings is None:
        args.settings = str(ROOT / "pelicanconf.py")
    args.search_later, args.search_index = known.search_later, known.search_index
    args.preview_worker = known.preview_worker
    args.preview = known.once or known.preview_worker is not None  # the preview's own builds
    args.clean = known.clean
    args.every_notice = known.every_notice
    return args, known.once


def bad_extra(argv):
    """The first -e value that is not SETTING=<JSON>, as the editor typed it."""
    import json

    taking = False
    for item in argv:
        if item in ("-e", "--extra-settings"):
            taking = True
        elif item.startswith("-"):
            taking = False
        elif taking:
            name, equals, value = item.partition("=")
            try:
                json.loads(value)
            except ValueError:
                return f"`{item}`: the value is not JSON" if equals else f"`{item}` has no ="
    return "see the examples"


# Messages ------------------------------------------------------------------------

def where(error):
    """Where an exception happened, as `file:line`: the last place in code that is not
    Python's or an installed package's (a plugin, a template, the settings), else the last."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if isinstance(filename, str) and line and Path(filename).is_file():  # SyntaxError, Jinja
        return f"{shown(filename)}:{line}"
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        if is_ours(frame.filename):
            return f"{shown(frame.filename)}:{frame.lineno}"
    if frames:
        return f"{shown(frames[-1].filename)}:{frames[-1].lineno}"
    return None


def is_ours(filename):
    """A file of the site (or of the settings' own folder), not of Python or a package."""
    path = Path(filename)
    if not path.is_absolute() or not path.is_file():
        return False
    if path.parent == Path(__file__).resolve().parent:  # this build itself
        return False
    libraries = {Path(sysconfig.get_path(name)).resolve()
                 for name in ("stdlib", "platstdlib", "purelib", "platlib")
                 if sysconfig.get_path(name)}
    return not any(folder in path.resolve().parents for folder in libraries)


def shown(filename):
    """A file name as short as it can be: relative to the site, or to site-packages."""
    path = Path(filename)
    if ROOT in path.parents and is_ours(path):
        return path.relative_to(ROOT).as_posix()
    parts = path.parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1:])
    return str(filename)


def unexpected(error, what):
    """One line for an exception nobody reported: what failed, where, and what to do."""
    place = where(error)
    return (f"{what} failed{f' ({place})' if place else ''}: an unexpected"
            f" {type(error).__name__}. {DETAILS}")


class Collector(logging.Handler):
    """Prints each message on one line and keeps warnings, errors and notices.

    Warnings and errors are the problems that stop the build. Unless debugging,
    an exception's own text and its traceback are left out of every message:
    the line says where it happened and how to see the details.
    """

    def __init__(self, verbosity):
        super().__init__(logging.DEBUG)
        self.debug = verbosity == logging.DEBUG
        self.shown_level = verbosity or logging.WARNING
        self.problems = []
        self.notices = []

    def plain(self, record):
        if self.debug:
            return record.getMessage()
        args = record.args
        if isinstance(args, tuple) and any(isinstance(a, BaseException) for a in args):
            record = logging.makeLogRecord(record.__dict__)
            record.args = tuple(f"an unexpected {type(a).__name__}"
                                if isinstance(a, BaseException) else a for a in args)
        lines = [line.strip() for line in record.getMessage().splitlines() if line.strip()]
        message = (lines[0] if lines else "").rstrip(":")
        error = record.exc_info[1] if record.exc_info else None
        if error is not None:
            place = where(error)
            message += (f" (an unexpected {type(error).__name__}"
                        f"{f' in {place}' if place else ''})")
        if error is not None or len(lines) > 1:
            message += f". {DETAILS}"
        return message

    def emit(self, record):
        notice = getattr(record, "notice", None)
        if record.levelno < min(logging.WARNING, self.shown_level) and not notice:
            return  # not shown nor kept ("Writing ...", about 2,400 in a build of 1,000 articles)
        message = self.plain(record)
        if record.levelno >= logging.WARNING:
            if message in self.problems and not self.debug:  # each language's site: once
                return
            self.problems.append(message)
            print(f"PROBLEM  {message}", file=sys.stderr, flush=True)
            if self.debug and record.exc_info:
                traceback.print_exception(*record.exc_info, file=sys.stderr)
        elif notice:  # the heading of its list
            self.notices.append((notice, message))
        else:
            print(f"         {message}", flush=True)


@contextmanager
def collecting(verbosity):
    """Route every log message to a Collector for the build, and restore logging after."""
    from pelican_internals import forget_logged_warnings

    # Pelican drops a warning it has seen before in the same process: a second
    # build in one process would pass over a problem the first one reported.
    forget_logged_warnings()
    collector = Collector(verbosity)
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers[:] = [collector]
    root.setLevel(logging.DEBUG if collector.debug else logging.INFO)
    try:
        yield collector
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)


# Locks ---------------------------------------------------------------------------

@contextmanager
def locked(paths, say):
    """Hold an exclusive lock for each folder (a `.<name>-lock` file beside it).

    A second build of the same output folder or content cache waits here, after
    saying which process holds it (written in the lock file). The lock is the
    kernel's (flock): it goes when its process ends, however it ends, so a killed
    or stuck build never keeps it. The lock file is removed on release; a waiter
    that then holds a removed file's lock tries again.

    Why not the `filelock` package: it is not installed (requirements.txt would
    grow by one package for some 30 lines), its Unix lock is this same flock,
    and it does not say who holds a lock, which the waiting editor is told here;
    nor has it the shared lock previewing() takes.
    """
    held = []
    try:
        for path in sorted(set(paths)):
            lock_file = path.with_name(f".{path.name}-lock")
            lock_file.parent.mkdir(parents=True, exist_ok=True)
            waited = False
            while True:
                fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not waited:
                        say(f"Another build ({holder(lock_file)}) is using {path}/; waiting"
                            " for it to finish. Stop it with Ctrl+C, or `kill` that process"
                            " if it is stuck: its lock goes with it.")
                        waited = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                try:
                    same = os.stat(lock_file).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
                if same:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()} {' '.join(sys.argv)}"[:500].encode())
                    held.append((lock_file, fd))
                    break
                os.close(fd)  # the holder removed it as we waited: lock the new one
        yield
    finally:
        for lock_file, fd in reversed(held):
            lock_file.unlink(missing_ok=True)
            os.close(fd)


def holder(lock_file):
    """The process holding a lock, as written in its file: `process 123: tools/build.py ...`."""
    try:
        pid, _, command = lock_file.read_text(errors="replace").partition(" ")
    except OSError:
        pid = command = ""
    return f"process {pid}: {shown(command)}" if pid.isdigit() else "process unknown"


# Output folder -------------------------------------------------------------------

# Inside a folder the build made (a staging folder, the spare): only such a folder
# is ever emptied or deleted. The output folder itself carries no mark (it is the
# site): its identity (device, inode) is recorded beside it, in `.NAME-made`.
MARK = ".made-by-tools-build"


def refused_output(output, settings, settings_file, name="OUTPUTDIR"):
    """Why output may not be the output folder (it would replace or delete the
    project's own files), or None. The same for the cache folder (name: the option)."""
    project = settings_file.resolve().parent
    kept = {project: "the project folder", ROOT: "the project folder"}
    plugins = [(folder, "a plugins folder") for folder in settings.get("PLUGIN_PATHS") or []]
    for path, what in [(settings.get("PATH"), "the content folder"),
                       (settings.get("THEME"), "the theme folder"),
                       (ROOT / "tools", "the tools folder"), *plugins]:
        if path:
            kept.setdefault(project.joinpath(path).resolve(), what)
    if output == Path(output.anchor) or output == Path.home().resolve():
        return f"{name}={output} is {'/' if output == Path(output.anchor) else 'the home folder'}"
    for path, what in kept.items():
        if output == path or path.is_relative_to(output):
            return f"{name}={output} is or holds {what} ({path})"
        if output.is_relative_to(path) and what != "the project folder":
            return f"{name}={output} is inside {what} ({path})"
    return None


def identity(path):
    try:
        info = path.stat(follow_symlinks=False)
    except OSError:
        return None
    return f"{info.st_dev}:{info.st_ino}"


def made_record(output):
    return output.with_name(f".{output.name}-made")


def made_by_build(folder):
    return folder.is_dir() and not folder.is_symlink() and (folder / MARK).is_file()


def foreign_spare(output):
    """The spare folder, when one is there that the build did not make."""
    spare = spare_folder(output)
    if (spare.exists() or spare.is_symlink()) and not made_by_build(spare):
        return spare
    return None


# The preview and the live site ---------------------------------------------------

def preview_lock(output):
    return output.with_name(f".{output.name}-preview")


@contextmanager
def previewing(output):
    """Held (shared) by a preview (make devserver, make regenerate) for as long as it
    runs: it rebuilds and rewrites pages of output/ at any time. Waits for a live
    build (make publish) of the same folder to finish first."""
    output.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(preview_lock(output), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"A live build (make publish) is using {output}/; the preview starts when"
                  " it is done.", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def hold_against_previews(output):
    """For a live build: a lock no preview of output can take while it is held, or
    None when a preview runs (its next save would mix preview pages into the live
    site, without their .gz and .br copies)."""
    fd = os.open(preview_lock(output), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


# The build -----------------------------------------------------------------------

def load_settings(args):
    """Pelican's settings for these options; the output folder is left as given."""
    from pelican import get_config
    from pelican.settings import read_settings

    settings_file = Path(args.settings)
    if not settings_file.is_file():
        raise SettingsMissing(settings_file)
    try:
        settings = read_settings(str(settings_file), override=get_config(args))
    except Exception as error:  # a typing mistake in the settings: one line, not Python's words
        raise SettingsMistake(settings_mistake(error, settings_file)) from error
    wrong = wrong_setting_type(settings, settings_file)
    if wrong:
        raise SettingsMistake(wrong)
    # Pelican's defaults, "output" and "cache", are relative: read them from the settings' folder.
    for name in ("OUTPUT_PATH", "CACHE_PATH"):
        settings[name] = str(settings_file.resolve().parent / settings[name])
    return settings


class SettingsMissing(Exception):
    def __init__(self, path):
        super().__init__(path)
        self.message = f"The settings file {path} does not exist. Give one with -s (CONFFILE=)."


class SettingsMistake(SettingsMissing):
    """A settings file that Python cannot read: message is one line naming the file,
    the line and the likely fix."""

    def __init__(self, message):
        Exception.__init__(self, message)
        self.message = message


# What Python says about a typing mistake, and the likely fix in plain words.
SYNTAX_FIXES = [
    (re.compile(r"unterminated triple-quoted string"),
     'a text that starts with three quotes (""") is missing its closing three quotes'),
    (re.compile(r"unterminated string literal"), "a text is missing its closing quote ({quote})"),
    (re.compile(r"'(.)' was never closed"), "a `{0}` opened here is never closed: add its `{1}`"),
    (re.compile(r"unmatched '(.)'"), "a `{0}` here has no `{1}` before it: remove it or add one"),
    (re.compile(r"closing parenthesis '(.)' does not match opening parenthesis '(.)'"),
     "a `{1}` is closed with `{0}`: close it with the matching bracket"),
    (re.compile(r"unexpected indent"),
     "this line starts with spaces: a setting starts at the left edge"),
    (re.compile(r"unindent|expected an indented block"),
     "the spaces at the start of this line do not match the lines around it"),
]
PAIRS = {"(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{"}
GENERAL_FIX = ("this line is not valid Python: check its quotes (\"), commas and brackets,"
               " or undo your last change")
# The settings an editor changes, with the kind of value each takes.
SETTING_TYPES = {
    "SITENAME": (str, 'a text in quotes, e.g. SITENAME = "Kyphoplasty at ..."'),
    "PHONE_DISPLAY": (str, 'a text in quotes, e.g. PHONE_DISPLAY = "858-677-9957"'),
    "PHONE_TEL": (str, 'a text in quotes, e.g. PHONE_TEL = "+18586779957"'),
    "VIDEO_ID": (str, 'a text in quotes, e.g. VIDEO_ID = "dQw4w9WgXcQ" (or "" for none)'),
    "VIDEO_CHANNEL_URL": (str, "a text in quotes, e.g."
                                ' VIDEO_CHANNEL_URL = "https://www.youtube.com/@name"'),
    "SITEURL": (str, 'a text in quotes, e.g. SITEURL = "https://kyphoplasty.example.org"'),
    "LANGUAGE_HELP": (dict, "one text per language, e.g."
                            ' LANGUAGE_HELP = {"en": "", "es": "Hablamos español."}'),
}


def settings_mistake(error, settings_file):
    """One line for an error raised while reading a settings file: the file, the line,
    and the likely fix (a closing quote, a comma, quotes around a text)."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        file, line = Path(error.filename), error.lineno
        message = error.msg or ""
        text = (error.text or "").rstrip("\n")
        quote = next((c for c in text[max((error.offset or 1) - 1, 0):] if c in "\"'"), '"')
        fix = comma_fix(file, error) or next(
            (template.format(*[*match.groups(), *(PAIRS.get(g, "") for g in match.groups())],
                             quote=quote)
             for pattern, template in SYNTAX_FIXES if (match := pattern.search(message))),
            GENERAL_FIX)
    else:
        frames = [frame for frame in traceback.extract_tb(error.__traceback__)
                  if is_ours(Path(frame.filename).resolve())]
        if not frames:  # Pelican's own check of a setting: its first line names it
            said = (str(error).splitlines() or [""])[0][:200]
            return (f"{settings_file.name}: the settings could not be read"
                    f" ({said or f'an unexpected {type(error).__name__}'}). {DETAILS}")
        file, line = Path(frames[-1].filename), frames[-1].lineno
        name = getattr(error, "name", None)
        if isinstance(error, NameError) and name:
            fix = (f"`{name}` is not a setting defined above: if it is a text, put it in"
                   f' quotes ("{name}"); otherwise check its spelling')
        else:
            fix = (f"Python could not work out this line (a {type(error).__name__}): check"
                   " the kind of value (a text in quotes, a number, a list in [ ])")
    return f"{file.name} line {line}: {fix}."


def comma_fix(file, error):
    """'a comma may be missing at the end of line N' when the line before the error
    ends a value and the error's line starts another, inside brackets."""
    message = error.msg or ""
    if "forgot a comma" in message and error.end_lineno and error.end_lineno > error.lineno:
        return f"a comma may be missing at the end of line {error.lineno}"
    if message != "invalid syntax":
        return None
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    text = lines[error.lineno - 1] if error.lineno <= len(lines) else ""
    before = next((number for number in range(error.lineno - 1, 0, -1)
                   if lines[number - 1].split("#")[0].strip()), None)
    if before is None or not text[:1].isspace():
        return "a comma may be missing between two values on this line" if (
            re.search(r"[\"'\w)\]}]\s+[\"'\w(\[{]", text)) and "=" in text else None
    previous = lines[before - 1].split("#")[0].rstrip()
    if previous.endswith(('"', "'", ")", "]", "}")) or previous[-1:].isalnum():
        return f"a comma may be missing at the end of line {before}"
    return None


def wrong_setting_type(settings, settings_file):
    """One line for an editor's setting of the wrong kind (a number without quotes,
    a text where a list of languages is needed), or None."""
    for name, (kind, example) in SETTING_TYPES.items():
        value = settings.get(name)
        if name not in settings or value is None and name == "SITEURL":
            continue
        if isinstance(value, kind) and (kind is not dict
                                        or all(isinstance(v, str) for v in value.values())):
            continue
        file, line = setting_line(settings_file, name)
        return f"{file.name}{f' line {line}' if line else ''}: {name} must be {example}."
    return None


def setting_line(settings_file, name):
    """The file and line where a setting is last given: the settings file, else the
    pelicanconf.py beside it (publishconf.py reads it)."""
    assignment = re.compile(rf"^{name}\s*=")
    settings_file = Path(settings_file)
    for file in dict.fromkeys([settings_file, settings_file.with_name("pelicanconf.py")]):
        try:
            lines = file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        found = [number for number, text in enumerate(lines, 1) if assignment.match(text)]
        if found:
            return file, found[-1]
    return Path(settings_file), None


def build(args, collector):
    """Build with Pelican into a staging folder; swap it in if nothing went wrong.

    Returns the output folder, or None when the settings could not be read."""
    try:
        settings = load_settings(args)
    except SettingsMissing as error:
        logging.error(error.message, exc_info=error.__cause__ if collector.debug else None)
        return None
    except Exception as error:
        logging.error(unexpected(error, "Reading the settings"),
                      exc_info=error if collector.debug else None)
        return None
    output = Path(settings["OUTPUT_PATH"]).resolve()
    cache = Path(settings["CACHE_PATH"]).resolve()
    key = cache_key(settings, args.settings)
    why = refused_output(output, settings, Path(args.settings))
    if why:
        logging.error(f"{why}: a build replaces its output folder, so it would replace"
                      " those files. Give a folder of its own, e.g. OUTPUTDIR=output.")
        return None
    why = refused_output(cache, settings, Path(args.settings), "--cache-path")
    if why:
        logging.error(f"{why}: a build removes files from its cache folder. Give a folder"
                      " of its own, e.g. --cache-path .cache/pelican.")
        return None
    spare = foreign_spare(output)
    if spare:
        logging.error(f"{spare}/ is where the build keeps the site it replaces, but this one"
                      " was not made by the build, so the build leaves it alone. Move it"
                      " away, or delete it if it holds nothing you need (make clean).")
        return None
    live = None
    if settings.get("PRODUCTION") and not getattr(args, "preview", False):
        output.parent.mkdir(parents=True, exist_ok=True)
        live = hold_against_previews(output)
        if live is None:
            logging.error(f"The preview (make devserver) is running on {output}/; stop it"
                          " with Ctrl+C first, then publish.")
            return None
    try:
        return build_into(args, collector, settings, output, cache, key)
    finally:
        if live is not None:
            os.close(live)


def build_into(args, collector, settings, output, cache, key):
    """The build itself, one at a time for each output and cache folder."""
    say = lambda text: print(text, file=sys.stderr, flush=True)  # noqa: E731
    with locked([output, cache], say):
        output.parent.mkdir(parents=True, exist_ok=True)
        for leftover in output.parent.glob(f".{output.name}-new-*"):  # from a killed build
            if made_by_build(leftover):
                shutil.rmtree(leftover, ignore_errors=True)
        trust_cache(cache, key)
        settings["CACHE_KEY"] = key  # plugins/site_cache: the folder is keyed, its files may be read
        staging = staging_folder(output)
        settings["OUTPUT_PATH"] = str(staging)
        settings["DELETE_OUTPUT_DIRECTORY"] = False  # staging starts empty
        # plugins/pagefind_index: the index of the site being replaced, reused when no
        # page changed; in the preview, carried over as it is and updated after.
        settings["PAGEFIND_INDEX"] = {"previous": str(output),
                                      "stamp": str(search_stamp(output, cache)),
                                      "later": bool(getattr(args, "search_later", False))}
        swapped = False
        try:
            try:
                from pelican import Pelican

                Pelican(settings).run()
            except Exception as error:  # a content error, a template error, or a bug
                if not getattr(error, "already_reported", False):
                    logging.error(unexpected(error, "The build"),
                                  exc_info=error if collector.debug else None)
            if not collector.problems:
                sign_cache(cache, key)
                (staging / MARK).unlink()
                if not settings.get("PRODUCTION"):
                    mark_preview(staging, args.settings)
                remove_empty_folders(staging)
                swap_in(staging, output)
                swapped = True
        finally:
            if not swapped:
                shutil.rmtree(staging, ignore_errors=True)
                forget_cache(cache)  # a failed build may leave a half-written cache
    return output


# The cache folder ----------------------------------------------------------------

# A per-checkout secret, outside the cache folder (git-ignores it): the cache files
# are trusted only with a keyed hash (HMAC) of this secret. A cache folder written
# by anyone else (copied in, restored by CI, crafted) is thrown away, never read:
# Pelican's cache is pickle, the compiled templates are code.
SECRET = ROOT / ".cache-secret"
TRUSTED = "trusted.json"  # in the cache folder: the key and each file's HMAC
# plugins/pagefind_index's records (search-index-*.json) are not signed: they are not
# trusted for safety, it checks the index they describe against the output folder's
# own files before reusing it.
# The files the build and its plugins keep there (Pelican's content cache, named in
# plugins/pelican_internals; Jinja's compiled templates for plugins/theme_filters,
# plugins/content_checks'; and of old, theme_filters' marshal file and
# plugins/sanitize's): only these are signed or removed; any other file in the folder
# is left alone (and nothing reads it).
KEPT_FILE = re.compile(r"^(__jinja2_[0-9a-f]+\.cache|content-checks-results\.json"
                       r"|compiled-templates\.marshal|sanitize-results\.json)$")


COMPILED_TEMPLATE = re.compile(r"^__jinja2_[0-9a-f]+\.cache$")  # theme_filters: Jinja's files


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
            and (is_content_cache_file(path.name) or KEPT_FILE.match(path.name))}


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

    secret_key = secret()
    if not secret_key or not cache.is_dir():
        return
    files = {name: signature(secret_key, path.read_bytes())
             for name, path in cache_files(cache).items() if not path.is_symlink()}
    body = json.dumps({"key": key, "files": files}, sort_keys=True)
    temporary = cache / f"{TRUSTED}.{os.getpid()}"
    temporary.write_text(json.dumps({"key": key, "files": files,
                                     "mac": signature(secret_key, body.encode())}))
    temporary.replace(cache / TRUSTED)


def search_stamp(output, cache):
    """Where plugins/pagefind_index records what the index in output was made from: in
    the content cache folder, one file per output folder."""
    import hashlib

    cache.mkdir(parents=True, exist_ok=True)
    key = hashlib.sha256(str(output).encode()).hexdigest()[:12]
    return cache / f"search-index-{output.name}-{key}.json"


def index_later(args):
    """Bring the search index of the output folder up to date (after --search-later)."""
    settings = load_settings(args)
    output = Path(settings["OUTPUT_PATH"]).resolve()
    cache = Path(settings["CACHE_PATH"]).resolve()
    if not output.is_dir():
        return 1
    # The devserver stops this when a newer save comes: clean up (and stop Pagefind).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    from pagefind_index import index_later as update  # plugins/ (plugins_importable)

    say = lambda text: None  # noqa: E731  (a build holds the folder: wait quietly)
    return 0 if update(output, search_stamp(output, cache), lambda: locked([output], say)) else 1


def forget_cache(cache):
    """Remove Pelican's content cache files and the templates Jinja compiled for
    theme_filters, also those of sub-sites (cache/es/), and the folders once empty;
    anything else in them is not ours to remove."""
    from pelican_internals import is_content_cache_file

    if not cache.is_dir():
        return
    for path in sorted(cache.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file() and (is_content_cache_file(path.name)
                               or COMPILED_TEMPLATE.match(path.name)):
            path.unlink()
        elif path.is_dir() and not path.is_symlink():
            try:
                path.rmdir()
            except OSError:
                pass
    try:
        cache.rmdir()
    except OSError:
        pass


def spare_folder(output):
    return output.with_name(f".{output.name}-spare")


def staging_folder(output):
    """An empty folder beside output to build into. The site replaced by the last
    build (the spare) is emptied of its files and used: its folders are already
    there, and making a thousand folders again costs about half a second."""
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    (staging / MARK).touch()
    spare = spare_folder(output)
    if not made_by_build(spare):
        return staging
    try:
        shutil.rmtree(staging)
        spare.rename(staging)
        for folder, folders, files in os.walk(staging):
            links = [name for name in folders if os.path.islink(os.path.join(folder, name))]
            for name in files + links:
                os.unlink(os.path.join(folder, name))
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(exist_ok=True)
    (staging / MARK).touch()
    return staging


# In a site built without PRODUCTION (make html, the preview): a file that says so, seen
# by anyone who opens the folder to upload it by hand; make rsync_upload and make github
# refuse a folder that has it. (Its relative links and drafts are not for the web.)
PREVIEW_MARK = "PREVIEW-BUILD-do-not-upload.txt"


def mark_preview(site, settings_file):
    (site / PREVIEW_MARK).write_text(
        f"This folder was built with {Path(settings_file).name} (make html, or the preview:"
        " make devserver). It is a preview: its links work only on this computer, and it"
        " shows drafts. Do not upload it.\nTo upload by hand (for example Netlify's drag and"
        " drop), run `make publish` and upload the folder it builds.\n", encoding="utf-8")


def remove_empty_folders(site):
    """Folders left empty in a reused spare (a page removed since) go."""
    for folder, _folders, files in os.walk(site, topdown=False):
        if not files and Path(folder) != site:
            try:
                os.rmdir(folder)
            except OSError:
                pass  # not empty: a folder in it stays


def swap_in(staging, output):
    """Replace output with staging; the old site stays until the new one is in, and
    is then kept as the spare, for the next build to build into. A spare the build
    did not make was refused before the build started (foreign_spare)."""
    staging.chmod(0o755)
    spare, record = spare_folder(output), made_record(output)
    if made_by_build(spare):
        shutil.rmtree(spare, ignore_errors=True)
    if output.exists() or output.is_symlink():
        ours = record.is_file() and record.read_text() == identity(output)
        output.rename(spare)  # kept whole; marked (to be emptied next time) if the build made it
        if ours:
            (spare / MARK).touch()
    staging.rename(output)
    record.write_text(identity(output))


def clean(args):
    """make clean: delete the output folder, the spare and the record beside them, unless
    the output folder is one the build refuses (the project's own files)."""
    settings = load_settings(args)
    output = Path(settings["OUTPUT_PATH"]).resolve()
    why = refused_output(output, settings, Path(args.settings))
    if why:
        print(f"PROBLEM  {why}: make clean deletes the output folder, so it would delete"
              " those files. Nothing was deleted.", file=sys.stderr)
        return 1
    for path in (output, spare_folder(output)):
        if path.is_symlink():
            path.unlink()
        elif path.exists():
            shutil.rmtree(path)
    made_record(output).unlink(missing_ok=True)
    return 0


def build_once(args):
    """One build and its report; returns the exit status."""
    started = time.perf_counter()
    with collecting(args.verbosity) as collector:
        output = build(args, collector)
    return report(collector, output, time.perf_counter() - started, args.verbosity,
                  args.every_notice)


SHOWN_NOTICES = 3  # a list this long or shorter is shown whole; a longer one is counted


def notes_file(output):
    """Where a build lists every notice, one line a page: .output-notes.txt beside output/."""
    return output.with_name(f".{output.name}-notes.txt")


def report(collector, output, seconds, verbosity, every_notice=False):
    """The problems of a build, or its summary; returns the exit status.

    The summary: where the site was built, then each list of notices (pages awaiting
    a clinician's review, needing translation...): shown whole when short, else
    counted, with the file that lists them (notes_file). -v (V=1) shows every list."""
    quiet = verbosity == logging.CRITICAL
    if collector.problems:  # a failed build: its problems come last
        count = len(collector.problems)
        kept = f" The site in {output}/ was not changed." if output else ""
        print(f"\nBuild stopped: {count} problem{'s' * (count != 1)} (listed above).{kept}",
              file=sys.stderr)
        return 1
    lists = {}
    for heading, message in collector.notices:
        lists.setdefault(heading, dict.fromkeys([]))[message] = None
    notes = notes_file(output)
    if lists:
        notes.write_text("".join(f"{heading}:\n" + "".join(f"  - {m}\n" for m in messages) + "\n"
                                 for heading, messages in lists.items()), encoding="utf-8")
    else:
        notes.unlink(missing_ok=True)
    if quiet:
        return 0
    print(f"Built the site into {output}/ in {seconds:.1f} s.")
    whole = every_notice or verbosity in (logging.INFO, logging.DEBUG)
    counted = {heading: messages for heading, messages in lists.items()
               if not whole and len(messages) > SHOWN_NOTICES}
    for heading, messages in counted.items():  # each message starts with its file's name
        pages = len({message.split(":", 1)[0] for message in messages})
        print(f"  {pages} page{'s' * (pages != 1)} {heading[:1].lower()}{heading[1:]}")
    if counted:
        print(f"The list, one line a page: {shown(notes)} (or build again with V=1 to show it"
              " here).")
    for heading, messages in lists.items():
        if heading not in counted:
            print(f"\n{heading}:")
            print("".join(f"  - {message}\n" for message in messages), end="")
    return 0


def plugins_importable():
    """The one change of sys.path in the build's programs (this command, and
    tools/preview.py, which it or the devserver starts): plugins/ at its end, for
    plugins/pelican_internals.py and pagefind_index. tools/ is there already:
    Python puts a script's own folder first."""
    folder = str(ROOT / "plugins")
    if folder not in sys.path:
        sys.path.append(folder)


def hand_over(script, argv):
    """Run tools/<script> in this process's place, with the same options: -l/-r go to
    devserver.py, --preview-worker to preview.py. They import this module; it does
    not import them (no import cycle)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, str(TOOLS / script), *argv])


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    args, once = parse(argv)
    plugins_importable()
    try:
        if args.search_index:
            return index_later(args)
        if args.clean:
            return clean(args)
        if args.preview_worker is not None:
            hand_over("preview.py", argv)
        if (args.listen or args.autoreload) and not once:
            hand_over("devserver.py", argv)
        return build_once(args)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130
    except SettingsMissing as error:  # make clean, the search index
        return settings_problem(error, args.verbosity)


def settings_problem(error, verbosity):
    """Print a settings file's problem as one line (and with -D its traceback); returns 1."""
    print(f"PROBLEM  {error.message}", file=sys.stderr, flush=True)
    if verbosity == logging.DEBUG and error.__cause__:
        traceback.print_exception(error.__cause__, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
