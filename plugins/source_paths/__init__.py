"""source_paths: Pelican works out a page's path relative to the content folder
once, not on every use of its address.

An upstream-style patch of Content.get_relative_source_path, kept in
plugins/pelican_internals.py (remember_relative_source_paths: why, what it
saves, what it relies on) and pinned by tests/test_pelican_internals.py.
Pelican has no hook for it.
"""

import pelican_internals


def register():
    pelican_internals.remember_relative_source_paths()
