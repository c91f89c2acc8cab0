"""The site settings an editor may change that end up in a page's markup (the video).
The plugin's own settings, CONTENT_CHECKS, are read in core.read_options."""

import re

from .core import log


def check_settings(settings):
    """The settings an editor may change that end up in a page's markup."""
    video, channel = settings.get("VIDEO_ID", ""), settings.get("VIDEO_CHANNEL_URL", "")
    if video and not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", video):
        log.error("pelicanconf.py: `VIDEO_ID = %r` is not a YouTube video id. Copy only the"
                  " part after `v=` in the video's address.", video)
    if channel and not re.fullmatch(r"https://www\.youtube\.com/[^\s\"'<>]+", channel):
        log.error("pelicanconf.py: `VIDEO_CHANNEL_URL = %r` is not a YouTube address. Copy"
                  " the channel's address, starting with https://www.youtube.com/.", channel)
