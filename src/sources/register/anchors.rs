//! Anchors and aliases are refused in a register. serde expands every alias by replaying the
//! anchored node, so one anchor of 2,000 aliases referenced by 3,000 identities turns 263 KB of
//! YAML into billions of events (21.6 GB of memory before it was stopped). A register never needs
//! them: each entry names its own aliases. The check reads the YAML event stream, which costs time
//! linear in the text, and runs only when the text holds `&` or `*` at all.

/// Where the first anchor or alias is, and which of the two it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorFound {
    pub offset: usize,
    pub what: &'static str,
}

/// Why the check could not finish: the event parser's message and where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailed {
    pub offset: usize,
    pub message: String,
}

/// The first anchor (`&name`) or alias (`*name`) of `text`, if any.
///
/// A text the event parser cannot read is an error rather than "no anchor": serde's parser
/// (libyaml) could otherwise accept what this one gave up on, aliases included, so the check
/// fails closed.
pub fn first_anchor_or_alias(text: &str) -> Result<Option<AnchorFound>, CheckFailed> {
    use saphyr_parser::{Event, Parser};
    if memchr::memchr2(b'&', b'*', text.as_bytes()).is_none() {
        return Ok(None);
    }
    // saphyr's spans count characters, not bytes.
    let byte_offset = |chars: usize| {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(offset, _)| offset)
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| CheckFailed {
            offset: byte_offset(e.marker().index()),
            message: e.info().to_string(),
        })?;
        let found = match event {
            Event::Alias(_) => Some("an alias"),
            Event::Scalar(_, _, anchor, _)
            | Event::SequenceStart(anchor, _)
            | Event::MappingStart(anchor, _)
                if anchor > 0 =>
            {
                Some("an anchor")
            }
            _ => None,
        };
        if let Some(what) = found {
            return Ok(Some(AnchorFound {
                offset: byte_offset(span.start.index()),
                what,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_and_aliases_are_found_where_they_are() {
        let text = "identities:\n  - id: a\n    aliases: &shared [x, y]\n  - id: b\n    aliases: *shared\n";
        let found = first_anchor_or_alias(text).unwrap().unwrap();
        assert_eq!(found.what, "an anchor");
        assert!(
            text[found.offset..].starts_with("&shared")
                || text[..found.offset].ends_with("aliases: "),
            "{found:?}"
        );
        let found = first_anchor_or_alias("a: *x\n").map(|f| f.map(|f| f.what));
        // An alias without its anchor is an error of the parser: the check fails closed.
        assert!(found.is_err() || found == Ok(Some("an alias")));
    }

    #[test]
    fn stars_and_ampersands_in_scalars_are_not_anchors() {
        for text in [
            "identities:\n  - id: r&d-bot\n    status: active\n",
            "identities:\n  - id: a\n    description: |\n      * not an alias\n      &not an anchor\n    status: active\n",
            "identities:\n  - id: 'x*y'\n    status: \"*\"\n",
            "# &comment *comment\nidentities: []\n",
        ] {
            assert_eq!(first_anchor_or_alias(text), Ok(None), "{text}");
        }
    }
}
