"""The Elasticsearch connection options read from the environment."""

import pytest

from intranet.settings.environment import EnvironmentSettingError, elasticsearch_options_from_env

VARIABLES = [
    "ELASTICSEARCH_USERNAME",
    "ELASTICSEARCH_PASSWORD",
    "ELASTICSEARCH_CA_CERTS",
    "ELASTICSEARCH_SERVER_MODE",
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)


def test_defaults_to_stack_mode_without_credentials():
    assert elasticsearch_options_from_env() == {"server_mode": "stack"}


def test_credentials_ca_and_serverless_mode(monkeypatch, tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----")
    monkeypatch.setenv("ELASTICSEARCH_USERNAME", "xietong")
    monkeypatch.setenv("ELASTICSEARCH_PASSWORD", "secret")
    monkeypatch.setenv("ELASTICSEARCH_CA_CERTS", str(ca))
    monkeypatch.setenv("ELASTICSEARCH_SERVER_MODE", "Serverless")
    assert elasticsearch_options_from_env() == {
        "basic_auth": ("xietong", "secret"),
        "ca_certs": str(ca),
        "server_mode": "serverless",
    }


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"ELASTICSEARCH_USERNAME": "xietong"}, "ELASTICSEARCH_PASSWORD"),
        ({"ELASTICSEARCH_PASSWORD": "secret"}, "ELASTICSEARCH_USERNAME"),
        ({"ELASTICSEARCH_CA_CERTS": "/no/such/ca.pem"}, "ELASTICSEARCH_CA_CERTS"),
        ({"ELASTICSEARCH_SERVER_MODE": "cloud"}, "ELASTICSEARCH_SERVER_MODE"),
    ],
)
def test_malformed_settings_name_the_variable(monkeypatch, variables, named):
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(EnvironmentSettingError) as error:
        elasticsearch_options_from_env()
    assert error.value.variable == named
