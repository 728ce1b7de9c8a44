//! The keywords of one schema object that conversion reads, found in one pass over its entries.
//!
//! Converting a schema asks it for some twenty keywords (`$ref`, `allOf`, `type`, `format`,
//! the constraints, `description`, ...), most of them absent. A hashed lookup for each cost
//! more than the rest of schema conversion on a large spec; a schema has a handful of
//! entries, so matching each entry's key once is cheaper. Keys are unique (the YAML reader
//! refuses duplicates), so this finds what a lookup would.

use serde_json::{Map, Value};

use crate::ir::{Constraints, Example, IntWidth};

/// The value of each keyword the schema has.
#[derive(Debug, Clone, Default)]
pub struct Keywords<'v> {
    /// `$ref`
    pub reference: Option<&'v Value>,
    pub all_of: Option<&'v Value>,
    pub one_of: Option<&'v Value>,
    pub any_of: Option<&'v Value>,
    pub r#const: Option<&'v Value>,
    pub r#enum: Option<&'v Value>,
    pub r#type: Option<&'v Value>,
    pub format: Option<&'v Value>,
    pub items: Option<&'v Value>,
    pub prefix_items: Option<&'v Value>,
    pub additional_items: Option<&'v Value>,
    pub properties: Option<&'v Value>,
    pub additional_properties: Option<&'v Value>,
    pub pattern_properties: Option<&'v Value>,
    pub required: Option<&'v Value>,
    pub discriminator: Option<&'v Value>,
    pub nullable: Option<&'v Value>,
    pub default: Option<&'v Value>,
    pub example: Option<&'v Value>,
    pub examples: Option<&'v Value>,
    pub description: Option<&'v Value>,
    pub title: Option<&'v Value>,
    pub min_length: Option<&'v Value>,
    pub max_length: Option<&'v Value>,
    pub minimum: Option<&'v Value>,
    pub maximum: Option<&'v Value>,
    pub min_items: Option<&'v Value>,
    pub max_items: Option<&'v Value>,
    pub unique_items: Option<&'v Value>,
    pub pattern: Option<&'v Value>,
}

impl<'v> Keywords<'v> {
    pub fn of(schema: &'v Map<String, Value>) -> Self {
        let mut keywords = Keywords::default();
        for (key, value) in schema {
            let slot = match key.as_str() {
                "$ref" => &mut keywords.reference,
                "allOf" => &mut keywords.all_of,
                "oneOf" => &mut keywords.one_of,
                "anyOf" => &mut keywords.any_of,
                "const" => &mut keywords.r#const,
                "enum" => &mut keywords.r#enum,
                "type" => &mut keywords.r#type,
                "format" => &mut keywords.format,
                "items" => &mut keywords.items,
                "prefixItems" => &mut keywords.prefix_items,
                "additionalItems" => &mut keywords.additional_items,
                "properties" => &mut keywords.properties,
                "additionalProperties" => &mut keywords.additional_properties,
                "patternProperties" => &mut keywords.pattern_properties,
                "required" => &mut keywords.required,
                "discriminator" => &mut keywords.discriminator,
                "nullable" => &mut keywords.nullable,
                "default" => &mut keywords.default,
                "example" => &mut keywords.example,
                "examples" => &mut keywords.examples,
                "description" => &mut keywords.description,
                "title" => &mut keywords.title,
                "minLength" => &mut keywords.min_length,
                "maxLength" => &mut keywords.max_length,
                "minimum" => &mut keywords.minimum,
                "maximum" => &mut keywords.maximum,
                "minItems" => &mut keywords.min_items,
                "maxItems" => &mut keywords.max_items,
                "uniqueItems" => &mut keywords.unique_items,
                "pattern" => &mut keywords.pattern,
                _ => continue,
            };
            *slot = Some(value);
        }
        keywords
    }

    /// The documentation: `description`, else `title`, trimmed; `None` when blank.
    pub fn doc(&self) -> Option<String> {
        [self.description, self.title]
            .into_iter()
            .find_map(|text| text.and_then(Value::as_str))
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned)
    }

    /// `format`, when it is a string.
    pub fn format(&self) -> Option<&'v str> {
        self.format.and_then(Value::as_str)
    }

    /// Whether the schema also admits `null`: OpenAPI 3.0's `nullable: true`, or `null` among
    /// the `type`s.
    pub fn is_nullable(&self) -> bool {
        self.nullable == Some(&Value::Bool(true))
            || matches!(self.r#type, Some(Value::Array(types)) if types.iter().any(|t| t == "null"))
    }

    pub fn constraints(&self) -> Constraints {
        let unsigned = |value: Option<&Value>| value.and_then(Value::as_u64);
        let number = |value: Option<&Value>| match value {
            Some(Value::Number(n)) => Some(n.clone()),
            _ => None,
        };
        Constraints {
            min_length: unsigned(self.min_length),
            max_length: unsigned(self.max_length),
            minimum: number(self.minimum),
            maximum: number(self.maximum),
            min_items: unsigned(self.min_items),
            max_items: unsigned(self.max_items),
            unique_items: self.unique_items.and_then(Value::as_bool).unwrap_or(false),
            pattern: self.pattern.and_then(Value::as_str).map(str::to_owned),
            format: self
                .format()
                .filter(|f| !matches!(*f, "date-time" | "password") && IntWidth::of_format(f).is_none())
                .map(str::to_owned),
        }
    }

    /// The schema's examples: OpenAPI's single `example`, then JSON Schema's `examples` list.
    /// `at` spells out the schema's location (`file#/pointer`), asked only when there are any.
    pub fn examples(&self, at: impl FnOnce() -> String) -> Vec<Example> {
        let listed = match self.examples {
            Some(Value::Array(values)) => values.as_slice(),
            _ => &[],
        };
        if self.example.is_none() && listed.is_empty() {
            return Vec::new();
        }
        let at = at();
        let single = self.example.map(|payload| (payload, format!("{at}/example")));
        let listed = listed.iter().enumerate().map(|(index, payload)| (payload, format!("{at}/examples/{index}")));
        single
            .into_iter()
            .chain(listed)
            .map(|(payload, location)| Example { name: None, payload: payload.clone(), location })
            .collect()
    }
}
