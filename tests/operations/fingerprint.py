"""What a backup must bring back unchanged, as JSON: documents, their numbers and trace chains,
the number counters, every stored file's checksum, and the search entries.

    DATABASE_URL=… MEDIA_ROOT=… python -m tests.operations.fingerprint
"""

import hashlib
import json

import django

django.setup()

from django.core.files.storage import storages  # noqa: E402

from operations.backup import STORAGE_ALIASES, files_of  # noqa: E402
from search.models import SearchEntryRecord  # noqa: E402
from workflow.models import OutgoingDocument, TraceEntry  # noqa: E402
from workflow.numbering.models import IssuedNumber, NumberCounter  # noqa: E402


def _checksums(alias: str) -> dict[str, str]:
    storage = storages[alias]
    sums = {}
    for name in files_of(alias):
        with storage.open(name, "rb") as handle:
            sums[name] = hashlib.sha256(handle.read()).hexdigest()
    return sums


def fingerprint() -> dict:
    return {
        "documents": list(
            OutgoingDocument.objects.order_by("pk").values_list(
                "pk", "title", "number_text", "final_pdf"
            )
        ),
        "trace": list(
            TraceEntry.objects.order_by("pk").values_list(
                "pk", "document_id", "previous_hash", "entry_hash"
            )
        ),
        "numbers": list(IssuedNumber.objects.order_by("pk").values_list("pk", "text")),
        "counters": list(NumberCounter.objects.order_by("pk").values()),
        "files": {alias: _checksums(alias) for alias in STORAGE_ALIASES},
        "search": sorted(SearchEntryRecord.objects.values_list("kind", "key")),
    }


if __name__ == "__main__":
    print(json.dumps(fingerprint(), ensure_ascii=False, default=str))
