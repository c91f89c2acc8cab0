"""The questions hub as the questions grow: its first load at 20, 50 and 100
questions per language, in a site of 100 guides per language.

    python bench/hub.py          # prints the table (make bench prints it too)
    python bench/hub.py SCRATCH FIGURES.json   # bench/run.py: the figures, as JSON

For each count, the real content plus synthetic guides in both languages
(bench/synth.py: about 600 words each, the Spanish ones the same text with
`Lang: es`) and synthetic questions in both languages (synth.add_questions with
new text of the real questions' words, not copies: a copy compresses to almost
nothing) is built once with our build; then every page's first load (HTML +
stylesheets, gzip -9, as bench/run.py measures page weight) is read.
"""

import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from pelican.settings import read_settings

import run  # bench/ is on sys.path: Python puts a script's own folder there
import synth

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent

QUESTIONS = (20, 50, 100)  # per language
GUIDES = 100  # per language
HUBS = {"en": "faq/index.html", "es": "es/faq/index.html"}


def spanish_guides(content):
    """The synthetic guides again in Spanish: the same file under articles/es/, with
    `Lang: es`, the Spanish name of its topic and links to the Spanish pages."""
    languages = read_settings(str(ROOT / "pelicanconf.py"))["LANGUAGES"]
    topics = dict(zip(languages["en"]["topics"], languages["es"]["topics"]))
    for path in sorted((content / "articles").glob("synthetic-*.md")):
        text = path.read_text(encoding="utf-8")
        category = re.search(r"^Category: (.*)$", text, re.M).group(1)
        text = synth.with_fields(text, Category=topics[category])
        text = text.replace("\nType: article", "\nLang: es\nType: article", 1)
        text = re.sub(r"\{filename\}/(articles|faq|pages)/", r"{filename}/\1/es/", text)
        (content / "articles" / "es" / path.name).write_text(text, encoding="utf-8")


def grown_site(folder, questions):
    """Content with GUIDES guides and `questions` questions per language, built into
    folder/output; returns the output folder."""
    content = folder / "content"
    (synth_out,) = [f for f in synth.generate(GUIDES, folder / "synth") if f.name == "ours"]
    shutil.move(str(synth_out), content)
    shutil.rmtree(folder / "synth", ignore_errors=True)
    spanish_guides(content)
    have = len(synth.questions_with_twins(content))
    synth.add_questions(content, max(questions - have, 0), distinct=True)
    output = folder / "output"
    run.run_build("ours", content, output, folder / "cache", folder)  # BuildFailed if it fails
    return output


def measure(scratch):
    """{questions: {"hub": {lang: first load}, "heaviest": (page, first load), "over": n, "pages": n}}."""
    found = {}
    for count in QUESTIONS:
        folder = Path(scratch) / f"hub-{count}"
        weight = {p["page"]: p["first_gz"] for p in run.page_weight(grown_site(folder, count))}
        heaviest = max(weight, key=weight.get)
        found[count] = {"hub": {lang: weight[page] for lang, page in HUBS.items()},
                        "heaviest": (heaviest, weight[heaviest]), "pages": len(weight),
                        "guides": GUIDES,
                        "over": sum(size > run.FIRST_LOAD_LIMIT for size in weight.values())}
        shutil.rmtree(folder, ignore_errors=True)
    return found


def main(argv):
    if len(argv) == 2:  # bench/run.py
        run.note(f"questions hub: {', '.join(map(str, QUESTIONS))} questions per language")
        try:
            Path(argv[1]).write_text(json.dumps(measure(argv[0])))
        except run.BuildFailed as error:
            sys.exit(f"bench: {error}")
        return
    scratch = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    try:
        found = measure(scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    lines = []
    run.hub_rows(lambda *cells: lines.append("| " + " | ".join(cells) + " |"), found)
    print("\n".join(lines))


if __name__ == "__main__":
    main(sys.argv[1:])
