//! `generated/` is exactly what the specs produce today.

use hookwright::output;
use hookwright::project::{Project, COMMAND};

#[test]
fn generated_crates_are_up_to_date() {
    let project = Project::new(spec_tests::repository());
    let crates = project.generate_all().unwrap_or_else(|errors| {
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        panic!("the specs do not generate:\n{}", errors.join("\n"))
    });
    assert_eq!(crates.len(), 3, "one crate per spec under specs/");
    let stale = output::stale(&project.generated_dir(), &crates).unwrap();
    if !stale.is_empty() {
        let diffs: Vec<&str> = stale.iter().map(|s| s.diff.as_str()).collect();
        panic!("{} file(s) under generated/ are stale; run `{COMMAND}` and commit:\n{}", stale.len(), diffs.join("\n"));
    }
}

#[test]
fn generation_is_deterministic() {
    let project = Project::new(spec_tests::repository());
    let first = project.generate_all().unwrap();
    let second = project.generate_all().unwrap();
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.files, b.files, "{} differs between two runs", a.name);
    }
}
