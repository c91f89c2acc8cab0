"""Development settings. publishconf.py builds on these for the live site."""

from pathlib import Path

HERE = Path(__file__).parent

# The practice ------------------------------------------------------------
SITENAME = "Kyphoplasty at Precision Therapy"
AUTHOR = "Precision Therapy"
PRACTICE_NAME = "Precision Therapy"
PARENT_ORGANIZATION = "Imaging Healthcare Specialists (IHS)"
PRACTICE_AREA = "San Diego, California"
PHONE_DISPLAY = "858-677-9957"
PHONE_TEL = "+18586779957"

# What search engines and assistants are told about the care the site describes
# (JSON-LD, built by plugins/discovery). Plain words, facts only: no street
# address and no names of people.
PROCEDURE_ARTICLE = "procedure-day"  # the slug of the guide that describes the procedure
WARNING_SIGNS_ARTICLE = "warning-signs"  # the home page links it under the call button
MEDICAL_PROCEDURE = {
    "name": "Kyphoplasty",
    "alternateName": "Balloon kyphoplasty",
    # A schema.org MedicalProcedureType: done through the skin with a needle.
    "procedureType": "PercutaneousProcedure",
    "bodyLocation": "Spine: the broken vertebra (a bone of the back)",
    "howPerformed": (
        "Live X-ray pictures guide a thin, hollow needle through a tiny cut in the back"
        " and into the broken vertebra. A small balloon is filled inside the bone to lift"
        " it back toward its normal height, then taken out. Quick-setting bone cement,"
        " which shows up on X-ray, fills the space and holds the bone steady. For one"
        " broken vertebra it takes about 30 to 45 minutes, and you go home the same day."
    ),
    "preparation": (
        "A consultation comes first, to decide with your own doctors whether kyphoplasty"
        " fits. A scan, often an MRI, and an exam show whether the fracture is recent and"
        " is the cause of the pain. Tell the care team about every medicine and supplement"
        " you take and any allergies. A blood thinner needs a plan made ahead with the"
        " doctor who prescribed it: never stop one on your own. The care team tells you"
        " when to stop eating and drinking. Antibiotics are given before the procedure."
        " The doctor numbs your skin and the way to the bone with a local anesthetic, and"
        " most people are also given sedation through an IV. An adult must drive you home."
    ),
    "followup": (
        "You rest in the recovery area for about an hour, then an adult drives you home;"
        " do not drive that day. Slight soreness where the needle went in usually fades"
        " within a day. Short walks are a good idea; ask before lifting or bending. Most"
        " people are back to their usual routine the day after, and may start physical"
        " therapy or exercise then if the care team says so. Call 911 for trouble"
        " breathing, chest pain or a leg you cannot move. Call the care team the same day"
        " for a fever, or new numbness or weakness. With osteoporosis or osteopenia, ask"
        " your own doctor how to protect your bones."
    ),
}
MEDICAL_CONDITION = {
    "name": "Vertebral compression fracture",
    "alternateName": "VCF",
    "associatedAnatomy": {"@type": "AnatomicalStructure", "name": "Spine"},
    "riskFactor": [
        {"@type": "MedicalRiskFactor", "name": "Osteoporosis"},
        {"@type": "MedicalRiskFactor", "name": "Osteopenia"},
    ],
}
# The picture link previews show (1200 x 630), and its description.
SHARE_IMAGE = "share-card.png"
SHARE_IMAGE_ALT = (
    "Kyphoplasty for painful spine fractures: guides and answers for patients from"
    f" Precision Therapy, San Diego. Call us: {PHONE_DISPLAY}."
)

# The practice's vertebral-augmentation video. Fill in the YouTube video id
# (the part after "v=" in the address) when it is known. Until then the site
# links to the channel below instead, or leaves the video out if both are empty.
VIDEO_ID = ""
VIDEO_CHANNEL_URL = ""

# Pelican -----------------------------------------------------------------
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
THEME = "theme"
TIMEZONE = "America/Los_Angeles"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%B %-d, %Y"
DEFAULT_PAGINATION = False


def newest_first(article):
    """ARTICLE_ORDER_BY: newest first, guides of the same date by slug. Pelican reads
    files in set order, so without the slug guides of the same date would change
    places from one build to the next (and the Atom feed with them)."""
    return (-article.date.timestamp(), article.slug)


ARTICLE_ORDER_BY = newest_first


PLUGIN_PATHS = ["plugins"]
PLUGINS = [
    "pelican.plugins.i18n_subsites",
    "source_paths",  # a page's path in the content folder worked out once
    "subsite_reading",  # the Spanish sub-site reads only its pages and what they need
    "content_checks",
    "sanitize",
    "fingerprint",
    "pagefind_index",
    "discovery",
    "image_sizes",
    "theme_filters",  # long_date, next_review, in_order, faq_questions
    "decision_aid",  # the option grid and icon arrays, from DECISION_AID_FILE
]
# The numbers of the option grid and the icon arrays (plugins/decision_aid).
DECISION_AID_FILE = str(HERE / "data" / "decision-aid.toml")

ARTICLE_PATHS = ["articles"]
PAGE_PATHS = ["pages", "faq"]
STATIC_PATHS = ["images", "extra"]
EXTRA_PATH_METADATA = {
    "extra/favicon.ico": {"path": "favicon.ico"},
    "extra/favicon.svg": {"path": "favicon.svg"},
    "extra/apple-touch-icon.png": {"path": "apple-touch-icon.png"},
    "extra/icon-192.png": {"path": "icon-192.png"},
    "extra/icon-512.png": {"path": "icon-512.png"},
    "extra/icon-maskable-512.png": {"path": "icon-maskable-512.png"},
    "extra/site.webmanifest": {"path": "site.webmanifest"},
    "extra/share-card.png": {"path": "share-card.png"},
}
# FAQ entries live under /faq/<slug>/; every other page at /<slug>/.
PATH_METADATA = r"(?P<url_prefix>faq/).*"
DEFAULT_METADATA = {"url_prefix": "", "lang": DEFAULT_LANG}  # a sub-site must not take English pages for its own

ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
PAGE_URL = "{url_prefix}{slug}/"
PAGE_SAVE_AS = "{url_prefix}{slug}/index.html"
CATEGORY_URL = "topics/{slug}/"
CATEGORY_SAVE_AS = "topics/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
INDEX_SAVE_AS = "articles/index.html"
DIRECT_TEMPLATES = ["index"]
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAGS_SAVE_AS = ""
# Languages: English at /, Spanish at /es/ (pelican-i18n-subsites). A Spanish
# page is a file in an `es/` folder beside its English twin, with `Lang: es`
# and the same Slug; the theme's wording comes from theme/translations/.
ARTICLE_TRANSLATION_ID = "slug"
PAGE_TRANSLATION_ID = "slug"
# Each language: its name in the language switch, its og:locale, and the guides'
# topics (Category), in the same order in each language, so that a topic's page
# in one language is the same place's in the other.
LANGUAGES = {
    "en": {"name": "English", "locale": "en_US",
           "topics": ["Conditions", "Treatment", "Your procedure"]},
    "es": {"name": "Español", "locale": "es_US",
           "topics": ["Afecciones", "Tratamiento", "Su procedimiento"]},
}
I18N_SUBSITES = {
    "es": {
        "LANGUAGE_SUBSITE": True,  # the plugins that work on the whole site skip it
        "SITENAME": "Cifoplastia en Precision Therapy",
        "ARTICLE_CATEGORIES": LANGUAGES["es"]["topics"],
        "TEMPLATE_PAGES": {},  # robots.txt is the main site's only
        "SHARE_IMAGE_ALT": (
            "Cifoplastia para fracturas dolorosas de la columna: guías y respuestas para"
            f" pacientes de Precision Therapy, San Diego. Llámenos: {PHONE_DISPLAY}."
        ),
        # What search engines are told, in Spanish (the same facts as the English).
        "MEDICAL_PROCEDURE": {
            "name": "Cifoplastia",
            "alternateName": "Cifoplastia con balón",
            "procedureType": "PercutaneousProcedure",
            "bodyLocation": "Columna: la vértebra rota (un hueso de la espalda)",
            "howPerformed": (
                "Con rayos X en vivo, el médico guía una aguja delgada y hueca por un corte"
                " muy pequeño en la espalda hasta la vértebra rota. Dentro del hueso se infla"
                " un balón pequeño para levantarlo hacia su altura normal, y luego se saca."
                " Un cemento óseo que se endurece rápido, y que se ve en los rayos X, llena el"
                " espacio y mantiene firme el hueso. Para una vértebra rota tarda de 30 a 45"
                " minutos, y usted vuelve a casa el mismo día."
            ),
            "preparation": (
                "Primero hay una consulta, para decidir con sus médicos si la cifoplastia es"
                " para usted. Un estudio de imágenes, muchas veces una resonancia magnética, y"
                " un examen muestran si la fractura es reciente y si causa el dolor. Diga al"
                " equipo de atención todos los medicamentos y suplementos que toma y sus"
                " alergias. Un medicamento que diluye la sangre necesita un plan hecho antes"
                " con el médico que lo recetó: nunca lo deje por su cuenta. El equipo le dice"
                " cuándo dejar de comer y beber. Le dan antibióticos antes del procedimiento."
                " El médico adormece la piel y el camino hasta el hueso con anestesia local, y"
                " a la mayoría también le dan sedación por la vena. Un adulto debe llevarlo a"
                " casa en carro."
            ),
            "followup": (
                "Usted descansa cerca de una hora en el área de recuperación, y luego un adulto"
                " lo lleva a casa; no maneje ese día. Un poco de dolor donde entró la aguja"
                " suele pasar en un día. Es bueno dar caminatas cortas; pregunte antes de"
                " levantar peso o agacharse. La mayoría vuelve a su rutina al día siguiente, y"
                " puede empezar terapia física o ejercicio entonces si el equipo lo indica."
                " Llame al 911 si le cuesta respirar, tiene dolor de pecho o no puede mover una"
                " pierna. Llame al equipo de atención el mismo día si tiene fiebre, o"
                " adormecimiento o debilidad nuevos. Si tiene osteoporosis u osteopenia,"
                " pregunte a su médico cómo proteger sus huesos."
            ),
        },
        "MEDICAL_CONDITION": {
            "name": "Fractura vertebral por compresión",
            "associatedAnatomy": {"@type": "AnatomicalStructure", "name": "Columna vertebral"},
            "riskFactor": [
                {"@type": "MedicalRiskFactor", "name": "Osteoporosis"},
                {"@type": "MedicalRiskFactor", "name": "Osteopenia"},
            ],
        },
    },
}
STATIC_LANG_URL = "{path}"  # pictures are the same in every language
STATIC_LANG_SAVE_AS = "{path}"
# A language's site writes only its own pages: one not yet translated is left
# out there (not shown in the other language), and so are drafts.
ARTICLE_LANG_SAVE_AS = PAGE_LANG_SAVE_AS = ""
DRAFT_LANG_SAVE_AS = DRAFT_PAGE_LANG_SAVE_AS = ""
I18N_UNTRANSLATED_ARTICLES = "remove"
I18N_UNTRANSLATED_PAGES = "remove"
I18N_GETTEXT_LOCALEDIR = str(HERE / "theme" / "translations")

# Pages made from a template alone: none while developing (the preview is not
# indexed); publishconf.py adds robots.txt.
TEMPLATE_PAGES = {}

# No feeds while developing: they would carry development addresses.
FEED_ALL_ATOM = None
FEED_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# Every template escapes what it prints; the only HTML marked safe is a page's
# text after plugins/sanitize has cleaned it (the `sanitized` filter).
JINJA_ENVIRONMENT = {
    "trim_blocks": True,
    "lstrip_blocks": True,
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    # Each build makes its own environments: no need to look for changed templates
    # on every include of every page.
    "auto_reload": False,
}

MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.toc": {},
        "markdown.extensions.attr_list": {},
        "markdown.extensions.tables": {},
    },
    "output_format": "html5",
}

CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
GZIP_CACHE = False  # Pelican would compress the cache again on every build
CACHE_PATH = ".cache/pelican"

# Content rules -----------------------------------------------------------
# The page types an editor may use (metadata "Type"), and what the built page
# of each type must contain: (what it is, CSS selector, how many at least).
PAGE_TYPES = {
    "home": {
        "medical": True,
        "sections": [
            ("an introduction", "main .app-prose > p:first-child", 1),
            ("at least two sections", "main .app-prose > h2", 2),
            ("the phone number as a link", f'main a[href="tel:{PHONE_TEL}"]', 1),
        ],
    },
    "article": {
        "medical": True,
        "sections": [
            ("an introduction", "main .app-prose > p:first-child", 1),
            ("at least two sections", "main .app-prose > h2", 2),
            ('a "When to call us" section', "main .app-prose > h2#when-to-call-us", 1),
        ],
    },
    "faq": {
        "medical": True,
        "sections": [
            ("the question as the heading", "main h1.app-question", 1),
            ("an answer", "main .app-prose > p", 1),
        ],
    },
    # The decision aid's pages (options, without a procedure, what matters, learn more).
    "decision": {
        "medical": True,
        "sections": [
            ("an introduction", "main .app-prose > p:first-child", 1),
            ("at least two sections", "main .app-prose > h2", 2),
        ],
    },
    "practice": {
        "medical": False,
        "sections": [("some text", "main .app-prose > p", 1)],
    },
    "references": {
        "medical": False,
        "sections": [("a list of sources", "main .app-prose ol > li[id]", 1)],
    },
    "hub": {"medical": False, "sections": []},
    # Made by the theme, not by editors: lists of guides by topic or tag.
    "listing": {"medical": False, "sections": [("a list of guides", "main .app-card", 1)]},
}
# The only pages whose Template, Save_as or URL may be set, and to what (the
# content checks refuse these fields everywhere else: they move pages).
FIXED_FIELDS = {
    "pages/home.md": {"template": "home", "save_as": "index.html", "url": ""},
    "pages/404.md": {"template": "404", "save_as": "404.html", "url": "404.html"},
    "pages/faq.md": {"template": "faq_index"},
    "pages/search.md": {"template": "search"},
}
ARTICLE_CATEGORIES = LANGUAGES[DEFAULT_LANG]["topics"]
REQUIRED_METADATA = ["title", "summary", "type"]
MEDICAL_METADATA = ["reviewed"]
SUMMARY_LENGTH = (50, 160)
REVIEW_DUE_DAYS = 365
