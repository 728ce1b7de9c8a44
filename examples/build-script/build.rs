//! Generates the SMS webhook models into `OUT_DIR` on every build that changes the spec.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let spec = "../../specs/sinch-sms-webhooks.asyncapi.yaml";
    println!("cargo::rerun-if-changed={spec}");
    let source = hookwright::generate_module(Path::new(spec))?;
    std::fs::write(Path::new(&std::env::var("OUT_DIR")?).join("sms.rs"), source)?;
    Ok(())
}
