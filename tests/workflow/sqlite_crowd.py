"""Several people working on the SQLite default at once, through the screens, on a database file.

Run by tests/workflow/test_sqlite_concurrency.py in a process of its own (the suite's SQLite
database lives in memory, where locking is not the real thing):

    DATABASE_URL=sqlite:////tmp/x/db.sqlite3 python -m tests.workflow.sqlite_crowd /tmp/x/media

Prints one JSON object: every response that was neither a redirect nor the expected refusal, and
what the database holds afterwards.
"""

import hashlib
import json
import os
import sys
import threading
import time
import traceback

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings.test")
django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.factories.documents import (  # noqa: E402
    OfficeFactory,
    advance,
    draft_document,
    open_task,
    seal_ensure,
)
from workflow import selectors, services  # noqa: E402
from workflow.models import OutgoingDocument, TraceEntry  # noqa: E402
from workflow.seal import keys  # noqa: E402
from workflow.seal.services import SealedPdf  # noqa: E402

CLIENTS = 8
FAKE_PDF = b"%PDF-1.7\n% red-head stand-in\n%%EOF\n"


def slow_redhead(document):
    """Stands in for WeasyPrint (seconds of CPU on a real document) without its cost."""
    time.sleep(0.3)
    return FAKE_PDF, hashlib.sha256(FAKE_PDF).hexdigest()


def slow_seal(data, unit, user, *, pressed=True):
    """Stands in for signing (about a second of CPU with a real key) without its cost."""
    time.sleep(0.1)
    sealed = data + b"% sealed\n"
    return SealedPdf(sealed, hashlib.sha256(sealed).hexdigest(), f"CN={unit.name}", "1")


def form_data(step, office):
    choices = {
        "draft": {"department_head": office.production_head.pk},
        "check": {"verifier": office.verifier.pk},
        "verify": {"first_signer": office.leader.pk},
        "sign_off": {"clerk": office.clerk.pk},
        "numbering": {"prefix": office.prefix.pk},
        "proofread": {"clerk": office.clerk.pk},
    }
    return {"decision": "approve", "opinion": "同意", **choices.get(step, {})}


def drive_to_the_end(document, office, barrier, problems):
    """One person after another opens the document's task and approves it, to dispatch."""
    client = Client(raise_request_exception=False)
    try:
        barrier.wait()
        while (task := open_task(document)) is not None:
            step = task.flow_task.name
            client.force_login(task.owner)
            url = selectors.task_url(task)
            opened = client.get(url)
            if opened.status_code != 200:
                problems.append(f"{document.pk} open {step}: {opened.status_code}")
                return
            done = client.post(url, form_data(step, office))
            if done.status_code != 302 or "todo" not in done["Location"]:
                problems.append(f"{document.pk} {step}: {done.status_code}")
                return
    except Exception:
        problems.append(traceback.format_exc())
    finally:
        connections.close_all()


def approve_twice(task, office, url, barrier, outcomes):
    """The same person sends the same decision from two browser tabs at once."""
    client = Client(raise_request_exception=False)
    try:
        client.force_login(task.owner)
        barrier.wait()
        response = client.post(url, form_data("check", office))
        landed = client.get(response["Location"]) if response.status_code == 302 else response
        outcomes.append({"status": response.status_code, "page": landed.content.decode()})
    except Exception:
        outcomes.append({"status": "exception", "page": traceback.format_exc()})
    finally:
        connections.close_all()


def journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return cursor.fetchone()[0]


def run_threads(target, argument_lists):
    threads = [threading.Thread(target=target, args=arguments) for arguments in argument_lists]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def main(media_root):
    settings.MEDIA_ROOT = media_root
    services.outgoing._redhead_pdf = slow_redhead
    services.outgoing._sealed_pdf = slow_seal
    keys.KEY_BITS = 2048
    call_command("migrate", verbosity=0)
    office = OfficeFactory()
    seal_ensure(office)
    documents = [draft_document(office, title=f"关于第{i + 1}批检查的通知") for i in range(CLIENTS)]
    contested = draft_document(office, title="两人同时审核的通知")
    advance(contested, office, until="check")
    connections.close_all()

    problems = []
    barrier = threading.Barrier(CLIENTS)
    started = time.monotonic()
    run_threads(drive_to_the_end, [(d, office, barrier, problems) for d in documents])
    crowd_seconds = time.monotonic() - started

    outcomes = []
    task = open_task(contested)
    url = selectors.task_url(task)
    connections.close_all()
    run_threads(approve_twice, [(task, office, url, threading.Barrier(2), outcomes)] * 2)

    finished = OutgoingDocument.objects.filter(pk__in=[d.pk for d in documents])
    print(
        json.dumps(
            {
                "problems": problems,
                "journal_mode": journal_mode(),
                "crowd_seconds": round(crowd_seconds, 1),
                "year": timezone.localdate().year,
                "statuses": sorted(finished.values_list("status", flat=True)),
                "numbers": sorted(finished.values_list("number_text", flat=True)),
                "pdfs": sum(1 for d in finished if d.final_pdf),
                "contested_outcomes": outcomes,
                "contested_approvals": TraceEntry.objects.filter(
                    document=contested, action="approve"
                ).count(),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
