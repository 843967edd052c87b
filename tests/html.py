"""Reading a response as a person would: its HTML parsed, its visible text, its elements by CSS selector.

The parser is tinyhtml5 (the HTML5 parsing algorithm, as browsers do) and the selectors cssselect2:
both come with WeasyPrint, the PDF engine, so tests add no dependency of their own.
"""

import html
from xml.etree.ElementTree import Element

import cssselect2
import tinyhtml5

# Elements that start a new line on screen: their text never runs into their neighbours'.
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "button", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "html", "input", "legend", "li", "main", "nav", "ol", "optgroup", "option", "p", "pre", "section", "select",
    "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "tr", "ul",
})  # fmt: skip
# A field shows what it holds: its value, except where a person sees a box, a dot or nothing.
VALUELESS_INPUTS = frozenset({"hidden", "password", "checkbox", "radio", "file", "image"})
# Never shown as text: code, styles, inert templates, and what the `hidden` attribute hides.
SKIPPED_TAGS = frozenset({"head", "script", "style", "template"})


def content_text(response) -> str:
    """The whole response decoded, streamed or not, entities unescaped: markup, attributes and scripts included.

    For checks that nothing leaks anywhere in the response, not only in what is shown.
    """
    return html.unescape(_decoded(response))


def parse(response) -> Element:
    """The response's document tree (a fragment, as htmx receives, is put in <html><body>)."""
    tree = getattr(response, "_parsed_html", None)
    if tree is None:
        tree = tinyhtml5.parse(_decoded(response), namespace_html_elements=False)
        response._parsed_html = tree
    return tree


def select(source, css: str) -> list[Element]:
    """The elements of a response (or below an element) matching the CSS selector `css`, in document order."""
    root = parse(source) if not isinstance(source, Element) else source
    wrapper = cssselect2.ElementWrapper.from_html_root(root)
    return [match.etree_element for match in wrapper.query_all(css)]


def select_one(source, css: str) -> Element:
    """The one element matching `css`; fails the test when there is none or several."""
    found = select(source, css)
    assert len(found) == 1, f"{len(found)} éléments pour « {css} » au lieu d'un"
    return found[0]


def text_of(element: Element) -> str:
    """The text an element shows (fields' values included), whitespace collapsed, blocks kept apart by a space."""
    parts: list[str] = []
    _collect_text(element, parts, tail=False)
    return " ".join("".join(parts).split())


def page_text(response) -> str:
    """The visible text of the whole page (or of a fragment), whitespace-normalised."""
    tree = parse(response)
    body = tree.find("body")
    return text_of(body if body is not None else tree)


def main_text(response) -> str:
    """The visible text of the page's <main>, whitespace-normalised."""
    return text_of(select_one(response, "main"))


def assert_in_main(response, *texts: str) -> None:
    """Each of `texts` is shown in the page's <main>."""
    shown = main_text(response)
    missing = [text for text in texts if text not in shown]
    assert not missing, f"Absent de <main> : {missing!r}\n--- <main> ---\n{shown[:3000]}"


def assert_not_in_main(response, *texts: str) -> None:
    """None of `texts` is shown in the page's <main>."""
    shown = main_text(response)
    present = [text for text in texts if text in shown]
    assert not present, f"Présent dans <main> : {present!r}"


def content_bytes(response) -> bytes:
    # Streamed content can be read once only: keep it for the next helper that reads the response.
    content = getattr(response, "_read_content", None)
    if content is None:
        content = b"".join(response.streaming_content) if response.streaming else response.content
        response._read_content = content
    return content


def _decoded(response) -> str:
    # The response's own charset: the parser would otherwise guess, and guess wrong without a <meta charset>.
    return content_bytes(response).decode(getattr(response, "charset", None) or "utf-8", errors="replace")


def _collect_text(element: Element, parts: list[str], *, tail: bool = True) -> None:
    # Comments (whose tag is a function) show nothing, nor do skipped elements; the text after them does.
    shown = isinstance(element.tag, str) and element.tag not in SKIPPED_TAGS and "hidden" not in element.attrib
    if shown:
        block = element.tag in BLOCK_TAGS
        if block:
            parts.append(" ")
        if element.text:
            parts.append(element.text)
        if element.tag == "input" and element.get("type", "text").lower() not in VALUELESS_INPUTS:
            parts.append(element.get("value", ""))
        for child in element:
            _collect_text(child, parts)
        if block:
            parts.append(" ")
    if tail and element.tail:
        parts.append(element.tail)
