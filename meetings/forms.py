"""The meetings' forms: a meeting, its organisers, cancellation, minutes, documents, sub-groups, notes, outcomes.

Dates are typed as the clock shows them where the meeting is held (its time zone), and stored as instants.
The rules live in meetings.services; the meeting form shows each rule's message on its field.
"""

import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from core.limits import text_limits
from fiches.services import MAX_BODY_LENGTH, MAX_MESSAGE_LENGTH
from meetings import selectors, services
from meetings.enums import MeetingFormat
from meetings.models import LONG_TEXT, Meeting, Workshop
from members.models import Region
from toolbox.models import Resource

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MARKDOWN_HELP = _(
    "Mise en forme Markdown : **gras**, *italique*, listes avec « - », titres avec « # », "
    "liens [texte](https://adresse). Le HTML n'est pas interprété."
)
DATE_FIELDS = ("starts_at", "ends_at", "registration_closes_at")
EMAIL_LENGTH = 254


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)


def _wall_clock(meeting: Meeting, value):
    """An instant as the form shows it: the meeting's local time, expressed in the site's time zone so that
    the field writes it as typed and compares it with what is typed (conflicts)."""
    local = selectors.in_meeting_zone(meeting, value)
    return timezone.make_aware(local) if local is not None else None


class MeetingForm(VersionTokenMixin, forms.ModelForm):
    """A meeting's announcement. `user` decides the regions offered (a member: their council's only)."""

    class Meta:
        model = Meeting
        fields = services.MEETING_FIELDS
        formfield_callback = text_limits(description=LONG_TEXT, programme=LONG_TEXT)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "programme": forms.Textarea(attrs={"rows": 8}),
            "starts_at": _datetime_widget(),
            "ends_at": _datetime_widget(),
            "registration_closes_at": _datetime_widget(),
            "format": forms.RadioSelect,
            "audience": forms.RadioSelect,
        }
        help_texts = {
            "summary": _("Une ou deux phrases, montrées dans la liste des rencontres."),
            "description": MARKDOWN_HELP,
            "programme": _("Le déroulé, heure par heure. %(markdown)s") % {"markdown": MARKDOWN_HELP},
            "starts_at": _("À l'heure du lieu de la rencontre (fuseau horaire ci-dessous)."),
            "ends_at": _("À l'heure du lieu de la rencontre."),
            "place": _("Le nom du lieu : obligatoire sur place et en hybride."),
            "video_url": _(
                "Obligatoire à distance et en hybride. Montré seulement aux personnes inscrites et aux "
                "organisateur·rices."
            ),
            "capacity_on_site": _("Laissez vide pour ne pas limiter les places ; seulement sur place ou en hybride."),
            "capacity_remote": _("Laissez vide pour ne pas limiter les places ; seulement à distance ou en hybride."),
            "registration_closes_at": _("Facultatif : à l'heure du lieu de la rencontre."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["time_zone"] = forms.ChoiceField(
            label=_("Fuseau horaire"), choices=selectors.time_zone_choices(), initial=selectors.DEFAULT_TIME_ZONE
        )
        for name in ("capacity_on_site", "capacity_remote"):
            self.fields[name].min_value = None
            self.fields[name].validators = []
            self.fields[name].widget.attrs["min"] = 0
        region = self.fields["region"]
        if user.is_curator:
            region.queryset = Region.objects.order_by("name")
            region.help_text = _("Facultatif pour l'équipe CNCD : une rencontre nationale n'a pas de région.")
        else:
            regions = services.organiser_regions(user)
            kept = [self.instance.region_id] if self.instance.region_id else []
            region.queryset = Region.objects.filter(pk__in=[item.pk for item in regions] + kept).order_by("name")
            # Required, but said by the service's message (which names the regions allowed).
            region.required = False
            region.help_text = _("Une rencontre organisée par un·e membre se tient dans la région de son conseil.")
            if len(regions) == 1 and self.instance.pk is None:
                self.initial.setdefault("region", regions[0].pk)
        for name in ("title", "summary", "description", "programme", "place", "address", "video_url"):
            self.fields[name].error_messages["max_length"] = _(
                "Ce texte est trop long : %(limit_value)d caractères au plus (actuellement %(show_value)d)."
            )
        if self.instance.pk:
            for name in DATE_FIELDS:
                self.initial[name] = _wall_clock(self.instance, getattr(self.instance, name))

    def clean(self):
        data = super().clean()
        zone_name = data.get("time_zone")
        if zone_name in selectors.TIME_ZONE_LABELS:
            zone = zoneinfo.ZoneInfo(zone_name)
            for name in DATE_FIELDS:
                value = data.get(name)
                if value is not None:
                    # Typed as the clock shows it where the meeting is held.
                    data[name] = timezone.make_naive(value).replace(tzinfo=zone)
        values = {name: data.get(name) for name in services.MEETING_FIELDS}
        meeting = self.instance if self.instance.pk else None
        for name, message in services.meeting_problems(values, actor=self.user, meeting=meeting).items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def _post_clean(self):
        # The rules are checked above and again by the service; the instance is never saved from here.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.MEETING_FIELDS}


class OrganiserForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse e-mail de la personne à ajouter"),
        max_length=EMAIL_LENGTH,
        help_text=_("Un·e membre validé·e du réseau, par l'adresse de son compte."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=services.REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Il est envoyé aux personnes inscrites, par e-mail et dans leurs notifications."),
    )


class MinutesForm(VersionTokenMixin, forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"),
        max_length=LONG_TEXT,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=MARKDOWN_HELP,
    )


class MaterialLinkForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    url = forms.URLField(label=_("Adresse du document"), max_length=500, assume_scheme="https")


class MaterialResourceForm(forms.Form):
    resource = forms.ModelChoiceField(
        label=_("Ressource de la boîte à outils"),
        queryset=Resource.objects.none(),
        empty_label=_("Choisissez une ressource publiée"),
    )
    title = forms.CharField(
        label=_("Intitulé"), max_length=200, required=False, help_text=_("Facultatif : celui de la ressource sinon.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.published().order_by("title", "pk")


class MaterialFileForm(forms.Form):
    file = forms.FileField(label=_("Fichier"))
    title = forms.CharField(
        label=_("Intitulé"), max_length=200, required=False, help_text=_("Facultatif : le nom du fichier sinon.")
    )

    def __init__(self, *args, **kwargs):
        from toolbox import files as toolbox_files

        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = toolbox_files.ACCEPT_ATTRIBUTE
        self.fields["file"].help_text = _("Types acceptés : %(types)s ; %(max)s Mo au plus.") % {
            "types": toolbox_files.ACCEPTED_LABEL,
            "max": toolbox_files.max_megabytes(),
        }


def referentiel_choices(*, competences: bool = False, kept=()) -> list:
    """The current référentiel's missions and their activities (and competences) as grouped checkbox choices;
    `kept` codes absent from it stay offered, marked, so that saving does not drop them silently."""
    from competences.models import Competence, FrameworkVersion
    from missions.models import Activity, Mission

    version = FrameworkVersion.objects.current()
    groups, known = [], set()
    if version is not None:
        activities: dict[int, list] = {}
        for activity in Activity.objects.of(version).order_by("order", "code"):
            activities.setdefault(activity.mission_id, []).append(activity)
        for mission in Mission.objects.of(version).order_by("order", "code"):
            options = [(mission.code, f"{mission.code} — {mission.title}")]
            options += [(item.code, f"{item.code} — {item.title}") for item in activities.get(mission.pk, [])]
            known.update(code for code, _label in options)
            groups.append((_("Mission %(code)s et ses activités") % {"code": mission.code}, options))
        if competences:
            options = [
                (item.code, f"{item.code} — {item.title}") for item in Competence.objects.of(version).order_by("code")
            ]
            known.update(code for code, _label in options)
            if options:
                groups.append((_("Compétences"), options))
    old = [(code, f"{code} " + str(_("(absent du référentiel en vigueur)"))) for code in kept if code not in known]
    if old:
        groups.append((_("Codes anciens"), old))
    return groups


class WorkshopForm(VersionTokenMixin, forms.ModelForm):
    referentiel_codes = forms.MultipleChoiceField(
        label=_("Éléments du référentiel travaillés"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Workshop
        fields = services.WORKSHOP_FIELDS
        formfield_callback = text_limits(topic=LONG_TEXT)
        widgets = {"topic": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "topic": MARKDOWN_HELP,
            "order": _("Les sous-groupes sont présentés dans cet ordre."),
            "capacity": _("Laissez vide pour ne pas limiter."),
            "open_choice": _("Sinon, les organisateur·rices répartissent les personnes inscrites."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = self.instance.referentiel_codes if self.instance.pk else []
        self.fields["referentiel_codes"].choices = referentiel_choices(kept=kept)
        self.fields["fiche_section"].queryset = selectors.common_sections()
        self.fields["fiche_section"].label = _("Section de la fiche de poste commune")
        self.fields["fiche_section"].empty_label = _("Aucune")
        self.fields["capacity"].min_value = 1
        self.fields["capacity"].validators = []
        self.fields["capacity"].error_messages["min_value"] = _(
            "Un sous-groupe a au moins une place ; laissez vide pour ne pas limiter."
        )
        self.fields["title"].error_messages["max_length"] = _(
            "Ce texte est trop long : %(limit_value)d caractères au plus (actuellement %(show_value)d)."
        )

    def _post_clean(self):
        # The service checks and saves; the instance is never saved from here.
        pass

    def values(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in services.WORKSHOP_FIELDS}


class AssignForm(forms.Form):
    participants = forms.MultipleChoiceField(
        label=_("Personnes inscrites dans ce sous-groupe"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].choices = [
            (str(person.pk), person.display_name or person.email) for person in people
        ]


class NotesForm(VersionTokenMixin, forms.Form):
    notes = forms.CharField(
        label=_("Notes partagées"),
        max_length=LONG_TEXT,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=MARKDOWN_HELP,
    )


def _workshop_field(meeting: Meeting) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Sous-groupe d'où vient cette suite"),
        required=False,
        choices=[("", _("La rencontre dans son ensemble"))]
        + [(str(workshop.pk), workshop.title) for workshop in meeting.workshops.all()],
    )


class OutcomeProposalForm(forms.Form):
    """A proposal on a section of the common fiche: the section's current text, edited, with why."""

    title = forms.CharField(label=_("Intitulé de la suite"), max_length=200)
    body = forms.CharField(max_length=MAX_BODY_LENGTH, strip=False, widget=forms.Textarea(attrs={"rows": 14}))
    rationale = forms.CharField(
        label=_("Pourquoi cette modification ?"),
        max_length=MAX_MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    base_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, meeting, section, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"] = _workshop_field(meeting)
        self.fields["body"].label = _("Texte proposé pour la section « %(title)s »") % {"title": section.title}
        self.fields["body"].help_text = _("Le texte actuel de la section : modifiez-le. %(markdown)s") % {
            "markdown": MARKDOWN_HELP
        }
        self.order_fields(["title", "workshop", "body", "rationale", "base_revision"])


class OutcomeNoteForm(forms.Form):
    """A note for the référentiel team, with the codes it concerns."""

    title = forms.CharField(label=_("Intitulé de la suite"), max_length=200)
    body = forms.CharField(
        label=_("Note pour l'équipe du référentiel"), max_length=LONG_TEXT, widget=forms.Textarea(attrs={"rows": 8})
    )
    referentiel_codes = forms.MultipleChoiceField(
        label=_("Éléments du référentiel concernés"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workshop"] = _workshop_field(meeting)
        self.fields["referentiel_codes"].choices = referentiel_choices(competences=True)
        self.order_fields(["title", "workshop", "body", "referentiel_codes"])


class MeetingFilterForm(forms.Form):
    """The list's filters (GET)."""

    quand = forms.ChoiceField(
        label=_("Quand"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", _("À venir puis passées")), (selectors.UPCOMING, _("À venir")), (selectors.PAST, _("Passées"))],
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", _("Tous")), *MeetingFormat.choices],
    )
    region = forms.ModelChoiceField(
        label=_("Région"),
        required=False,
        queryset=Region.objects.order_by("name"),
        empty_label=_("Toutes"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
