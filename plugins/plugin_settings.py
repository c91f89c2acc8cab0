"""One settings dict per plugin, checked, as pelican-plugins' sitemap reads SITEMAP.

Not a plugin: a module the plugins import (tools/build.py puts plugins/ on sys.path).

    DECISION_AID = {"file": "data/decision-aid.toml"}  # in pelicanconf.py

    options = plugin_settings.read(pelican.settings, "DECISION_AID", {"file": ""})

`read` returns the defaults updated with what the settings give. A key the plugin
does not know, a value of another kind than the default's, or one that fails the
plugin's own test for that key (`rules`: key -> (test, what it must be)), is an
error naming the setting, the key and what is expected; the default is used in
its place, and tools/build.py, which stops on any error, keeps the old site.
"""

import difflib
import logging

log = logging.getLogger(__name__)

KINDS = {bool: "yes or no (True or False)", int: "a whole number", float: "a number",
         str: "a text in quotes", list: "a list [...]", tuple: "a pair (..., ...)",
         dict: "a dict {...}"}


def kind_name(value):
    return KINDS.get(type(value), type(value).__name__)


def same_kind(value, default):
    if isinstance(default, bool) or isinstance(value, bool):
        return type(value) is type(default)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))


def read(settings, name, defaults, rules=None):
    """defaults updated with settings[name] (a dict), each key checked: its kind, and
    rules[key] = (test, "what it must be") where given."""
    options = dict(defaults)
    given = settings.get(name)
    if given is None:
        return options
    if not isinstance(given, dict):
        log.error("pelicanconf.py: %s must be a dict {...} of %s (it is %r).",
                  name, ", ".join(map(repr, defaults)), given)
        return options
    for key, value in given.items():
        if key not in defaults:
            close = difflib.get_close_matches(str(key), list(defaults), 1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            log.error("pelicanconf.py: %s has no key %r; its keys are %s.%s",
                      name, key, ", ".join(map(repr, defaults)), hint)
        elif defaults[key] is not None and not same_kind(value, defaults[key]):
            log.error("pelicanconf.py: %s[%r] must be %s (it is %r).",
                      name, key, kind_name(defaults[key]), value)
        elif rules and key in rules and not passes(rules[key][0], value):
            log.error("pelicanconf.py: %s[%r] must be %s (it is %r).",
                      name, key, rules[key][1], value)
        else:
            options[key] = value
    return options


def passes(test, value):
    try:
        return bool(test(value))
    except (TypeError, ValueError):
        return False
