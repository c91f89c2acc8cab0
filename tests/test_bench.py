"""make bench's parts that can break without a build of their own: the benchmark
must keep running when the tests or the plugins move (bench/README.md)."""

from run import measure_suite  # bench/run.py


def test_the_benchmark_times_the_page_checks_over_a_built_site(site, tmp_path):
    figures = measure_suite(site.output, tmp_path)
    assert figures["failures"] == [], figures["failures"]
    assert figures["pages"] == len(site.html_files())
    assert figures["tests"], "no page check was timed"


def test_a_plugins_modules_add_up_to_the_plugin():
    from run import plugin_seconds

    assert plugin_seconds({"content_checks": 0.5, "content_checks.fields": 0.25, "pelican.x": 1,
                           "pelican.plugins.i18n_subsites.i18n_subsites": 0.125}) == {
        "content_checks": 0.75, "i18n_subsites": 0.125}
