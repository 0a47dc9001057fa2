"""Screens of the outgoing documents: the processing screen of a task, the document's
processing form, drafting, withdrawal, downloads and delegations. The lists (to-do, done,
drafts, register) and the process administrator's screens live in `lists.py` and `admin.py`."""

from .documents import (
    AttachmentDownloadView,
    BodyDownloadView,
    DelegationsView,
    DocumentCreateView,
    DocumentDetailView,
    DocumentEditView,
    PdfDownloadView,
    WithdrawView,
    visible_document,
    visible_process_document,
)
from .task import TaskScreenView

__all__ = [
    "AttachmentDownloadView",
    "BodyDownloadView",
    "DelegationsView",
    "DocumentCreateView",
    "DocumentDetailView",
    "DocumentEditView",
    "PdfDownloadView",
    "TaskScreenView",
    "WithdrawView",
    "visible_document",
    "visible_process_document",
]
