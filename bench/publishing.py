"""Publishing pages under load: the personal home page, news lists and notices.

Run from the repository root: `.venv/bin/python bench/publishing.py`. Builds a temporary SQLite
database with the demo group plus EXTRA_NEWS news and EXTRA_NOTICES notices (mixed audiences, pins
and expiry), serves it with gunicorn as bench/run.py does, signs in as an ordinary employee and
measures each page with wrk against the hello-world view. The SQL queries of each page for that
employee are counted in-process (Django's test client on the same database, after a warm-up
request). Writes bench/results/publishing.json. The aim: the home page at 0.2 of hello-world or
better; more than 15 queries on the home page fails the run.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    DURATION,
    PYTHON,
    WORKERS,
    BenchFailed,
    bench_environment,
    finish,
    load_demo,
    manage,
    query_bound_breaches,
    require_status_ok,
    session_cookie,
    start_gunicorn,
    wrk,
)

EXTRA_NEWS = int(os.environ.get("BENCH_NEWS", "2000"))
EXTRA_NOTICES = int(os.environ.get("BENCH_NOTICES", "500"))
USERNAME = "heyan"  # ordinary staff of 拖拉机公司: sees group-wide and own-unit notices
HOME_GOAL_RATIO = 0.2
HOME_GOAL_QUERIES = 15
PAGES = [
    ("home_page", "/"),
    ("news_center", "/news/"),
    ("news_column", "/news/group-news/"),
    ("notices", "/notices/"),
    ("news_api", "/api/news"),
    ("notices_api", "/api/notices"),
]
# Org nodes the extra notices are addressed to, in turn; None: the whole group.
NOTICE_AUDIENCES = [None, "TLJ", "DLI", None, "ZDA", "HQ-BGS", "TLJ-SCB", "DLI-SCB"]


def main() -> None:
    if not shutil.which("wrk"):
        raise BenchFailed("wrk is not installed: run `make system-packages`")
    with tempfile.TemporaryDirectory() as workdir:
        environment = bench_environment(Path(workdir) / "bench.sqlite3")
        prepare(environment)
        queries = measured_in_process(environment)
        server = start_gunicorn(environment)
        try:
            cookie = session_cookie(USERNAME)
            hello = wrk("/hello/", cookie)
            rates = {name: wrk(path, cookie) for name, path in PAGES}
        finally:
            server.terminate()
            server.wait()
    report(hello, rates, queries)


def prepare(environment: dict[str, str]) -> None:
    manage(environment, "migrate", "--no-input", "-v", "0")
    manage(environment, "collectstatic", "--no-input", "-v", "0")
    load_demo(environment)
    child(dict(environment, DJANGO_SETTINGS_MODULE="intranet.settings.dev"), "add-content")


def child(environment: dict[str, str], command: str) -> str:
    """Run one step of this script in its own process, with Django set up for `environment`."""
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), command],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def measured_in_process(environment: dict[str, str]) -> dict:
    testing = dict(environment, ALLOWED_HOSTS=f"{environment['ALLOWED_HOSTS']},testserver")
    return json.loads(child(testing, "count-queries").strip().splitlines()[-1])


def report(hello: float, rates: dict[str, float], queries: dict) -> None:
    figures = {
        "server": f"gunicorn, {WORKERS} workers, production settings, SQLite",
        "load": f"wrk, {CONNECTIONS} connections, {DURATION}s per URL",
        "data": f"demo group plus {EXTRA_NEWS} news and {EXTRA_NOTICES} notices",
        "user": USERNAME,
        "hello_world_requests_per_second": hello,
        "goal": f"home page ≥ {HOME_GOAL_RATIO} × hello-world with ≤ {HOME_GOAL_QUERIES} queries",
    }
    print(f"{'hello-world view':<16}{hello:10.1f} req/s")
    for name, path in PAGES:
        ratio = rates[name] / hello
        count = queries[name]["count"]
        figures[f"{name}_requests_per_second"] = rates[name]
        figures[f"{name}_to_hello_ratio"] = round(ratio, 4)
        figures[f"{name}_queries"] = count
        rate = rates[name]
        print(f"{name:<16}{rate:10.1f} req/s  {ratio:6.3f} × hello  {count:3d} queries  {path}")
    figures["home_page_queries_by_table"] = queries["home_page"]["tables"]
    home_met = figures["home_page_to_hello_ratio"] >= HOME_GOAL_RATIO
    figures["home_page_goal_met"] = home_met
    tables = ", ".join(f"{table} {n}" for table, n in queries["home_page"]["tables"].items())
    print(f"home page queries by table: {tables}")
    print(f"goal (home page ≥ {HOME_GOAL_RATIO} × hello-world): {'met' if home_met else 'not met'}")
    breaches = query_bound_breaches({"home_page": figures["home_page_queries"]}, HOME_GOAL_QUERIES)
    finish("publishing", figures, breaches)


# Steps run inside Django (child processes)


def add_content() -> None:
    """Extra news spread over the demo columns and extra notices with mixed audiences."""
    from datetime import datetime, time, timedelta

    from django.db import transaction
    from django.utils import timezone
    from wagtail.images import get_image_model
    from wagtail.rich_text import RichText

    from home.models import NewsColumnPage, NewsPage, NoticeIndexPage, NoticePage
    from people.models import OrgUnit

    today = timezone.localdate()
    columns = list(NewsColumnPage.objects.live().order_by("path"))
    images = list(get_image_model().objects.order_by("pk"))
    notice_index = NoticeIndexPage.objects.get()
    units = {unit.code: unit for unit in OrgUnit.objects.all()}
    departments = [units[code] for code in ("HQ-BGS", "HQ-RLZY", "HQ-CWB", "HQ-XXZX")]

    def published(days_ago: int) -> datetime:
        return timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(9)))

    with transaction.atomic():
        for number in range(EXTRA_NEWS):
            days_ago = number % 60
            columns[number % len(columns)].add_child(
                instance=NewsPage(
                    title=f"基准测试新闻第{number + 1}号：生产经营动态",
                    slug=f"bench-news-{number:05d}",
                    news_date=today - timedelta(days=days_ago),
                    summary="各单位围绕全年目标任务，扎实推进安全生产和提质增效工作。",
                    body=[("paragraph", RichText("<p>基准测试正文。</p>"))],
                    cover_image=images[number % len(images)] if number % 3 == 0 else None,
                    first_published_at=published(days_ago),
                    last_published_at=published(days_ago),
                )
            )
        for number in range(EXTRA_NOTICES):
            audience = NOTICE_AUDIENCES[number % len(NOTICE_AUDIENCES)]
            notice_index.add_child(
                instance=NoticePage(
                    title=f"基准测试通知第{number + 1}号",
                    slug=f"bench-notice-{number:05d}",
                    issuing_department=departments[number % len(departments)],
                    audience=NoticePage.Audience.CHOSEN
                    if audience
                    else NoticePage.Audience.EVERYONE,
                    audience_units=[units[audience]] if audience else [],
                    priority=number % 3,
                    pinned_until=today + timedelta(days=5) if number % 100 == 0 else None,
                    expires_on=today - timedelta(days=1) if number % 7 == 3 else None,
                    body="<p>请各单位按要求认真落实。</p>",
                    first_published_at=published(number % 90),
                    last_published_at=published(number % 90),
                )
            )


def count_queries() -> None:
    """Print, as one JSON line, the queries each page costs the bench user once warmed up."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from people.models import User

    client = Client()
    client.force_login(User.objects.get(username=USERNAME))
    counts = {}
    for name, path in PAGES:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        require_status_ok(path, response.status_code)
        tables = Counter(_first_table(query["sql"]) for query in queries.captured_queries)
        counts[name] = {"count": len(queries), "tables": dict(tables.most_common())}
    print(json.dumps(counts))


def _first_table(sql: str) -> str:
    match = re.search(r'\b(?:FROM|INTO|UPDATE)\s+"([^"]+)"', sql)
    return match.group(1) if match else sql.split()[0]


CHILD_STEPS = {"add-content": add_content, "count-queries": count_queries}

if __name__ == "__main__":
    if len(sys.argv) > 1:
        import django

        django.setup()
        CHILD_STEPS[sys.argv[1]]()
    else:
        main()
