"""The outgoing documents' to-do (待办) and done (已办) lists under a long history.

Run from the repository root: `.venv/bin/python bench/documents.py`. Builds a temporary SQLite
database with the demo group, then gives the leader 王军 (wangjun) BENCH_DONE_TASKS (10,000)
handled tasks on BENCH_DONE_TASKS / 5 past documents, as many handled tasks of other people
(noise the lists must skip), and BENCH_OPEN_TASKS (30) open tasks of mixed urgency. In-process
(Django's test client, production settings, after a warm-up request) it counts each list's SQL
queries and measures sequential requests per second for BENCH_SECONDS per URL, with the
hello-world view as the reference. Prints the figures and writes bench/results/documents.json.
The aim: each list in a bounded number of queries whatever the history; more than 12 on any list,
or any answer other than 200, fails the run.
"""

import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    bench_environment,
    child,
    finish,
    manage,
    query_bound_breaches,
    require_status_ok,
)

DONE_TASKS = int(os.environ.get("BENCH_DONE_TASKS", "10000"))
OPEN_TASKS = int(os.environ.get("BENCH_OPEN_TASKS", "30"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
USERNAME = "wangjun"
QUERY_GOAL = 12
PAGES = [
    ("hello_world", "/hello/"),
    ("todo", "/workflow/outgoing/todo/"),
    ("todo_filtered", "/workflow/outgoing/todo/?urgency=very_urgent&overdue=on"),
    ("done", "/workflow/outgoing/done/"),
    ("done_last_page", "/workflow/outgoing/done/?page=last"),
    ("done_filtered", "/workflow/outgoing/done/?step=sign_off&doc_type=notice"),
    ("todo_api", "/api/documents/tasks"),
]
LISTS = [name for name, _path in PAGES if name != "hello_world"]


def main() -> None:
    with tempfile.TemporaryDirectory() as workdir:
        environment = bench_environment(Path(workdir) / "bench.sqlite3")
        environment["ALLOWED_HOSTS"] = "testserver"
        manage(environment, "migrate", "--no-input", "-v", "0")
        manage(environment, "collectstatic", "--no-input", "-v", "0")
        # Demo data is refused under production settings: load it with the dev settings.
        demo_environment = dict(environment, DJANGO_SETTINGS_MODULE="intranet.settings.dev")
        child(__file__, demo_environment, "load-demo")
        child(__file__, environment, "add-history")
        figures = json.loads(child(__file__, environment, "measure").strip().splitlines()[-1])
    report(figures)


def report(figures: dict) -> None:
    hello = figures["hello_world"]["requests_per_second"]
    result = {
        "setup": "in-process Django test client, production settings, SQLite, sequential",
        "data": f"demo group plus {DONE_TASKS} done tasks of {USERNAME}, as many of others, "
        f"{OPEN_TASKS} open tasks of {USERNAME}",
        "user": USERNAME,
        "seconds_per_url": SECONDS,
        "query_goal": QUERY_GOAL,
    }
    print(f"{'hello-world view':<18}{hello:9.1f} req/s")
    for name, path in PAGES[1:]:
        page = figures[name]
        result[f"{name}_requests_per_second"] = page["requests_per_second"]
        result[f"{name}_to_hello_ratio"] = round(page["requests_per_second"] / hello, 4)
        result[f"{name}_queries"] = page["queries"]
        result[f"{name}_rows"] = page["rows"]
        print(
            f"{name:<18}{page['requests_per_second']:9.1f} req/s  "
            f"{page['requests_per_second'] / hello:6.3f} × hello  {page['queries']:3d} queries  "
            f"{page['rows']:3d} rows of {page['total']}  {path}"
        )
    result["hello_world_requests_per_second"] = hello
    breaches = query_bound_breaches({name: figures[name]["queries"] for name in LISTS}, QUERY_GOAL)
    result["queries_bounded"] = not breaches
    finish("documents", result, breaches)


# Steps run inside Django (child processes)


def load_demo() -> None:
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def add_history() -> None:
    """Past documents with handled tasks, written directly: walking 2,000 documents through
    the services would take the bench an hour and measure nothing more of the lists."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from people.models import OrgUnit, User
    from workflow.flows import OutgoingFlow
    from workflow.models import DocumentType, OutgoingDocument, OutgoingProcess, Urgency

    headquarters = OrgUnit.objects.get(code="HQ")
    department = OrgUnit.objects.get(code="HQ-RLZY")
    drafter = User.objects.get(username="zhouli")
    leader = User.objects.get(username=USERNAME)
    others = list(User.objects.filter(department__unit=headquarters).exclude(pk=leader.pk))
    now = timezone.now()
    types = [DocumentType.NOTICE, DocumentType.REPORT, DocumentType.LETTER, DocumentType.DECISION]
    urgencies = [Urgency.NORMAL, Urgency.NORMAL, Urgency.URGENT, Urgency.VERY_URGENT]
    steps = ["check", "verify", "countersign", "sign_off", "proofread"]
    past_documents = DONE_TASKS // len(steps)

    with transaction.atomic():
        # Multi-table inheritance (Document → OutgoingDocument) rules out bulk_create.
        documents = [
            OutgoingDocument(
                doc_type=types[n % len(types)],
                title=f"基准测试公文第{n + 1}号：关于做好年度重点工作的通知",
                urgency=urgencies[n % len(urgencies)],
                unit=headquarters,
                drafting_department=department,
                drafter=drafter,
                status=OutgoingDocument.Status.CLOSED
                if n < past_documents
                else OutgoingDocument.Status.IN_PROGRESS,
            )
            for n in range(past_documents + OPEN_TASKS)
        ]
        for document in documents:
            document.save()
        processes = []
        for document in documents:
            process = OutgoingProcess(flow_class=OutgoingFlow, document=document)
            process.status = STATUS.DONE if document.status == "closed" else STATUS.NEW
            process.save()
            processes.append(process)
        tasks = []
        for n, process in enumerate(processes[:past_documents]):
            for position, step in enumerate(steps):
                arrived = now - timedelta(days=730 * n / past_documents, hours=position)
                for owner in (leader, others[(n + position) % len(others)]):
                    tasks.append(
                        Task(
                            process=process,
                            flow_task=getattr(OutgoingFlow, step),
                            flow_task_type="HUMAN",
                            status=STATUS.DONE,
                            owner=owner,
                            created=arrived,
                            assigned=arrived,
                            finished=arrived + timedelta(hours=n % 60),
                        )
                    )
        for n, process in enumerate(processes[past_documents:]):
            arrived = now - timedelta(hours=7 * n)
            tasks.append(
                Task(
                    process=process,
                    flow_task=OutgoingFlow.sign_off,
                    flow_task_type="HUMAN",
                    status=STATUS.ASSIGNED,
                    owner=leader,
                    created=arrived,
                    assigned=arrived,
                )
            )
        Task.objects.bulk_create(tasks, batch_size=2000)


def measure() -> None:
    """Print, as one JSON line, each page's queries, rows and sequential requests per second."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    figures = {}
    for name, path in PAGES:
        require_status_ok(path, client.get(path).status_code)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        require_status_ok(path, response.status_code)
        figures[name] = {"queries": len(queries), **_rows(response)}
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            require_status_ok(path, client.get(path).status_code)
            count += 1
        figures[name]["requests_per_second"] = round(count / (time.perf_counter() - started), 1)
    print(json.dumps(figures))


def _rows(response) -> dict:
    """Rows shown and rows in all, read from the page (no template instrumentation, which
    would slow the rendering measured)."""
    if response["Content-Type"].startswith("application/json"):
        body = json.loads(response.content)
        return {"rows": len(body["items"]), "total": body["count"]}
    html = response.content.decode()
    if 'data-testid="task-count"' not in html:
        return {"rows": 0, "total": 0}
    count = re.search(r'data-testid="task-count">\D*(\d+)', html)
    return {"rows": html.count('data-testid="task-row"'), "total": int(count.group(1))}


CHILD_STEPS = {"load-demo": load_demo, "add-history": add_history, "measure": measure}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        import django

        django.setup()
        CHILD_STEPS[sys.argv[1]]()
    else:
        main()
