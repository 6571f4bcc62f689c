//! `deprov trend RUN.json…`: the runs read, their series computed, one page (or JSON) written.

use super::{CommandError, Exit, Output};
use crate::cli::{TrendCommand, TrendFormat};

pub fn run(command: &TrendCommand) -> Result<Exit, CommandError> {
    let runs = command
        .runs
        .iter()
        .map(|path| crate::trend::read_run(path))
        .collect::<Result<Vec<_>, _>>()?;
    let trend = crate::trend::series(runs);
    let format = command.format.unwrap_or_else(|| {
        match command
            .output
            .as_ref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
        {
            Some(ext) if ext.eq_ignore_ascii_case("json") => TrendFormat::Json,
            _ => TrendFormat::Html,
        }
    });
    Output::open(command.output.as_deref())?.write_with(|out, _| match format {
        TrendFormat::Html => crate::report::trend::write_html(&trend, out),
        TrendFormat::Json => crate::report::trend::write_json(&trend, out),
    })?;
    Ok(Exit::Clean)
}
