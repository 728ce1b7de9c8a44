//! Checks what a generated `receiver` example printed while recorded callbacks were sent to
//! it over HTTP (`.ci/replay-samples` does the sending with curl): every request answered
//! 200, and every payload, decoded and encoded again by the receiver, equal to the file sent.
//!
//! `replay_check <LINES.jsonl> <SAMPLES_DIR>`: line N of the output belongs to the N-th
//! `*.json` file of the folder in name order, the order in which they were sent.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;
use spec_tests::{differences, json_files};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let [lines, dir] = args.as_slice() else {
        eprintln!("usage: replay_check <LINES.jsonl> <SAMPLES_DIR>");
        return ExitCode::from(2);
    };
    match check(lines, dir) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn check(lines: &Path, dir: &Path) -> Result<bool, String> {
    let output = std::fs::read_to_string(lines).map_err(|e| format!("{}: {e}", lines.display()))?;
    let records: Vec<Value> = output
        .lines()
        .map(|line| serde_json::from_str(line).map_err(|e| format!("{}: not a JSON line: {e}", lines.display())))
        .collect::<Result<_, _>>()?;
    let files = json_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if files.len() != records.len() {
        return Err(format!("{} files were sent but the receiver printed {} lines", files.len(), records.len()));
    }
    println!("{:<58} {:>6}  {:<32} {:<30} re-encoded", "file", "status", "message", "operation");
    let mut ok = true;
    for (file, record) in files.iter().zip(&records) {
        let sent: Value = std::fs::read(file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| format!("{}: cannot read as JSON", file.display()))?;
        let status = record["status"].as_u64().unwrap_or_default();
        let diffs = differences(&sent, &record["payload"]);
        let verdict = if diffs.is_empty() { "equal".to_owned() } else { format!("DIFFERENT: {}", diffs.join("; ")) };
        ok &= status == 200 && diffs.is_empty();
        println!(
            "{:<58} {:>6}  {:<32} {:<30} {verdict}",
            file.file_name().unwrap_or_default().to_string_lossy(),
            status,
            record["message"].as_str().unwrap_or("?"),
            record["operation"].as_str().unwrap_or("-"),
        );
    }
    Ok(ok)
}
