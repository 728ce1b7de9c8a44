//! `cargo xtask bench-report`: criterion's results as markdown tables, each figure next to the
//! baseline measured in the same run, as a ratio, with its goal and whether it is met.
//!
//! Criterion writes `<target>/criterion/<id>/new/{benchmark,estimates}.json` per benchmark;
//! `benchmark.json` names the group, the function and the parameter, `estimates.json` holds the
//! statistics. The median is reported (robust to the odd preempted sample on a shared machine).
//! Which function is a group's baseline, and the goals, are the [`GROUPS`] table: it mirrors
//! the ids the benches under `codegen/benches` and `tests/benches` use.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::Value;

/// How to read the benchmarks of the groups whose id starts with `prefix`.
struct Group {
    prefix: &'static str,
    /// What the figures are, one line for the report.
    about: &'static str,
    baseline: &'static str,
    /// The other functions, in column order, each with its goal.
    figures: &'static [(&'static str, Option<Goal>)],
}

/// The highest ratio to the baseline allowed, and where a row (a parameter) is allowed another.
#[derive(Clone, Copy)]
struct Goal {
    ratio: f64,
    except: &'static [(&'static str, f64)],
}

impl Goal {
    const fn ratio(ratio: f64) -> Goal {
        Goal { ratio, except: &[] }
    }

    fn for_row(self, parameter: &str) -> f64 {
        self.except.iter().find(|(row, _)| *row == parameter).map_or(self.ratio, |(_, ratio)| *ratio)
    }

    fn describe(self) -> String {
        let except: Vec<String> = self.except.iter().map(|(row, ratio)| format!(", {ratio}x at {row}")).collect();
        format!("goal ≤ {}x{}", self.ratio, except.concat())
    }
}

const GROUPS: &[Group] = &[
    Group {
        prefix: "codegen",
        about: "generator wall time per spec, against parsing the same YAML into `serde_json::Value`",
        baseline: "yaml_parse",
        figures: &[("generate", None)],
    },
    Group {
        prefix: "decode/",
        about: "per-callback decode, against `from_slice` into the concrete type (the limit)",
        baseline: "limit",
        figures: &[
            ("by_channel", Some(Goal::ratio(1.1))),
            ("by_payload", Some(Goal::ratio(1.3))),
            ("by_channel_signed", None),
            ("by_payload_signed", None),
            ("value_then_convert", None),
        ],
    },
    Group {
        prefix: "preservation",
        about: "the generated type (keeps unknown fields) against a serde-derive mirror that drops them",
        baseline: "mirror",
        figures: &[("generated", Some(Goal::ratio(1.1))), ("flatten", None)],
    },
    Group {
        prefix: "unknown_field",
        about: "a payload with a field the spec does not name: the generated type keeps it, against \
                `#[serde(flatten)]`, which keeps it too (the mirror drops it)",
        baseline: "flatten",
        figures: &[("generated", None), ("mirror", None)],
    },
    Group {
        prefix: "signature",
        about: "`Verifier` HMAC verification against raw `hmac`/`sha2` over the same bytes; `floor` \
                is the least any verifier on `http::HeaderMap` adds to it",
        baseline: "raw_hmac",
        // Issue 16: a fixed cost per request weighs most on the smallest body.
        figures: &[("verifier", Some(Goal { ratio: 1.1, except: &[("64 B", 1.5)] })), ("floor", None)],
    },
];

/// Growth of codegen time from the 1,000- to the 10,000-schema spec, and its goal.
const GROWTH: (&str, &str, f64) = ("synthetic-1000", "synthetic-10000", 12.0);
/// The largest synthetic spec must generate in under this many seconds.
const LARGEST_GOAL_SECONDS: f64 = 2.0;

/// One benchmark's median, in nanoseconds.
#[derive(Debug, Clone)]
struct Estimate {
    group: String,
    function: String,
    parameter: String,
    median_ns: f64,
}

/// Prints the report for the criterion results under `target` (the cargo target directory).
///
/// `best_of_two`: take each benchmark's lower median of the last two runs (the previous one is
/// recovered from criterion's `change/estimates.json`, the relative change of the median). On
/// a machine shared with other work, interference only ever slows a run down, so the lower
/// figure is the closer one; it is only meaningful when both runs measured the same code.
pub fn run(target: &Path, best_of_two: bool) -> Result<(), String> {
    let dir = target.join("criterion");
    let estimates = read_all(&dir, best_of_two)?;
    if estimates.is_empty() {
        return Err(format!("no criterion results under {}; run `cargo bench` first", dir.display()));
    }
    if best_of_two {
        println!("Each figure is the lower median of the last two runs.\n");
    }
    print!("{}", report(&estimates));
    Ok(())
}

fn read_all(dir: &Path, best_of_two: bool) -> Result<Vec<Estimate>, String> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.file_name().is_some_and(|name| name == "new") {
                found.push(read_one(&path, best_of_two)?);
            } else if path.is_dir() {
                pending.push(path);
            }
        }
    }
    Ok(found)
}

fn read_one(new: &Path, best_of_two: bool) -> Result<Estimate, String> {
    let benchmark = read_json(&new.join("benchmark.json"))?;
    let text = |key: &str| benchmark[key].as_str().unwrap_or_default().to_owned();
    let mut median_ns = median(&new.join("estimates.json"))?;
    let change = new.with_file_name("change").join("estimates.json");
    if best_of_two && change.is_file() {
        let previous = median_ns / (1.0 + median(&change)?);
        median_ns = median_ns.min(previous);
    }
    Ok(Estimate { group: text("group_id"), function: text("function_id"), parameter: text("value_str"), median_ns })
}

/// The median's point estimate in an `estimates.json` (for `change/`: its relative change).
fn median(estimates: &Path) -> Result<f64, String> {
    read_json(estimates)?["median"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no median point estimate", estimates.display()))
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn report(estimates: &[Estimate]) -> String {
    let mut out = String::new();
    let mut goals = Tally::default();
    for group in GROUPS {
        let mut ids: Vec<&str> =
            estimates.iter().map(|e| e.group.as_str()).filter(|id| id.starts_with(group.prefix)).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            let mine: Vec<&Estimate> = estimates.iter().filter(|e| e.group == id).collect();
            table(&mut out, group, id, &mine, &mut goals);
            if group.prefix == "codegen" {
                codegen_goals(&mut out, &mine, &mut goals);
            }
        }
    }
    let _ = writeln!(out, "**Goals: {} met, {} missed.**", goals.met, goals.missed);
    out
}

#[derive(Default)]
struct Tally {
    met: usize,
    missed: usize,
}

impl Tally {
    /// `✅`/`❌` for a ratio against its goal, counted.
    fn check(&mut self, ratio: f64, goal: f64) -> &'static str {
        if ratio <= goal {
            self.met += 1;
            "✅"
        } else {
            self.missed += 1;
            "❌"
        }
    }
}

/// One markdown table: a row per parameter, the baseline's time, then each figure's time and
/// ratio to it (with the goal's mark where there is one).
fn table(out: &mut String, group: &Group, id: &str, estimates: &[&Estimate], goals: &mut Tally) {
    let mut rows: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for e in estimates {
        rows.entry(e.parameter.as_str()).or_default().insert(e.function.as_str(), e.median_ns);
    }
    let _ = writeln!(out, "### `{id}`\n\n{} (median; ratio to `{}`).\n", group.about, group.baseline);
    let headers: Vec<String> = group
        .figures
        .iter()
        .map(|(name, goal)| goal.map_or_else(|| format!("`{name}`"), |goal| format!("`{name}` ({})", goal.describe())))
        .collect();
    let _ = writeln!(out, "| | `{}` | {} |", group.baseline, headers.join(" | "));
    let _ = writeln!(out, "|---|---:|{}", "---:|".repeat(headers.len()));
    for (parameter, times) in &rows {
        let baseline = times.get(group.baseline).copied();
        let cells: Vec<String> = group
            .figures
            .iter()
            .map(|(name, goal)| {
                cell(times.get(name).copied(), baseline, goal.map(|goal| goal.for_row(parameter)), goals)
            })
            .collect();
        let baseline = baseline.map_or_else(|| "—".to_owned(), duration);
        let _ = writeln!(out, "| {parameter} | {baseline} | {} |", cells.join(" | "));
    }
    out.push('\n');
}

fn cell(time: Option<f64>, baseline: Option<f64>, goal: Option<f64>, goals: &mut Tally) -> String {
    match (time, baseline) {
        (Some(time), Some(baseline)) => {
            let ratio = time / baseline;
            let mark = goal.map(|goal| goals.check(ratio, goal)).unwrap_or_default();
            format!("{} ({ratio:.2}x){mark}", duration(time))
        }
        (Some(time), None) => duration(time),
        (None, _) => "not measured".to_owned(),
    }
}

/// The codegen goals that are not a ratio to the baseline: linear growth, and an absolute time.
fn codegen_goals(out: &mut String, estimates: &[&Estimate], goals: &mut Tally) {
    let generate = |parameter: &str| {
        estimates.iter().find(|e| e.function == "generate" && e.parameter == parameter).map(|e| e.median_ns)
    };
    let (small, large, growth_goal) = GROWTH;
    match (generate(small), generate(large)) {
        (Some(a), Some(b)) => {
            let mark = goals.check(b / a, growth_goal);
            let _ =
                writeln!(out, "Growth `generate` {large} / {small}: **{:.1}x** (goal ≤ {growth_goal}x) {mark}", b / a);
        }
        _ => {
            goals.missed += 1;
            let _ = writeln!(out, "Growth `generate` {large} / {small}: not measured (goal ≤ {growth_goal}x) ❌");
        }
    }
    let seconds = generate(large).map(|ns| ns / 1e9);
    let mark = goals.check(seconds.unwrap_or(f64::INFINITY), LARGEST_GOAL_SECONDS);
    let shown = seconds.map_or_else(|| "not measured".to_owned(), |s| format!("{s:.2} s"));
    let _ = writeln!(out, "\n`generate` {large}: **{shown}** (goal < {LARGEST_GOAL_SECONDS} s) {mark}\n");
}

/// A time in the unit that keeps three significant digits readable.
fn duration(ns: f64) -> String {
    match ns {
        ns if ns < 1e3 => format!("{ns:.0} ns"),
        ns if ns < 1e6 => format!("{:.2} µs", ns / 1e3),
        ns if ns < 1e9 => format!("{:.2} ms", ns / 1e6),
        ns => format!("{:.2} s", ns / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_goal_may_allow_one_row_another_ratio() {
        let signature = GROUPS.iter().find(|group| group.prefix == "signature").and_then(|group| group.figures[0].1);
        let goal = signature.expect("the signature group has a goal");
        assert_eq!(goal.for_row("64 B"), 1.5);
        assert_eq!(goal.for_row("1 KiB"), 1.1);
        assert_eq!(goal.describe(), "goal ≤ 1.1x, 1.5x at 64 B");
        let mut tally = Tally::default();
        assert!(cell(Some(152.0), Some(100.0), Some(goal.for_row("64 B")), &mut tally).contains("1.52x"));
        assert_eq!((tally.met, tally.missed), (0, 1));
    }
}
