"""Build the site safely: into a new folder first, and swap it in only on success.

A warning from Pelican or from our content checks stops the build; the site
already in the output folder is then left exactly as it was.

    python tools/build.py                         # development build into output/
    python tools/build.py -s publishconf.py       # production build
    python tools/build.py -c some/content -o out  # other folders (used by tests)
"""

import argparse
import logging
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Collector(logging.Handler):
    """Prints each message plainly and keeps warnings, errors and notices."""

    def __init__(self, verbose):
        super().__init__(logging.DEBUG)
        self.verbose = verbose
        self.problems = []
        self.notices = []

    def emit(self, record):
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            self.problems.append(message)
            print(f"PROBLEM  {message}", file=sys.stderr, flush=True)
            if self.verbose and record.exc_info:
                traceback.print_exception(*record.exc_info, file=sys.stderr)
        elif getattr(record, "notice", False):
            self.notices.append(message)
        elif self.verbose and record.levelno >= logging.INFO:
            print(f"         {message}", flush=True)


def build(settings_file, content, output, cache=None, verbose=False, relative=False):
    """Run Pelican into a temporary folder; return (problems, notices, seconds)."""
    from pelican import Pelican
    from pelican.settings import read_settings

    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-new-", dir=output.parent))
    override = {"OUTPUT_PATH": str(staging), "DELETE_OUTPUT_DIRECTORY": False}
    if content:
        override["PATH"] = str(Path(content).resolve())
    if cache:
        override["CACHE_PATH"] = str(Path(cache).resolve())
    if relative:
        override["RELATIVE_URLS"] = True

    collector = Collector(verbose)
    root_logger = logging.getLogger()
    root_logger.handlers[:] = [collector]
    root_logger.setLevel(logging.INFO)

    started = time.perf_counter()
    settings = None
    try:
        settings = read_settings(str(settings_file), override=override)
        Pelican(settings).run()
    except Exception as error:  # a content error, a template error, or a bug
        if not getattr(error, "already_reported", False):
            logging.error("%s: %s", type(error).__name__, error, exc_info=True)
    seconds = time.perf_counter() - started

    if collector.problems:
        shutil.rmtree(staging, ignore_errors=True)
        if settings:  # a failed build may leave a half-written content cache behind
            shutil.rmtree(settings["CACHE_PATH"], ignore_errors=True)
    else:
        swap_in(staging, output)
    return collector.problems, collector.notices, seconds


def swap_in(staging, output):
    """Replace output with staging, keeping the old one until the new one is in."""
    staging.chmod(0o755)
    old = output.with_name(f".{output.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if output.exists():
        output.rename(old)
    staging.rename(output)
    shutil.rmtree(old, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-s", "--settings", default=str(ROOT / "pelicanconf.py"))
    parser.add_argument("-c", "--content", help="content folder (default: settings)")
    parser.add_argument("-o", "--output", default=str(ROOT / "output"))
    parser.add_argument("--cache", help="content cache folder (default: settings)")
    parser.add_argument("--relative-urls", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)

    output = Path(args.output)
    problems, notices, seconds = build(
        args.settings, args.content, output, args.cache, args.verbose, args.relative_urls
    )
    if notices:
        print("\nDue for medical review (reviewed more than 12 months ago):")
        for notice in notices:
            print(f"  - {notice}")
    if problems:
        count = len(problems)
        print(
            f"\nBuild stopped: {count} problem{'s' * (count != 1)} (listed above)."
            f" The site in {output}/ was not changed.",
            file=sys.stderr,
        )
        return 1
    print(f"Built the site into {output}/ in {seconds:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
