from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.selectors import DashboardFilters
from members.enums import TerritoryKind
from members.models import Region


class DashboardFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Région"),
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="code",
    )
    kind = forms.ChoiceField(
        label=_("Type de territoire"), choices=[("", _("Tous")), *TerritoryKind.choices], required=False
    )

    def filters(self) -> DashboardFilters:
        """The filters chosen; an invalid choice is ignored rather than refused."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DashboardFilters(region=data.get("region"), kind=data.get("kind") or "")
