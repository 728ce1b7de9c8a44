//! The source of a crate example for tests/broken/example-names-collide.yaml.

fn main() {}
