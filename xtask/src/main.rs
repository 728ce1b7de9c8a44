//! `cargo xtask`: the repository's own commands.

mod bench_report;
mod compile_times;
mod corpus;
mod review;
mod review_cases;
mod semver_agreement;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use hookwright::project::{Failure, Project};
use hookwright::{output, GeneratedCrate};
use hookwright_cli::{print_summary, report_spec_errors};

#[derive(Parser)]
#[command(about = "Commands of this repository: regenerate the crates under generated/ from specs/.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate every crate under generated/ from its spec under specs/.
    ///
    /// Prints one line per crate: name, types emitted, lines, milliseconds. Nothing is written
    /// unless every spec generates; each crate is written in full, then swapped in.
    ///
    /// Then prints what the specs' changes since HEAD do to the crates' users (see `review`),
    /// and raises a crate's version where the changes need it. With `--check`, a version
    /// lower than the changes need is an error.
    Codegen {
        /// Write nothing; exit 1 listing every stale file with a unified diff.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        fetch: hookwright_cli::FetchArgs,
    },
    /// Print, as Markdown for a pull request, what the specs' changes since a revision do to
    /// users of the generated crates: types, fields, enum values, messages, operations and
    /// security schemes added, removed or changed, each breaking, additive or neither, and the
    /// version each crate needs. Exit 1 if a crate's version under generated/ is lower.
    Review {
        /// The git revision to compare with [default: origin/main if it exists, else HEAD].
        #[arg(long)]
        base: Option<String>,
    },
    /// Check the review's verdict (breaking or not) on small spec pairs, one per kind of change,
    /// against cargo-semver-checks run on the crates generated from them. Needs
    /// cargo-semver-checks installed (`.ci/semver` installs it); builds in the target directory.
    SemverAgreement,
    /// Turn any spec file into a crate: the same command as `cargo hookwright generate`.
    Generate(hookwright_cli::Generate),
    /// Time `cargo build` of each generated crate from a warm dependency cache.
    ///
    /// Builds everything once, then cleans and rebuilds each crate alone, and prints a markdown
    /// table: crate, lines emitted, types, build seconds.
    CompileTimes {
        /// Also time `--release` builds.
        #[arg(long)]
        release: bool,
    },
    /// Generate, compile (clippy, warnings denied) and round-trip the examples of every spec of
    /// a corpus of public specs; print a markdown table, one row per spec.
    ///
    /// The specs are the rows of `DIR/MANIFEST.tsv` (`local_path`; fragments skipped), or else
    /// every YAML/JSON file under DIR with a top-level `asyncapi`/`openapi` key. All crates go
    /// into one scratch workspace, `<target>/corpus/`. Every row is attempted; exit 1 unless
    /// all pass.
    Corpus {
        /// The corpus directory [default: ../shared/corpus beside the repository].
        dir: Option<PathBuf>,
        /// Only the specs whose manifest path contains this text.
        #[arg(long)]
        only: Option<String>,
        /// Pass `--offline` to cargo (when the network is unavailable).
        #[arg(long)]
        offline: bool,
    },
    /// Print criterion's results (`cargo bench`) as markdown tables of ratios to baselines.
    ///
    /// Reads `<target>/criterion/**/new/estimates.json` (CARGO_TARGET_DIR is respected) and
    /// shows each figure's median, its ratio to the baseline of the same run, and its goal.
    BenchReport {
        /// Use each benchmark's lower median of the last two runs (run the benches twice on
        /// the same code first): on a shared machine, interference only slows a run down.
        #[arg(long)]
        best_of_two: bool,
    },
}

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap_or(Path::new("."));
    match Cli::parse().command {
        Command::Codegen { check, fetch } => {
            let scratch = target_dir(root).join("review-base");
            if let Err(code) = enter(root) {
                return code;
            }
            match fetch.fetcher() {
                Ok(fetch_remote) => codegen(Project { fetch_remote, ..Project::new(".") }, check, &scratch),
                Err(error) => report_failure(Err(error)),
            }
        }
        Command::Review { base } => {
            let scratch = target_dir(root).join("review-base");
            if let Err(code) = enter(root) {
                return code;
            }
            let base = base.unwrap_or_else(|| review::default_base(Path::new(".")));
            report_failure(review_command(&Project::new("."), &base, &scratch))
        }
        Command::SemverAgreement => report_failure(semver_agreement::run(root, &target_dir(root))),
        Command::Generate(mut generate) => {
            // Specs of this repository may refer to any file in it, and to nothing outside.
            generate.root.get_or_insert_with(|| root.to_path_buf());
            generate.run("cargo xtask generate")
        }
        Command::CompileTimes { release } => report_failure(compile_times::run(root, release)),
        Command::Corpus { dir, only, offline } => {
            let dir = dir.unwrap_or_else(|| root.join("../shared/corpus"));
            match corpus::run(root, &target_dir(root), &corpus::Options { dir, only, offline }) {
                Ok(true) => ExitCode::SUCCESS,
                Ok(false) => ExitCode::FAILURE,
                Err(error) => report_failure(Err(error)),
            }
        }
        Command::BenchReport { best_of_two } => report_failure(bench_report::run(&target_dir(root), best_of_two)),
    }
}

/// Makes the repository root the current directory, so that messages show short, relative
/// paths; on failure, the exit code after saying why.
fn enter(root: &Path) -> Result<(), ExitCode> {
    std::env::set_current_dir(root).map_err(|e| {
        eprintln!("error: cannot enter {}: {e}", root.display());
        ExitCode::FAILURE
    })
}

/// The cargo target directory: `CARGO_TARGET_DIR`, else `target/` of the repository.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

fn report_failure(result: Result<(), String>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn review_command(project: &Project, base: &str, scratch: &Path) -> Result<(), String> {
    let reviews = review::since(project, base, scratch)?;
    print!("{}", review::markdown(&reviews));
    let low = review::too_low(project, &reviews)?;
    for (name, versions) in &low {
        eprintln!("error: {}", review::too_low_message(name, *versions, base));
    }
    if low.is_empty() {
        Ok(())
    } else {
        Err(format!("{} crate version(s) too low", low.len()))
    }
}

fn codegen(mut project: Project, check: bool, scratch: &Path) -> ExitCode {
    // The review needs every spec to read: with a broken one it is skipped with a note, and
    // generation below reports the error in full.
    let reviews = match review::since(&project, "HEAD", scratch) {
        Ok(reviews) => Some(reviews),
        Err(note) => {
            eprintln!("note: no API review: {note}");
            None
        }
    };
    if let Some(reviews) = &reviews {
        match review::too_low(&project, reviews) {
            Ok(low) if check && !low.is_empty() => {
                for (name, versions) in low {
                    eprintln!("error: {}", review::too_low_message(&name, versions, "HEAD"));
                }
                return ExitCode::FAILURE;
            }
            Ok(low) => project.versions = low.into_iter().map(|(name, (_, required))| (name, required)).collect(),
            Err(e) => eprintln!("note: {e}"),
        }
    }
    let print_review = || {
        if let Some(reviews) = reviews.as_ref().filter(|r| r.crates.iter().any(|k| !k.changes.is_empty())) {
            print!("\n{}", review::markdown(reviews));
        }
    };
    if check {
        return match project.generate_all() {
            Ok(crates) => {
                print_review();
                check_stale(&project.generated_dir(), &crates)
            }
            Err(errors) => report_spec_errors(&errors),
        };
    }
    match project.regenerate() {
        Ok(crates) => {
            print_summary(&crates);
            for (name, version) in &project.versions {
                println!("{name}: version raised to {version}");
            }
            print_review();
            ExitCode::SUCCESS
        }
        Err(Failure::Specs(errors)) => report_spec_errors(&errors),
        Err(Failure::Write(error)) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn check_stale(generated: &Path, crates: &[GeneratedCrate]) -> ExitCode {
    match output::stale(generated, crates) {
        Ok(stale) if stale.is_empty() => {
            println!("generated/ is up to date with specs/ ({} crates)", crates.len());
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            for file in &stale {
                println!("{}", file.diff);
            }
            eprintln!("{} stale file(s) under generated/:", stale.len());
            for file in &stale {
                eprintln!("  {}", file.path.display());
            }
            eprintln!("run `cargo xtask codegen` to update them, then commit the result");
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", generated.display());
            ExitCode::FAILURE
        }
    }
}
