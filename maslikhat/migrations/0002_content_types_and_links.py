"""The rows that name the vote's models or pages by their old app follow them to the
maslikhat: the content types (so the audit trail's events, the admin's log and the
permissions still point at the sessions they are about) and the links of the notices
already sent (stored as URL names). Reversible: backwards, the same rows go back to
budgets."""

from django.db import migrations

MODELS = ("maslikhatrules", "votingsession", "sessionmember", "ballot")
URL_NAMES = ("roll_call", "ballot", "session_open", "deputy_sessions")


def _move(apps, *, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEvent = apps.get_model("portal", "AuditEvent")
    LogEntry = apps.get_model("admin", "LogEntry")
    Notification = apps.get_model("portal", "Notification")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=source, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=target, model=model).first()
        if new is None:
            old.app_label = target
            old.save(update_fields=["app_label"])
            continue
        # Both exist (the new one was made by a migrate that stopped before this one):
        # what points at the old one moves to the new one, and the old one goes, with its
        # permissions (the new one has the same).
        AuditEvent.objects.filter(target_type=old).update(target_type=new)
        LogEntry.objects.filter(content_type=old).update(content_type=new)
        old.delete()
    for name in URL_NAMES:
        Notification.objects.filter(url_name=f"{source}:{name}").update(
            url_name=f"{target}:{name}"
        )


def forwards(apps, schema_editor) -> None:
    _move(apps, source="budgets", target="maslikhat")


def backwards(apps, schema_editor) -> None:
    _move(apps, source="maslikhat", target="budgets")


class Migration(migrations.Migration):
    dependencies = [
        ("maslikhat", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("portal", "0004_notification_preference"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
