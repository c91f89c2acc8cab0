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

Its parts, one job each: build_log.py, build_locks.py, build_settings.py,
output_folder.py and cache_folder.py (tools/).
"""

import argparse
import logging
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from build_locks import hold_against_previews, locked
from build_log import collecting, report, unexpected
from build_settings import SettingsProblem, load_settings, settings_problem
from cache_folder import cache_key, forget_failed_build, search_stamp, sign_cache, trust_cache
from output_folder import (
    MARK,
    foreign_spare,
    made_record,
    mark_preview,
    refused_output,
    remove_empty_folders,
    remove_killed_builds,
    spare_folder,
    staging_folder,
    swap_in,
)

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"

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

# The build -----------------------------------------------------------------------

def build_once(args):
    """One build and its report; returns the exit status."""
    started = time.perf_counter()
    with collecting(args.verbosity) as collector:
        output = build(args, collector)
    return report(collector, output, time.perf_counter() - started, args.verbosity,
                  args.every_notice)


def build(args, collector):
    """Build with Pelican into a staging folder; swap it in if nothing went wrong.

    Returns the output folder, or None when the settings could not be read."""
    try:
        settings = load_settings(args)
    except SettingsProblem as error:
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
        remove_killed_builds(output)
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
                forget_failed_build(cache, key)  # what it wrote may be half-written
    return output


# make clean, and the preview's search index ----------------------------------------

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


# The program ---------------------------------------------------------------------

def plugins_importable():
    """The one change of sys.path in the site's programs (this command, preview.py
    and new_content.py call it): plugins/ at its end, for the modules the plugins
    share (site_cache, plugin_settings, pelican_internals) and for the plugins used
    as libraries (pagefind_index, content_checks). tools/ is there already: Python
    puts a script's own folder first."""
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
    except SettingsProblem as error:  # make clean, the search index
        return settings_problem(error, args.verbosity)


if __name__ == "__main__":
    sys.exit(main())
