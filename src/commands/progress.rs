//! The progress bar of long scans: drawn on standard error only when it is a terminal, `CI` is
//! not set and `--no-progress` was not given, so pipelines and CI logs never see it.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::ScanArgs;
use crate::result::ScanResult;
use crate::scan::{Progress, ScanError, ScanPlan, Silent};

/// Runs a scan, with a progress bar when a person is watching.
pub fn scan(plan: &ScanPlan, args: &ScanArgs) -> Result<ScanResult, ScanError> {
    let result = match TerminalBar::wanted(args) {
        Some(bar) => crate::scan::scan_observed(plan, &bar),
        None => crate::scan::scan_observed(plan, &Silent),
    };
    result.map(|(result, _)| result)
}

struct TerminalBar {
    bar: ProgressBar,
    counted: ProgressStyle,
    spinning: ProgressStyle,
}

impl TerminalBar {
    fn wanted(args: &ScanArgs) -> Option<TerminalBar> {
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        if args.no_progress || in_ci || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.enable_steady_tick(Duration::from_millis(120));
        Some(TerminalBar {
            bar,
            counted: ProgressStyle::with_template(
                "{spinner} {msg:<28} [{bar:30}] {human_pos}/{human_len} ({elapsed}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
            spinning: ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        })
    }
}

impl Progress for TerminalBar {
    fn stage(&self, name: &str, total: Option<u64>) {
        // Stage names carry repository paths from the scanned tree.
        self.bar
            .set_message(crate::report::escape::visible(name).into_owned());
        self.bar.set_position(0);
        match total {
            Some(total) => {
                self.bar.set_style(self.counted.clone());
                self.bar.set_length(total);
            }
            None => self.bar.set_style(self.spinning.clone()),
        }
    }

    fn advance(&self, steps: u64) {
        self.bar.inc(steps);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
