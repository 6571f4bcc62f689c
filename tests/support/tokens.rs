//! Fake GitHub and npm tokens with a valid checksum, assembled at run time: deprov drops a
//! `ghp_`/`gho_`/`ghu_`/`ghr_`/`npm_` token whose last six characters are not the base62 CRC-32
//! of its random part, as a dummy. Shared by the integration tests and the benchmarks, whose
//! sources hold no token (callers pass the prefix in pieces).
#![allow(dead_code)]

/// `prefix`, `random`, and the base62 (`0-9A-Za-z`) CRC-32 of `random` in six characters.
pub fn checksummed(prefix: &str, random: &str) -> String {
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut crc = !0u32;
    for &byte in random.as_bytes() {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    let mut value = u64::from(!crc);
    let mut checksum = [b'0'; 6];
    for digit in checksum.iter_mut().rev() {
        *digit = DIGITS[(value % 62) as usize];
        value /= 62;
    }
    format!("{prefix}{random}{}", String::from_utf8_lossy(&checksum))
}

/// A classic personal access token (`ghp_` + 36) of the 30 characters `random`.
pub fn github_classic(random: &str) -> String {
    checksummed(&["gh", "p_"].concat(), random)
}
