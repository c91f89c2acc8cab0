"""The preview's worker: one Pelican process kept alive between saves.

`make devserver` (tools/devserver.py) starts it as `tools/preview.py [build options]
--preview-worker FD` (`tools/build.py --preview-worker FD` hands over to it too).
It builds the whole site once, as `make html` does, and remembers while doing so
what each written file was rendered from: the template, its context, and the
pages whose text the render read (pelican_internals.watch_text_reads: any read
of a page's text, by a template or a plugin).

Then it takes the names of saved Markdown files, one request a line. When a
save changed only a page's text (its fields are as they were, and it links the
same pictures), the worker reads that file again, puts the new text into the
page in every language's site, renders again only the files that read that
page's text (its own page; the questions hub for a question), checks them as a
build does (the file's fields and text, the sections its page needs, its links,
and the anchors other pages link to on it), and moves them into the output
folder. Every other change (a new or deleted file, a field, a picture link, a
template, a setting, a plugin) needs a whole build: the worker answers
"restart" and the devserver starts a new one.

A save with a problem prints the problems and changes nothing; the worker takes
the text back and waits for the next save.

Replies go to the file descriptor the devserver gives (--preview-worker FD):
"ok", "failed" or "restart", one a line. Messages for the editor go to
stdout/stderr. Which changes it can follow, it decides: the devserver sends it
every change.

Pelican has no hooks for this fast path (what a render read, a page's new text):
each touch of its inside is a function of plugins/pelican_internals.py. The
Writer subclass (through the `get_writer` signal) is Pelican's own hook; writing
a file again calls its write_file(name, template, context, ...) with the
arguments the build gave it.
"""

import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import build  # tools/ is on sys.path: Python puts a script's own folder there
from build_locks import locked
from build_log import collecting, report
from build_settings import SettingsProblem, load_settings, settings_problem

build.plugins_importable()  # pelican_internals, and the plugins the build loads
import pelican_internals  # noqa: E402

# Which file is being rendered now, what each file's render read, and how to render it again.
rendering = []  # (site, name) of the file being written: site "" is the main site, "es" ...
text_read = {}  # (site, name) -> source paths whose text the render read
how_made = {}  # (site, name) -> (settings, template, context, other write_file arguments)
sites = {}  # site -> its generators (the main site's first)

# Links to files that are not pages: a new one may need a file copied.
FILE_LINK = re.compile(r"\{(?:static|attach|filename)\}([^\"'\s>)#?]*)")


def note_text_read(page, what):
    """While a file is rendered, record each page whose text it reads. A Summary
    field is the summary; without one, the summary is cut from the text."""
    if rendering and (what == "text" or "summary" not in page.metadata):
        text_read[rendering[-1]].add(page.source_path)


def site_of(output_path, root):
    """A site's folder in the main site's ("" for the main site, "es" ...)."""
    site = os.path.relpath(output_path, root)
    return "" if site == "." else site


def recording_writer():
    from pelican.writers import Writer

    class RecordingWriter(Writer):
        """Pelican's Writer that remembers how each file was made. Pelican makes it
        as writer(output_path, settings=settings) for each site (get_writer); the
        worker makes one for a staging folder with the site's folder in it."""

        def __init__(self, output_path, settings=None, site=None):
            super().__init__(output_path, settings=settings)
            main_output = sites[""][0].settings["OUTPUT_PATH"]
            self.site = site_of(output_path, main_output) if site is None else site

        def write_file(self, name, template, context, *args, **kwargs):
            key = (self.site, name)
            how_made[key] = (self.settings, template, context, args, kwargs)
            text_read[key] = set()
            rendering.append(key)
            try:
                return super().write_file(name, template, context, *args, **kwargs)
            finally:
                rendering.pop()

    return RecordingWriter


def connect(writer):
    from pelican import signals

    def on_generators(generators):
        """Each site's generators, by its folder in the main site's ("" for the main
        site, whose generators come first; "es" ...)."""
        output = generators[0].settings["OUTPUT_PATH"]
        sites[site_of(output, sites[""][0].settings["OUTPUT_PATH"]) if sites else ""] = generators

    def get_writer(_pelican):
        return writer

    signals.all_generators_finalized.connect(on_generators, weak=False)
    signals.get_writer.connect(get_writer, weak=False)


def file_links(html):
    return sorted(link for link in FILE_LINK.findall(html) if not link.endswith(".md"))


class Restart(Exception):
    """This save needs a whole build."""


class Worker:
    def __init__(self, args):
        self.args = args
        self.settings = load_settings(args)
        self.output = Path(self.settings["OUTPUT_PATH"]).resolve()
        self.content = Path(self.settings["PATH"]).resolve()
        pelican_internals.watch_text_reads(note_text_read)
        self.writer = recording_writer()
        connect(self.writer)
        self.checks = None

    def first_build(self):
        built = build.build_once(self.args) == 0
        self.checks = sys.modules.get("content_checks") if built else None
        return built

    def update(self, paths):
        """Bring the output up to date with these saved files: 'ok', 'failed' or 'restart'."""
        if self.checks is None or self.settings.get("PRODUCTION"):
            return "restart"  # no site to update, or feeds and compressed copies to redo
        self.checks.state.messages.clear()
        self.checks.state.broken.clear()  # a file refused before may be mended now
        started = time.perf_counter()
        with collecting(self.args.verbosity) as collector:
            try:
                written = self.apply(paths, collector)
            except Restart:
                return "restart"
        if collector.problems:
            report(collector, self.output, None, self.args.verbosity)
            return "failed"
        if self.args.verbosity != logging.CRITICAL:
            print(f"Built the site into {self.output}/ in {time.perf_counter() - started:.2f} s"
                  f" ({written} file{'s' * (written != 1)} changed).", flush=True)
        return "ok"

    def apply(self, paths, collector):
        """Change the pages, render and check what they show, move it in; or undo."""
        names = []
        for path in paths:
            path = Path(path).resolve()
            if path.suffix != ".md" or self.content not in path.parents or not path.is_file():
                raise Restart()
            names.append(path.relative_to(self.content).as_posix())
        undo = []
        staging = Path(tempfile.mkdtemp(prefix=f".{self.output.name}-preview-",
                                        dir=self.output.parent))
        try:
            changed = {name: self.new_text(name, undo) for name in dict.fromkeys(names)}
            if collector.problems:
                return 0
            made = self.render_again(changed, staging, undo)
            self.check(changed, staging, made)
            if collector.problems:
                return 0
            written = 0
            with locked([self.output], lambda text: None):
                for site, name in made:
                    new, target = staging / site / name, self.output / site / name
                    if target.is_file() and target.read_bytes() == new.read_bytes():
                        continue  # the same bytes: the file stays as it is
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(new, target)
                    written += 1
            undo.clear()
            return written
        finally:
            for step in reversed(undo):
                step()
            shutil.rmtree(staging, ignore_errors=True)

    def new_text(self, name, undo):
        """Check the saved file and put its new text into its page in every site.
        Returns the source path the pages know it by."""
        state = self.checks.state
        old = state.sources.get(name)
        if old is None or not old.fields:
            raise Restart()
        source = self.checks.read_source(state, self.content / name, name)
        if source is None:
            return None  # the problem is logged
        fields = old.lines[:old.body_start]  # the metadata block and the empty line after it
        if source.lines[:len(fields)] != fields or not fields or fields[-1].strip():
            raise Restart()  # a field changed: lists and other pages may show it
        state.sources[name] = source
        undo.append(lambda: state.sources.__setitem__(name, old))
        self.checks.check_source(state, source)
        self.checks.check_links_between(state)  # a new link to a draft, or an {attach} of a shared file
        source.content, source.save_as = old.content, old.save_as
        source_path = None
        for generators in sites.values():
            page = pelican_internals.page_from_file(generators[0].context, name)
            if page is None:
                continue
            fresh = pelican_internals.read_page_again(generators[0], name, page)
            old_text, new_text = map(pelican_internals.page_html, (page, fresh))
            if file_links(new_text) != file_links(old_text):
                raise Restart()  # a new picture may need copying
            pelican_internals.set_page_html(page, new_text)
            undo.append(lambda page=page, text=old_text:
                        pelican_internals.set_page_html(page, text))
            source_path = page.source_path
        if source_path is None:
            raise Restart()
        return source_path

    def render_again(self, changed, staging, undo):
        """Render, into staging, every file whose last render read a changed page's text."""
        wanted = set(changed.values())
        again = [key for key, read in text_read.items() if read & wanted]
        writers = {}
        for key in again:
            undo.append(lambda key=key, read=set(text_read[key]): text_read.__setitem__(key, read))
        for site, name in again:
            settings, template, context, args, kwargs = how_made[(site, name)]
            if site not in writers:
                writers[site] = self.writer(str(staging / site), settings=settings, site=site)
            writers[site].write_file(name, template, context, *args, **kwargs)
        return [key for key in again if (staging / key[0] / key[1]).is_file()]

    def check(self, changed, staging, made):
        """The checks a build makes on built pages, for what this save can change: the
        changed pages' sections and links, and links from other pages to their anchors."""
        checks, state = self.checks, self.checks.state
        roots = {generators[0].settings["DEFAULT_LANG"]: self.output / site
                 for site, generators in sites.items()}
        for site, name in made:  # the anchors on the pages rendered again
            html = (staging / site / name).read_text(encoding="utf-8")
            state.ids[self.output / site / name] = set(checks.ID.findall(html))
        rendered = {(self.output / site / name): staging / site / name for site, name in made}
        try:
            self.check_pages(changed, rendered, roots)
        finally:
            for page in rendered:  # read again from the output folder when next needed
                state.ids.pop(page, None)

    def check_pages(self, changed, rendered, roots):
        checks, state = self.checks, self.checks.state
        targets = set()  # how other pages' links name a changed page
        for name in changed:
            source = state.sources[name]
            root = roots.get(source.lang)
            if source.content is None or root is None:
                continue
            page = root / source.save_as
            targets |= {f"{Path(name).name}", f"{source.content.slug}/"}
            if source.content.status != "draft" and page in rendered:
                checks.check_sections(state, source, rendered[page].read_bytes())
        for source in state.sources.values():
            root = roots.get(source.lang)
            if source.content is None or root is None or source.content.status == "draft":
                continue
            text = pelican_internals.page_html(source.content)
            if source.name in changed or any(target in text for target in targets):
                checks.check_links(state, source, root)


def serve_requests(worker, replies):
    """Answer each request line (a JSON list of saved files) until stdin closes."""
    for line in sys.stdin:
        if not line.strip():
            continue
        answer = worker.update(json.loads(line))
        replies.write(answer + "\n")
        replies.flush()
        if answer == "restart":
            return 0
    return 0


def work(args, reply_fd):
    """Build, then answer each save, replying on reply_fd."""
    replies = os.fdopen(reply_fd, "w")
    try:
        worker = Worker(args)
    except SettingsProblem as error:  # a mistake in the settings: the next save tries again
        settings_problem(error, args.verbosity)
        replies.write("failed\n")
        replies.flush()
        return 1
    built = worker.first_build()
    replies.write(("ok" if built else "failed") + "\n")
    replies.flush()
    return serve_requests(worker, replies)


def main(argv=None):
    """tools/preview.py [build options] --preview-worker FD"""
    args, _once = build.parse(list(sys.argv[1:] if argv is None else argv))
    args.search_later = True  # the devserver brings the search index up to date after
    try:
        return work(args, args.preview_worker)
    except KeyboardInterrupt:
        print("\nStopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
