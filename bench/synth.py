"""Synthetic content for the benchmark: the real site's pages plus N generated articles.

Each generated article is about 600 words and passes our content checks:
Title, Date, Category (from ARTICLE_CATEGORIES), Tags, Slug, Summary (50-160
characters), Reviewed, Type: article; an introduction, four `##` sections with
paragraphs, a list and links to other articles, a question and a source, and a
closing `## When to call us` with the phone link.

    python bench/synth.py 1000 /tmp/site        # writes /tmp/site/ours and /tmp/site/plain

`ours` is the content as our build reads it. `plain` is the same content for
plain Pelican with its default theme: the `Template`, `Save_as` and `URL`
lines are dropped, since the default theme has none of our templates.
"""

import datetime
import random
import re
import shutil
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent

CONTENT = ROOT / "content"
CATEGORIES = ["Conditions", "Treatment", "Your procedure"]  # ARTICLE_CATEGORIES
PLAIN_DROP = re.compile(r"^(Template|Save_as|URL):.*\n", re.IGNORECASE | re.MULTILINE)

WORDS = """
bone spine fracture vertebra pain doctor care team procedure balloon cement needle
imaging scan x-ray brace rest medicine relief recovery walking driving sleep home
day week month hour morning evening family friend question answer visit phone
osteoporosis density calcium vitamin exercise therapy strength balance fall risk
safe small thin quick gentle careful common rare usual mild severe strong weak
back chest hip posture height shape wedge level bed chair stairs car work garden
lift bend twist carry move stand sit lie breathe eat drink ask tell call plan
""".split()
VERBS = "helps eases supports protects lifts fills steadies guides shows changes".split()
SUBJECTS = ["The care team", "Your doctor", "Most people", "A short scan", "Gentle exercise",
            "The bone cement", "A thin needle", "Physical therapy", "Good sleep", "Your family"]
TAGS = [f"{a} {b}" for a in ("pain", "bone", "spine", "daily", "home", "safe")
        for b in ("care", "health", "relief", "habits", "questions", "tips", "steps")]
TOPICS = ["Before your visit", "What the doctor checks", "How the bone heals", "Daily life",
          "Moving safely", "Medicines and pain", "Questions for your team", "At home",
          "Food and bone health", "Sleep and rest", "Getting about", "Your family's part"]


def sentence(rng, words=None):
    count = words or rng.randint(8, 18)
    body = " ".join(rng.choice(WORDS) for _ in range(count - 3))
    text = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {body}."
    if rng.random() < 0.1:
        text = text.replace(" pain ", " **pain** ", 1)
    return text


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


def article(number, total, today, rng):
    """One synthetic article as Markdown text."""
    slug = f"synthetic-{number:05d}"
    title = f"Guide {number}: {rng.choice(TOPICS).lower()} after a spine fracture"
    summary = f"Guide {number}: " + " ".join(rng.choice(WORDS) for _ in range(14))
    summary = summary[:150].rstrip() + "."
    date = today - datetime.timedelta(days=400 + number % 900)
    reviewed = today - datetime.timedelta(days=number % 300)
    tags = ", ".join(rng.sample(TAGS, rng.randint(2, 4)))
    others = [rng.randint(1, total) for _ in range(2)]
    faq = rng.choice(["does-it-hurt", "is-it-safe", "how-to-prepare", "what-is-a-vcf"])
    sections = rng.sample(TOPICS, 4)
    lines = [
        f"Title: {title}",
        f"Date: {date:%Y-%m-%d}",
        f"Category: {CATEGORIES[number % len(CATEGORIES)]}",
        f"Tags: {tags}",
        f"Slug: {slug}",
        f"Summary: {summary}",
        f"Reviewed: {reviewed:%Y-%m-%d}",
        "Type: article",
        "",
        paragraph(rng, 5),
        "",
    ]
    for index, heading in enumerate(sections):
        lines += [f"## {heading}", "", paragraph(rng, 4), "", paragraph(rng, 3), ""]
        if index == 1:
            lines += [f"- {sentence(rng, 8)}" for _ in range(4)] + [""]
        if index == 2:
            lines += [
                f"Read [guide {others[0]}]({{filename}}/articles/synthetic-{others[0]:05d}.md)"
                f" and [guide {others[1]}]({{filename}}/articles/synthetic-{others[1]:05d}.md),"
                f" the question [{faq.replace('-', ' ')}]({{filename}}/faq/{faq}.md), and"
                " [what one trial found]({filename}/pages/references.md#ref-wardlaw-2009).",
                "",
            ]
    lines += [
        "## When to call us",
        "",
        f"{paragraph(rng, 2)} Call us at [858-677-9957](tel:+18586779957). In an"
        " emergency, call 911.",
        "",
    ]
    return "\n".join(lines)


def copy_real(folder, plain):
    """The real site's content, for plain Pelican without our template names."""
    shutil.copytree(CONTENT, folder, dirs_exist_ok=True)
    if plain:
        for path in folder.rglob("*.md"):
            text = path.read_text(encoding="utf-8")
            head, sep, body = text.partition("\n\n")
            path.write_text(PLAIN_DROP.sub("", head + "\n") .rstrip("\n") + sep + body,
                            encoding="utf-8")


def generate(total, target, seed=2026):
    """Write target/ours and target/plain with `total` articles in all; return them."""
    target = Path(target)
    folders = []
    real = len(list((CONTENT / "articles").glob("*.md")))
    from pelican.settings import read_settings

    # Today where the practice is, the date the content checks check against.
    today = datetime.datetime.now(ZoneInfo(read_settings(str(ROOT / "pelicanconf.py"))["TIMEZONE"])).date()
    for name in ("ours", "plain"):
        folder = target / name
        shutil.rmtree(folder, ignore_errors=True)
        copy_real(folder, plain=name == "plain")
        rng = random.Random(seed)
        synthetic = max(total - real, 0)
        for number in range(1, synthetic + 1):
            text = article(number, synthetic, today, rng)
            (folder / "articles" / f"synthetic-{number:05d}.md").write_text(text, encoding="utf-8")
        folders.append(folder)
    return folders


# Questions -------------------------------------------------------------------

FIELD = re.compile(r"^(\w+):[ \t]*(.*)$", re.MULTILINE)
TEXT_WORD = re.compile(r"[^\W\d_]{2,}")  # a word of letters, in any language


def questions_with_twins(content):
    """The content's questions that have a translation in every language folder:
    [(path, {language folder: path})], by file name."""
    folders = [f for f in sorted((content / "faq").iterdir()) if f.is_dir()]
    found = []
    for path in sorted((content / "faq").glob("*.md")):
        twins = {f.name: f / path.name for f in folders if (f / path.name).is_file()}
        if len(twins) == len(folders):
            found.append((path, twins))
    return found


def with_fields(text, **fields):
    """A content file's text with some `Field: value` lines replaced."""
    head, sep, body = text.partition("\n\n")
    for name, value in fields.items():
        head = re.sub(rf"^{name}:.*$", f"{name}: {value}", head, count=1, flags=re.MULTILINE)
    return head + sep + body


def new_wording(words, rng, number, question):
    """A question's Title and Summary of words drawn from the real ones: new text,
    as hard to compress as real questions, never the same twice."""
    title = " ".join(rng.choice(words) for _ in range(rng.randint(5, 9)))
    title = f"{question[0]}{title[0].upper()}{title[1:]} {number}{question[1]}"
    summary, length = "", rng.randint(90, 140)
    while len(summary) < length:
        summary += " " + rng.choice(words)
    summary = f"{summary.strip().capitalize()[:150]} ({number})."
    return title, summary


def add_questions(content, extra, distinct=False, seed=2026):
    """Add `extra` questions in every language to a content folder, as an editor
    would: copies of its first question that has every translation, each with its
    own file name and Slug, an Order after the last, and its own Title and Summary.
    A copy's Title and Summary are the original's, numbered; with `distinct`, new
    text of the real questions' words (what the hub shows: a copy would compress
    to almost nothing). Returns the new slugs."""
    content = Path(content)
    original, twins = questions_with_twins(content)[0]
    last = max(int(dict(FIELD.findall(p.read_text(encoding="utf-8").split("\n\n", 1)[0]))
                    .get("Order", 0)) for p in content.joinpath("faq").rglob("*.md"))
    sources = {"": original, **twins}
    slugs = []
    for language, source in sources.items():
        rng = random.Random(seed)
        text = source.read_text(encoding="utf-8")
        fields = dict(FIELD.findall(text.split("\n\n", 1)[0]))
        words = [w.lower() for q in source.parent.glob("*.md")
                 for w in TEXT_WORD.findall(q.read_text(encoding="utf-8").split("\n\n", 1)[1])]
        question = ("¿", "?") if fields["Title"].startswith("¿") else ("", "?")
        for number in range(1, extra + 1):
            slug = f"{fields['Slug']}-{number}"
            if distinct:
                title, summary = new_wording(words, rng, number, question)
            else:
                title = f"{fields['Title']} ({number})"
                summary = f"{fields['Summary'][:150]} ({number})"
            copy = with_fields(text, Title=title, Slug=slug, Order=last + number, Summary=summary)
            (source.parent / f"{slug}.md").write_text(copy, encoding="utf-8")
            if not language:
                slugs.append(slug)
    return slugs


if __name__ == "__main__":
    generate(int(sys.argv[1]), sys.argv[2])
