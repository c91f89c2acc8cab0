"""The build: warning-free, repeatable, and atomic when content is broken.

Also: tools/build.py takes Pelican's options and the Makefile pelican-quickstart's
usages; every error is one line; one build of a folder at a time; the pins are
whole on each side; plugins/image_sizes.
"""

import ast
import filecmp
import importlib.metadata
import importlib.util
import struct
import sys
import zlib
from pathlib import Path
from types import SimpleNamespace

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT, run_build

BUILD = ROOT / "tools" / "build.py"


def test_build_is_warning_free(site):
    assert "PROBLEM" not in site.log
    assert "Built the site" in site.log


def test_build_has_every_page_type(site):
    types = {s.body["data-page-type"] for _, s in site.pages()}
    assert {"home", "article", "faq", "practice", "references", "hub", "listing"} <= types


def tree_differences(left, right):
    """Files that differ or exist on one side only, compared byte for byte."""
    compare = filecmp.dircmp(left, right)
    found = compare.left_only + compare.right_only + compare.diff_files + compare.funny_files
    for name in compare.common_files:
        if not filecmp.cmp(Path(left, name), Path(right, name), shallow=False):
            found.append(name)
    for name in compare.common_dirs:
        found += [f"{name}/{x}" for x in tree_differences(Path(left, name), Path(right, name))]
    return sorted(set(found))


def test_two_builds_are_byte_identical(site, tmp_path):
    again = tmp_path / "output"
    result = run_build(again)
    assert result.returncode == 0, result.stderr
    assert tree_differences(site.output, again) == []


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    assert leftovers == []


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


BUILD_CODE = ["plugins/**/*.py", "tools/build.py", "tools/devserver.py",
              "tools/new_content.py", "pelicanconf.py", "publishconf.py", "deploy/*.py"]
TEST_CODE = ["tests/*.py", "bench/*.py", "tools/make_icons.py"]


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
        assert page._content == (f'<p><img alt="A picture" src="{src}" width="{size[0]}"'
                                 f' height="{size[1]}"></p>')
    else:
        assert page._content == f'<p><img alt="A picture" src="{src}"></p>'


def test_image_sizes_keeps_a_size_given_in_the_markup(image_sizes, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.jpg").write_bytes(jpeg(640, 427))
    html = '<img src="{static}/images/a.jpg" alt="x" width="100" />'
    assert image_sizes.add_sizes(html, tmp_path) == html
    assert image_sizes.add_sizes('<img src="{static}/images/a.jpg" alt="x" />', tmp_path) == (
        '<img src="{static}/images/a.jpg" alt="x" width="640" height="427"/>')
