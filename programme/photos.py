"""Speaker photos: check an upload, make clean square variants, store and delete them.

An upload is never stored as it came. It is decoded with Pillow (only JPEG, PNG and
WebP decoders are allowed), turned upright by its EXIF orientation and redrawn onto a
fresh image, so no metadata survives: no GPS position, no camera serial, no EXIF
thumbnail showing the uncropped original. The variants get random names; the uploaded
file name is never used.

    prepared = prepare_photo(upload)      # in the form's clean(): raises PhotoRejected
    set_speaker_photo(speaker=speaker, photo=prepared)
    remove_speaker_photo(speaker=speaker)

A photo a speaker previews but never saves belongs to nobody: delete_unused_variants (a
periodic job) deletes it a day later.
"""

from __future__ import annotations

import datetime
import io
import re
import secrets
import struct
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from programme.models import Speaker

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Far below Pillow's own bomb limit (about 89 megapixels): a 48-megapixel camera image
# passes, a small file that would unpack into gigabytes of memory does not.
MAX_PIXELS = 50_000_000
MIN_SIDE = 200
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP")
# Small for lists, large for the detail page (and 2x screens). Square crops.
SIZES = (200, 600)
LIST_SIZE, DETAIL_SIZE = SIZES
FOLDER = "speakers"
# Faces usually sit above the middle of a portrait.
CROP_CENTRE = (0.5, 0.4)


class PhotoRejected(Exception):
    """The upload is not a photo we accept. `message` is for the person uploading."""

    def __init__(self, message, code: str):
        super().__init__(str(message))
        self.message = message
        self.code = code


@dataclass(frozen=True)
class PreparedPhoto:
    """Encoded variants, keyed by (size, format extension)."""

    files: dict[tuple[int, str], bytes]


@dataclass(frozen=True)
class StoredPhoto:
    """URLs of a speaker's stored variants, for templates."""

    key: str

    def url(self, size: int, extension: str) -> str:
        return default_storage.url(variant_name(self.key, size, extension))

    @property
    def small_webp(self) -> str:
        return self.url(LIST_SIZE, "webp")

    @property
    def small_jpeg(self) -> str:
        return self.url(LIST_SIZE, "jpg")

    @property
    def large_webp(self) -> str:
        return self.url(DETAIL_SIZE, "webp")

    @property
    def large_jpeg(self) -> str:
        return self.url(DETAIL_SIZE, "jpg")

    @property
    def small_size(self) -> int:
        return LIST_SIZE

    @property
    def large_size(self) -> int:
        return DETAIL_SIZE


def variant_name(key: str, size: int, extension: str) -> str:
    return f"{FOLDER}/{key}-{size}.{extension}"


def prepare_photo(upload) -> PreparedPhoto:
    """Check an uploaded file and return clean variants, or raise PhotoRejected."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise PhotoRejected(
            _("Die Datei ist größer als 10 MB. Bitte laden Sie ein kleineres Foto hoch."),
            code="too_large",
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise PhotoRejected(
            _("Die Datei ist größer als 10 MB. Bitte laden Sie ein kleineres Foto hoch."),
            code="too_large",
        )
    image = _decode(data)
    return PreparedPhoto(files=_variants(image))


def _decode(data: bytes) -> Image.Image:
    not_a_photo = PhotoRejected(
        _("Die Datei ist kein Foto im Format JPEG, PNG oder WebP."), code="invalid_format"
    )
    broken = PhotoRejected(
        _("Das Foto ist beschädigt oder unvollständig und lässt sich nicht öffnen."),
        code="broken",
    )
    too_many_pixels = PhotoRejected(
        _("Das Bild hat zu viele Pixel (höchstens 50 Megapixel)."), code="too_many_pixels"
    )
    with warnings.catch_warnings():
        # Pillow only warns between its two bomb limits; we refuse.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
        except UnidentifiedImageError:
            raise not_a_photo from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (OSError, SyntaxError, ValueError):
            raise broken from None
        # The header is read; check the size before decoding a single pixel.
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise too_many_pixels
        if min(width, height) < MIN_SIDE:
            raise PhotoRejected(
                _("Das Foto ist zu klein: Es muss mindestens %(min)d × %(min)d Pixel groß sein.")
                % {"min": MIN_SIDE},
                code="too_small",
            )
        try:
            image.load()
            # Orientation is the one piece of metadata we apply before dropping it all.
            upright = ImageOps.exif_transpose(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise too_many_pixels from None
        except (OSError, SyntaxError, ValueError, struct.error):
            raise broken from None
    return upright


def _in_srgb(image: Image.Image) -> Image.Image:
    """Convert colours from an embedded profile (Adobe RGB, Display P3...) to sRGB.

    The profile itself is dropped with the other metadata; without this step such
    photos would look pale. A profile that cannot be read is ignored."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(icc)),
            ImageCms.createProfile("sRGB"),
            outputMode=image.mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _variants(image: Image.Image) -> dict[tuple[int, str], bytes]:
    # A fresh RGB canvas carries no info dict: no EXIF, XMP, ICC or comments survive.
    rgba = _in_srgb(image).convert("RGBA")
    clean = Image.new("RGB", rgba.size, (255, 255, 255))
    clean.paste(rgba, mask=rgba.getchannel("A"))
    files = {}
    for size in SIZES:
        square = ImageOps.fit(
            clean, (size, size), method=Image.Resampling.LANCZOS, centering=CROP_CENTRE
        )
        webp = io.BytesIO()
        square.save(webp, "WEBP", quality=82, method=6)
        jpeg = io.BytesIO()
        square.save(jpeg, "JPEG", quality=85, optimize=True, progressive=True)
        files[(size, "webp")] = webp.getvalue()
        files[(size, "jpg")] = jpeg.getvalue()
    return files


def store_variants(photo: PreparedPhoto) -> str:
    """Store the variants under a new random key, returned; nothing points to them yet."""
    key = secrets.token_hex(16)
    for (size, extension), content in photo.files.items():
        name = variant_name(key, size, extension)
        saved = default_storage.save(name, ContentFile(content))
        if saved != name:  # pragma: no cover - 128 random bits do not collide
            raise RuntimeError(f"storage renamed {name} to {saved}")
    return key


def set_speaker_photo(*, speaker: Speaker, photo: PreparedPhoto) -> None:
    """Store the variants under a new random key and drop the old ones once committed."""
    use_stored_photo(speaker=speaker, key=store_variants(photo))


def use_stored_photo(*, speaker: Speaker, key: str) -> None:
    """Point the speaker at variants stored by store_variants(); the old ones go after commit."""
    old_key = speaker.photo_key
    speaker.photo_key = key
    speaker.save(update_fields=["photo_key"])
    if old_key and old_key != key:
        transaction.on_commit(lambda: delete_variants(old_key))


def remove_speaker_photo(*, speaker: Speaker) -> None:
    old_key = speaker.photo_key
    if not old_key:
        return
    speaker.photo_key = ""
    speaker.save(update_fields=["photo_key"])
    transaction.on_commit(lambda: delete_variants(old_key))


def delete_variants(key: str) -> None:
    for size in SIZES:
        for extension in ("webp", "jpg"):
            default_storage.delete(variant_name(key, size, extension))


# A speaker's preview may be saved for half of this (speakers.views); variants that no
# speaker points to after all of it are a preview left behind, a face kept for nothing.
UNUSED_VARIANTS_KEPT = datetime.timedelta(hours=24)
VARIANT_FILE = re.compile(r"^(?P<key>[0-9a-f]{32})-\d+\.(?:webp|jpg)$")


def delete_unused_variants(now: datetime.datetime | None = None) -> int:
    """Delete the stored variants no speaker points to, once they are older than
    UNUSED_VARIANTS_KEPT; returns how many files went. Other files in the folder are not
    touched."""
    now = now or timezone.now()
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    in_use = set(Speaker.objects.exclude(photo_key="").values_list("photo_key", flat=True))
    deleted = 0
    for name in files:
        match = VARIANT_FILE.match(name)
        if match is None or match["key"] in in_use:
            continue
        path = f"{FOLDER}/{name}"
        try:
            if now - default_storage.get_modified_time(path) < UNUSED_VARIANTS_KEPT:
                continue
            default_storage.delete(path)
        except FileNotFoundError:  # another worker was quicker
            continue
        deleted += 1
    return deleted
