#!/usr/bin/env python3
"""Writes testdata/certs/formats/bundle-ber.p7b: `bundle.p7b` (DER, from certs.py) re-encoded in
the layout NSS and Windows write certificate bundles in (Firefox/Chrome "export chain", the
Windows certificate export wizard): the ContentInfo, its [0], the SignedData and the empty
encapsulated content with indefinite lengths (`30 80 … 00 00`), the certificates as they are.

Run from the repository root; the output is committed. The other BER sample,
`signed-stream-ber.p7m`, is OpenSSL's own streaming output (see README.md)."""


def tlv(data, at):
    """(tag, header length, content length) of the DER element at `at`."""
    tag = data[at]
    first = data[at + 1]
    if first < 0x80:
        return tag, 2, first
    n = first & 0x7F
    return tag, 2 + n, int.from_bytes(data[at + 2:at + 2 + n], "big")


def elements(data, start, end):
    at = start
    while at < end:
        tag, header, length = tlv(data, at)
        yield tag, data[at:at + header + length], at + header, at + header + length
        at += header + length


def indefinite(tag, content):
    return bytes([tag, 0x80]) + content + b"\x00\x00"


der = open("testdata/certs/formats/bundle.p7b", "rb").read()
_, header, length = tlv(der, 0)
(oid_tag, oid, _, _), (_, _, explicit_start, explicit_end) = list(elements(der, header, header + length))
_, sd_header, sd_length = tlv(der, explicit_start)
signed_data = []
for tag, whole, start, end in elements(der, explicit_start + sd_header, explicit_start + sd_header + sd_length):
    if tag == 0x30:  # encapContentInfo: { data OID } with no content
        signed_data.append(indefinite(0x30, der[start:end]))
    else:  # version, digestAlgorithms, certificates [0], signerInfos: as they are
        signed_data.append(whole)
ber = indefinite(0x30, oid + indefinite(0xA0, indefinite(0x30, b"".join(signed_data))))
open("testdata/certs/formats/bundle-ber.p7b", "wb").write(ber)
