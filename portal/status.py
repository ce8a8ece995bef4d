"""How a status looks, the same on every page: a tone (its colour) and an icon beside the
word, so that "approved" and "rejected" never look alike and colour is never the only sign.

One table for every lifecycle's statuses (proposals, drafts, residency claims, the
residents' vote, the maslikhat's session): a word means one thing across the portal.
The icons are Lucide's (the npm package `lucide-static`), served from static/icons/.
"""

# status value -> (tone, icon)
LOOKS: dict[str, tuple[str, str]] = {
    # proposals
    "draft": ("neutral", "pencil"),
    "submitted": ("progress", "send"),
    "withdrawn": ("neutral", "circle-slash"),
    "under_review": ("progress", "hourglass"),
    "recommended": ("positive", "thumbs-up"),
    "not_recommended": ("negative", "thumbs-down"),
    "approved": ("positive", "circle-check"),
    "rejected": ("negative", "circle-x"),
    "included": ("positive", "list-checks"),
    "funded": ("positive", "banknote"),
    "in_progress": ("progress", "hammer"),
    "implemented": ("positive", "badge-check"),
    # drafts of the budget
    "preparing": ("neutral", "pencil"),
    "published": ("progress", "file-text"),
    "coordinated": ("positive", "file-check"),
    "under_vote": ("progress", "vote"),
    "returned": ("warning", "undo-2"),
    "superseded": ("neutral", "archive"),
    # residency claims
    "pending": ("progress", "hourglass"),
    "verified": ("positive", "circle-check"),
    "refused": ("negative", "circle-x"),
    # the residents' vote
    "on_ballot": ("progress", "vote"),
    "selected": ("positive", "circle-check"),
    "not_selected": ("neutral", "circle-minus"),
    # a deadline passed
    "overdue": ("warning", "clock-alert"),
}
ICONS = sorted({icon for _tone, icon in LOOKS.values()})


def look(status: str) -> tuple[str, str]:
    """The tone and icon of `status`; an unknown status is neutral, with no icon."""
    return LOOKS.get(str(status), ("neutral", ""))
