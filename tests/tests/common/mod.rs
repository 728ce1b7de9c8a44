//! What the property tests share.

use proptest::test_runner::Config;

/// 64 cases, or what `PROPTEST_CASES` asks for; failures are not persisted to files.
pub fn proptest_config() -> Config {
    let mut config = match std::env::var_os("PROPTEST_CASES") {
        Some(_) => Config::default(),
        None => Config::with_cases(64),
    };
    config.failure_persistence = None;
    if config.max_shrink_iters == u32::MAX {
        // Shrink further than the automatic 4 × cases, so that a failure reads small.
        config.max_shrink_iters = 4096;
    }
    config
}
