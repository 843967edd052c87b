from allauth.account import forms as allauth_forms
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.concurrency import VersionTokenMixin
from members import services
from members.directory import directory_filters
from members.fields import PROFILE_GROUPS
from members.models import Council, Department, Profile
from members.photos import photo_process

MAX_CSV_BYTES = 1024 * 1024
# A pasted list: 500 addresses of at most 254 characters, each with its separator.
MAX_INVITATION_TEXT_LENGTH = services.MAX_INVITATIONS_PER_BATCH * 256
# Far beyond any real password: a longer one is refused before being hashed to be checked.
MAX_PASSWORD_LENGTH = 4096


# The photo has its own upload field (processed, then stored by the service); the email is the account's.
NOT_MODEL_FORM_FIELDS = {"photo", "email"}
# Short fields shown side by side, the first of each row placing the row.
SIDE_BY_SIDE = (
    ("time_share", "started_on"),
    ("employment_status", "category", "filiere"),
    ("grade", "placement"),
)


class ProfileForm(VersionTokenMixin, forms.ModelForm):
    """The member's profile; it carries the profile's `lock_version` (two tabs: the second save gets a conflict)."""

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG ou WebP, 5 Mo au plus. Elle sera recadrée à 512 pixels et ses métadonnées supprimées."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Supprimer ma photo actuelle"), required=False)

    class Meta:
        model = Profile
        fields = [
            name
            for group in PROFILE_GROUPS
            for name in (*group.fields, group.visibility_field)
            if name not in NOT_MODEL_FORM_FIELDS
        ]
        widgets = {
            "started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bio": forms.Textarea(attrs={"rows": 4}),
            "help_topics": forms.Textarea(attrs={"rows": 3}),
            "training_wishes": forms.Textarea(attrs={"rows": 3}),
            "time_share": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
        }
        labels = {
            "credit": _("Comment mon nom apparaît-il dans mes contributions à la fiche de poste ?"),
            "identity_visibility": _("Qui peut voir ma photo, mes pronoms et l'intitulé de mon poste ?"),
            "post_visibility": _("Qui peut voir les informations sur mon poste ?"),
            "about_visibility": _("Qui peut voir ma présentation, mes sujets et mes besoins de formation ?"),
            "contact_visibility": _("Qui peut voir mon adresse e-mail ?"),
        }
        error_messages = {
            "time_share": {
                "min_value": _("Indiquez un pourcentage entre 0 et 100."),
                "max_value": _("Indiquez un pourcentage entre 0 et 100."),
                "invalid": _("Indiquez un pourcentage entre 0 et 100, sans le signe %."),
            }
        }
        help_texts = {
            "display_name": _("Votre nom et votre conseil sont toujours visibles des membres du réseau (annuaire)."),
            "council": _("Choisissez-le dans la liste. Il n'y est pas ? Déclarez-le avec le lien ci-dessous."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.selectable_by(user).order_by("name")
        self.fields["council"].empty_label = _("— Choisir mon conseil —")
        self.fields["credit"].required = False  # see clean_credit
        # An account waiting for approval may fill in its profile, not upload a photo.
        self.photo_allowed = user.is_approved
        if not self.photo_allowed:
            del self.fields["photo"]
        if not (self.instance and self.instance.photo):
            del self.fields["remove_photo"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        declare_link = HTML(
            format_html(
                '<p class="small declare-council-link"><a href="{}">{}</a></p>',
                reverse("members:council_create"),
                _("Mon conseil n'est pas dans la liste : le déclarer"),
            )
        )
        photo_later = HTML(
            format_html(
                '<p class="small">{}</p>',
                _("Vous pourrez ajouter une photo une fois votre compte validé par l'équipe CNCD."),
            )
        )
        # What the layout adds after a field: the link to declare a missing council, the photo's removal.
        after = {"council": [declare_link], "photo": ["remove_photo"] if "remove_photo" in self.fields else []}
        self.helper.layout = Layout(
            *(
                Fieldset(group.label, *self._layout_of(group, after, photo_later), group.visibility_field)
                for group in PROFILE_GROUPS
            )
        )
        if "lock_version" in self.fields:
            self.helper.layout.append("lock_version")

    def _layout_of(self, group, after: dict, photo_later) -> list:
        items = []
        for name in group.fields:
            if name == "email" or any(name in row[1:] for row in SIDE_BY_SIDE):
                continue  # the email is the account's; a field sharing a row is placed with the first
            row = next((row for row in SIDE_BY_SIDE if row[0] == name), None)
            if row is not None:
                items.append(Row(*(Column(cell, css_class=f"col-md-{12 // len(row)}") for cell in row)))
            elif name == "photo" and not self.photo_allowed:
                items.append(photo_later)
            else:
                items.append(name)
            items.extend(after.get(name, []))
        return items

    def clean_credit(self):
        # A form opened before this choice existed (or one that leaves it out) keeps the member's current one.
        return self.cleaned_data.get("credit") or self.instance.credit

    def clean_time_share(self):
        value = self.cleaned_data.get("time_share")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError(_("Indiquez un pourcentage entre 0 et 100."), code="out_of_range")
        return value

    def clean_started_on(self):
        value = self.cleaned_data.get("started_on")
        if value is not None and value > timezone.localdate():
            raise forms.ValidationError(_("La date de prise de poste ne peut pas être dans le futur."), code="future")
        return value

    def clean_photo(self):
        uploaded = self.cleaned_data.get("photo")
        if not uploaded:
            return None
        return photo_process(uploaded)

    def clean(self):
        cleaned_data = super().clean()
        if not self.photo_allowed and self.files.get("photo"):
            # The field is not shown to pending accounts; a photo sent anyway is refused, not ignored.
            raise forms.ValidationError(
                _("Votre compte n'est pas encore validé : vous pourrez ajouter une photo une fois qu'il le sera."),
                code="photo_not_allowed",
            )
        return cleaned_data

    def profile_data(self) -> dict:
        """The model fields to save, without the photo which the service handles."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CouncilForm(forms.ModelForm):
    class Meta:
        model = Council
        fields = ["name", "kind", "authority_name", "departments", "website"]
        labels = {"departments": _("Département(s) couvert(s)")}
        help_texts = {
            "name": _("Par exemple : Conseil de développement du Pays de Vannes."),
            "departments": _("Maintenez Ctrl (ou Cmd) pour en choisir plusieurs."),
        }
        widgets = {"departments": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.order_by("code")
        self.fields["departments"].error_messages["required"] = _("Choisissez au moins un département.")
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        similar = services.council_find_similar(name=name)
        if similar is not None:
            raise services.council_duplicate_error(similar)
        return name


class DirectoryFilterForm(forms.Form):
    """The directory's criteria: the fields of each registered filter (members.directory)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each offered filter with the names of its fields; one without fields is not offered now.
        self.offered = []
        for directory_filter in directory_filters():
            fields = directory_filter.fields()
            if fields:
                self.offered.append((directory_filter, list(fields)))
                self.fields.update(fields)

    def clean(self):
        data = super().clean()
        for directory_filter, names in self.offered:
            if directory_filter.clean is not None:
                try:
                    directory_filter.clean({name: data.get(name) for name in names})
                except forms.ValidationError as error:
                    self.add_error(None, error)
        return data

    def criteria(self) -> list:
        """Each offered filter with the valid values chosen for its fields."""
        data = getattr(self, "cleaned_data", {})
        return [
            (directory_filter, {name: data.get(name) for name in names}) for directory_filter, names in self.offered
        ]


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (facultatif, transmis à la personne)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InvitationForm(forms.Form):
    emails = forms.CharField(
        label=_("Adresses e-mail"),
        required=False,
        max_length=MAX_INVITATION_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Une adresse par ligne (ou séparées par des virgules), 500 au plus."),
    )
    csv_file = forms.FileField(
        label=_("Ou un fichier CSV"),
        required=False,
        help_text=_("Une adresse par ligne, dans la première colonne ; 500 lignes et 1 Mo au plus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_csv_file(self):
        uploaded = self.cleaned_data.get("csv_file")
        if not uploaded:
            return None
        if uploaded.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Ce fichier dépasse 1 Mo."), code="too_large")
        content = uploaded.read()
        if b"\x00" in content:
            raise forms.ValidationError(_("Ce fichier n'est pas un fichier CSV (texte)."), code="not_csv")
        return services.invitation_lines_from_csv(content)

    def clean(self):
        cleaned = super().clean()
        values = services.invitation_lines_from_text(cleaned.get("emails") or "")
        values += cleaned.get("csv_file") or []
        if not values and not self.errors:
            raise forms.ValidationError(_("Saisissez au moins une adresse ou joignez un fichier CSV."), code="empty")
        if len(values) > services.MAX_INVITATIONS_PER_BATCH:
            raise forms.ValidationError(
                _("La liste compte %(count)d adresses : envoyez-en au plus %(max)d à la fois."),
                code="too_many",
                params={"count": len(values), "max": services.MAX_INVITATIONS_PER_BATCH},
            )
        cleaned["values"] = values
        return cleaned


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=MAX_PASSWORD_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("Je comprends que mon profil et mes données personnelles seront définitivement effacés."),
        error_messages={"required": _("Cochez cette case pour confirmer la suppression.")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Ce mot de passe n'est pas le bon."), code="wrong_password")
        return password


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form, which never tells whether an address already has an account.

    An address that has one gets the same answer as a new one ("check your mailbox"); allauth
    (ACCOUNT_PREVENT_ENUMERATION) then emails its owner that someone tried to sign up with it, with
    the link to reset the password, instead of a confirmation link.

    Sign-ups are rate-limited per network address (allauth's "signup" limit, ACCOUNT_RATE_LIMITS) and
    per email address ("signup_email" below, counted once the form is otherwise valid, so that typing
    mistakes do not count): nobody can flood one mailbox with sign-up emails.

    It asks for the first and last name, kept on the account (allauth's save_user): they greet the person
    in emails and become the profile's display name (services.profile_get_or_create, User.display_name).
    """

    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        help_text=_("Votre nom est montré aux membres du réseau une fois votre compte validé."),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def clean(self):
        cleaned_data = super().clean()
        email = cleaned_data.get("email")
        if email and not self.errors and not self._consume_email_rate_limit(email):
            raise forms.ValidationError(
                _("Trop d'inscriptions avec cette adresse e-mail en peu de temps. Réessayez dans une heure."),
                code="too_many_signups",
            )
        return cleaned_data

    @staticmethod
    def _consume_email_rate_limit(email: str) -> bool:
        from allauth.core import context, ratelimit

        request = context.request
        return request is None or ratelimit.consume(request, action="signup_email", key=email.lower())
