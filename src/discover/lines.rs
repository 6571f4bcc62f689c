//! Reading streamed JSON-lines files (audit logs, asset inventories) one record at a time with a
//! bound on the record: such files are exempt from the file size limit, so without it a single
//! line of a gigabyte (no newline to stop at) would be read into memory whole.

use std::io::BufRead;

/// The largest line of a streamed JSON-lines file that is read; longer lines are skipped unread
/// and reported. Real audit entries and assets are kilobytes.
pub const MAX_RECORD_BYTES: usize = 16 * 1024 * 1024;

/// One line of a streamed file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// The line (with its line break, if any) is in the buffer; `bytes` were consumed.
    Line { bytes: u64 },
    /// The line was longer than the limit: its `bytes` were consumed and discarded.
    TooLong { bytes: u64 },
}

/// Reads the next line into `buffer` (cleared first), up to `max` bytes; `None` at the end.
pub fn read_record<R: BufRead>(
    reader: &mut R,
    buffer: &mut Vec<u8>,
    max: usize,
) -> std::io::Result<Option<Record>> {
    buffer.clear();
    let mut consumed: u64 = 0;
    let mut too_long = false;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            break;
        }
        let (chunk, done) = match memchr::memchr(b'\n', available) {
            Some(end) => (&available[..=end], true),
            None => (available, false),
        };
        let taken = chunk.len();
        if !too_long {
            if buffer.len() + taken > max {
                too_long = true;
                buffer.clear();
                buffer.shrink_to(64 * 1024);
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        reader.consume(taken);
        consumed += taken as u64;
        if done {
            break;
        }
    }
    Ok(match (consumed, too_long) {
        (0, _) => None,
        (bytes, true) => Some(Record::TooLong { bytes }),
        (bytes, false) => Some(Record::Line { bytes }),
    })
}

/// The message for a line above the limit.
pub fn too_long_message(bytes: u64) -> String {
    format!(
        "line of {bytes} bytes is above the record limit of {} MiB; not read",
        MAX_RECORD_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_skipped_and_reading_goes_on() {
        let text = format!("{{\"a\":1}}\n{}\n{{\"b\":2}}", "x".repeat(100));
        let mut reader = std::io::BufReader::with_capacity(16, text.as_bytes());
        let mut buffer = Vec::new();
        let first = read_record(&mut reader, &mut buffer, 50).unwrap();
        assert_eq!(first, Some(Record::Line { bytes: 8 }));
        assert_eq!(buffer, b"{\"a\":1}\n");
        let second = read_record(&mut reader, &mut buffer, 50).unwrap();
        assert_eq!(second, Some(Record::TooLong { bytes: 101 }));
        let third = read_record(&mut reader, &mut buffer, 50).unwrap();
        assert_eq!(third, Some(Record::Line { bytes: 7 }));
        assert_eq!(buffer, b"{\"b\":2}");
        assert_eq!(read_record(&mut reader, &mut buffer, 50).unwrap(), None);
    }
}
