#!/usr/bin/env python3
"""Writes the PKCS#12 files of testdata/certs/formats whose MAC is keyed with OpenSSL's NULL
password (zero bytes into the key derivation), as `PKCS12_create(NULL, ...)` does: what
pyOpenSSL and other callers of OpenSSL's API write for "no password". `openssl pkcs12 -export
-passout pass:` writes the other form, the empty BMPString (`store-emptypass.p12`).

Run from the repository root; needs OpenSSL 3's libcrypto. The outputs are committed.

    store-nullpass.p12       certificate bag under PBES2 (AES-256-CBC, PBKDF2): OpenSSL's default
    store-nullpass-3des.p12  certificate bag under pbeWithSHAAnd3-KeyTripleDES-CBC (PBES1)
"""

import ctypes

NID_PBE_SHA1_3DES = 146
DEFAULT = 0

lib = ctypes.CDLL("libcrypto.so.3")
lib.d2i_X509.restype = ctypes.c_void_p
lib.d2i_X509.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long]
lib.PKCS12_create.restype = ctypes.c_void_p
lib.PKCS12_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p,
                              ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                              ctypes.c_int, ctypes.c_int]
lib.i2d_PKCS12.restype = ctypes.c_int
lib.i2d_PKCS12.argtypes = [ctypes.c_void_p, ctypes.c_void_p]


def write(certificate_der, out, cert_pbe):
    buffer = ctypes.c_char_p(certificate_der)
    cert = lib.d2i_X509(None, ctypes.cast(ctypes.pointer(buffer), ctypes.c_void_p), len(certificate_der))
    assert cert, "not a DER certificate"
    # No password (NULL), the friendly name, no key, the certificate, no chain; default key
    # encryption, iterations and MAC iterations.
    p12 = lib.PKCS12_create(None, b"svc-root", None, cert, None, 0, cert_pbe, 0, 0, 0)
    assert p12, "PKCS12_create failed"
    size = lib.i2d_PKCS12(p12, None)
    der = ctypes.create_string_buffer(size)
    lib.i2d_PKCS12(p12, ctypes.pointer(ctypes.cast(der, ctypes.c_void_p)))
    with open(out, "wb") as f:
        f.write(der.raw[:size])


root = open("testdata/certs/formats/root.der", "rb").read()
write(root, "testdata/certs/formats/store-nullpass.p12", DEFAULT)
write(root, "testdata/certs/formats/store-nullpass-3des.p12", NID_PBE_SHA1_3DES)
