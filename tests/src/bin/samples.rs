//! Decodes callbacks recorded by Sinch's own SDK test suites as the generated receivers do
//! for a single webhook URL (by payload alone) and reports, per file: the message and the
//! operation it was routed to, how many values are typed, and which are kept only in
//! unknown-field slots.
//!
//! `cargo run -p spec-tests --bin samples -- [--exact] ../shared/samples`
//!
//! Always fails (exit 1) when a sample is not JSON or does not re-encode to an equal
//! document: nothing may be lost. With `--exact` it also fails when a sample is not routed to
//! one message and one operation, or keeps any value only as unknown: the specs must describe
//! the real wire format.

use std::path::PathBuf;
use std::process::ExitCode;

use hookwright_runtime::webhook::{Callback, Decode};
use hookwright_runtime::Unknowns;
use spec_tests::{differences, json_files, leaves, leaves_under};

struct Row {
    file: String,
    outcome: Result<Routed, String>,
}

struct Routed {
    message: Option<&'static str>,
    operation: Option<&'static str>,
    typed: usize,
    unknown: usize,
    unknown_paths: Vec<String>,
}

impl Routed {
    fn is_exact(&self) -> bool {
        self.message.is_some() && self.operation.is_some() && self.unknown == 0
    }
}

type Decoder = fn(&[u8]) -> Result<Routed, String>;

/// Sample folders and how the crate generated for them decodes a body.
const FOLDERS: [(&str, Decoder); 2] = [
    ("conversation", route::<sinch_conversation_webhooks::webhooks::Webhooks>),
    ("sms", route::<sinch_sms_webhooks::webhooks::Webhooks>),
];

fn main() -> ExitCode {
    let mut exact = false;
    let mut dir = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--exact" => exact = true,
            _ => dir = Some(PathBuf::from(arg)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: samples [--exact] <DIR>   (e.g. ../shared/samples)");
        return ExitCode::from(2);
    };
    let mut rows = Vec::new();
    for (folder, decode) in FOLDERS {
        let files = match json_files(&dir.join(folder)) {
            Ok(files) => files,
            Err(e) => {
                eprintln!("error: {}: {e}", dir.join(folder).display());
                return ExitCode::from(2);
            }
        };
        for file in files {
            let outcome = std::fs::read(&file).map_err(|e| e.to_string()).and_then(|bytes| decode(&bytes));
            let name = file.file_name().unwrap_or_default().to_string_lossy();
            rows.push(Row { file: format!("{folder}/{name}"), outcome });
        }
    }
    print_table(&rows);
    let lost = rows.iter().any(|row| row.outcome.is_err());
    let inexact = rows.iter().any(|row| row.outcome.as_ref().is_ok_and(|r| !r.is_exact()));
    if rows.is_empty() || lost || (exact && inexact) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Decodes `bytes` by payload, as `POST /` would, and checks that nothing was lost.
fn route<D: Decode>(bytes: &[u8]) -> Result<Routed, String>
where
    D::Callback: Unknowns,
{
    let original: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| format!("not JSON: {e}"))?;
    let event = D::decode(bytes).map_err(|e| e.to_string())?;
    let reencoded = serde_json::to_value(&event).map_err(|e| e.to_string())?;
    let diffs = differences(&original, &reencoded);
    if !diffs.is_empty() {
        return Err(format!("re-encoded differs at {diffs:?}"));
    }
    let unknown_paths = event.unknowns();
    let unknown = leaves_under(&original, &unknown_paths);
    Ok(Routed {
        message: event.message(),
        operation: event.operation(),
        typed: leaves(&original) - unknown,
        unknown,
        unknown_paths,
    })
}

fn print_table(rows: &[Row]) {
    println!(
        "{:<62} {:<36} {:<40} {:>6} {:>8}  values kept only as unknown",
        "file", "message", "operation", "typed", "unknown"
    );
    for row in rows {
        match &row.outcome {
            Ok(routed) => println!(
                "{:<62} {:<36} {:<40} {:>6} {:>8}  {}",
                row.file,
                routed.message.unwrap_or("UNKNOWN"),
                routed.operation.unwrap_or("-"),
                routed.typed,
                routed.unknown,
                routed
                    .unknown_paths
                    .iter()
                    .map(|p| if p.is_empty() { "(the whole body)" } else { p })
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            Err(error) => println!("{:<62} FAILED: {error}", row.file),
        }
    }
    let decoded: Vec<&Routed> = rows.iter().filter_map(|r| r.outcome.as_ref().ok()).collect();
    let exact = decoded.iter().filter(|r| r.is_exact()).count();
    println!();
    println!(
        "{} of {} samples decode by payload and re-encode losslessly; {} are routed to one message and \
         operation with every value typed.",
        decoded.len(),
        rows.len(),
        exact
    );
}
