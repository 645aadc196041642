from django import forms
from django.utils.translation import gettext_lazy as _

from programme.models import Speaker
from programme.photos import PhotoRejected, prepare_photo


class SpeakerPhotoFormMixin(forms.ModelForm):
    """Adds a photo upload to a speaker form. The upload is checked and converted here
    (programme/photos.py); the form's `prepared_photo` is stored by the caller."""

    photo_upload = forms.FileField(
        label=_("Neues Foto"),
        required=False,
        help_text=_(
            "JPEG, PNG oder WebP, höchstens 10 MB, mindestens 200 × 200 Pixel. Das Foto wird "
            "quadratisch zugeschnitten; Standortdaten und andere Metadaten werden entfernt."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Foto entfernen"), required=False)

    prepared_photo = None

    def clean_photo_upload(self):
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        try:
            self.prepared_photo = prepare_photo(upload)
        except PhotoRejected as rejected:
            raise forms.ValidationError(rejected.message, code=rejected.code) from None
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo_upload") and cleaned.get("remove_photo"):
            raise forms.ValidationError(
                _("Bitte entweder ein neues Foto hochladen oder das Foto entfernen."),
                code="photo_conflict",
            )
        return cleaned


class SpeakerAdminForm(SpeakerPhotoFormMixin):
    class Meta:
        model = Speaker
        fields = ["academic_title", "name", "slug", "position", "organisation", "bio", "user"]
