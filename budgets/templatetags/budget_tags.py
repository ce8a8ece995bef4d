"""Template tags of budgets: the public history's lines in the reader's language."""

import datetime

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from budgets.models import CyclePhase, MeetingDecision

register = template.Library()


def _phase(value) -> str:
    return CyclePhase(value).label if value in CyclePhase.values else str(value)


def _day(value) -> str:
    return date_format(datetime.date.fromisoformat(value), "j E Y") if value else ""


@register.simple_tag
def history_text(event) -> str:
    details = event.details
    if event.verb == "cycle.opened":
        return _("The akimat opened the budget cycle.")
    if event.verb == "cycle.phase_changed":
        if details.get("since"):
            return _("The cycle moved on to: %(phase)s (from %(day)s).") % {
                "phase": _phase(details["to"]),
                "day": _day(details["since"]),
            }
        return _("The cycle moved on to: %(phase)s.") % {"phase": _phase(details["to"])}
    if event.verb == "cycle.overdue":
        return _("Overdue: %(phase)s has passed its end date.") % {
            "phase": _phase(details["phase"])
        }
    if event.verb == "phase.extended":
        return _("%(phase)s extended from %(old)s to %(new)s. Reason: %(reason)s") % {
            "phase": _phase(details["phase"]),
            "old": _day(details["from"]),
            "new": _day(details["to"]),
            "reason": details["reason"],
        }
    if event.verb == "meeting.recorded":
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
        "draft.published": _("Version %(version)s of the draft was published."),
        "draft.submitted": _("Version %(version)s was submitted to the maslikhat."),
        "draft.approved": _("The maslikhat approved version %(version)s."),
        "draft.returned": _("Version %(version)s was returned for a new version."),
    }
    return texts.get(event.verb, event.verb) % {"version": details.get("version")}
