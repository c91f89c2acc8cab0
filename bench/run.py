"""The benchmark: what the site costs to build and to load, printed as one table.

    make bench                                  # everything: 100, 1,000 and 5,000 articles
    make bench BENCH_SIZES=100,1000 BENCH_RUNS=3  # a quicker run

It measures, each build in its own process (start-up included), median of
BENCH_RUNS runs:

- the real site, cold (empty content cache) and warm (Pelican's content cache
  filled by the build before);
- synthetic sites of BENCH_SIZES articles (bench/synth.py: ~600 words each,
  plus the real site's pages), built by our build (tools/build.py: our theme
  and plugins) and by plain Pelican (bench/plainconf.py: default theme, no
  plugins), cold and warm: seconds, ms per article, peak memory, our/plain;
- incremental: one article of the 1,000-article site changed, rebuilt warm;
- the page checks of tests/test_pages.py over the 1,000-article output;
- the weight of every page of the real site: HTML raw and compressed, what it
  loads, requests, first load (HTML + CSS) against 14 KB;
- the questions hub as the questions grow (bench/hub.py): its first load with
  20, 50 and 100 questions and 100 guides per language, and the heaviest page's.

Figures only, never pass or fail. Raw figures go to bench/results/ (ignored by git).
Switches (environment): BENCH_SIZES (default 100,1000,5000), BENCH_RUNS (default 3),
`python bench/run.py --report [FILE]` prints the table of a saved run again
(default bench/results/latest.json). BENCH_KEEP=1 keeps the temporary folder, BENCH_PROFILE=1 also writes pyinstrument
profiles of the 1,000-article builds to bench/results/.
"""

import datetime
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import brotli
import lxml.html

import synth  # bench/ is on sys.path: Python puts a script's own folder there

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"

FIRST_LOAD_LIMIT = 14 * 1024  # bytes: what fits in the first round trip (10 TCP segments)
RATIO_TARGET = {"cold": 1.2, "warm": 1.15}  # our build against plain Pelican's
PREVIEW_TARGET = 0.25  # edit-to-preview against plain Pelican's warm rebuild (wall)
PREVIEW_REAL_TARGET = 0.3  # seconds, edit-to-preview on the real site
GZIP_LEVEL = 9  # what pelican-precompress writes, the .gz files nginx sends (as tests/test_theme.py)
BROTLI_QUALITY = 11  # what a static precompressor writes


# Running builds -------------------------------------------------------------


def with_path(*folders):
    """This process's environment, with PYTHONPATH these folders of the project (as
    pyproject.toml's `pythonpath` gives pytest)."""
    return dict(os.environ, PYTHONPATH=os.pathsep.join(str(ROOT / name) for name in folders))


def run_build(kind, content, output, cache, scratch, profile_to=None):
    """One build in a new process; returns its figures (seconds, peak MB, CPU seconds)."""
    figures = scratch / "figures.json"
    figures.unlink(missing_ok=True)
    if kind == "ours":
        args = ["-s", str(ROOT / "pelicanconf.py"), "-c", str(content), "-o", str(output),
                "--cache", str(cache)]
    else:
        args = [str(content), "-o", str(output), "-s", str(BENCH / "plainconf.py"),
                "--cache-path", str(cache), "-q"]
    command = [sys.executable, str(BENCH / "child.py"), str(figures), kind, *args]
    log = scratch / "build.log"
    load = os.getloadavg()[0]
    with open(log, "w") as sink:
        started = time.perf_counter()
        # ours: the modules tools/build.py imports from its own folder
        env = with_path("tools") if kind == "ours" else dict(os.environ)
        if profile_to:
            env["BENCH_PROFILE_TO"] = str(profile_to)
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT,
                                   env=env)
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    text = log.read_text(errors="replace")
    if process.returncode != 0 or (kind == "plain" and re.search(r"\b(ERROR|CRITICAL)\b", text)):
        raise BuildFailed(f"{kind} build of {content} failed:\n{text[-3000:]}")
    inner = json.loads(figures.read_text())
    return {
        "seconds": seconds,
        "load": load,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": inner["python_peak_kb"] / 1024,
        "children_peak_mb": inner["children_peak_kb"] / 1024,
        "children_cpu": inner["children_cpu"],
        "plugins": plugin_seconds(inner["receivers"]),
    }


def plugin_seconds(receivers):
    """{plugin: CPU seconds} from {module: CPU seconds}: a package's modules
    (content_checks.fields, discovery.json_ld ...) add up to their plugin."""
    totals = {}
    for module, seconds in receivers.items():
        name = plugin_name(module)
        if name:
            totals[name] = totals.get(name, 0.0) + seconds
    return totals


def plugin_name(module):
    """content_checks for plugins/content_checks, sitemap for pelican.plugins.sitemap.*;
    None for Pelican's own modules."""
    if module.startswith("pelican.plugins."):
        return module.split(".")[2]
    if module.split(".")[0] in ("pelican", "?", "blinker"):
        return None
    return module.split(".")[0]


class BuildFailed(Exception):
    pass


def median(runs, key="seconds"):
    return statistics.median(run[key] for run in runs)


def cold_and_warm(kind, content, work, runs):
    """runs x (cold build, then warm build); returns {'cold': [...], 'warm': [...]}.

    Cold: no content cache and no output, as in a fresh clone. Warm: the cache
    and the output of the build before, as when an editor builds again.
    """
    found = {"cold": [], "warm": []}
    output, cache = work / f"out-{kind}", work / f"cache-{kind}"
    spare = work / f".out-{kind}-spare"  # the site tools/build.py replaced, built into next
    for _ in range(runs):
        for folder in (cache, output, spare):
            shutil.rmtree(folder, ignore_errors=True)
        for state in ("cold", "warm"):
            found[state].append(run_build(kind, content, output, cache, work))
    return found


def measure_site(contents, work, runs):
    """Ours and plain, cold and warm, interleaved so that load changes hit both."""
    results = {"ours": {"cold": [], "warm": []}, "plain": {"cold": [], "warm": []}}
    for _ in range(runs):
        for kind in ("ours", "plain"):
            one = cold_and_warm(kind, contents[kind], work, 1)
            for state in ("cold", "warm"):
                results[kind][state] += one[state]
    return results


def change_one_article(content, run):
    """Edit one article's text (as an editor would) and return its path."""
    path = content / "articles" / "synthetic-00001.md"
    if not path.exists():
        path = sorted((content / "articles").glob("*.md"))[0]
    text = path.read_text(encoding="utf-8")
    marker = "\n## When to call us"
    path.write_text(text.replace(marker, f"\nOne more sentence, edit {run}.\n{marker}", 1),
                    encoding="utf-8")
    return path


def measure_incremental(contents, work, runs):
    """Warm cache, one article changed, rebuild; ours and plain."""
    results = {"ours": [], "plain": []}
    for run in range(runs):
        for kind in ("ours", "plain"):
            change_one_article(contents[kind], run)
            results[kind].append(run_build(kind, contents[kind], work / f"out-{kind}",
                                           work / f"cache-{kind}", work))
    return results


def profile(contents, work, size):
    """pyinstrument profiles of one cold and one warm build of each kind (not timed)."""
    RESULTS.mkdir(exist_ok=True)
    for kind in ("ours", "plain"):
        output, cache = work / f"profile-out-{kind}", work / f"profile-cache-{kind}"
        for state in ("cold", "warm"):
            target = RESULTS / f"profile-{size}-{kind}-{state}.txt"
            run_build(kind, contents[kind], output, cache, work, profile_to=target)


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def slug_of(path):
    found = re.search(r"^Slug:\s*(\S+)", path.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else path.stem


def measure_preview(content, work, runs):
    """Edit-to-preview through the real devserver (tools/build.py -lr, as `make devserver`):
    wall seconds from saving an article to its new text in the output folder.

    The devserver is started on its own content cache and output folder and left to
    finish its first build (and anything it does after one, such as the search index);
    then, runs times, one article is saved with a new sentence and its page in the
    output folder is read every 5 ms until the sentence is there."""
    output, cache, log = work / "out-preview", work / "cache-preview", work / "preview.log"
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
    command = [sys.executable, str(ROOT / "tools" / "build.py"), "-lr", "-p", str(free_port()),
               "-b", "127.0.0.1", "-s", str(ROOT / "pelicanconf.py"), "-c", str(content),
               "-o", str(output), "--cache", str(cache)]
    article = content / "articles" / "synthetic-00001.md"
    if not article.exists():
        article = sorted((content / "articles").glob("*.md"))[0]
    page = output / "articles" / slug_of(article) / "index.html"
    seconds, settled = [], []
    with open(log, "w") as sink:
        server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT,
                                  start_new_session=True)
    try:
        wait_idle(log, server, 1)
        for run in range(runs):
            marker = f"Preview edit {run} {time.time_ns()}."
            text = article.read_text(encoding="utf-8")
            builds = log.read_text(errors="replace").count("Built the site")
            done = log.read_text(errors="replace").count(IDLE)
            started = time.perf_counter()
            article.write_text(text.replace("\n## ", f"\n{marker}\n\n## ", 1),
                               encoding="utf-8")
            while marker.encode() not in read_or_empty(page):
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise BuildFailed(f"the devserver did not show the edit:\n"
                                      f"{log.read_text(errors='replace')[-3000:]}")
                time.sleep(0.005)
            seconds.append(time.perf_counter() - started)
            wait_idle(log, server, done + 1, builds + 1)
            settled.append(time.perf_counter() - started)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
    return {"seconds": seconds, "settled": settled, "load": os.getloadavg()[0]}


# What the devserver prints when it has nothing more to do after a save (its build, and
# whatever follows it); without such a line, the build's own last line.
IDLE = "Waiting for changes"


def wait_idle(log, server, count, builds=1):
    """Wait for the devserver's count-th IDLE line (or, from a devserver that prints
    none, its builds-th build)."""
    says_idle = IDLE in (ROOT / "tools" / "devserver.py").read_text(encoding="utf-8")
    started = time.perf_counter()
    while True:
        text = log.read_text(errors="replace")
        if (text.count(IDLE) >= count if says_idle else text.count("Built the site") >= builds):
            return
        if server.poll() is not None or time.perf_counter() - started > 900:
            raise BuildFailed(f"the devserver stopped or hung:\n{text[-3000:]}")
        time.sleep(0.05)


def read_or_empty(path):
    try:
        return path.read_bytes()
    except OSError:
        return b""


def measure_suite(output, work):
    figures = work / "suite.json"
    command = [sys.executable, str(BENCH / "suite.py"), str(output), str(figures)]
    subprocess.run(command, check=True, cwd=ROOT, env=with_path("tests", "plugins", "tools"))
    return json.loads(figures.read_text())


# Page weight ------------------------------------------------------------------


def compressed(data):
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0)), len(brotli.compress(data, quality=BROTLI_QUALITY))


ASSET_XPATH = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]/@href"
    " | //link[contains(@rel, 'icon') or contains(@rel, 'preload')]/@href"
    " | //script/@src | //img/@src | //source/@src | //video/@poster | //iframe/@src"
    " | //input[@type='image']/@src | //object/@data | //embed/@src"
)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def resolve(base_file, url, output):
    """The local file a URL on base_file loads, or None for an external one."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("data:"):
        return None
    if parts.path.startswith("/"):
        return output / unquote(parts.path).lstrip("/")
    return (base_file.parent / unquote(parts.path)).resolve()


def page_weight(output):
    """Weight of every HTML page of a built site (the search index excluded)."""
    output = output.resolve()
    sizes = {}

    def file_sizes(path):
        if path not in sizes:
            data = path.read_bytes()
            sizes[path] = (len(data), *compressed(data))
        return sizes[path]

    pages = []
    for path in sorted(output.rglob("*.html")):
        if "pagefind" in path.relative_to(output).parts:
            continue
        data = path.read_bytes()
        tree = lxml.html.fromstring(data)
        raw, gz, br = len(data), *compressed(data)
        assets = asset_weights(path, tree, output, file_sizes)
        body = tree.find("body")
        pages.append({
            "page": path.relative_to(output).as_posix(),
            "type": body.get("data-page-type", "") if body is not None else "",
            "html": [raw, gz, br], **assets,
            "first_gz": gz + assets["css"][1], "first_br": br + assets["css"][2],
        })
    return pages


def asset_weights(path, tree, output, file_sizes):
    """What one page loads besides its HTML, by kind: the stylesheets it needs
    before it can show anything (print ones aside), scripts, and the rest."""
    buckets = {"css": [0, 0, 0], "js": [0, 0, 0], "other": [0, 0, 0]}
    external, missing, seen = [], [], set()
    stylesheets = {str(h) for h in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' stylesheet ')]"
        "[not(@media='print')]/@href")}
    queue = [(str(url), path) for url in tree.xpath(ASSET_XPATH)]
    while queue:
        url, base = queue.pop(0)
        target = resolve(base, url, output)
        if target is None:
            if url not in seen:
                seen.add(url)
                external.append(url)
            continue
        if target in seen:
            continue
        seen.add(target)
        if not target.is_file():
            missing.append(url)
            continue
        if target.suffix == ".css":
            kind = "css" if (url in stylesheets or base != path) else "other"
            queue += [(a or b, target) for a, b in CSS_URL.findall(
                target.read_text(encoding="utf-8", errors="replace"))]
        else:
            kind = "js" if target.suffix in (".js", ".mjs") else "other"
        buckets[kind] = [have + add for have, add in zip(buckets[kind], file_sizes(target))]
    return {**buckets, "requests": 1 + len(seen), "external": external, "missing": missing}


# The table --------------------------------------------------------------------


def kb(size):
    return f"{size / 1024:.1f}"


def build_cell(runs, articles=None):
    cpu = median(runs, "cpu")
    text = f"{cpu:.2f} s CPU ({median(runs):.2f} s wall)"
    if articles:
        text += f" · {cpu * 1000 / articles:.1f} ms/article"
    text += f" · {max(r['peak_mb'] for r in runs):.0f} MB"
    pagefind = max(r["children_peak_mb"] for r in runs)
    if pagefind:
        text += f" (Pagefind {pagefind:.0f} MB)"
    return text


def preview_cell(preview):
    seconds, settled = preview["seconds"], preview["settled"]
    return (f"{statistics.median(seconds):.2f} s wall to the new text in output/"
            f" (median of {len(seconds)}, slowest {max(seconds):.2f} s); devserver idle again"
            f" after {statistics.median(settled):.2f} s")


def cpu_ratio(ours, plain):
    return median(ours, "cpu") / median(plain, "cpu")


def ratio_cell(ours, plain):
    return f"{cpu_ratio(ours, plain):.2f}x (wall {median(ours) / median(plain):.2f}x)"


def verdict(ok):
    return "ok" if ok else "**missed**"


def plugin_cell(runs):
    """Median seconds in each plugin's signal receivers."""
    names = sorted({name for run in runs for name in run["plugins"]})
    return " · ".join(
        f"{name} {statistics.median(run['plugins'].get(name, 0.0) for run in runs):.2f} s"
        for name in names
    )


def plugin_row(row, case, ours, plain):
    """Where our build spends more than plain Pelican: plugins, and the rest."""
    plugins = statistics.median(sum(run["plugins"].values()) for run in ours)
    extra = median(ours, "cpu") - median(plain, "cpu")
    row("  our plugins", case, plugin_cell(ours),
        f"ours − plain: {extra:+.2f} s, of which plugins {plugins:.2f} s,"
        f" theme and the rest {extra - plugins:+.2f} s",
        f"plugins {plugins / median(ours, 'cpu'):.0%} of our build", "")


def weight_rows(row, weight):
    """One row per page; a folder of listing pages (tags, topics) as one row."""
    groups = {}
    for page in sorted(weight, key=lambda p: p["page"]):
        folder = page["page"].split("/")[0]
        over = page["first_gz"] > FIRST_LOAD_LIMIT
        key = folder if page["type"] == "listing" and "/" in page["page"] and not over else page["page"]
        groups.setdefault(key, []).append(page)
    for key, pages in groups.items():
        page = max(pages, key=lambda p: p["first_gz"])
        html, css, js, other = page["html"], page["css"], page["js"], page["other"]
        name = page["page"] if len(pages) == 1 else f"{key}/*/index.html ({len(pages)} pages, heaviest)"
        figure = f"HTML {kb(html[0])} KB, {kb(html[1])} gz, {kb(html[2])} br"
        figure += f"; CSS {kb(css[1])} gz; JS {kb(js[1])} gz"
        if other[0]:
            figure += f"; images etc. {kb(other[0])} KB"
        compared = f"{page['requests']} requests"
        if page["external"]:
            compared += f" ({len(page['external'])} external)"
        if page["missing"]:
            compared += f"; missing: {', '.join(page['missing'])}"
        first = page["first_gz"]
        row("page weight", name, figure, compared,
            f"first load {kb(first)} KB gz, {kb(page['first_br'])} br",
            f"≤ 14 KB: {verdict(first <= FIRST_LOAD_LIMIT)}")
    over = [p for p in weight if p["first_gz"] > FIRST_LOAD_LIMIT]
    largest = max(weight, key=lambda p: p["html"][0])
    heaviest = max(weight, key=lambda p: p["first_gz"])
    row("page weight", "largest page", largest["page"],
        f"HTML {kb(largest['html'][0])} KB raw, {kb(largest['html'][1])} gz,"
        f" {kb(largest['html'][2])} br",
        f"heaviest first load: {heaviest['page']} {kb(heaviest['first_gz'])} KB gz",
        f"{len(over)} of {len(weight)} pages over 14 KB")


def table(found):
    rows = []

    def row(*cells):
        rows.append("| " + " | ".join(cells) + " |")

    row("part", "case", "figure", "compared with", "ratio", "target")
    row(*["---"] * 6)
    if found.get("real"):
        real_site_rows(row, found["real"], found["runs"])
    for size in found["sizes"]:
        scale_rows(row, size, found["scale"][str(size)])
    if found.get("incremental"):
        incremental_row(row, found)
    if found.get("suite"):
        suite_row(row, found)
    if found.get("weight"):
        weight_rows(row, found["weight"])
    if found.get("hub"):
        hub_rows(row, found["hub"])
    return "\n".join(rows)


def real_site_rows(row, real, runs):
    pages = real["pages"]
    ours, plain = real["ours"], real["plain"]
    ratio = cpu_ratio(ours["cold"], plain["cold"])
    row("build, cold", f"real site ({pages} pages), median of {runs}",
        build_cell(ours["cold"]), "plain " + build_cell(plain["cold"]),
        ratio_cell(ours["cold"], plain["cold"]),
        f"≤ {RATIO_TARGET['cold']}x: {verdict(ratio <= RATIO_TARGET['cold'])}")
    share = median(ours["warm"], "cpu") / median(ours["cold"], "cpu")
    plain_share = median(plain["warm"], "cpu") / median(plain["cold"], "cpu")
    row("build, warm cache", "real site", build_cell(ours["warm"]),
        "plain " + build_cell(plain["warm"]),
        f"{share:.2f} of cold (plain {plain_share:.2f})",
        f"< 0.5 of cold: {verdict(share < 0.5)}")
    plugin_row(row, "real site, cold", ours["cold"], plain["cold"])
    preview = real.get("preview")
    if preview:
        best = statistics.median(preview["seconds"])
        row("edit to preview", "real site, 1 article saved in `make devserver`",
            preview_cell(preview), f"plain warm rebuild {median(plain['warm']):.2f} s wall",
            f"{best / median(plain['warm']):.2f} of plain warm",
            f"< {PREVIEW_REAL_TARGET} s: {verdict(best < PREVIEW_REAL_TARGET)}")


def scale_rows(row, size, scale):
    for state in ("cold", "warm"):
        ours, plain = scale["ours"][state], scale["plain"][state]
        ratio = cpu_ratio(ours, plain)
        target = f"≤ {RATIO_TARGET[state]}x: {verdict(ratio <= RATIO_TARGET[state])}"
        if state == "warm":
            share = median(ours, "cpu") / median(scale["ours"]["cold"], "cpu")
            plain_share = median(plain, "cpu") / median(scale["plain"]["cold"], "cpu")
            target += (f"; warm {share:.2f} of cold (plain {plain_share:.2f}):"
                       f" {verdict(share < 0.5)}")
        case = f"{size:,} articles ({scale['pages']:,} pages)"
        row(f"scale, {state}", case, build_cell(ours, size),
            "plain " + build_cell(plain, size), ratio_cell(ours, plain), target)
        plugin_row(row, f"{size:,} articles, {state}", ours, plain)
    preview = scale.get("preview")
    if preview:
        plain_warm = median(scale["plain"]["warm"])
        share = statistics.median(preview["seconds"]) / plain_warm
        row("edit to preview", f"{size:,} articles, 1 article saved in `make devserver`",
            preview_cell(preview), f"plain warm rebuild {plain_warm:.2f} s wall",
            f"{share:.2f} of plain warm",
            f"≤ {PREVIEW_TARGET} of plain warm: {verdict(share <= PREVIEW_TARGET)}")


def incremental_row(row, found):
    incremental = found["incremental"]
    size = incremental["size"]
    ours, plain = incremental["ours"], incremental["plain"]
    cold = median(found["scale"][str(size)]["ours"]["cold"], "cpu")
    share = median(ours, "cpu") / cold
    row("incremental", f"{size:,} articles, 1 article changed, warm cache",
        build_cell(ours, size), f"plain {build_cell(plain, size)}; our cold {cold:.2f} s CPU",
        f"{ratio_cell(ours, plain)}; {share:.2f} of cold",
        f"< 0.5 of cold: {verdict(share < 0.5)}")


def suite_row(row, found):
    suite = found["suite"]
    slowest = max(suite["tests"], key=suite["tests"].get)
    failed = f"; {len(suite['failures'])} failed" if suite["failures"] else ""
    cold = median(found["scale"][str(suite["size"])]["ours"]["cold"], "cpu")
    row("page checks", f"tests/test_pages.py over {suite['size']:,} articles"
        f" ({suite['pages']:,} pages)",
        f"{suite['seconds']:.1f} s CPU ({suite['wall']:.1f} s wall)"
        f" · {suite['seconds'] * 1000 / suite['pages']:.1f} ms/page"
        f" · {suite['peak_kb'] / 1024:.0f} MB",
        f"slowest: {slowest} {suite['tests'][slowest]:.1f} s{failed}",
        f"{suite['seconds'] / cold:.1f} x our cold build", "")


def machine():
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    from importlib.metadata import version

    return (f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()},"
            f" Pelican {version('pelican')}, Markdown {version('markdown')},"
            f" Jinja2 {version('jinja2')}")


# Main ---------------------------------------------------------------------------


def all_runs(found):
    """Every build's figures."""
    blocks = [found.get("real")] + list(found["scale"].values())
    for block in filter(None, blocks):
        for kind in ("ours", "plain"):
            for state in ("cold", "warm"):
                yield from block[kind][state]
    for kind in ("ours", "plain"):
        yield from found.get("incremental", {}).get(kind, [])


def count_pages(output):
    return sum(1 for p in output.rglob("*.html") if "pagefind" not in p.parts)


def measure_hub(scratch):
    """bench/hub.py's figures, measured in a process of its own (hub.py uses this
    module's builds and page weights: it imports this one, not the other way)."""
    figures = scratch / "hub.json"
    command = [sys.executable, str(BENCH / "hub.py"), str(scratch), str(figures)]
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        raise BuildFailed("the questions hub's builds failed (bench/hub.py)")
    return json.loads(figures.read_text())


def hub_rows(row, found):
    """The questions hub's rows of the table, from bench/hub.py's figures."""
    for count, figures in sorted(found.items(), key=lambda item: int(item[0])):
        hub = figures["hub"]
        page, size = figures["heaviest"]
        row("questions hub", f"{count} questions and {figures.get('guides', 100)} guides per"
            f" language ({figures['pages']} pages)",
            f"first load: /faq/ {kb(hub['en'])} KB, /es/faq/ {kb(hub['es'])} KB gz",
            f"heaviest first load: {page} {kb(size)} KB gz", "",
            f"≤ 14 KB: {verdict(figures['over'] == 0)} ({figures['over']} pages over)")


def note(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def main():
    if sys.argv[1:2] == ["--report"]:  # print the table of a saved run again
        saved = Path(sys.argv[2]) if len(sys.argv) > 2 else RESULTS / "latest.json"
        print(report(json.loads(saved.read_text())))
        return 0
    sizes = [int(s.replace("_", "")) for s in
             os.environ.get("BENCH_SIZES", "100,1000,5000").replace(" ", "").split(",") if s]
    runs = max(1, int(os.environ.get("BENCH_RUNS", "3")))
    found = {"runs": runs, "sizes": sizes, "scale": {}, "started": datetime.datetime.now()
             .isoformat(timespec="seconds"), "machine": machine(),
             "load_before": os.getloadavg()}
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    began = time.perf_counter()
    try:
        measure_real_site(found, scratch)
        for size in sizes:
            measure_size(found, scratch, size)
        found["hub"] = measure_hub(scratch)
    except BuildFailed as error:
        print(f"bench: {error}", file=sys.stderr)
        print("bench: the build failed (is content/ being edited?); nothing measured.",
              file=sys.stderr)
        return 1
    finally:
        if os.environ.get("BENCH_KEEP"):
            note(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    found["load_after"] = os.getloadavg()
    found["minutes"] = (time.perf_counter() - began) / 60
    save(found)
    return 0


def measure_real_site(found, scratch):
    runs = found["runs"]
    note(f"real site, {runs} run(s)")
    work = scratch / "real"
    contents = dict(zip(("ours", "plain"), synth.generate(0, work)))
    real = measure_site(contents, work, runs)
    # The last build of each kind (a warm one) is left in out-<kind>.
    real["pages"] = count_pages(work / "out-ours")
    found["real"] = real
    note("real site: edit to preview in the devserver")
    real["preview"] = measure_preview(contents["ours"], work, runs)
    found["weight"] = page_weight(work / "out-ours")


def measure_size(found, scratch, size):
    """One synthetic size; at the size nearest 1,000, also the page checks, one
    article changed and (BENCH_PROFILE) the profiles."""
    runs, sizes = found["runs"], found["sizes"]
    note(f"{size:,} articles: writing the content")
    work = scratch / f"site-{size}"
    contents = dict(zip(("ours", "plain"), synth.generate(size, work)))
    note(f"{size:,} articles: {runs} x (ours cold, warm; plain cold, warm)")
    scale = measure_site(contents, work, runs)
    scale["pages"] = count_pages(work / "out-ours")
    scale["plain_pages"] = count_pages(work / "out-plain")
    found["scale"][str(size)] = scale
    note(f"{size:,} articles: edit to preview in the devserver, {runs} edit(s)")
    scale["preview"] = measure_preview(contents["ours"], work, runs)
    if size == min(sizes, key=lambda s: abs(s - 1000)):
        note(f"{size:,} articles: the page checks over our output")
        found["suite"] = dict(measure_suite(work / "out-ours", work), size=size)
        note(f"{size:,} articles: one article changed, {runs} run(s)")
        found["incremental"] = dict(measure_incremental(contents, work, runs), size=size)
        if os.environ.get("BENCH_PROFILE"):
            note(f"{size:,} articles: profiles into {RESULTS}/")
            profile(contents, work, size)
    if not os.environ.get("BENCH_KEEP"):
        shutil.rmtree(work, ignore_errors=True)


def save(found):
    """Keep the figures (bench/results/) and print the table."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps(found, indent=1, default=str))
    text = report(found)
    print(text)
    (RESULTS / "latest.md").write_text(text + "\n")


def report(found):
    """The table and the lines that say how to read it."""
    loads = sorted(run["load"] for run in all_runs(found))
    return "\n".join([
        table(found),
        "",
        f"Machine: {found['machine']}. {found['started']}, {found['minutes']:.1f} min;"
        f" load average at the builds' start: median {statistics.median(loads):.1f},"
        f" highest {loads[-1]:.1f}.",
        f"Each build is a whole process (start-up included), median of {found['runs']}."
        " Figures and ratios are CPU time (the process and its children, Pagefind"
        " included): unlike wall time, they hold when other work shares the machine."
        " Memory: peak of the Python process, and of Pagefind (at least the size of the"
        " process that starts it). Plugin times: CPU time in each plugin's signal"
        " receivers and template filters and globals."
        f" Compression: gzip -{GZIP_LEVEL}, brotli q{BROTLI_QUALITY};"
        " first load = HTML + stylesheets, gzip.",
    ])


if __name__ == "__main__":
    sys.exit(main())
