"""collectstatic under production settings: what the intranet never serves is not collected, and
only the hashed files (the names the pages link to) are compressed, source maps not at all."""

from django.apps import apps
from django.contrib.staticfiles.finders import get_finders

from intranet.staticfiles import IntranetStaticFilesStorage


def collected_paths() -> set[str]:
    ignore_patterns = apps.get_app_config("staticfiles").ignore_patterns
    return {path for finder in get_finders() for path, _storage in finder.list(ignore_patterns)}


def test_what_the_intranet_never_serves_is_not_collected():
    paths = collected_paths()

    assert not [path for path in paths if path.startswith("viewflow/js/contrib/")]
    assert not [path for path in paths if path.startswith("viewflow/fonts/simple-icons/")]
    assert "ninja/redoc.standalone.js" not in paths
    # What the viewflow layout and the API documentation link to stays.
    assert {
        "viewflow/css/viewflow.min.css",
        "viewflow/js/viewflow.min.js",
        "viewflow/fonts/material-icons/material-icons.woff2",
        "ninja/swagger-ui-bundle.js",
        "intranet/css/intranet.css",
    } <= paths


def test_only_the_hashed_files_are_compressed(tmp_path):
    storage = IntranetStaticFilesStorage(location=tmp_path, base_url="/static/")
    for name in ("app.css", "app.0123456789ab.css"):
        (tmp_path / name).write_text("body { color: red; }\n" * 200)
    storage.hashed_files = {"app.css": "app.0123456789ab.css"}

    compressed = {
        name for _original, name in storage.compress_files(["app.css", "app.0123456789ab.css"])
    }

    assert compressed == {"app.0123456789ab.css.gz", "app.0123456789ab.css.br"}


def test_source_maps_are_not_compressed(tmp_path):
    storage = IntranetStaticFilesStorage(location=tmp_path, base_url="/static/")
    for name in ("app.0123456789ab.js", "app.js.0123456789ab.map"):
        (tmp_path / name).write_text("var colour = 'red';\n" * 200)
    storage.hashed_files = {
        "app.js": "app.0123456789ab.js",
        "app.js.map": "app.js.0123456789ab.map",
    }

    compressed = {
        name
        for _original, name in storage.compress_files(
            ["app.0123456789ab.js", "app.js.0123456789ab.map"]
        )
    }

    assert compressed == {"app.0123456789ab.js.gz", "app.0123456789ab.js.br"}
