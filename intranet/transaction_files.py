"""Files written by a database transaction live and die with it.

A step that stores a file (a red-head PDF, an uploaded knowledge file) writes it before its rows
commit. If the transaction then rolls back, nothing refers to the file any more: it is deleted.

    with atomic_with_files() as files:
        ...
        files.save(document.final_pdf, name, ContentFile(data))
        document.save(update_fields=["final_pdf"])

The block is the transaction whose outcome decides: open it as the action's outermost write
transaction (a rollback of an enclosing block after it has ended would not reach the files).
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.files.base import File
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


class TransactionFiles:
    """The files written so far inside one `atomic_with_files` block."""

    def __init__(self):
        self._written: list[tuple[Storage, str]] = []

    def save(self, field_file: FieldFile, name: str, content: File) -> None:
        """Store `content` in the file field (without saving its model instance)."""
        field_file.save(name, content, save=False)
        self._written.append((field_file.storage, field_file.name))

    def delete_all(self) -> None:
        for storage, name in self._written:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete %s after a rolled-back transaction", name)
        self._written.clear()


@contextmanager
def atomic_with_files(using: str | None = None) -> Iterator[TransactionFiles]:
    """`transaction.atomic`, deleting the files saved through it if the block rolls back."""
    files = TransactionFiles()
    try:
        with transaction.atomic(using=using):
            yield files
    except BaseException:
        files.delete_all()
        raise
