"""The build: warning-free, repeatable, and atomic when content is broken.

Also: tools/build.py takes Pelican's options and the Makefile pelican-quickstart's
usages; every error is one line; one build of a folder at a time; the pins are
whole on each side; plugins/image_sizes.
"""

import ast
import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import pelican_internals
from helpers import CONTENT, ROOT, SETTINGS, SITES, free_port, run_build, snapshot, tree_differences

BUILD = ROOT / "tools" / "build.py"


def test_build_is_warning_free(site):
    assert "PROBLEM" not in site.log
    assert "Built the site" in site.log


def test_build_has_every_page_type(site):
    types = {s.body["data-page-type"] for _, s in site.pages()}
    assert {"home", "article", "faq", "practice", "references", "hub", "listing"} <= types


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "output"
    result = run_build(again)
    assert result.returncode == 0, result.stderr
    assert tree_differences(site.output, again) == []  # the one repeat of the development build
    assert len(list((again / "pagefind" / "fragment").iterdir())) >= 25  # the search index too


def test_broken_link_stops_build_and_keeps_old_site(site, content_copy, tmp_path):
    output = tmp_path / "output"
    assert run_build(output, content=content_copy).returncode == 0
    before = snapshot(output)

    article = content_copy / "articles" / "recovery.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\nSee [this guide]({filename}/articles/no-such-guide.md).\n",
                       encoding="utf-8")
    line = text.count("\n") + 2
    result = run_build(output, content=content_copy)

    assert result.returncode != 0
    assert (f"content/articles/recovery.md:{line}: the link "
            "`{filename}/articles/no-such-guide.md` points to a file that does not exist"
            ) in result.stderr
    assert "was not changed" in result.stderr
    assert snapshot(output) == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".output-")]
    assert leftovers == [".output-made"]  # the record of the output folder the build made


def test_a_build_builds_into_the_site_it_replaced_last_time(content_copy, tmp_path):
    """The site a build replaces is kept beside the output folder (.output-spare), and
    the next build builds into it, emptied: its folders are reused, a page removed
    since leaves neither file nor folder, and the result is a clean build's."""
    made = make("newarticle", f"INPUTDIR={content_copy}", "TITLE=Soon removed",
                "CATEGORY=Your procedure")
    assert made.returncode == 0, made.stderr
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    for _ in range(2):
        assert run_build(output, content=content_copy).returncode == 0
    assert (spare / "articles" / "soon-removed" / "index.html").is_file()
    folder = (spare / "faq").stat().st_ino

    (content_copy / "articles" / "soon-removed.md").unlink()
    result = run_build(output, content=content_copy)
    assert result.returncode == 0, result.stderr
    assert (output / "faq").stat().st_ino == folder
    assert not (output / "articles" / "soon-removed").exists()
    clean = tmp_path / "clean"
    assert run_build(clean, content=content_copy).returncode == 0
    assert tree_differences(output, clean) == []
    assert ({p.relative_to(output) for p in output.rglob("*") if p.is_dir()}
            == {p.relative_to(clean) for p in clean.rglob("*") if p.is_dir()})


# Pelican's options and pelican-quickstart's Makefile usages ----------------------

def build_command(*args, **popen):
    """tools/build.py with these arguments, run to the end."""
    return subprocess.run([sys.executable, str(BUILD), *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, **popen)


def make(*args):
    return subprocess.run(["make", "--no-print-directory", "-C", str(ROOT), *args],
                          capture_output=True, text=True, timeout=600,
                          env={k: v for k, v in os.environ.items()
                               if k not in ("MAKEFLAGS", "MFLAGS")})


FOLDERS = ["INPUTDIR=/in", "OUTPUTDIR=/out", "CONFFILE=/dev.py", "PUBLISHCONF=/live.py"]


@pytest.mark.parametrize("target, expected", [
    ("html", "/in -o /out -s /dev.py"),
    ("publish", "/in -o /out -s /live.py"),
    ("regenerate", "/in -o /out -r -s /dev.py"),
    ("serve", "/in -o /out -l -p 8123 -b 127.0.0.1 -s /dev.py"),
    ("serve-global", "/in -o /out -l -p 8123 -b 10.1.2.3 -s /dev.py"),
    ("devserver", "/in -o /out -lr -p 8123 -b 127.0.0.1 -s /dev.py"),
    ("devserver-global", "/in -o /out -lr -p 8123 -b 10.1.2.3 -s /dev.py"),
])
def test_make_targets_pass_the_quickstart_switches_to_the_build(target, expected):
    """Every target takes INPUTDIR, OUTPUTDIR, CONFFILE (PUBLISHCONF), PORT, SERVER and
    PELICANOPTS; DEBUG=1 adds Pelican's -D and RELATIVE=1 --relative-urls, also to a
    PELICANOPTS given on the command line."""
    result = make("-n", target, *FOLDERS, "PORT=8123", "SERVER=10.1.2.3", "DEBUG=1",
                  "RELATIVE=1", "PELICANOPTS=-e SITENAME='\"A B\"' --ignore-cache")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if "tools/build.py" in x)
    args = shlex.split(line)
    args = args[args.index(str(BUILD)) + 1:]
    assert args == [*expected.split(), "-e", 'SITENAME="A B"', "--ignore-cache", "-D",
                    "--relative-urls"]


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_extra_settings_reach_pelican_through_make_html(content_copy, tmp_path):
    output = tmp_path / "output"
    result = make("html", f"INPUTDIR={content_copy}", f"OUTPUTDIR={output}",
                  f"PELICANOPTS=--cache-path {tmp_path / 'cache'} -e SITENAME='\"Made by make\"'")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "<title>Made by make" in (output / "index.html").read_text(encoding="utf-8")
    assert "PROBLEM" not in result.stderr


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def wait_for(check, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_devserver_takes_the_folders_and_options_rebuilds_and_keeps_404s_apart(
        content_copy, tmp_path):
    """make devserver builds INPUTDIR into OUTPUTDIR with PELICANOPTS, serves it on PORT,
    rebuilds on a save; the web server's 404 warnings are not build problems."""
    port, output, log = free_port(), tmp_path / "output", tmp_path / "devserver.log"
    command = ["make", "--no-print-directory", "-C", str(ROOT), "devserver", f"PORT={port}",
               f"INPUTDIR={content_copy}", f"OUTPUTDIR={output}",
               f"PELICANOPTS=--cache-path {tmp_path / 'cache'} -e SITENAME='\"Preview\"'"]
    with open(log, "w") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        home = f"http://127.0.0.1:{port}/"
        wait_for(lambda: fetch(home)[0] == 200, 120, "the preview to answer")
        assert "<title>Preview" in fetch(home)[1]
        assert fetch(home + "no-such-page/")[0] == 404
        article = content_copy / "articles" / "recovery.md"
        article.write_text(article.read_text(encoding="utf-8")
                           + "\nSaved while the preview ran.\n", encoding="utf-8")
        wait_for(lambda: "Saved while the preview ran." in fetch(home + "articles/recovery/")[1],
                 120, "the rebuild after a save")
        # make publish into the folder the preview rewrites on each save: refused (its
        # next save would mix preview pages into the live site, their .gz copies older).
        pages = lambda: {path: data for path, data in snapshot(output).items()  # noqa: E731
                         if path.parts[0] != "pagefind"}  # the preview's index may catch up
        before = pages()
        published = make("publish", f"INPUTDIR={content_copy}", f"OUTPUTDIR={output}",
                         f"PELICANOPTS=--cache-path {tmp_path / 'live-cache'}")
        assert published.returncode != 0
        assert problems(published) == [
            f"PROBLEM  The preview (make devserver) is running on {output}/; stop it with"
            " Ctrl+C first, then publish."]
        assert pages() == before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    text = log.read_text()
    assert "404" in text and "PROBLEM" not in text, text
    assert text.count("Built the site into") >= 2, text


def test_serve_serves_the_output_folder_with_its_404_page(site, tmp_path):
    """make serve (Pelican's -l): the site as built, a missing page answered with 404.html."""
    port, log = free_port(), tmp_path / "serve.log"
    with open(log, "w") as sink:
        server = subprocess.Popen([sys.executable, str(BUILD), "-l", "-p", str(port),
                                   "-o", str(site.output)], stdout=sink,
                                  stderr=subprocess.STDOUT, cwd=ROOT)
    try:
        home = f"http://127.0.0.1:{port}/"
        wait_for(lambda: fetch(home)[0] == 200, 60, "the server to answer")
        assert fetch(home)[1] == (site.output / "index.html").read_text(encoding="utf-8")
        status, _ = fetch(home + "no-such-page/")
        assert status == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert '"GET /no-such-page/ HTTP/1.1" 404' in text and "PROBLEM" not in text, text
    assert "Built the site" not in text, "make serve only serves"


# One line per error --------------------------------------------------------------

BOOM = SITES / "boom"  # the site's settings, and a plugin that fails at the start
BOOM_SETTINGS = BOOM / "settings.py"
RAISE = ["-e", 'BOOM="raise"']  # last: -e takes every argument after it


def problems(result):
    return [line for line in result.stderr.splitlines() if line.startswith("PROBLEM")]


def test_an_unexpected_exception_is_one_line_without_its_text(tmp_path):
    output = tmp_path / "output"
    result = build_command(CONTENT, "-s", BOOM_SETTINGS, "-o", output, "--cache", tmp_path / "c",
                           *RAISE)
    assert result.returncode == 1
    plugin = BOOM / "plugins" / "boom" / "__init__.py"  # named from the project's folder
    line = line_of(plugin, "raise ValueError")
    assert problems(result) == [
        f"PROBLEM  The build failed ({plugin.relative_to(ROOT)}:{line}): an"
        " unexpected ValueError. Run it again with DEBUG=1 (make html DEBUG=1, or -D) for the"
        " details."]
    everything = result.stdout + result.stderr
    assert "own text" not in everything and "Traceback" not in everything
    assert not output.exists()


def test_debug_shows_the_exception_and_its_traceback(tmp_path):
    result = build_command(CONTENT, "-s", BOOM_SETTINGS, "-o", tmp_path / "output", "-D",
                           "--cache", tmp_path / "c", *RAISE)
    assert result.returncode == 1
    assert "Traceback" in result.stderr
    assert "ValueError: the exception's own text" in result.stderr


@pytest.mark.parametrize("mistake, expected", [
    ("X = (\n", "PROBLEM  {settings.name} line 1: a `(` opened here is never closed: add its"
                " `)`."),
    ("X = 1 / 0\n", "PROBLEM  {settings.name} line 1: Python could not work out this line (a"
                    " ZeroDivisionError): check the kind of value (a text in quotes, a number, a"
                    " list in [ ])."),
])
def test_a_broken_settings_file_is_one_line(tmp_path, mistake, expected):
    settings = tmp_path / "broken_settings.py"
    settings.write_text(mistake, encoding="utf-8")
    result = build_command("-s", settings, "-o", tmp_path / "output")
    assert result.returncode == 1
    assert problems(result) == [expected.format(settings=settings)]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, expected", [
    (["-s", "/no/such/settings.py"], "PROBLEM  The settings file /no/such/settings.py does not"
                                     " exist. Give one with -s (CONFFILE=)."),
    (["-e", "SITENAME=Plain words"], "PROBLEM  -e takes SETTING=VALUE pairs, VALUE in JSON"
                                     " (`SITENAME=Plain words`: the value is not JSON): -e"
                                     " SITEURL='\"https://example.org\"' RELATIVE_URLS=true"
                                     " FEED_ALL_ATOM=null"),
])
def test_a_wrong_option_is_one_line(tmp_path, args, expected):
    result = build_command("-o", tmp_path / "output", *args)
    assert result.returncode != 0
    assert problems(result) == [expected]
    assert "Traceback" not in result.stderr


IN_ONE_PROCESS = """
import logging, sys
import build  # tools/, on PYTHONPATH
root = logging.getLogger()
root.addHandler(logging.StreamHandler(sys.stdout))  # a handler of the program's own
before = root.handlers[:], root.level
codes = [build.main({argv!r}), build.main({argv!r})]
print("exit codes", codes, "logging as before:", (root.handlers[:], root.level) == before)
logging.getLogger("tornado.access").warning("404 GET /favicon.ico (127.0.0.1) 0.5ms")
"""


def test_the_build_leaves_logging_as_it_found_it(tmp_path):
    """Two builds in one process (as the preview once ran them): the same warning stops
    the second one too, and after a build the log no longer turns a web server's 404
    into a PROBLEM. (In a process of its own: a build connects its plugins to Pelican's
    signals for the rest of the process.)"""
    argv = [str(CONTENT), "-s", str(BOOM_SETTINGS),
            "-o", str(tmp_path / "output"), "--cache-path", str(tmp_path / "cache")]
    script = IN_ONE_PROCESS.format(argv=argv)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            cwd=ROOT, timeout=600,
                            env={**os.environ, "PYTHONPATH": str(ROOT / "tools")})
    assert "exit codes [1, 1] logging as before: True" in result.stdout, result.stderr
    assert result.stderr.count("PROBLEM  the same warning every time") == 2, result.stderr
    assert "404 GET /favicon.ico" in result.stdout and "PROBLEM  404" not in result.stderr


# One build at a time --------------------------------------------------------------

def lock_file(folder):
    return folder.with_name(f".{folder.name}-lock")


def waiting_for_the_lock(path):
    """A process is blocked on the lock of this file (/proc/locks marks those with ->)."""
    inode = f":{os.stat(path).st_ino} "
    with open("/proc/locks") as locks:
        return any(" -> " in line and inode in line for line in locks)


HOLD_THE_LOCK = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)  # as a build in progress does, and says who it is
os.write(fd, f"{os.getpid()} tools/build.py stuck".encode())
print("held", flush=True)
time.sleep(600)
"""


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
@pytest.mark.parametrize("shared", ["output", "cache"])
def test_a_second_build_waits_names_the_holder_and_goes_on_when_it_is_killed(shared, tmp_path):
    """The waiting build says which process holds the folder; a stuck holder, killed,
    takes its lock with it (flock), and the waiting build then builds."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    held = lock_file(output if shared == "output" else cache)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_LOCK, str(held)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        log = tmp_path / "second.log"
        with open(log, "w") as sink:
            second = subprocess.Popen(
                [sys.executable, str(BUILD), str(CONTENT), "-o", str(output), "--cache-path",
                 str(cache)], stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)
        wait_for(lambda: "Another build" in log.read_text(), 60, "the waiting message")
        wait_for(lambda: waiting_for_the_lock(held) or second.poll() is not None, 60,
                 "the second build to wait for the lock")
        assert second.poll() is None, "the second build did not wait"
        assert not output.exists()
    finally:
        holder.kill()
        holder.wait()
    assert second.wait(timeout=300) == 0, log.read_text()
    text = log.read_text()
    shown = output if shared == "output" else cache
    assert (f"Another build (process {holder.pid}: tools/build.py stuck) is using {shown}/;"
            " waiting for it to finish.") in text
    assert "Built the site" in text
    assert not held.exists() and not lock_file(output).exists()


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_two_builds_at_once_of_one_folder_both_finish_and_agree(site, tmp_path):
    output, cache = tmp_path / "output", tmp_path / "cache"
    command = [sys.executable, str(BUILD), str(CONTENT), "-o", str(output),
               "--cache-path", str(cache)]
    builds = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=ROOT) for _ in range(2)]
    results = [(b.wait(timeout=600), *b.communicate()) for b in builds]
    assert [code for code, _, _ in results] == [0, 0], results
    assert tree_differences(site.output, output) == []
    # no staging folder left; the site the second build replaced is the spare
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".output-made", ".output-spare", "cache", "output"]


# The pins -----------------------------------------------------------------------

def pins(name):
    """{package: (version, extras)} pinned in a requirements file and the files it includes."""
    found = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found.update(pins(line[3:].strip()))
        elif line:
            requirement = Requirement(line)
            (version,) = [spec.version for spec in requirement.specifier if spec.operator == "=="]
            found[canonicalize_name(requirement.name)] = (version, requirement.extras)
    return found


@pytest.mark.parametrize("name", ["requirements.txt", "requirements-test.txt"])
def test_every_requirement_is_pinned_with_all_it_needs(name):
    """Each file is whole: what each pinned package asks for (on this machine) is pinned
    too, in the file or the one it includes; and the pinned versions are the ones installed."""
    pinned = pins(name)
    missing, wrong = [], []
    for package, (version, extras) in pinned.items():
        installed = importlib.metadata.distribution(package)
        if installed.version != version:
            wrong.append(f"{package}: pinned {version}, installed {installed.version}")
        for text in installed.requires or []:
            need = Requirement(text)
            environments = [{"extra": e} for e in extras] or [{"extra": ""}]
            if need.marker and not any(need.marker.evaluate(env) for env in environments):
                continue
            if canonicalize_name(need.name) not in pinned:
                missing.append(f"{need.name} (for {package})")
    assert missing == [], f"{name} lacks: {', '.join(sorted(set(missing)))}"
    assert wrong == []


def imported_packages(paths):
    """The distributions that the top-level imports of these Python files come from."""
    local = {p.stem for p in ROOT.rglob("*.py") if ".venv" not in p.parts
             and "node_modules" not in p.parts} | {p.name for p in (ROOT / "plugins").iterdir()}
    where = importlib.metadata.packages_distributions()
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for module in (n.split(".")[0] for n in names):
                if module not in sys.stdlib_module_names and module not in local:
                    dists = {canonicalize_name(d) for d in where.get(module, [module])}
                    found.setdefault(module, (dists, path.relative_to(ROOT).as_posix()))
    return found


BUILD_CODE = ["plugins/**/*.py", "tools/build.py", "tools/build_log.py", "tools/build_locks.py",
              "tools/build_settings.py", "tools/output_folder.py", "tools/cache_folder.py",
              "tools/devserver.py", "tools/preview.py",
              "tools/new_content.py", "pelicanconf.py", "publishconf.py", "deploy/*.py"]
TEST_CODE = ["tests/**/*.py", "bench/*.py", "tools/make_icons.py"]  # tests/sites/ too


@pytest.mark.parametrize("name, patterns", [
    ("requirements.txt", BUILD_CODE),
    ("requirements-test.txt", BUILD_CODE + TEST_CODE),
])
def test_what_the_code_imports_is_pinned_on_its_side(name, patterns):
    """`make html` installs only requirements.txt: the build's code may import nothing
    else. The tests and the benchmark may also use requirements-test.txt."""
    pinned = set(pins(name))
    files = sorted({p for pattern in patterns for p in ROOT.glob(pattern)})
    unpinned = [f"{module} ({where})" for module, (dists, where)
                in imported_packages(files).items() if not dists & pinned]
    assert unpinned == []


# plugins/image_sizes --------------------------------------------------------------

def jpeg(width, height):
    """The smallest JPEG header imagesize reads: start, a frame header, end."""
    frame = struct.pack(">BHHB", 8, height, width, 3) + bytes.fromhex("012200021101031101")
    return b"\xff\xd8\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame + b"\xff\xd9"


def webp(width, height, lossless=False):
    if lossless:
        data = b"\x2f" + struct.pack("<I", (width - 1) | (height - 1) << 14)
        chunk = b"VP8L" + struct.pack("<I", len(data)) + data + b"\0"
    else:
        data = b"\0" * 4 + (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        chunk = b"VP8X" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def png(width, height):
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + header
            + struct.pack(">I", zlib.crc32(b"IHDR" + header)))


def svg(attributes):
    return (f'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" {attributes}>'
            '<rect width="5" height="7"/></svg>').encode()


@pytest.fixture
def image_sizes():
    spec = importlib.util.spec_from_file_location(
        "image_sizes_under_test", ROOT / "plugins" / "image_sizes" / "__init__.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("src, size", [
    ("{static}/images/photo.jpg", (640, 427)),
    ("{static}/images/photo.webp", (800, 533)),
    ("{attach}/images/lossless.webp", (300, 200)),
    ("{static}/images/icon.png", (64, 32)),
    ("{static}/images/box.svg", (480, 300)),  # its viewBox
    ("{static}/images/sized.svg", (120, 90)),  # its width and height
    ("{static}/images/percent.svg", (200, 100)),  # width="100%": its viewBox
    ("{static}../images/photo.jpg", (640, 427)),  # relative to content/faq/
    ("{static}diagram.webp", (320, 240)),  # content/faq/diagram.webp
    ("{static}./diagram.webp?v=2#x", (320, 240)),
    ("{static}/images/photo%20two.jpg", (10, 20)),
    ("{static}/images/missing.jpg", None),
    ("{static}../../outside.jpg", None),
    ("{static}/images/not-a-picture.jpg", None),
])
def test_image_sizes_reads_each_format_and_resolves_paths_as_pelican_does(
        image_sizes, tmp_path, src, size):
    content = tmp_path / "content"
    (content / "images").mkdir(parents=True)
    (content / "faq").mkdir()
    files = {
        "images/photo.jpg": jpeg(640, 427), "images/photo.webp": webp(800, 533),
        "images/lossless.webp": webp(300, 200, lossless=True), "images/icon.png": png(64, 32),
        "images/box.svg": svg('viewBox="0 0 480 300"'),
        "images/sized.svg": svg('width="120px" height="90" viewBox="0 0 480 300"'),
        "images/percent.svg": svg('width="100%" height="100%" viewBox="0,0,200,100"'),
        "faq/diagram.webp": webp(320, 240), "images/photo two.jpg": jpeg(10, 20),
        "images/not-a-picture.jpg": b"not a picture",
    }
    for name, data in files.items():
        (content / name).write_bytes(data)
    (tmp_path / "outside.jpg").write_bytes(jpeg(1, 1))
    page = SimpleNamespace(_content=f'<p><img alt="A picture" src="{src}"></p>',
                           settings={"PATH": str(content)},
                           source_path=str(content / "faq" / "q.md"))
    image_sizes.on_content(page)
    if size:
        assert pelican_internals.page_html(page) == (f'<p><img alt="A picture" src="{src}" width="{size[0]}"'
                                 f' height="{size[1]}"></p>')
    else:
        assert pelican_internals.page_html(page) == f'<p><img alt="A picture" src="{src}"></p>'


def test_image_sizes_keeps_a_size_given_in_the_markup(image_sizes, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(jpeg(640, 427))
    html = '<img src="{static}/images/a.jpg" alt="x" width="100" />'
    assert image_sizes.add_sizes(html, tmp_path) == html
    assert image_sizes.add_sizes('<img src="{static}/images/a.jpg" alt="x" />', tmp_path) == (
        '<img src="{static}/images/a.jpg" alt="x" width="640" height="427"/>')


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_a_content_cache_pelican_cannot_read_is_rebuilt_not_a_problem(tmp_path):
    """A cache left by an earlier setting (GZIP_CACHE, as before it was turned off) or
    another Pelican: the build reads the files again and says nothing."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    command = [sys.executable, str(BUILD), "-o", str(output), "--cache", str(cache), "-q"]
    assert subprocess.run([*command, "-e", "GZIP_CACHE=true"], cwd=ROOT).returncode == 0
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and "PROBLEM" not in result.stderr, result.stderr


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_a_changed_template_shows_on_the_next_warm_build(tmp_path):
    """theme_filters keeps compiled templates in the content cache: a changed template
    must be compiled again, never served from there."""
    theme, output, cache = tmp_path / "theme", tmp_path / "output", tmp_path / "cache"
    shutil.copytree(ROOT / "theme", theme)
    command = [sys.executable, str(BUILD), "-o", str(output), "--cache", str(cache), "-q",
               "-e", f'THEME="{theme}"']
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    assert list((cache / "kept" / "templates").glob("*/__jinja2_*.cache"))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "<head>", '<head><meta name="x-template-test" content="changed">', 1), encoding="utf-8")
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    assert 'name="x-template-test"' in (output / "index.html").read_text(encoding="utf-8")
    assert 'name="x-template-test"' in (output / "es" / "index.html").read_text(encoding="utf-8")


# What the build may replace (issue 21) --------------------------------------------

def names_in(folder):
    return sorted(os.listdir(folder)) if folder.is_dir() else None


def kept_folders(settings_file):
    """The folders a build must never replace, from the settings as Pelican reads them."""
    from pelican.settings import read_settings

    settings = read_settings(str(settings_file))
    project = settings_file.resolve().parent
    plugins = [project / folder for folder in settings["PLUGIN_PATHS"]]
    return [project, Path(settings["PATH"]), Path(settings["THEME"]), ROOT / "tools", *plugins]


@pytest.mark.parametrize("where", ["is", "inside", "holds"])
def test_an_output_folder_that_would_replace_the_project_is_refused(where, tmp_path):
    """OUTPUTDIR is, lies inside, or holds the project, content, theme, plugins or
    tools (as the settings name them), or is / or the home folder: one line, a
    non-zero exit, nothing touched (the folder and the one it is in list the same)."""
    folders = kept_folders(ROOT / "pelicanconf.py")
    if where == "is":
        outputs = folders + [Path("/"), Path.home()]
    elif where == "inside":
        outputs = [folder / "sub" for folder in folders[1:]]
    else:
        outputs = [ROOT.parent]
    for output in outputs:
        before = names_in(output), names_in(output.parent)
        result = build_command("-o", output, "--cache", tmp_path / "cache")
        assert result.returncode == 1, (output, result.stdout, result.stderr)
        assert len(problems(result)) == 1 and "OUTPUTDIR=" in problems(result)[0], result.stderr
        assert "Traceback" not in result.stderr
        # The cache folder too: the build removes files there.
        result = build_command("-o", tmp_path / "output", "--cache", output)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert len(problems(result)) == 1 and "--cache-path=" in problems(result)[0]
        cleaned = make("clean", f"OUTPUTDIR={output}")  # make clean deletes the output folder
        assert cleaned.returncode != 0 and "Nothing was deleted" in cleaned.stderr
        assert (names_in(output), names_in(output.parent)) == before, output


def test_the_build_empties_only_a_spare_folder_it_made(content_copy, tmp_path):
    """An output folder the build did not make is kept whole as the spare, unmarked; the
    next build then refuses to empty it, saying so, and the file in it stays."""
    output, spare = tmp_path / "output", tmp_path / ".output-spare"
    output.mkdir()
    (output / "notes.txt").write_text("mine")
    assert run_build(output, content=content_copy).returncode == 0
    assert (spare / "notes.txt").read_text() == "mine"
    result = run_build(output, content=content_copy)
    assert result.returncode == 1
    assert problems(result) == [problems(result)[0]] and str(spare) in problems(result)[0]
    assert names_in(spare) == ["notes.txt"] and (output / "index.html").is_file()


@pytest.mark.slow  # a whole build of the site's copy, through build_command
def test_a_page_that_takes_too_long_to_read_stops_the_build_and_is_named(content_copy, tmp_path):
    """Python-Markdown takes seconds on a few thousand `[` (minutes on more): reading
    one file has a time limit (CONTENT_CHECKS' read_time_limit; 1 s here), then the build stops with one
    line naming the file, and the site is kept."""
    page = content_copy / "articles" / "recovery.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n" + "[" * 8000 + "\n", encoding="utf-8")
    output = tmp_path / "output"
    result = build_command("-c", content_copy, "-o", output, "--cache", tmp_path / "cache",
                           "-e", "CONTENT_CHECKS=" + json.dumps({**SETTINGS["CONTENT_CHECKS"],
                                                                 "read_time_limit": 1}))
    assert result.returncode == 1
    assert problems(result)[0] == (
        f"PROBLEM  {content_copy.name}/articles/recovery.md: reading this file took longer than"
        " 1 s, so the build"
        " stopped reading it. Long runs of brackets ([ or ]) or of other marks do that:"
        " remove them, or split the text into shorter lines and paragraphs.")
    assert not output.exists()


# The cache folder: keyed, and read only when this checkout signed it (issue 21) -----

TOC_LINKS = ('MARKDOWN={"extension_configs": {"markdown.extensions.toc": {"permalink": true},'
             ' "markdown.extensions.attr_list": {}, "markdown.extensions.tables": {}},'
             ' "output_format": "html5"}')


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_a_changed_markdown_setting_reaches_every_page_of_a_warm_build(content_copy, tmp_path):
    """Pelican's content cache is keyed on file times only: after a change of the
    Markdown settings, the next build must not keep the old HTML of the pages."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_command("-c", content_copy, "-o", output, "--cache", cache).returncode == 0
    warm = build_command("-c", content_copy, "-o", output, "--cache", cache, "-e", TOC_LINKS)
    cold = build_command("-c", content_copy, "-o", tmp_path / "cold", "--cache",
                         tmp_path / "cold-cache", "-e", TOC_LINKS)
    assert warm.returncode == cold.returncode == 0, warm.stderr + cold.stderr
    assert 'class="headerlink"' not in (tmp_path / ".output-spare" / "articles" / "recovery"
                                        / "index.html").read_text(encoding="utf-8")
    assert tree_differences(output, tmp_path / "cold") == []


def test_the_cache_key_follows_settings_plugin_code_and_versions_not_the_output(tmp_path):
    import build
    from build_settings import load_settings
    from cache_folder import cache_key

    settings_file = ROOT / "pelicanconf.py"
    settings = load_settings(build.parse(["-o", str(tmp_path / "a")])[0])
    key = cache_key(settings, settings_file)
    assert cache_key({**settings, "OUTPUT_PATH": str(tmp_path / "b")}, settings_file) == key
    assert cache_key({**settings, "SITENAME": "Another"}, settings_file) != key
    plugins = tmp_path / "plugins"
    shutil.copytree(ROOT / "plugins", plugins, ignore=shutil.ignore_patterns("__pycache__"))
    moved = {**settings, "PLUGIN_PATHS": [str(plugins)]}
    before = cache_key(moved, settings_file)
    filters = plugins / "fingerprint" / "__init__.py"
    filters.write_text(filters.read_text().replace("@pass_context\n", "", 1))
    assert cache_key(moved, settings_file) != before


PICKLED_COMMAND = b"cos\nsystem\n(S'touch %s'\ntR."  # pickle: os.system("touch ...") on load


@pytest.mark.slow  # builds the site itself (make, tools/build.py)
def test_cache_files_this_checkout_did_not_sign_are_never_read(content_copy, tmp_path):
    """A cache folder written by someone else (a CI cache, a crafted file) is removed,
    not read: Pelican's cache is pickle (code runs as it loads), the results of the
    checks say a page is fine. A secret outside the cache folder, git-ignored, signs."""
    output, cache = tmp_path / "output", tmp_path / "cache"
    assert build_command("-c", content_copy, "-o", output, "--cache", cache).returncode == 0
    before = snapshot(output)
    ran = tmp_path / "code-ran"
    (cache / "ArticlesGenerator-Readers").write_bytes(PICKLED_COMMAND.replace(b"%s", bytes(ran)))
    checks = cache / "kept" / "content-checks-results.json"
    checks.write_text(checks.read_text().replace('"notices": [', '"notices": [["x", "y"],', 1))
    (cache / "kept" / "new-plugin-results.json").write_text('{"results": {}}')  # any name
    result = build_command("-c", content_copy, "-o", output, "--cache", cache)
    assert result.returncode == 0, result.stderr
    assert not ran.exists() and snapshot(output) == before
    assert '["x", "y"]' not in checks.read_text()
    assert not (cache / "kept" / "new-plugin-results.json").exists()
    assert not ROOT.joinpath(".cache-secret").is_relative_to(cache)
    # A link in its place is removed, never followed; a file the build does not keep stays.
    (cache / "notes.txt").write_text("mine")
    (cache / "PagesGenerator-Readers").unlink()
    (cache / "PagesGenerator-Readers").symlink_to(cache / "ArticlesGenerator-Readers")
    (cache / "ArticlesGenerator-Readers").write_bytes(PICKLED_COMMAND.replace(b"%s", bytes(ran)))
    result = build_command("-c", content_copy, "-o", output, "--cache", cache)
    assert result.returncode == 0 and not ran.exists() and snapshot(output) == before
    assert (cache / "notes.txt").read_text() == "mine"
    assert not (cache / "PagesGenerator-Readers").is_symlink()
    assert subprocess.run(["git", "check-ignore", "-q", ".cache-secret"], cwd=ROOT).returncode == 0


# Settings files with a typing mistake (issue 24) ----------------------------------

def broken_settings(tmp_path, old, new, name="pelicanconf.py"):
    """A copy of the project's settings in tmp_path (with the folders they name), with
    the first match of the pattern `old` (a line's start: whatever value an editor
    gave the setting) replaced by `new` in the file `name`."""
    for folder in ("theme", "plugins", "data"):
        (tmp_path / folder).symlink_to(ROOT / folder)
    for settings in ("pelicanconf.py", "publishconf.py"):
        text = (ROOT / settings).read_text(encoding="utf-8")
        if settings == name:
            text, found = re.subn(old, lambda _: new, text, count=1, flags=re.M)
            assert found, f"{old!r} is no longer in {name}: update the test"
        (tmp_path / settings).write_text(text, encoding="utf-8")
    return tmp_path / name


def line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def settings_problem(tmp_path, settings, *options):
    result = subprocess.run(
        [sys.executable, str(BUILD), "-s", str(settings), "-c", str(CONTENT),
         "-o", str(tmp_path / "output"), "--cache", str(tmp_path / "cache"), *options],
        capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert not (tmp_path / "output").exists()
    return result


@pytest.mark.parametrize("old, new, broken, message", [
    ('^PHONE_TEL = "', 'PHONE_TEL = ', "PHONE_TEL =",
     'pelicanconf.py line {line}: a text is missing its closing quote (").'),
    ("^VIDEO_ID = .*$", "VIDEO_ID = abc", "VIDEO_ID =",
     'pelicanconf.py line {line}: `abc` is not a setting defined above: if it is a text,'
     ' put it in quotes ("abc"); otherwise check its spelling.'),
    (r"^LANGUAGE_HELP = \{[^}]*\}", 'LANGUAGE_HELP = {\n    "en": ""\n    "es": "",\n}',
     "LANGUAGE_HELP =", "pelicanconf.py line {next}: a comma may be missing at the end of line"
                        " {after}."),
    ('^SITENAME = "', 'SITENAME = ("', "SITENAME =",
     "pelicanconf.py line {line}: a `(` opened here is never closed: add its `)`."),
    ("^VIDEO_ID = .*$", "VIDEO_ID = 123", "VIDEO_ID =",
     'pelicanconf.py line {line}: VIDEO_ID must be a text in quotes, e.g. VIDEO_ID ='
     ' "dQw4w9WgXcQ" (or "" for none).'),
])
def test_a_mistake_in_the_settings_is_one_line_naming_the_line_and_the_fix(
        tmp_path, old, new, broken, message):
    settings = broken_settings(tmp_path, old, new)
    line = line_of(settings, broken)
    result = settings_problem(tmp_path, settings)
    problems = [text for text in result.stderr.splitlines() if text.startswith("PROBLEM")]
    assert problems == ["PROBLEM  " + message.format(line=line, after=line + 1, next=line + 2)]
    assert "Traceback" not in result.stderr + result.stdout
    if "must be" not in message:  # Python's own error: make DEBUG=1 (-D) still shows it
        assert "Traceback" in settings_problem(tmp_path, settings, "-D").stderr


def test_a_mistake_in_pelicanconf_is_named_when_publishing_and_in_the_preview(tmp_path):
    settings = broken_settings(tmp_path, '^PHONE_DISPLAY = "', "PHONE_DISPLAY = ")
    line = line_of(settings, "PHONE_DISPLAY =")
    expected = f'PROBLEM  pelicanconf.py line {line}: a text is missing its closing quote (").'
    published = settings_problem(tmp_path, tmp_path / "publishconf.py")
    assert expected in published.stderr.splitlines()
    assert "Traceback" not in published.stderr
    # The preview's worker (make devserver) reads the settings with the same function.
    read, write = os.pipe()
    worker = subprocess.run(
        [sys.executable, str(BUILD), "-s", str(settings), "-c", str(CONTENT),
         "-o", str(tmp_path / "output"), "--cache", str(tmp_path / "cache"),
         "--preview-worker", str(write)],
        capture_output=True, text=True, pass_fds=(write,), input="", timeout=120)
    os.close(write)
    with os.fdopen(read) as replies:
        assert replies.read() == "failed\n"
    assert worker.stderr.splitlines() == [expected]


def test_a_preview_build_says_so_in_its_folder_and_the_live_build_does_not(site, published):
    """make html and the preview leave a file saying the folder is not for uploading
    (make rsync_upload and make github refuse such a folder); make publish does not."""
    from output_folder import PREVIEW_MARK

    mark = site.output / PREVIEW_MARK
    assert "Do not upload it" in mark.read_text(encoding="utf-8")
    assert "pelicanconf.py" in mark.read_text(encoding="utf-8")
    assert not (published.output / PREVIEW_MARK).exists()
    assert f"PREVIEW_MARK={PREVIEW_MARK}\n" in (ROOT / "Makefile").read_text()
