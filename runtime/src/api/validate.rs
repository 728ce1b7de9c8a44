//! Checking values against their schema's constraints (`minLength`, `maximum`, `uniqueItems`,
//! `format`, ...), collecting every violation instead of stopping at the first.
//!
//! Generated code implements [`Validate`] for each schema type by calling [`check_str`],
//! [`check_number`] (or [`check_integer`]) and [`check_items`] with a `const` [`Rules`] per constrained field, and
//! [`field`] to name the field it descends into. Both sides use it: a server refuses an invalid
//! request with every problem listed at once, and a client refuses to send one, or to trust a
//! response that breaks the API's own contract.
//!
//! A [`Violation`] names the field and the rule, never the value: values may be secrets
//! (a webhook's `secret`, a password), and violations end up in logs and in 400 bodies.

use std::fmt;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::{Secret, Timestamp};

/// One broken constraint: where, and which rule, without the offending value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Where: `body.target`, `body.triggers[1]`, `query.pageSize`, `path.projectId`.
    pub field: String,
    /// What the value must be, e.g. `must be at most 128 characters long (is 130)`.
    pub rule: String,
}

impl Violation {
    pub fn new(field: impl Into<String>, rule: impl Into<String>) -> Self {
        Violation { field: field.into(), rule: rule.into() }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.rule)
    }
}

/// Every violation found in one value; displayed as `invalid: a; b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violations(pub Vec<Violation>);

impl Violations {
    /// `Ok` when `found` is empty, so a validator can end with `Violations::result(out)`.
    pub fn result(found: Vec<Violation>) -> Result<(), Violations> {
        if found.is_empty() {
            Ok(())
        } else {
            Err(Violations(found))
        }
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("invalid: ")?;
        for (index, violation) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("; ")?;
            }
            violation.fmt(f)?;
        }
        Ok(())
    }
}

impl std::error::Error for Violations {}

/// A value that can check its schema's constraints. Implemented by generated code for every
/// schema type, and here for the leaves and containers they are built from.
pub trait Validate {
    /// Appends to `out` every violation in `self`, with field names starting at `field`.
    ///
    /// `field` is a buffer shared by the whole walk (grown with [`field`] and truncated back),
    /// so validating a valid value does not allocate per field.
    fn validate_into(&self, field: &mut String, out: &mut Vec<Violation>);

    /// Validates with `root` as the field prefix (`"body"`, or `""` for none).
    fn validate(&self, root: &str) -> Result<(), Violations> {
        let mut out = Vec::new();
        self.validate_into(&mut root.to_owned(), &mut out);
        Violations::result(out)
    }
}

macro_rules! unconstrained {
    ($($ty:ty),* $(,)?) => {
        $(
            /// Constraints on this type are checked by its parent, which knows the field's rules.
            impl Validate for $ty {
                fn validate_into(&self, _: &mut String, _: &mut Vec<Violation>) {}
            }
        )*
    };
}

unconstrained!(String, bool, i32, i64, u32, u64, f32, f64, Timestamp, Value, Map<String, Value>, Secret);

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_into(&self, field: &mut String, out: &mut Vec<Violation>) {
        (**self).validate_into(field, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate_into(&self, field: &mut String, out: &mut Vec<Violation>) {
        if let Some(value) = self {
            value.validate_into(field, out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_into(&self, field: &mut String, out: &mut Vec<Violation>) {
        for (position, item) in self.iter().enumerate() {
            index(field, position, |field| item.validate_into(field, out));
        }
    }
}

impl<T: Validate> Validate for IndexMap<String, T> {
    fn validate_into(&self, path: &mut String, out: &mut Vec<Violation>) {
        for (key, value) in self {
            field(path, key, |path| value.validate_into(path, out));
        }
    }
}

/// Appends `.name` to `path` (just `name` when `path` is empty), runs `f`, and truncates back.
pub fn field(path: &mut String, name: &str, f: impl FnOnce(&mut String)) {
    let len = path.len();
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(name);
    f(path);
    path.truncate(len);
}

/// Appends `[position]` to `path`, runs `f`, and truncates back.
pub fn index(path: &mut String, position: usize, f: impl FnOnce(&mut String)) {
    use fmt::Write as _;
    let len = path.len();
    // Writing to a String cannot fail.
    let _ = write!(path, "[{position}]");
    f(path);
    path.truncate(len);
}

/// A field's constraints, as the spec writes them. Generated code declares one per constrained
/// field as a `const`: `Rules { min_length: Some(1), ..Rules::NONE }`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rules {
    /// `minLength`, in characters (Unicode scalar values), as JSON Schema counts.
    pub min_length: Option<u64>,
    /// `maxLength`, in characters.
    pub max_length: Option<u64>,
    /// `minimum`, inclusive.
    pub minimum: Option<f64>,
    /// `maximum`, inclusive.
    pub maximum: Option<f64>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    pub unique_items: bool,
    /// `format`: `uri`/`url`, `email`, `uuid` and `date-time` are checked, others accepted.
    pub format: Option<&'static str>,
}

impl Rules {
    /// No constraint at all: the base of every `const` `Rules` (`Default` is not `const`).
    pub const NONE: Rules = Rules {
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
        min_items: None,
        max_items: None,
        unique_items: false,
        format: None,
    };
}

/// Checks a string's length and format.
pub fn check_str(field: &str, value: &str, rules: &Rules, out: &mut Vec<Violation>) {
    if rules.min_length.is_some() || rules.max_length.is_some() {
        let length = value.chars().count() as u64;
        if let Some(min) = rules.min_length.filter(|&min| length < min) {
            out.push(Violation::new(field, format!("must be at least {} long (is {length})", count(min, "character"))));
        }
        if let Some(max) = rules.max_length.filter(|&max| length > max) {
            out.push(Violation::new(field, format!("must be at most {} long (is {length})", count(max, "character"))));
        }
    }
    if let Some(rule) = rules.format.and_then(|format| format_violation(format, value)) {
        out.push(Violation::new(field, rule));
    }
}

/// Checks a number against `minimum` and `maximum`, both inclusive.
pub fn check_number(field: &str, value: f64, rules: &Rules, out: &mut Vec<Violation>) {
    check_bounds(field, value, rules.minimum, rules.maximum, out);
}

/// Checks an integer against `minimum` and `maximum`, both inclusive, exactly: every Rust
/// integer type the generator uses converts into `i128` without loss, which `f64` does not.
pub fn check_integer(field: &str, value: i128, minimum: Option<i128>, maximum: Option<i128>, out: &mut Vec<Violation>) {
    check_bounds(field, value, minimum, maximum, out);
}

/// Checks `value` against `minimum` and `maximum`, both inclusive.
fn check_bounds<T: PartialOrd + fmt::Display + Copy>(
    field: &str,
    value: T,
    minimum: Option<T>,
    maximum: Option<T>,
    out: &mut Vec<Violation>,
) {
    if let Some(min) = minimum.filter(|&min| value < min) {
        out.push(Violation::new(field, format!("must be at least {min} (is {value})")));
    }
    if let Some(max) = maximum.filter(|&max| value > max) {
        out.push(Violation::new(field, format!("must be at most {max} (is {value})")));
    }
}

/// Checks an array's `minItems`, `maxItems` and `uniqueItems`; its items are validated apart.
pub fn check_items<T: PartialEq>(field: &str, items: &[T], rules: &Rules, out: &mut Vec<Violation>) {
    let length = items.len() as u64;
    if let Some(min) = rules.min_items.filter(|&min| length < min) {
        let has = if length == 0 { String::new() } else { format!(" (has {length})") };
        out.push(Violation::new(field, format!("must have at least {}{has}", count(min, "item"))));
    }
    if let Some(max) = rules.max_items.filter(|&max| length > max) {
        out.push(Violation::new(field, format!("must have at most {} (has {length})", count(max, "item"))));
    }
    if rules.unique_items {
        for (later, earlier) in repeats(items) {
            out.push(Violation::new(field, format!("must not repeat an item (item {later} repeats item {earlier})")));
        }
    }
}

/// Each item equal to an earlier one, with the position of the first such earlier item.
///
/// Quadratic, but items only need `PartialEq` (not `Hash`, which `f64` and `Value` lack) and
/// arrays with `uniqueItems` are short.
fn repeats<T: PartialEq>(items: &[T]) -> impl Iterator<Item = (usize, usize)> + '_ {
    items.iter().enumerate().filter_map(move |(later, item)| {
        let earlier = items.get(..later)?.iter().position(|other| other == item)?;
        Some((later, earlier))
    })
}

/// `1 item`, `2 items`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The rule `value` breaks for a `format`, if any; formats not known here are accepted, as
/// JSON Schema allows.
fn format_violation(format: &str, value: &str) -> Option<&'static str> {
    let (valid, rule) = match format {
        "uri" | "url" => (url::Url::parse(value).is_ok(), "must be a valid absolute URL"),
        "email" => (is_email(value), "must be a valid email address"),
        "uuid" => (is_uuid(value), "must be a valid UUID (8-4-4-4-12 hex digits)"),
        "date-time" => (value.parse::<Timestamp>().is_ok(), "must be a valid RFC 3339 date-time"),
        _ => (true, ""),
    };
    (!valid).then_some(rule)
}

/// One `@` with something on both sides: what can be told without sending a mail.
fn is_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => !local.is_empty() && !domain.is_empty() && !domain.contains('@'),
        None => false,
    }
}

fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.bytes().all(|byte| byte.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "zz-very-secret-7f3a";

    fn str_rules(rules: Rules, value: &str) -> Vec<String> {
        let mut out = Vec::new();
        check_str("body.secret", value, &rules, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    fn number_rules(rules: Rules, value: f64) -> Vec<String> {
        let mut out = Vec::new();
        check_number("query.pageSize", value, &rules, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    fn item_rules<T: PartialEq>(rules: Rules, items: &[T]) -> Vec<String> {
        let mut out = Vec::new();
        check_items("body.triggers", items, &rules, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn integers_beyond_what_an_f64_holds_are_compared_exactly() {
        let check = |value: i128, min: Option<i128>, max: Option<i128>| {
            let mut out = Vec::new();
            check_integer("body.size", value, min, max, &mut out);
            out.iter().map(ToString::to_string).collect::<Vec<_>>()
        };
        let safe = 9_007_199_254_740_992;
        assert_eq!(
            check(safe + 1, None, Some(safe)),
            ["body.size: must be at most 9007199254740992 (is 9007199254740993)"]
        );
        assert!(check(u64::MAX.into(), Some(0), Some(u64::MAX.into())).is_empty());
        assert_eq!(check(-1, Some(0), None), ["body.size: must be at least 0 (is -1)"]);
    }

    const LENGTH: Rules = Rules { min_length: Some(1), max_length: Some(128), ..Rules::NONE };

    #[test]
    fn lengths_pass_within_bounds() {
        assert!(str_rules(LENGTH, "a").is_empty());
        assert!(str_rules(LENGTH, &"a".repeat(128)).is_empty());
    }

    #[test]
    fn lengths_fail_with_the_count_and_not_the_value() {
        assert_eq!(str_rules(LENGTH, ""), ["body.secret: must be at least 1 character long (is 0)"]);
        let long = SECRET.repeat(7);
        let found = str_rules(LENGTH, &long);
        assert_eq!(found, ["body.secret: must be at most 128 characters long (is 133)"]);
        assert!(!found[0].contains(SECRET));
        let two = Rules { min_length: Some(2), ..Rules::NONE };
        assert_eq!(str_rules(two, "a"), ["body.secret: must be at least 2 characters long (is 1)"]);
    }

    #[test]
    fn lengths_count_characters_not_bytes() {
        let three = Rules { max_length: Some(3), ..Rules::NONE };
        assert!(str_rules(three, "äöü").is_empty());
        assert_eq!(str_rules(three, "äöüß"), ["body.secret: must be at most 3 characters long (is 4)"]);
        assert!(str_rules(three, "😀😀😀").is_empty());
    }

    #[test]
    fn uri_format_wants_an_absolute_url() {
        let uri = Rules { format: Some("uri"), ..Rules::NONE };
        assert!(str_rules(uri, "https://my.server.com/callback").is_empty());
        assert!(str_rules(Rules { format: Some("url"), ..Rules::NONE }, "http://127.0.0.1:8080").is_empty());
        for bad in ["/relative/path", "my.server.com/callback", "", "https://", "http://exa mple.com"] {
            assert_eq!(str_rules(uri, bad), ["body.secret: must be a valid absolute URL"], "{bad}");
        }
    }

    #[test]
    fn email_format() {
        let email = Rules { format: Some("email"), ..Rules::NONE };
        assert!(str_rules(email, "ann@example.com").is_empty());
        for bad in ["ann", "@example.com", "ann@", "a@b@c"] {
            assert_eq!(str_rules(email, bad), ["body.secret: must be a valid email address"], "{bad}");
        }
    }

    #[test]
    fn uuid_format() {
        let uuid = Rules { format: Some("uuid"), ..Rules::NONE };
        assert!(str_rules(uuid, "3f2c9a1e-7b4d-4e8a-9c61-5d0b2e7f8a14").is_empty());
        assert!(str_rules(uuid, "3F2C9A1E-7B4D-4E8A-9C61-5D0B2E7F8A14").is_empty());
        for bad in [
            "3f2c9a1e7b4d4e8a9c615d0b2e7f8a14",
            "3f2c9a1e-7b4d-4e8a-9c61-5d0b2e7f8a1",
            "3f2c9a1e-7b4d-4e8a-9c61-5d0b2e7f8a1g",
        ] {
            assert_eq!(str_rules(uuid, bad), ["body.secret: must be a valid UUID (8-4-4-4-12 hex digits)"], "{bad}");
        }
    }

    #[test]
    fn date_time_format() {
        let date_time = Rules { format: Some("date-time"), ..Rules::NONE };
        assert!(str_rules(date_time, "2021-10-18T17:49:13.813615Z").is_empty());
        assert_eq!(str_rules(date_time, "yesterday"), ["body.secret: must be a valid RFC 3339 date-time"]);
    }

    #[test]
    fn unknown_formats_are_accepted() {
        assert!(str_rules(Rules { format: Some("hostname-ish"), ..Rules::NONE }, "!!").is_empty());
    }

    #[test]
    fn number_bounds_are_inclusive() {
        let size = Rules { minimum: Some(1.0), maximum: Some(15.0), ..Rules::NONE };
        assert!(number_rules(size, 1.0).is_empty());
        assert!(number_rules(size, 15.0).is_empty());
        assert_eq!(number_rules(size, 0.0), ["query.pageSize: must be at least 1 (is 0)"]);
        assert_eq!(number_rules(size, 16.0), ["query.pageSize: must be at most 15 (is 16)"]);
        assert_eq!(
            number_rules(Rules { minimum: Some(0.5), ..Rules::NONE }, 0.25),
            ["query.pageSize: must be at least 0.5 (is 0.25)"]
        );
    }

    #[test]
    fn item_counts() {
        let rules = Rules { min_items: Some(1), max_items: Some(2), ..Rules::NONE };
        assert!(item_rules(rules, &["a"]).is_empty());
        assert_eq!(item_rules::<&str>(rules, &[]), ["body.triggers: must have at least 1 item"]);
        assert_eq!(item_rules(rules, &["a", "b", "c"]), ["body.triggers: must have at most 2 items (has 3)"]);
        let three = Rules { min_items: Some(3), ..Rules::NONE };
        assert_eq!(item_rules(three, &[1, 2]), ["body.triggers: must have at least 3 items (has 2)"]);
    }

    #[test]
    fn unique_items_names_positions_not_values() {
        let unique = Rules { unique_items: true, ..Rules::NONE };
        assert!(item_rules(unique, &[SECRET, "b"]).is_empty());
        let found = item_rules(unique, &[SECRET, "b", SECRET, "b", SECRET]);
        assert_eq!(
            found,
            [
                "body.triggers: must not repeat an item (item 2 repeats item 0)",
                "body.triggers: must not repeat an item (item 3 repeats item 1)",
                "body.triggers: must not repeat an item (item 4 repeats item 0)",
            ]
        );
        assert!(found.iter().all(|text| !text.contains(SECRET)));
        assert!(item_rules(Rules::NONE, &[1, 1]).is_empty());
    }

    #[test]
    fn rules_none_is_the_default() {
        assert_eq!(Rules::NONE, Rules::default());
    }

    /// A hand-written stand-in for a generated struct.
    struct Webhook {
        target: String,
        triggers: Vec<String>,
        labels: IndexMap<String, Child>,
        child: Option<Box<Child>>,
    }

    struct Child {
        name: String,
    }

    impl Validate for Child {
        fn validate_into(&self, path: &mut String, out: &mut Vec<Violation>) {
            field(path, "name", |path| check_str(path, &self.name, &LENGTH, out));
        }
    }

    impl Validate for Webhook {
        fn validate_into(&self, path: &mut String, out: &mut Vec<Violation>) {
            const TARGET: Rules = Rules { format: Some("uri"), ..Rules::NONE };
            const TRIGGERS: Rules = Rules { min_items: Some(1), unique_items: true, ..Rules::NONE };
            field(path, "target", |path| check_str(path, &self.target, &TARGET, out));
            field(path, "triggers", |path| {
                check_items(path, &self.triggers, &TRIGGERS, out);
                for (position, trigger) in self.triggers.iter().enumerate() {
                    index(path, position, |path| check_str(path, trigger, &LENGTH, out));
                }
            });
            field(path, "labels", |path| self.labels.validate_into(path, out));
            field(path, "child", |path| self.child.validate_into(path, out));
        }
    }

    fn webhook() -> Webhook {
        let labels = IndexMap::from([("team".to_owned(), Child { name: "ops".into() })]);
        let child = Some(Box::new(Child { name: "c".into() }));
        Webhook { target: "https://a.example/x".into(), triggers: vec!["ALL".into()], labels, child }
    }

    #[test]
    fn a_valid_value_validates() {
        assert_eq!(webhook().validate("body"), Ok(()));
    }

    #[test]
    fn field_names_nest_with_dots_and_brackets() {
        let mut value = webhook();
        value.target = "nope".into();
        value.triggers = vec!["A".into(), String::new(), "A".into()];
        value.labels.insert("x".into(), Child { name: String::new() });
        value.child = Some(Box::new(Child { name: String::new() }));
        let violations = value.validate("body").unwrap_err();
        let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(
            fields,
            ["body.target", "body.triggers", "body.triggers[1]", "body.labels.x.name", "body.child.name"]
        );
        assert_eq!(value.validate("").unwrap_err().0[0].field, "target");
    }

    #[test]
    fn violations_display() {
        let violations = Violations(vec![
            Violation::new("body.target", "must be a valid absolute URL"),
            Violation::new("query.pageSize", "must be at least 1 (is 0)"),
        ]);
        assert_eq!(
            violations.to_string(),
            "invalid: body.target: must be a valid absolute URL; query.pageSize: must be at least 1 (is 0)"
        );
        assert_eq!(Violations::result(Vec::new()), Ok(()));
    }

    #[test]
    fn leaves_and_secrets_have_no_constraints_of_their_own() {
        assert_eq!(Secret::new(SECRET).validate("body"), Ok(()));
        assert_eq!(Some(String::new()).validate("body"), Ok(()));
        assert_eq!(vec![Value::Null].validate("body"), Ok(()));
    }

    #[test]
    fn field_restores_the_path() {
        let mut path = String::from("body");
        field(&mut path, "a", |path| {
            assert_eq!(path, "body.a");
            index(path, 3, |path| assert_eq!(path, "body.a[3]"));
        });
        assert_eq!(path, "body");
        let mut empty = String::new();
        field(&mut empty, "a", |path| assert_eq!(path, "a"));
    }
}
