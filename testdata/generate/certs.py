#!/usr/bin/env python3
"""Writes the example organisation's certificate stores, the certificate format samples and the
certificate rule fixtures. Run from the repository root; the outputs are committed, so this only
needs to run again when the scenario changes (keys are random, fingerprints change each run).

Needs the `cryptography` package (and `keytool` from a JDK for the JKS sample)."""

import datetime as dt
import os
import subprocess

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from cryptography.x509.oid import NameOID

UTC = dt.timezone.utc


def day(text):
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


def key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn, org="Example Org"):
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def certificate(subject_cn, subject_key, issuer_cert, issuer_key, not_before, not_after, ca=False, serial=None):
    issuer = issuer_cert.subject if issuer_cert is not None else name(subject_cn)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name(subject_cn))
        .issuer_name(issuer)
        .public_key(subject_key.public_key())
        .serial_number(serial or x509.random_serial_number())
        .not_valid_before(day(not_before))
        .not_valid_after(day(not_after))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(subject_cn)]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*certs):
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def crl(issuer_cert, issuer_key, revoked_serials, this_update, next_update):
    builder = x509.CertificateRevocationListBuilder().issuer_name(issuer_cert.subject)
    builder = builder.last_update(day(this_update)).next_update(day(next_update))
    for serial in revoked_serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(day(this_update)).build()
        )
    return builder.sign(issuer_key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM)


def main():
    org = "testdata/example-org/certs"
    root_key = key()
    root = certificate("Example Mesh Root CA", root_key, None, root_key, "2024-01-01", "2034-01-01", ca=True)

    legacy_key = key()
    legacy = certificate("legacy-payments.mesh.example.com", legacy_key, root, root_key, "2025-10-01", "2026-12-31")
    gateway = certificate("old-gateway.mesh.example.com", key(), root, root_key, "2025-06-01", "2026-12-01", serial=0x6A7E)
    write(f"{org}/mesh/trust-bundle.pem", b"# Mesh trust bundle: the root and the pinned workload certificates\n" + pem(root, legacy, gateway))
    write(f"{org}/mesh/crl.pem", crl(root, root_key, [0x6A7E], "2026-09-01", "2026-12-01"))

    frontend = certificate("frontend.web.example.com", key(), root, root_key, "2026-06-01", "2027-06-01")
    write(f"{org}/services/frontend-chain.pem", pem(frontend, root))
    reports = certificate("reports-api.internal.example.com", key(), root, root_key, "2024-01-01", "2025-01-01")
    write(f"{org}/services/reports-api.pem", pem(reports))
    billing = certificate("billing.internal.example.com", key(), root, root_key, "2025-03-01", "2028-03-01")
    write(f"{org}/services/billing.pem", pem(billing))

    # The private key of the retired workload's certificate: the repository fixture commits it.
    write(
        "testdata/repo-fixture/files/legacy-payments.key",
        legacy_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )

    # One store in every container format deprov reads.
    formats = "testdata/certs/formats"
    write(f"{formats}/root.der", root.public_bytes(serialization.Encoding.DER))
    write(f"{formats}/crl.der", x509.load_pem_x509_crl(crl(root, root_key, [0x6A7E], "2026-09-01", "2026-12-01")).public_bytes(serialization.Encoding.DER))
    write(f"{formats}/bundle.p7b", pkcs7.serialize_certificates([root, frontend], serialization.Encoding.DER))
    write(f"{formats}/bundle-p7b.pem", pkcs7.serialize_certificates([root, frontend], serialization.Encoding.PEM))
    write(f"{formats}/store-nopass.p12", pkcs12.serialize_java_truststore([pkcs12.PKCS12Certificate(root, b"root")], serialization.NoEncryption()))
    write(
        f"{formats}/store-changeit.p12",
        pkcs12.serialize_key_and_certificates(b"frontend", None, frontend, [root], serialization.BestAvailableEncryption(b"changeit")),
    )
    jks = f"{formats}/store.jks"
    if os.path.exists(jks):
        os.remove(jks)
    subprocess.run(
        ["keytool", "-importcert", "-noprompt", "-alias", "root", "-file", f"{formats}/root.der",
         "-keystore", jks, "-storepass", "changeit", "-storetype", "JKS"],
        check=True, capture_output=True,
    )

    # Rule fixtures.
    fixtures = "testdata/rules"
    retired_leaf = certificate("old-api.internal.example.com", key(), root, root_key, "2026-01-01", "2027-01-01")
    write(f"{fixtures}/DPV003/fail/certs/bundle.pem", pem(root, retired_leaf))
    write(f"{fixtures}/DPV003/pass/certs/bundle.pem", pem(root))
    revoked = certificate("gw.internal.example.com", key(), root, root_key, "2026-01-01", "2026-12-31", serial=0x1234)
    write(f"{fixtures}/DPV010/fail/certs/bundle.pem", pem(root, revoked))
    write(f"{fixtures}/DPV010/fail/certs/crl.pem", crl(root, root_key, [0x1234], "2026-10-01", "2026-12-01"))
    write(f"{fixtures}/DPV010/pass/certs/bundle.pem", pem(root))
    write(f"{fixtures}/DPV010/pass/certs/crl.pem", crl(root, root_key, [0x1234], "2026-10-01", "2026-12-01"))


if __name__ == "__main__":
    main()
