"""Verify a sealed PDF offline: manage.py verify_pdf FILE. Exits 0 only when the seal is valid."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from workflow.seal.verification import Verdict, verify


class Command(BaseCommand):
    help = "Verify the electronic seal of a PDF: valid, changed since sealing, or unknown signer."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        result = verify(file.read_bytes())
        self.stdout.write(f"{Verdict(result.verdict).label}: {result.reason}")
        if result.signer:
            self.stdout.write(f"{result.signer} {result.signed_at}")
        if not result.is_valid:
            raise CommandError(result.reason, returncode=1)
