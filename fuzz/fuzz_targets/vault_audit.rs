//! The Vault / OpenBao file audit device log reader: the streamed JSON-lines reader
//! (`read_lines`, one `AuditScanner::entry` per line) and the JSON-documents reader
//! (`read_documents`), over the same bytes. Input: the log itself.
#![no_main]

use deprov::sources::vault::audit;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(summary) = audit::read_lines(data) {
        let _ = summary.warnings();
    }
    let _ = audit::read_documents(data).warnings();
});
