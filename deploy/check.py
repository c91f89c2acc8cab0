"""Check the deploy settings before a deploy target uses them (Makefile: rsync_upload, github).

    python3 deploy/check.py rsync_upload  # SSH_HOST SSH_USER SSH_PORT SSH_TARGET_DIR KEEP_RELEASES
    python3 deploy/check.py github        # GITHUB_REMOTE GITHUB_PAGES_BRANCH GITHUB_CNAME

The values come from the environment (the Makefile exports them), never from the
command's own text: a value is checked before any shell reads it. Each may hold
only the characters its kind of name has, so that the Makefile's commands, here
and on the server, read it as one word. The first wrong one is one line, exit 2.
"""

import os
import re
import sys

HOST = r"[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"  # a host name or an IPv4 address
NAME = r"[A-Za-z0-9_][A-Za-z0-9_.-]*"  # a user name, a git remote
BRANCH = r"[A-Za-z0-9_][A-Za-z0-9_./-]*"
NUMBER = r"[0-9]{1,5}"

EXAMPLE = "make rsync_upload SSH_HOST=www.example.org SSH_TARGET_DIR=/var/www/kyphoplasty"
RULES = {
    "rsync_upload": [
        ("SSH_HOST", True, HOST, "a host name such as www.example.org (letters, digits, . and -)"),
        ("SSH_USER", False, NAME, "a user name (letters, digits, _ . -)"),
        ("SSH_PORT", True, NUMBER, "a port number, such as 22"),
        ("SSH_TARGET_DIR", True, r"[A-Za-z0-9._+][A-Za-z0-9._/+-]*|/[A-Za-z0-9._/+-]+",
         None),
        ("KEEP_RELEASES", True, NUMBER, "a whole number, such as 3"),
    ],
    "github": [
        ("GITHUB_REMOTE", True, NAME, "a git remote's name, such as origin"),
        ("GITHUB_PAGES_BRANCH", True, BRANCH, "a branch name, such as gh-pages"),
        ("GITHUB_CNAME", False, HOST, "the site's domain, such as www.example.org"),
    ],
}
TARGET_DIR = ("may hold only letters, digits and . _ / + - (no spaces, quotes or ~); a"
              " relative folder is read from the SSH user's home")
NOT_SET = {
    "SSH_HOST": f"name the web server, e.g. {EXAMPLE}",
    "SSH_TARGET_DIR": ("give the site's folder on the server,"
                       " e.g. SSH_TARGET_DIR=/var/www/kyphoplasty"),
}


def problem(target):
    """The first wrong setting of this target, as one line, or None."""
    for name, required, pattern, what in RULES[target]:
        value = os.environ.get(name, "")
        if not value:
            if required:
                return f"{name} is not set; {NOT_SET.get(name, f'give {what}')}"
            continue
        if name == "SSH_TARGET_DIR" and value.rstrip("/") in ("", ".", "..", "~"):
            return (f"SSH_TARGET_DIR={value} cannot be the site's folder: it becomes a link to"
                    " the latest release; give the site's own folder, e.g. /var/www/kyphoplasty")
        if not re.fullmatch(pattern, value):
            shown = value if value.isprintable() and len(value) < 80 else repr(value[:80])
            if name == "SSH_TARGET_DIR":
                return f"SSH_TARGET_DIR {TARGET_DIR}"
            return f"{name}={shown} is not {what}; nothing was run"
        if name == "SSH_PORT" and not 1 <= int(value) <= 65535:
            return f"{name}={value} is not {what}; nothing was run"
    return None


def main(argv=None):
    target = (argv or sys.argv[1:])[0]
    found = problem(target)
    if found:
        print(f"make {target}: {found}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
