//! `Cargo.toml` and `lib.rs`: the crate around the models.

use std::fmt::Write as _;

use quote::quote;

use super::{docs, source_file, CrateOptions, Modules, Space};
use crate::ir::{Api, CrateExample, SecurityKind, Ty};

pub fn cargo_toml(api: &Api, options: &CrateOptions, modules: Modules, header: &str) -> String {
    let description = toml_string(&format!("{} {}: models generated from {}", api.title, api.version, options.spec));
    let mut out = format!(
        "# {header}\n\
         [package]\n\
         name = {name}\n\
         version = \"0.1.0\"\n\
         edition = \"2021\"\n\
         description = {description}\n\
         publish = false\n\
         \n\
         [dependencies]\n\
         codegen-runtime = {runtime}\n",
        name = toml_string(&options.name),
        runtime = options.runtime_dependency,
    );
    if modules.operations {
        out.push_str(
            "\n[features]\n\
             # A ready axum `Router` for a server: `operations::router`.\n\
             axum = [\"codegen-runtime/axum\"]\n\
             # An async HTTP client: `operations::Client`.\n\
             reqwest = [\"codegen-runtime/reqwest\"]\n",
        );
    }
    let mut dev_dependencies = Vec::new();
    let mut examples = Vec::new();
    if modules.webhooks {
        out.push_str(
            "\n[features]\n\
             # A ready axum `Router` for the receiver: `webhooks::router`.\n\
             axum = [\"codegen-runtime/axum\"]\n",
        );
        dev_dependencies.push(("codegen-runtime".to_owned(), with_features(&options.runtime_dependency, "\"example\"")));
        examples.push(("receiver".to_owned(), vec!["axum".to_owned()]));
    }
    for example in &api.crate_examples {
        dev_dependencies.extend(example.dev_dependencies.iter().cloned());
        examples.push((example.name.clone(), example.required_features.clone()));
    }
    dev_dependencies.sort();
    dev_dependencies.dedup_by(|a, b| a.0 == b.0);
    if !dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for (name, value) in &dev_dependencies {
            let _ = writeln!(out, "{name} = {value}");
        }
    }
    for (name, features) in &examples {
        let features: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
        let _ = write!(out, "\n[[example]]\nname = {}\nrequired-features = [{}]\n", toml_string(name), features.join(", "));
    }
    if options.standalone {
        out.push_str("\n[workspace]\n");
    }
    out
}

/// A dependency's TOML value with `features` added: `{ path = "x" }` or `"1.0"`.
fn with_features(dependency: &str, features: &str) -> String {
    match dependency.trim().strip_suffix('}') {
        Some(table) => format!("{}, features = [{features}] }}", table.trim_end()),
        None => format!("{{ version = {}, features = [{features}] }}", dependency.trim()),
    }
}

fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

pub fn lib_rs(space: &Space, options: &CrateOptions, modules: Modules, header: &str) -> String {
    let api = space.api;
    let mut doc = format!("# {}\n\n", docs::one_line(&api.title));
    if let Some(description) = &api.description {
        for line in docs::lines(description) {
            doc.push_str(&line);
            doc.push('\n');
        }
        doc.push('\n');
    }
    let _ = writeln!(
        doc,
        "Generated from `{}` ({}, API version {}) by `{}`.",
        options.spec, api.format, api.version, options.command
    );
    operations_table(space, &mut doc);
    messages_table(space, &mut doc);
    security_list(api, &mut doc);
    let lines: Vec<String> = doc.trim_end().lines().map(str::to_owned).collect();
    let doc = docs::inner_attrs(&lines);
    // A glob re-export of an empty module is an unused import.
    let has_enums = (0..api.types.len()).any(|i| space.is_enum(crate::ir::TypeId(i)));
    let has_models = (0..api.types.len()).any(|i| !space.is_enum(crate::ir::TypeId(i)));
    let use_enums = has_enums.then(|| quote!(pub use enums::*;));
    let use_models = has_models.then(|| quote!(pub use models::*;));
    let webhooks = modules.webhooks.then(|| quote!(pub mod webhooks;));
    let operations = modules.operations.then(|| quote!(pub mod operations; mod validate;));
    let inner = quote! {
        #doc
        pub mod enums;
        pub mod models;
        #operations
        #webhooks

        #use_enums
        #use_models
    };
    source_file(header, inner, "")
}

fn operations_table(space: &Space, doc: &mut String) {
    let api = space.api;
    if api.operations.is_empty() {
        return;
    }
    let is_http = api.messages.is_empty();
    doc.push_str("\n## Operations\n\n");
    if is_http {
        doc.push_str("| Operation | Method | Path | Request | Responses |\n|---|---|---|---|---|\n");
    } else {
        doc.push_str("| Operation | Action | Channel | Messages |\n|---|---|---|---|\n");
    }
    for op in &api.operations {
        let _ = write!(doc, "| `{}` | {} | `{}` | ", op.id, op.action, op.address);
        if is_http {
            let request = op.request_body.as_ref().map(|body| type_link(space, &body.ty)).unwrap_or_default();
            let responses: Vec<String> = op
                .responses
                .iter()
                .map(|r| match &r.body {
                    Some(body) => format!("{}: {}", r.status, type_link(space, &body.ty)),
                    None => r.status.clone(),
                })
                .collect();
            let _ = writeln!(doc, "{request} | {} |", responses.join(", "));
        } else {
            let messages: Vec<String> = op.messages.iter().map(|m| format!("`{}`", api.messages[m.0].key)).collect();
            let _ = writeln!(doc, "{} |", messages.join(", "));
        }
    }
}

fn messages_table(space: &Space, doc: &mut String) {
    let api = space.api;
    if api.messages.is_empty() {
        return;
    }
    doc.push_str("\n## Messages\n\n| Message | Name | Payload | Summary |\n|---|---|---|---|\n");
    for message in &api.messages {
        let payload = message.payload.as_ref().map(|ty| type_link(space, ty)).unwrap_or_default();
        let summary = message.summary.as_deref().or(message.title.as_deref()).unwrap_or_default();
        let _ = writeln!(
            doc,
            "| `{}` | `{}` | {payload} | {} |",
            message.key,
            message.name.as_deref().unwrap_or(&message.key),
            docs::one_line(summary)
        );
    }
}

fn security_list(api: &Api, doc: &mut String) {
    if api.security_schemes.is_empty() {
        return;
    }
    doc.push_str("\n## Security schemes\n\n");
    for scheme in &api.security_schemes {
        let kind = match &scheme.kind {
            SecurityKind::HttpBasic => "HTTP Basic authentication".to_owned(),
            SecurityKind::HttpBearer { format: Some(format) } => format!("HTTP Bearer token ({format})"),
            SecurityKind::HttpBearer { format: None } => "HTTP Bearer token".to_owned(),
            SecurityKind::ApiKey { location, name } => format!("`{name}` in the {location}"),
            SecurityKind::Other(other) => format!("`{other}`"),
        };
        let description = scheme.description.as_deref().map(|d| format!(": {}", docs::one_line(d))).unwrap_or_default();
        let _ = writeln!(doc, "- `{}`: {kind}{description}", scheme.key);
    }
}

/// A type as a doc link when it has a name, else in code style.
fn type_link(space: &Space, ty: &Ty) -> String {
    match ty {
        Ty::Named(id) => format!("[`{}`]", space.names.types[id.0]),
        Ty::Array(item) => format!("list of {}", type_link(space, item)),
        other => format!("`{}`", space.rust_type(other, None)),
    }
}

/// `examples/receiver.rs`: a real HTTP server that accepts every callback and prints it.
pub fn receiver_example(api: &Api, options: &CrateOptions, header: &str) -> String {
    let krate = super::ident(&options.name.replace('-', "_"));
    let usage = format!(
        "cargo run -p {} --example receiver --features axum -- --listen 127.0.0.1:8080 [--secret SECRET] [--max-age SECONDS] [--basic USER:PASS]",
        options.name
    );
    let lines = [
        format!("A receiver for the callbacks of {}: accepts every callback and prints one JSON line", docs::one_line(&api.title)),
        "per request (path, status, message, operation, payload re-encoded).".to_owned(),
        String::new(),
        "```text".to_owned(),
        usage,
        "```".to_owned(),
        String::new(),
        "`POST /` is decoded by payload, `POST <channel address>` by channel.".to_owned(),
    ];
    let doc = docs::inner_attrs(&lines);
    let items = quote! {
        #doc
        use std::process::ExitCode;

        use #krate::webhooks::{Handler, Webhooks};

        /// Accepts every callback; the runtime prints what was received.
        struct AcceptAll;

        impl Handler for AcceptAll {}

        fn main() -> ExitCode {
            codegen_runtime::webhook::example::run::<Webhooks, _>(AcceptAll)
        }
    };
    source_file(header, items, "")
}

/// `examples/<name>.rs` for an example the spec ships, marked as copied from its source.
pub fn crate_example(example: &CrateExample, options: &CrateOptions) -> (String, String) {
    let spec_dir = options.spec.rsplit_once('/').map(|(dir, _)| format!("{dir}/")).unwrap_or_default();
    let text = format!(
        "// Copied by `{}` from {spec_dir}{} (named in {}'s `x-codegen.examples`). Edit that file, not this one.\n{}",
        options.command, example.path, options.spec, example.source
    );
    (format!("examples/{}.rs", example.name), text)
}
