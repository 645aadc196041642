"""The outbox records what a message is about as a generic reference instead of foreign
keys to registration.Registration and programme.Speaker, so it imports no domain model.
Existing messages keep their link: the old foreign keys are copied into the new fields."""

import django.db.models.deletion
from django.db import migrations, models

OLD_LINKS = [("registration", "registration", "registration"), ("speaker", "programme", "speaker")]


def copy_links(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutgoingEmail = apps.get_model("mail", "OutgoingEmail")
    for field, app_label, model in OLD_LINKS:
        linked = OutgoingEmail.objects.filter(**{f"{field}__isnull": False})
        if not linked.exists():
            continue
        kind, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        for email in linked.only("pk", f"{field}_id"):
            OutgoingEmail.objects.filter(pk=email.pk).update(
                about_type=kind, about_id=getattr(email, f"{field}_id")
            )


def copy_links_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutgoingEmail = apps.get_model("mail", "OutgoingEmail")
    for field, app_label, model in OLD_LINKS:
        kind = ContentType.objects.filter(app_label=app_label, model=model).first()
        if kind is None:
            continue
        for email in OutgoingEmail.objects.filter(about_type=kind):
            OutgoingEmail.objects.filter(pk=email.pk).update(**{f"{field}_id": email.about_id})


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("mail", "0002_claimed_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="about_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="betrifft (Art)",
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="about_id",
            field=models.PositiveBigIntegerField(
                blank=True, null=True, verbose_name="betrifft (Nummer)"
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RemoveField(model_name="outgoingemail", name="registration"),
        migrations.RemoveField(model_name="outgoingemail", name="speaker"),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(fields=["about_type", "about_id"], name="mail_about_idx"),
        ),
    ]
