use super::*;

/// What the whole-document parser makes of the text, for comparison.
fn whole(text: &str) -> Result<String, String> {
    serde_yaml::from_str::<RegisterFile>(text)
        .map(|file| format!("{file:?}"))
        .map_err(|e| e.to_string())
}

/// The same, read in parts of two entries whatever the size.
fn in_parts(text: &str) -> Result<String, String> {
    read_with(text, 2, 0)
        .map(|file| format!("{file:?}"))
        .map_err(|e| e.to_string())
}

fn entries(count: usize, indent: &str) -> String {
    (0..count)
        .map(|i| {
            format!(
                "{indent}- id: svc-{i}\n{indent}  status: active\n{indent}  aliases:\n{indent}    - \"arn:aws:iam::1:user/svc-{i}\"\n{indent}    - svc-{i}@example.com\n"
            )
        })
        .collect()
}

const CLEAN: &str = "# the register\nidentities:\n  - id: a\n    status: retired\n    retired_at: 2026-01-01\n    description: |\n      - id: not an entry\n      # not a comment\n\n  - id: b\n    status: active\n    owner: alice\n  # between entries\n  - id: c\n    status: active\n    aliases: [c1, c2]\npeople:\n- id: alice\n  status: active\n- id: bob\n  status: departed\n  departed_at: 2026-02-01\nteams:\n  - id: platform\n";

#[test]
fn a_clean_register_is_cut_between_entries_and_reads_as_one_document() {
    let parts = cut(CLEAN, 2).expect("cuts");
    let shape: Vec<(&str, usize)> = parts.iter().map(|p| (p.section, p.entries)).collect();
    assert_eq!(
        shape,
        [
            ("identities", 2),
            ("identities", 1),
            ("people", 2),
            ("teams", 1)
        ]
    );
    assert!(parts[0].text.starts_with("  - id: a\n"));
    assert!(parts[0].text.contains("# not a comment"));
    assert!(parts[1].text.starts_with("  - id: c\n"));
    assert!(read_parts(&parts).is_some(), "every part reads");
    assert_eq!(in_parts(CLEAN), whole(CLEAN));
    assert!(whole(CLEAN).is_ok());
}

#[test]
fn a_large_register_reads_in_parts_as_it_reads_whole() {
    let text = format!(
        "identities:\n{}people:\n  - id: alice\n    status: active\n",
        entries(5_000, "  ")
    );
    let parts = cut(&text, ENTRIES_PER_PART).expect("cuts");
    assert_eq!(parts.len(), 4);
    let file = read(&text).expect("reads");
    assert_eq!(file.identities.len(), 5_000);
    assert_eq!(file.identities[4_999].id, "svc-4999");
    assert_eq!(format!("{file:?}"), whole(&text).unwrap());
}

#[test]
fn what_does_not_cut_cleanly_is_read_whole_with_the_same_outcome() {
    let cases = [
        // A double-quoted scalar whose continuation looks like an entry.
        "identities:\n  - id: a\n    status: active\n    owner: \"x\n  - id: y\"\n  - id: b\n    status: active\n",
        // A flow sequence spanning lines, one line looking like an entry.
        "identities:\n  - id: a\n    status: active\n    aliases: [x,\n  - y]\n  - id: b\n    status: active\n",
        // Flow style.
        "identities: [{id: a, status: active}, {id: b, status: active}]\n",
        // A key other than the three.
        "identities:\n  - id: a\n    status: active\nextra:\n  - id: b\n",
        // A section twice.
        "identities:\n  - id: a\n    status: active\nidentities:\n  - id: b\n    status: active\n",
        // An entry whose content starts on the next line.
        "identities:\n  -\n    id: a\n    status: active\n  - id: b\n    status: active\n",
        // Entries at two columns.
        "identities:\n  - id: a\n    status: active\n - id: b\n   status: active\n",
        // Tabs, document markers, an empty section, nothing at all.
        "identities:\n\t- id: a\n",
        "---\nidentities:\n  - id: a\n    status: active\n",
        "identities:\npeople:\n  - id: a\n    status: active\n",
        "",
        // An entry the parser refuses (unknown field): the whole document's error.
        "identities:\n  - id: a\n    status: active\n  - id: b\n    status: active\n    colour: red\n",
        // Line breaks the cut does not see: a lone CR hides a section in a comment, or ends a
        // part's document early; NEL, LS and PS are breaks to the parser too.
        "# reg\rteams:\r  - id: injected\r\nidentities:\n  - id: a\n    status: active\n  - id: b\n    status: active\n",
        "identities:\n  - id: a\n    status: active\rpeople:\r\n  - id: b\n    status: active\n",
        "identities:\n  - id: a\n    status: active\u{2028}people:\n  - id: b\n    status: active\n",
        // `identities:#` is a scalar, not a key.
        "identities:#\n  - id: a\n    status: active\n  - id: b\n    status: active\n",
        // A plain scalar running on below its key: its lines are indented past the entry's.
        "identities:\n  - id: a\n    status: active\n    owner: alice\n      and more\n  - id: b\n    status: active\n",
    ];
    for text in cases {
        assert_eq!(in_parts(text), whole(text), "{text:?}");
    }
}

#[test]
fn a_key_with_a_comment_after_a_blank_opens_a_section() {
    let text =
        "identities: # the NHIs\n  - id: a\n    status: active\n  - id: b\n    status: active\n";
    assert_eq!(cut(text, 1).map(|parts| parts.len()), Some(2));
    assert_eq!(cut("identities:#\n  - id: a\n", 1), None);
    assert_eq!(cut("identities:\n  - id: a\r  - id: b\n", 1), None);
    assert_eq!(in_parts(text), whole(text));
}

#[test]
fn a_part_that_reads_differently_than_it_was_cut_is_not_used() {
    // The quoted scalar swallows the line that looked like an entry: the first part does not
    // read, so the text is read whole (one entry `a`, with that line in its owner).
    let text =
        "identities:\n  - id: a\n    status: active\n    owner: \"x\n  - id: y\"\n  - id: b\n    status: active\n";
    let parts = cut(text, 1).expect("cuts lexically");
    assert_eq!(parts.len(), 3);
    assert!(read_parts(&parts).is_none());
    let file = read_with(text, 1, 0).expect("reads whole");
    assert_eq!(file.identities.len(), 2);
    assert_eq!(file.identities[0].owner.as_deref(), Some("x - id: y"));
}

#[test]
fn every_one_character_edit_of_a_register_reads_in_parts_as_it_reads_whole() {
    // The fuzz target `register_parts` in small: a character that could move a cut (a break, a
    // dash, a quote, a bracket, a colon, a comment, a tab, a space) put at every position.
    let mut edits = 0;
    for at in CLEAN.char_indices().map(|(i, _)| i) {
        for c in ['\n', '\r', '-', ' ', '"', '[', ':', '#', '\t', '|'] {
            let mut text = CLEAN.to_string();
            text.insert(at, c);
            for per_part in [1, 2] {
                assert!(agrees_with_whole(&text, per_part), "{text:?}");
                edits += 1;
            }
        }
    }
    assert!(edits > 5_000);
}
