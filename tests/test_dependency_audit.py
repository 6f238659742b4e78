"""CI's dependency audit (tools/audit_dependencies.py) against a local stand-in for PyPI."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "tools" / "audit_dependencies.py"

# What the stand-in knows: per project (the newest release) and, for one, per release.
PROJECTS = {
    "oldlib": {"info": {"version": "2.0"}, "vulnerabilities": []},
    "leaky": {"info": {"version": "1.0"}, "vulnerabilities": [
        {"id": "GHSA-leak", "fixed_in": ["1.0.1"], "withdrawn": None},
        {"id": "PYSEC-nofix", "fixed_in": [], "withdrawn": None},
        {"id": "PYSEC-gone", "fixed_in": ["1.1"], "withdrawn": "2026-01-01"},
    ]},
    "unfixed": {"info": {"version": "3.0"}, "vulnerabilities": [{"id": "CVE-x", "fixed_in": []}]},
}  # fmt: skip
RELEASES = {("oldlib", "1.0"): {"info": {"version": "1.0"}, "vulnerabilities": [
    {"id": "GHSA-old", "fixed_in": ["1.5"]}
]}}  # fmt: skip


class _Index(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        parts = self.path.strip("/").split("/")
        body = None
        if len(parts) == 3 and parts[0] == "pypi":
            body = PROJECTS.get(parts[1])
        elif len(parts) == 4 and parts[0] == "pypi":
            body = RELEASES.get((parts[1], parts[2]))
        if body is None:
            self.send_error(404)
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        """Quiet: the tests read the script's output, not the server's."""


@pytest.fixture(scope="module")
def index() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _audit(index: str, *packages: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(SCRIPT), "--index-url", index, "--timeout", "5"]
    for package in packages:
        args += ["--package", package]
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def test_a_vulnerability_with_a_fix_fails_the_audit(index: str) -> None:
    result = _audit(index, "leaky==1.0", "oldlib==2.0")
    assert result.returncode == 1
    assert "VULNERABLE leaky 1.0: GHSA-leak (fixed in 1.0.1)" in result.stdout
    assert "warning: leaky 1.0: PYSEC-nofix (no fix released yet)" in result.stdout
    assert "PYSEC-gone" not in result.stdout


def test_an_older_release_is_looked_up_by_its_own_version(index: str) -> None:
    result = _audit(index, "oldlib==1.0")
    assert result.returncode == 1
    assert "VULNERABLE oldlib 1.0: GHSA-old (fixed in 1.5)" in result.stdout


def test_no_fixable_vulnerability_passes_and_says_what_was_not_audited(index: str) -> None:
    result = _audit(index, "unfixed==3.0", "oldlib==2.0", "elsewhere==0.1", "leaky==0.9")
    assert result.returncode == 0
    assert "warning: unfixed 3.0: CVE-x (no fix released yet)" in result.stdout
    assert (
        "not audited (2; not the newest release, or not on the index): elsewhere 0.1, leaky 0.9"
        in result.stdout
    )
    assert "audited 2 of 4 packages" in result.stdout


def test_when_no_advisory_source_answers_the_audit_fails(index: str) -> None:
    result = _audit(index, "elsewhere==0.1")
    assert result.returncode == 2
    assert "nothing was audited" in result.stderr
