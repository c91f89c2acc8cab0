"""make bench's parts that can break without a build of their own: the benchmark
must keep running when the tests or the plugins move (bench/README.md)."""

from run import measure_suite  # bench/run.py


def test_the_benchmark_times_the_page_checks_over_a_built_site(site, tmp_path):
    figures = measure_suite(site.output, tmp_path)
    assert figures["failures"] == [], figures["failures"]
    assert figures["pages"] == len(site.html_files())
    assert figures["tests"], "no page check was timed"
