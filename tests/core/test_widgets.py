from html.parser import HTMLParser

from django.forms.widgets import Select

from core.widgets import FastSelect


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.items = []

    def handle_starttag(self, tag, attrs):
        self.items.append((tag, sorted(attrs)))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", data))


def parsed(html):
    parser = _Tags()
    parser.feed(html)
    return parser.items


def test_fast_select_renders_what_django_s_select_renders_escaped_alike():
    choices = [("", "Tous"), ("a<b", "A & B"), ("c", '"C" <script>'), (3, "Trois")]
    attrs = {"id": "id_x", "class": "form-select", "required": True}
    for value in ("c", "a<b", "", 3, None):
        expected = Select(choices=choices).render("x", value, attrs)
        assert parsed(FastSelect(choices=choices).render("x", value, attrs)) == parsed(expected)
    assert "<script>" not in FastSelect(choices=choices).render("x", None, attrs)
