"""LDAP/AD login (django-auth-ldap) against a real, throwaway OpenLDAP server.

The session starts its own slapd on a free loopback port; the settings come from
intranet/settings/ldap.py read with a test environment, so the tests cover that module too.
"""

import importlib
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import ldap
import pytest
from django.conf import settings as django_settings
from django.test import Client

from intranet.settings.environment import EnvironmentSettingError
from people.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SLAPD = Path("/usr/sbin/slapd")
SUFFIX = "dc=xietong,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
ROOT_PASSWORD = "slapd-root-2026"
PEOPLE_BASE = f"ou=people,{SUFFIX}"
LDAP_PASSWORD = "Ldap-pass-2026"
LOGIN_URL = "/accounts/login/"

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {root}/data
"""


@dataclass(frozen=True)
class Directory:
    uri: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bind_as_root(uri: str):
    connection = ldap.initialize(uri)
    connection.set_option(ldap.OPT_NETWORK_TIMEOUT, 2)
    connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
    return connection


def start_slapd(root: Path) -> tuple[subprocess.Popen, str]:
    """Start slapd on a free port and wait until it accepts a bind; retry if the port was taken."""
    log_path = root / "slapd.log"
    for _ in range(3):
        uri = f"ldap://127.0.0.1:{free_port()}/"
        with log_path.open("ab") as log:
            # -d keeps slapd in the foreground, so the fixture owns the process and can stop it.
            process = subprocess.Popen(
                [str(SLAPD), "-d", "0", "-h", uri, "-f", str(root / "slapd.conf")],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 20
        while process.poll() is None and time.monotonic() < deadline:
            try:
                bind_as_root(uri).unbind_s()
                return process, uri
            except ldap.SERVER_DOWN:
                time.sleep(0.1)
        process.kill()
        process.wait()
    pytest.fail(f"slapd did not start; its log:\n{log_path.read_text()[-2000:]}", pytrace=False)


def add_entry(connection, dn: str, attributes: dict[str, str | list[str]]) -> None:
    entry = [
        (name, [v.encode() for v in ([value] if isinstance(value, str) else value)])
        for name, value in attributes.items()
    ]
    connection.add_s(dn, entry)


@pytest.fixture(scope="session")
def directory(tmp_path_factory):
    if not SLAPD.exists():
        pytest.fail(
            f"The LDAP login tests need OpenLDAP's server at {SLAPD}: install the Debian "
            "packages slapd and ldap-utils (the Makefile does).",
            pytrace=False,
        )
    root = tmp_path_factory.mktemp("slapd")
    (root / "data").mkdir()
    (root / "slapd.conf").write_text(
        SLAPD_CONF.format(root=root, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD)
    )
    process, uri = start_slapd(root)
    try:
        connection = bind_as_root(uri)
        add_entry(
            connection,
            SUFFIX,
            {"objectClass": ["dcObject", "organization"], "dc": "xietong", "o": "Xietong"},
        )
        add_entry(connection, PEOPLE_BASE, {"objectClass": "organizationalUnit", "ou": "people"})
        add_entry(
            connection,
            f"uid=wangfang,{PEOPLE_BASE}",
            {
                "objectClass": "inetOrgPerson",
                "uid": "wangfang",
                "cn": "王芳",
                "sn": "王",
                "displayName": "王芳（生产部）",
                "mail": "wangfang@xietong.test",
                "mobile": "13800000001",
                "userPassword": LDAP_PASSWORD,
            },
        )
        connection.unbind_s()
        yield Directory(uri=uri)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load_ldap_settings(monkeypatch, environment: dict[str, str]):
    """intranet/settings/ldap.py as it reads the given environment."""
    for name in [
        "LDAP_BIND_DN",
        "LDAP_BIND_PASSWORD",
        "LDAP_USER_SEARCH_BASE",
        "LDAP_USER_FILTER",
        "LDAP_ATTR_NAME",
        "LDAP_START_TLS",
        "LDAP_CA_FILE",
        "LDAP_ALWAYS_UPDATE_USER",
    ]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("intranet.settings.ldap", None)
    try:
        return importlib.import_module("intranet.settings.ldap")
    finally:
        sys.modules.pop("intranet.settings.ldap", None)


@pytest.fixture
def ldap_login(directory, monkeypatch, settings):
    """Switch LDAP login on against the test directory, with extra environment if given."""

    def switch_on(**environment):
        module = load_ldap_settings(
            monkeypatch,
            {
                "LDAP_SERVER_URI": directory.uri,
                "LDAP_BIND_DN": ROOT_DN,
                "LDAP_BIND_PASSWORD": ROOT_PASSWORD,
                "LDAP_USER_SEARCH_BASE": PEOPLE_BASE,
                **environment,
            },
        )
        for name in dir(module):
            if name.startswith("AUTH_LDAP_") or name == "AUTHENTICATION_BACKENDS":
                setattr(settings, name, getattr(module, name))

    return switch_on


def sign_in(username: str, password: str) -> tuple[Client, object]:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(LOGIN_URL, {"username": username, "password": password})
    return client, response


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def test_a_directory_user_signs_in_and_gets_a_local_account(ldap_login, portal):
    ldap_login()

    client, response = sign_in("wangfang", LDAP_PASSWORD)

    assert response.status_code == 302
    user = signed_in_user(client)
    assert user.username == "wangfang"
    assert (user.name, user.email, user.mobile) == ("王芳", "wangfang@xietong.test", "13800000001")
    assert user.department is None and not user.has_usable_password()
    assert client.get("/people/profile/").status_code == 200


def test_the_name_attribute_is_configurable_and_refreshed_at_each_sign_in(ldap_login, portal):
    UserFactory(username="wangfang", name="旧名字", email="old@example.invalid")
    ldap_login(LDAP_ATTR_NAME="displayName")

    client, _ = sign_in("wangfang", LDAP_PASSWORD)

    user = signed_in_user(client)
    assert (user.name, user.email) == ("王芳（生产部）", "wangfang@xietong.test")


def test_a_wrong_directory_password_is_refused(ldap_login, portal):
    ldap_login()

    client, response = sign_in("wangfang", "not-the-password")

    assert response.status_code == 200 and signed_in_user(client) is None
    assert not User.objects.filter(username="wangfang").exists()


def test_a_local_account_still_signs_in_with_its_local_password(ldap_login, staff, password):
    ldap_login()

    client, response = sign_in(staff.username, password)

    assert response.status_code == 302 and signed_in_user(client) == staff


def test_directory_failures_count_towards_the_lockout(ldap_login, portal):
    ldap_login()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in("wangfang", "not-the-password")

    client, response = sign_in("wangfang", LDAP_PASSWORD)

    assert response.status_code == 429 and signed_in_user(client) is None


def test_an_active_directory_filter_is_used_for_the_search(ldap_login, portal):
    # The test directory has no sAMAccountName; searching on mail proves the filter is honoured.
    ldap_login(LDAP_USER_FILTER="(mail=%(user)s@xietong.test)")

    client, _ = sign_in("wangfang", LDAP_PASSWORD)

    assert signed_in_user(client).username == "wangfang"


def test_tls_settings_come_from_the_environment(monkeypatch):
    module = load_ldap_settings(
        monkeypatch,
        {
            "LDAP_SERVER_URI": "ldap://dc1.corp.example:389",
            "LDAP_USER_SEARCH_BASE": "DC=corp,DC=example",
            "LDAP_START_TLS": "true",
            "LDAP_CA_FILE": "/etc/ssl/certs/corp-ca.pem",
        },
    )
    assert module.AUTH_LDAP_START_TLS is True
    options = module.AUTH_LDAP_CONNECTION_OPTIONS
    assert options[ldap.OPT_X_TLS_CACERTFILE] == "/etc/ssl/certs/corp-ca.pem"
    assert list(options)[-1] == ldap.OPT_X_TLS_NEWCTX


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"LDAP_SERVER_URI": "ldap://h"}, "LDAP_USER_SEARCH_BASE"),
        (
            {"LDAP_SERVER_URI": "dc1.corp.example", "LDAP_USER_SEARCH_BASE": "o=x"},
            "LDAP_SERVER_URI",
        ),
        (
            {
                "LDAP_SERVER_URI": "ldap://h",
                "LDAP_USER_SEARCH_BASE": "o=x",
                "LDAP_USER_FILTER": "(uid=x)",
            },
            "LDAP_USER_FILTER",
        ),
    ],
)
def test_a_bad_ldap_environment_names_the_variable(monkeypatch, environment, variable):
    with pytest.raises(EnvironmentSettingError) as error:
        load_ldap_settings(monkeypatch, environment)
    assert error.value.variable == variable
