"""HTTPS for ``dosewise serve --tls``: a self-signed certificate kept in the data folder, or a given pair.

The certificate is made once (ECDSA P-256, valid for VALID_DAYS from the Dosewise clock) for the host names and
addresses the server answers as, and reused while it is valid and covers them; otherwise a new one replaces
it. The private key is written 0600 in the 0700 data folder (dosewise.private). Its SHA-256 fingerprint is
printed at start, so a phone or another computer can be checked against it the first time it connects
(a self-signed certificate is trusted by comparing that fingerprint, not by a certificate authority).
Nothing is downloaded: ``cryptography`` makes the key and certificate locally.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from dosewise.errors import InvalidInput
from dosewise.private import private_dir, write_private
from dosewise.services.runtime import now_utc

CERT_FILE = "tls-certificate.pem"
KEY_FILE = "tls-key.pem"
VALID_DAYS = 365
RENEW_BEFORE = timedelta(days=7)  # a certificate this close to its end is replaced at start
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class ServerCertificate:
    """The certificate and key files uvicorn is given, and the fingerprint to show."""

    cert: Path
    key: Path
    fingerprint: str  # SHA-256 of the certificate (DER), as AB:CD:...
    created: bool  # made by this call (False: reused, or given by the person)
    not_after: datetime


def names_for(host: str) -> list[str]:
    """The names and addresses a server listening on ``host`` answers as (loopback names always included)."""
    host = host.strip("[]")
    names = [host] if host not in ("0.0.0.0", "::") else []
    return list(dict.fromkeys([*names, *LOOPBACK_NAMES]))


def fingerprint_of(cert_pem: bytes) -> str:
    """Return the SHA-256 fingerprint of a PEM certificate as colon-separated hex pairs."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    digest = x509.load_pem_x509_certificate(cert_pem).fingerprint(hashes.SHA256())
    return ":".join(f"{b:02X}" for b in digest)


def _covers(cert_pem: bytes, names: list[str], now: datetime) -> bool:
    """Whether the certificate is still valid (not near its end) and names every one of ``names``."""
    from cryptography import x509

    try:
        cert = x509.load_pem_x509_certificate(cert_pem)
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    listed = {*san.get_values_for_type(x509.DNSName), *(str(ip) for ip in san.get_values_for_type(x509.IPAddress))}
    fresh = cert.not_valid_before_utc <= now <= cert.not_valid_after_utc - RENEW_BEFORE
    return fresh and all(_canonical(n) in listed for n in names)


def _canonical(name: str) -> str:
    try:
        return str(ipaddress.ip_address(name))
    except ValueError:
        return name.lower()


def _make(names: list[str], now: datetime) -> tuple[bytes, bytes]:
    """Return (certificate PEM, private key PEM) of a new self-signed ECDSA P-256 certificate for ``names``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dosewise (self-signed)"),
            x509.NameAttribute(NameOID.COMMON_NAME, names[0][:64]),
        ]
    )
    alt: list[x509.GeneralName] = []
    for name in names:
        try:
            alt.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            alt.append(x509.DNSName(name.lower()))
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName(alt), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem


def _not_after(cert_pem: bytes) -> datetime:
    from cryptography import x509

    return x509.load_pem_x509_certificate(cert_pem).not_valid_after_utc


def self_signed(data_dir: Path, host: str, *, now: datetime | None = None) -> ServerCertificate:
    """Return the data folder's certificate for ``host``, making it (key 0600) when missing, ending or too narrow."""
    now = now or now_utc()
    folder = private_dir(Path(data_dir))
    cert_path, key_path = folder / CERT_FILE, folder / KEY_FILE
    names = names_for(host)
    if cert_path.is_file() and key_path.is_file():
        cert_pem = cert_path.read_bytes()
        if _covers(cert_pem, names, now):
            key_path.chmod(0o600)
            return ServerCertificate(cert_path, key_path, fingerprint_of(cert_pem), False, _not_after(cert_pem))
    cert_pem, key_pem = _make(names, now)
    write_private(key_path, key_pem)
    write_private(cert_path, cert_pem)
    return ServerCertificate(cert_path, key_path, fingerprint_of(cert_pem), True, _not_after(cert_pem))


def given_pair(cert: Path, key: Path) -> ServerCertificate:
    """Check a certificate and key the person gives (``--cert`` / ``--key``); return them with the fingerprint."""
    from cryptography.hazmat.primitives import serialization

    for path, what in ((cert, "certificate"), (key, "key")):
        if not path.is_file():
            raise InvalidInput(f"No {what} file at {path}.", field=what)
    try:
        cert_pem = cert.read_bytes()
        fingerprint = fingerprint_of(cert_pem)
        serialization.load_pem_private_key(key.read_bytes(), password=None)
    except (ValueError, TypeError):
        raise InvalidInput(
            "The certificate or key could not be read: give a PEM certificate and its unencrypted PEM key.",
            field="cert",
        ) from None
    return ServerCertificate(cert, key, fingerprint, False, _not_after(cert_pem))
