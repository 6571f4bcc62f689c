//! The JSON report's writer renders findings in parallel batches; its bytes must be exactly
//! serde_json's pretty printing of the whole document, at every batch boundary.

mod common;

use std::borrow::Cow;

use deprov::report::json::{write_report, JsonReport};
use deprov::severity::FailOn;

fn serde_json_bytes(report: &JsonReport) -> Vec<u8> {
    let mut expected = serde_json::to_vec_pretty(report).unwrap();
    expected.push(b'\n');
    expected
}

fn written_bytes(report: &JsonReport) -> Vec<u8> {
    let mut out = Vec::new();
    write_report(&mut out, report).unwrap();
    out
}

#[test]
fn parallel_writer_matches_serde_json_byte_for_byte() {
    let result = deprov::scan::scan(&common::example_plan()).unwrap();
    let report = JsonReport::from_result(&result, FailOn::High);
    assert!(report.findings.len() > 20);
    assert_eq!(written_bytes(&report), serde_json_bytes(&report));

    // Across batch boundaries: one finding, a batch exactly, and several batches and a part.
    let template = result.findings.clone();
    for count in [1, 4096, 4097, 3 * 4096 + 17] {
        let findings: Vec<_> = (0..count)
            .map(|i| {
                let mut f = template[i % template.len()].clone();
                f.id = format!("{}-{i}", f.id);
                f
            })
            .collect();
        let report = JsonReport {
            findings: Cow::Owned(findings),
            ..JsonReport::from_result(&result, FailOn::High)
        };
        let written = written_bytes(&report);
        assert_eq!(written, serde_json_bytes(&report), "{count} findings");
        let parsed: serde_json::Value = serde_json::from_slice(&written).unwrap();
        assert_eq!(parsed["findings"].as_array().unwrap().len(), count);
    }

    // No findings: the empty array as serde_json writes it.
    let empty = JsonReport {
        findings: Cow::Owned(Vec::new()),
        ..JsonReport::from_result(&result, FailOn::High)
    };
    assert_eq!(written_bytes(&empty), serde_json_bytes(&empty));
}
