"""An SVG picture is a drawing only: no code, no links to other files or sites."""

import re

import lxml.etree

SVG_PARSER = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
SVG_CODE = {"script", "foreignobject", "iframe", "object", "embed", "handler", "listener"}
OTHER_FILE = re.compile(r"url\(\s*['\"]?\s*[^#'\"\s)]|@import", re.I)


def check_svg(state, name):
    """An SVG picture is a drawing only: no code, no links to other files or sites."""
    data = (state.root / name).read_bytes()
    redo = " Export the picture again as a plain SVG, or ask the web team."
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        state.problem(name, None, "the picture declares a DOCTYPE or ENTITY." + redo)
        return
    try:
        root = lxml.etree.fromstring(data, parser=SVG_PARSER)
    except lxml.etree.XMLSyntaxError as error:
        state.problem(name, error.lineno, "the picture is not a valid SVG file." + redo)
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        local = lxml.etree.QName(element).localname.lower()
        why = None
        if local in SVG_CODE:
            why = f"has code (`<{local}>`)"
        for attribute, value in element.attrib.items():
            attribute = lxml.etree.QName(attribute).localname.lower()
            if attribute.startswith("on"):
                why = f"has code (`{attribute}`)"
            elif attribute in ("href", "src") and not value.strip().startswith("#"):
                why = f"loads another file or site (`{value[:60]}`)"
            elif attribute == "style" and OTHER_FILE.search(value):
                why = "loads another file or site (in `style`)"
        if local == "style" and OTHER_FILE.search(element.text or ""):
            why = "loads another file or site (in `<style>`)"
        if why:
            state.problem(name, element.sourceline, f"the picture {why}." + redo)
            return
