"""`make bench`: serve the demo with gunicorn under production settings and measure it with wrk.

Prints each figure and writes them to bench/results/pages.json. Everything runs on loopback, in
bounded runs (DURATION seconds per URL).
"""

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.harness import (  # noqa: E402
    CONNECTIONS,
    DURATION,
    WORKERS,
    BenchFailed,
    bench_environment,
    finish,
    load_demo,
    manage,
    session_cookie,
    start_gunicorn,
    wrk,
)

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


def prepare(environment: dict[str, str]) -> None:
    manage(environment, "migrate", "--no-input", "-v", "0")
    manage(environment, "collectstatic", "--no-input", "-v", "0")
    load_demo(environment)
    demo_environment = dict(environment, DJANGO_SETTINGS_MODULE="intranet.settings.dev")
    manage(demo_environment, "shell", "-c", ADD_PEOPLE.format(count=EXTRA_PEOPLE), quiet=True)


def main() -> None:
    if not shutil.which("wrk"):
        raise BenchFailed("wrk is not installed: run `make system-packages`")
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
    finish("pages", figures)


if __name__ == "__main__":
    main()
