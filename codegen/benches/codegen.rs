//! How long the generator takes as specs grow, against the floor every run pays: parsing the
//! same YAML into `serde_json::Value` with the same YAML crate and options the generator uses.
//!
//! `cargo bench -p hookwright --bench codegen`, then `cargo xtask bench-report`.
//!
//! Specs: the three under `specs/`, and synthetic ones of 100, 1,000 and 10,000 schemas
//! (`synthetic/`), each written to a file once, before timing, so both sides read a file.
//! Criterion ids: group `codegen`, functions `yaml_parse` (the baseline) and `generate`, the
//! spec as the parameter.

mod synthetic;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use hookwright::project::Project;
use hookwright::CrateOptions;

/// Synthetic spec sizes, in schemas.
const SIZES: [usize; 3] = [100, 1_000, 10_000];

/// A spec to measure: its criterion parameter, its file, and how its crate is generated.
struct Spec {
    name: String,
    path: PathBuf,
    options: CrateOptions,
}

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("codegen/ is in the repository")
}

/// The repository's specs, then the synthetic ones written under cargo's bench temp dir.
fn specs() -> Vec<Spec> {
    let project = Project::new(repository());
    let mut specs: Vec<Spec> = project
        .specs()
        .expect("specs/ is readable")
        .into_iter()
        .map(|path| Spec { name: hookwright::project::crate_name(&path), options: project.options(&path), path })
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("synthetic-specs");
    std::fs::create_dir_all(&dir).expect("the bench temp dir is writable");
    for size in SIZES {
        let path = dir.join(format!("synthetic-{size}.asyncapi.yaml"));
        std::fs::write(&path, synthetic::spec(size)).expect("the bench temp dir is writable");
        // Written outside the repository (under the target directory, wherever that is), so
        // the spec's folder is its root.
        let options = CrateOptions { root: Some(dir.clone()), ..project.options(&path) };
        specs.push(Spec { name: format!("synthetic-{size}"), path, options });
    }
    specs
}

/// The baseline: what `hookwright::spec` does to load a document, and nothing more. The options
/// mirror the generator's (strict booleans, duplicate keys refused), which it does not export,
/// except that the node and event budgets are raised so that the floor is measured even for
/// specs larger than the generator's YAML budget (250,000 nodes) admits.
fn yaml_parse(path: &Path) -> serde_json::Value {
    let source = std::fs::read_to_string(path).expect("the spec is readable");
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = usize::MAX;
    budget.max_events = usize::MAX;
    options.budget = Some(budget);
    serde_saphyr::from_str_with_options(&source, options).expect("the spec is valid YAML")
}

fn codegen(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen");
    for spec in specs() {
        // One untimed run: to report the size, to skip a spec the generator refuses (the
        // report then shows it as missing), and to choose the sampling.
        let krate = match hookwright::generate(&spec.path, &spec.options) {
            Ok(krate) => Some(krate),
            Err(error) => {
                eprintln!("{}: the generator refuses it, so only the baseline is measured:\n{error}", spec.name);
                None
            }
        };
        // Runs of 100 ms or more: few samples of one iteration each, not criterion's ramp.
        let slow = krate.as_ref().is_none_or(|krate| krate.duration > Duration::from_millis(100));
        group.sampling_mode(if slow { SamplingMode::Flat } else { SamplingMode::Auto });
        group.sample_size(if slow { 10 } else { 50 });
        group.bench_with_input(BenchmarkId::new("yaml_parse", &spec.name), &spec.path, |b, path| {
            b.iter(|| yaml_parse(black_box(path)))
        });
        if let Some(krate) = krate {
            println!("{}: {} types, {} lines", spec.name, krate.types, krate.lines());
            group.bench_with_input(BenchmarkId::new("generate", &spec.name), &spec, |b, spec| {
                b.iter(|| hookwright::generate(black_box(&spec.path), &spec.options))
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    targets = codegen
}
criterion_main!(benches);
