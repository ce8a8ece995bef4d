"""Template tags of budgets: the public history's lines in the reader's language."""

import datetime

from django import template
from django.utils.translation import gettext as _

from budgets.codes import AuditVerb
from budgets.models import CyclePhase, MeetingDecision
from portal.formats import day_text

register = template.Library()


def _phase(value) -> str:
    return CyclePhase(value).label if value in CyclePhase.values else str(value)


def _day(value) -> str:
    return day_text(datetime.date.fromisoformat(value)) if value else ""


@register.simple_tag
def history_text(event) -> str:
    details = event.details
    if event.verb == AuditVerb.CYCLE_OPENED:
        return _("The akimat opened the budget cycle.")
    if event.verb == AuditVerb.CYCLE_PHASE_CHANGED:
        if details.get("since"):
            return _("The cycle moved on to: %(phase)s (from %(day)s).") % {
                "phase": _phase(details["to"]),
                "day": _day(details["since"]),
            }
        return _("The cycle moved on to: %(phase)s.") % {"phase": _phase(details["to"])}
    if event.verb == AuditVerb.CYCLE_OVERDUE:
        return _("Overdue: %(phase)s has passed its end date.") % {
            "phase": _phase(details["phase"])
        }
    if event.verb == AuditVerb.PHASE_EXTENDED:
        return _("%(phase)s extended from %(old)s to %(new)s. Reason: %(reason)s") % {
            "phase": _phase(details["phase"]),
            "old": _day(details["from"]),
            "new": _day(details["to"]),
            "reason": details["reason"],
        }
    if event.verb == AuditVerb.PHASE_SET:
        return _("%(phase)s set for %(start)s to %(end)s.") % {
            "phase": _phase(details["phase"]),
            "start": _day(details["starts_on"]),
            "end": _day(details["ends_on"]),
        }
    if event.verb == AuditVerb.PHASE_REMOVED:
        return _("%(phase)s will not be held.") % {"phase": _phase(details["phase"])}
    if event.verb == AuditVerb.MEETING_RECORDED:
        return _(
            "The community meeting decided on version %(version)s: %(decision)s "
            "(%(present)s of %(total)s members present)."
        ) % {
            "version": details["version"],
            "decision": MeetingDecision(details["decision"]).label,
            "present": details["members_present"],
            "total": details["members_total"],
        }
    texts = {
        AuditVerb.DRAFT_PUBLISHED: _("Version %(version)s of the draft was published."),
        AuditVerb.DRAFT_SUBMITTED: _(
            "Version %(version)s was submitted to the maslikhat."
        ),
        AuditVerb.DRAFT_APPROVED: _("The maslikhat approved version %(version)s."),
        AuditVerb.DRAFT_RETURNED: _(
            "Version %(version)s was returned for a new version."
        ),
    }
    return texts.get(event.verb, event.verb) % {"version": details.get("version")}
