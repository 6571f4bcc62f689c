//! The streaming reader of Cloud Asset Inventory exports: JSON lines read one record at a
//! time (the file may be larger than memory allows, and is exempt from the file size limit), or
//! a JSON array of assets; a record that does not parse is counted and named, never fatal.

use super::*;

/// Reads CAI assets one by one; a line that does not parse is counted, not fatal.
#[derive(Default)]
pub(super) struct AssetReader {
    export: AssetExport,
    /// (line, message) of lines that could not be read.
    malformed: Vec<(u32, String)>,
    read: usize,
    other_types: usize,
    /// Service-account and key assets without `resource.data` (a search result, or a
    /// policy-only export whose line also lacks a policy).
    without_data: usize,
}

impl AssetReader {
    fn asset(&mut self, line: u32, text: &[u8]) {
        match self.try_asset(line, text) {
            Ok(()) => self.read += 1,
            Err(message) => self.malformed.push((line, message)),
        }
    }

    fn try_asset(&mut self, line: u32, text: &[u8]) -> Result<(), String> {
        let header: AssetHeader = serde_json::from_slice(text).map_err(|e| e.to_string())?;
        if header.asset_type.is_empty() {
            return Err("no asset_type".into());
        }
        let mut used = false;
        match header.asset_type.as_str() {
            SERVICE_ACCOUNT_ASSET => {
                let asset: AssetResource<ServiceAccount> =
                    serde_json::from_slice(text).map_err(|e| e.to_string())?;
                if let Some(resource) = asset.resource {
                    let number = resource
                        .parent
                        .as_deref()
                        .and_then(|p| p.strip_prefix("//cloudresourcemanager.googleapis.com/"))
                        .and_then(model::project_of_resource_name);
                    if let (Some(number), Some(id)) = (number, resource.data.project()) {
                        self.export
                            .project_ids
                            .push((number.to_string(), id.to_string()));
                    }
                    self.export.accounts.push(Located {
                        item: resource.data,
                        line: Some(line),
                    });
                    used = true;
                }
            }
            SERVICE_ACCOUNT_KEY_ASSET => {
                let asset: AssetResource<ServiceAccountKey> =
                    serde_json::from_slice(text).map_err(|e| e.to_string())?;
                if let Some(resource) = asset.resource {
                    self.export.keys.push(Located {
                        item: AssetKey {
                            key: resource.data,
                            asset_name: header.name.clone(),
                        },
                        line: Some(line),
                    });
                    used = true;
                }
            }
            PROJECT_ASSET => {
                let asset: AssetResource<ProjectData> =
                    serde_json::from_slice(text).map_err(|e| e.to_string())?;
                if let Some(resource) = asset.resource {
                    let data = resource.data;
                    if !data.project_id.is_empty() && !data.project_number.is_empty() {
                        self.export
                            .project_ids
                            .push((data.project_number, data.project_id));
                        used = true;
                    }
                }
            }
            _ => {}
        }
        if let Some(policy) = header.iam_policy {
            self.export.policies.push(AssetPolicy {
                resource: header.name,
                ancestors: header.ancestors,
                policy,
                line,
            });
            used = true;
        }
        if !used {
            match header.asset_type.as_str() {
                SERVICE_ACCOUNT_ASSET | SERVICE_ACCOUNT_KEY_ASSET => self.without_data += 1,
                _ => self.other_types += 1,
            }
        }
        Ok(())
    }

    fn finish(self, input: &FileInput) -> Result<GcpFile, SourceError> {
        if self.read == 0 {
            let message = match self.malformed.first() {
                Some((line, message)) => format!(
                    "invalid {}: no asset could be read (line {line}: {message})",
                    Format::AssetInventory.name()
                ),
                None => format!(
                    "invalid {}: no asset in the file",
                    Format::AssetInventory.name()
                ),
            };
            return Err(SourceError::content(input, &[], None, message, "this file"));
        }
        let mut warnings = Vec::new();
        if !self.malformed.is_empty() {
            let named: Vec<String> = self
                .malformed
                .iter()
                .take(MALFORMED_LINES_NAMED)
                .map(|(line, message)| format!("line {line}: {message}"))
                .collect();
            let more = self.malformed.len().saturating_sub(MALFORMED_LINES_NAMED);
            warnings.push(format!(
                "{} malformed asset(s) skipped ({}{})",
                self.malformed.len(),
                named.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        if self.without_data > 0 {
            warnings.push(format!(
                "{} service-account or key asset(s) without resource.data ignored (export with --content-type=resource to read them)",
                self.without_data
            ));
        }
        if self.other_types > 0 {
            warnings.push(format!(
                "{} asset(s) of other types ignored",
                self.other_types
            ));
        }
        let export = self.export;
        warnings.extend(account_warnings(export.accounts.iter().map(|a| &a.item)));
        warnings.extend(key_warnings(
            export
                .keys
                .iter()
                .map(|k| (&k.item.key, k.item.asset_name.as_str())),
        ));
        warnings.extend(member_warnings(
            export.policies.iter().flat_map(|p| &p.policy.bindings),
        ));
        Ok(GcpFile::AssetInventory { export, warnings })
    }
}

pub(super) fn parse_asset_inventory(probe: &Probe) -> Result<GcpFile, SourceError> {
    let mut reader = AssetReader::default();
    match (&probe.content, probe.bytes()) {
        (Content::JsonLines(_), Some(bytes)) => {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                asset_line(&mut reader, n, line);
            }
        }
        (Content::JsonLines(_), None) => {
            // Discovery keeps only the head of a large JSON-lines file: stream the rest.
            let io = |e: std::io::Error| SourceError::io(probe.input.rel.clone(), e.to_string());
            // Lines are bounded: the file is exempt from the file size limit, its records not.
            use crate::discover::lines::{read_record, too_long_message, Record};
            let file = crate::discover::open_regular(&probe.input.path).map_err(io)?;
            let mut lines = std::io::BufReader::new(file);
            let mut buffer = Vec::new();
            let max = crate::discover::lines::MAX_RECORD_BYTES;
            for n in 0usize.. {
                match read_record(&mut lines, &mut buffer, max).map_err(io)? {
                    None => break,
                    Some(Record::Line { .. }) => asset_line(&mut reader, n, &buffer),
                    Some(Record::TooLong { bytes }) => reader.malformed.push((
                        u32::try_from(n + 1).unwrap_or(u32::MAX),
                        too_long_message(bytes),
                    )),
                }
            }
        }
        _ => {
            let bytes = without_bom(crate::sources::whole(probe)?);
            read_json_assets(probe, bytes, &mut reader)?;
        }
    }
    reader.finish(probe.input)
}

/// One JSON line (`n` is 0-based); blank lines are allowed.
pub(super) fn asset_line(reader: &mut AssetReader, n: usize, line: &[u8]) {
    let line_number = u32::try_from(n + 1).unwrap_or(u32::MAX);
    let text = if n == 0 { without_bom(line) } else { line };
    if text.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    reader.asset(line_number, text);
}

/// A JSON form of assets (`gcloud asset list --format=json` array, or asset objects one after
/// the other): each element is split out by a skipping pass, then read like a JSON line.
fn read_json_assets(
    probe: &Probe,
    bytes: &[u8],
    reader: &mut AssetReader,
) -> Result<(), SourceError> {
    let syntax = |e: serde_json::Error| {
        SourceError::json(probe.input, bytes, Format::AssetInventory.name(), &e)
    };
    let mut lines = LineCounter::default();
    let mut documents = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
    loop {
        let start = skip_whitespace(bytes, documents.byte_offset());
        match documents.next() {
            None => break,
            Some(Err(e)) => return Err(syntax(e)),
            Some(Ok(_)) => {}
        }
        let end = documents.byte_offset();
        if bytes.get(start) != Some(&b'[') {
            let line = lines.line_of(bytes, start);
            reader.asset(line, bytes.get(start..end).unwrap_or_default());
            continue;
        }
        let mut at = skip_whitespace(bytes, start + 1);
        while at < end && bytes.get(at) != Some(&b']') {
            let mut element =
                serde_json::Deserializer::from_slice(bytes.get(at..end).unwrap_or_default())
                    .into_iter::<IgnoredAny>();
            match element.next() {
                Some(Ok(_)) => {}
                Some(Err(e)) => return Err(syntax(e)),
                None => break,
            }
            let element_end = at + element.byte_offset();
            let line = lines.line_of(bytes, at);
            reader.asset(line, bytes.get(at..element_end).unwrap_or_default());
            at = skip_whitespace(bytes, element_end);
            if bytes.get(at) == Some(&b',') {
                at = skip_whitespace(bytes, at + 1);
            }
        }
    }
    Ok(())
}

fn skip_whitespace(bytes: &[u8], from: usize) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|b| !b.is_ascii_whitespace()))
        .map_or(bytes.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_lines_survive_malformed_neighbours() {
        let mut reader = AssetReader::default();
        let lines = [
            r#"{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"email":"a@p.iam.gserviceaccount.com","uniqueId":"1","projectId":"p"},"parent":"//cloudresourcemanager.googleapis.com/projects/42"}}"#,
            r#"{"name":"//x","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"disabled":"yes"}}}"#,
            r#"{"name":"//compute.googleapis.com/projects/p/zones/z/disks/d","assetType":"compute.googleapis.com/Disk","resource":{"data":{"disabled":"whatever"}}}"#,
            r#"{"name":"//cloudresourcemanager.googleapis.com/projects/42","assetType":"cloudresourcemanager.googleapis.com/Project","iamPolicy":{"bindings":[{"role":"roles/owner","members":["user:u@x","allUsers"]}]}}"#,
            r#"{"name": "trunc"#,
            r#"[1, 2]"#,
        ];
        for (n, line) in lines.iter().enumerate() {
            asset_line(&mut reader, n, line.as_bytes());
        }
        assert_eq!(
            reader.malformed.iter().map(|m| m.0).collect::<Vec<_>>(),
            vec![2, 5, 6]
        );
        let input = FileInput {
            path: "a.jsonl".into(),
            rel: "a.jsonl".into(),
            size: 0,
        };
        let GcpFile::AssetInventory { export, warnings } = reader.finish(&input).unwrap() else {
            panic!("not an asset inventory");
        };
        assert_eq!(export.accounts.len(), 1);
        assert_eq!(export.accounts[0].line, Some(1));
        assert_eq!(export.project_ids, vec![("42".into(), "p".into())]);
        assert_eq!(export.policies[0].line, 4);
        assert!(
            warnings[0].starts_with("3 malformed asset(s) skipped (line 2: invalid type"),
            "{warnings:?}"
        );
        assert!(
            warnings.contains(&"1 asset(s) of other types ignored".to_string()),
            "{warnings:?}"
        );
        assert!(
            warnings.iter().any(|w| w.contains("1 allUsers")),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_file_of_only_malformed_assets_is_an_error() {
        let mut reader = AssetReader::default();
        asset_line(&mut reader, 0, br#"{"name":"n","asset_type":5}"#);
        let input = FileInput {
            path: "a.jsonl".into(),
            rel: "a.jsonl".into(),
            size: 0,
        };
        let err = reader.finish(&input).unwrap_err();
        assert!(err.reason().contains("line 1"), "{}", err.reason());
    }

    #[test]
    fn json_arrays_of_assets_are_split_with_lines() {
        let text = "[\n  {\"name\": \"//iam.googleapis.com/projects/p/serviceAccounts/1\",\n   \"assetType\": \"iam.googleapis.com/ServiceAccount\",\n   \"resource\": {\"data\": {\"email\": \"a@p.iam.gserviceaccount.com\", \"uniqueId\": \"1\"}}},\n  {\"name\": \"//storage.googleapis.com/b\", \"assetType\": \"storage.googleapis.com/Bucket\"}\n]\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assets.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: "assets.json".into(),
            size: text.len() as u64,
        };
        let probe = Probe::read(&input, 1 << 20).unwrap();
        assert_eq!(detect(&probe), Some(Format::AssetInventory));
        let GcpFile::AssetInventory { export, warnings } =
            parse(&probe, Format::AssetInventory).unwrap()
        else {
            panic!("not an asset inventory");
        };
        assert_eq!(export.accounts[0].line, Some(2));
        assert_eq!(
            warnings,
            vec!["1 asset(s) of other types ignored".to_string()]
        );
    }
}
