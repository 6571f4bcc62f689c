//! Vendor format checks: a value that carries a vendor's prefix but fails that vendor's own
//! checksum or structure is a dummy (typed by hand, cut short, edited), not a credential. Each
//! check names the public source of its algorithm; a format no vendor or vendor source code
//! documents is not checked here. Pure functions of the matched value.

use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::{alphabet, Engine};

/// Base64 as tokens write it: padding optional, stray low bits tolerated (a token is judged by
/// its structure, not by its encoder's tidiness).
const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const BASE64_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);
const BASE64_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);

/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320): zlib's `crc32`, Python's
/// `binascii.crc32`, Go's `crc32.ChecksumIEEE`. Bitwise: it only ever runs on matched tokens.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// The value of `digits` in `base` (at most 36), digits `0-9` then `alphabet`'s letters.
fn decode_digits(digits: &[u8], base: u64, digit_value: impl Fn(u8) -> Option<u64>) -> Option<u64> {
    digits.iter().try_fold(0u64, |value, &digit| {
        let d = digit_value(digit).filter(|&d| d < base)?;
        value.checked_mul(base)?.checked_add(d)
    })
}

/// Base62 in the "GMP" order GitHub and npm use: `0-9`, `A-Z`, `a-z`.
fn base62(digits: &[u8]) -> Option<u64> {
    decode_digits(digits, 62, |b| match b {
        b'0'..=b'9' => Some(u64::from(b - b'0')),
        b'A'..=b'Z' => Some(u64::from(b - b'A') + 10),
        b'a'..=b'z' => Some(u64::from(b - b'a') + 36),
        _ => None,
    })
}

/// Lower-case base36, as Ruby's `Integer#to_s(36)` writes it.
fn base36(digits: &[u8]) -> Option<u64> {
    decode_digits(digits, 36, |b| match b {
        b'0'..=b'9' => Some(u64::from(b - b'0')),
        b'a'..=b'z' => Some(u64::from(b - b'a') + 10),
        _ => None,
    })
}

/// The last six characters are the base62 CRC-32 of the characters between the four-character
/// prefix and them, left-padded with `0`. GitHub ("Behind GitHub's new authentication token
/// formats", github.blog, 2021-04-05: "a 32 bit checksum in the last 6 digits of each token
/// … CRC32 … Base62 … leading zeros for padding"); the same check in Samsung/CredSweeper
/// (`filters/value_github_check.py`) and mongodb/kingfisher (`rules/github.yml`), whose sample
/// tokens and the blog's own example verify.
fn base62_crc32_suffix(token: &[u8]) -> bool {
    if token.len() < 4 + 1 + 6 {
        return false;
    }
    let (body, checksum) = token[4..].split_at(token.len() - 4 - 6);
    base62(checksum) == Some(u64::from(crc32(body)))
}

/// `ghp_`, `gho_`, `ghu_` and `ghr_` tokens carry the base62 CRC-32 of their random part
/// ([`base62_crc32_suffix`]). `ghs_` installation tokens are left unchecked: Kingfisher checks
/// every other prefix but not this one, and no real `ghs_` sample was found to confirm it, so a
/// missed dummy is preferred to a missed live token.
pub(crate) fn github_checksum(token: &[u8]) -> bool {
    match token.get(..4) {
        Some(b"ghs_") => true,
        Some(b"ghp_" | b"gho_" | b"ghu_" | b"ghr_") => base62_crc32_suffix(token),
        _ => false,
    }
}

/// npm granular and automation tokens (`npm_` + 36) use GitHub's scheme ("npm has a new access
/// token format", github.blog changelog, 2021-09-23; CredSweeper's `value_github_check.py` and
/// Kingfisher's `rules/npm.yml` check both alike).
pub(crate) fn npm_checksum(token: &[u8]) -> bool {
    token.starts_with(b"npm_") && base62_crc32_suffix(token)
}

/// GitLab routable tokens (`glpat-…`, `glrt-…` since GitLab 17.x/18.x) end in
/// `.<version>.<payload length, 2 base36><CRC-32 of all before, 7 base36>`, per GitLab's
/// generator (`lib/authn/token_field/generator/routable_token.rb`: `encode_payload`,
/// `append_crc`). The base64url payload is 16 random bytes, the routing payload (`k:v` lines)
/// and the routing payload's length in one byte. Older GitLab tokens (a prefix and 20
/// characters) have no checksum and pass unchecked.
///
/// An instance token prefix (`mycompany-glpat-…`, GitLab 18) is part of the checksummed text
/// but may not be part of the match; a token whose checksum fails therefore still passes when
/// its payload decodes to GitLab's routing structure, which no hand-made value has.
pub(crate) fn gitlab_checksum(token: &[u8]) -> bool {
    let Some(dot) = memchr::memrchr(b'.', token) else {
        return true;
    };
    let tail = &token[dot + 1..];
    let routable = tail.len() == 9
        && tail
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
    if !routable {
        return true;
    }
    let (length_field, crc_field) = tail.split_at(2);
    let crc_matches = base36(crc_field) == Some(u64::from(crc32(&token[..token.len() - 7])));
    crc_matches || gitlab_routing_payload(&token[..dot], length_field)
}

/// The base64url payload before `.<version>.` (or directly before the tail, as some runner
/// tokens have it) has the length the tail says and decodes to random bytes, `k:v` routing
/// lines, and their length.
fn gitlab_routing_payload(head: &[u8], length_field: &[u8]) -> bool {
    // `<prefix><payload>.<version>` or `<prefix><payload>`.
    let payload_end = match memchr::memrchr(b'.', head) {
        Some(dot) if head.len() - dot - 1 == 2 => dot,
        _ => head.len(),
    };
    let Some(expected_len) = base36(length_field).and_then(|n| usize::try_from(n).ok()) else {
        return false;
    };
    // The payload starts after the token type's prefix (`glpat-`, and an instance prefix).
    let type_prefix_end = memchr::memchr(b'-', head).map_or(0, |dash| dash + 1);
    let Some(payload_start) = payload_end
        .checked_sub(expected_len)
        .filter(|&start| start >= type_prefix_end)
    else {
        return false;
    };
    let Ok(decoded) = BASE64_URL_SAFE.decode(&head[payload_start..payload_end]) else {
        return false;
    };
    const RANDOM_BYTES: usize = 16;
    let Some((&routing_len, rest)) = decoded.split_last() else {
        return false;
    };
    if rest.len() != RANDOM_BYTES + usize::from(routing_len) || routing_len < 3 {
        return false;
    }
    rest[RANDOM_BYTES..].split(|&b| b == b'\n').all(|line| {
        matches!(line, [b'c' | b'g' | b'o' | b'p' | b'u' | b't', b':', value @ ..] if !value.is_empty())
    })
}

/// Atlassian API tokens (`ATATT3…`, 192 characters) end in the upper-case hex CRC-32 of the
/// characters before it (its `=` included): Samsung/CredSweeper's
/// `filters/value_atlassian_token_check.py` (`check_crc32_struct`); gitleaks'
/// `atlassian-api-token` sample verifies.
pub(crate) fn atlassian_checksum(token: &[u8]) -> bool {
    if token.len() <= 8 {
        return false;
    }
    let (body, checksum) = token.split_at(token.len() - 8);
    let Ok(checksum) = std::str::from_utf8(checksum) else {
        return false;
    };
    u32::from_str_radix(checksum, 16).is_ok_and(|value| value == crc32(body))
}

/// A PyPI API token is `pypi-` and the base64url of a version 2 binary macaroon whose location
/// is `pypi.org` or `test.pypi.org` (pypi/warehouse: `macaroons/services.py` serializes
/// `pymacaroons.Macaroon(location=…, version=MACAROON_V2)` behind `pypi-`). Its header is read
/// as macaroon-rs' `serialization/v2.rs` reads it (version 2, the location, an identifier
/// field, end of section), and room must remain for caveats and a 32-byte signature. The
/// caveats are not read: tokens pasted into tests and issues are often edited inside their
/// caveats and are still the token of someone's account.
pub(crate) fn pypi_macaroon(token: &[u8]) -> bool {
    let Some(body) = token.strip_prefix(b"pypi-") else {
        return false;
    };
    let Ok(bytes) = BASE64_URL_SAFE.decode(body) else {
        return false;
    };
    matches!(
        macaroon_v2_location(&bytes),
        Some(b"pypi.org" | b"test.pypi.org")
    )
}

/// The location of a v2 binary macaroon from its header: version 2, optional location,
/// identifier, end of section; then at least a signature's worth of bytes (tag, length, 32).
fn macaroon_v2_location(bytes: &[u8]) -> Option<&[u8]> {
    const EOS: u8 = 0;
    const LOCATION: u8 = 1;
    const IDENTIFIER: u8 = 2;
    const SIGNATURE_FIELD: usize = 1 + 1 + 32;
    let mut reader = Reader { bytes, at: 0 };
    if reader.byte()? != 2 {
        return None;
    }
    let mut location = None;
    let mut tag = reader.byte()?;
    if tag == LOCATION {
        location = Some(reader.field()?);
        tag = reader.byte()?;
    }
    if tag != IDENTIFIER || reader.field()?.is_empty() || reader.byte()? != EOS {
        return None;
    }
    (bytes.len() - reader.at >= SIGNATURE_FIELD).then_some(location?)
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn byte(&mut self) -> Option<u8> {
        let byte = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(byte)
    }

    /// A field: its length as an unsigned LEB128 varint, then that many bytes.
    fn field(&mut self) -> Option<&'b [u8]> {
        let mut len = 0usize;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            len |= usize::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                let field = self.bytes.get(self.at..self.at.checked_add(len)?)?;
                self.at += len;
                return Some(field);
            }
        }
        None
    }
}

/// An AWS KMS ciphertext blob (what `Encrypt` and `GenerateDataKey` return, base64 in files):
/// AWS documents a cleartext header holding the backing-key identifier, not its layout. Every
/// public blob read for this check has the same one: `01 02 0x 00` (base64 `AQICAH`/`AQIBAH`),
/// 33 bytes of key reference, 16 bytes, a 4-byte big-endian length of what follows, and there
/// a DER `SEQUENCE` opening with the PKCS #7 `encryptedData` OID. A blob cut short, or a string
/// that merely starts like one, fails.
pub(crate) fn aws_kms_ciphertext(value: &[u8]) -> bool {
    const HEADER_LEN: usize = 54;
    const PKCS7_ENCRYPTED_DATA: &[u8] = &[
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06,
    ];
    let decoded = if value.iter().any(|&b| b == b'-' || b == b'_') {
        BASE64_URL_SAFE.decode(value)
    } else {
        BASE64_STANDARD.decode(value)
    };
    let Ok(bytes) = decoded else {
        return false;
    };
    if !matches!(bytes.get(..4), Some([0x01, 0x02, 0x01 | 0x02, 0x00])) {
        return false;
    }
    let Some(length) = bytes.get(HEADER_LEN..HEADER_LEN + 4) else {
        return false;
    };
    let length = u32::from_be_bytes([length[0], length[1], length[2], length[3]]);
    let der = &bytes[HEADER_LEN + 4..];
    if usize::try_from(length).ok() != Some(der.len()) || der.first() != Some(&0x30) {
        return false;
    }
    // The SEQUENCE's length: short form, or long form in one or two bytes.
    let content = match der.get(1) {
        Some(&len) if len < 0x80 => 2,
        Some(0x81) => 3,
        Some(0x82) => 4,
        _ => return false,
    };
    der.get(content..)
        .is_some_and(|rest| rest.starts_with(PKCS7_ENCRYPTED_DATA))
}

/// An Azure storage account key is 64 random bytes in base64 (88 characters). The Azurite
/// emulator's development key (`devstoreaccount1`), published in Microsoft's documentation
/// ("Use the Azurite emulator for local Azure Storage development", Authorization for tools
/// and SDKs) and in every SDK, opens no real account: it is not a finding. It is written here
/// in two halves so that this file holds no key.
pub(crate) fn azure_storage_key(value: &[u8]) -> bool {
    const AZURITE_HEAD: &[u8] = b"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu";
    const AZURITE_TAIL: &[u8] = b"Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    let azurite = value.len() == AZURITE_HEAD.len() + AZURITE_TAIL.len()
        && value.starts_with(AZURITE_HEAD)
        && value.ends_with(AZURITE_TAIL);
    !azurite
        && BASE64_STANDARD
            .decode(value)
            .is_ok_and(|key| key.len() == 64)
}

/// Test-only: a token of `prefix` and `random` with its valid GitHub/npm checksum.
#[cfg(test)]
pub(crate) fn with_base62_crc32(prefix: &str, random: &str) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut value = u64::from(crc32(random.as_bytes()));
    let mut checksum = [b'0'; 6];
    for slot in checksum.iter_mut().rev() {
        *slot = DIGITS[(value % 62) as usize];
        value /= 62;
    }
    format!("{prefix}{random}{}", String::from_utf8_lossy(&checksum))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn github_and_npm_checksums() {
        // GitHub's blog example and CredSweeper's test vector (31 zeros).
        let blog = ["gh", "p_zQWBuTSOoRi4A9spHcVY5ncnsDkxkJ", "0mLq17"].concat();
        assert!(github_checksum(blog.as_bytes()));
        let zeros = ["np", "m_", &"0".repeat(31), "4WZ4EQ"].concat();
        assert!(npm_checksum(zeros.as_bytes()));
        let made = with_base62_crc32("gho_", "Q4p9vKx2mWz7LbN3rT8cY1dF6hJ0sA");
        assert!(github_checksum(made.as_bytes()));
        // One character changed, or the checksum of another token.
        let edited = made.replacen('Q', "R", 1);
        assert!(!github_checksum(edited.as_bytes()));
        assert!(!github_checksum(
            b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
        ));
        let npm = with_base62_crc32("npm_", "Q4p9vKx2mWz7LbN3rT8cY1dF6hJ0sA");
        assert!(npm_checksum(npm.as_bytes()));
        assert!(!npm_checksum(npm.replacen('Q', "R", 1).as_bytes()));
        // Installation tokens are not checked; other prefixes are not GitHub's.
        assert!(github_checksum(b"ghs_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"));
        assert!(!github_checksum(b"gha_"));
    }

    #[test]
    fn gitlab_routable_tokens() {
        // Kingfisher's sample: a valid checksum over a payload that is not GitLab's.
        let sample = ["glp", "at-vSY1cyL948aAB440qB6L4zlu9OzsUmEV.01.0w0sfevch"].concat();
        assert!(gitlab_checksum(sample.as_bytes()));
        assert!(!gitlab_checksum(sample.replace("vSY1", "vSY2").as_bytes()));
        // Older tokens have no checksum.
        assert!(gitlab_checksum(
            ["glp", "at-MBE25UheeiLGsZqGuzN8"].concat().as_bytes()
        ));
        // A token GitLab's way (16 random bytes, `o:1a`, its length), with an instance prefix
        // that is outside the match: the checksum fails, the structure holds.
        let mut payload = vec![7u8; 16];
        payload.extend(b"c:1\no:1a");
        payload.push(8);
        let body = BASE64_URL_SAFE.encode(&payload);
        let encoded = format!(
            "mycompany-glpat-{body}.01.{:0>2}",
            radix36(body.len() as u64)
        );
        let full = format!(
            "{encoded}{:0>7}",
            radix36(u64::from(crc32(encoded.as_bytes())))
        );
        assert!(gitlab_checksum(full.as_bytes()));
        let matched = &full["mycompany-".len()..];
        assert!(gitlab_checksum(matched.as_bytes()));
        let short = format!("glpat-{}.01.{}", &body[4..], &full[full.len() - 9..]);
        assert!(!gitlab_checksum(short.as_bytes()));
        let typed = ["glp", "at-abcdefghijklmnopqrstuvwxyz0123456.01.0w0sfevch"].concat();
        assert!(!gitlab_checksum(typed.as_bytes()));
    }

    fn radix36(mut value: u64) -> String {
        let mut digits = Vec::new();
        while value > 0 {
            digits.push(b"0123456789abcdefghijklmnopqrstuvwxyz"[(value % 36) as usize]);
            value /= 36;
        }
        digits.reverse();
        String::from_utf8(digits).unwrap_or_default()
    }

    #[test]
    fn atlassian_checksum_covers_the_equals_sign() {
        let body = ["ATA", "TT3xFfGF0", &"k7Qm2".repeat(35), "=Z"].concat();
        let token = format!("{body}{:08X}", crc32(body.as_bytes()));
        assert!(atlassian_checksum(token.as_bytes()));
        let lower_hex = format!("{body}{:08x}", crc32(body.as_bytes()));
        assert!(atlassian_checksum(lower_hex.as_bytes()));
        assert!(!atlassian_checksum(token.replacen('k', "j", 1).as_bytes()));
    }

    fn field(tag: u8, value: &[u8], out: &mut Vec<u8>) {
        out.push(tag);
        out.push(u8::try_from(value.len()).unwrap());
        out.extend(value);
    }

    fn macaroon(location: &[u8], caveats: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![2];
        field(1, location, &mut out);
        field(2, b"5793529b-b2a6-4108-974d-3423b6a05b3b", &mut out);
        out.push(0);
        for caveat in caveats {
            field(2, caveat, &mut out);
            out.push(0);
        }
        out.push(0);
        field(6, &[9u8; 32], &mut out);
        out
    }

    #[test]
    fn pypi_tokens_are_whole_macaroons_of_pypi() {
        let token = |bytes: &[u8]| format!("pypi-{}", BASE64_URL_SAFE.encode(bytes));
        let good = macaroon(b"pypi.org", &[br#"{"version": 1, "permissions": "user"}"#]);
        assert!(pypi_macaroon(token(&good).as_bytes()));
        assert!(pypi_macaroon(
            token(&macaroon(b"test.pypi.org", &[])).as_bytes()
        ));
        assert!(!pypi_macaroon(
            token(&macaroon(b"example.org", &[])).as_bytes()
        ));
        // Cut inside its header, or with no room left for a signature.
        let header = macaroon(b"pypi.org", &[]);
        assert!(!pypi_macaroon(token(&header[..12]).as_bytes()));
        let no_signature = header.len() - 34;
        assert!(!pypi_macaroon(token(&header[..no_signature]).as_bytes()));
        assert!(!pypi_macaroon(b"pypi-"));
        // Edited inside its caveats (as in scanners' own tests): still a PyPI token.
        let mut edited = good.clone();
        let caveat = edited.len() - 40;
        edited.splice(caveat..caveat, *b"testtest");
        assert!(pypi_macaroon(token(&edited).as_bytes()));
    }

    fn kms_blob(plaintext_len: usize) -> Vec<u8> {
        let mut der = vec![
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x06,
        ];
        der.extend(vec![0x5a; 40 + plaintext_len]);
        let mut sequence = vec![0x30];
        match der.len() {
            len @ 0..=0x7f => sequence.push(len as u8),
            len => sequence.extend([0x81, len as u8]),
        }
        sequence.extend(der);
        let mut blob = vec![0x01, 0x02, 0x02, 0x00, 0x78];
        blob.extend([0x33; 49]);
        blob.extend((sequence.len() as u32).to_be_bytes());
        blob.extend(sequence);
        blob
    }

    #[test]
    fn kms_ciphertext_blobs() {
        for len in [4, 120] {
            let blob = kms_blob(len);
            assert!(aws_kms_ciphertext(BASE64_STANDARD.encode(&blob).as_bytes()));
            assert!(aws_kms_ciphertext(BASE64_URL_SAFE.encode(&blob).as_bytes()));
            assert!(!aws_kms_ciphertext(
                BASE64_STANDARD.encode(&blob[..blob.len() - 3]).as_bytes()
            ));
        }
        let mut wrong_header = kms_blob(4);
        wrong_header[2] = 0x07;
        assert!(!aws_kms_ciphertext(
            BASE64_STANDARD.encode(&wrong_header).as_bytes()
        ));
        assert!(!aws_kms_ciphertext(b"AQICAHhAAAAA"));
    }

    #[test]
    fn azure_storage_keys_are_64_bytes_and_not_azurites() {
        let key = BASE64_STANDARD.encode([0x4du8; 64]);
        assert!(azure_storage_key(key.as_bytes()));
        assert!(!azure_storage_key(
            BASE64_STANDARD.encode([0x4du8; 63]).as_bytes()
        ));
        let azurite = [
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu",
            "Fq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        ]
        .concat();
        assert!(!azure_storage_key(azurite.as_bytes()));
    }
}
