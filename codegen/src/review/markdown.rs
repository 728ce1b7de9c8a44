//! A crate's review as Markdown a reviewer pastes into a pull request.

use std::fmt::Write as _;

use super::{ApiChange, Class, CrateReview, Delta, Element};
use crate::diagnostic::Shown;

pub fn render(review: &CrateReview) -> String {
    let mut out = format!("### `{}`\n\n", review.name);
    if review.changes.is_empty() {
        out.push_str("No change to the generated API.\n\n");
    }
    for class in [Class::Breaking, Class::Additive, Class::None] {
        let changes: Vec<&ApiChange> = review.changes.iter().filter(|c| c.class == class).collect();
        if changes.is_empty() {
            continue;
        }
        let mut heading = class.label().to_owned();
        heading[..1].make_ascii_uppercase();
        let _ = write!(out, "**{heading}** ({})\n\n| change | spec | Rust |\n|---|---|---|\n", changes.len());
        // New types are many in a large update and say little on their own: one row names them.
        let (new_types, rows): (Vec<&ApiChange>, Vec<&ApiChange>) =
            changes.into_iter().partition(|c| c.element == Element::Type && c.delta == Delta::Added);
        for change in rows {
            let _ =
                writeln!(out, "| {} | `{}` | {} |", describe(change), cell(&change.location), rust_items(&change.rust));
        }
        if !new_types.is_empty() {
            let items: Vec<String> = new_types.iter().flat_map(|c| c.rust.iter().cloned()).collect();
            let _ = writeln!(out, "| {} new types | `components/schemas` | {} |", new_types.len(), rust_items(&items));
        }
        out.push('\n');
    }
    let _ = writeln!(out, "{}", version_line(review));
    out
}

/// `field `Order.total` added (optional)`.
fn describe(change: &ApiChange) -> String {
    let delta = match change.delta {
        Delta::Added => "added",
        Delta::Removed => "removed",
        Delta::Changed => "changed",
    };
    let mut text = format!("{} `{}` {delta}", change.element.label(), cell(&change.subject));
    if !change.detail.is_empty() {
        let _ = write!(text, ": {}", cell(&change.detail));
    }
    text
}

fn rust_items(items: &[String]) -> String {
    if items.is_empty() {
        return "—".to_owned();
    }
    items.iter().map(|item| format!("`{}`", cell(item))).collect::<Vec<_>>().join(", ")
}

/// Text safe inside a table cell: a `|` would end the cell, even inside backticks, and the
/// review is printed on terminals too, so control characters (a line break, an escape
/// sequence from a spec's names) are written out as `\u{..}`.
fn cell(text: &str) -> String {
    Shown(text).to_string().replace('|', "\\|")
}

fn version_line(review: &CrateReview) -> String {
    let (base, required) = (review.base_version, review.required_version());
    match review.class() {
        Class::None => format!("Version: {base} stays (no change to the API)."),
        class => format!("Version: {base} → **{required}** ({} changes).", class.label()),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_keep_spec_text_from_ending_the_cell_or_reaching_the_terminal() {
        assert_eq!(cell("a|b\u{1b}[31m\nc"), "a\\|b\\u{1b}[31m\\u{a}c");
        assert_eq!(cell("Order.total"), "Order.total");
    }
}
