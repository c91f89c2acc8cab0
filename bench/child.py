"""Run one build in this process, then write this process's own figures as JSON.

    python bench/child.py FIGURES.json ours  <tools/build.py arguments>
    python bench/child.py FIGURES.json plain <pelican arguments>

bench/run.py times the whole process from outside (start-up included) and
reads here the peak memory of this process and of its children (Pagefind), and
the CPU time spent in each plugin: its signal receivers and the template
filters and globals it adds. With BENCH_PROFILE_TO=FILE
set, the build runs under pyinstrument and its profile is written to FILE.
"""

import json
import os
import resource
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds():
    """CPU time of this process and of its finished children (Pagefind) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def time_receivers(totals):
    """Make every signal add each receiver's CPU time (its subprocesses' included)
    to totals[its module]. CPU, not wall time: other work on the machine does not
    inflate it."""
    from blinker import base

    def send(self, sender=None, /, *, _async_wrapper=None, **kwargs):
        if self.is_muted:
            return []
        results = []
        for receiver in self.receivers_for(sender):
            started = cpu_seconds()
            result = receiver(sender, **kwargs)
            module = getattr(receiver, "__module__", None) or "?"
            totals[module] = totals.get(module, 0.0) + cpu_seconds() - started
            results.append((receiver, result))
        if self.name == "pelican_initialized":
            time_template_functions(sender.settings, totals)
        return results

    base.Signal.send = send


class Timed:
    """A template function that adds its CPU time to totals[module]. Pickles as
    the function itself (Pelican's content cache pickles the settings)."""

    def __init__(self, function, module, totals):
        self.function, self.module, self.totals = function, module, totals
        if hasattr(function, "jinja_pass_arg"):  # @pass_context and the like
            self.jinja_pass_arg = function.jinja_pass_arg

    def __call__(self, *args, **kwargs):
        started = time.process_time()
        try:
            return self.function(*args, **kwargs)
        finally:
            spent = time.process_time() - started
            self.totals[self.module] = self.totals.get(self.module, 0.0) + spent

    def __reduce__(self):
        return (_same, (self.function,))


def _same(function):
    return function


def time_template_functions(settings, totals):
    """Wrap the Jinja filters and globals that plugins added, adding their CPU time
    to totals[plugin] (templates call them once or more on every page)."""
    plugins = {str(name).split(".")[-1] for name in settings.get("PLUGINS") or []}
    for kind in ("JINJA_FILTERS", "JINJA_GLOBALS"):
        functions = settings.get(kind) or {}
        for name, function in list(functions.items()):
            module = getattr(function, "__module__", None) or ""
            if callable(function) and module.split(".")[0] in plugins:
                functions[name] = Timed(function, module, totals)


def main():
    figures, kind, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    receivers = {}
    time_receivers(receivers)
    profile_to = os.environ.get("BENCH_PROFILE_TO")
    if profile_to:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001)
        profiler.start()
    started = time.perf_counter()
    if kind == "ours":  # tools/build.py's main(), in this process (tools/ on PYTHONPATH: run.py)
        build = runpy.run_path(str(ROOT / "tools" / "build.py"), run_name="build")
        code = build["main"](args)
    else:
        import pelican

        try:
            pelican.main(args)
            code = 0
        except SystemExit as error:
            code = error.code or 0
    seconds = time.perf_counter() - started
    if profile_to:
        profiler.stop()
        Path(profile_to).write_text(
            profiler.output_text(color=False, show_all=bool(os.environ.get("BENCH_PROFILE_ALL")))
            + "\nFunctions by own time:\n"
            + "\n".join(profiler.output_text(color=False, flat=True).splitlines()[:60])
        )
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    Path(figures).write_text(json.dumps({
        "inner_seconds": seconds,
        "python_peak_kb": own.ru_maxrss,
        "children_peak_kb": children.ru_maxrss,
        "python_cpu": own.ru_utime + own.ru_stime,
        "children_cpu": children.ru_utime + children.ru_stime,
        "receivers": receivers,
    }))
    return code


if __name__ == "__main__":
    sys.exit(main())
