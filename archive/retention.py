"""Built-in retention (保管期限) by document type, used where a unit set no rule of its own.

The defaults follow the spirit of the DA/T 22-2015 appendix (范围与保管期限表): what establishes
or changes the unit's own arrangements, rules and rights, or answers a request for them, is kept
permanently; the unit's working documents of lasting reference value for 30 years; routine
business and notices of passing interest for 10 years. Each unit adjusts them on its settings
screen; an archivist may depart from them for one item with a reason.
"""

from workflow.models import DocumentType

from .models import Retention

# Incoming documents carry no type of the unit's own: they are keyed by this name.
INCOMING = "incoming"

DEFAULT_RETENTION = {
    # Decisions, orders and resolutions establish the unit's arrangements: permanent.
    DocumentType.RESOLUTION: Retention.PERMANENT,
    DocumentType.DECISION: Retention.PERMANENT,
    DocumentType.ORDER: Retention.PERMANENT,
    # A communiqué announces major decisions or events of the unit: permanent.
    DocumentType.COMMUNIQUE: Retention.PERMANENT,
    # Requests, reports to superiors and replies to requests record what was asked and approved.
    DocumentType.REQUEST: Retention.PERMANENT,
    DocumentType.REPORT: Retention.PERMANENT,
    DocumentType.REPLY: Retention.PERMANENT,
    # Minutes of meetings record the decisions taken there.
    DocumentType.MINUTES: Retention.PERMANENT,
    # Motions to a congress are rare and important where they occur.
    DocumentType.MOTION: Retention.PERMANENT,
    # Opinions, bulletins and announcements guide work for years: 30 years.
    DocumentType.OPINION: Retention.THIRTY_YEARS,
    DocumentType.BULLETIN: Retention.THIRTY_YEARS,
    DocumentType.ANNOUNCEMENT: Retention.THIRTY_YEARS,
    # Notices, circular-notices and letters are mostly routine business: 10 years.
    DocumentType.NOTICE: Retention.TEN_YEARS,
    DocumentType.CIRCULAR: Retention.TEN_YEARS,
    DocumentType.LETTER: Retention.TEN_YEARS,
    # Superiors' and peers' documents the unit carried out: 30 years.
    INCOMING: Retention.THIRTY_YEARS,
}


def retention_keys() -> list[str]:
    """The keys a unit may set a rule for, in the settings screen's order."""
    return list(DEFAULT_RETENTION)
