"""Speaker photos: real images made with Pillow in the test, uploaded through the admin."""

import functools
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from programme.forms import SpeakerAdminForm
from programme.models import Speaker
from programme.photos import PhotoRejected, prepare_photo, remove_speaker_photo, set_speaker_photo
from tests.programme.factories import SpeakerFactory

pytestmark = pytest.mark.django_db

GPS_LATITUDE = ((52, 1), (31, 1), (12, 1))


def portrait_jpeg_rotated_with_gps() -> bytes:
    """A camera-style JPEG: stored sideways (landscape) with orientation 6 ("rotate 90° clockwise
    to view"), GPS position, camera make and a comment. Upright it is 300 wide, 400 high,
    red at the top and blue at the bottom."""
    upright = Image.new("RGB", (300, 400), (0, 0, 255))
    upright.paste((255, 0, 0), (0, 0, 300, 200))
    stored = upright.rotate(90, expand=True)  # what the sensor wrote: 400 x 300
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Testkamera"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (52.0, 31.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 22.0, 45.0)
    buffer = io.BytesIO()
    stored.save(buffer, "JPEG", exif=exif, quality=95, comment=b"secret comment")
    return buffer.getvalue()


def png_bytes(size=(400, 400), mode="RGBA") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, (0, 128, 0, 255) if mode == "RGBA" else (0, 128, 0)).save(buffer, "PNG")
    return buffer.getvalue()


@functools.cache
def bomb_png() -> bytes:
    """20000 x 20000 pixels of one colour: a small PNG that would need 1.2 GB unpacked."""
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(content: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def organiser(db):
    return get_user_model().objects.create_superuser(
        username="orga", email="orga@example.org", password="x-very-long-password"
    )


def test_fixture_really_carries_gps_and_rotation():
    with Image.open(io.BytesIO(portrait_jpeg_rotated_with_gps())) as image:
        exif = image.getexif()
        assert image.size == (400, 300)
        assert exif[ExifTags.Base.Orientation] == 6
        assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_jpeg_with_gps_and_rotation_comes_out_upright_square_and_without_metadata():
    prepared = prepare_photo(upload(portrait_jpeg_rotated_with_gps()))

    assert set(prepared.files) == {(200, "webp"), (200, "jpg"), (600, "webp"), (600, "jpg")}
    for (size, extension), content in prepared.files.items():
        with Image.open(io.BytesIO(content)) as image:
            assert image.format == {"jpg": "JPEG", "webp": "WEBP"}[extension]
            assert image.size == (size, size)
            image.load()
            assert not image.getexif(), "EXIF must be gone"
            assert "exif" not in image.info
            assert "icc_profile" not in image.info
            assert "comment" not in image.info
            assert "xmp" not in image.info
            top = image.getpixel((size // 2, size // 10))
            bottom = image.getpixel((size // 2, size - size // 10))
            assert top[0] > 200 and top[2] < 60, f"top should be red, is {top}"
            assert bottom[2] > 200 and bottom[0] < 60, f"bottom should be blue, is {bottom}"
        assert b"GPS" not in content
        assert b"Testkamera" not in content
        assert b"secret comment" not in content


def test_png_with_transparency_is_accepted():
    prepared = prepare_photo(upload(png_bytes(), name="x.png", content_type="image/png"))

    assert len(prepared.files) == 4


def test_webp_is_accepted():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (10, 20, 30)).save(buffer, "WEBP")

    assert len(prepare_photo(upload(buffer.getvalue(), name="x.webp")).files) == 4


def rejection(content: bytes, name="foto.jpg") -> PhotoRejected:
    with pytest.raises(PhotoRejected) as error:
        prepare_photo(upload(content, name=name))
    return error.value


def test_text_file_renamed_to_jpg_is_refused():
    refused = rejection(b"Dies ist kein Bild, nur Text.\n" * 20)

    assert refused.code == "invalid_format"
    assert "kein Foto im Format JPEG, PNG oder WebP" in str(refused.message)


def test_gif_is_refused_even_though_pillow_reads_it():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300)).save(buffer, "GIF")

    assert rejection(buffer.getvalue()).code == "invalid_format"


def test_truncated_jpeg_is_refused():
    content = portrait_jpeg_rotated_with_gps()

    refused = rejection(content[: len(content) // 2])

    assert refused.code == "broken"
    assert "beschädigt oder unvollständig" in str(refused.message)


def test_decompression_bomb_is_refused_before_decoding():
    assert len(bomb_png()) < 1024 * 1024

    refused = rejection(bomb_png(), name="bombe.png")

    assert refused.code == "too_many_pixels"
    assert "zu viele Pixel" in str(refused.message)


def test_file_over_10_mb_is_refused_without_reading_it():
    big = upload(b"\xff\xd8" + b"0" * (10 * 1024 * 1024))

    with pytest.raises(PhotoRejected) as error:
        prepare_photo(big)

    assert error.value.code == "too_large"


def test_tiny_image_is_refused():
    assert rejection(png_bytes(size=(50, 50)), name="x.png").code == "too_small"


def test_stored_variants_have_generated_names_never_the_uploaded_one():
    speaker = SpeakerFactory()
    prepared = prepare_photo(upload(png_bytes(), name="../../etc/passwd Max Mustermann.png"))

    set_speaker_photo(speaker=speaker, photo=prepared)

    speaker.refresh_from_db()
    assert len(speaker.photo_key) == 32
    for url in (speaker.photo.small_webp, speaker.photo.large_jpeg):
        assert url.startswith(f"/media/speakers/{speaker.photo_key}-")
        assert "Mustermann" not in url and "passwd" not in url
    assert default_storage.exists(f"speakers/{speaker.photo_key}-600.webp")


def test_replacing_and_removing_a_photo_deletes_old_files(django_capture_on_commit_callbacks):
    speaker = SpeakerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        set_speaker_photo(speaker=speaker, photo=prepare_photo(upload(png_bytes(), "a.png")))
    first = speaker.photo_key

    with django_capture_on_commit_callbacks(execute=True):
        set_speaker_photo(speaker=speaker, photo=prepare_photo(upload(png_bytes(), "b.png")))
    assert not default_storage.exists(f"speakers/{first}-200.jpg")
    second = speaker.photo_key

    with django_capture_on_commit_callbacks(execute=True):
        remove_speaker_photo(speaker=speaker)
    assert speaker.photo is None
    assert not default_storage.exists(f"speakers/{second}-600.webp")


def test_speaker_page_renders_picture_with_webp_srcset_and_dimensions(client, event):
    speaker = SpeakerFactory(name="Klaus Vitt")
    set_speaker_photo(speaker=speaker, photo=prepare_photo(upload(png_bytes(), "a.png")))
    key = speaker.photo_key

    html = client.get(speaker.get_absolute_url()).content.decode()

    assert "<picture" in html
    assert (
        f'<source type="image/webp" srcset="/media/speakers/{key}-200.webp 200w, '
        f'/media/speakers/{key}-600.webp 600w"'
    ) in html
    assert f'src="/media/speakers/{key}-600.jpg"' in html
    assert 'width="600" height="600" alt="Foto von Klaus Vitt"' in html
    listing = client.get("/referierende/").content.decode()
    assert 'width="200" height="200" alt=""' in listing


def test_form_shows_translated_error_for_a_fake_jpeg():
    form = SpeakerAdminForm(
        data={"name": "Kay Ruge", "slug": "kay-ruge", "position_de": "", "organisation_de": ""},
        files={"photo_upload": upload(b"GIF89a? nein, Text")},
    )

    assert not form.is_valid()
    assert form.has_error("photo_upload", code="invalid_format")


def admin_post(client, speaker: Speaker, content: bytes, name="foto.jpg"):
    data = {
        "name": speaker.name,
        "slug": speaker.slug,
        "academic_title": "",
        "position_de": "",
        "position_en": "",
        "organisation_de": "",
        "organisation_en": "",
        "bio_de": "",
        "bio_en": "",
        "user": "",
        "photo_upload": upload(content, name=name),
        "session_roles-TOTAL_FORMS": "0",
        "session_roles-INITIAL_FORMS": "0",
        "session_roles-MIN_NUM_FORMS": "0",
        "session_roles-MAX_NUM_FORMS": "1000",
    }
    return client.post(f"/admin/programme/speaker/{speaker.pk}/change/", data)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"Nur Text, aber .jpg genannt", "kein Foto im Format JPEG, PNG oder WebP"),
        (portrait_jpeg_rotated_with_gps()[:3000], "beschädigt oder unvollständig"),
    ],
    ids=["text-renamed-jpg", "truncated"],
)
def test_admin_upload_of_bad_file_shows_form_error_not_500(client, organiser, content, message):
    client.force_login(organiser)
    speaker = SpeakerFactory()

    response = admin_post(client, speaker, content)

    assert response.status_code == 200
    assert message in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.photo_key == ""


def test_admin_upload_of_bomb_shows_form_error_not_500(client, organiser):
    client.force_login(organiser)
    speaker = SpeakerFactory()
    response = admin_post(client, speaker, bomb_png(), name="bombe.png")

    assert response.status_code == 200
    assert "zu viele Pixel" in response.content.decode()


def test_admin_upload_of_good_photo_stores_it_and_shows_preview(client, organiser):
    client.force_login(organiser)
    speaker = SpeakerFactory()

    response = admin_post(client, speaker, portrait_jpeg_rotated_with_gps())

    assert response.status_code == 302
    speaker.refresh_from_db()
    assert speaker.photo_key
    change_page = client.get(f"/admin/programme/speaker/{speaker.pk}/change/").content.decode()
    assert f"/media/speakers/{speaker.photo_key}-200.jpg" in change_page
    with default_storage.open(f"speakers/{speaker.photo_key}-600.jpg") as stored:
        assert b"GPS" not in stored.read()


def test_image_over_our_pixel_limit_but_under_pillows_is_refused_before_decoding():
    buffer = io.BytesIO()
    Image.new("1", (7200, 7200)).save(buffer, "PNG")  # 51.8 megapixels

    assert rejection(buffer.getvalue(), name="gross.png").code == "too_many_pixels"


def test_embedded_colour_profile_is_applied_and_dropped():
    from PIL import ImageCms

    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 40, 40)).save(buffer, "JPEG", icc_profile=icc)

    prepared = prepare_photo(upload(buffer.getvalue()))

    with Image.open(io.BytesIO(prepared.files[(200, "jpg")])) as image:
        assert "icc_profile" not in image.info
        red, green, blue = image.getpixel((100, 100))
        assert red > 180 and green < 70 and blue < 70


def test_broken_colour_profile_does_not_break_the_upload():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300)).save(buffer, "JPEG", icc_profile=b"not a profile at all")

    assert len(prepare_photo(upload(buffer.getvalue())).files) == 4
