"""The build: warning-free, repeatable, and atomic when content is broken."""

import filecmp
from pathlib import Path

from conftest import run_build


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
