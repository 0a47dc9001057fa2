"""The elements every kind of document shares (gongwen.md §1–§3): classification, title,
urgency, type, body, recipients; checked the same way whichever flow writes them."""

from collections.abc import Iterable

import nh3
from django.utils.translation import gettext as _

from people.models import OrgUnit

from ..models import (
    ALLOWED_CLASSIFICATIONS,
    Classification,
    Direction,
    DocumentRecipient,
    DocumentType,
    Urgency,
)
from .errors import DocumentError

BODY_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "sub", "sup", "span"} | {
    "h1",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
RecipientInput = OrgUnit | str


# The search kind of each kind of document (workflow/search.py).
SEARCH_KINDS = {"outgoing": "document", "incoming": "incoming"}


def enqueue_search(document) -> None:
    try:
        from search.outbox import enqueue
    except ImportError:  # the search app is optional for this app's own tests
        return
    enqueue(SEARCH_KINDS[document.kind], str(document.pk))


def check_classification(value: str) -> None:
    """Classified documents (秘密, 机密, 绝密) never enter the system (gongwen.md §1)."""
    if value not in Classification.values:
        raise DocumentError({"classification": _("Choose a valid classification.")})
    if value not in ALLOWED_CLASSIFICATIONS:
        raise DocumentError(
            {
                "classification": _(
                    "Classified documents (secret, confidential, top secret) must not be "
                    "processed in this system. Handle them on paper through the confidential "
                    "channel."
                )
            }
        )


def clean_body(html: str) -> str:
    return nh3.clean(html or "", tags=BODY_TAGS, attributes={}, link_rel=None).strip()


def validated_fields(values: dict) -> dict:
    """The given elements checked and cleaned; a `DocumentError` names the first bad one."""
    values = dict(values)
    if "classification" in values:
        check_classification(values["classification"])
    if "doc_type" in values and values["doc_type"] not in DocumentType.values:
        raise DocumentError({"doc_type": _("Choose a document type.")})
    if "urgency" in values and values["urgency"] not in Urgency.values:
        raise DocumentError({"urgency": _("Choose a valid urgency.")})
    if "direction" in values and values["direction"] not in Direction.values:
        raise DocumentError({"direction": _("Choose a valid direction.")})
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
        if not values["title"]:
            raise DocumentError({"title": _("Enter the title.")})
        if len(values["title"]) > 200:
            raise DocumentError({"title": _("The title is too long (at most 200 characters).")})
    if "body" in values:
        values["body"] = clean_body(values["body"])
    if "copies" in values and (not isinstance(values["copies"], int) or values["copies"] < 1):
        raise DocumentError({"copies": _("The number of copies must be at least 1.")})
    return values


def set_recipients(document, kind: str, items: Iterable[RecipientInput]) -> None:
    """Replace the document's main (主送) or copy (抄送) recipients: units of the organisation
    tree (each once) or bodies outside it by name."""
    document.recipients.filter(kind=kind).delete()
    seen = set()
    rows = []
    for order, item in enumerate(items):
        if isinstance(item, OrgUnit):
            if item.pk in seen:
                continue
            seen.add(item.pk)
            rows.append(DocumentRecipient(document=document, kind=kind, org_unit=item, order=order))
        else:
            name = (item or "").strip()
            if not name:
                continue
            if len(name) > 100:
                raise DocumentError(_("A recipient's name is too long (at most 100 characters)."))
            rows.append(
                DocumentRecipient(document=document, kind=kind, outside_name=name, order=order)
            )
    DocumentRecipient.objects.bulk_create(rows)
