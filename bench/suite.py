"""Time the page checks of tests/test_pages.py over a built site, the way pytest runs them.

    python bench/suite.py OUTPUT_FOLDER FIGURES.json

Every test function of tests/test_pages.py that checks the built site is called
with a `Site` for the folder (one shared page cache, like the session fixture);
parametrized tests run once per value. Writes the CPU seconds of each test and in all, wall
seconds, failures and peak memory.
"""

import inspect
import json
import resource
import sys
import time
from pathlib import Path

from pelican.settings import read_settings

import helpers  # tests/: bench/run.py gives the path pyproject.toml gives pytest
import test_pages

ROOT = Path(__file__).resolve().parent.parent


def cases(function):
    """The keyword arguments of each run of a test function, besides `site`."""
    runs = [{}]
    for mark in getattr(function, "pytestmark", []):
        if mark.name == "parametrize":
            names, values = mark.args[0], mark.args[1]
            names = [n.strip() for n in names.split(",")] if isinstance(names, str) else names
            runs = [dict(run, **dict(zip(names, v if len(names) > 1 else [v])))
                    for run in runs for v in values]
    return runs


def main():
    output, figures = Path(sys.argv[1]), Path(sys.argv[2])
    site = helpers.Site(output, "", read_settings(str(ROOT / "pelicanconf.py")))
    timings, failures = {}, []
    started, cpu_started = time.perf_counter(), time.process_time()
    for name, function in inspect.getmembers(test_pages, inspect.isfunction):
        if not name.startswith("test_"):
            continue
        wanted = inspect.signature(function).parameters
        if set(wanted) - {"site"} - set(cases(function)[0]):
            continue  # it builds a site of its own (tmp_path): not a check of this one
        begun = time.process_time()
        for arguments in cases(function):
            if "site" in wanted:
                arguments = dict(arguments, site=site)
            try:
                function(**arguments)
            except Exception as error:  # a failed check, or a check that broke
                message = (str(error) or type(error).__name__).splitlines()[0][:300]
                failures.append(f"{name}: {message}")
        timings[name] = time.process_time() - begun
    figures.write_text(json.dumps({
        "seconds": time.process_time() - cpu_started,
        "wall": time.perf_counter() - started,
        "tests": timings,
        "failures": failures,
        "pages": len(site.html_files()),
        "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }))


if __name__ == "__main__":
    main()
