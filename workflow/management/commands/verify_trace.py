"""Check the hash chain of documents' traces (办理痕迹) and report the first broken link."""

import sys

from django.core.management.base import BaseCommand, CommandError

from workflow.models import Document
from workflow.trace import verify_chain


class Command(BaseCommand):
    help = "Verify the trace hash chain of one document (by id) or of --all documents."

    def add_arguments(self, parser):
        parser.add_argument("document_id", nargs="?", type=int)
        parser.add_argument("--all", action="store_true", help="Check every document.")

    def handle(self, *args, document_id=None, all=False, **options):
        if all:
            ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
        elif document_id is not None:
            if not Document.objects.filter(pk=document_id).exists():
                raise CommandError(f"No document {document_id}.")
            ids = [document_id]
        else:
            raise CommandError("Give a document id or --all.")
        broken = [link for link in map(verify_chain, ids) if link is not None]
        for link in broken:
            self.stderr.write(
                f"Document {link.document_id}: entry {link.entry_id} (position {link.position}) "
                f"is broken: {link.reason}."
            )
        if broken:
            sys.exit(1)
        self.stdout.write(f"{len(ids)} document(s) checked; every trace is intact.")
