"""Publishing: precompressed files, the hosting configuration, and the deploy targets.

`make rsync_upload` and `make github` run for real here, against local folders
only: rsync talks to a stand-in `ssh` that runs the remote half on this machine,
and ghp-import commits to (and pushes to) temporary git repositories.

rsync_upload uploads into a new release folder and then switches the live
folder (a link) to it with one rename; the tests check that the folder being
served is never written to while the new site goes up.
"""

import gzip
import hashlib
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import brotli
import pytest

from helpers import CONTENT, ROOT, files, tree_differences
from hosting_headers import load_hosting

hosting = load_hosting()


# Precompressed copies ------------------------------------------------------------

def test_every_text_file_has_gz_and_br_copies_of_the_same_bytes(published):
    output = published.output
    compressed_types = published.settings["PRECOMPRESS_TEXT_EXTENSIONS"]  # publishconf.py
    checked = 0
    for name in files(output):
        path = output / name
        if path.suffix not in compressed_types:
            continue
        data = path.read_bytes()
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if not gz.exists():  # allowed only where compressing would not make it smaller
            assert len(gzip.compress(data, mtime=0)) >= len(data), f"{name}: no .gz"
            continue
        assert gzip.decompress(gz.read_bytes()) == data, f"{name}.gz"
        assert brotli.decompress(br.read_bytes()) == data, f"{name}.br"
        assert len(br.read_bytes()) < len(data) and len(gz.read_bytes()) < len(data)
        checked += 1
    assert checked >= 40


def test_the_search_index_and_theme_are_compressed_too(published):
    """Compression runs after Pagefind and the fingerprinting: their files have copies."""
    output = published.output
    theme = [f for f in files(output) if f.startswith("theme/") and f.endswith((".css", ".js"))]
    assert theme
    for name in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json", "index.html", *theme]:
        assert (output / f"{name}.gz").is_file() and (output / f"{name}.br").is_file(), name


def test_gz_files_carry_no_time_or_name(published):
    """A gzip header holds a time and a file name; ours hold neither, so builds repeat."""
    for gz in published.output.rglob("*.gz"):
        header = gz.read_bytes()[:10]
        assert header[:3] == b"\x1f\x8b\x08" and header[3] == 0, f"{gz}: has a name or extra"
        assert header[4:8] == b"\0\0\0\0", f"{gz}: has a time"


def test_the_development_build_has_no_hosting_files(site):
    assert not list(site.output.rglob("*.gz")) and not list(site.output.rglob("*.br"))
    assert not (site.output / "_headers").exists()


# Hosting configuration -----------------------------------------------------------

def test_shipped_nginx_conf_is_generated_from_hosting_py():
    assert hosting.main(["--check"]) == 0, "run: python deploy/hosting.py"


def test_headers_file_is_in_the_production_build(published):
    text = (published.output / "_headers").read_text(encoding="utf-8")
    assert text.startswith("# Security and cache headers")
    block = text.split("\n/*\n", 1)[1].split("\n\n", 1)[0]
    for name, value in hosting.SECURITY_HEADERS.items():
        assert f"  {name}: {value}" in block.splitlines()
    theme = [f for f in files(published.output) if f.startswith("theme/") and f.endswith(".css")]
    assert theme and all(f"/{f}\n  Cache-Control: {hosting.LONG_CACHE}" in text for f in theme)
    assert "unsafe-inline" not in text


# make: running deploy targets for real, against local folders ---------------------

FAKE_SSH = """#!/bin/sh
# Stands in for ssh: notes how it was called, then runs the remote command here.
echo "$@" >> "{log}"
while [ $# -gt 0 ]; do
  case "$1" in
    -p|-l|-o|-i) shift 2 ;;
    -*) shift ;;
    *) break ;;
  esac
done
shift  # the host
exec sh -c "$*"
"""


def clean_env(**extra):
    """The environment without any deploy setting of the person running the tests."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SSH_", "GITHUB_", "GIT_", "DRY_RUN", "MAKEFLAGS", "MFLAGS"))}
    env.update(extra)
    return env


def make(target, tmp_path, *settings, env=None, content=CONTENT, options=""):
    """Run a make target with the build going to tmp_path/output."""
    command = ["make", "--no-print-directory", "-C", str(ROOT), target,
               f"OUTPUTDIR={tmp_path / 'output'}", f"INPUTDIR={content}",
               f"PELICANOPTS=--cache-path {tmp_path / 'cache'} {options}", *settings]
    return subprocess.run(command, capture_output=True, text=True, env=env or clean_env(),
                          timeout=600)


@pytest.fixture
def ssh(tmp_path):
    """A stand-in ssh on PATH; yields (environment, the file that logs its calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    (bin_dir / "ssh").write_text(FAKE_SSH.format(log=log), encoding="utf-8")
    (bin_dir / "ssh").chmod(0o755)
    return clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}"), log


RSYNC = ["SSH_HOST=web.example.org", "SSH_PORT=2222", "SSH_USER=deploy"]


@pytest.mark.parametrize("settings, message", [
    ([], "make rsync_upload: SSH_HOST is not set; name the web server, e.g. make rsync_upload"
         " SSH_HOST=www.example.org SSH_TARGET_DIR=/var/www/kyphoplasty"),
    (["SSH_HOST=web.example.org"],
     "make rsync_upload: SSH_TARGET_DIR is not set; give the site's folder on the server,"
     " e.g. SSH_TARGET_DIR=/var/www/kyphoplasty"),
    (["SSH_HOST=web.example.org", "SSH_TARGET_DIR=/"],
     "make rsync_upload: SSH_TARGET_DIR=/ cannot be the site's folder: it becomes a link to"
     " the latest release; give the site's own folder, e.g. /var/www/kyphoplasty"),
    (["SSH_HOST=web.example.org", "SSH_TARGET_DIR=/var/www/my site"],
     "make rsync_upload: SSH_TARGET_DIR may hold only letters, digits and . _ / + - (no"
     " spaces, quotes or ~); a relative folder is read from the SSH user's home"),
])
def test_rsync_upload_refuses_without_its_settings(tmp_path, ssh, settings, message):
    env, log = ssh
    result = make("rsync_upload", tmp_path, "DRY_RUN=1", *settings, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == message
    assert not (tmp_path / "output").exists(), "it built before checking its settings"
    assert not log.exists()


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_rsync_dry_run_lists_every_file_and_sends_nothing(tmp_path, ssh):
    env, log = ssh
    target = tmp_path / "target"
    target.mkdir()
    (target / "old-page.html").write_text("left from an earlier site")
    result = make("rsync_upload", tmp_path, *RSYNC, f"SSH_TARGET_DIR={target}", "DRY_RUN=1",
                  env=env)
    assert result.returncode == 0, result.stderr
    # ssh was asked for the right server, port and user
    assert log.read_text().startswith("-p 2222 -l deploy web.example.org rsync --server")
    listed = set(result.stdout.splitlines())
    built = files(tmp_path / "output")
    assert "_headers" in built and "index.html.br" in built and "pagefind/pagefind.js" in built
    assert [f for f in built if f not in listed] == []
    assert "deleting old-page.html" in listed
    assert "(DRY RUN)" in result.stdout
    assert f"Dry run: nothing was sent to deploy@web.example.org:{target}" in result.stdout
    assert files(target) == ["old-page.html"]


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_rsync_upload_makes_the_live_folder_a_link_to_an_exact_copy(tmp_path, ssh):
    env, log = ssh
    target = tmp_path / "target"
    target.mkdir()
    (target / "old-page.html").write_text("left from an earlier site")
    # Names rsync's --cvs-exclude (pelican-quickstart's) would silently leave behind,
    # in a copy of the theme (the content folder takes only pages and pictures).
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "core").write_text("a file named core")
    (theme / "static" / "notes.bak").write_text("a file named *.bak")
    result = make("rsync_upload", tmp_path, *RSYNC, f"SSH_TARGET_DIR={target}", env=env,
                  options=f"-t {theme}")
    assert result.returncode == 0, result.stderr
    release = re.search(r"release (\S+) is live", result.stdout).group(1)
    assert f"Sent the site to deploy@web.example.org:{target}: release {release} is live" in (
        result.stdout)
    releases = tmp_path / "target-releases"
    assert target.is_symlink() and os.readlink(target) == f"target-releases/{release}"
    # An exact copy: old-page.html is gone from the live site, tags/, core and *.bak came.
    assert tree_differences(tmp_path / "output", target) == []
    assert {"theme/core", "theme/notes.bak"} <= set(files(target))
    assert any(f.startswith("tags/") for f in files(target))
    # The folder the earlier way of deploying filled is kept, out of the way.
    assert files(releases / "0-before-releases") == ["old-page.html"]
    assert log.read_text().startswith("-p 2222 -l deploy web.example.org mkdir -p")


def manifest(folder):
    """Every file under folder: its bytes' hash, inode and modification time."""
    found = {}
    for name in files(folder):
        path = Path(folder, name)
        stat = path.stat()
        found[name] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_ino,
                       stat.st_mtime_ns)
    return found


ASSET = re.compile(r'(?:href|src)="https://[^/"]+/(theme/[^"]+)"')


class Visitor(threading.Thread):
    """Looks at the live site over and over, as a visitor loading a page would.

    Each look takes the live folder once, reads a page in it, and checks that the
    stylesheet and the script the page asks for are there: a page of the new
    site before its new stylesheet, or an old page after its stylesheet was
    deleted, is a mix."""

    def __init__(self, target):
        super().__init__(daemon=True)
        self.target, self.looks, self.mixes, self.seen = target, 0, [], []
        self.done = threading.Event()
        self.changed = threading.Condition()  # told of each release seen

    def has_seen(self, name, seconds):
        """Wait (at most seconds) until the last release looked at is this one."""
        with self.changed:
            return self.changed.wait_for(lambda: self.seen[-1:] == [name], timeout=seconds)

    def run(self):
        while not self.done.is_set():
            live = Path(os.path.realpath(self.target))
            try:
                page = (live / "articles" / "recovery" / "index.html").read_text()
            except OSError as error:
                self.mixes.append(f"{live}: no page ({type(error).__name__})")
                continue
            assets = ASSET.findall(page)
            missing = [a for a in assets if not (live / a).is_file()]
            if not assets or missing:
                self.mixes.append(f"{live}: the page asks for missing {missing}")
            with self.changed:
                if not self.seen or self.seen[-1] != live.name:
                    self.seen.append(live.name)
                self.looks += 1
                self.changed.notify_all()


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_visitors_see_the_old_site_or_the_new_one_never_a_mix(tmp_path, ssh, content_copy):
    env, log = ssh
    target = tmp_path / "site"
    first = make("rsync_upload", tmp_path, *RSYNC, f"SSH_TARGET_DIR={target}",
                 "KEEP_RELEASES=2", env=env, content=content_copy)
    assert first.returncode == 0, first.stderr
    old = Path(os.path.realpath(target))
    before = manifest(old)

    # The new site: a changed guide, and a changed stylesheet (so a new file name).
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    with open(theme / "static" / "css" / "site.css", "a", encoding="utf-8") as css:
        css.write("\n.app-new-rule { color: inherit; }\n")
    article = content_copy / "articles" / "recovery.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new paragraph.\n",
                       encoding="utf-8")

    visitor = Visitor(target)
    visitor.start()
    try:
        # It looks at the old release before the upload starts (not when the thread
        # happens to run), and at the new one after it, waiting on each, never a sleep.
        assert visitor.has_seen(old.name, 60), f"the visitor never looked: {visitor.mixes}"
        second = make("rsync_upload", tmp_path, *RSYNC, f"SSH_TARGET_DIR={target}",
                      "KEEP_RELEASES=2", env=env, content=content_copy, options=f"-t {theme}")
        new = Path(os.path.realpath(target))
        # A switch at the very end is still seen: the visitor looks until it has the new
        # release (it may not have looked since the switch when make returns).
        seen = visitor.has_seen(new.name, 60)
    finally:
        visitor.done.set()
        visitor.join()
    assert second.returncode == 0, second.stderr
    assert seen, f"the visitor never saw the new release {new.name}: {visitor.seen}"
    old_css = [f for f in before if f.startswith("theme/css/") and f.endswith(".css")]
    new_css = [f for f in files(new) if f.startswith("theme/css/") and f.endswith(".css")]
    assert old_css != new_css, "the test meant to change the stylesheet's name"

    # Never a mix: the served folder was never written to; the switch was one rename.
    assert visitor.mixes == [] and visitor.looks > 10
    assert visitor.seen == [old.name, new.name]
    assert manifest(old) == before, "the upload changed the live site in place"
    assert tree_differences(tmp_path / "output", target) == []
    assert "A new paragraph." in (target / "articles" / "recovery" / "index.html").read_text()
    # Unchanged files are hard links to the previous release, not sent again.
    assert (new / "images" / "vertebra-compare.svg").stat().st_ino == (
        before["images/vertebra-compare.svg"][1])
    assert "images/vertebra-compare.svg" not in second.stdout
    # KEEP_RELEASES=2: the live release and the one before it.
    assert sorted(p.name for p in (tmp_path / "site-releases").iterdir()) == sorted(
        [old.name, new.name])


def test_a_broken_build_sends_nothing(tmp_path, ssh, content_copy):
    env, log = ssh
    target = tmp_path / "target"
    target.mkdir()
    (target / "index.html").write_text("the live site")
    (tmp_path / "output").mkdir()
    (tmp_path / "output" / "index.html").write_text("the last good build")
    article = content_copy / "articles" / "recovery.md"
    article.write_text(article.read_text(encoding="utf-8")
                       + "\nSee [this guide]({filename}/articles/no-such-guide.md).\n",
                       encoding="utf-8")
    result = make("rsync_upload", tmp_path, *RSYNC, f"SSH_TARGET_DIR={target}", env=env,
                  content=content_copy)
    assert result.returncode != 0
    assert "Build stopped" in result.stderr
    assert not log.exists(), "rsync ran after a failed build"
    assert files(target) == ["index.html"]
    assert (target / "index.html").read_text() == "the live site"
    assert files(tmp_path / "output") == ["index.html"], "make publish is not atomic"
    assert (tmp_path / "output" / "index.html").read_text() == "the last good build"


def git(*args, cwd=None, env=None):
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def repositories(tmp_path):
    """A clone-like repository whose origin is a local bare one: (environment, bare)."""
    bare = tmp_path / "remote.git"
    clone = tmp_path / "clone"
    git("init", "--quiet", "--bare", str(bare))
    git("init", "--quiet", str(clone))
    git("remote", "add", "origin", str(bare), cwd=clone)
    identity = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
                "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org"}
    # GIT_DIR points make's git and ghp-import at the temporary clone, not at this one.
    return clean_env(GIT_DIR=str(clone / ".git"), **identity), bare


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_github_dry_run_commits_the_site_to_gh_pages_without_pushing(tmp_path, repositories):
    env, bare = repositories
    own_branches = git("branch", "--list", cwd=ROOT, env=clean_env())
    result = make("github", tmp_path, "DRY_RUN=1", env=env)
    assert result.returncode == 0, result.stderr
    assert "Dry run: committed to the local gh-pages branch and not pushed" in result.stdout

    tree = git("ls-tree", "-r", "--name-only", "gh-pages", env=env).split()
    assert sorted(tree) == sorted([*files(tmp_path / "output"), ".nojekyll"])
    assert git("log", "--format=%s", "gh-pages", env=env).split("\n")[0] == "Publish the site"
    home = (tmp_path / "output" / "index.html").read_text()
    assert git("show", "gh-pages:index.html", env=env) == home
    assert git("for-each-ref", cwd=bare) == "", "the dry run pushed"
    assert git("branch", "--list", cwd=ROOT, env=clean_env()) == own_branches


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_github_pushes_and_a_second_clone_builds_on_it(tmp_path, repositories):
    env, bare = repositories
    first = make("github", tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    assert "refs/heads/gh-pages" in git("for-each-ref", cwd=bare)

    # Another editor's clone, which has never seen gh-pages, publishes next.
    other = tmp_path / "other"
    git("init", "--quiet", str(other))
    git("remote", "add", "origin", str(bare), cwd=other)
    second = make("github", tmp_path, env={**env, "GIT_DIR": str(other / ".git")})
    assert second.returncode == 0, second.stderr
    assert git("rev-list", "--count", "gh-pages", cwd=bare).strip() == "2"


def test_github_refuses_without_a_remote(tmp_path, repositories):
    env, _ = repositories
    git("remote", "remove", "origin", env=env)
    result = make("github", tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "make github: there is no git remote named origin; add it"
        " (git remote add origin <address>) or set GITHUB_REMOTE=<name>")
    assert not (tmp_path / "output").exists()


def test_github_refuses_outside_a_git_repository(tmp_path):
    env = clean_env(GIT_DIR=str(tmp_path / "not-a-repository"))
    result = make("github", tmp_path, "DRY_RUN=1", env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "make github: this folder is not a git repository; run it in the site's git clone")


# Deploy settings reach no shell unchecked (issue 21) ------------------------------------

@pytest.mark.parametrize("target, setting", [
    ("rsync_upload", 'SSH_HOST=h"; touch {ran}; echo "'),
    ("rsync_upload", "SSH_HOST=h'; touch {ran}; echo '"),
    ("rsync_upload", "SSH_HOST=-oProxyCommand=touch {ran}"),
    ("rsync_upload", 'SSH_USER=u"; touch {ran}; echo "'),
    ("rsync_upload", "SSH_PORT=22; touch {ran}"),
    ("rsync_upload", "SSH_PORT=99999"),
    ("rsync_upload", "KEEP_RELEASES=3d; touch {ran}"),
    ("rsync_upload", "SSH_TARGET_DIR=/var/www/`touch {ran}`"),
    ("github", "GITHUB_REMOTE=origin; touch {ran}"),
    ("github", "GITHUB_PAGES_BRANCH=gh-pages; touch {ran}"),
    ("github", "GITHUB_CNAME=a.example; touch {ran}"),
])
def test_a_deploy_setting_that_could_run_a_command_is_refused(tmp_path, ssh, target, setting):
    """Each value is checked (deploy/check.py reads it from the environment) before a
    shell sees it: one line naming the setting, exit 2, nothing built, run or sent."""
    env, log = ssh
    ran = tmp_path / "ran"
    setting = setting.format(ran=ran)
    name = setting.split("=", 1)[0]
    defaults = ["SSH_HOST=web.example.org", "SSH_TARGET_DIR=/var/www/k"] if target == (
        "rsync_upload") else []
    result = make(target, tmp_path, "DRY_RUN=1", *defaults, setting, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0].startswith(f"make {target}: {name}"), result.stderr
    assert not ran.exists() and not log.exists()
    assert not (tmp_path / "output").exists()


# Upload failures: one plain line each (issue 24) -----------------------------------

SEND = ROOT / "deploy" / "send.py"
# What the real tools print, and their exit codes.
FAILURES = {
    "host not found": (255, "ssh: Could not resolve hostname web.example.org: Name or service"
                            " not known\r\nrsync: connection unexpectedly closed (0 bytes"
                            " received so far) [sender]\nrsync error: unexplained error (code"
                            " 255) at io.c(232) [sender=3.2.7]\n"),
    "refused": (255, "ssh: connect to host web.example.org port 2222: Connection refused\r\n"
                     "rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n"
                     "rsync error: unexplained error (code 255) at io.c(232) [sender=3.2.7]\n"),
    "permission denied": (255, "deploy@web.example.org: Permission denied (publickey).\r\n"
                               "rsync: connection unexpectedly closed (0 bytes received so far)"
                               " [sender]\nrsync error: unexplained error (code 255) at"
                               " io.c(232) [sender=3.2.7]\n"),
    "disk full": (12, 'rsync: [receiver] write failed on "/var/www/site-releases/x/index.html":'
                      " No space left on device (28)\nrsync error: error in rsync protocol data"
                      " stream (code 12) at io.c(232) [receiver=3.2.7]\n"),
}
EXPLAINED = {
    "host not found": "the server web.example.org was not found. Check SSH_HOST (its spelling)"
                      " and your internet connection.",
    "refused": "the server web.example.org refused the connection on port 2222. Check SSH_PORT,"
               " and that the server is on and accepts SSH.",
    "permission denied": "the server web.example.org refused your login. Check SSH_USER, and"
                         " that your SSH key (or your access to the repository) is set up for it.",
    "disk full": "the server's disk is full. Free some space on it (older releases are in"
                 " /var/www/site-releases/), then try again.",
}


def failing(tmp_path, name, failure):
    """A stand-in for a tool on PATH that prints a real failure and exits with its code."""
    code, text = FAILURES[failure]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    (tmp_path / f"{name}.err").write_text(text, encoding="utf-8")
    (bin_dir / name).write_text(f'#!/bin/sh\ncat "{tmp_path / name}.err" >&2\nexit {code}\n')
    (bin_dir / name).chmod(0o755)
    return clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}", SSH_HOST="web.example.org",
                     SSH_PORT="2222", SSH_USER="deploy", SSH_TARGET_DIR="/var/www/site")


@pytest.mark.parametrize("failure", list(FAILURES))
def test_an_upload_failure_is_one_plain_line_with_what_to_check(tmp_path, failure):
    env = failing(tmp_path, "rsync", failure)
    result = subprocess.run(["python3", str(SEND), "rsync_upload", "--", "rsync", "-r", "x/", "y"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == FAILURES[failure][0]
    assert result.stderr.splitlines() == [
        f"make rsync_upload: could not send the site: {EXPLAINED[failure]} The live site was"
        " not changed."]


def test_an_unknown_failure_keeps_the_tools_own_words(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "rsync").write_text("#!/bin/sh\necho 'rsync: something new' >&2\nexit 5\n")
    (bin_dir / "rsync").chmod(0o755)
    env = clean_env(PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = subprocess.run(["python3", str(SEND), "rsync_upload", "--", "rsync"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 5
    assert result.stderr.splitlines() == [
        "rsync: something new",
        "make rsync_upload: rsync failed (code 5; its message is above). The live site was not"
        " changed."]


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_make_rsync_upload_names_a_server_that_is_not_found(tmp_path):
    env = failing(tmp_path, "ssh", "host not found")
    result = make("rsync_upload", tmp_path, *RSYNC, "SSH_TARGET_DIR=/var/www/site", env=env)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "code 255" not in result.stderr
    assert ("make rsync_upload: could not send the site: " + EXPLAINED["host not found"]
            + " The live site was not changed.") in result.stderr.splitlines()
