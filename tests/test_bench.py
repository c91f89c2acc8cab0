"""make bench's parts that can break without a build of their own: the benchmark
must keep running when the tests or the plugins move (bench/README.md)."""

import pytest

from helpers import CONTENT
from run import measure_suite, plugin_seconds, run_build  # bench/run.py


def test_the_benchmark_times_the_page_checks_over_a_built_site(site, tmp_path):
    figures = measure_suite(site.output, tmp_path)
    assert figures["failures"] == [], figures["failures"]
    assert figures["pages"] == len(site.html_files())
    assert figures["tests"], "no page check was timed"


def test_a_plugins_modules_add_up_to_the_plugin():
    assert plugin_seconds({"content_checks": 0.5, "content_checks.fields": 0.25, "pelican.x": 1,
                           "pelican.plugins.i18n_subsites.i18n_subsites": 0.125}) == {
        "content_checks": 0.75, "i18n_subsites": 0.125}


@pytest.mark.slow  # builds the site itself (bench/child.py, tools/build.py's main())
def test_the_benchmark_runs_our_build_in_its_own_process(tmp_path):
    """bench/child.py runs tools/build.py's main() in-process: the modules build.py
    imports from tools/ must be found there too (bench/run.py's PYTHONPATH)."""
    figures = run_build("ours", CONTENT, tmp_path / "output", tmp_path / "cache", tmp_path)
    assert (tmp_path / "output" / "index.html").is_file()
    assert figures["plugins"]["content_checks"] > 0
