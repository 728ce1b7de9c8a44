//! `Cargo.toml` and `lib.rs`: the crate around the models.

use std::fmt::Write as _;

use quote::quote;

use super::webhooks::QuickStart;
use super::{docs, source_file, CrateOptions, Modules, Runtime, Space};
use crate::ir::{Api, CrateExample, SecurityKind, Ty};
use crate::toml_text::string as toml_string;
use crate::GeneratedFile;

/// The `hookwright-runtime` version generated code is written for: the requirement in a
/// generated `Cargo.toml`, and what its `lib.rs` checks with `require_version!`.
pub const RUNTIME_VERSION: &str = "0.1";

/// The oldest Rust that builds a generated crate: the runtime's `rust-version`, which is the
/// newest `rust-version` among the runtime's locked dependencies (a test keeps them equal).
pub const RUST_VERSION: &str = "1.88";

pub fn cargo_toml(api: &Api, options: &CrateOptions, modules: Modules, header: &str) -> String {
    let description = format!("{} {}: models generated from {}", api.title, api.version, options.spec);
    let mut out = format!(
        "# {header}\n\
         [package]\n\
         name = {name}\n\
         version = \"{version}\"\n\
         edition = \"2021\"\n\
         rust-version = \"{RUST_VERSION}\"\n\
         description = {description}\n",
        name = toml_string(&options.name),
        version = options.version,
        description = toml_string(&description),
    );
    for (key, value) in [("license", &options.license), ("repository", &options.repository)] {
        if let Some(value) = value {
            let _ = writeln!(out, "{key} = {}", toml_string(value));
        }
    }
    let mut runtime_features = Vec::new();
    let mut features: Vec<(&str, &str, &str)> = Vec::new();
    if modules.operations {
        runtime_features.push("api");
        let axum = if modules.webhooks {
            "Ready axum `Router`s for a server, `operations::router`, and for the receiver, `webhooks::router`."
        } else {
            "A ready axum `Router` for a server: `operations::router`."
        };
        features.push(("axum", axum, "hookwright-runtime/axum"));
        features.push(("reqwest", "An async HTTP client: `operations::Client`.", "hookwright-runtime/reqwest"));
    }
    if modules.webhooks && !modules.operations {
        features.push((
            "axum",
            "A ready axum `Router` for the receiver: `webhooks::router`, and `serve`.",
            "hookwright-runtime/axum",
        ));
    }
    let _ = write!(
        out,
        "\n[dependencies]\nhookwright-runtime = {}\n",
        runtime_dependency(&options.runtime, &runtime_features)
    );
    if !features.is_empty() {
        out.push_str("\n[features]\n");
        for (name, doc, enables) in &features {
            let _ = write!(out, "# {doc}\n{name} = [\"{enables}\"]\n");
        }
    }
    let mut dev_features = Vec::new();
    let mut examples = Vec::new();
    if modules.webhooks {
        dev_features.push("example");
        examples.push((receiver_example_name(options), Some(RECEIVER_EXAMPLE_PATH), vec!["axum".to_owned()]));
    }
    if modules.round_trip_tests {
        dev_features.push("testing");
    }
    let mut dev_dependencies = Vec::new();
    if !dev_features.is_empty() {
        dev_dependencies.push(("hookwright-runtime".to_owned(), runtime_dependency(&options.runtime, &dev_features)));
    }
    for example in &api.crate_examples {
        dev_dependencies.extend(example.dev_dependencies.iter().cloned());
        examples.push((example.name.clone(), None, example.required_features.clone()));
    }
    dev_dependencies.sort();
    dev_dependencies.dedup_by(|a, b| a.0 == b.0);
    if !dev_dependencies.is_empty() {
        out.push_str("\n[dev-dependencies]\n");
        for (name, value) in &dev_dependencies {
            let _ = writeln!(out, "{name} = {value}");
        }
    }
    for (name, path, features) in &examples {
        let _ = write!(out, "\n[[example]]\nname = {}\n", toml_string(name));
        if let Some(path) = path {
            let _ = writeln!(out, "path = {}", toml_string(path));
        }
        let features: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
        let _ = writeln!(out, "required-features = [{}]", features.join(", "));
    }
    out.push_str(
        "\n# docs.rs shows every feature, and marks what each item needs.\n\
         [package.metadata.docs.rs]\n\
         all-features = true\n\
         rustdoc-args = [\"--cfg\", \"docsrs\"]\n\
         \n\
         [lints.rust]\n\
         unexpected_cfgs = { level = \"warn\", check-cfg = [\"cfg(docsrs)\"] }\n",
    );
    if !options.workspace_member {
        out.push_str(
            "\n# Not part of an enclosing workspace: builds on its own wherever it is written.\n[workspace]\n",
        );
    }
    out
}

/// The TOML value of the `hookwright-runtime` dependency, with `features` enabled.
fn runtime_dependency(runtime: &Runtime, features: &[&str]) -> String {
    let version = toml_string(RUNTIME_VERSION);
    let features = if features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = features.iter().map(|f| toml_string(f)).collect();
        format!(", features = [{}]", list.join(", "))
    };
    match runtime {
        Runtime::Registry if features.is_empty() => version,
        Runtime::Registry => format!("{{ version = {version}{features} }}"),
        Runtime::Path(path) => format!("{{ version = {version}, path = {}{features} }}", toml_string(path)),
    }
}

/// The `Handler` method of the quick start, when the crate receives callbacks.
pub type QuickStartHandler = Option<QuickStart>;

pub fn lib_rs(
    space: &Space,
    options: &CrateOptions,
    modules: Modules,
    handler: QuickStartHandler,
    header: &str,
) -> String {
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
    quick_start(options, modules, handler, &mut doc);
    operations_table(space, &mut doc);
    messages_table(space, &mut doc);
    security_list(api, &mut doc);
    let lines: Vec<String> = doc.trim_end().lines().map(str::to_owned).collect();
    let doc = docs::inner_attrs(&lines);
    // A glob re-export of an empty module is an unused import.
    let has_enums = (0..api.types.len()).any(|i| space.is_enum(crate::ir::TypeId(i)));
    let has_models = (0..api.types.len()).any(|i| !space.is_enum(crate::ir::TypeId(i)));
    let use_enums = has_enums.then(|| {
        quote!(
            pub use enums::*;
        )
    });
    let use_models = has_models.then(|| {
        quote!(
            pub use models::*;
        )
    });
    let webhooks = modules.webhooks.then(|| {
        quote!(
            pub mod webhooks;
        )
    });
    let operations = modules.operations.then(|| {
        quote!(
            pub mod operations;
            mod validate;
        )
    });
    let receiving = modules.webhooks.then(|| {
        quote! {
            /// The runtime's answers and verifiers, named here so a receiver needs no other import.
            pub use hookwright_runtime::webhook::{Outcome, Verifier};
        }
    });
    // A crate with neither has no `axum` feature.
    let serving = (modules.webhooks || modules.operations).then(|| {
        quote! {
            /// The axum crate of the routers, for your own routes and layers.
            #[cfg(feature = "axum")]
            #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
            pub use hookwright_runtime::axum;
            /// Serves a router until the process stops, on a Tokio runtime of its own.
            #[cfg(feature = "axum")]
            #[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
            pub use hookwright_runtime::webhook::axum::serve;
        }
    });
    let version = super::RUNTIME_VERSION;
    let inner = quote! {
        #doc
        #![cfg_attr(docsrs, feature(doc_cfg))]

        pub mod enums;
        pub mod models;
        #operations
        #webhooks

        #use_enums
        #use_models

        /// The runtime this crate is built on, re-exported so users need no dependency of their
        /// own that could drift to another version.
        pub use hookwright_runtime as runtime;
        pub use hookwright_runtime::Secret;
        #receiving
        #serving

        hookwright_runtime::require_version!(#version);
    };
    source_file(header, inner, "")
}

/// `## Quick start`: the `Cargo.toml` lines and a program that compiles (a doc test).
fn quick_start(options: &CrateOptions, modules: Modules, handler: QuickStartHandler, doc: &mut String) {
    let name = &options.name;
    let krate = name.replace('-', "_");
    let version = options.version.requirement();
    // An API with paths is mainly called: its receiver is shown by the `receiver` example.
    let (feature, code) = if modules.operations {
        ("reqwest", client_quick_start(&krate))
    } else if modules.webhooks {
        ("axum", webhooks_quick_start(&krate, handler))
    } else {
        return;
    };
    let _ = write!(
        doc,
        "\n## Quick start\n\n```toml\n[dependencies]\n{name} = {{ version = \"{version}\", features = [\"{feature}\"] }}\n```\n\n\
         Everything else it needs is re-exported: the runtime as [`runtime`], and with `{feature}` what \
         the example uses.\n\n```no_run\n# #[cfg(feature = \"{feature}\")]\n{code}# #[cfg(not(feature = \"{feature}\"))]\n# fn main() {{}}\n```\n"
    );
}

fn webhooks_quick_start(krate: &str, handler: QuickStartHandler) -> String {
    let handler = match handler {
        Some(QuickStart { method, parameter, ty }) => {
            // A raw identifier cannot be an inline format argument.
            let print = match parameter.strip_prefix("r#") {
                Some(_) => format!("\"{{:?}}: {{:?}}\", context.dedup_key, {parameter}"),
                None => format!("\"{{:?}}: {{{parameter}:?}}\", context.dedup_key"),
            };
            format!(
                "impl Handler for Inbox {{\n    async fn {method}(&self, {parameter}: {krate}::{ty}, context: Context<'_>) -> Outcome {{\n        \
                 println!({print}); // store it first: return Outcome::RetryLater if you cannot\n        \
                 Outcome::Accept\n    }}\n}}\n"
            )
        }
        None => "impl Handler for Inbox {} // every method accepts by default\n".to_owned(),
    };
    format!(
        "# fn main() -> std::io::Result<()> {{\n\
         use {krate}::webhooks::{{self, Context, Handler, Receiver}};\n\
         use {krate}::{{Outcome, Verifier}};\n\n\
         struct Inbox;\n\n{handler}\n\
         // Verify as your sender signs: see the schemes in `webhooks`.\n\
         let receiver = Receiver::new(Verifier::none());\n\
         {krate}::serve(\"0.0.0.0:8080\", webhooks::router(receiver, Inbox))\n\
         # }}\n"
    )
}

fn client_quick_start(krate: &str) -> String {
    format!(
        "# fn main() {{\n\
         use {krate}::operations::Client;\n\
         use {krate}::runtime::api::{{reqwest::HttpClient, Credentials}};\n\n\
         let http = HttpClient::new(\"https://api.example.com\").with_credentials(Credentials::bearer(\"token\"));\n\
         let client = Client::new(http); // one async method per operation\n\
         # let _ = client;\n\
         # }}\n"
    )
}

fn operations_table(space: &Space, doc: &mut String) {
    let api = space.api;
    if api.operations.is_empty() {
        return;
    }
    let is_http = api.is_openapi();
    doc.push_str("\n## Operations\n\n");
    if is_http {
        doc.push_str("| Operation | Method | Path | Request | Responses |\n|---|---|---|---|---|\n");
    } else {
        doc.push_str("| Operation | Action | Channel | Messages |\n|---|---|---|---|\n");
    }
    for op in &api.operations {
        let _ = write!(doc, "| `{}` | {} | `{}` | ", op.id, op.action.as_str(), op.address);
        if is_http {
            // A webhook's or callback's body is its message's payload.
            let received = op.messages.iter().filter_map(|m| api.messages[m.0].payload.as_ref());
            let request: Vec<String> = op
                .request_body
                .iter()
                .map(|request| &request.body.ty)
                .chain(received)
                .map(|ty| type_link(space, ty))
                .collect();
            let request = request.join(", ");
            let responses: Vec<String> = op
                .responses
                .iter()
                .map(|r| match &r.body {
                    Some(body) => format!("{}: {}", r.status, type_link(space, &body.ty)),
                    None => r.status.to_string(),
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
        Ty::Named(id) => format!("[`{}`]", space.names.types[id.0].name),
        Ty::Array(item) => format!("list of {}", type_link(space, item)),
        other => format!("`{}`", space.rust_type(other, None)),
    }
}

/// Where a webhook crate's receiver example is written.
pub const RECEIVER_EXAMPLE_PATH: &str = "examples/receiver.rs";

/// The receiver example's name, `<crate>-receiver`: cargo builds every example of a workspace
/// into one directory, so two generated webhook crates in one workspace need different names
/// (with the same one, each build overwrites the other's binary, and cargo warns).
fn receiver_example_name(options: &CrateOptions) -> String {
    format!("{}-receiver", options.name)
}

/// [`RECEIVER_EXAMPLE_PATH`]: a real HTTP server that accepts every callback and prints it.
pub fn receiver_example(api: &Api, options: &CrateOptions, header: &str) -> String {
    let krate = super::ident(&options.name.replace('-', "_"));
    let usage = format!(
        "cargo run -p {} --example {} --features axum -- --listen 127.0.0.1:8080 [--secret SECRET] [--max-age SECONDS] [--basic USER:PASS]",
        options.name,
        receiver_example_name(options)
    );
    let lines = [
        format!(
            "A receiver for the callbacks of {}: accepts every callback and prints one JSON line",
            docs::one_line(&api.title)
        ),
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
            hookwright_runtime::webhook::example::run::<Webhooks, _>(AcceptAll)
        }
    };
    source_file(header, items, "")
}

/// `examples/<name>.rs` for an example the spec ships, marked as copied from its source.
pub fn crate_example(example: &CrateExample, options: &CrateOptions) -> GeneratedFile {
    let spec_dir = options.spec.rsplit_once('/').map(|(dir, _)| format!("{dir}/")).unwrap_or_default();
    let copied = format!(
        "Copied by `{}` from {spec_dir}{} (named in {}'s `x-codegen.examples`). Edit that file, not this one.",
        options.command, example.path, options.spec
    );
    let text = format!("// {}\n{}", docs::visible(&copied), example.source);
    GeneratedFile::new(format!("examples/{}.rs", example.name), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the `hookwright-runtime` dependency, parsed back as TOML.
    fn parsed(runtime: &Runtime, features: &[&str]) -> toml_edit::Value {
        let text = runtime_dependency(runtime, features);
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_runtime_dependency_is_written_by_toml_rules() {
        assert_eq!(parsed(&Runtime::Registry, &[]).as_str(), Some(RUNTIME_VERSION));
        let path = "C:\\runtime \"quoted\"\n\u{202e}";
        let value = parsed(&Runtime::Path(path.to_owned()), &["api", "axum"]);
        let table = value.as_inline_table().expect("an inline table");
        assert_eq!(table.get("version").and_then(|v| v.as_str()), Some(RUNTIME_VERSION));
        assert_eq!(table.get("path").and_then(|p| p.as_str()), Some(path));
        let features = table.get("features").and_then(|f| f.as_array()).expect("a list of features");
        assert_eq!(features.iter().filter_map(|f| f.as_str()).collect::<Vec<_>>(), ["api", "axum"]);
    }
}
