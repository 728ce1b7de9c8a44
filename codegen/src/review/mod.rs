//! What a spec update changes for users of the crate generated from it: the two specs' IRs
//! compared item by item, each change classified by what it does to code using the crate.
//!
//! The comparison speaks in the spec's terms (`Status.code` became required) and names the
//! Rust items affected; [`CrateReview`] adds the version the crate then needs under semver and
//! renders it all as Markdown for a pull request. It reads the IR, never generated Rust, so
//! it knows why an item changed; `cargo-semver-checks` checks the Rust side independently.

mod markdown;
mod operations;
mod rust;
mod schemas;
mod version;

pub use version::Version;

use crate::ir::Api;
use rust::RustNames;

/// What a change does to code that uses the crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Documentation only: descriptions, constraints listed in docs.
    None,
    /// New API; code written against the old crate compiles and behaves as before.
    Additive,
    /// Code written against the old crate may stop compiling or decode differently.
    Breaking,
}

impl Class {
    pub fn label(self) -> &'static str {
        match self {
            Class::None => "no API change",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }
}

/// The kind of spec element a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    Type,
    Field,
    EnumValue,
    UnionVariant,
    Message,
    Operation,
    Parameter,
    Response,
    SecurityScheme,
}

impl Element {
    pub fn label(self) -> &'static str {
        match self {
            Element::Type => "type",
            Element::Field => "field",
            Element::EnumValue => "enum value",
            Element::UnionVariant => "union variant",
            Element::Message => "message",
            Element::Operation => "operation",
            Element::Parameter => "parameter",
            Element::Response => "response",
            Element::SecurityScheme => "security scheme",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delta {
    Added,
    Removed,
    Changed,
}

/// One change between two versions of a spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiChange {
    pub element: Element,
    pub delta: Delta,
    /// The element as the spec names it: `Status.code`, `receiveOrder`, `createWebhook 201`.
    pub subject: String,
    /// What changed, when "added" or "removed" does not say it all: `became required`.
    pub detail: String,
    /// Where in the spec: a path such as `components/schemas/Status/properties/code`.
    pub location: String,
    /// The Rust items affected, as paths in the crate: `models::Status::code`.
    pub rust: Vec<String>,
    pub class: Class,
}

/// An element of one of the two APIs, as its changes report it.
struct Site {
    element: Element,
    subject: String,
    location: String,
    rust: Vec<String>,
}

impl Site {
    fn change(&self, delta: Delta, detail: impl Into<String>, class: Class) -> ApiChange {
        ApiChange {
            element: self.element,
            delta,
            subject: self.subject.clone(),
            detail: detail.into(),
            location: self.location.clone(),
            rust: self.rust.clone(),
            class,
        }
    }
}

/// `segment` escaped for a JSON pointer (`/v1/orders` → `~1v1~1orders`).
fn pointer_segment(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// Every change from `old` to `new`, breaking ones first, then additive, then the rest; in
/// each class, in the order types, messages, operations and security schemes are compared.
pub fn compare(old: &Api, new: &Api) -> Vec<ApiChange> {
    let (old, new) = (RustNames::of(old), RustNames::of(new));
    let mut changes = schemas::compare(&old, &new);
    changes.extend(operations::compare(&old, &new));
    changes.sort_by_key(|change| std::cmp::Reverse(change.class));
    changes
}

/// The review of one crate: its changes and the version they require.
#[derive(Debug, Clone)]
pub struct CrateReview {
    pub name: String,
    pub changes: Vec<ApiChange>,
    /// The crate's version at the base of the comparison.
    pub base_version: Version,
}

impl CrateReview {
    /// The strongest class among the changes.
    pub fn class(&self) -> Class {
        self.changes.iter().map(|change| change.class).max().unwrap_or(Class::None)
    }

    /// The lowest version semver allows after these changes.
    pub fn required_version(&self) -> Version {
        self.base_version.bump(self.class())
    }

    /// The review as Markdown, for a pull request: a heading, the changes grouped by class,
    /// and the version.
    pub fn markdown(&self) -> String {
        markdown::render(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const API: &str = r#"openapi: 3.1.0
info: {title: Orders, version: '1'}
paths:
  /orders:
    get:
      operationId: listOrders
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: The orders.
          content: {application/json: {schema: {type: array, items: {type: string}}}}
"#;

    fn classes(edited: &str) -> Vec<(Element, Delta, Class)> {
        let read = |text: &str| crate::spec::read_text(text).unwrap_or_else(|e| panic!("{e}"));
        let changes = compare(&read(API), &read(edited));
        changes.iter().map(|change| (change.element, change.delta, change.class)).collect()
    }

    #[test]
    fn a_tuple_is_changed_only_when_its_positions_are() {
        let tuple = |items: &str| {
            format!("{API}components:\n  schemas:\n    Point: {{type: array, prefixItems: [{items}], items: false}}\n")
        };
        let read = |text: &str| crate::spec::read_text(text).unwrap_or_else(|e| panic!("{e}"));
        let before = read(&tuple("{type: integer}, {type: string}"));
        assert_eq!(compare(&before, &before).len(), 0, "an unchanged tuple is no change");
        let changes = compare(&before, &read(&tuple("{type: integer}, {type: number}")));
        let found: Vec<_> = changes.iter().map(|change| (change.element, change.delta, change.class)).collect();
        assert_eq!(found, [(Element::Type, Delta::Changed, Class::Breaking)]);
        assert!(changes[0].detail.contains("`(i64, String)` became `(i64, f64)`"), "{:?}", changes[0]);
    }

    #[test]
    fn http_operations_are_classed_by_what_servers_and_clients_write() {
        let optional = API.replace(
            "        - {name: limit",
            "        - {name: after, in: query, schema: {type: string}}\n        - {name: limit",
        );
        assert_eq!(classes(&optional), [(Element::Parameter, Delta::Added, Class::Additive)]);
        let required = API.replace("{name: limit, in: query,", "{name: limit, in: query, required: true,");
        assert_eq!(classes(&required), [(Element::Parameter, Delta::Changed, Class::Breaking)]);
        let status =
            API.replace("      responses:\n", "      responses:\n        '404': {description: No such page.}\n");
        assert_eq!(classes(&status), [(Element::Response, Delta::Added, Class::Breaking)]);
        let operation = format!("{API}    post:\n      operationId: placeOrder\n      responses:\n        '201': {{description: Placed.}}\n");
        assert_eq!(classes(&operation), [(Element::Operation, Delta::Added, Class::Breaking)]);
        assert_eq!(
            classes(&API.replace("The orders.", "Every order.")),
            [(Element::Response, Delta::Changed, Class::None)]
        );
    }
}
