"""The bench only writes down figures of pages that answered 200, and fails when a bound breaks."""

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench import harness


class _Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    answered = 0

    def do_GET(self):
        type(self).answered += 1
        if self.path == "/ok" or (self.path == "/expires" and type(self).answered == 1):
            self._answer(200)
        else:
            self._answer(302, {"Location": "/accounts/login/?next=" + self.path})

    def _answer(self, status, headers=None):
        body = b"page"
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Pages.answered = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_page_answering_200_passes_the_session_check(server):
    harness.require_ok("/ok", "sessionid=x", server)


def test_a_redirect_fails_the_session_check(server):
    with pytest.raises(harness.BenchFailed, match="HTTP 302 to /accounts/login/"):
        harness.require_ok("/login-redirect", "sessionid=x", server)


needs_wrk = pytest.mark.skipif(not shutil.which("wrk"), reason="wrk is not installed")


@needs_wrk
def test_wrk_measures_a_page_answering_200(server):
    assert harness.wrk("/ok", "sessionid=x", server, seconds=1) > 0


@needs_wrk
def test_redirects_under_load_fail_the_run(server):
    """The session gives a 200 once, then every answer is the login redirect: wrk alone counts
    3xx as successes, so the figure would measure the login page."""
    with pytest.raises(harness.BenchFailed, match="answers other than 200"):
        harness.wrk("/expires", "sessionid=x", server, seconds=1)


def test_query_counts_above_their_bound_are_breaches():
    breaches = harness.query_bound_breaches({"todo": 12, "done": 13}, 12)
    assert breaches == ["done: 13 queries, bound 12"]


def test_a_breach_fails_the_run_after_the_figures_are_written(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    with pytest.raises(SystemExit) as failed:
        harness.finish("documents", {"done_queries": 13}, ["done: 13 queries, bound 12"])
    assert failed.value.code != 0
    assert "done: 13 queries" in str(failed.value.code)
    written = json.loads((tmp_path / "results" / "documents.json").read_text())
    assert written == {"done_queries": 13}


def test_figures_within_their_bounds_are_written_and_pass(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "RESULTS", tmp_path / "results")
    monkeypatch.setattr(harness, "ROOT", tmp_path)
    harness.finish("pages", {"home_page_requests_per_second": 50.0})
    assert (tmp_path / "results" / "pages.json").exists()
