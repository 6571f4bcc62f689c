//! Whether content is binary, decided by what it is rather than by one byte. Git's rule (a NUL in
//! the first 8 KiB) let one planted NUL hide every secret of a text file; here content is binary
//! when it starts with the signature of a binary format and holds bytes no text holds, or when
//! a tenth of its sample is such bytes, of varied values. A signature alone (a few bytes anyone
//! can put in front of a text file) does not make text binary, nor does padding of one or a few
//! repeated values, however long. UTF-16 text, with or without a byte-order mark, is text.

/// How much of the content is looked at.
pub const SAMPLE: usize = 8192;

/// Signatures of formats whose content is compressed, encoded or machine code: a secret in them is
/// not text a detector can read. `(offset, magic, what)`.
const SIGNATURES: &[(usize, &[u8], &str)] = &[
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"\xFF\xD8\xFF", "JPEG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"RIFF", "RIFF media (WebP, WAV, AVI)"),
    (0, b"II*\x00", "TIFF image"),
    (0, b"MM\x00*", "TIFF image"),
    (0, b"\x00\x00\x01\x00", "icon"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive (also JAR, DOCX, XLSX, APK)"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\x1F\x8B", "gzip data"),
    (0, b"BZh", "bzip2 data"),
    (0, b"\xFD7zXZ\x00", "xz data"),
    (0, b"\x28\xB5\x2F\xFD", "zstd data"),
    (0, b"7z\xBC\xAF\x27\x1C", "7-Zip archive"),
    (0, b"Rar!\x1A\x07", "RAR archive"),
    (257, b"ustar", "tar archive"),
    (0, b"\x7FELF", "ELF executable"),
    (0, b"MZ", "Windows executable"),
    (0, b"\xCF\xFA\xED\xFE", "Mach-O executable"),
    (0, b"\xCE\xFA\xED\xFE", "Mach-O executable"),
    (
        0,
        b"\xCA\xFE\xBA\xBE",
        "Java class or Mach-O universal binary",
    ),
    (0, b"\x00asm", "WebAssembly module"),
    (0, b"wOFF", "WOFF font"),
    (0, b"wOF2", "WOFF2 font"),
    (0, b"\x00\x01\x00\x00\x00", "TrueType font"),
    (0, b"OTTO", "OpenType font"),
    (0, b"\x1A\x45\xDF\xA3", "Matroska/WebM video"),
    (4, b"ftyp", "MP4/QuickTime media"),
    (0, b"ID3", "MP3 audio"),
    (0, b"OggS", "Ogg media"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"!<arch>\n", "ar archive (static library, .deb)"),
    (
        0,
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "OLE document (legacy Office)",
    ),
];

/// Share of the sample, in percent, that must be non-text bytes for unsigned content to be
/// binary. Text holds none but the odd stray (Latin-1 text a few percent at most); uniformly
/// random data (compressed, encrypted) about 16 %, machine code and tables more.
const NON_TEXT_PERCENT: usize = 10;

/// Share of the sample, in percent, that must be non-text bytes for content that starts with a
/// binary format's signature to be binary: the signature alone is a few bytes anyone can put in
/// front of a text file.
const SIGNED_NON_TEXT_PERCENT: usize = 2;

/// Entropy (bits per byte) the non-text bytes must have: padding (one value, or a few values
/// repeated) is not data, however long.
const NON_TEXT_ENTROPY_BITS: f64 = 3.0;

/// The kind of binary content `bytes` holds, or `None` for text (any encoding).
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    let sample = &bytes[..bytes.len().min(SAMPLE)];
    if sample.is_empty() || is_utf16_text(sample) || utf16_without_bom(sample).is_some() {
        return None;
    }
    let mut counts = [0usize; 256];
    let mut non_text = 0usize;
    for &b in sample {
        if is_non_text(b) {
            non_text += 1;
            counts[usize::from(b)] += 1;
        }
    }
    let share = |percent: usize| non_text * 100 >= sample.len() * percent && non_text > 0;
    for &(offset, magic, what) in SIGNATURES {
        if bytes.get(offset..offset + magic.len()) == Some(magic)
            && (magic != b"MZ" || looks_like_pe(bytes))
            && share(SIGNED_NON_TEXT_PERCENT)
        {
            return Some(what);
        }
    }
    let entropy: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / non_text as f64;
            -p * p.log2()
        })
        .sum();
    (non_text * 100 > sample.len() * NON_TEXT_PERCENT && entropy >= NON_TEXT_ENTROPY_BITS)
        .then_some("binary data")
}

/// UTF-16 text without a byte-order mark: NUL in (nearly) every other byte, the other bytes
/// mostly ASCII text. Returns whether it is little-endian.
fn utf16_without_bom(sample: &[u8]) -> Option<bool> {
    if sample.len() < 16 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even_nul, mut odd_nul) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_nul += usize::from(pair[0] == 0);
        odd_nul += usize::from(pair[1] == 0);
    }
    // Little-endian ASCII is `c 0 c 0`: NUL at odd positions.
    if odd_nul * 10 >= pairs * 9 && even_nul * 10 <= pairs {
        Some(true)
    } else if even_nul * 10 >= pairs * 9 && odd_nul * 10 <= pairs {
        Some(false)
    } else {
        None
    }
}

/// Text that is UTF-16 without a byte-order mark, decoded; `None` for anything else.
pub fn decode_utf16_without_bom(bytes: &[u8]) -> Option<String> {
    let little = utf16_without_bom(&bytes[..bytes.len().min(SAMPLE)])?;
    let encoding = if little {
        encoding_rs::UTF_16LE
    } else {
        encoding_rs::UTF_16BE
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Some(text.into_owned())
}

/// Control bytes text never holds (tab, line breaks, form feed and escape are text), and the
/// byte values that are never part of UTF-8.
fn is_non_text(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0E..=0x1A | 0x1C..=0x1F | 0x7F | 0xC0 | 0xC1 | 0xF5..=0xFF)
}

/// A PE executable: `MZ`, then the offset of the `PE\0\0` header at 0x3C.
fn looks_like_pe(bytes: &[u8]) -> bool {
    let Some(field) = bytes.get(0x3C..0x40) else {
        return false;
    };
    let offset = u32::from_le_bytes([field[0], field[1], field[2], field[3]]) as usize;
    bytes.get(offset..offset.saturating_add(4)) == Some(b"PE\0\0")
}

/// UTF-16 text with its byte-order mark (Windows tools write it): text, with NUL in every other
/// byte.
pub fn is_utf16_text(bytes: &[u8]) -> bool {
    bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_make_content_binary() {
        assert_eq!(
            binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10"),
            Some("PNG image")
        );
        assert_eq!(
            binary_kind(b"PK\x03\x04\x14\0\0\0\x08\0"),
            Some("ZIP archive (also JAR, DOCX, XLSX, APK)")
        );
        assert_eq!(
            binary_kind(b"\x7FELF\x02\x01\x01\0\0\0"),
            Some("ELF executable")
        );
        // `MZ` alone is a word, not an executable.
        assert_eq!(binary_kind(b"MZ is a postcode"), None);
    }

    #[test]
    fn a_signature_in_front_of_text_does_not_make_it_binary() {
        for magic in [
            &b"GIF89a"[..],
            b"ID3",
            b"BZh",
            b"RIFF",
            b"OTTO",
            b"fLaC",
            b"%PDF-1.7",
        ] {
            let mut text = magic.to_vec();
            text.extend_from_slice(b"\nGITHUB_TOKEN=abc\n".repeat(20).as_slice());
            assert_eq!(
                binary_kind(&text),
                None,
                "{}",
                String::from_utf8_lossy(magic)
            );
        }
    }

    #[test]
    fn padding_of_a_few_values_does_not_make_text_binary() {
        let mut padded = [1u8, 2].repeat(600);
        padded.extend_from_slice(b"\nGITHUB_TOKEN=abc\n");
        assert_eq!(binary_kind(&padded), None);
    }

    #[test]
    fn utf16_without_a_bom_is_text() {
        let little: Vec<u8> = "GITHUB_TOKEN=abc\n"
            .repeat(10)
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(binary_kind(&little), None);
        assert!(decode_utf16_without_bom(&little)
            .unwrap()
            .starts_with("GITHUB_TOKEN=abc\n"));
        let big: Vec<u8> = "token=abc\n"
            .repeat(10)
            .encode_utf16()
            .flat_map(u16::to_be_bytes)
            .collect();
        assert_eq!(
            decode_utf16_without_bom(&big).unwrap(),
            "token=abc\n".repeat(10)
        );
    }

    #[test]
    fn a_stray_nul_or_padding_does_not_make_text_binary() {
        let mut text = b"password = \"hunter2-long-enough\"\n".repeat(50);
        text[10] = 0;
        assert_eq!(binary_kind(&text), None);
        let mut padded = b"AWS_SECRET_ACCESS_KEY=abc\n".to_vec();
        padded.extend(std::iter::repeat_n(0u8, 100_000));
        assert_eq!(binary_kind(&padded), None);
        let mut front_padded = vec![0u8; 100_000];
        front_padded.extend_from_slice(b"token=abc\n");
        assert_eq!(binary_kind(&front_padded), None);
    }

    #[test]
    fn varied_non_text_bytes_are_binary() {
        // A deterministic stand-in for compressed data.
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let noise: Vec<u8> = (0..8192)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        assert_eq!(binary_kind(&noise), Some("binary data"));
    }

    #[test]
    fn latin1_and_utf16_text_is_text() {
        assert_eq!(
            binary_kind("résumé naïve café ".repeat(100).as_bytes()),
            None
        );
        let latin1: Vec<u8> = b"caf\xE9 na\xEFve ".repeat(100);
        assert_eq!(binary_kind(&latin1), None);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("token=abc\n".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(binary_kind(&utf16), None);
    }
}
