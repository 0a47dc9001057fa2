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
DEMO_USER = ("heyan", "Xietong@2026")


def bench_environment(database: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        DJANGO_SETTINGS_MODULE="intranet.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=f"sqlite:///{database}",
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
    subprocess.run(
        [PYTHON, "manage.py", "load_demo"],
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


def session_cookie() -> str:
    """Sign in over loopback HTTP. Production cookies are marked Secure, so a cookie jar would keep
    them back over plain HTTP; the headers are handled by hand instead."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    csrf_cookie = _cookie(response, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    form = urllib.parse.urlencode(
        {"username": DEMO_USER[0], "password": DEMO_USER[1], "csrfmiddlewaretoken": token.group(1)}
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
            cookie = session_cookie()
            hello = wrk("/hello/", cookie)
            home = wrk("/", cookie)
        finally:
            server.terminate()
            server.wait()
    figures = {
        "server": f"gunicorn, {WORKERS} workers, production settings, SQLite",
        "load": f"wrk, {CONNECTIONS} connections, {DURATION}s per URL, signed in as {DEMO_USER[0]}",
        "hello_world_requests_per_second": hello,
        "home_page_requests_per_second": home,
        "home_to_hello_ratio": round(home / hello, 4),
    }
    write_result("home_page", figures)
    print(f"Hello-world view : {hello:10.1f} req/s")
    print(f"Portal home page : {home:10.1f} req/s")
    print(f"Home / hello     : {home / hello:10.3f}  (1 : {hello / home:.1f})")
    print(f"Written to {RESULTS / 'home_page.json'}")


if __name__ == "__main__":
    main()
