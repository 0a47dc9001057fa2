"""What every bench script shares: a throwaway environment, a gunicorn server, signing in, wrk,
and the verdict. A figure is only worth writing down if every measured answer was a 200 and the
bounds held; anything else ends the run with a non-zero exit, after the figures are written.
"""

import http.client
import http.cookies
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
DURATION = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
BASE_URL = f"http://127.0.0.1:{PORT}"
DEMO_PASSWORD = "Xietong@2026"
ONLY_OK_SCRIPT = Path(__file__).resolve().with_name("only_ok.lua")


class BenchFailed(SystemExit):
    """The run measured something other than what it claims: exit non-zero with the reason."""

    def __init__(self, reason: str):
        super().__init__(f"bench failed: {reason}")


def bench_environment(database: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="intranet.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(database.parent / "media"),
        SECURE_SSL_REDIRECT="false",
        LOG_LEVEL="WARNING",
        # Several gunicorn workers share one cache, as production requires; a run's own prefix.
        CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"),
        CACHE_KEY_PREFIX=f"bench-{secrets.token_hex(4)}",
    )
    return environment


def setup_in_process_django(workdir: str) -> None:
    """Django in this process, on a throwaway SQLite database and media folder under `workdir`,
    with the test settings (the in-process benches build their data with the factories)."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="intranet.settings.test",
        DATABASE_URL=f"sqlite:///{Path(workdir) / 'bench.sqlite3'}",
        MEDIA_ROOT=str(Path(workdir) / "media"),
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()


def manage(environment: dict[str, str], *args: str, quiet: bool = False) -> None:
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def load_demo(environment: dict[str, str]) -> None:
    """Demo data is refused under production settings, so it is loaded with the dev settings
    into the same database file."""
    manage(
        dict(environment, DJANGO_SETTINGS_MODULE="intranet.settings.dev"), "load_demo", quiet=True
    )


def child(script: str, environment: dict[str, str], step: str, *args: str) -> str:
    """Run one step of a bench script in its own process, with Django set up for `environment`;
    the step's output is returned."""
    result = subprocess.run(
        [PYTHON, str(Path(script).resolve()), step, *args],
        cwd=ROOT,
        env=environment,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return result.stdout


def start_gunicorn(
    environment: dict[str, str],
    *,
    app: str = "intranet.wsgi",
    port: int = PORT,
    ready_path: str = "/api/health",
) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            app,
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready_path}", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server  # answering at all: a signed-out request may be refused
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise BenchFailed("gunicorn did not start")


def session_cookie(username: str, base_url: str = BASE_URL) -> str:
    """Sign in over loopback HTTP. Production cookies are marked Secure, so a cookie jar would keep
    them back over plain HTTP; the headers are handled by hand instead."""
    connection = _connection(base_url)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    csrf_cookie = _cookie(response, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = urllib.parse.urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={csrf_cookie}",
        "Referer": f"{base_url}/accounts/login/",
    }
    connection.request("POST", "/accounts/login/", body=form, headers=headers)
    response = connection.getresponse()
    response.read()
    session = _cookie(response, "sessionid")
    if response.status != 302 or not session:
        raise BenchFailed(f"could not sign in as {username} (HTTP {response.status})")
    # A browser keeps the CSRF cookie, rotated at the sign-in, and sends it with every page.
    return f"sessionid={session}; csrftoken={_cookie(response, 'csrftoken') or csrf_cookie}"


def _connection(base_url: str) -> http.client.HTTPConnection:
    address = urllib.parse.urlsplit(base_url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=30)


def _cookie(response: http.client.HTTPResponse, name: str) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie(header)
        if name in cookie:
            return cookie[name].value
    return None


def require_ok(path: str, cookie: str, base_url: str = BASE_URL) -> None:
    """One request with the session, redirects not followed: anything but a 200 (an expired
    session answers with the login page's redirect) means a figure would measure the wrong page."""
    connection = _connection(base_url)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        location = response.headers.get("Location")
        where = f" to {location}" if location else ""
        raise BenchFailed(f"{path} answered HTTP {response.status}{where} instead of 200")


def wrk(path: str, cookie: str, base_url: str = BASE_URL, seconds: int = DURATION) -> float:
    """Requests per second of `path` under wrk; the session must give a 200 before and after,
    and every answer under load must be a 200."""
    require_ok(path, cookie, base_url)
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            # A slow 200 is an answer to measure, not a socket error (wrk's default is 2 s).
            "--timeout",
            "30s",
            "-s",
            str(ONLY_OK_SCRIPT),
            "-H",
            f"Cookie: {cookie}",
            f"{base_url}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    not_ok = int(re.search(r"responses_not_200: (\d+)", result.stdout).group(1))
    socket_errors = int(re.search(r"socket_errors: (\d+)", result.stdout).group(1))
    if not_ok or socket_errors:
        raise BenchFailed(
            f"{path} under load: {not_ok} answers other than 200, {socket_errors} socket errors"
            f"\n{result.stdout}"
        )
    require_ok(path, cookie, base_url)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def require_status_ok(path: str, status_code: int) -> None:
    """The same rule for in-process measurements (Django's test client)."""
    if status_code != 200:
        raise BenchFailed(f"{path} answered HTTP {status_code} instead of 200")


def query_bound_breaches(counts: dict[str, int], bound: int) -> list[str]:
    return [
        f"{name}: {count} queries, bound {bound}" for name, count in counts.items() if count > bound
    ]


def finish(name: str, figures: dict, failures: list[str] = ()) -> None:
    """Write the figures to bench/results/<name>.json, then fail the run if a bound was broken."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    print(f"Written to {path.relative_to(ROOT)}")
    if failures:
        raise BenchFailed("; ".join(failures))


# Content the page benches add to the demo (run inside Django)


def add_people(count: int) -> None:
    """`count` extra accounts spread over the departments, with Chinese names."""
    from people.models import OrgUnit, User
    from people.services import name_initials

    departments = list(OrgUnit.objects.filter(kind="department"))
    surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
    people = []
    for n in range(count):
        name = surnames[n % 10] + given[n % 21] + given[(n // 21) % 21]
        people.append(
            User(
                username=f"bench{n:05d}",
                name=name,
                name_initials=name_initials(name),
                department=departments[n % len(departments)],
                position="职员",
            )
        )
    User.objects.bulk_create(people, batch_size=1000)


def seed_category(items: int):
    """A knowledge category "bench" below the demo's rules holding `items` articles and files
    of four units, one in ten superseded; returns the category."""
    from django.db import transaction
    from django.utils import timezone

    from knowledge.models import (
        KnowledgeArticlePage,
        KnowledgeCategoryPage,
        KnowledgeFilePage,
        KnowledgeItemPage,
    )
    from people.models import OrgUnit

    rules = KnowledgeCategoryPage.objects.get(slug="rules")
    units = list(OrgUnit.objects.filter(code__in=["HQ", "TLJ", "DLI", "ZDA"]))
    now = timezone.now()
    with transaction.atomic(), _page_indexing_paused(KnowledgeArticlePage, KnowledgeFilePage):
        category = rules.add_child(
            instance=KnowledgeCategoryPage(title="基准测试分类", slug="bench", live=True)
        )
        # Seeding 5,000 pages through add_child takes minutes; the tree fields are set here
        # directly (as add_child would set them) and the parent's child count once at the end.
        for number in range(items):
            model = KnowledgeArticlePage if number % 2 else KnowledgeFilePage
            slug = f"item-{number:05d}"
            model(
                title=f"基准条目{number:05d}",
                draft_title=f"基准条目{number:05d}",
                slug=slug,
                path=KnowledgeCategoryPage._get_path(category.path, category.depth + 1, number + 1),
                depth=category.depth + 1,
                numchild=0,
                url_path=f"{category.url_path}{slug}/",
                locale_id=category.locale_id,
                live=True,
                first_published_at=now - timezone.timedelta(minutes=number),
                last_published_at=now,
                owner_unit=units[number % len(units)],
                keywords="基准,测试",
                view_count=number % 97,
                download_count=number % 13,
            ).save(clean=False)
        KnowledgeCategoryPage.objects.filter(pk=category.pk).update(numchild=items)
        category.refresh_from_db()
        seeded = KnowledgeItemPage.objects.child_of(category).order_by("path")
        successor = seeded.first()
        seeded.filter(pk__in=list(seeded.values_list("pk", flat=True)[1::10])).update(
            validity=KnowledgeItemPage.Validity.SUPERSEDED, superseded_by=successor
        )
    return category


@contextmanager
def _page_indexing_paused(*models):
    """Wagtail's own search index and reference index are not what is measured here; updating
    them for every seeded page would make seeding take minutes."""
    from django.db.models.signals import post_save
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    for model in models:
        post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in models:
            post_save.connect(post_save_signal_handler, sender=model)
