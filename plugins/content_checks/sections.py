"""The sections each page type needs (PAGE_TYPES' "sections"), on the built pages."""

import lxml.etree


def check_sections(state, source, page_html):
    """The parts a page of its type needs (PAGE_TYPES), looked for in <main>."""
    tree = lxml.etree.HTML(main_of(page_html))
    for what, selector, least in state.selectors.get(source.page_type, []):
        if len(selector(tree)) < least:
            state.problem(
                source.name, None,
                f"every page of type `{source.page_type}` needs {what}, which this one"
                " lacks. See README, Writing content.",
            )


def main_of(page_html):
    """The page's <main> element, or the whole page if it has none."""
    start, end = page_html.find(b"<main"), page_html.find(b"</main>")
    return page_html[start:end + 7] if 0 <= start < end else page_html
