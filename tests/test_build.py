"""The build: warning-free, repeatable, and atomic when content is broken.

Also: tools/build.py takes Pelican's options and the Makefile pelican-quickstart's
usages; every error is one line; one build of a folder at a time; the pins are
whole on each side; plugins/image_sizes.
"""

import ast
import filecmp
import importlib.metadata
import importlib.util
import sys
from pathlib import Path

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
