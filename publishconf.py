"""Production settings: everything in pelicanconf.py, plus what the live site needs."""

import os
import sys

sys.path.append(os.curdir)
from pelicanconf import *  # noqa: E402,F403

# The address the site is published at. Change it here if the site moves.
SITEURL = "https://kyphoplasty.example.org"
RELATIVE_URLS = False

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/articles.atom.xml"

DELETE_OUTPUT_DIRECTORY = True
PRODUCTION = True
