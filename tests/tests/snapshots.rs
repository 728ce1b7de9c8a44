//! Snapshot tests of the generator on small inline specs, one per hard case.
//!
//! Each case's output is committed under `tests/snapshots/<case>/`, to review, and compiled
//! and exercised by another test target (`tests/snapshot_crates.rs`), so a snapshot is also
//! proven valid Rust. Kept apart, this target compiles whatever the snapshots hold: after an
//! intended change, `UPDATE_EXPECT=1 cargo test -p spec-tests --test snapshots` rewrites
//! them even when the committed ones no longer compile.

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

/// OpenAPI 3.1 `webhooks` beside a path: each webhook is received (a message per webhook,
/// its address `/<name>`), one of them a `oneOf` with a discriminator; the path stays an
/// operation; the webhooks' security scheme carries an `x-signature`, which the receiver
/// verifies.
#[test]
fn openapi_webhooks_are_received_beside_the_paths() {
    snapshot(
        "rail",
        &[(
            "rail.openapi.yaml",
            r#"
openapi: 3.1.0
info: {title: Rail, version: '1'}
paths:
  /bookings/{id}:
    get:
      operationId: getBooking
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The booking.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Booking'}
webhooks:
  newBooking:
    post:
      operationId: new-booking
      summary: New Booking
      description: A booking was made.
      security: [{signature: []}]
      x-dedup-key: [/id]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Booking'}
            example: {id: b1, passenger_name: John Doe, has_dog: true}
      responses:
        '200': {description: Received.}
  paymentEvent:
    post:
      summary: A payment changed.
      security: [{signature: []}]
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: '#/components/schemas/PaymentSucceeded'}
                - {$ref: '#/components/schemas/PaymentFailed'}
              discriminator:
                propertyName: type
                mapping:
                  payment.succeeded: '#/components/schemas/PaymentSucceeded'
                  payment.failed: '#/components/schemas/PaymentFailed'
            examples:
              succeeded: {value: {type: payment.succeeded, amount: 12.5}}
              failed: {value: {type: payment.failed, reason: card declined}}
      responses:
        '204': {description: Received.}
components:
  securitySchemes:
    signature:
      type: apiKey
      in: header
      name: X-Signature
      description: Hex HMAC-SHA256 of the body.
      x-signature: {digest: hmac-sha256, encoding: hex, signedData: '{body}'}
  schemas:
    Booking:
      type: object
      required: [id]
      properties:
        id: {type: string}
        passenger_name: {type: string}
        has_dog: {type: boolean}
    PaymentSucceeded:
      type: object
      required: [type, amount]
      properties:
        type: {type: string}
        amount: {type: number}
    PaymentFailed:
      type: object
      required: [type, reason]
      properties:
        type: {type: string}
        reason: {type: string}
"#,
        )],
    );
}

/// Two callbacks without operationId on one runtime expression, named for their callbacks
/// (`FileUpdated`, `FileDeleted`), and an operationId two operations declare (the second
/// becomes `getFile_2`, with a warning).
#[test]
fn callbacks_without_operation_ids_and_a_duplicate_operation_id() {
    snapshot(
        "callbacks",
        &[(
            "files.openapi.yaml",
            r#"
openapi: 3.0.3
info: {title: Files, version: '1'}
paths:
  /watches:
    post:
      operationId: watchFiles
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [endpoint]
              properties:
                endpoint: {type: string}
      responses:
        '201': {description: Watching.}
      callbacks:
        fileUpdated:
          '{$request.body#/endpoint}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/FileEvent'}
              responses:
                '204': {description: Received.}
        fileDeleted:
          '{$request.body#/endpoint}':
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/FileEvent'}
              responses:
                '204': {description: Received.}
  /files/{id}:
    get:
      operationId: getFile
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The file.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/FileEvent'}
  /archive/files/{id}:
    get:
      operationId: getFile
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: The archived file.}
components:
  schemas:
    FileEvent:
      type: object
      required: [path]
      properties:
        path: {type: string}
        size: {type: integer}
"#,
        )],
    );
}

/// Header and cookie parameters (an `Accept` parameter is ignored, as OpenAPI says), an
/// optional and a required body, and security the server checks (API keys in a header, query
/// or cookie) or needs a validator for (OAuth2).
#[test]
fn header_and_cookie_parameters_optional_bodies_and_api_keys() {
    snapshot(
        "params",
        &[(
            "notes.openapi.yaml",
            r#"
openapi: 3.0.3
info: {title: Notes, version: '1'}
security:
  - headerKey: []
  - queryKey: []
  - cookieKey: []
paths:
  /notes:
    post:
      operationId: createNote
      parameters:
        - {name: X-Request-Id, in: header, required: true, schema: {type: string, maxLength: 36}}
        - {name: X-Retry-Count, in: header, schema: {type: integer, format: int32, minimum: 0}}
        - {name: session, in: cookie, schema: {type: string}}
        - {name: Accept, in: header, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Note'}
        4XX: {description: Refused.}
  /notes/{id}:
    put:
      operationId: replaceNote
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: tenant, in: cookie, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Note'}
      responses:
        '204': {description: Replaced.}
  /admin/notes:
    delete:
      operationId: purgeNotes
      security:
        - oauth: [notes:admin]
      responses:
        '204': {description: Purged.}
components:
  securitySchemes:
    headerKey: {type: apiKey, in: header, name: X-Api-Key}
    queryKey: {type: apiKey, in: query, name: api_key}
    cookieKey: {type: apiKey, in: cookie, name: key}
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes: {notes:admin: Delete every note.}
  schemas:
    Note:
      type: object
      required: [text]
      properties:
        text: {type: string, minLength: 1}
"#,
        )],
    );
}

/// Security whose requirement sets list two API keys together (both needed), beside an
/// alternative, and an operation that also allows anonymous calls (`{}`).
#[test]
fn security_requirements_listing_schemes_together() {
    snapshot(
        "security",
        &[(
            "apps.openapi.yaml",
            r#"
openapi: 3.0.3
info: {title: Apps, version: '1'}
security:
  - {appId: [], apiKey: []}
  - bearer: []
paths:
  /apps/{id}:
    get:
      operationId: getApp
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: The app's name.
          content:
            application/json:
              schema: {type: string}
        4XX: {description: Refused.}
  /status:
    get:
      operationId: getStatus
      security:
        - {}
        - {appId: [], apiKey: []}
      responses:
        '204': {description: Up.}
components:
  securitySchemes:
    appId: {type: apiKey, in: header, name: X-App-Id}
    apiKey: {type: apiKey, in: header, name: X-Api-Key}
    bearer: {type: http, scheme: bearer}
"#,
        )],
    );
}

/// Schemas, parameters and operations named like what the generated modules define or import
/// (`Service`, `Response`, `StatusCode`, a query parameter `query`, an operation `models`):
/// each keeps its name or gets a suffix from its module's scope, and nothing is shadowed.
#[test]
fn names_of_generated_items_and_locals_in_a_spec() {
    snapshot(
        "shadowing",
        &[(
            "shadowing.openapi.yaml",
            r#"
openapi: 3.0.3
info: {title: Shadowing, version: '1'}
paths:
  /services/{path}:
    post:
      operationId: service
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
        - {name: query, in: query, required: true, schema: {type: string}}
        - {name: out, in: query, schema: {type: integer}}
        - {name: body, in: query, schema: {type: string}}
        - {name: _path, in: query, schema: {type: string}}
        - {name: _body, in: query, schema: {type: string}}
        - {name: request, in: query, schema: {$ref: '#/components/schemas/Method'}}
        - {name: body, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Request'}
      responses:
        '200':
          description: The service.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Service'}
        '400':
          description: A response named Response.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Response'}
        default:
          description: A status.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/StatusCode'}
  /models:
    get:
      operationId: models
      parameters:
        - {name: pageToken, in: query, schema: {type: string}}
      responses:
        '200':
          description: A page.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Client'}
  /models/pages:
    get:
      operationId: models_pages
      responses:
        '200':
          description: Routes.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Routes'}
  /http:
    get:
      operationId: http
      responses:
        '204': {description: Nothing.}
  /new:
    get:
      operationId: new
      responses:
        '204': {description: Nothing.}
components:
  schemas:
    Service: {type: object, properties: {client: {$ref: '#/components/schemas/Client'}, event: {$ref: '#/components/schemas/Event'}}}
    Client: {type: object, properties: {nextPageToken: {type: string}, server: {$ref: '#/components/schemas/Server'}}}
    Routes: {type: object, properties: {operation: {$ref: '#/components/schemas/Operation'}}}
    Server: {type: object, properties: {handler: {$ref: '#/components/schemas/Handler'}}}
    Request: {type: object, properties: {method: {$ref: '#/components/schemas/Method'}, value: {$ref: '#/components/schemas/Value'}}}
    Response: {type: object, properties: {status: {$ref: '#/components/schemas/StatusCode'}}}
    StatusCode: {type: object, properties: {code: {type: integer}}}
    Method: {type: string, enum: [GET, POST]}
    Event: {type: object, properties: {receiver: {$ref: '#/components/schemas/Receiver'}}}
    Operation: {type: object, properties: {dispatcher: {$ref: '#/components/schemas/Dispatcher'}}}
    Handler: {type: object, properties: {future: {$ref: '#/components/schemas/Future'}}}
    Receiver: {type: object, properties: {name: {type: string}}}
    Dispatcher: {type: object, properties: {name: {type: string}}}
    Future: {type: object, properties: {name: {type: string}}}
    Value: {type: object, properties: {result: {$ref: '#/components/schemas/Result'}, option: {$ref: '#/components/schemas/Option'}}}
    Result: {type: object, properties: {box: {$ref: '#/components/schemas/Box'}}}
    Option: {type: object, properties: {string: {$ref: '#/components/schemas/String'}}}
    Box: {type: object, properties: {vec: {$ref: '#/components/schemas/Vec'}}}
    String: {type: object, properties: {validate: {$ref: '#/components/schemas/Validate'}}}
    Vec: {type: object, properties: {outcome: {$ref: '#/components/schemas/Outcome'}}}
    Validate: {type: object, properties: {violation: {$ref: '#/components/schemas/Violation'}}}
    Violation: {type: object, properties: {timestamp: {$ref: '#/components/schemas/Timestamp'}}}
    Outcome: {type: object, properties: {name: {type: string}}}
    Timestamp: {type: object, properties: {name: {type: string}}}
    Default: {type: object, properties: {name: {type: string}}}
"#,
        )],
    );
}

/// An AsyncAPI spec whose messages, schemas and operations are named like what `webhooks.rs`
/// defines (`Event`, `Handler`, `Receiver`, the handler's `unknown` method).
#[test]
fn names_of_generated_webhook_items_in_a_spec() {
    snapshot(
        "shadowing_events",
        &[(
            "events.asyncapi.yaml",
            r#"
asyncapi: 2.6.0
info: {title: Events, version: '1'}
channels:
  /events:
    subscribe:
      operationId: event
      message:
        oneOf:
          - {$ref: '#/components/messages/Event'}
          - {$ref: '#/components/messages/Handler'}
  /receivers:
    subscribe:
      operationId: Receiver
      message: {$ref: '#/components/messages/Receiver'}
  /unknown:
    subscribe:
      operationId: unknown
      message: {$ref: '#/components/messages/Context'}
components:
  messages:
    Event:
      payload: {$ref: '#/components/schemas/Event'}
    Handler:
      payload: {$ref: '#/components/schemas/Handler'}
    Receiver:
      payload: {$ref: '#/components/schemas/Receiver'}
    Context:
      payload: {$ref: '#/components/schemas/Context'}
  schemas:
    Event:
      type: object
      required: [kind]
      properties:
        kind: {type: string, const: event}
        operation: {$ref: '#/components/schemas/Operation'}
    Handler:
      type: object
      required: [kind]
      properties:
        kind: {type: string, const: handler}
        dispatcher: {$ref: '#/components/schemas/Dispatcher'}
    Receiver: {type: object, required: [receiver], properties: {receiver: {type: string}}}
    Context: {type: object, required: [context], properties: {context: {$ref: '#/components/schemas/Outcome'}}}
    Operation: {type: object, properties: {name: {type: string}}}
    Dispatcher: {type: object, properties: {name: {type: string}}}
    Outcome: {type: object, properties: {name: {type: string}}}
"#,
        )],
    );
}

/// Tuple arrays in both spellings, open and closed; names clippy reserves for placeholders;
/// and AsyncAPI 3 security schemes given inline or by a `$ref` outside `securitySchemes`.
#[test]
fn tuple_arrays_placeholder_names_and_inline_security() {
    snapshot(
        "tuples",
        &[(
            "shapes.asyncapi.yaml",
            r#"
asyncapi: 3.0.0
info: {title: Shapes, version: '1'}
servers:
  production:
    host: broker.example.com
    protocol: mqtt
    security:
      - $ref: '#/components/securitySchemes/user'
      - type: oauth2
        description: Tokens from the example authorization server.
        flows:
          clientCredentials:
            tokenUrl: https://auth.example.com/token
            availableScopes: {shapes:read: Read shapes}
      - $ref: '#/components/x-schemes/openId'
channels:
  shapes:
    address: shapes
    messages:
      shape:
        name: Shape
        payload: {$ref: '#/components/schemas/Shape'}
        examples:
          - name: full
            payload: {point: [1.5, -2], tagged: [a, 7, true, {x: 1}], zones: {door: [1, 2, 3, 4]}, foo: bar}
operations:
  receiveShape:
    action: receive
    channel: {$ref: '#/channels/shapes'}
components:
  x-schemes:
    openId: {type: openIdConnect, openIdConnectUrl: https://auth.example.com/.well-known/openid-configuration}
  securitySchemes:
    user: {type: userPassword}
  schemas:
    Shape:
      type: object
      properties:
        point:
          description: Exactly two coordinates.
          type: array
          items: [{type: number}, {type: number}]
          additionalItems: false
        tagged:
          type: array
          items: [{type: string}, {type: integer, format: uint8}]
        zones:
          type: object
          additionalProperties:
            type: array
            prefixItems: [{type: integer}, {type: integer}, {type: integer}, {type: integer}]
            minItems: 4
            maxItems: 4
        foo: {type: string, description: A property the spec calls foo.}
    Placeholder:
      type: object
      required: [baz]
      properties:
        baz: {type: integer}
"#,
        )],
    );
}

/// Integer formats and ranges beyond `i64`, checked exactly; a tuple that allows no more
/// items; and a union whose one large variant is boxed.
#[test]
fn integer_formats_wide_ranges_and_a_union_with_a_large_variant() {
    snapshot(
        "numbers",
        &[(
            "numbers.openapi.yaml",
            r#"
openapi: 3.1.0
info: {title: Numbers, version: '1'}
paths:
  /counters:
    put:
      operationId: putCounters
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Counters'}
            example: {tiny: -128, byte: 255, short: -32768, word: 65535, int: -2147483648, dword: 4294967295, long: -9223372036854775808, qword: 18446744073709551615, size: 18446744073709551615, wide: 18446744073709551615, signed_wide: -1, pair: [1, x], location: {street: Main}}
      responses:
        '204': {description: Stored.}
components:
  schemas:
    Counters:
      type: object
      properties:
        tiny: {type: integer, format: int8}
        byte: {type: integer, format: uint8}
        short: {type: integer, format: int16}
        word: {type: integer, format: uint16}
        int: {type: integer, format: int32}
        dword: {type: integer, format: uint32}
        long: {type: integer, format: int64}
        qword: {type: integer, format: uint64, minimum: 1}
        size: {type: integer, format: uint, minimum: 0}
        wide: {type: integer, minimum: 0, maximum: 18446744073709551615}
        signed_wide: {type: integer, minimum: -1, maximum: 18446744073709551616}
        safe: {type: integer, maximum: 9007199254740991}
        pair:
          type: array
          prefixItems: [{type: integer}, {type: string}]
          items: false
        location: {$ref: '#/components/schemas/Location'}
    Location:
      oneOf:
        - {$ref: '#/components/schemas/LocationOnline'}
        - {$ref: '#/components/schemas/LocationPhysical'}
    LocationOnline:
      type: object
      required: [url]
      properties:
        url: {type: string}
    LocationPhysical:
      type: object
      required: [street]
      properties:
        street: {type: string}
        city: {type: string}
        region: {type: string}
        postcode: {type: string}
        country: {type: string}
        lines: {type: array, items: {type: string}}
        opening: {type: object, additionalProperties: {type: string}}
        extra: {type: object}
        notes: {}
"#,
        )],
    );
}
