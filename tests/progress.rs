//! Progress reporting: a scan announces its stages with their sizes and advances within them;
//! the binary draws nothing when standard error is not a terminal.

mod common;

use std::sync::Mutex;

use deprov::scan::{self, Progress};

#[derive(Default)]
struct Recorder {
    /// (stage, total, steps advanced within it)
    stages: Mutex<Vec<(String, Option<u64>, u64)>>,
    finished: Mutex<u32>,
}

impl Progress for Recorder {
    fn stage(&self, name: &str, total: Option<u64>) {
        self.stages
            .lock()
            .unwrap()
            .push((name.to_string(), total, 0));
    }
    fn advance(&self, steps: u64) {
        if let Some(last) = self.stages.lock().unwrap().last_mut() {
            last.2 += steps;
        }
    }
    fn finish(&self) {
        *self.finished.lock().unwrap() += 1;
    }
}

#[test]
fn a_scan_reports_each_stage_with_its_size() {
    let recorder = Recorder::default();
    let (result, _) = scan::scan_observed(&common::example_plan(), &recorder).unwrap();
    let stages = recorder.stages.lock().unwrap().clone();
    let names: Vec<&str> = stages.iter().map(|(n, _, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"discovering inputs"));
    assert!(
        names.contains(&"scanning repository repos/infra.git"),
        "{names:?}"
    );
    assert_eq!(names.last(), Some(&"locating evidence lines"));

    let (_, files, read) = stages
        .iter()
        .find(|(n, _, _)| n == "reading files")
        .unwrap();
    let sources = result.sources.len() + result.skipped.len();
    assert!(
        files.unwrap() as usize >= sources.saturating_sub(1),
        "{files:?} vs {sources}"
    );
    assert_eq!(Some(*read), *files, "every file read advances the bar once");

    let (_, requests, evaluated) = stages
        .iter()
        .find(|(n, _, _)| n == "evaluating policies")
        .unwrap();
    assert!(requests.unwrap() > 100);
    assert!(*evaluated <= requests.unwrap());
    assert_eq!(*recorder.finished.lock().unwrap(), 1);
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let output = common::scan(&common::testdata("example-org"), &[])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("evaluating policies"), "{stderr}");
    assert!(!stderr.contains("reading files"), "{stderr}");
}
