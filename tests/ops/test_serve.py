"""`lsoplan serve`: gunicorn with production settings answers, and static files come hashed,
compressed and cacheable for a year (collectstatic into STATIC_ROOT, WhiteNoise)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lsoplan.cli import main


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", **headers})
    opener = urllib.request.build_opener(urllib.request.HTTPHandler)
    with opener.open(request, timeout=10) as response:
        return response.status, dict(response.headers), response.read()


def test_serve_runs_gunicorn_with_production_settings(tmp_path: Path) -> None:
    port = _free_port()
    skip = ("LSOPLAN_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skip)} | {
        "LSOPLAN_HOME": str(tmp_path),
        "LSOPLAN_ENV": "production",
        "SECRET_KEY": "serve-test-" + "s" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "LSOPLAN_PROXY_SSL_HEADER": "1",
    }
    subprocess.run([sys.executable, "-m", "lsoplan.cli", "migrate"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [sys.executable, "-m", "lsoplan.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[1].decode()[-2000:]
            try:
                status, headers, body = _get(f"http://127.0.0.1:{port}/konto/logga-in/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
        assert status == 200
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "Secure" in headers["Set-Cookie"]
        assert "Content-Security-Policy" in headers
        css = re.search(rb'href="(/static/lsoplan/site\.[0-9a-f]{12}\.css)"', body)
        assert css, "static files are named by their hash in production"
        status, headers, _ = _get(
            f"http://127.0.0.1:{port}{css.group(1).decode()}", **{"Accept-Encoding": "gzip"}
        )
        assert status == 200 and "max-age=315360000" in headers["Cache-Control"]
        assert headers.get("Content-Encoding") in ("gzip", "br")
        assert (tmp_path / "static" / "staticfiles.json").exists()
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def test_serve_refuses_nonsense_worker_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--workers", "0"]) == 2
    assert "--workers" in capsys.readouterr().err
