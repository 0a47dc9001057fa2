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
    )
    return environment


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
    return f"sessionid={session}"


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
