"""When Pelican cannot read a file: a time limit for reading one Markdown file, and
Pelican's "Could not process x.md" rewritten as one line for the editor."""

import functools
import logging
import os
import signal
import sys
import threading

from pelican.readers import MarkdownReader

import pelican_internals

from .core import read_options


class ReadTooLong(Exception):
    pass


@functools.cache
def timed_markdown_reader(limit):
    """Pelican's Markdown reader, stopped when one file takes longer than limit
    seconds (CONTENT_CHECKS' read_time_limit): some texts take Python-Markdown minutes or hours (a
    run of 16,000 `[` took 34 s, 900 KB of them 94 minutes)."""

    class TimedMarkdownReader(MarkdownReader):
        def read(self, source_path):
            if not limit or threading.current_thread() is not threading.main_thread():
                return super().read(source_path)

            def too_long(_signal, _frame):
                raise ReadTooLong(limit)

            previous = signal.signal(signal.SIGALRM, too_long)
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                return super().read(source_path)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)

    return TimedMarkdownReader


def time_markdown_readers(readers):
    """Pelican's readers_init: its Markdown reader, with a time limit for each file (not
    in the settings' READERS: the settings are pickled into the content cache)."""
    limit = read_options(readers.settings)["read_time_limit"]
    for extension, reader_class in readers.reader_classes.items():
        if reader_class is MarkdownReader:
            readers.reader_classes[extension] = timed_markdown_reader(limit)


class ReadFailure(logging.Filter):
    """Pelican's "Could not process x.md", with no reason, as one line for the editor.

    show(name) gives a file's name as the editor sees it (content/faq/x.md), or None
    before the checks started."""

    def __init__(self, show):
        super().__init__()
        self.show = show

    def filter(self, record):
        name = pelican_internals.is_read_failure(record)
        if name is None:
            return True
        error = sys.exc_info()[1]
        name = name.replace(os.sep, "/")
        shown = self.show(name)
        if isinstance(error, ReadTooLong):
            record.msg, record.args, record.exc_info = (
                "%s: reading this file took longer than %s s, so the build stopped reading"
                " it. Long runs of brackets ([ or ]) or of other marks do that: remove"
                " them, or split the text into shorter lines and paragraphs.",
                (shown or name, error.args[0]), None)
            return True
        if shown is None:
            return True
        if isinstance(error, RecursionError):
            why = ("lists or quotes are nested too deeply. Use fewer levels"
                   " (fewer spaces or `>` at the start of the lines).")
        else:
            why = ("the site generator could not read this file. Undo your last change"
                   " to it, or run `make html DEBUG=1` for the details.")
        record.msg, record.args = "%s: %s", (shown, why)
        return True
