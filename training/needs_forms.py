"""The filters of the team's training needs page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.enums import Category
from members.models import Region
from training.needs import NeedsFilters


class NeedsFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="code",
    )
    category = forms.ChoiceField(
        label=_("Catégorie de poste"), choices=[("", _("Toutes")), *Category.choices], required=False
    )

    def filters(self) -> NeedsFilters:
        """The filters chosen; an invalid choice is ignored rather than refused."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return NeedsFilters(region=data.get("region"), category=data.get("category") or "")
