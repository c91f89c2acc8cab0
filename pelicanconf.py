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
# plugins/discovery: the slug of the guide that describes the procedure (its JSON-LD).
DISCOVERY = {"procedure_article": "procedure-day"}
WARNING_SIGNS_ARTICLE = "warning-signs"  # the home page links it under the call button
MEDICAL_PROCEDURE = {
    "name": "Kyphoplasty",
    "alternateName": "Balloon kyphoplasty",
    # A schema.org MedicalProcedureType: done through the skin with a needle.
    "procedureType": "PercutaneousProcedure",
    "bodyLocation": "Spine: the broken vertebra (a bone of the back)",
    "howPerformed": (
        "Live X-ray pictures guide one or two thin, hollow needles through tiny cuts in the"
        " back and into the broken vertebra. A small balloon is filled inside the bone to lift"
        " it back toward its normal height, then taken out. Quick-setting bone cement,"
        " which shows up on X-ray, fills the space and holds the bone steady. For one"
        " broken vertebra it takes about 30 to 45 minutes. Most people go home the same"
        " day; once in a while someone needs a hospital stay."
    ),
    "preparation": (
        "A consultation comes first, to decide with your own doctors whether kyphoplasty"
        " fits. A scan, often an MRI, and an exam show whether the fracture is recent and"
        " is the cause of the pain. Tell the care team about every medicine and supplement"
        " you take (insulin or diabetes pills may need a change while fasting) and any"
        " allergies, including to antibiotics, latex or bone cement, and if you are or"
        " could be pregnant. Say if lying face"
        " down for about an hour is hard for you. A blood thinner, including aspirin or"
        " clopidogrel (Plavix), needs a plan made ahead with the doctor who prescribed"
        " it: never stop one on your own. The care team tells you"
        " when to stop eating and drinking. Antibiotics are given before the procedure."
        " The doctor numbs your skin and the way to the bone with a local anesthetic, and"
        " most people are also given sedation through an IV (a thin tube in a vein). An"
        " adult must drive you home."
    ),
    "followup": (
        "You rest in the recovery area for about an hour; then most people go home, and an"
        " adult must drive you. For 24 hours do not drive, drink alcohol, use machines or"
        " make important decisions;"
        " do not drive while taking opioid pain medicine. Slight soreness where the needle"
        " went in usually fades within a day. Short walks are a good idea; ask before"
        " lifting or bending. In our experience most people are back to their usual"
        " routine by the next day, and some take longer; some people get little or no"
        " pain relief. Call 911, or go to an emergency room (do not go to urgent care), for"
        " trouble breathing, chest pain, coughing up blood, fainting, new or worsening"
        " weakness or numbness in the legs, numbness between the legs or around the"
        " bottom, or being unable to pass urine or losing control of the bladder or"
        " bowels. Call the care team the same day for a fever of 100.4 °F (38 °C) or"
        " higher, more redness, swelling or fluid where the needle went in, or pain that"
        " is not easing; if you cannot reach them, go to an emergency room. A spine"
        " fracture from a minor fall usually means osteoporosis: ask your own doctor"
        " about a medicine to prevent new fractures."
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

# Help on the phone in the caller's language (facts N4): what the practice
# offers, one text per language, e.g. {"en": "", "es": "Hablamos español."}.
# It shows beside every call to the phone number on that language's pages
# (page text, call buttons, call bar, header). Until the practice fills one in,
# the Spanish site says "Puede pedir un intérprete cuando llame." (theme
# wording) and claims nothing about staff; the English site shows nothing.
LANGUAGE_HELP = {"en": "", "es": ""}

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
    "decision_aid",  # the option grid and icon arrays, from DECISION_AID["file"]
]
# The numbers of the option grid and the icon arrays (plugins/decision_aid).
DECISION_AID = {"file": str(HERE / "data" / "decision-aid.toml")}

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
    "extra/share-card-es.png": {"path": "share-card-es.png"},
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
        # The Spanish share card (tools/make_icons.py draws it) and its text alternative.
        "SHARE_IMAGE": "share-card-es.png",
        "SHARE_IMAGE_ALT": (
            "Cifoplastia para fracturas de columna: guías y respuestas para pacientes de"
            f" Precision Therapy, San Diego. Llámenos: {PHONE_DISPLAY}."
        ),
        # What search engines are told, in Spanish (the same facts as the English).
        "MEDICAL_PROCEDURE": {
            "name": "Cifoplastia",
            "alternateName": "Cifoplastia con balón",
            "procedureType": "PercutaneousProcedure",
            "bodyLocation": "Columna: la vértebra rota (uno de los huesos de la columna)",
            "howPerformed": (
                "Con rayos X en vivo, el médico guía una o dos agujas delgadas y huecas, por"
                " cortes muy pequeños en la espalda, hasta la vértebra rota. Dentro del hueso"
                " se infla un balón pequeño para devolverle altura a la vértebra, y luego se"
                " saca. Un cemento óseo, un material médico que se endurece rápido y se ve en"
                " los rayos X, llena el espacio y deja firme el hueso. Para una vértebra rota"
                " tarda de 30 a 45 minutos. La mayoría de las personas vuelve a casa el mismo"
                " día."
            ),
            "preparation": (
                "Primero hay una consulta para decidir con sus médicos si la cifoplastia es"
                " una buena opción para usted. Un estudio de imagen, muchas veces una"
                " resonancia magnética (MRI), y un examen muestran si la fractura es reciente"
                " y si es la causa del dolor. Diga al equipo de atención todos los"
                " medicamentos y suplementos que toma. Si toma medicamentos que diluyen la"
                " sangre, como la aspirina, el clopidogrel (Plavix), la warfarina, el apixabán"
                " (Eliquis) o el rivaroxabán (Xarelto), el equipo hará un plan con"
                " anticipación, junto con el médico que se los recetó; nunca los deje por su"
                " cuenta. Avise también si usa insulina o pastillas para la diabetes, si tiene"
                " alergias (al medio de contraste, a la anestesia, a antibióticos como la"
                " penicilina, al látex o al cemento óseo), si puede estar embarazada y si le"
                " cuesta estar boca abajo cerca de una hora. El equipo le dice cuándo dejar"
                " de comer y beber. Le dan antibióticos antes del procedimiento. La anestesia"
                " local adormece la piel y el camino hasta el hueso, y a la mayoría de las"
                " personas también le dan sedación por la vena. Necesita un adulto que maneje"
                " de regreso a su casa."
            ),
            "followup": (
                "Usted descansa cerca de una hora en el área de recuperación, y luego un"
                " adulto maneja de regreso a su casa. Durante 24 horas no maneje, no tome"
                " alcohol, no use máquinas y no tome decisiones importantes. No maneje"
                " mientras tome medicamentos opioides para el dolor. Un poco de dolor donde"
                " entró la aguja suele pasar en un día. Las caminatas cortas son buenas;"
                " pregunte antes de cargar cosas pesadas o agacharse. En nuestra experiencia,"
                " la mayoría de las personas vuelve a sus actividades al día siguiente;"
                " algunas tardan más, y algunas sienten poco o ningún alivio. Llame al 911 o"
                " vaya a una sala de emergencias de inmediato (no vaya a un centro de atención"
                " urgente) si le cuesta respirar, tiene dolor de pecho, tose sangre, se"
                " desmaya, tiene debilidad o adormecimiento nuevos o peores en las piernas,"
                " se le adormece la zona entre las piernas o alrededor de las nalgas, no"
                " puede orinar o pierde el control de la orina o de las evacuaciones (de la"
                " vejiga o del intestino). Llame al equipo de atención al"
                f" {PHONE_DISPLAY} el mismo día si tiene fiebre de 100.4 °F (38 °C) o más, si"
                " la zona de la aguja está más roja, hinchada o caliente, o le sale líquido,"
                " o si el dolor no mejora como se esperaba. Si no puede comunicarse"
                " con el equipo, vaya a una sala de emergencias. Si tiene osteoporosis u"
                " osteopenia, pregunte a su médico qué tratamiento necesita para proteger sus"
                " huesos."
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
ARTICLE_CATEGORIES = LANGUAGES[DEFAULT_LANG]["topics"]
# plugins/content_checks' settings (its docstring; checked as the build starts). The
# other keys keep the plugin's defaults unless given here (content_checks/core.py,
# DEFAULTS): required_metadata ["title", "summary", "type"], medical_metadata
# ["reviewed"], summary_length (50, 160), review_due_days 365, read_time_limit 20 (s).
CONTENT_CHECKS = {
    # The only pages whose Template, Save_as or URL may be set, and to what (the
    # content checks refuse these fields everywhere else: they move pages).
    "fixed_fields": {
        "pages/home.md": {"template": "home", "save_as": "index.html", "url": ""},
        "pages/404.md": {"template": "404", "save_as": "404.html", "url": "404.html"},
        "pages/faq.md": {"template": "faq_index"},
        "pages/search.md": {"template": "search"},
    },
}
