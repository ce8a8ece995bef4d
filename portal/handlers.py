"""What the portal does when something happens elsewhere: an administrator's edit in the
admin (an akimat's contacts, a classification's names, a user) is not an act of the audit
trail, and every kept page is drawn again (portal.fragments)."""

from django.contrib.admin.models import LogEntry
from django.db.models.signals import post_save
from django.dispatch import receiver

from portal import fragments


@receiver(post_save, sender=LogEntry, dispatch_uid="portal.admin_edit_draws_again")
def admin_edit_draws_again(sender, **kwargs) -> None:
    fragments.everything_changed()
