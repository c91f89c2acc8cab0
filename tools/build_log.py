"""The build's log: every message on one line, problems and notices collected, and
the report printed at the end (tools/build.py, tools/preview.py).

An exception nobody reported is one line naming where it happened (`where()`,
`unexpected()`); -D (make DEBUG=1) prints its own text and the traceback.
"""

import logging
import sys
import sysconfig
import traceback
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DETAILS = "Run it again with DEBUG=1 (make html DEBUG=1, or -D) for the details."


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


# The report ----------------------------------------------------------------------

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

