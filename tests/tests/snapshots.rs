//! Snapshot tests of the generator on small inline specs, one per hard case.
//!
//! Each case's output is committed under `tests/snapshots/<case>/` and also compiled as a
//! module of this crate (`src/lib.rs`), so a snapshot is both reviewed and proven valid Rust.
//! After an intended change: `UPDATE_EXPECT=1 cargo test -p spec-tests --test snapshots`.

use std::fs;
use std::path::Path;

use expect_test::expect_file;
use hookwright::{CrateOptions, Runtime};

fn snapshot(case: &str, files: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let file = dir.path().join(path);
        fs::create_dir_all(file.parent().unwrap()).unwrap();
        fs::write(file, text).unwrap();
    }
    let options = CrateOptions {
        command: "UPDATE_EXPECT=1 cargo test -p spec-tests --test snapshots".to_owned(),
        runtime: Runtime::Path("../../runtime".to_owned()),
        workspace_member: true,
        // The temporary folder stands for the repository: a case may refer across its folders.
        root: Some(dir.path().to_path_buf()),
        ..CrateOptions::new(case, files[0].0)
    };
    let krate = hookwright::generate(&dir.path().join(files[0].0), &options).unwrap_or_else(|e| panic!("{e}"));
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("snapshots").join(case);
    for file in &krate.files {
        if let Some(name) = file.path.strip_prefix("src/") {
            expect_file![out.join(name)].assert_eq(&file.contents);
        }
    }
}

#[test]
fn names_from_keywords_odd_spellings_and_collisions() {
    snapshot(
        "names",
        &[(
            "names.asyncapi.yaml",
            r#"
asyncapi: 2.6.0
info: {title: Names, version: '1'}
channels:
  /odd:
    subscribe:
      operationId: receiveOdd
      message: {$ref: '#/components/messages/Odd'}
components:
  messages:
    Odd:
      payload: {$ref: '#/components/schemas/odd-names'}
  schemas:
    odd-names:
      type: object
      required: [type]
      properties:
        type: {type: string}
        ref: {type: string}
        self: {type: string}
        1st: {type: integer}
        a-b: {type: boolean}
        Ä: {type: number}
        fooBar: {type: string}
        foo_bar: {type: string, description: Collides with fooBar after snake_case.}
        unknown_fields: {type: string, description: Collides with the catch-all field.}
        switch:
          type: string
          enum: [on, off, '1st', '', a-b, a_b, Unknown, self]
    order-item: {type: object, properties: {id: {type: string}}}
    order_item: {type: object, properties: {sku: {type: string}}}
    my.schema/name x: {type: object, properties: {id: {type: string}}}
    String: {type: object, properties: {text: {type: string}}}
"#,
        )],
    );
}

#[test]
fn nested_inline_objects_get_short_names_qualified_only_on_collision() {
    snapshot(
        "nesting",
        &[(
            "nesting.asyncapi.yaml",
            r#"
asyncapi: 2.6.0
info: {title: Nesting, version: '1'}
channels: {}
components:
  schemas:
    InboundPayload:
      type: object
      properties:
        message:
          type: object
          properties:
            channel_identity:
              type: object
              description: Who sent it.
              properties: {channel: {type: string}, identity: {type: string}, app_id: {type: string}}
            contact_message:
              type: object
              properties:
                text_message: {type: object, properties: {text: {type: string}}}
    DeliveryPayload:
      type: object
      properties:
        report:
          type: object
          properties:
            channel_identity:
              type: object
              description: Who it went to.
              properties: {channel: {type: string}, identity: {type: string}}
            status: {type: string, enum: [DELIVERED, FAILED]}
    ContactPayload:
      type: object
      properties:
        channel_identities:
          type: array
          items:
            type: object
            description: Who it went to.
            properties: {channel: {type: string}, identity: {type: string}}
        status: {type: string, enum: [ACTIVE, BLOCKED]}
"#,
        )],
    );
}

#[test]
fn references_chains_files_recursion_and_all_of() {
    snapshot(
        "refs",
        &[
            (
                "api/refs.asyncapi.yaml",
                r#"
asyncapi: 2.6.0
info: {title: Refs, version: '1'}
channels:
  /people:
    publish:
      operationId: receivePerson
      message:
        payload: {$ref: '#/components/schemas/Alias'}
components:
  schemas:
    Alias: {$ref: '#/components/schemas/Middle'}
    Middle: {$ref: '#/components/schemas/Person'}
    Person:
      allOf:
        - {$ref: '../common/schemas.yaml#/Named'}
        - type: object
          required: [address]
          properties:
            address: {$ref: '../common/schemas.yaml#/Address'}
            manager: {$ref: '#/components/schemas/Person'}
            reports: {type: array, items: {$ref: '#/components/schemas/Person'}}
            tags: {type: object, additionalProperties: {type: string}}
            extra: {type: object}
            anything: {}
"#,
            ),
            (
                "common/schemas.yaml",
                r#"
Named:
  type: object
  required: [name]
  properties:
    name: {type: string, minLength: 1, maxLength: 64}
Address:
  type: object
  description: A postal address.
  properties:
    street: {type: string}
    country: {type: string, enum: [SE, US]}
"#,
            ),
        ],
    );
}

/// Also what public specs broke once: runtime types (`Timestamp`, `IndexMap`) named only by
/// an operation, aliases of foreign types (`Email`, `Pets`) in validation, and operations that
/// read no parameter or body.
#[test]
fn openapi_bodies_parameters_and_nullable_types() {
    snapshot(
        "openapi",
        &[(
            "pets.openapi.yaml",
            r#"
openapi: 3.1.0
info: {title: Pets, version: '2.0.0', description: 'See https://example.com/pets for [details].'}
paths:
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      parameters:
        - {name: view, in: query, schema: {type: string, enum: [full, brief]}}
      responses:
        '200':
          description: The pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        '404': {description: No such pet.}
    put:
      operationId: putPet
      requestBody:
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                age: {type: integer, format: int32, minimum: 0, maximum: 40}
                password: {type: string, format: password, minLength: 8}
      responses:
        '204': {description: Stored.}
    delete:
      responses:
        '2XX': {description: Gone.}
        default:
          description: Anything else.
          content:
            application/json:
              schema: {type: object, properties: {reason: {type: string}}}
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: since, in: query, schema: {type: string, format: date-time}}
        - {name: tags, in: query, schema: {type: array, items: {type: string}, minItems: 1}}
      responses:
        '200':
          description: Pets, through an alias whose items are checked.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pets'}
        default: {description: Anything else.}
  /inventory:
    get:
      operationId: getInventory
      responses:
        '200':
          description: Counts by status.
          content:
            application/json:
              schema: {type: object, additionalProperties: {type: integer, format: int32}}
  /health:
    get:
      operationId: getHealth
      responses:
        default: {description: Any answer.}
  /clinics/{clinic}/visits:
    post:
      operationId: recordVisit
      summary: More required parameters, and a body with more required fields, than clippy lets a function take.
      parameters:
        - {name: clinic, in: path, required: true, schema: {type: string}}
        - {name: vet, in: query, required: true, schema: {type: string}}
        - {name: room, in: query, required: true, schema: {type: integer, format: int32}}
        - {name: day, in: query, required: true, schema: {type: string}}
        - {name: note, in: query, schema: {type: string}}
        - {name: slot, in: query, required: true, schema: {type: integer}}
        - {name: urgent, in: query, required: true, schema: {type: boolean}}
        - {name: ref, in: query, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Visit'}
      responses:
        '204': {description: Recorded.}
webhooks:
  petBorn:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: Received.}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
  schemas:
    Pet:
      type: object
      required: [id, born]
      properties:
        id: {type: integer, format: int64}
        born: {type: string, format: date-time}
        nickname: {type: [string, 'null']}
        weights: {type: array, items: {type: number}, uniqueItems: true}
        email: {$ref: '#/components/schemas/Email', maxLength: 64}
    Email: {type: string, format: email}
    Pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Visit:
      type: object
      required: [pet, vet, room, started, ended, weight, fee, paid]
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
        vet: {type: string}
        room: {type: integer, format: int32}
        notes: {type: string}
        started: {type: string, format: date-time}
        ended: {type: string, format: date-time}
        weight: {type: number}
        fee: {type: number}
        paid: {type: boolean}
"#,
        )],
    );
}

#[test]
fn one_of_any_of_nullable_and_const() {
    snapshot(
        "unions",
        &[(
            "unions.openapi.yaml",
            r#"
openapi: 3.1.0
info: {title: Unions, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      description: Told apart by a discriminator with a mapping.
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: petType
        mapping:
          cat: '#/components/schemas/Cat'
          kitten: '#/components/schemas/Cat'
          dog: Dog
    Cat:
      type: object
      required: [petType, lives]
      properties:
        petType: {type: string}
        lives: {type: integer}
    Dog:
      type: object
      required: [petType]
      properties:
        petType: {type: string}
        good: {type: boolean}
    Event:
      description: Told apart by a property each variant fixes with const.
      oneOf:
        - title: Heartbeat
          type: object
          required: [event]
          properties:
            event: {const: heartbeat}
        - title: Ping
          type: object
          required: [event, reqid]
          properties:
            event: {type: string, enum: [ping]}
            reqid: {type: integer}
    Source:
      description: Told apart by required and distinct properties, or by JSON type.
      anyOf:
        - $ref: '#/components/schemas/Card'
        - $ref: '#/components/schemas/Bank'
        - type: string
        - type: integer
        - type: number
    Card:
      type: object
      required: [number]
      properties:
        number: {type: string}
        cvc: {type: string}
    Bank:
      type: object
      required: [iban]
      properties:
        iban: {type: string}
    Holder:
      type: object
      required: [pet, note, maybe_count]
      properties:
        pet: {$ref: '#/components/schemas/Pet'}
        note:
          oneOf: [{type: string}, {type: 'null'}]
        maybe_count: {type: [integer, 'null']}
        legacy: {type: string, nullable: true}
        tags:
          type: array
          items: {type: [string, 'null']}
        labels:
          type: object
          patternProperties:
            '^x-': {type: string}
        kind: {const: holder}
        retries: {type: integer, default: 3, description: Attempts before giving up.}
"#,
        )],
    );
}

#[test]
fn a_spec_without_enums_re_exports_only_models() {
    snapshot(
        "minimal",
        &[(
            "minimal.asyncapi.yaml",
            r#"
asyncapi: 2.0.0
info: {title: Minimal, version: '0.1'}
channels:
  ping:
    subscribe:
      message:
        payload:
          type: object
          properties: {sent_at: {type: string, format: date-time}}
"#,
        )],
    );
}

/// One message received on two channels: the payload alone cannot tell which operation it
/// was sent to, so the generated `Event` gets a variant for the shared message.
#[test]
fn a_message_on_two_channels_shares_an_event_variant() {
    snapshot(
        "shared",
        &[(
            "shared.asyncapi.yaml",
            r#"
asyncapi: 2.6.0
info: {title: Shared, version: '1'}
channels:
  /contact/created:
    publish:
      operationId: contactCreated
      message: {$ref: '#/components/messages/ContactChanged'}
  /contact/deleted:
    publish:
      operationId: contactDeleted
      message: {$ref: '#/components/messages/ContactChanged'}
  /orders:
    publish:
      operationId: orderPlaced
      message:
        name: OrderPlaced
        payload:
          type: object
          required: [order_id]
          properties: {order_id: {type: string}}
components:
  messages:
    ContactChanged:
      payload:
        type: object
        required: [contact_id]
        properties: {contact_id: {type: string}}
"#,
        )],
    );
}

/// Decodes `json` as `T`, checks it re-encodes to the same document, and returns it.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> T {
    let value: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), original);
    value
}

#[test]
fn odd_wire_names_round_trip_through_their_fields() {
    use spec_tests::snapshot_names::{OddNames, Switch};
    let names: OddNames = round_trip(
        r#"{"type":"t","ref":"r","self":"s","1st":1,"a-b":true,"Ä":1.5,"fooBar":"x","foo_bar":"y",
            "unknown_fields":"z","switch":"off","later":{"nested":[1,2]}}"#,
    );
    assert_eq!((names.r#type.as_str(), names.self_.as_deref(), names._1st), ("t", Some("s"), Some(1)));
    assert_eq!((names.foo_bar.as_deref(), names.foo_bar_2.as_deref()), (Some("x"), Some("y")));
    assert_eq!(names.unknown_fields.as_deref(), Some("z"));
    assert_eq!(names.switch, Some(Switch::Off));
    assert_eq!(names.unknown_fields_2["later"]["nested"][1], 2);
    assert_eq!("Unknown".parse::<Switch>(), Ok(Switch::Unknown));
    assert_eq!("maybe".parse::<Switch>(), Ok(Switch::UnknownValue("maybe".into())));
}

#[test]
fn recursive_types_are_boxed_and_round_trip() {
    use spec_tests::snapshot_refs::{Alias, Country};
    let person: Alias = round_trip(
        r#"{"name":"Ann","address":{"country":"SE"},"manager":{"name":"Bo","address":{"country":"NO"}},
            "reports":[{"name":"Cy","address":{}}],"tags":{"team":"a"},"extra":{"k":[true]},"anything":7}"#,
    );
    let manager = person.manager.as_deref().unwrap();
    assert_eq!(manager.address.country, Some(Country::Unknown("NO".into())));
    assert_eq!(person.address.country, Some(Country::Se));
}

#[test]
fn a_map_keeps_its_keys_in_the_order_received() {
    let json = r#"{"name":"Ann","address":{},"tags":{"zeta":"1","alpha":"2","mid":"3"}}"#;
    let person: spec_tests::snapshot_refs::Person = serde_json::from_str(json).unwrap();
    let keys: Vec<&str> = person.tags.as_ref().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["zeta", "alpha", "mid"]);
    assert_eq!(serde_json::to_string(&person).unwrap(), json, "re-encoded byte for byte");
}

#[test]
fn a_tagged_union_decodes_by_its_tag_and_keeps_unknown_tags() {
    use spec_tests::snapshot_unions::{Event, Pet};
    assert!(matches!(round_trip::<Pet>(r#"{"petType":"kitten","lives":9}"#), Pet::Cat(cat) if cat.lives == 9));
    assert!(matches!(round_trip::<Pet>(r#"{"petType":"dog","good":true}"#), Pet::Dog(_)));
    assert!(matches!(round_trip::<Pet>(r#"{"petType":"bird","wings":2}"#), Pet::Unknown(_)));
    let misfit = round_trip::<Pet>(r#"{"petType":"cat"}"#);
    assert!(matches!(misfit, Pet::Unknown(_)), "the tag chose Cat, which needs `lives`: kept as received");
    assert!(matches!(round_trip::<Event>(r#"{"event":"ping","reqid":1}"#), Event::Ping(_)));
    assert!(matches!(round_trip::<Event>(r#"{"event":"heartbeat"}"#), Event::Heartbeat(_)));
}

#[test]
fn an_untagged_union_decodes_by_shape_never_by_first_match() {
    use spec_tests::snapshot_unions::Source;
    assert!(matches!(round_trip::<Source>(r#"{"number":"4242","cvc":"1"}"#), Source::Card(_)));
    assert!(matches!(round_trip::<Source>(r#"{"iban":"DE00"}"#), Source::Bank(_)));
    assert!(matches!(round_trip::<Source>(r#""cash""#), Source::String(_)));
    assert!(matches!(round_trip::<Source>("7"), Source::Integer(7)));
    assert!(matches!(round_trip::<Source>("7.5"), Source::Number(_)));
    assert!(matches!(round_trip::<Source>(r#"{"number":"1","iban":"DE00"}"#), Source::Unknown(_)), "both");
    assert!(matches!(round_trip::<Source>(r#"{"name":"?"}"#), Source::Unknown(_)), "neither");
    assert_eq!(hookwright_runtime::Unknowns::unknowns(&round_trip::<Source>("true")), vec![String::new()]);
}

#[test]
fn nullable_fields_keep_null_apart_from_absent() {
    use spec_tests::snapshot_unions::Holder;
    let json = r#"{"pet":{"petType":"dog"},"note":null,"maybe_count":null,"legacy":null,"tags":["a",null],"labels":{"x-b":"1"}}"#;
    let holder = round_trip::<Holder>(json);
    assert_eq!((holder.note, holder.maybe_count, holder.legacy), (None, None, None));
    assert_eq!(holder.tags, Some(vec![Some("a".to_owned()), None]));
    let error = serde_json::from_str::<Holder>(r#"{"pet":{"petType":"dog"},"maybe_count":1}"#).unwrap_err();
    assert!(error.to_string().contains("note"), "a required nullable field must be present: {error}");
}

#[test]
fn a_missing_required_field_is_named() {
    let error = serde_json::from_str::<spec_tests::snapshot_refs::Person>(r#"{"name":"Ann"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `address`"), "{error}");
}

mod openapi_operations {
    use hookwright_runtime::api::client::RequestError;
    use hookwright_runtime::api::server::{PathParams, Query};
    use hookwright_runtime::http::{Method, Response, StatusCode};
    use hookwright_runtime::Secret;
    use spec_tests::snapshot_openapi::operations::{delete_pets_pet_id, get_pet, put_pet};
    use spec_tests::snapshot_openapi::{PutPetRequest, View};

    fn put(age: Option<i32>, password: &str) -> put_pet::Request {
        let mut body = PutPetRequest::new("Rex".into());
        body.age = age;
        body.password = Some(Secret::new(password));
        put_pet::Request::new("a b/c".into(), body)
    }

    #[test]
    fn a_request_becomes_http_with_its_parameters_encoded() {
        let mut request = get_pet::Request::new("a b/c".into());
        request.view = Some(View::Brief);
        let http = request.to_http("http://127.0.0.1:9/api/").unwrap();
        assert_eq!(http.method(), Method::GET);
        assert_eq!(http.uri().to_string(), "http://127.0.0.1:9/api/pets/a%20b%2Fc?view=brief");

        let http = put(Some(3), "long enough").to_http("http://h").unwrap();
        assert_eq!(http.method(), Method::PUT);
        let body: serde_json::Value = serde_json::from_slice(http.body()).unwrap();
        assert_eq!(body, serde_json::json!({"name": "Rex", "age": 3, "password": "long enough"}));
    }

    #[test]
    fn constraints_are_checked_before_sending_without_echoing_secrets() {
        let Err(RequestError::Invalid(violations)) = put(Some(41), "short").to_http("http://h") else {
            panic!("an age of 41 and a 5-character password were sent");
        };
        let fields: Vec<&str> = violations.0.iter().map(|v| v.field.as_str()).collect();
        assert_eq!(fields, ["body.age", "body.password"]);
        assert!(!format!("{violations} {violations:?}").contains("short"), "{violations}");
        assert!(!format!("{:?}", put(None, "hunter2-secret")).contains("hunter2"));
    }

    #[test]
    fn a_server_parses_and_checks_what_it_receives() {
        let path = PathParams::new([("petId", "p1".to_owned())]);
        let request = put_pet::Request::from_parts(&path, &Query::parse(None), br#"{"name":"Rex","age":2}"#).unwrap();
        assert_eq!((request.pet_id.as_str(), request.body.age), ("p1", Some(2)));

        let error = put_pet::Request::from_parts(&path, &Query::parse(None), br#"{"age":99}"#).unwrap_err();
        assert!(error.0.iter().any(|v| v.field.starts_with("body")), "{error}");
        let error = get_pet::Request::from_parts(&PathParams::new([]), &Query::parse(None), b"").unwrap_err();
        assert_eq!(error.0[0].field, "path.petId");
    }

    #[test]
    fn responses_decode_by_status_class_default_and_undeclared() {
        let response =
            |status: u16, body: &str| Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap();
        let ok = get_pet::Response::from_http(response(200, r#"{"id":1,"born":"2020-01-01T00:00:00Z"}"#)).unwrap();
        assert!(matches!(&ok, get_pet::Response::Ok(pet) if pet.id == 1));
        assert_eq!(ok.status(), StatusCode::OK);
        let teapot = get_pet::Response::from_http(response(418, "tea")).unwrap();
        assert_eq!(teapot, get_pet::Response::Undeclared { status: StatusCode::IM_A_TEAPOT, body: b"tea".to_vec() });
        assert_eq!(teapot.into_http().body(), b"tea");

        let gone = delete_pets_pet_id::Response::from_http(response(202, "")).unwrap();
        assert_eq!(gone, delete_pets_pet_id::Response::Status2xx { status: StatusCode::ACCEPTED });
        let other = delete_pets_pet_id::Response::from_http(response(500, r#"{"reason":"down"}"#)).unwrap();
        let delete_pets_pet_id::Response::Default { status, body } = other else { panic!("{other:?}") };
        assert_eq!((status, body.reason.as_deref()), (StatusCode::INTERNAL_SERVER_ERROR, Some("down")));
    }
}
