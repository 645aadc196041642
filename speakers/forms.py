from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from programme.forms import SpeakerPhotoFormMixin
from programme.models import Speaker
from speakers.services import PROFILE_FIELDS, SpeakerError, check_pdf

BIO_MAX_LENGTH = 2000


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Neues Passwort"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Mindestens 8 Zeichen; nicht nur Ziffern und kein gängiges Passwort."),
    )
    password2 = forms.CharField(
        label=_("Neues Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2",
                forms.ValidationError(
                    _("Die beiden Passwörter stimmen nicht überein."), code="password_mismatch"
                ),
            )
        if first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ParticipationForm(forms.Form):
    CONFIRM, WITHDRAW = "confirm", "withdraw"
    action = forms.ChoiceField(choices=[(CONFIRM, CONFIRM), (WITHDRAW, WITHDRAW)])
    reason = forms.CharField(
        label=_("Grund der Absage"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Nur für das Organisationsteam sichtbar."),
    )


class ProfileForm(SpeakerPhotoFormMixin):
    """What speakers maintain themselves; name and title stay with the organisers."""

    class Meta:
        model = Speaker
        fields = list(PROFILE_FIELDS)
        labels = {
            "position_de": _("Funktion (deutsch)"),
            "position_en": _("Funktion (englisch)"),
            "organisation_de": _("Organisation (deutsch)"),
            "organisation_en": _("Organisation (englisch)"),
            "bio_de": _("Kurzbiografie (deutsch)"),
            "bio_en": _("Kurzbiografie (englisch)"),
        }
        help_texts = {
            "position_en": _("Leer lassen: Die englische Seite zeigt dann die deutsche Angabe."),
            "organisation_en": _(
                "Leer lassen: Die englische Seite zeigt dann die deutsche Angabe."
            ),
            "bio_de": _("Höchstens 2000 Zeichen. Markdown: **fett**, *kursiv*, Listen."),
            "bio_en": _("Höchstens 2000 Zeichen. Leer lassen: Es gilt die deutsche Fassung."),
        }
        widgets = {
            "bio_de": forms.Textarea(attrs={"rows": 6, "maxlength": BIO_MAX_LENGTH}),
            "bio_en": forms.Textarea(attrs={"rows": 6, "maxlength": BIO_MAX_LENGTH}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("bio_de", "bio_en"):
            self.fields[name].max_length = BIO_MAX_LENGTH
            self.fields[name].validators.append(
                forms.CharField(max_length=BIO_MAX_LENGTH).validators[0]
            )
        for name in self.fields:
            if name.startswith(("position", "organisation")):
                self.fields[name].required = False


class SlidesForm(forms.Form):
    file = forms.FileField(
        label=_("Folien als PDF"),
        help_text=_("Eine PDF-Datei, höchstens 20 MB. Eine neue Datei ersetzt die bisherige."),
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.pages = check_pdf(upload)
        except SpeakerError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return upload
