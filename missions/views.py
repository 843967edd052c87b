from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import FrameworkVersion, Mission
from missions import services
from missions.models import MissionDeclaration


class DeclarationForm(forms.Form):
    """For each mission of the published version: do I carry it out, and for what share of my time?"""

    def __init__(self, *args, missions, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        self.missions = missions
        for mission in missions:
            declared = declarations.get(mission.code)
            self.fields[f"carried-{mission.code}"] = forms.BooleanField(
                label=gettext_lazy("J'exerce cette mission"), required=False, initial=declared is not None
            )
            self.fields[f"share-{mission.code}"] = forms.IntegerField(
                label=gettext_lazy("Part de mon temps de travail (%)"),
                min_value=0,
                max_value=100,
                required=False,
                initial=declared.time_share if declared else None,
            )

    def clean(self):
        cleaned = super().clean()
        for mission in self.missions:
            if cleaned.get(f"carried-{mission.code}") and cleaned.get(f"share-{mission.code}") is None:
                self.add_error(f"share-{mission.code}", _("Indiquez la part de votre temps pour cette mission."))
        return cleaned

    def shares(self) -> dict[str, int]:
        return {
            m.code: self.cleaned_data[f"share-{m.code}"] or 0
            for m in self.missions
            if self.cleaned_data.get(f"carried-{m.code}")
        }

    def rows(self):
        return [(m, self[f"carried-{m.code}"], self[f"share-{m.code}"]) for m in self.missions]


def declaration(request):
    version = FrameworkVersion.objects.current()
    missions = list(Mission.objects.of(version).order_by("order", "code")) if version else []
    declarations = {d.mission_code: d for d in MissionDeclaration.objects.of_user(request.user)}
    form = DeclarationForm(request.POST or None, missions=missions, declarations=declarations)
    if request.method == "POST" and form.is_valid():
        try:
            services.declarations_save(user=request.user, shares=form.shares())
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Vos missions sont enregistrées."))
            return redirect("missions:declaration")
    total = sum(d.time_share for d in declarations.values())
    return render(request, "missions/declaration_form.html", {"version": version, "form": form, "total": total})
