//! The keyword pass: every detector keyword, ASCII case-insensitive, found in one Aho-Corasick
//! pass (overlapping matches, so that `secret` and `secret_access_key` are both seen).
//!
//! The automaton is the `aho-corasick` crate's DFA; the search loop is ours. A DFA walk costs a
//! table load that depends on the previous one, so one walk is bound by load latency (about
//! 600 MB/s here, whatever the number of keywords). Four walks over four quarters of the blob,
//! advanced in lockstep, are independent and overlap in the CPU: about 2.5 times the
//! throughput. Each quarter's walk starts `longest keyword - 1` bytes early so that a keyword
//! across a boundary is found, and reports only the matches that end in its own quarter.

use std::ops::Range;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// Below this many bytes per quarter the lanes are not worth their setup.
const MIN_LANE_LEN: usize = 4 * 1024;
const LANES: usize = 4;

#[derive(Debug, thiserror::Error)]
pub(crate) enum KeywordError {
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("the keyword automaton has no unanchored start state")]
    NoUnanchoredStart,
}

/// One keyword occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct KeywordHit {
    pub end: usize,
    pub start: usize,
    /// Index of the keyword in the list the automaton was built from.
    pub keyword: usize,
}

#[derive(Debug)]
pub(crate) struct KeywordAutomaton {
    dfa: DFA,
    start: StateID,
    /// Bytes a lane reads before its own quarter.
    warm_up: usize,
}

impl KeywordAutomaton {
    pub fn new(keywords: &[String]) -> Result<KeywordAutomaton, KeywordError> {
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // The search loop below never consults a prefilter.
            .prefilter(false)
            .build(keywords)?;
        let start = dfa
            .start_state(Anchored::No)
            .map_err(|_| KeywordError::NoUnanchoredStart)?;
        let warm_up = dfa.max_pattern_len().saturating_sub(1);
        Ok(KeywordAutomaton {
            dfa,
            start,
            warm_up,
        })
    }

    /// Every keyword occurrence in `bytes`, sorted by end (then start).
    pub fn hits(&self, bytes: &[u8]) -> Vec<KeywordHit> {
        if self.dfa.patterns_len() == 0 {
            return Vec::new();
        }
        let quarter = bytes.len() / LANES;
        if quarter < MIN_LANE_LEN.max(self.warm_up * 2) {
            let mut hits = Vec::new();
            let lane = Lane {
                offset: 0,
                owned_from: 0,
            };
            self.walk(bytes, self.start, lane, 0, &mut hits);
            return hits;
        }
        let owned: [Range<usize>; LANES] = std::array::from_fn(|j| {
            let end = if j == LANES - 1 {
                bytes.len()
            } else {
                (j + 1) * quarter
            };
            j * quarter..end
        });
        let lanes: [Lane; LANES] = std::array::from_fn(|j| Lane {
            offset: owned[j].start.saturating_sub(self.warm_up),
            owned_from: owned[j].start,
        });
        let text: [&[u8]; LANES] = std::array::from_fn(|j| &bytes[lanes[j].offset..owned[j].end]);
        let common = text.iter().map(|t| t.len()).min().unwrap_or(0);
        let mut found: [Vec<KeywordHit>; LANES] = Default::default();
        let mut states = [self.start; LANES];
        let dfa = &self.dfa;
        let lockstep = text[0][..common]
            .iter()
            .zip(&text[1][..common])
            .zip(&text[2][..common])
            .zip(&text[3][..common])
            .enumerate();
        for (at, (((&b0, &b1), &b2), &b3)) in lockstep {
            states[0] = dfa.next_state(Anchored::No, states[0], b0);
            states[1] = dfa.next_state(Anchored::No, states[1], b1);
            states[2] = dfa.next_state(Anchored::No, states[2], b2);
            states[3] = dfa.next_state(Anchored::No, states[3], b3);
            let any_match = dfa.is_match(states[0])
                | dfa.is_match(states[1])
                | dfa.is_match(states[2])
                | dfa.is_match(states[3]);
            if any_match {
                for j in 0..LANES {
                    self.record(states[j], lanes[j], at, &mut found[j]);
                }
            }
        }
        for j in 0..LANES {
            self.walk(
                &text[j][common..],
                states[j],
                lanes[j],
                common,
                &mut found[j],
            );
        }
        let mut hits = Vec::with_capacity(found.iter().map(Vec::len).sum());
        for lane_hits in found {
            hits.extend(lane_hits);
        }
        hits
    }

    /// Walks `text` (which starts `skipped` bytes into the lane) from `state`.
    fn walk(
        &self,
        text: &[u8],
        mut state: StateID,
        lane: Lane,
        skipped: usize,
        hits: &mut Vec<KeywordHit>,
    ) {
        for (at, &byte) in text.iter().enumerate() {
            state = self.dfa.next_state(Anchored::No, state, byte);
            if self.dfa.is_match(state) {
                self.record(state, lane, skipped + at, hits);
            }
        }
    }

    /// The keywords that end after byte `at` of a lane, if that end is in the lane's quarter.
    fn record(&self, state: StateID, lane: Lane, at: usize, hits: &mut Vec<KeywordHit>) {
        if !self.dfa.is_match(state) {
            return;
        }
        let end = lane.offset + at + 1;
        if end <= lane.owned_from {
            return;
        }
        for index in 0..self.dfa.match_len(state) {
            let keyword = self.dfa.match_pattern(state, index);
            let start = end.saturating_sub(self.dfa.pattern_len(keyword));
            hits.push(KeywordHit {
                end,
                start,
                keyword: keyword.as_usize(),
            });
        }
    }
}

/// Where a lane's text starts in the blob, and from where its matches are its own.
#[derive(Debug, Clone, Copy)]
struct Lane {
    offset: usize,
    owned_from: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference(keywords: &[String], text: &[u8]) -> Vec<KeywordHit> {
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(keywords)
            .unwrap();
        let mut hits: Vec<KeywordHit> = ac
            .find_overlapping_iter(text)
            .map(|m| KeywordHit {
                end: m.end(),
                start: m.start(),
                keyword: m.pattern().as_usize(),
            })
            .collect();
        hits.sort();
        hits
    }

    fn ours(keywords: &[String], text: &[u8]) -> Vec<KeywordHit> {
        let hits = KeywordAutomaton::new(keywords).unwrap().hits(text);
        assert!(
            hits.windows(2).all(|w| w[0].end <= w[1].end),
            "sorted by end"
        );
        let mut sorted = hits;
        sorted.sort();
        sorted
    }

    #[test]
    fn lanes_find_keywords_across_their_boundaries() {
        let keywords: Vec<String> = ["secret", "secret_access_key", "ab", "b"]
            .map(String::from)
            .to_vec();
        let mut text = vec![b'.'; 64 * 1024];
        // Keywords straddling each quarter boundary, and at the very start and end.
        for boundary in [0usize, 16 * 1024, 32 * 1024, 48 * 1024] {
            let at = boundary.saturating_sub(8);
            text[at..at + 17].copy_from_slice(b"SECRET_access_KEY");
        }
        let end = text.len() - 2;
        text[end..].copy_from_slice(b"aB");
        assert_eq!(ours(&keywords, &text), reference(&keywords, &text));
        assert!(ours(&[], &text).is_empty());
        assert!(ours(&keywords, b"").is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn the_same_hits_as_the_crate_search(
            keywords in proptest::collection::vec("[abcAB_-]{1,6}", 1..8),
            text in proptest::collection::vec(proptest::sample::select(b"abcAB_-x\n".to_vec()), 0..40_000),
        ) {
            prop_assert_eq!(ours(&keywords, &text), reference(&keywords, &text));
        }
    }
}
