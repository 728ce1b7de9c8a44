//! How a received callback is matched to its message: by the channel it was posted to, or by
//! its payload alone (one webhook URL for everything, the usual setup).
//!
//! Messages with the same payload type cannot be told apart by any payload, so routing works
//! on *groups*: the distinct payload types of the messages that operations receive. For a set
//! of candidate groups the analysis looks, in order, for:
//!
//! 1. a tag: a property every candidate has, typed by an enum, whose values are disjoint
//!    between candidates (`type: mo_text` / `type: mo_binary`);
//! 2. keys: for each candidate, the properties no other candidate has
//!    (`{"message": ...}` / `{"contact": ...}`). A candidate without such a property is
//!    chosen only when the object ends without any deciding key and it is the one candidate
//!    that declares every key seen.
//!
//! Whatever cannot be told apart is reported in [`Routing::notes`], for the generated docs
//! and the generator's output; nothing is ever guessed.

use std::collections::BTreeSet;

use crate::ir::{Api, MessageId, Ty, TypeKind};

/// The routing of every callback an API receives.
#[derive(Debug, Clone, PartialEq)]
pub struct Routing {
    /// Distinct payload types of the messages received, in order of first appearance.
    pub groups: Vec<Group>,
    /// Channel addresses, in spec order, each with its operations.
    pub channels: Vec<Channel>,
    /// How a body posted to the single URL is matched to a group.
    pub by_payload: Choice,
    /// What cannot be told apart, in sentences.
    pub notes: Vec<String>,
}

/// Messages that share one payload type.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub payload: Ty,
    pub messages: Vec<MessageId>,
    /// Indexes into [`Api::operations`] of the operations that receive these messages.
    pub operations: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Channel {
    pub address: String,
    pub operations: Vec<usize>,
    /// How a body posted to this channel is matched to one of its groups.
    pub choice: Choice,
}

/// How a body is matched to one of several groups (numbers index [`Routing::groups`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// One candidate (or none): no choice to make.
    Single(Option<usize>),
    /// The value of `property` names the group.
    Tag { property: String, values: Vec<(String, usize)> },
    /// A key only one group has names it; `fallback` lists the groups with no such key,
    /// each with every property it declares.
    Keys { keys: Vec<(String, usize)>, fallback: Vec<(usize, Vec<String>)> },
}

impl Routing {
    /// The groups of operation `operation`, in message order.
    pub fn groups_of(&self, operation: usize) -> Vec<usize> {
        (0..self.groups.len()).filter(|&g| self.groups[g].operations.contains(&operation)).collect()
    }

    /// The operations, of `api`'s, that receive at least one payload, each with its groups.
    pub fn receiving(&self, api: &Api) -> Vec<(usize, Vec<usize>)> {
        (0..api.operations.len()).map(|o| (o, self.groups_of(o))).filter(|(_, groups)| !groups.is_empty()).collect()
    }

    /// The groups received by several operations.
    pub fn shared_groups(&self) -> Vec<usize> {
        (0..self.groups.len()).filter(|&g| self.groups[g].operations.len() > 1).collect()
    }

    /// A readable label for a group: its message key, or the keys of all its messages.
    pub fn label(&self, api: &Api, group: usize) -> String {
        let keys: Vec<&str> = self.groups[group].messages.iter().map(|m| api.messages[m.0].key.as_str()).collect();
        keys.join(" or ")
    }
}

pub fn analyse(api: &Api) -> Routing {
    let groups = groups(api);
    let all: Vec<usize> = (0..groups.len()).collect();
    let mut notes = Vec::new();
    let by_payload = choose(api, &groups, &all);
    let mut channels: Vec<Channel> = Vec::new();
    // An operation without messages receives nothing (an OpenAPI path operation, say).
    for (index, operation) in api.operations.iter().enumerate().filter(|(_, op)| !op.messages.is_empty()) {
        match channels.iter_mut().find(|c| c.address == operation.address) {
            Some(channel) => channel.operations.push(index),
            None => channels.push(Channel {
                address: operation.address.clone(),
                operations: vec![index],
                choice: Choice::Single(None),
            }),
        }
    }
    for channel in &mut channels {
        let candidates: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&g| groups[g].operations.iter().any(|o| channel.operations.contains(o)))
            .collect();
        channel.choice = choose(api, &groups, &candidates);
    }
    let routing = Routing { groups, channels, by_payload, notes: Vec::new() };
    note_shared_payloads(api, &routing, &mut notes);
    note_shared_messages(api, &routing, &mut notes);
    note_fallbacks(api, &routing, &mut notes);
    Routing { notes, ..routing }
}

fn groups(api: &Api) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    for (index, operation) in api.operations.iter().enumerate() {
        for &message in &operation.messages {
            let Some(payload) = &api.messages[message.0].payload else {
                continue;
            };
            let group = match groups.iter().position(|g| &g.payload == payload) {
                Some(group) => group,
                None => {
                    groups.push(Group { payload: payload.clone(), messages: Vec::new(), operations: Vec::new() });
                    groups.len() - 1
                }
            };
            let group = &mut groups[group];
            if !group.messages.contains(&message) {
                group.messages.push(message);
            }
            if !group.operations.contains(&index) {
                group.operations.push(index);
            }
        }
    }
    groups
}

/// A payload property's wire name, with the values it can take when typed by an enum.
type Property<'a> = (&'a str, Option<&'a [String]>);

/// The properties of a group's payload: an object's, or those of every object a `oneOf`
/// payload can be (a key only one message's variants have still names that message; no such
/// property is a tag, since which variant holds it is not known).
fn properties<'a>(api: &'a Api, group: &Group) -> Option<Vec<Property<'a>>> {
    let Ty::Named(id) = &group.payload else {
        return None;
    };
    match &api.types[id.0].kind {
        TypeKind::Struct { fields } => {
            Some(fields.iter().map(|field| (field.wire.as_str(), enum_values(api, &field.ty))).collect())
        }
        TypeKind::Union { variants, .. } => {
            let mut out: Vec<Property> = Vec::new();
            for variant in variants {
                let Ty::Named(id) = &variant.ty else { continue };
                let TypeKind::Struct { fields } = &api.types[id.0].kind else { continue };
                for field in fields {
                    if out.iter().all(|(name, _)| *name != field.wire) {
                        out.push((field.wire.as_str(), None));
                    }
                }
            }
            Some(out)
        }
        _ => None,
    }
}

/// The values a property can take when an enum types it.
fn enum_values<'a>(api: &'a Api, ty: &Ty) -> Option<&'a [String]> {
    match ty {
        Ty::Named(id) => match &api.types[id.0].kind {
            TypeKind::Enum { values } => Some(values.as_slice()),
            _ => None,
        },
        _ => None,
    }
}

fn choose(api: &Api, groups: &[Group], candidates: &[usize]) -> Choice {
    if candidates.len() < 2 {
        return Choice::Single(candidates.first().copied());
    }
    let props: Vec<Vec<Property>> =
        candidates.iter().map(|&g| properties(api, &groups[g]).unwrap_or_default()).collect();
    tag(candidates, &props).unwrap_or_else(|| keys(candidates, &props))
}

/// The first property of the first candidate that every candidate types by an enum, with
/// values no two candidates share.
fn tag(candidates: &[usize], props: &[Vec<Property>]) -> Option<Choice> {
    'property: for (name, _) in &props[0] {
        let mut values = Vec::new();
        let mut seen = BTreeSet::new();
        for (&group, fields) in candidates.iter().zip(props) {
            let Some((_, Some(enum_values))) = fields.iter().find(|(n, _)| n == name) else {
                continue 'property;
            };
            if enum_values.is_empty() || enum_values.iter().any(|v| !seen.insert(v.as_str())) {
                continue 'property;
            }
            values.extend(enum_values.iter().map(|v| (v.clone(), group)));
        }
        return Some(Choice::Tag { property: (*name).to_owned(), values });
    }
    None
}

fn keys(candidates: &[usize], props: &[Vec<Property>]) -> Choice {
    let mut keys = Vec::new();
    let mut fallback = Vec::new();
    for (index, (&group, fields)) in candidates.iter().zip(props).enumerate() {
        let own: Vec<String> = fields
            .iter()
            .filter(|(name, _)| {
                props.iter().enumerate().all(|(other, others)| other == index || others.iter().all(|(n, _)| n != name))
            })
            .map(|(name, _)| (*name).to_owned())
            .collect();
        if own.is_empty() {
            fallback.push((group, fields.iter().map(|(name, _)| (*name).to_owned()).collect()));
        }
        keys.extend(own.into_iter().map(|key| (key, group)));
    }
    Choice::Keys { keys, fallback }
}

fn message_list(api: &Api, messages: &[MessageId]) -> String {
    let keys: Vec<String> = messages.iter().map(|m| format!("`{}`", api.messages[m.0].key)).collect();
    keys.join(", ")
}

/// The operationIds, in code style, separated by commas.
pub fn operation_list(api: &Api, operations: &[usize]) -> String {
    let ids: Vec<String> = operations.iter().map(|&o| format!("`{}`", api.operations[o].id)).collect();
    ids.join(", ")
}

fn note_shared_payloads(api: &Api, routing: &Routing, notes: &mut Vec<String>) {
    for group in routing.groups.iter().filter(|g| g.messages.len() > 1) {
        notes.push(format!(
            "messages {} have the same payload schema, so no payload tells them apart; they are decoded as one",
            message_list(api, &group.messages)
        ));
    }
}

fn note_shared_messages(api: &Api, routing: &Routing, notes: &mut Vec<String>) {
    for (index, group) in routing.groups.iter().enumerate().filter(|(_, g)| g.operations.len() > 1) {
        notes.push(format!(
            "{} is received by operations {}: decoded by payload it is reported without an operation; \
             post each to its own channel address to know which",
            routing.label(api, index),
            operation_list(api, &group.operations)
        ));
    }
}

fn note_fallbacks(api: &Api, routing: &Routing, notes: &mut Vec<String>) {
    if let Choice::Keys { fallback, .. } = &routing.by_payload {
        for (group, _) in fallback {
            notes.push(format!(
                "{} has no property that other messages lack: decoded by payload, it is recognised only when \
                 it is the one message that declares every key received",
                routing.label(api, *group)
            ));
        }
    }
}
