//! Changes to what the spec does: messages, operations with their parameters and responses,
//! and security schemes.

use super::rust::RustNames;
use super::{pointer_segment, ApiChange, Class, Delta, Element, Site};
use crate::ir::{Message, Operation, Parameter, Response, SecurityKind, SecurityScheme};

pub fn compare(old: &RustNames, new: &RustNames) -> Vec<ApiChange> {
    let mut changes = messages(old, new);
    changes.extend(operations(old, new));
    changes.extend(security_schemes(old, new));
    changes
}

fn message_site(names: &RustNames, message: &Message) -> Site {
    Site {
        element: Element::Message,
        subject: message.key.clone(),
        location: format!("components/messages/{}", pointer_segment(&message.key)),
        rust: message.payload.iter().map(|ty| names.ty_item(ty)).collect(),
    }
}

/// Messages by key. Each is an `Event` variant and a `Handler` method with a default body,
/// both of which a spec may add without breaking code that uses the crate.
fn messages(old: &RustNames, new: &RustNames) -> Vec<ApiChange> {
    let mut changes = Vec::new();
    for message in &old.api.messages {
        let Some(after) = new.api.messages.iter().find(|m| m.key == message.key) else {
            changes.push(message_site(old, message).change(Delta::Removed, "", Class::Breaking));
            continue;
        };
        let payload = |names: &RustNames, m: &Message| m.payload.as_ref().map_or("none".to_owned(), |ty| names.ty(ty));
        let (was, is) = (payload(old, message), payload(new, after));
        if was != is {
            changes.push(message_site(new, after).change(
                Delta::Changed,
                format!("payload `{was}` became `{is}`"),
                Class::Breaking,
            ));
        }
        let docs = |m: &Message| (m.name.clone(), m.title.clone(), m.summary.clone(), m.description.clone());
        if docs(message) != docs(after) {
            changes.push(message_site(new, after).change(Delta::Changed, "description changed", Class::None));
        }
    }
    for message in &new.api.messages {
        if !old.api.messages.iter().any(|m| m.key == message.key) {
            changes.push(message_site(new, message).change(Delta::Added, "", Class::Additive));
        }
    }
    changes
}

/// Where an operation is: its path item (OpenAPI) or channel (AsyncAPI).
fn operation_location(names: &RustNames, operation: &Operation) -> String {
    match names.api.is_openapi() {
        true => {
            format!("paths/{}/{}", pointer_segment(&operation.address), operation.action.as_str().to_ascii_lowercase())
        }
        false => format!("channels/{}/{}", pointer_segment(&operation.address), operation.action.as_str()),
    }
}

fn operation_site(names: &RustNames, index: usize) -> Site {
    let operation = &names.api.operations[index];
    Site {
        element: Element::Operation,
        subject: operation.id.clone(),
        location: operation_location(names, operation),
        rust: names.operation_items(index),
    }
}

/// Operations by id; an id missing on one side and new on the other at the same method and
/// address is a rename. A new callback operation gets a defaulted `Handler` method and
/// variants of non-exhaustive enums; a new HTTP operation adds a required method to the
/// `Service` trait that servers implement.
fn operations(old: &RustNames, new: &RustNames) -> Vec<ApiChange> {
    let (before, after) = (&old.api.operations, &new.api.operations);
    let position = |operations: &[Operation], id: &str| operations.iter().position(|o| o.id == id);
    let removed: Vec<usize> = (0..before.len()).filter(|&i| position(after, &before[i].id).is_none()).collect();
    let added: Vec<usize> = (0..after.len()).filter(|&i| position(before, &after[i].id).is_none()).collect();
    let mut renames: Vec<(usize, usize)> = Vec::new();
    for &o in &removed {
        let same_place = |n: &usize| after[*n].action == before[o].action && after[*n].address == before[o].address;
        if let Some(&n) = added.iter().filter(|n| !renames.iter().any(|(_, m)| m == *n)).find(|n| same_place(n)) {
            renames.push((o, n));
        }
    }
    let mut changes = Vec::new();
    for (index, operation) in before.iter().enumerate() {
        if let Some(new_index) = position(after, &operation.id) {
            changes.extend(compare_operation(old, index, new, new_index));
        }
    }
    for &(o, n) in &renames {
        let detail = format!("renamed from `{}`", before[o].id);
        changes.push(operation_site(new, n).change(Delta::Changed, detail, Class::Breaking));
    }
    for o in removed.into_iter().filter(|o| !renames.iter().any(|(r, _)| r == o)) {
        changes.push(operation_site(old, o).change(Delta::Removed, "", Class::Breaking));
    }
    for n in added.into_iter().filter(|n| !renames.iter().any(|(_, r)| r == n)) {
        let (class, detail) = match new.api.is_openapi() {
            true => (Class::Breaking, "a new required method of `Service`"),
            false => (Class::Additive, ""),
        };
        changes.push(operation_site(new, n).change(Delta::Added, detail, class));
    }
    changes
}

fn compare_operation(old: &RustNames, old_index: usize, new: &RustNames, index: usize) -> Vec<ApiChange> {
    let (before, after) = (&old.api.operations[old_index], &new.api.operations[index]);
    let mut changes = Vec::new();
    let mut change =
        |detail: String, class| changes.push(operation_site(new, index).change(Delta::Changed, detail, class));
    if before.action != after.action || before.address != after.address {
        change(format!("moved from `{} {}`", before.action.as_str(), before.address), Class::Breaking);
    }
    let keys = |names: &RustNames, operation: &Operation| -> Vec<String> {
        operation.messages.iter().map(|m| names.api.messages[m.0].key.clone()).collect()
    };
    let (was, is) = (keys(old, before), keys(new, after));
    if was != is {
        change(format!("messages `{}` became `{}`", was.join(", "), is.join(", ")), Class::Breaking);
    }
    let body = |names: &RustNames, operation: &Operation| {
        let body = operation.request_body.as_ref()?;
        Some(format!("{}{}", names.ty(&body.body.ty), if body.required { "" } else { " (optional)" }))
    };
    let (was, is) = (body(old, before), body(new, after));
    if was != is {
        let text = |body: Option<String>| body.map_or("none".to_owned(), |ty| format!("`{ty}`"));
        change(format!("request body {} became {}", text(was), text(is)), Class::Breaking);
    }
    if before.security != after.security {
        change(format!("security {:?} became {:?}", before.security, after.security), Class::Breaking);
    }
    if (&before.summary, &before.description) != (&after.summary, &after.description) {
        change("description changed".to_owned(), Class::None);
    }
    changes.extend(parameters(old, old_index, new, index));
    changes.extend(responses(old, old_index, new, index));
    changes
}

/// The site of the parameter at index `at` of `operation`.
fn parameter_site(names: &RustNames, operation: usize, at: usize) -> Site {
    let op = &names.api.operations[operation];
    let parameter = &op.parameters[at];
    Site {
        element: Element::Parameter,
        subject: format!("{} {} {}", op.id, parameter.location.as_str(), parameter.name),
        location: format!("{}/parameters/{}", operation_location(names, op), pointer_segment(&parameter.name)),
        rust: vec![names.parameter_path(operation, at)],
    }
}

/// Parameters by location and name. A `Request` is `#[non_exhaustive]` and built with
/// `new(required parameters)`, so an optional parameter is the only additive one.
fn parameters(old: &RustNames, old_index: usize, new: &RustNames, index: usize) -> Vec<ApiChange> {
    let (before, after) = (&old.api.operations[old_index].parameters, &new.api.operations[index].parameters);
    let same = |a: &Parameter, b: &Parameter| a.name == b.name && a.location == b.location;
    let mut changes = Vec::new();
    for (at, _) in before.iter().enumerate().filter(|(_, p)| !after.iter().any(|a| same(a, p))) {
        changes.push(parameter_site(old, old_index, at).change(Delta::Removed, "", Class::Breaking));
    }
    for (at, parameter) in after.iter().enumerate() {
        let Some(previous) = before.iter().find(|p| same(p, parameter)) else {
            let (class, detail) = match parameter.required {
                true => (Class::Breaking, "required: `Request::new` takes it"),
                false => (Class::Additive, "optional"),
            };
            changes.push(parameter_site(new, index, at).change(Delta::Added, detail, class));
            continue;
        };
        let (was, is) = (old.ty(&previous.ty), new.ty(&parameter.ty));
        let mut change =
            |detail: String, class| changes.push(parameter_site(new, index, at).change(Delta::Changed, detail, class));
        if previous.required != parameter.required {
            let now = if parameter.required { "required" } else { "optional" };
            change(format!("became {now}"), Class::Breaking);
        }
        if was != is {
            change(format!("type `{was}` became `{is}`"), Class::Breaking);
        }
        if previous.doc != parameter.doc || previous.constraints != parameter.constraints {
            change("description or constraints changed".to_owned(), Class::None);
        }
    }
    changes
}

fn response_site(names: &RustNames, operation: usize, response: &Response) -> Site {
    let op = &names.api.operations[operation];
    Site {
        element: Element::Response,
        subject: format!("{} {}", op.id, response.status),
        location: format!(
            "{}/responses/{}",
            operation_location(names, op),
            pointer_segment(&response.status.to_string())
        ),
        rust: vec![names.response_path(operation)],
    }
}

/// Responses by status. A `Response` enum has a variant per status and is exhaustive, so
/// any status added or removed changes what a `match` on it must cover.
fn responses(old: &RustNames, old_index: usize, new: &RustNames, index: usize) -> Vec<ApiChange> {
    let (before, after) = (&old.api.operations[old_index].responses, &new.api.operations[index].responses);
    let mut changes = Vec::new();
    for response in before.iter().filter(|r| !after.iter().any(|a| a.status == r.status)) {
        changes.push(response_site(old, old_index, response).change(Delta::Removed, "", Class::Breaking));
    }
    for response in after {
        let Some(previous) = before.iter().find(|r| r.status == response.status) else {
            changes.push(response_site(new, index, response).change(Delta::Added, "", Class::Breaking));
            continue;
        };
        let body = |names: &RustNames, r: &Response| r.body.as_ref().map_or("none".to_owned(), |b| names.ty(&b.ty));
        let (was, is) = (body(old, previous), body(new, response));
        if was != is {
            let detail = format!("body `{was}` became `{is}`");
            changes.push(response_site(new, index, response).change(Delta::Changed, detail, Class::Breaking));
        }
        if previous.doc != response.doc {
            changes.push(response_site(new, index, response).change(
                Delta::Changed,
                "description changed",
                Class::None,
            ));
        }
    }
    changes
}

fn scheme_site(names: &RustNames, index: usize) -> Site {
    let scheme = &names.api.security_schemes[index];
    Site {
        element: Element::SecurityScheme,
        subject: scheme.key.clone(),
        location: format!("components/securitySchemes/{}", pointer_segment(&scheme.key)),
        rust: names.security_items(index),
    }
}

/// Security schemes by key. A changed scheme changes which requests verify: a receiver
/// configured for the old one refuses what the sender now sends.
fn security_schemes(old: &RustNames, new: &RustNames) -> Vec<ApiChange> {
    let (before, after) = (&old.api.security_schemes, &new.api.security_schemes);
    let mut changes = Vec::new();
    for (index, scheme) in before.iter().enumerate() {
        let Some(new_index) = after.iter().position(|s| s.key == scheme.key) else {
            changes.push(scheme_site(old, index).change(Delta::Removed, "", Class::Breaking));
            continue;
        };
        let now = &after[new_index];
        if (&scheme.kind, &scheme.signature) != (&now.kind, &now.signature) {
            let detail = format!("was {}, is {}", scheme_text(scheme), scheme_text(now));
            changes.push(scheme_site(new, new_index).change(Delta::Changed, &detail, Class::Breaking));
        }
        if scheme.description != now.description {
            changes.push(scheme_site(new, new_index).change(Delta::Changed, "description changed", Class::None));
        }
    }
    for (index, scheme) in after.iter().enumerate() {
        if !before.iter().any(|s| s.key == scheme.key) {
            changes.push(scheme_site(new, index).change(Delta::Added, "", Class::Additive));
        }
    }
    changes
}

/// How a scheme authenticates, in a few words: `an API key in header `x-signature``.
fn scheme_text(scheme: &SecurityScheme) -> String {
    let kind = match &scheme.kind {
        SecurityKind::HttpBasic => "HTTP basic".to_owned(),
        SecurityKind::HttpBearer { .. } => "HTTP bearer".to_owned(),
        SecurityKind::ApiKey { location, name } => format!("a key in {location} `{name}`"),
        SecurityKind::Other(kind) => format!("`{kind}`"),
    };
    match &scheme.signature {
        Some(signature) => format!("{kind} signed into `{}`", signature.header),
        None => kind,
    }
}
