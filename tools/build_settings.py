"""Reading the settings file: Pelican's settings for the build's options, and a
typing mistake or a setting of the wrong kind as one line naming the file, the line
and the likely fix.
"""

import logging
import re
import sys
import traceback
from pathlib import Path

from build_log import DETAILS, is_ours


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


class SettingsProblem(Exception):
    """Settings the build cannot use: message is one line for the editor."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class SettingsMissing(SettingsProblem):
    def __init__(self, path):
        super().__init__(f"The settings file {path} does not exist. Give one with -s (CONFFILE=).")


class SettingsMistake(SettingsProblem):
    """A settings file that Python cannot read, or a setting of the wrong kind: one line
    naming the file, the line and the likely fix."""


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


def settings_problem(error, verbosity):
    """Print a settings file's problem as one line (and with -D its traceback); returns 1."""
    print(f"PROBLEM  {error.message}", file=sys.stderr, flush=True)
    if verbosity == logging.DEBUG and error.__cause__:
        traceback.print_exception(error.__cause__, file=sys.stderr)
    return 1
