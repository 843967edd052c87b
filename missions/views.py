from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import FrameworkVersion
from core.concurrency import EditConflict, conflict_for
from members.directory import directory_audience
from members.models import Profile
from missions import services
from missions.models import Mission, MissionDeclaration


class DeclarationForm(forms.Form):
    """For each mission of the published version: do I carry it out, and for what share of my time?"""

    # The declarations as stored when the form was opened (services.declarations_token): a save from
    # another tab meanwhile gets the conflict page. Missing (an old or tampered form): a conflict too.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, missions, declarations, token="", profile_share=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.missions = missions
        # The profile's "part du temps consacrée au conseil" (%): the missions share that time, no more.
        self.profile_share = profile_share
        self.fields["token"].initial = token
        for mission in missions:
            declared = declarations.get(mission.code)
            carried = self.fields[f"carried-{mission.code}"] = forms.BooleanField(
                label=gettext_lazy("J'exerce cette mission"), required=False, initial=declared is not None
            )
            share = self.fields[f"share-{mission.code}"] = forms.IntegerField(
                label=gettext_lazy("Part de mon temps de travail (%)"),
                min_value=0,
                max_value=100,
                required=False,
                initial=declared.time_share if declared else None,
            )
            # The conflict page names the mission, not only the repeated label.
            carried.conflict_label = f"{mission.code} — {carried.label}"
            share.conflict_label = f"{mission.code} — {share.label}"

    def clean(self):
        cleaned = super().clean()
        for mission in self.missions:
            if cleaned.get(f"carried-{mission.code}") and cleaned.get(f"share-{mission.code}") is None:
                self.add_error(f"share-{mission.code}", _("Indiquez la part de votre temps pour cette mission."))
        if not self.errors:
            total = sum(self.shares().values())
            if total > 100:
                self.add_error(None, _("La somme des parts de temps dépasse 100 %% (%(total)s %%).") % {"total": total})
            elif self.profile_share is not None and total > self.profile_share:
                self.add_error(
                    None,
                    _(
                        "Vos missions totalisent %(total)s %% de votre temps de travail, mais votre profil indique "
                        "que vous consacrez %(share)s %% de votre temps au conseil de développement : ensemble, "
                        "les missions ne peuvent pas dépasser %(share)s %%. Réduisez les parts ci-dessous (il y a "
                        "%(over)s %% de trop), ou corrigez la part de temps indiquée dans votre profil."
                    )
                    % {"total": total, "share": self.profile_share, "over": total - self.profile_share},
                )
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
    token = services.declarations_token(request.user)
    profile_share = Profile.objects.filter(user=request.user).values_list("time_share", flat=True).first()
    form = DeclarationForm(
        request.POST or None, missions=missions, declarations=declarations, token=token, profile_share=profile_share
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.declarations_save(user=request.user, shares=form.shares(), token=form.cleaned_data["token"])
        except EditConflict as error:
            # Saved in another tab meanwhile: both shown, this input kept, the token now current.
            declarations = {d.mission_code: d for d in MissionDeclaration.objects.of_user(request.user)}
            data = request.POST.copy()
            data["token"] = services.declarations_token(request.user)
            form = DeclarationForm(data, missions=missions, declarations=declarations, profile_share=profile_share)
            conflict = conflict_for(error, form, DeclarationForm(missions=missions, declarations=declarations))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Vos missions sont enregistrées."))
            return redirect("missions:declaration")
    total = sum(d.time_share for d in declarations.values())
    context = {
        "version": version,
        "form": form,
        "total": total,
        "profile_share": profile_share,
        "conflict": conflict,
        # Who may find the member by a declared mission: the directory's rule for post facts, stated on the page.
        "directory_audience": directory_audience(request.user, group="post"),
    }
    return render(request, "missions/declaration_form.html", context)
