//! Small spec pairs, one per kind of change a review classifies: the snapshot tests of the
//! review's Markdown below, and the cases `cargo xtask semver-agreement` checks against
//! `cargo-semver-checks`.

use std::path::{Path, PathBuf};

use hookwright::review::{self, CrateReview, Version};

/// The old spec of every case; each case's new spec is this with its edits.
const BASE: &str = r#"asyncapi: 2.6.0
info: {title: Orders, version: '1'}
channels:
  /orders:
    publish:
      operationId: receiveOrder
      message: {$ref: '#/components/messages/OrderPlaced'}
  /cancellations:
    publish:
      operationId: receiveCancellation
      message: {$ref: '#/components/messages/OrderCancelled'}
components:
  securitySchemes:
    signature:
      type: httpApiKey
      in: header
      name: x-signature
  messages:
    OrderPlaced:
      payload: {$ref: '#/components/schemas/Order'}
    OrderCancelled:
      payload: {$ref: '#/components/schemas/Cancellation'}
  schemas:
    Order:
      type: object
      description: An order.
      required: [id]
      properties:
        id: {type: string}
        quantity: {type: integer}
        note: {type: string}
        status: {$ref: '#/components/schemas/Status'}
    Status:
      type: string
      enum: [open, paid]
    Cancellation:
      type: object
      required: [order_id]
      properties:
        order_id: {type: string}
"#;

/// `(old text, new text)`: the first occurrence of the old text in [`BASE`] is replaced.
type Edit = (&'static str, &'static str);

pub struct Case {
    pub name: &'static str,
    edits: &'static [Edit],
}

pub const CASES: &[Case] = &[
    Case { name: "field_added_optional", edits: &[("        note:", "        gift: {type: boolean}\n        note:")] },
    Case {
        name: "field_added_required",
        edits: &[("required: [id]", "required: [id, currency]"), ("        note:", "        currency: {type: string}\n        note:")],
    },
    Case { name: "field_became_required", edits: &[("required: [id]", "required: [id, note]")] },
    Case { name: "field_removed", edits: &[("        note: {type: string}\n", "")] },
    Case { name: "field_type_changed", edits: &[("quantity: {type: integer}", "quantity: {type: string}")] },
    Case { name: "enum_value_added", edits: &[("enum: [open, paid]", "enum: [open, paid, refunded]")] },
    Case { name: "enum_value_removed", edits: &[("enum: [open, paid]", "enum: [open]")] },
    Case {
        name: "message_added",
        edits: &[
            ("components:\n", "  /refunds:\n    publish:\n      operationId: receiveRefund\n      message: {$ref: '#/components/messages/OrderRefunded'}\ncomponents:\n"),
            ("  schemas:\n", "    OrderRefunded:\n      payload: {$ref: '#/components/schemas/Cancellation'}\n  schemas:\n"),
        ],
    },
    Case {
        name: "message_removed",
        edits: &[
            ("  /cancellations:\n    publish:\n      operationId: receiveCancellation\n      message: {$ref: '#/components/messages/OrderCancelled'}\n", ""),
            ("    OrderCancelled:\n      payload: {$ref: '#/components/schemas/Cancellation'}\n", ""),
        ],
    },
    Case { name: "operation_renamed", edits: &[("operationId: receiveOrder", "operationId: handleOrder")] },
    Case { name: "security_scheme_changed", edits: &[("name: x-signature", "name: x-order-signature")] },
    Case { name: "description_only", edits: &[("description: An order.", "description: An order, as placed.")] },
];

/// Writes the old spec of every case, [`BASE`], under `dir/old/`.
pub fn write_base(dir: &Path) -> Result<PathBuf, String> {
    write_spec(dir, "old", BASE)
}

/// Writes `text` as `dir/<side>/orders.asyncapi.yaml`; its path.
fn write_spec(dir: &Path, side: &str, text: &str) -> Result<PathBuf, String> {
    let folder = dir.join(side);
    std::fs::create_dir_all(&folder).map_err(|e| format!("cannot create {}: {e}", folder.display()))?;
    let spec = folder.join("orders.asyncapi.yaml");
    std::fs::write(&spec, text).map_err(|e| format!("cannot write {}: {e}", spec.display()))?;
    Ok(spec)
}

impl Case {
    /// The new spec: [`BASE`] with the edits applied.
    fn new_spec(&self) -> Result<String, String> {
        let mut spec = BASE.to_owned();
        for (old, new) in self.edits {
            if !spec.contains(old) {
                return Err(format!("case {}: the base spec has no {old:?} to replace", self.name));
            }
            spec = spec.replacen(old, new, 1);
        }
        Ok(spec)
    }

    /// Writes the old and new spec under `dir/old/` and `dir/new/`, as `orders.asyncapi.yaml`.
    pub fn write(&self, dir: &Path) -> Result<(PathBuf, PathBuf), String> {
        Ok((write_spec(dir, "old", BASE)?, write_spec(dir, "new", &self.new_spec()?)?))
    }

    /// The review of the case, from version 0.1.0, reading its specs from `dir`.
    pub fn review(&self, dir: &Path) -> Result<CrateReview, String> {
        let (old, new) = self.write(dir)?;
        let read = |spec: &Path| hookwright::spec::read_within(spec, Some(dir), None).map_err(|e| e.to_string());
        let changes = review::compare(&read(&old)?, &read(&new)?);
        Ok(CrateReview { name: "orders".to_owned(), changes, base_version: Version::INITIAL })
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use expect_test::expect_file;

    use super::CASES;

    /// Each case's review, as committed in `xtask/snapshots/review/<case>.md`
    /// (`UPDATE_EXPECT=1 cargo test -p xtask` rewrites them).
    #[test]
    fn reviews_of_each_kind_of_change() {
        let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots/review");
        for case in CASES {
            let dir = tempfile::tempdir().unwrap();
            let review = case.review(dir.path()).unwrap_or_else(|e| panic!("{}: {e}", case.name));
            expect_file![snapshots.join(format!("{}.md", case.name))].assert_eq(&review.markdown());
        }
    }
}
