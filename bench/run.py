"""`make bench`: serve the demo with gunicorn under production settings and measure it with wrk.

Prints each figure and writes them to bench/results/<name>.json. Everything runs on loopback, in
bounded runs (DURATION seconds per URL).
"""

import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
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
EXTRA_PEOPLE = int(os.environ.get("BENCH_PEOPLE", "5000"))
# (figure name, URL, account signed in): the pages measured, each against the hello-world view.
PAGES = [
    ("home_page", "/", "heyan"),
    ("directory", "/people/directory/", "heyan"),
    ("directory_search", "/people/directory/?q=zs", "heyan"),
    ("user_admin_list", "/people/admin/users/", "sysadmin"),
]
ADD_PEOPLE = """
from people.models import OrgUnit, User
from people.services import name_initials
departments = list(OrgUnit.objects.filter(kind="department"))
surnames, given = "王李张刘陈杨赵黄周吴", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
people = []
for n in range({count}):
    name = surnames[n % 10] + given[n % 21] + given[(n // 21) % 21]
    people.append(User(username=f"bench{{n:05d}}", name=name, name_initials=name_initials(name),
                       department=departments[n % len(departments)], position="职员"))
User.objects.bulk_create(people, batch_size=1000)
"""


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
    )
    return environment


def manage(environment: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=environment, check=True)


def prepare(environment: dict[str, str]) -> None:
    manage(environment, "migrate", "--no-input", "-v", "0")
    manage(environment, "collectstatic", "--no-input", "-v", "0")
    # Demo data is refused under production settings, so it is loaded with the dev settings
    # into the same database file.
    demo_environment = dict(environment, DJANGO_SETTINGS_MODULE="intranet.settings.dev")
    for command in (["load_demo"], ["shell", "-c", ADD_PEOPLE.format(count=EXTRA_PEOPLE)]):
        subprocess.run(
            [PYTHON, "manage.py", *command],
            cwd=ROOT,
            env=demo_environment,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def start_gunicorn(environment: dict[str, str]) -> subprocess.Popen:
    gunicorn = Path(PYTHON).with_name("gunicorn")
    server = subprocess.Popen(
        [
            str(gunicorn),
            "intranet.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE_URL}/api/health", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def session_cookie(username: str) -> str:
    """Sign in over loopback HTTP. Production cookies are marked Secure, so a cookie jar would keep
    them back over plain HTTP; the headers are handled by hand instead."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
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
        "Referer": f"{BASE_URL}/accounts/login/",
    }
    connection.request("POST", "/accounts/login/", body=form, headers=headers)
    response = connection.getresponse()
    response.read()
    session = _cookie(response, "sessionid")
    if response.status != 302 or not session:
        raise SystemExit(f"could not sign in as the demo user (HTTP {response.status})")
    return f"sessionid={session}"


def _cookie(response: http.client.HTTPResponse, name: str) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or []:
        cookie = http.cookies.SimpleCookie(header)
        if name in cookie:
            return cookie[name].value
    return None


def wrk(path: str, cookie: str) -> float:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "-H",
            f"Cookie: {cookie}",
            f"{BASE_URL}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx or 3xx responses" in result.stdout:
        raise SystemExit(f"{path} answered errors under load:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


def write_result(name: str, figures: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: run `make system-packages`")
    with tempfile.TemporaryDirectory() as workdir:
        environment = bench_environment(Path(workdir) / "bench.sqlite3")
        prepare(environment)
        server = start_gunicorn(environment)
        try:
            cookies = {username: session_cookie(username) for _name, _path, username in PAGES}
            hello = wrk("/hello/", cookies["heyan"])
            pages = {name: wrk(path, cookies[username]) for name, path, username in PAGES}
        finally:
            server.terminate()
            server.wait()
    figures = {
        "server": f"gunicorn, {WORKERS} workers, production settings, SQLite",
        "load": f"wrk, {CONNECTIONS} connections, {DURATION}s per URL",
        "data": f"demo group plus {EXTRA_PEOPLE} extra accounts",
        "hello_world_requests_per_second": hello,
    }
    print(f"{'hello-world view':<22}{hello:10.1f} req/s")
    for name, path, _username in PAGES:
        figures[f"{name}_requests_per_second"] = pages[name]
        figures[f"{name}_to_hello_ratio"] = round(pages[name] / hello, 4)
        print(f"{name:<22}{pages[name]:10.1f} req/s   {pages[name] / hello:6.3f} × hello   {path}")
    write_result("pages", figures)
    print(f"Written to {RESULTS / 'pages.json'}")


if __name__ == "__main__":
    main()
