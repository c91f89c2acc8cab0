"""make newarticle and make newfaq: a filled-in file that builds and never overwrites one."""

import re
import subprocess
import sys

import pytest

import content_checks
from helpers import ROOT, SETTINGS, metadata, run_build, run_checks
from new_content import read_fields


def make(target, content, **variables):
    """Run a make target on a content folder, answering on the command line."""
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", target,
               f"INPUTDIR={content}"] + [f"{name}={value}" for name, value in variables.items()]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL)


def highest_order(content):
    return max(int(metadata(p)["order"]) for p in (content / "faq").glob("*.md"))


def test_new_article_and_question_build_and_show(content_copy, tmp_path, today):
    order = highest_order(content_copy) + 1
    article = content_copy / "articles" / "sleeping-well-after-kyphoplasty.md"
    question = content_copy / "faq" / "can-i-drive-or-fly-after-the-procedure.md"
    made = make("newarticle", content_copy, TITLE="Sleeping well after kyphoplasty",
                CATEGORY="Your procedure")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {article}.\n")
    made = make("newfaq", content_copy, TITLE="Can I drive — or fly — after the procedure?")
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {question}.\n")

    article_text = article.read_text(encoding="utf-8")
    assert article_text.startswith(
        "Title: Sleeping well after kyphoplasty\n"
        f"Date: {today}\n"
        "Category: Your procedure\n"
    )
    assert "Slug: sleeping-well-after-kyphoplasty\n" in article_text
    assert f"Reviewed: {today}\nType: article\n\n" in article_text
    assert article_text.count("\n## ") == 3
    assert "\n## When to call us\n" in article_text
    assert "[858-677-9957](tel:+18586779957)" in article_text
    question_text = question.read_text(encoding="utf-8")
    assert question_text.startswith(
        "Title: Can I drive — or fly — after the procedure?\n"
        "Slug: can-i-drive-or-fly-after-the-procedure\n"
        f"Order: {order}\n"
    )
    assert f"Reviewed: {today}\nType: faq\n\n" in question_text

    output = tmp_path / "output"
    built = run_build(output, content=content_copy)
    assert built.returncode == 0, built.stderr
    assert "PROBLEM" not in built.stderr
    page = (output / "articles" / "sleeping-well-after-kyphoplasty" / "index.html").read_text()
    assert "<h1>Sleeping well after kyphoplasty</h1>" in page
    assert 'id="when-to-call-us"' in page
    answer = (output / "faq" / "can-i-drive-or-fly-after-the-procedure" / "index.html").read_text()
    assert "Can I drive — or fly — after the procedure?" in answer
    questions = (output / "faq" / "index.html").read_text()
    assert 'id="can-i-drive-or-fly-after-the-procedure"' in questions


def test_template_text_cannot_be_published(content_copy, tmp_path):
    assert make("newfaq", content_copy, TITLE="Is the cement safe?").returncode == 0
    question = content_copy / "faq" / "is-the-cement-safe.md"
    lines = question.read_text(encoding="utf-8").split("\n")
    first = next(number for number, line in enumerate(lines, 1) if "REPLACE:" in line)

    built = run_build(tmp_path / "output", settings="publishconf.py", content=content_copy)

    assert built.returncode == 1
    problems = [line for line in built.stderr.splitlines() if line.startswith("PROBLEM")]
    assert problems == [
        f"PROBLEM  content/faq/is-the-cement-safe.md:{first}: this line (and 2 more lines) still"
        " has the template's `REPLACE:` text. Write the real text in its place, preview it,"
        " then publish again."
    ]
    assert not (tmp_path / "output").exists()


def test_never_overwrites_a_file_or_an_address(content_copy):
    assert make("newfaq", content_copy, TITLE="Is the cement safe?").returncode == 0
    question = content_copy / "faq" / "is-the-cement-safe.md"
    question.write_text(question.read_text() + "\nMy own answer.\n")
    before = question.read_bytes()

    again = make("newfaq", content_copy, TITLE="Is the cement safe?")

    assert again.returncode != 0
    assert (f"Nothing was created: {question} already has the address"
            " `is-the-cement-safe`. Choose another title, or edit that file.") in again.stderr
    assert question.read_bytes() == before

    existing = sorted((content_copy / "faq").glob("*.md"))[0]
    slug = metadata(existing)["slug"]
    clash = make("newfaq", content_copy, TITLE=slug.replace("-", " "))
    assert clash.returncode != 0
    assert f"{existing} already has the address `{slug}`" in clash.stderr


def test_refuses_a_title_without_letters_or_a_wrong_topic(content_copy):
    before = sorted(p.name for p in (content_copy / "articles").iterdir())
    empty = make("newarticle", content_copy, TITLE="?!")
    assert empty.returncode != 0
    assert "Nothing was created: the title needs some letters or numbers." in empty.stderr
    wrong = make("newarticle", content_copy, TITLE="Bone health", CATEGORY="Bones")
    assert wrong.returncode != 0
    assert ("There is no topic `Bones`. Choose one of: Conditions, Treatment,"
            " Your procedure.") in wrong.stderr
    assert sorted(p.name for p in (content_copy / "articles").iterdir()) == before


def test_start_the_spanish_version_of_a_page(content_copy, tmp_path, today):
    english = content_copy / "articles" / "risks.md"
    spanish = content_copy / "articles" / "es" / "risks.md"
    spanish.unlink()  # start the real translation anew
    made = make("newarticle", content_copy, TRANSLATE=english)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Created {spanish}.\n")
    text = spanish.read_text(encoding="utf-8")
    assert "\nSlug: risks\nLang: es\n" in text and "\nCategory: Tratamiento\n" in text
    assert f"\nReviewed: {today}\n" in text and "Title: REPLACE: Risks" in text
    headings = re.findall(r"(?m)^##.*$", text)
    assert headings and all(re.search(r" \{#[a-z0-9-]+\}$", h) for h in headings), headings
    assert "{filename}/pages/es/references.md#ref-" in text  # its twin exists: linked

    preview = run_build(tmp_path / "preview", content=content_copy)
    assert preview.returncode == 0, preview.stderr
    live = run_build(tmp_path / "live", settings="publishconf.py", content=content_copy)
    assert live.returncode != 0 and "content/articles/es/risks.md:1: this line" in live.stderr

    again = make("newarticle", content_copy, TRANSLATE=english)
    assert again.returncode != 0 and "already exists" in again.stderr


# Only inside content/, only the site's languages, nothing half-written (issue 21) ------

def files_under(folder):
    return sorted(p for p in folder.rglob("*"))


def test_a_translation_is_written_only_inside_content_and_only_into_a_site_language(
        content_copy, tmp_path):
    """TRANSLATE names an English page in content/ (not ../../README.md, not a
    Spanish page), TO one of the site's languages from the settings: otherwise one
    line, no traceback, and no file or folder made anywhere."""
    languages = list(SETTINGS["I18N_SUBSITES"])
    outside = tmp_path / "outside.md"
    outside.write_text("Title: Not a page\n\nText.\n", encoding="utf-8")
    english = content_copy / "articles" / "recovery.md"
    spanish = content_copy / "articles" / "es" / "recovery.md"
    spanish.unlink(missing_ok=True)
    before = files_under(tmp_path), files_under(ROOT / "content")
    cases = [
        ({"TRANSLATE": "README.md"}, "is not an English page"),  # the project's own
        ({"TRANSLATE": f"{content_copy}/../outside.md"}, "is not an English page"),
        ({"TRANSLATE": content_copy / "articles" / "es" / "getting-ready.md"},
         "is not an English page"),
        ({"TRANSLATE": english, "TO": "../outside"}, "is not one of the site's other languages"),
        ({"TRANSLATE": english, "TO": "fr"}, "is not one of the site's other languages"),
        ({"TRANSLATE": english, "TO": "en"}, "is not one of the site's other languages"),
    ]
    for variables, message in cases:
        made = make("newarticle", content_copy, **variables)
        assert made.returncode != 0, variables
        assert made.stderr.startswith("Nothing was created: ") and message in made.stderr, (
            variables, made.stderr)
        assert "Traceback" not in made.stderr and made.stderr.count("Nothing was created") == 1
        assert (files_under(tmp_path), files_under(ROOT / "content")) == before, variables
    assert not (ROOT / "es").exists()
    made = make("newarticle", content_copy, TRANSLATE=english, TO=languages[0])
    assert made.returncode == 0, made.stderr
    assert spanish.is_file()


# A translation records the English text it was made from (issue 24) ----------------

def translation_notices(content):
    run_checks(content)
    return [(name, message) for name, _line, message, heading in content_checks.state.notices
            if heading == content_checks.NEEDS_TRANSLATION]


def test_a_translation_is_flagged_when_the_english_text_changes_and_marked_done(content_copy):
    english = content_copy / "articles" / "risks.md"
    spanish = content_copy / "articles" / "es" / "risks.md"
    shown = "content/articles/es/risks.md"
    flagged = ("articles/es/risks.md",
               "the text of content/articles/risks.md changed after this translation was made."
               f" Bring the translation up to date, then run `make translated FILE={shown}`.")
    assert flagged not in translation_notices(content_copy)

    marked = make("translated", content_copy, FILE=spanish)
    assert marked.returncode == 0, marked.stderr
    fields = read_fields(spanish)
    code = fields[content_checks.TRANSLATED_FROM][1]
    assert fields["lang"][0] + 1 == fields[content_checks.TRANSLATED_FROM][0]  # under Lang
    assert re.fullmatch(r"[0-9a-f]{12}", code) and code in marked.stdout
    assert flagged not in translation_notices(content_copy)

    # A field of the English page changes, its text does not: still up to date.
    text = english.read_text(encoding="utf-8")
    english.write_text(text.replace("Summary:", "Summary: Now", 1), encoding="utf-8")
    assert flagged not in translation_notices(content_copy)
    # Its text changes, and no date with it: flagged, saying what to run.
    english.write_text(text + "\nOne more sentence.\n", encoding="utf-8")
    assert flagged in translation_notices(content_copy)

    again = make("translated", content_copy, FILE=spanish)
    assert again.returncode == 0, again.stderr
    assert flagged not in translation_notices(content_copy)
    assert read_fields(spanish)[content_checks.TRANSLATED_FROM][1] != code
    assert spanish.read_text(encoding="utf-8").count("Translated-from:") == 1


def test_a_new_translation_records_the_english_text(content_copy):
    english = content_copy / "articles" / "risks.md"
    spanish = content_copy / "articles" / "es" / "risks.md"
    spanish.unlink()
    assert make("newarticle", content_copy, TRANSLATE=english).returncode == 0
    recorded = read_fields(spanish)[content_checks.TRANSLATED_FROM][1]
    marked = make("translated", content_copy, FILE=spanish)  # the same English text
    assert read_fields(spanish)[content_checks.TRANSLATED_FROM][1] == recorded, marked.stderr


@pytest.mark.parametrize("file, message", [
    ("articles/risks.md", "is not a translation"),
    ("articles/es/no-such-page.md", "there is no file"),
])
def test_make_translated_refuses_what_is_not_a_translation(content_copy, file, message):
    result = make("translated", content_copy, FILE=content_copy / file)
    assert result.returncode != 0 and "Nothing was changed: " in result.stderr
    assert message in result.stderr
    assert "Translated-from" not in (content_copy / "articles" / "risks.md").read_text()


# A wrong answer is asked again; make help names every switch (issue 24) -------------

def answering(content, kind, answers):
    return subprocess.run([sys.executable, str(ROOT / "tools" / "new_content.py"), kind,
                           "--content", str(content)], input="".join(f"{a}\n" for a in answers),
                          capture_output=True, text=True, cwd=ROOT)


def test_a_wrong_typed_answer_is_asked_again(content_copy):
    categories = SETTINGS["ARTICLE_CATEGORIES"]
    made = answering(content_copy, "article", ["?!", "Bone health", "Bones", "2"])
    assert made.returncode == 0, made.stderr
    assert made.stderr.splitlines() == [
        "The title needs some letters or numbers. Try again.",
        f"There is no topic `Bones`. Choose one of: {', '.join(categories)}. Try again."]
    assert metadata(content_copy / "articles" / "bone-health.md")["category"] == categories[1]


def test_three_wrong_answers_stop_with_nothing_created(content_copy):
    before = sorted(p.name for p in (content_copy / "faq").iterdir())
    stopped = answering(content_copy, "faq", ["?!", "", "%"])
    assert stopped.returncode != 0
    assert stopped.stderr.splitlines()[-1] == (
        "Nothing was created: the title needs some letters or numbers.")
    assert stopped.stderr.count("Try again.") == 2
    assert sorted(p.name for p in (content_copy / "faq").iterdir()) == before


def test_make_help_shows_the_switches_of_new_content():
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=ROOT,
                           capture_output=True, text=True).stdout
    for switch in ("TITLE=", "CATEGORY=", "TRANSLATE=", "TO=", "make translated FILE=", "V=1"):
        assert switch in shown, switch

