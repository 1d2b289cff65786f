"""dosewise serve: loopback only (no accounts yet), the demo person in an empty database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from dosewise.cli.commands.serve import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host, loopback):
    assert is_loopback(host) is loopback


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(tmp_path, *args: str) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DOSEWISE_DATA_DIR": str(tmp_path / "served"), "DOSEWISE_TIMEZONE": "UTC"}
    env.pop("DOSEWISE_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dosewise", "serve", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return proc, env["DOSEWISE_DATA_DIR"]


def _get(url: str, attempts: int = 150) -> str:
    for _ in range(attempts):
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                return r.read().decode()
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server did not answer at {url}")


def test_serve_loads_the_demo_into_an_empty_database_and_prints_its_address(tmp_path):
    port = _free_port()
    proc, _ = _start(tmp_path, "--port", str(port), "--load-demo-if-empty")
    try:
        page = _get(f"http://127.0.0.1:{port}/today")
        assert "DEMO DATA" in page
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert f"http://127.0.0.1:{port}/" in out
    assert "WARNING" not in err


def test_serve_refuses_an_address_other_machines_can_reach(tmp_path):
    proc, data_dir = _start(tmp_path, "--host", "0.0.0.0", "--port", str(_free_port()))
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1
    assert "will not listen on 0.0.0.0" in err and "nobody has an account" in err and "--host 127.0.0.1" in err
    assert "Traceback" not in err and "running at" not in out


def test_serve_refuses_a_busy_port(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc, _ = _start(tmp_path, "--port", str(port))
        out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1 and "port is in use" in err
