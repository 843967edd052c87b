"""The listener that turns an undefined template variable into a failed test (tests/undefined_variables.py)."""

import pytest
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.template import Context, engines
from django.template.base import Origin, Template

from tests.undefined_variables import UndefinedVariables

OURS = Origin(name=str(settings.BASE_DIR / "templates" / "essai.html"), template_name="essai.html")
THEIRS = Origin(name="/ailleurs/site-packages/allauth/templates/essai.html", template_name="essai.html")


class WithoutProfile:
    @property
    def profile(self):
        raise ObjectDoesNotExist  # as a reverse one-to-one does when the row is missing


def render(source: str, origin: Origin = OURS, **context) -> tuple[str, list[str]]:
    engine = engines["django"].engine
    with UndefinedVariables() as undefined:
        shown = Template(source, origin=origin, engine=engine).render(Context(context))
    return shown, undefined.found


@pytest.mark.parametrize(
    "source",
    ["<p>{{ absent }}</p>", "{{ absent.title }}", "{{ absent|upper }}", "{% with copy=absent %}{% endwith %}"],
)
def test_a_printed_or_passed_undefined_variable_is_found(source):
    shown, found = render(source, present="là")
    assert len(found) == 1 and "absent" in found[0] and "essai.html" in found[0]
    assert "absent" not in shown  # what is rendered does not change: Django's empty string


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("{% if absent %}oui{% else %}non{% endif %}", "non"),
        ("{% for item in absent %}{{ item }}{% empty %}rien{% endfor %}", "rien"),
        ("{% firstof absent present %}", "là"),
        ('{{ absent|default:"—" }}', "—"),
        ("{{ present }}", "là"),
        ("{% if person.profile %}profil{% else %}sans{% endif %}", "sans"),
    ],
)
def test_asking_whether_a_variable_is_there_or_declaring_a_default_is_fine(source, shown):
    assert render(source, present="là", person=WithoutProfile()) == (shown, [])


def test_templates_that_are_not_the_projects_are_left_to_their_authors():
    assert render("{{ absent }}", origin=THEIRS) == ("", [])
