//! The one escaping of input-derived text for the outputs people read (text, Markdown, HTML,
//! `verify`, `diff`, `inventory`), and the narrower one for XML. A file name, an identity ID or a
//! detector's description comes from a scanned tree that anyone with commit rights shapes; on a
//! terminal an ESC can clear the screen, set the window title or colour a forged line, a CR or
//! LF can forge whole lines, and a bidirectional override makes text read differently from
//! what it is ("Trojan Source"). JSON, SARIF and OSCAL are escaped by their serializer and keep
//! the exact value.

use std::borrow::Cow;

/// `text` with every character that could steer a terminal or a reader shown as an escape
/// instead, in one documented form:
///
/// - C0 controls (U+0000–U+001F) and DEL (U+007F): `\t`, `\n` and `\r` for the three common
///   ones, `\x1b` (two lower-case hex digits) for the others;
/// - C1 controls (U+0080–U+009F, which some terminals obey like ESC sequences): `\u{9b}`;
/// - Unicode bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E,
///   U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029), which reorder or
///   break lines where text is rendered: `\u{202e}`.
///
/// Everything else is kept as it is, backslashes included: ordinary text (`DOMAIN\user`) reads
/// as it was written, at the cost that a literal `\x1b` in an input looks like an escaped one.
/// The JSON report has the exact value.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// `text` with only what XML 1.0 cannot carry escaped as [`visible`] shows it: the C0 controls
/// other than tab, LF and CR (not even as character references). Everything else, bidi controls
/// and C1 included, is kept for the XML writer to escape, so the value stays exact wherever XML
/// can hold it. quick-junit would otherwise drop such characters silently, and with them whole
/// ANSI sequences (`ci\x1b[2Jlegacy` became `cilegacy`).
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    let forbidden = |c: char| c < ' ' && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(forbidden) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if forbidden(c) {
            push_visible(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control() || is_bidi_or_separator(c)
}

/// Characters that reorder text or break lines where it is rendered.
fn is_bidi_or_separator(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

fn push_visible(out: &mut String, c: char) {
    use std::fmt::Write as _;
    match c {
        '\t' => out.push_str("\\t"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        // `char::is_control` is exactly C0, DEL and C1.
        c if c < '\u{80}' && c.is_control() => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c if needs_escape(c) => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
        c => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_in_one_form() {
        assert_eq!(
            visible("plain text, DOMAIN\\user"),
            "plain text, DOMAIN\\user"
        );
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("a\x1b[2Jb\x07c\rd\ne\tf\x00g\x7fh"),
            "a\\x1b[2Jb\\x07c\\rd\\ne\\tf\\x00g\\x7fh"
        );
        assert_eq!(visible("\u{9b}31m\u{85}"), "\\u{9b}31m\\u{85}");
        assert_eq!(
            visible("admin\u{202E}txt.exe\u{2066}x\u{2069}\u{200F}\u{2028}"),
            "admin\\u{202e}txt.exe\\u{2066}x\\u{2069}\\u{200f}\\u{2028}"
        );
        // Other non-ASCII text is kept.
        assert_eq!(visible("José → ☃ 東京"), "José → ☃ 東京");
    }

    #[test]
    fn every_control_and_bidi_character_is_escaped() {
        for code in (0u32..0x20).chain(0x7f..0xa0).chain([
            0x61c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068,
            0x2069, 0x2028, 0x2029,
        ]) {
            let c = char::from_u32(code).unwrap();
            let shown = visible(&c.to_string()).into_owned();
            assert!(shown.starts_with('\\'), "U+{code:04X} shown as {shown:?}");
            assert!(
                shown.chars().all(|c| c.is_ascii_graphic()),
                "U+{code:04X} shown as {shown:?}"
            );
        }
    }

    #[test]
    fn xml_keeps_what_xml_can_carry() {
        assert_eq!(xml_chars("a\tb\nc\rd"), "a\tb\nc\rd");
        assert_eq!(xml_chars("ci\x1b[2Jlegacy\x07"), "ci\\x1b[2Jlegacy\\x07");
        assert_eq!(xml_chars("\u{9b}\u{202e}é"), "\u{9b}\u{202e}é");
    }
}
