from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.diff import word_diff as compute_word_diff

register = template.Library()


@register.filter
def word_diff(old, new):
    """Render `old` → `new` as text with <del>/<ins>, each announced to screen readers."""
    parts = []
    for token in compute_word_diff(str(old or ""), str(new or "")):
        if token.op == "equal":
            parts.append(("{}", (token.text,)))
        elif token.op == "delete":
            parts.append(('<del><span class="visually-hidden">{} </span>{}</del>', (_("[supprimé :]"), token.text)))
        else:
            parts.append(('<ins><span class="visually-hidden">{} </span>{}</ins>', (_("[ajouté :]"), token.text)))
    return format_html_join("", "{}", ((format_html(fmt, *args),) for fmt, args in parts))


@register.simple_tag
def word_diff_sides(old, new):
    """Side by side: {"old": text with <del>, "new": text with <ins>}, for two-column comparisons."""
    old_parts, new_parts = [], []
    for token in compute_word_diff(str(old or ""), str(new or "")):
        if token.op == "equal":
            old_parts.append(format_html("{}", token.text))
            new_parts.append(format_html("{}", token.text))
        elif token.op == "delete":
            old_parts.append(
                format_html('<del><span class="visually-hidden">{} </span>{}</del>', _("[supprimé :]"), token.text)
            )
        else:
            new_parts.append(
                format_html('<ins><span class="visually-hidden">{} </span>{}</ins>', _("[ajouté :]"), token.text)
            )
    return {"old": mark_safe("".join(old_parts)), "new": mark_safe("".join(new_parts))}  # noqa: S308 - parts escaped
