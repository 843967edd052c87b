from django import template

from fiches.picker import picker_groups

register = template.Library()


@register.simple_tag
def structured_picker(section, framework, body):
    """The picker's groups for `section`'s editor, ticked from the text being edited (`body`)."""
    if framework is None or not section.is_structured:
        return []
    return picker_groups(section.kind, framework, body)
