"""The documents' to-do (待办) and done (已办) lists under a long history, and a dispatch to many
units.

Run from the repository root: `.venv/bin/python bench/documents.py`. Builds a temporary SQLite
database with the demo group, then gives the leader 王军 (wangjun) BENCH_DONE_TASKS (10,000)
handled tasks on BENCH_DONE_TASKS / 5 past documents, as many handled tasks of other people
(noise the lists must skip), and BENCH_OPEN_TASKS (30) open tasks of mixed urgency. In-process
(Django's test client, production settings, after a warm-up request) it counts each list's SQL
queries and measures sequential requests per second for BENCH_SECONDS per URL, with the
hello-world view as the reference. Prints the figures and writes bench/results/documents.json.

The document clerk 赵磊 (zhaolei, headquarters) gets BENCH_DONE_TASKS past incoming tasks (initial
review and close of BENCH_DONE_TASKS / 2 closed incoming documents of headquarters) and as many
past outgoing tasks (numbering, red-head twice as after a proof sent back, and dispatch, on the
leader's past documents), plus BENCH_CLERK_OPEN_TASKS (5) open tasks of each kind. His to-do and
done lists are timed request by request (BENCH_SAMPLES, 50, after a warm-up): median and p95,
bound 100 ms each; run once with BENCH_DONE_TASKS=1000 to see that the query counts do not grow
with the history.

Then 50 second-level units (BENCH_DISPATCH_UNITS), each with a document clerk, are the main
recipients of a headquarters document waiting at the dispatch step (set up directly, with a
stand-in PDF); `services.dispatch_send` is timed once, bound 2 s, and must leave one delivery per
unit.

The aim: each list in a bounded number of queries whatever the history; more than 12 on any list,
a clerk's p95 above 100 ms, a dispatch above 2 s, or any answer other than 200, fails the run.
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
CLERK_OPEN_TASKS = int(os.environ.get("BENCH_CLERK_OPEN_TASKS", "5"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "50"))
DISPATCH_UNITS = int(os.environ.get("BENCH_DISPATCH_UNITS", "50"))
USERNAME = "wangjun"
CLERK = "zhaolei"
QUERY_GOAL = 12
CLERK_P95_GOAL_MS = 100
DISPATCH_GOAL_SECONDS = 2
CLERK_PAGES = [
    ("clerk_todo", "/workflow/outgoing/todo/"),
    ("clerk_done", "/workflow/outgoing/done/"),
    ("clerk_done_last_page", "/workflow/outgoing/done/?page=last"),
]
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
        figures = _last_json_line(child(__file__, environment, "measure"))
        figures.update(_last_json_line(child(__file__, environment, "measure-clerk")))
        figures.update(_last_json_line(child(__file__, environment, "dispatch")))
    report(figures)


def _last_json_line(output: str) -> dict:
    return json.loads(output.strip().splitlines()[-1])


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
    breaches += report_clerk(figures, result)
    breaches += report_dispatch(figures["dispatch"], result)
    result["load_average"] = [round(load, 2) for load in os.getloadavg()]
    print(f"load average {result['load_average']}")
    finish("documents", result, breaches)


def report_clerk(figures: dict, result: dict) -> list[str]:
    result["clerk"] = CLERK
    result["clerk_data"] = (
        f"{DONE_TASKS} done incoming and {DONE_TASKS} done outgoing tasks, "
        f"{CLERK_OPEN_TASKS} open of each kind"
    )
    breaches = query_bound_breaches(
        {name: figures[name]["queries"] for name, _path in CLERK_PAGES}, QUERY_GOAL
    )
    for name, path in CLERK_PAGES:
        page = figures[name]
        for key in ("queries", "rows", "total", "median_ms", "p95_ms"):
            result[f"{name}_{key}"] = page[key]
        print(
            f"{name:<22}median {page['median_ms']:7.1f} ms  p95 {page['p95_ms']:7.1f} ms  "
            f"{page['queries']:3d} queries  {page['rows']:3d} rows of {page['total']}  {path}"
        )
        if page["p95_ms"] > CLERK_P95_GOAL_MS:
            breaches.append(f"{name}: p95 {page['p95_ms']} ms, bound {CLERK_P95_GOAL_MS} ms")
    return breaches


def report_dispatch(dispatch: dict, result: dict) -> list[str]:
    result["dispatch_units"] = dispatch["units"]
    result["dispatch_deliveries"] = dispatch["deliveries"]
    result["dispatch_seconds"] = dispatch["seconds"]
    print(
        f"dispatch to {dispatch['units']} units: {dispatch['seconds']:.3f} s, "
        f"{dispatch['deliveries']} deliveries"
    )
    breaches = []
    if dispatch["seconds"] > DISPATCH_GOAL_SECONDS:
        breaches.append(f"dispatch: {dispatch['seconds']} s, bound {DISPATCH_GOAL_SECONDS} s")
    if dispatch["deliveries"] != dispatch["units"]:
        breaches.append(
            f"dispatch: {dispatch['deliveries']} deliveries for {dispatch['units']} units"
        )
    return breaches


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
    add_clerk_history(processes[:past_documents])


def add_clerk_history(past_outgoing: list) -> None:
    """The clerk's past tasks: four on each of the leader's past outgoing documents (a proof sent
    back makes the red-head step twice), two on each of the closed incoming documents; and a few
    open tasks of each kind."""
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from people.models import OrgUnit, User
    from workflow.flows import IncomingFlow, OutgoingFlow
    from workflow.models import IncomingDocument, IncomingProcess, Urgency

    headquarters = OrgUnit.objects.get(code="HQ")
    senders = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.UNIT))
    clerk = User.objects.get(username=CLERK)
    now = timezone.now()
    outgoing_steps = ["numbering", "red_head", "red_head", "dispatch"]
    incoming_steps = ["review", "close"]
    past_incoming = DONE_TASKS // len(incoming_steps)

    def task(process, flow_task, arrived, status=STATUS.DONE):
        return Task(
            process=process,
            flow_task=flow_task,
            flow_task_type="HUMAN",
            status=status,
            owner=clerk,
            created=arrived,
            assigned=arrived,
            finished=arrived + timedelta(hours=2) if status == STATUS.DONE else None,
        )

    with transaction.atomic():
        tasks = []
        outgoing_per_document = DONE_TASKS // len(past_outgoing)
        for n, process in enumerate(past_outgoing):
            for position in range(outgoing_per_document):
                step = outgoing_steps[position % len(outgoing_steps)]
                arrived = now - timedelta(days=730 * n / len(past_outgoing), hours=position)
                tasks.append(task(process, getattr(OutgoingFlow, step), arrived))
        documents = [
            IncomingDocument(
                title=f"基准测试来文第{n + 1}号：关于报送年度安全生产情况的通知",
                urgency=Urgency.URGENT if n % 4 == 0 else Urgency.NORMAL,
                unit=headquarters,
                sender_unit=senders[n % len(senders)],
                received_on=(now - timedelta(days=730 * n / past_incoming)).date(),
                registered_by=clerk,
                status=IncomingDocument.Status.CLOSED
                if n < past_incoming
                else IncomingDocument.Status.IN_PROGRESS,
            )
            for n in range(past_incoming + CLERK_OPEN_TASKS)
        ]
        for document in documents:
            document.save()
        for n, document in enumerate(documents):
            process = IncomingProcess(flow_class=IncomingFlow, document=document, clerk=clerk)
            process.status = STATUS.DONE if n < past_incoming else STATUS.NEW
            process.save()
            if n < past_incoming:
                arrived = now - timedelta(days=730 * n / past_incoming)
                for position, step in enumerate(incoming_steps):
                    flow_task = getattr(IncomingFlow, step)
                    tasks.append(task(process, flow_task, arrived + timedelta(days=position)))
            else:
                arrived = now - timedelta(hours=5 * (n - past_incoming))
                tasks.append(task(process, IncomingFlow.review, arrived, STATUS.ASSIGNED))
        open_outgoing = _documents_at_step(
            CLERK_OPEN_TASKS, clerk=clerk, title="基准测试待编号公文"
        )
        for n, process in enumerate(open_outgoing):
            arrived = now - timedelta(hours=3 * n)
            tasks.append(task(process, OutgoingFlow.numbering, arrived, STATUS.ASSIGNED))
        Task.objects.bulk_create(tasks, batch_size=2000)


def _documents_at_step(count: int, *, clerk, title: str, **values) -> list:
    """`count` headquarters outgoing documents in progress, with their processes (the caller
    adds the open task)."""
    from viewflow.workflow.status import STATUS

    from people.models import OrgUnit, User
    from workflow.flows import OutgoingFlow
    from workflow.models import DocumentType, OutgoingDocument, OutgoingProcess

    headquarters = OrgUnit.objects.get(code="HQ")
    department = OrgUnit.objects.get(code="HQ-RLZY")
    drafter = User.objects.get(username="zhouli")
    processes = []
    for n in range(count):
        document = OutgoingDocument(
            doc_type=DocumentType.NOTICE,
            title=f"{title}第{n + 1}号",
            unit=headquarters,
            drafting_department=department,
            drafter=drafter,
            status=OutgoingDocument.Status.IN_PROGRESS,
            **values,
        )
        document.save()
        process = OutgoingProcess(flow_class=OutgoingFlow, document=document, clerk=clerk)
        process.status = STATUS.NEW
        process.save()
        processes.append(process)
    return processes


def measure() -> None:
    """Print, as one JSON line, each page's queries, rows and sequential requests per second."""
    client = _signed_in(USERNAME)
    figures = {}
    for name, path in PAGES:
        figures[name] = _queries_and_rows(client, path)
        count, started = 0, time.perf_counter()
        while time.perf_counter() - started < SECONDS:
            require_status_ok(path, client.get(path).status_code)
            count += 1
        figures[name]["requests_per_second"] = round(count / (time.perf_counter() - started), 1)
    print(json.dumps(figures))


def measure_clerk() -> None:
    """Print, as one JSON line, the clerk's lists: queries, rows, and median and p95 of
    individually timed requests."""
    import statistics

    client = _signed_in(CLERK)
    figures = {}
    for name, path in CLERK_PAGES:
        figures[name] = _queries_and_rows(client, path)
        timings = []
        for _ in range(SAMPLES):
            started = time.perf_counter()
            status_code = client.get(path).status_code
            timings.append((time.perf_counter() - started) * 1000)
            require_status_ok(path, status_code)
        figures[name]["median_ms"] = round(statistics.median(timings), 1)
        figures[name]["p95_ms"] = round(statistics.quantiles(timings, n=20)[-1], 1)
    print(json.dumps(figures))


def dispatch() -> None:
    """Print, as one JSON line, the time of one dispatch to DISPATCH_UNITS new second-level units
    (each with a document clerk) and the deliveries it made."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.db import transaction
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from people.models import OrgUnit, Role, RoleAssignment, User
    from workflow import services
    from workflow.flows import OutgoingFlow
    from workflow.models import Delivery, DocumentRecipient

    headquarters = OrgUnit.objects.get(code="HQ")
    clerk = User.objects.get(username=CLERK)
    with transaction.atomic():
        units = []
        for n in range(DISPATCH_UNITS):
            unit = headquarters.add_child(
                code=f"BENCH{n:02d}", name=f"基准测试第{n + 1}分公司", kind=OrgUnit.Kind.UNIT
            )
            unit_clerk = User.objects.create(
                username=f"bench-clerk-{n:02d}", name=f"文书{n + 1}", department=unit
            )
            RoleAssignment.objects.create(user=unit_clerk, role=Role.FILE_CLERK, unit=unit)
            units.append(unit)
        pdf = b"%PDF-1.4\n% bench stand-in for the sealed red-head PDF\n%%EOF\n"
        (process,) = _documents_at_step(
            1,
            clerk=clerk,
            title="基准测试分发公文",
            final_pdf_sha256=hashlib.sha256(pdf).hexdigest(),
        )
        document = process.document
        document.final_pdf.save(f"{document.pk}-bench.pdf", ContentFile(pdf))
        DocumentRecipient.objects.bulk_create(
            DocumentRecipient(
                document=document, kind=DocumentRecipient.Kind.MAIN, org_unit=unit, order=n
            )
            for n, unit in enumerate(units)
        )
        task = Task.objects.create(
            process=process,
            flow_task=OutgoingFlow.dispatch,
            flow_task_type="HUMAN",
            status=STATUS.ASSIGNED,
            owner=clerk,
        )
    started = time.perf_counter()
    services.dispatch_send(task=task, user=clerk)
    seconds = round(time.perf_counter() - started, 3)
    deliveries = Delivery.objects.filter(document=document).count()
    print(
        json.dumps(
            {"dispatch": {"units": len(units), "deliveries": deliveries, "seconds": seconds}}
        )
    )


def _signed_in(username: str):
    from django.test import Client

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _queries_and_rows(client, path: str) -> dict:
    """After a warm-up request, one answer's SQL queries and rows (counted at once: the next
    request's new connection clears the query log)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    require_status_ok(path, client.get(path).status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    require_status_ok(path, response.status_code)
    return {"queries": len(queries), **_rows(response)}


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


CHILD_STEPS = {
    "load-demo": load_demo,
    "add-history": add_history,
    "measure": measure,
    "measure-clerk": measure_clerk,
    "dispatch": dispatch,
}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        import django

        django.setup()
        CHILD_STEPS[sys.argv[1]]()
    else:
        main()
