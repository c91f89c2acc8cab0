"""Run one command of a deploy target (rsync, ssh, ghp-import) and, when it fails,
say why in one plain line with what to check, instead of the tool's own codes.

    python3 deploy/send.py rsync_upload -- rsync -e "ssh -p 22" ... output/ host:dir/
    python3 deploy/send.py rsync_upload --switch -- ssh ...  # the step that makes it live
    python3 deploy/send.py github -- .venv/bin/ghp-import -p ... output

The command's output goes through as it is. Its error output is kept: shown as it
is when the command succeeds or when the failure is not one of those below (then
with the exit code), else replaced by the one line. DEBUG=1 shows it too. The
exit code is the command's. The settings named come from the environment (the
Makefile exports them; deploy/check.py has checked them).
"""

import os
import re
import subprocess
import sys

# What ssh, rsync and git say, and what it means for the editor. First match wins.
CAUSES = [
    (r"Could not resolve hostname|Could not resolve host|Name or service not known"
     r"|nodename nor servname|Temporary failure in name resolution",
     "the server {host} was not found. Check {host_setting} (its spelling) and your"
     " internet connection"),
    (r"Connection refused",
     "the server {host} refused the connection{port}. Check {port_setting}, and that the"
     " server is on and accepts SSH"),
    (r"timed out|No route to host|Network is unreachable",
     "the server {host} did not answer. Check {host_setting}, {port_setting} and your"
     " network (a VPN or firewall may be in the way)"),
    (r"Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED",
     "the server {host} is not the one SSH knows (a new or changed host key). Connect once"
     " with `ssh {login}` to check it and accept it, then try again"),
    (r"Permission denied \(publickey|Permission denied, please try again"
     r"|Authentication failed|could not read Username|Repository not found",
     "the server {host} refused your login. Check {user_setting}, and that your SSH key (or"
     " your access to the repository) is set up for it"),
    (r"No space left on device|Disk quota exceeded",
     "the server's disk is full. Free some space on it (older releases are in"
     " {releases}), then try again"),
    (r"Permission denied|Read-only file system|Operation not permitted",
     "you may not write to {target} on the server. Check the folder's owner and rights, or"
     " {target_setting}"),
]
UNCHANGED = " The live site was not changed."
WHAT = {"rsync_upload": "could not send the site", "github": "could not push the site"}


def explain(target, error_text, environ, live_unchanged=True):
    """The one line for a failure whose error output is error_text, or None."""
    if target == "github":
        remote = environ.get("GITHUB_REMOTE") or "origin"
        names = {"host": f"of the git remote {remote}", "host_setting": "the remote's address"
                 f" (git remote get-url {remote})", "port": "", "port_setting": "that address",
                 "login": f"to the address of {remote}", "user_setting": "your git login",
                 "releases": "the server", "target": f"the branch on {remote}",
                 "target_setting": "GITHUB_PAGES_BRANCH"}
    else:
        host, port = environ.get("SSH_HOST", ""), environ.get("SSH_PORT") or "22"
        user = environ.get("SSH_USER", "")
        target_dir = (environ.get("SSH_TARGET_DIR") or "").rstrip("/")
        names = {"host": host, "host_setting": "SSH_HOST", "port": f" on port {port}",
                 "port_setting": "SSH_PORT", "user_setting": "SSH_USER",
                 "login": f"-p {port} {f'{user}@' if user else ''}{host}",
                 "releases": f"{target_dir}-releases/", "target": target_dir or "the folder",
                 "target_setting": "SSH_TARGET_DIR"}
    for pattern, message in CAUSES:
        if re.search(pattern, error_text, re.IGNORECASE):
            return (f"make {target}: {WHAT.get(target, 'failed')}: {message.format(**names)}."
                    + UNCHANGED * live_unchanged)
    return None


def main(argv):
    target, *rest = argv
    switching = rest[:1] == ["--switch"]  # the step that makes the new release live
    separator, *command = rest[switching:]
    if separator != "--" or not command:
        sys.exit("usage: send.py TARGET [--switch] -- COMMAND ...")
    try:
        result = subprocess.run(command, stderr=subprocess.PIPE, text=True, errors="replace")
    except FileNotFoundError:
        print(f"make {target}: {command[0]} is not installed; run tools/system-deps.sh",
              file=sys.stderr)
        return 127
    line = (explain(target, result.stderr, os.environ, not switching)
            if result.returncode else None)
    if line is None or os.environ.get("DEBUG", "0") not in ("", "0"):
        sys.stderr.write(result.stderr)
    if result.returncode and line is None:
        line = (f"make {target}: {os.path.basename(command[0])} failed (code"
                f" {result.returncode}; its message is above)." + UNCHANGED * (not switching))
    if line:
        print(line, file=sys.stderr)
    return result.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
