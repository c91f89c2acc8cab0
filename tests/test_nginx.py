"""The shipped nginx configuration in a real nginx, serving the production build.

nginx (Debian's) runs as a child process on 127.0.0.1 with a temporary prefix and
a main configuration that includes deploy/nginx/kyphoplasty.conf, changed only
in its listen, root and log file lines. Every test talks to it over loopback; the
fixtures stop it at the end.
"""

import gzip
import http.client
import json
import os
import re
import shutil
import subprocess
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import brotli
import lxml.html
import pytest

from helpers import ROOT, address_of, free_port
from hosting_headers import load_hosting
from theme_support import build_variant

NGINX = "/usr/sbin/nginx"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
SHIPPED = ROOT / "deploy" / "nginx" / "kyphoplasty.conf"

hosting = load_hosting()


# Running nginx ---------------------------------------------------------------

def site_conf(root, port, prefix, text=None):
    """The shipped configuration (or text), on 127.0.0.1:port, serving root, logging in prefix."""
    text = SHIPPED.read_text(encoding="utf-8") if text is None else text
    listens = re.findall(r"^ *listen [^;]*;\n", text, re.M)
    assert listens == ["    listen 80;\n", "    listen [::]:80;\n"], listens
    assert text.count("    root /var/www/kyphoplasty;\n") == 1
    text = text.replace(listens[1], "").replace(listens[0], f"    listen 127.0.0.1:{port};\n")
    text = text.replace("root /var/www/kyphoplasty;", f'root "{root}";')
    for shipped, ours in ((hosting.ACCESS_LOG, prefix / "access.log"),
                          (hosting.ERROR_LOG, prefix / "site-error.log")):
        assert text.count(f" {shipped} ") == 1, f"{shipped} is not in the configuration once"
        text = text.replace(f" {shipped} ", f' "{ours}" ')
    return text


def main_conf(prefix):
    """A main configuration that keeps every file nginx writes inside prefix."""
    built_without = subprocess.run([NGINX, "-V"], capture_output=True, text=True).stderr
    temp_paths = "".join(
        f"    {module}_temp_path {prefix}/tmp-{module};\n"
        for module in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        if f"--without-http_{module}_module" not in built_without
    )
    user = "user root;\n" if os.geteuid() == 0 else ""  # the test's files are private to it
    return (
        f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log notice;\n"
        f"load_module {BROTLI_MODULE};\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        "    default_type application/octet-stream;\n"
        # Only the site's own access_log writes: without one, nothing is logged.
        "    access_log off;\n"
        f"{temp_paths}"
        f"    include {prefix}/site.conf;\n"
        "}\n"
    )


def wait_until(condition, what, seconds=10):
    """Poll condition() until it is true; fail naming what did not happen."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def stop(process):
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def start_on_a_free_port(root, prefix, conf):
    """Start nginx on a port that was free a moment ago: (process, port), or None when
    another program took the port first. nginx writes its pid file only once it holds
    its listening socket, so the pid file, not a connection (which another program
    could answer), says it is ready."""
    port = free_port()
    (prefix / "site.conf").write_text(site_conf(root, port, prefix, conf), encoding="utf-8")
    (prefix / "nginx.conf").write_text(main_conf(prefix), encoding="utf-8")
    command = [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
               "-e", str(prefix / "error.log")]
    check = subprocess.run(command + ["-t", "-q"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t rejects the configuration:\n{check.stderr}"
    pid_file = prefix / "nginx.pid"
    pid_file.unlink(missing_ok=True)
    (prefix / "error.log").write_text("", encoding="utf-8")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def ready():
        return (process.poll() is not None
                or pid_file.exists() and pid_file.read_text().strip() == str(process.pid))
    try:
        wait_until(ready, "nginx to start")
    except AssertionError:
        stop(process)
        raise
    if process.poll() is None:
        return process, port
    log = (prefix / "error.log").read_text(encoding="utf-8", errors="replace")
    assert "Address already in use" in log, f"nginx did not start:\n{log}"
    return None


@pytest.fixture(scope="session")
def nginx_program():
    """Debian's nginx with its brotli module. A test that runs nginx asks for it, which
    marks the test `nginx` (conftest.FIXTURE_MARKERS)."""
    assert Path(NGINX).is_file(), "nginx is missing: run tools/system-deps.sh"
    assert BROTLI_MODULE.is_file(), "nginx's brotli module is missing: run tools/system-deps.sh"
    return NGINX


@contextmanager
def nginx(root, prefix, conf=None):
    """Run nginx serving root with the shipped configuration (or conf, its text); yields
    its port. The access and error logs are prefix/access.log and prefix/site-error.log.
    root need not exist yet. Stops nginx after. Its callers ask for `nginx_program`."""
    prefix.mkdir(parents=True, exist_ok=True)
    for _ in range(5):  # another program may take the free port before nginx binds it
        started = start_on_a_free_port(root, prefix, conf)
        if started:
            break
    else:
        raise AssertionError("nginx found no free port in 5 tries")
    process, port = started
    try:
        yield port
    finally:
        stop(process)


def get(port, path, **headers):
    """One GET over loopback: (status, headers as a dict, raw body). Nothing decoded."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def url_of(relative):
    """The URL path a visitor uses for a built file: faq/index.html -> /faq/."""
    return "/" + address_of(relative)


@pytest.fixture(scope="module")
def served(nginx_program, published, tmp_path_factory):
    """The production build served by nginx: (output folder, port)."""
    with nginx(published.output, tmp_path_factory.mktemp("nginx")) as port:
        yield published.output, port


def files_of(output):
    """Every file of the build meant for visitors (relative), precompressed copies and
    `_headers` (for Netlify and Cloudflare Pages, refused by nginx) left out."""
    return [p.lstrip("/") for p in hosting.url_paths(output) if p != "/_headers"]


# Status codes and the 404 page -------------------------------------------------

def test_every_page_and_file_is_served(served):
    output, port = served
    count = 0
    for relative in files_of(output):
        status, headers, body = get(port, url_of(relative))
        assert status == 200, f"{url_of(relative)}: {status}"
        assert body == (output / relative).read_bytes(), f"{url_of(relative)}: not the built file"
        if relative.endswith(".html"):
            assert headers["content-type"] == "text/html; charset=utf-8"
            count += 1
    assert count >= 40


def test_a_missing_page_gets_the_404_page(served):
    output, port = served
    for path in ("/no-such-page/", "/articles/no-such-guide/", "/theme/css/site.00000000.css"):
        status, headers, body = get(port, path)
        assert status == 404, path
        assert body == (output / "404.html").read_bytes(), f"{path}: not our 404 page"
        assert headers["content-type"] == "text/html; charset=utf-8"
        # A missing file is never cached for long, even under a fingerprinted name.
        assert headers["cache-control"] == hosting.SHORT_CACHE, path
        for name, value in hosting.SECURITY_HEADERS.items():
            assert headers[name.lower()] == value, f"{path}: {name}"


def test_a_missing_spanish_page_gets_the_spanish_404_page(served, published):
    output, port = served
    assert hosting.LANGUAGES == list(published.settings["I18N_SUBSITES"])
    for path in ("/es/no-existe/", "/es/articles/no-existe/"):
        status, headers, body = get(port, path)
        assert status == 404, path
        assert body == (output / "es" / "404.html").read_bytes(), f"{path}: not the Spanish 404 page"
        assert b'<html lang="es">' in body
        assert headers["cache-control"] == hosting.SHORT_CACHE, path


def test_a_folder_without_its_slash_redirects_to_it(served):
    _, port = served
    status, headers, _ = get(port, "/faq")
    assert status == 301
    assert headers["location"] == "/faq/"  # relative: right behind a proxy or on any port


def test_nginx_does_not_announce_its_version(served):
    _, port = served
    _, headers, _ = get(port, "/")
    assert headers["server"] == "nginx"


# What nginx never serves, and the manifest's type ------------------------------------

HIDDEN = {
    ".env": b"SECRET=kyphotest-secret\n",
    ".env.gz": b"kyphotest-secret-gz",
    ".git/config": b"[core] kyphotest-secret\n",
    ".git/HEAD": b"ref: kyphotest-secret\n",
    "images/.DS_Store": b"kyphotest-secret",
    "faq/.htpasswd": b"kyphotest-secret",
    ".hidden-folder/index.html": b"kyphotest-secret",
}


@pytest.fixture(scope="module")
def served_with_hidden_files(nginx_program, published, tmp_path_factory):
    """A copy of the production build with hidden files added, served by nginx:
    (output folder, port)."""
    base = tmp_path_factory.mktemp("nginx-hidden")
    output = base / "output"
    shutil.copytree(published.output, output)
    for relative, body in HIDDEN.items():
        (output / relative).parent.mkdir(parents=True, exist_ok=True)
        (output / relative).write_bytes(body)
    (output / ".well-known").mkdir()
    (output / ".well-known" / "security.txt").write_bytes(b"Contact: tel:+18586779957\n")
    with nginx(output, base / "nginx") as port:
        yield output, port


def decoded(headers, body):
    """The body as the browser reads it, unpacked from gzip or brotli."""
    unpack = {"gzip": gzip.decompress, "br": brotli.decompress}.get(
        headers.get("content-encoding"), lambda raw: raw)
    return unpack(body)


def assert_the_404_page(output, path, status, headers, body):
    assert status == 404, f"{path}: {status}"
    assert decoded(headers, body) == (output / "404.html").read_bytes(), f"{path}: not our 404 page"
    assert headers["content-type"] == "text/html; charset=utf-8", path
    for name, value in hosting.SECURITY_HEADERS.items():
        assert headers[name.lower()] == value, f"{path}: {name}"


def test_hidden_files_and_folders_are_not_found(served_with_hidden_files):
    output, port = served_with_hidden_files
    paths = ["/" + relative for relative in HIDDEN]
    paths += ["/.git/", "/.git", "/.hidden-folder/", "/%2Eenv", "/images/%2EDS_Store",
              "/faq/../.env", "/.env?download=1"]
    for path in paths:
        for encoding in ("", "gzip", "br"):
            status, headers, body = get(port, path, **{"Accept-Encoding": encoding})
            assert_the_404_page(output, path, status, headers, body)
            assert b"kyphotest-secret" not in body, path
            assert headers.get("content-encoding") == (encoding or None), path


def test_well_known_is_not_hidden(served_with_hidden_files):
    """/.well-known/ (RFC 8615) is where certbot's webroot challenge and security.txt live."""
    output, port = served_with_hidden_files
    status, headers, body = get(port, "/.well-known/security.txt")
    assert status == 200
    assert body == (output / ".well-known" / "security.txt").read_bytes()
    assert headers["content-type"] == "text/plain; charset=utf-8"
    status, headers, body = get(port, "/.well-known/.secret")
    assert_the_404_page(output, "/.well-known/.secret", status, headers, body)


def test_the_headers_file_is_not_served(served):
    output, port = served
    assert (output / "_headers").is_file()
    for path in ("/_headers", "/_headers?x=1", "/%5Fheaders"):
        status, headers, body = get(port, path)
        assert_the_404_page(output, path, status, headers, body)
        assert b"Cache-Control" not in body


def test_the_web_app_manifest_has_its_type(served):
    output, port = served
    status, headers, body = get(port, "/site.webmanifest")
    assert status == 200
    assert headers["content-type"] == "application/manifest+json"
    assert body == (output / "site.webmanifest").read_bytes()
    assert json.loads(body)["icons"]
    assert headers["cache-control"] == hosting.SHORT_CACHE
    for name, value in hosting.SECURITY_HEADERS.items():
        assert headers[name.lower()] == value, name
    link = lxml.html.fromstring((output / "index.html").read_bytes()).cssselect("link[rel=manifest]")
    assert link and link[0].get("href").endswith("/site.webmanifest")


# HSTS: a switch in hosting.py, for nginx and `_headers` -----------------------------

def test_the_template_gives_the_shipped_file_and_each_switch_its_own_lines():
    """deploy/nginx.conf.template filled by hosting.py (test_deploy checks it gives the
    shipped file the tests here run in nginx): HSTS and each language add their own
    lines and change no other."""
    off, on = (hosting.nginx_server_block(hsts=hsts).splitlines() for hsts in (False, True))
    assert [line for line in on if line not in off] == [
        f'    add_header Strict-Transport-Security "{hosting.HSTS_VALUE}" always;']
    assert [line for line in off if line not in on] == [
        "    # Strict-Transport-Security: off (HSTS in deploy/hosting.py)."]
    for lang in hosting.LANGUAGES:
        assert f"    location /{lang}/ {{\n        error_page 404 /{lang}/404.html;\n" in "\n".join(off)


def test_hsts_switch_adds_the_header_to_nginx_and_to_the_headers_file(nginx_program, published,
                                                                     tmp_path):
    output = published.output
    css = next(f for f in files_of(output) if re.fullmatch(r"theme/css/site\.[0-9a-f]{8}\.css", f))
    assert hosting.HSTS_VALUE == "max-age=31536000; includeSubDomains"
    for hsts in (True, False):
        expected = hosting.HSTS_VALUE if hsts else None
        conf = hosting.nginx_server_block(hsts=hsts)
        with nginx(output, tmp_path / f"hsts-{hsts}", conf=conf) as port:
            for path in ("/", "/faq/", "/" + css, "/site.webmanifest", "/no-such-page/", "/.env"):
                _, headers, _ = get(port, path)
                assert headers.get("strict-transport-security") == expected, f"HSTS {hsts}: {path}"
        rules = dict(parse_headers_file(hosting.headers_file(output, hsts=hsts)))
        assert rules["/*"].get("Strict-Transport-Security") == expected, f"HSTS {hsts}: _headers"


def test_hsts_is_as_hosting_py_says_in_the_shipped_files(served):
    """Off unless HSTS = True in hosting.py: the shipped nginx file and the build agree."""
    output, port = served
    _, headers, _ = get(port, "/")
    assert ("strict-transport-security" in headers) == hosting.HSTS
    assert ("Strict-Transport-Security" in (output / "_headers").read_text()) == hosting.HSTS
    assert ("add_header Strict-Transport-Security" in SHIPPED.read_text()) == hosting.HSTS


# Privacy: what the logs keep ----------------------------------------------------------

LOG_LINE = re.compile(r"(?P<time>\S+) (?P<method>[A-Z]+) (?P<path>/\S*) (?P<status>\d{3}) (?P<bytes>\d+)")


def test_the_access_log_keeps_no_address_no_search_words_no_browser(nginx_program, published,
                                                                   tmp_path):
    output = published.output
    prefix = tmp_path / "nginx"
    visitor = {"User-Agent": "SecretBrowser/1.0", "Referer": "https://elsewhere.example/secretref",
               "Cookie": "secretcookie=1"}
    asked = [  # (request, what the log keeps: the address asked for, status)
        ("/search/?q=secretword", "/search/", 200),
        ("/site.webmanifest?q=secretword", "/site.webmanifest", 200),
        ("/no-such-page/?q=secretword", "/no-such-page/", 404),
        ("/faq", "/faq", 301),
    ]
    with nginx(output, prefix) as port:
        sizes = [len(get(port, request, **visitor)[2]) for request, _, _ in asked]
        log = prefix / "access.log"
        wait_until(lambda: log.read_text().count("\n") == len(asked), "the access log")
        text = log.read_text()
    for secret in ("127.0.0.1", "secretword", "q=", "?", "SecretBrowser", "secretref",
                   "elsewhere", "secretcookie"):
        assert secret not in text, f"the access log keeps {secret!r}:\n{text}"
    lines = text.splitlines()
    for line, (request, path, status), size in zip(lines, asked, sizes):
        fields = LOG_LINE.fullmatch(line)
        assert fields, f"not time, method, path, status, bytes: {line!r}"
        assert datetime.fromisoformat(fields["time"]).tzinfo, line
        assert (fields["method"], fields["path"], int(fields["status"]), int(fields["bytes"])) \
            == ("GET", path, status, size), f"{request}: {line!r}"


def test_the_error_log_keeps_serious_faults_only(nginx_program, published, tmp_path):
    """A folder without an index page is an everyday error that nginx logs with the
    client's address: with the shipped level (crit) it is not logged."""
    output = published.output
    assert (output / "images").is_dir() and not (output / "images" / "index.html").exists()
    shipped = SHIPPED.read_text(encoding="utf-8")
    assert f" {hosting.ERROR_LOG} crit;" in shipped
    logs = {}
    for level in ("crit", "error"):  # shipped, and a lower level to show the entry exists
        prefix = tmp_path / level
        conf = shipped.replace(f" {hosting.ERROR_LOG} crit;", f" {hosting.ERROR_LOG} {level};")
        with nginx(output, prefix, conf=conf) as port:
            assert get(port, "/images/")[0] == 403
            # The access log line comes after the request's error entries.
            wait_until(lambda prefix=prefix: (prefix / "access.log").read_text().count("\n") == 1,
                       "the access log")
            logs[level] = (prefix / "site-error.log").read_text()
    assert "directory index" in logs["error"] and "client: 127.0.0.1" in logs["error"]
    assert logs["crit"] == ""


# Headers --------------------------------------------------------------------------

def test_security_headers_on_pages_and_assets(served):
    output, port = served
    samples = ["index.html", "faq/index.html", "search/index.html", "404.html"]
    for kind in (r"theme/.*\.css", r"theme/.*\.js", r".*\.svg", r"pagefind/pagefind\.js",
                 r"pagefind/fragment/.*", r"pagefind/.*\.pf_meta"):
        found = [f for f in files_of(output) if re.fullmatch(kind, f)]
        assert found, f"the build has no file like {kind}"
        samples.append(found[0])
    for relative in samples:
        _, headers, _ = get(port, url_of(relative))
        for name, value in hosting.SECURITY_HEADERS.items():
            assert headers.get(name.lower()) == value, f"{relative}: {name}"


def test_the_csp_allows_no_inline_code(served):
    _, port = served
    _, headers, _ = get(port, "/")
    policy = dict(d.strip().split(" ", 1) for d in headers["content-security-policy"].split(";"))
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert "'unsafe-eval'" not in headers["content-security-policy"]
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-src"] == "https://www.youtube-nocookie.com"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_cache_headers_long_for_named_by_content_short_for_the_rest(served):
    output, port = served
    long_cached = []
    for relative in files_of(output):
        _, headers, _ = get(port, url_of(relative))
        assert headers["cache-control"] == hosting.cache_control("/" + relative), relative
        if headers["cache-control"] == hosting.LONG_CACHE:
            long_cached.append(relative)
        if relative.endswith(".html"):
            assert headers["cache-control"] == "public, max-age=0, must-revalidate", relative
    # The theme's CSS and JS (fingerprinted) and Pagefind's hashed files, nothing else.
    assert any(re.fullmatch(r"theme/css/site\.[0-9a-f]{8}\.css", f) for f in long_cached)
    assert any(re.fullmatch(r"theme/js/site\.[0-9a-f]{8}\.js", f) for f in long_cached)
    assert any(f.startswith("pagefind/fragment/") for f in long_cached)
    assert any(f.endswith(".pf_meta") for f in long_cached)
    short_only = (".html", "pagefind.js", "pagefind-entry.json")
    assert not [f for f in long_cached if f.endswith(short_only)]


def test_revalidation_answers_304(served):
    _, port = served
    _, headers, _ = get(port, "/faq/")
    status, _, body = get(port, "/faq/", **{"If-None-Match": headers["etag"]})
    assert (status, body) == (304, b"")


# Compression ------------------------------------------------------------------------

def test_precompressed_files_are_served_as_they_are(served):
    output, port = served
    compressed = [f for f in files_of(output) if (output / f"{f}.gz").exists()]
    assert len(compressed) >= 40
    for relative in compressed:
        url = url_of(relative)
        status, headers, body = get(port, url, **{"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers.get("content-encoding") == "gzip", url
        assert headers.get("vary") == "Accept-Encoding", url
        assert body == (output / f"{relative}.gz").read_bytes(), f"{url}: not the .gz file"
        assert gzip.decompress(body) == (output / relative).read_bytes()

        status, headers, body = get(port, url, **{"Accept-Encoding": "br"})
        assert headers.get("content-encoding") == "br", url
        assert body == (output / f"{relative}.br").read_bytes(), f"{url}: not the .br file"
        assert brotli.decompress(body) == (output / relative).read_bytes()

        # A browser accepts both: brotli, the smaller, wins.
        _, headers, _ = get(port, url, **{"Accept-Encoding": "gzip, deflate, br"})
        assert headers.get("content-encoding") == "br", url


def test_without_accept_encoding_the_plain_file(served):
    output, port = served
    _, headers, body = get(port, "/")
    assert "content-encoding" not in headers
    assert body == (output / "index.html").read_bytes()


def test_pagefind_files_are_not_compressed_twice(served):
    """Pagefind gzips its index itself; its script unpacks it. nginx must not label it."""
    output, port = served
    fragment = next((output / "pagefind" / "fragment").iterdir()).relative_to(output).as_posix()
    _, headers, body = get(port, "/" + fragment, **{"Accept-Encoding": "gzip, br"})
    assert "content-encoding" not in headers
    assert body == (output / fragment).read_bytes()
    assert body[:2] == b"\x1f\x8b"  # gzip inside, for pagefind.js to unpack


# `_headers` says the same as nginx --------------------------------------------------

def parse_headers_file(text):
    """`_headers` as [(URL pattern, {header: value})], as Netlify and Cloudflare read it."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line.startswith((" ", "\t")):
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip()] = value.strip()
    return rules


def pattern_matches(pattern, path):
    """A `_headers` URL pattern: literal, with * matching any run of characters."""
    return re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), path) is not None


def test_headers_file_gives_every_file_the_same_headers_as_nginx(served):
    output, port = served
    text = (output / "_headers").read_text(encoding="utf-8")
    rules = parse_headers_file(text)
    assert len(rules) <= 100, "Cloudflare Pages reads at most 100 rules"
    assert max(map(len, text.splitlines())) <= 2000, "Cloudflare Pages: 2,000 characters a line"
    for relative in files_of(output):
        path = url_of(relative)
        matching = [values for pattern, values in rules if pattern_matches(pattern, path)]
        names = [name for values in matching for name in values]
        # Hosts join a header two matching rules both set: no header may be set twice.
        assert len(names) == len(set(names)), f"{path}: a header set by two rules"
        expected = {k: v for values in matching for k, v in values.items()}
        expected.setdefault("Cache-Control", hosting.SHORT_CACHE)  # the hosts' default
        _, headers, _ = get(port, path)
        for name, value in expected.items():
            assert headers.get(name.lower()) == value, f"{path}: {name} differs from nginx"


# The CSP breaks nothing: every page in Chromium, from nginx ----------------------

VIDEO_ID = "kyphoTest01"
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline")));
"""


@pytest.fixture(scope="module")
def served_locally(nginx_program, tmp_path_factory):
    """The production build, with its address set to the nginx that serves it.

    The published build's links point at https://kyphoplasty.example.org; this one
    is built with publishconf.py at http://127.0.0.1:<port> (and a video id, so the
    click-to-load player is on its page), so the browser talks to nginx directly
    and the policy's 'self' is nginx.
    """
    base = tmp_path_factory.mktemp("nginx-local")
    # nginx first, on the build's future folder: its port goes into the build.
    with nginx(base / "output", base / "nginx") as port:
        siteurl = f"http://127.0.0.1:{port}"
        output = build_variant(base, "publishconf.py", SITEURL=siteurl, FEED_DOMAIN=siteurl,
                               VIDEO_ID=VIDEO_ID)
        assert output == base / "output"
        yield output, siteurl


@pytest.fixture
def tab(browser, served_locally):
    """A browser tab that records console errors, page errors, CSP violations and
    any request leaving the local server (the video's player is answered locally)."""
    _, base = served_locally
    context = browser.new_context()
    context.add_init_script(CSP_WATCH)
    problems, outside, player = [], [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(base + "/"):
            request_route.continue_()
        elif url.startswith("https://www.youtube-nocookie.com/embed/"):
            player.append(url)
            request_route.fulfill(status=200, content_type="text/html", body="<p>player</p>")
        else:
            outside.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" or "Policy" in m.text else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    yield page, problems, outside, player
    context.close()


def violations(page):
    return page.evaluate("window.__csp")


def test_every_page_loads_in_chromium_without_errors(served_locally, tab):
    output, base = served_locally
    page, problems, outside, _ = tab
    pages = sorted(p.relative_to(output).as_posix() for p in output.rglob("*.html")
                   if "pagefind" not in p.parts)
    assert len(pages) >= 40
    for relative in pages:
        response = page.goto(base + url_of(relative), wait_until="load")
        assert response.status == 200, relative
        assert "script-src 'self' 'wasm-unsafe-eval'" in response.headers["content-security-policy"]
        assert violations(page) == [], f"{relative}: {violations(page)}"
        assert problems == [], f"{relative}: {problems}"
    assert outside == [], "pages load files from other sites"


def test_search_works_under_the_policy(served_locally, tab):
    """Pagefind fetches its index and compiles WebAssembly: allowed, nothing more."""
    _, base = served_locally
    page, problems, outside, _ = tab
    page.goto(base + "/search/?q=cement")
    page.wait_for_selector("#search-results ol li a", timeout=10000)
    links = page.eval_on_selector_all("#search-results ol li a", "els => els.map(a => a.href)")
    assert links and all(link.startswith(base + "/") for link in links)
    assert violations(page) == [] and problems == [] and outside == []


def test_video_loads_only_from_youtube_nocookie_when_asked(served_locally, tab):
    output, base = served_locally
    page, problems, outside, player = tab
    with_video = [p for p in output.rglob("*.html") if b"data-video-id" in p.read_bytes()]
    assert with_video, "no page has the video"
    page.goto(base + url_of(with_video[0].relative_to(output).as_posix()))
    assert player == []  # nothing from YouTube before the visitor asks
    page.click(".app-video__play")
    # The player's frame shows what the route answered for it: its request was made.
    page.frame_locator(".app-video__frame iframe").get_by_text("player").wait_for()
    assert len(player) == 1
    assert player[0].startswith(f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?")
    assert violations(page) == [] and problems == [] and outside == []


def test_the_policy_is_enforced(served_locally, tab):
    """The same policy blocks an injected inline script: it is live, not ignored."""
    _, base = served_locally
    page, problems, _, _ = tab
    page.goto(base + "/")
    with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
        page.evaluate("""() => {
            const script = document.createElement("script");
            script.textContent = "window.__inlineRan = true";
            document.body.append(script);
        }""")
    page.wait_for_function("""() => window.__csp.some(
        (v) => v.startsWith("script-src-elem blocked inline"))""")
    # An allowed inline script runs as it is added: it would have run by now.
    assert page.evaluate("window.__inlineRan") is None
    assert any("Content Security Policy" in p for p in problems)
