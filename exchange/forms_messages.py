"""Forms of the messages area: writing a message, the preferences, reporting a message."""

from django import forms
from django.utils.translation import gettext_lazy as _

from exchange.models import MESSAGE_LENGTH, REASON_LENGTH


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Texte simple, %(n)s caractères au plus ; les retours à la ligne sont gardés.")
        % {"n": MESSAGE_LENGTH},
        error_messages={"required": _("Écrivez votre message.")},
    )

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(_("Écrivez votre message."))
        return body


class PreferenceForm(forms.Form):
    accepts_messages = forms.BooleanField(
        label=_("J'accepte les messages privés des membres du réseau"),
        required=False,
        help_text=_(
            "Les membres validés pourront vous écrire depuis votre profil, sans connaître votre adresse e-mail. "
            "Pour écrire vous-même à un membre, cette case doit être cochée : il doit pouvoir vous répondre."
        ),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi ce message vous semble-t-il inapproprié ?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("%(n)s caractères au plus. Seule l'équipe CNCD lit votre signalement et le message signalé.")
        % {"n": REASON_LENGTH},
        error_messages={"required": _("Indiquez pourquoi ce message vous semble inapproprié.")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Indiquez pourquoi ce message vous semble inapproprié."))
        return reason
