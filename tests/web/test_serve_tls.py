"""dosewise serve --tls: a self-signed certificate made once in the data folder (key 0600), its fingerprint
printed, HTTPS answered; --cert/--key serve a given pair; cookies are Secure under TLS."""

from __future__ import annotations

import os
import socket
import ssl
import stat
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from cryptography import x509

from dosewise.services import tls
from tests.conftest import NOW

X509_V_FLAG_NO_CHECK_TIME = 0x200000  # OpenSSL >= 1.1.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_certificate_is_made_once_with_a_private_key_and_reused(tmp_path):
    first = tls.self_signed(tmp_path, "127.0.0.1", now=NOW)
    assert first.created
    assert stat.S_IMODE(first.key.stat().st_mode) == 0o600
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o700
    cert = x509.load_pem_x509_certificate(first.cert.read_bytes())
    assert cert.not_valid_after_utc - cert.not_valid_before_utc >= timedelta(days=365)
    assert cert.public_key().curve.name == "secp256r1"  # ECDSA P-256
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in san.get_values_for_type(x509.DNSName)
    assert {str(ip) for ip in san.get_values_for_type(x509.IPAddress)} >= {"127.0.0.1", "::1"}
    assert len(first.fingerprint.split(":")) == 32

    again = tls.self_signed(tmp_path, "localhost", now=NOW + timedelta(days=30))
    assert not again.created
    assert again.fingerprint == first.fingerprint


def test_certificate_is_replaced_near_its_end_or_for_a_new_name(tmp_path):
    first = tls.self_signed(tmp_path, "127.0.0.1", now=NOW)
    assert tls.self_signed(tmp_path, "127.0.0.1", now=NOW + timedelta(days=362)).fingerprint != first.fingerprint
    wider = tls.self_signed(tmp_path, "dosewise.home.arpa", now=NOW + timedelta(days=362))
    assert wider.created
    cert = x509.load_pem_x509_certificate(wider.cert.read_bytes())
    assert "dosewise.home.arpa" in cert.extensions.get_extension_for_class(
        x509.SubjectAlternativeName
    ).value.get_values_for_type(x509.DNSName)


def test_a_given_pair_that_cannot_be_read_is_a_clear_error(tmp_path):
    (tmp_path / "c.pem").write_text("not a certificate")
    (tmp_path / "k.pem").write_text("not a key")
    with pytest.raises(Exception, match="could not be read"):
        tls.given_pair(tmp_path / "c.pem", tmp_path / "k.pem")


def _serve(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, dict[str, str]]:
    env = {
        **os.environ,
        "DOSEWISE_DATA_DIR": str(tmp_path / "served"),
        "DOSEWISE_TIMEZONE": "UTC",
        "DOSEWISE_NOW": NOW.isoformat(),
    }
    env.pop("DOSEWISE_DATABASE_URL", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dosewise", "serve", "--load-demo-if-empty", "--no-reminders", *args],
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    return proc, env


def _get_https(url: str, cafile: Path) -> httpx.Response:
    context = ssl.create_default_context(cafile=str(cafile))  # trust exactly this certificate (and check the name)
    # The certificate's validity starts at the test clock (NOW), not today: OpenSSL is told not to compare it
    # with the machine's clock, so this test does not depend on today's date.
    context.verify_flags |= X509_V_FLAG_NO_CHECK_TIME
    for _ in range(300):
        try:
            return httpx.get(url, verify=context, timeout=5)
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"server did not answer at {url}")


def test_serve_tls_answers_https_prints_the_fingerprint_and_sets_secure_cookies(tmp_path):
    port = _free_port()
    proc, env = _serve(tmp_path, "--tls", "--port", str(port))
    cert_path = Path(env["DOSEWISE_DATA_DIR"]) / tls.CERT_FILE
    try:
        for _ in range(300):
            if cert_path.exists() and (Path(env["DOSEWISE_DATA_DIR"]) / tls.KEY_FILE).exists():
                break
            time.sleep(0.2)
        answer = _get_https(f"https://127.0.0.1:{port}/today", cert_path)
        assert answer.status_code == 200
        assert "DEMO DATA" in answer.text
        cookies = answer.headers.get_list("set-cookie")
        assert cookies and all("secure" in c.lower() for c in cookies)
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=20)
    fingerprint = tls.fingerprint_of(cert_path.read_bytes())
    assert fingerprint in out.replace("\n", "")
    assert f"https://127.0.0.1:{port}/" in out
    assert "Traceback" not in err
    assert stat.S_IMODE((Path(env["DOSEWISE_DATA_DIR"]) / tls.KEY_FILE).stat().st_mode) == 0o600


def test_serve_with_a_given_certificate_and_key(tmp_path):
    pair = tls.self_signed(tmp_path / "mine", "127.0.0.1", now=NOW)
    port = _free_port()
    proc, env = _serve(tmp_path, "--port", str(port), "--cert", str(pair.cert), "--key", str(pair.key))
    try:
        assert _get_https(f"https://127.0.0.1:{port}/today", pair.cert).status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=20)
    assert pair.fingerprint in out.replace("\n", "")
    assert not (Path(env["DOSEWISE_DATA_DIR"]) / tls.CERT_FILE).exists()  # nothing made when a pair is given


def test_serve_refuses_a_certificate_without_its_key(tmp_path):
    pair = tls.self_signed(tmp_path / "mine", "127.0.0.1", now=NOW)
    proc, _ = _serve(tmp_path, "--port", str(_free_port()), "--cert", str(pair.cert))
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1
    assert "--key" in err and "Traceback" not in err


def test_tls_still_refuses_an_address_other_machines_can_reach(tmp_path):
    proc, _ = _serve(tmp_path, "--tls", "--host", "0.0.0.0", "--port", str(_free_port()))
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 1
    assert "will not listen on 0.0.0.0" in err
