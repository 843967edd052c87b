"""Optimistic concurrency, the one rule for every edit form: nobody's save silently undoes another's.

An object people edit through a form inherits `LockVersioned`: `lock_version` counts its saves. The
form carries the value it was opened on in a hidden field (`VersionTokenMixin`); the service calls
`version_claim`, which moves the counter on only if it still holds that value, in a single UPDATE,
so of two saves at the same moment exactly one goes through, on every database. The other raises
`EditConflict` with the object as now stored; the view shows it again with both texts side by side
(`conflict_rows`, `components/edit_conflict.html`), what the person typed kept in the form, which
now carries the current version so that saving again is a deliberate choice.

The fiche's common sections follow the same rule with their revision ids (fiches.services).
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VERSION_FIELD = "lock_version"
# A form that came without its token (opened before the token existed, or tampered with) matches no
# stored version: it gets the conflict page, never a blind overwrite.
UNKNOWN_VERSION = -1


class LockVersioned(models.Model):
    """Counts the saves of an object edited through forms (see the module docstring)."""

    lock_version = models.PositiveIntegerField(gettext_lazy("version d'édition"), default=0, editable=False)

    class Meta:
        abstract = True


class EditConflict(ValidationError):
    """Someone saved the object after the form was opened: `current` is the object as now stored."""

    def __init__(self, current, message: str | None = None):
        super().__init__(
            message
            or _(
                "Quelqu'un a enregistré une modification pendant que vous rédigiez la vôtre. Rien n'est perdu : "
                "votre saisie est conservée dans le formulaire ; comparez-la à la version enregistrée, "
                "reprenez ce qu'il faut garder, puis enregistrez de nouveau."
            )
        )
        self.current = current


def version_claim(instance: LockVersioned, *, expected: int | None) -> None:
    """Move `instance`'s stored lock_version on from `expected` (None: from whatever it is), or raise EditConflict."""
    manager = type(instance)._base_manager
    rows = manager.filter(pk=instance.pk)
    if expected is not None:
        rows = rows.filter(**{VERSION_FIELD: expected})
    if not rows.update(**{VERSION_FIELD: F(VERSION_FIELD) + 1}):
        current = manager.filter(pk=instance.pk).first()
        if current is None:
            raise EditConflict(None, _("Cet élément n'existe plus : il a été supprimé pendant que vous le modifiiez."))
        raise EditConflict(current)
    if expected is not None:
        instance.lock_version = expected + 1
    else:
        instance.lock_version = manager.filter(pk=instance.pk).values_list(VERSION_FIELD, flat=True).get()


class VersionTokenMixin:
    """The hidden `lock_version` a form was opened on.

    A ModelForm takes it from its instance (a new object has none); other forms get it in `initial`.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk is None:
            return
        self.fields[VERSION_FIELD] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if instance is not None:
            self.fields[VERSION_FIELD].initial = instance.lock_version

    def clean_lock_version(self) -> int:
        value = self.cleaned_data.get(VERSION_FIELD)
        return UNKNOWN_VERSION if value is None or value < 0 else value


def conflict_data(data, current_version: int):
    """The submitted data, carrying `current_version` from now on: saving again is a deliberate choice."""
    data = data.copy()
    data[VERSION_FIELD] = current_version
    return data


@dataclass(frozen=True)
class ConflictRow:
    label: str
    stored: str
    submitted: str


@dataclass(frozen=True)
class Conflict:
    """What the conflict page shows: the message and each field that differs from the stored object."""

    message: str
    rows: list[ConflictRow]


def _shown(field: forms.Field, value) -> str:
    if isinstance(field, forms.BooleanField):
        return _("Oui") if value else _("Non")
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        values = value if isinstance(value, list | tuple) else [value]
        return ", ".join(labels.get(str(item), str(item)) for item in values if item not in (None, ""))
    return "" if value is None else str(value)


def conflict_rows(form: forms.BaseForm, stored: forms.BaseForm) -> list[ConflictRow]:
    """Fields of the bound `form` whose value differs from the unbound `stored` one (made from the object as saved)."""
    rows = []
    for name, field in form.fields.items():
        if name == VERSION_FIELD or field.widget.is_hidden or name not in stored.fields:
            continue
        mine, theirs = form[name], stored[name]
        if not field.has_changed(theirs.initial, mine.data):
            continue
        # A field whose label alone is ambiguous on a long form may say more through `conflict_label`.
        label = str(getattr(field, "conflict_label", None) or field.label or name)
        rows.append(ConflictRow(label, _shown(field, theirs.value()), _shown(field, mine.value())))
    return rows


def conflict_for(error: EditConflict, form: forms.BaseForm, stored: forms.BaseForm) -> Conflict:
    """The conflict page's content for `error`, comparing what was typed in `form` to `stored`."""
    return Conflict(message=error.messages[0], rows=conflict_rows(form, stored))
