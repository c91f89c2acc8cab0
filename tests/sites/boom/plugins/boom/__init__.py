"""boom: a plugin that warns and stops, or raises, as the build starts (setting BOOM)."""

import logging

from pelican import signals


class Stop(Exception):
    already_reported = True


def initialized(pelican):
    if pelican.settings.get("BOOM") == "raise":
        raise ValueError("the exception's own text")
    logging.getLogger(__name__).warning("the same warning every time")
    raise Stop()


def register():
    signals.initialized.connect(initialized)
