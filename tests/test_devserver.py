"""The preview (make devserver): each save shows up in output/ as a clean build has it.

A running devserver gets these saves, one after the other: the text of an article,
of a question and of a Spanish page (each rendered again alone, with the pages that
show that text), a text with a problem (refused, nothing changed), an article's
title (its page and the lists that name it), a template, and a setting. After each,
every page that should change did; once the devserver is idle again, its output,
search index included (it is brought up to date after the pages, by design), is
byte for byte what a clean build of the same files writes.
"""

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from helpers import ROOT, free_port, tree_differences

BUILD = ROOT / "tools" / "build.py"
IDLE = "Waiting for changes."

pytestmark = pytest.mark.slow  # every test runs the preview, which builds the site


def pages(output):
    return {p.relative_to(output).as_posix(): p.read_bytes()
            for p in output.rglob("*.html") if "pagefind" not in p.parts}


def inodes(output):
    """Each file outside the search index, by its inode: a file written again (into
    the output folder, or by swapping a new one in) gets a new one."""
    return {p.relative_to(output).as_posix(): p.stat().st_ino
            for p in output.rglob("*") if p.is_file() and "pagefind" not in p.parts}


class Preview:
    def __init__(self, tmp_path):
        self.content = tmp_path / "content"
        shutil.copytree(ROOT / "content", self.content)
        self.theme = tmp_path / "theme"
        shutil.copytree(ROOT / "theme", self.theme)
        self.settings = tmp_path / "conf.py"
        self.settings.write_text(
            f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
            f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nTHEME = {str(self.theme)!r}\n"
            "SITENAME = SITENAME\n", encoding="utf-8")
        self.output, self.log = tmp_path / "output", tmp_path / "devserver.log"
        self.tmp_path = tmp_path
        self.options = ["-s", str(self.settings), "-c", str(self.content)]
        command = [sys.executable, str(BUILD), "-lr", "-p", str(free_port()), "-b",
                   "127.0.0.1", *self.options, "-o", str(self.output),
                   "--cache", str(tmp_path / "cache")]
        with open(self.log, "w") as sink:
            self.server = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT,
                                           cwd=ROOT, start_new_session=True)
        self.idle = 0
        self.wait_idle()

    def text(self):
        return self.log.read_text(errors="replace")

    def wait_idle(self):
        """Until the devserver's next "Waiting for changes." (pages and index done)."""
        self.idle += 1
        deadline = time.monotonic() + 240
        while self.text().count(IDLE) < self.idle:
            assert self.server.poll() is None, self.text()
            assert time.monotonic() < deadline, f"the devserver did not finish:\n{self.text()}"
            time.sleep(0.1)

    def save(self, path, old, new, refused=False):
        """Save path with old replaced by new; return the pages before and after, and
        the files written again. A refused save prints problems; any other, none."""
        before, files = pages(self.output), inodes(self.output)
        problems = self.text().count("PROBLEM")
        text = path.read_text(encoding="utf-8")
        assert old in text, (path, old)
        time.sleep(0.05)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.wait_idle()
        assert (self.text().count("PROBLEM") > problems) == refused, self.text()
        now = inodes(self.output)
        return before, pages(self.output), {n for n in now if files.get(n) != now[n]}

    def clean_build(self):
        output = self.tmp_path / "clean"
        shutil.rmtree(output, ignore_errors=True)
        result = subprocess.run([sys.executable, str(BUILD), *self.options, "-o", str(output),
                                 "--cache", str(self.tmp_path / "clean-cache"), "-q"],
                                capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0, result.stderr
        return output

    def stop(self):
        os.killpg(self.server.pid, signal.SIGTERM)
        self.server.wait(timeout=30)


def changed(before, after):
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


def test_each_kind_of_save_reaches_every_page_and_ends_as_a_clean_build(tmp_path):
    preview = Preview(tmp_path)
    try:
        assert tree_differences(preview.output, preview.clean_build()) == []
        article = preview.content / "articles" / "recovery.md"

        # An article's text: its page alone is rendered again and written.
        before, after, written = preview.save(article, "\n## ", "\nSaved in the preview.\n\n## ")
        assert b"Saved in the preview." in after["articles/recovery/index.html"]
        assert written == changed(before, after) == {"articles/recovery/index.html"}
        assert "(1 file changed)" in preview.text()
        assert tree_differences(preview.output, preview.clean_build()) == []

        # A question's text: its page alone (the questions hub shows its Summary, not its text).
        question = preview.content / "faq" / "does-it-hurt.md"
        before, after, written = preview.save(question, "\n\n", "\n\nA new first line.\n\n")
        assert written == changed(before, after) == {"faq/does-it-hurt/index.html"}
        # A Spanish page's text: the Spanish page only.
        spanish = preview.content / "articles" / "es" / "recovery.md"
        before, after, written = preview.save(spanish, "\n## ", "\nGuardado en la vista.\n\n## ")
        assert written == changed(before, after) == {"es/articles/recovery/index.html"}
        assert tree_differences(preview.output, preview.clean_build()) == []

        # A text that breaks the links of other pages: refused, nothing written.
        references = preview.content / "pages" / "references.md"
        before, after, written = preview.save(references, "{#ref-ebeling-2019}", "{#ref-ebeling}",
                                              refused=True)
        assert "content/articles/risks.md" in preview.text()
        assert written == changed(before, after) == set()
        before, after, written = preview.save(references, "{#ref-ebeling}", "{#ref-ebeling-2019}")
        assert written == changed(before, after) == set()  # the same page as before
        # Markup in a saved text: refused as in a build, nothing written.
        before, after, written = preview.save(article, "Saved in the preview.",
                                              "<script>alert(1)</script>", refused=True)
        assert written == changed(before, after) == set()
        before, after, written = preview.save(article, "<script>alert(1)</script>",
                                              "Saved in the preview.")
        assert written == changed(before, after) == set()
        # A link in a saved text to a page less public than it (the hidden 404 page):
        # refused like in a build, though the page's fields did not change.
        before, after, written = preview.save(article, "Saved in the preview.",
                                              "See [this]({filename}/pages/404.md).", refused=True)
        assert "pages/404.md" in preview.text().split("PROBLEM")[-1]
        assert written == changed(before, after) == set()
        before, after, written = preview.save(article, "See [this]({filename}/pages/404.md).",
                                              "Saved in the preview.")
        assert written == changed(before, after) == set()
        assert tree_differences(preview.output, preview.clean_build()) == []

        # Its title: the page and the lists that name it.
        title = next(line for line in article.read_text(encoding="utf-8").splitlines()
                     if line.startswith("Title:"))
        before, after, _ = preview.save(article, title,
                                        "Title: Getting better after the procedure")
        assert {"articles/recovery/index.html", "articles/index.html"} <= changed(before, after)
        assert all(b"Getting better after the procedure" in after[name]
                   for name in ("articles/recovery/index.html", "articles/index.html"))

        # A template: every page that uses it.
        base = preview.theme / "templates" / "base.html"
        marker = "<!-- saved in the preview -->"
        before, after, _ = preview.save(base, "</body>", f"{marker}</body>")
        assert changed(before, after) == set(after), set(after) - changed(before, after)

        # A setting: every English page (the Spanish site has its own SITENAME).
        before, after, _ = preview.save(preview.settings, "SITENAME = SITENAME\n",
                                        "SITENAME = 'Preview of the site'\n")
        english = {name for name in after if not name.startswith("es/")}
        assert english <= changed(before, after), english - changed(before, after)
        assert b"Preview of the site" in after["index.html"]

        # Idle again: the pages and the search index are those of a clean build.
        assert tree_differences(preview.output, preview.clean_build()) == []
        assert preview.text().count("Search index up to date.") >= 8
    finally:
        preview.stop()


def test_a_build_with_no_page_changed_reuses_the_search_index(tmp_path):
    """make html again over the same content: Pagefind is not run, and the index is the
    same, byte for byte, as a fresh one; a changed page gets a new index."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    output = tmp_path / "output"
    command = [sys.executable, str(BUILD), "-c", str(content), "-o", str(output),
               "--cache", str(tmp_path / "cache"), "-q"]
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    first = output / "pagefind" / "pagefind-entry.json"
    inode = first.stat().st_ino
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    assert first.stat().st_ino == inode  # linked, not written again
    first.write_bytes(first.read_bytes() + b" ")  # a file of the index changed by hand
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    assert first.stat().st_ino != inode and not first.read_bytes().endswith(b" ")
    article = content / "articles" / "recovery.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nA new sentence.\n",
                       encoding="utf-8")
    assert subprocess.run(command, cwd=ROOT).returncode == 0
    clean = tmp_path / "clean"
    assert subprocess.run([*command[:4], "-o", str(clean), "--cache",
                           str(tmp_path / "clean-cache"), "-q"], cwd=ROOT).returncode == 0
    assert tree_differences(output, clean) == []
