"""{% keptfragment "name" value… %}…{% endkeptfragment %}: a part of every page rendered once and kept.

The site's header costs more to render than many pages' content (some fifty links, each reversed, and their
labels translated), and it is the same for everyone with the same account flags, counters, language and
current page. The fragment is kept under its name, the current language, the template's version and every
value given (the template passes all it shows that may differ: who, flags, counters, current page); it has no
other input. The CSRF token and the current address in its forms are placeholders in what is kept, put back
for each request. Kept KEPT_FRAGMENT_SECONDS (one hour; 0: never kept, as in the test settings but in
tests/core/test_kept_header.py); a change of any value given reads another entry.
"""

import contextlib
import hashlib
import os

from django import template
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import generations

register = template.Library()

PATH_PLACEHOLDER = mark_safe("<current-path/>")
_versions: dict[str, str] = {}


def _template_version(origin) -> str:
    """The template file's modification time, read once per process: a deployed change reads new entries."""
    name = getattr(origin, "name", "") or ""
    if name not in _versions:
        try:
            _versions[name] = str(os.path.getmtime(name))
        except OSError:
            _versions[name] = ""
    return _versions[name]


class KeptFragmentNode(template.Node):
    def __init__(self, name, values, nodelist, origin):
        self.name = name
        self.values = values
        self.nodelist = nodelist
        self.origin = origin

    def render(self, context):
        request = context.get("request")
        seconds = settings.KEPT_FRAGMENT_SECONDS
        if request is None or seconds <= 0:
            return self.nodelist.render(context)
        values = [self.name.resolve(context), get_language(), _template_version(self.origin)]
        values += [repr(value.resolve(context)) for value in self.values]
        key = "kept-fragment:" + hashlib.sha256("\x1f".join(map(str, values)).encode()).hexdigest()
        html = None
        with contextlib.suppress(Exception):  # the cache away: rendered as without it
            html = cache.get(key)
        if html is None:
            with context.push(csrf_token=generations.CSRF_PLACEHOLDER, current_full_path=PATH_PLACEHOLDER):
                html = self.nodelist.render(context)
            with contextlib.suppress(Exception):
                cache.set(key, html, seconds)
        html = html.replace(PATH_PLACEHOLDER, escape(request.get_full_path()))
        return generations.with_csrf_token(request, html)


@register.tag
def keptfragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% keptfragment %} needs a name, then the values it depends on")
    nodelist = parser.parse(("endkeptfragment",))
    parser.delete_first_token()
    return KeptFragmentNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist, parser.origin
    )


@register.filter
def attributes(obj, names: str) -> tuple:
    """obj|attributes:"a,b": (obj.a, obj.b), None where obj has no such attribute (a visitor's account)."""
    return tuple(getattr(obj, name.strip(), None) for name in names.split(","))
