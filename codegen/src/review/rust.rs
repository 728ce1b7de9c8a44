//! The Rust side of a review: which items of the generated crate a spec element becomes.
//!
//! Every Rust name comes from [`crate::naming::resolve`], through [`RustNames::of`], so this
//! is the one place to change when naming does. Names the emitters derive themselves (a
//! webhook `Event` variant, an HTTP response variant) are not repeated here: the review names
//! the enum instead.

use crate::ir::{Api, Ty, TypeId};
use crate::naming::{self, Names};
use crate::routing;

/// One API with the Rust names of its items.
pub struct RustNames<'a> {
    pub api: &'a Api,
    names: Names,
    /// The `Handler` method of each operation that receives callbacks.
    handler_methods: Vec<Option<String>>,
}

impl<'a> RustNames<'a> {
    pub fn of(api: &'a Api) -> Self {
        let names = naming::resolve(api);
        let handler_methods = if api.messages.is_empty() {
            Vec::new()
        } else {
            naming::webhooks(api, &routing::analyse(api), &names).methods
        };
        RustNames { api, names, handler_methods }
    }

    pub fn type_name(&self, id: TypeId) -> &str {
        &self.names.types[id.0].name
    }

    /// `enums::Status` or `models::Order`.
    pub fn type_path(&self, id: TypeId) -> String {
        format!("{}::{}", naming::module_of(self.api, id), self.type_name(id))
    }

    pub fn field_path(&self, id: TypeId, field: usize) -> String {
        format!("{}::{}", self.type_path(id), self.names.types[id.0].fields[field])
    }

    pub fn variant_path(&self, id: TypeId, variant: usize) -> String {
        format!("{}::{}", self.type_path(id), self.names.types[id.0].variants[variant])
    }

    /// The module or handler method of an operation, and its variant of the crate-wide enums.
    pub fn operation_items(&self, operation: usize) -> Vec<String> {
        let snake = &self.names.operations[operation].module;
        if self.api.is_openapi() {
            vec![
                format!("operations::{snake}"),
                format!("operations::Service::{snake}"),
                format!("operations::Client::{snake}"),
            ]
        } else {
            let handler = match self.handler_methods.get(operation).cloned().flatten() {
                Some(method) => format!("webhooks::Handler::{method}"),
                None => "webhooks::Handler".to_owned(),
            };
            vec![handler, "webhooks::Event".to_owned(), "webhooks::Operation".to_owned()]
        }
    }

    pub fn request_path(&self, operation: usize) -> String {
        format!("operations::{}::Request", self.names.operations[operation].module)
    }

    pub fn response_path(&self, operation: usize) -> String {
        format!("operations::{}::Response", self.names.operations[operation].module)
    }

    /// The `Request` field of the operation's parameter number `parameter`.
    pub fn parameter_path(&self, operation: usize, parameter: usize) -> String {
        format!("{}::{}", self.request_path(operation), self.names.operations[operation].fields[parameter])
    }

    /// The constant of a scheme that signs callbacks, if it has one.
    pub fn security_items(&self, scheme: usize) -> Vec<String> {
        let constant = self.names.security_consts.get(scheme).cloned().flatten();
        constant.map(|name| format!("webhooks::{name}")).into_iter().collect()
    }

    /// The item a value of `ty` is, for a named type (`models::Order`), else its type.
    pub fn ty_item(&self, ty: &Ty) -> String {
        match ty {
            Ty::Named(id) => self.type_path(*id),
            _ => self.ty(ty),
        }
    }

    /// The Rust type a value of `ty` has, as it reads in the generated code.
    pub fn ty(&self, ty: &Ty) -> String {
        match ty {
            Ty::String => "String".to_owned(),
            Ty::Integer(width) => width.rust_name().to_owned(),
            Ty::Number => "f64".to_owned(),
            Ty::Boolean => "bool".to_owned(),
            Ty::DateTime => "Timestamp".to_owned(),
            Ty::Secret => "Secret".to_owned(),
            Ty::Any => "Value".to_owned(),
            Ty::FreeObject => "Map<String, Value>".to_owned(),
            Ty::Array(item) => format!("Vec<{}>", self.ty(item)),
            Ty::Map(value) => format!("IndexMap<String, {}>", self.ty(value)),
            Ty::Named(id) => self.type_name(*id).to_owned(),
            Ty::Nullable(inner) => format!("Option<{}>", self.ty(inner)),
        }
    }
}
