"""Where files live, from the environment: MEDIA_ROOT on disk, or an S3-compatible bucket."""

import pytest

from intranet.settings.environment import EnvironmentSettingError, storages_from_env

S3 = {"S3_BUCKET": "xietong", "S3_ENDPOINT_URL": "http://10.0.0.5:9000"}


@pytest.fixture
def environment(monkeypatch):
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL", "S3_MEDIA_HOST", "S3_URL_EXPIRE_SECONDS"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_without_a_bucket_files_stay_on_disk_and_private_ones_have_no_url(environment):
    storages = storages_from_env()

    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert storages["private"]["BACKEND"] == "core.storage.PrivateMediaStorage"


def test_with_a_bucket_private_files_get_their_own_prefix_and_only_signed_urls(environment):
    for name, value in S3.items():
        environment.setenv(name, value)

    storages = storages_from_env()

    private = storages["private"]["OPTIONS"]
    assert storages["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (private["location"], private["querystring_expire"]) == ("private", 300)
    assert "custom_domain" not in private
    assert private["file_overwrite"] is False
    assert storages["default"]["OPTIONS"]["location"] == "media"


def test_images_link_to_the_intranet_host_when_the_proxy_publishes_them(environment):
    for name, value in {**S3, "S3_MEDIA_HOST": "oa.example.com/media"}.items():
        environment.setenv(name, value)

    storages = storages_from_env()

    default = storages["default"]["OPTIONS"]
    assert (default["custom_domain"], default["querystring_auth"]) == (
        "oa.example.com/media",
        False,
    )
    assert "custom_domain" not in storages["private"]["OPTIONS"]


def test_a_malformed_endpoint_is_named(environment):
    environment.setenv("S3_BUCKET", "xietong")
    environment.setenv("S3_ENDPOINT_URL", "10.0.0.5:9000")

    with pytest.raises(EnvironmentSettingError, match="S3_ENDPOINT_URL"):
        storages_from_env()
