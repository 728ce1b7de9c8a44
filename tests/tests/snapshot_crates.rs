//! The generator's committed snapshot outputs (`tests/snapshots/`, written by
//! `tests/snapshots.rs`), compiled here as modules to prove they are valid, warning-free Rust,
//! and exercised: the hard cases decode and encode as the spec says.
//!
//! Not in `tests/snapshots.rs`, so that snapshots that no longer compile can still be
//! rewritten there; not in the package's library, which every test target links.

#[rustfmt::skip]
#[path = "../snapshots/callbacks/lib.rs"]
pub mod snapshot_callbacks;
#[rustfmt::skip]
#[path = "../snapshots/minimal/lib.rs"]
pub mod snapshot_minimal;
#[rustfmt::skip]
#[path = "../snapshots/names/lib.rs"]
pub mod snapshot_names;
#[rustfmt::skip]
#[path = "../snapshots/nesting/lib.rs"]
pub mod snapshot_nesting;
#[rustfmt::skip]
#[path = "../snapshots/numbers/lib.rs"]
pub mod snapshot_numbers;
#[rustfmt::skip]
#[path = "../snapshots/openapi/lib.rs"]
pub mod snapshot_openapi;
#[rustfmt::skip]
#[path = "../snapshots/params/lib.rs"]
pub mod snapshot_params;
#[rustfmt::skip]
#[path = "../snapshots/rail/lib.rs"]
pub mod snapshot_rail;
#[rustfmt::skip]
#[path = "../snapshots/refs/lib.rs"]
pub mod snapshot_refs;
#[rustfmt::skip]
#[path = "../snapshots/security/lib.rs"]
pub mod snapshot_security;
#[rustfmt::skip]
#[path = "../snapshots/shared/lib.rs"]
pub mod snapshot_shared;
#[rustfmt::skip]
#[path = "../snapshots/shadowing/lib.rs"]
pub mod snapshot_shadowing;
#[rustfmt::skip]
#[path = "../snapshots/shadowing_events/lib.rs"]
pub mod snapshot_shadowing_events;
#[rustfmt::skip]
#[path = "../snapshots/tuples/lib.rs"]
pub mod snapshot_tuples;
#[rustfmt::skip]
#[path = "../snapshots/unions/lib.rs"]
pub mod snapshot_unions;

/// Decodes `json` as `T`, checks it re-encodes to the same document, and returns it.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> T {
    let value: T = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    let original: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), original);
    value
}

#[test]
fn odd_wire_names_round_trip_through_their_fields() {
    use crate::snapshot_names::{OddNames, Switch};
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
    use crate::snapshot_refs::{Alias, Country};
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
    let person: crate::snapshot_refs::Person = serde_json::from_str(json).unwrap();
    let keys: Vec<&str> = person.tags.as_ref().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["zeta", "alpha", "mid"]);
    assert_eq!(serde_json::to_string(&person).unwrap(), json, "re-encoded byte for byte");
}

#[test]
fn a_tagged_union_decodes_by_its_tag_and_keeps_unknown_tags() {
    use crate::snapshot_unions::{Event, Pet};
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
    use crate::snapshot_unions::Source;
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
    use crate::snapshot_unions::Holder;
    let json = r#"{"pet":{"petType":"dog"},"note":null,"maybe_count":null,"legacy":null,"tags":["a",null],"labels":{"x-b":"1"}}"#;
    let holder = round_trip::<Holder>(json);
    assert_eq!((holder.note, holder.maybe_count, holder.legacy), (None, None, None));
    assert_eq!(holder.tags, Some(vec![Some("a".to_owned()), None]));
    let error = serde_json::from_str::<Holder>(r#"{"pet":{"petType":"dog"},"maybe_count":1}"#).unwrap_err();
    assert!(error.to_string().contains("note"), "a required nullable field must be present: {error}");
}

#[test]
fn a_missing_required_field_is_named() {
    let error = serde_json::from_str::<crate::snapshot_refs::Person>(r#"{"name":"Ann"}"#).unwrap_err();
    assert!(error.to_string().contains("missing field `address`"), "{error}");
}

/// Both operations that declare `getFile` are generated, the later one as `get_file_2`.
#[test]
fn a_duplicate_operation_id_keeps_both_operations() {
    use crate::snapshot_callbacks::operations::{get_file, get_file_2};
    let first = get_file::Request::new("7".into()).to_http("http://h").unwrap();
    let second = get_file_2::Request::new("7".into()).to_http("http://h").unwrap();
    assert_eq!((first.uri().path(), second.uri().path()), ("/files/7", "/archive/files/7"));
}

mod openapi_operations {
    use crate::snapshot_openapi::operations::{delete_pets_pet_id, get_pet, put_pet};
    use crate::snapshot_openapi::{PutPetRequest, View};
    use hookwright_runtime::api::client::RequestError;
    use hookwright_runtime::api::server::{PathParams, Query};
    use hookwright_runtime::http::{HeaderMap, Method, Response, StatusCode};
    use hookwright_runtime::Secret;

    fn put(age: Option<i32>, password: &str) -> put_pet::Request {
        let mut body = PutPetRequest::new("Rex".into());
        body.age = age;
        body.password = Some(Secret::new(password));
        let mut request = put_pet::Request::new("a b/c".into());
        request.body = Some(body);
        request
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
        let none = HeaderMap::new();
        let request =
            put_pet::Request::from_parts(&path, &Query::parse(None), &none, br#"{"name":"Rex","age":2}"#).unwrap();
        assert_eq!((request.pet_id.as_str(), request.body.and_then(|body| body.age)), ("p1", Some(2)));
        // The spec does not say `required: true`: a request without a body is one.
        let request = put_pet::Request::from_parts(&path, &Query::parse(None), &none, b"").unwrap();
        assert_eq!(request.body, None);

        let error = put_pet::Request::from_parts(&path, &Query::parse(None), &none, br#"{"age":99}"#).unwrap_err();
        assert!(error.0.iter().any(|v| v.field.starts_with("body")), "{error}");
        let error = get_pet::Request::from_parts(&PathParams::new([]), &Query::parse(None), &none, b"").unwrap_err();
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

/// Header and cookie parameters, an optional body and API keys, over real HTTP on 127.0.0.1:
/// the generated client against the generated server.
mod params_http {
    use std::sync::{Arc, Mutex};

    use crate::snapshot_params::operations::{create_note, purge_notes, replace_note, router, Client, Server, Service};
    use crate::snapshot_params::Note;
    use hookwright_runtime::api::reqwest::HttpClient;
    use hookwright_runtime::api::{Caller, Credentials};
    use hookwright_runtime::http::StatusCode;
    use hookwright_runtime::serve;

    const KEY: &str = "k3y-zz-7f3a";

    /// Keeps the requests it is given, answers each with its body's note (or an empty one).
    #[derive(Default)]
    struct Notes {
        created: Mutex<Vec<create_note::Request>>,
        replaced: Mutex<Vec<replace_note::Request>>,
    }

    /// Serves `server` on a free port: its base URL.
    async fn start(server: Server<Arc<Notes>>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { serve::run(listener, router(server), &serve::Limits::default()).await });
        format!("http://{address}")
    }

    /// Shared, so that a test can look at what the server it started was given.
    impl Service for Arc<Notes> {
        async fn create_note(&self, request: create_note::Request, _: Caller) -> create_note::Response {
            let note = request.body.clone().unwrap_or_else(|| Note::new("(empty)".into()));
            self.created.lock().unwrap().push(request);
            create_note::Response::Created(note)
        }

        async fn replace_note(&self, request: replace_note::Request, _: Caller) -> replace_note::Response {
            self.replaced.lock().unwrap().push(request);
            replace_note::Response::NoContent
        }

        async fn purge_notes(&self, _: purge_notes::Request, _: Caller) -> purge_notes::Response {
            purge_notes::Response::NoContent
        }
    }

    /// A server letting in only `KEY`, and a client sending `key`.
    async fn pair(key: &str) -> (Arc<Notes>, Client, String) {
        let notes = Arc::new(Notes::default());
        // The key may come by any of the three schemes: its name is not checked.
        let server = Server::new(notes.clone())
            .authorize(|presented| matches!(presented, [Credentials::ApiKey { key, .. }] if key.expose() == KEY));
        let base = start(server).await;
        let client =
            Client::new(HttpClient::new(base.clone()).with_credentials(Credentials::api_key("X-Api-Key", key)));
        (notes, client, base)
    }

    #[tokio::test]
    async fn headers_cookies_and_an_absent_optional_body_reach_the_service() {
        let (notes, client, _) = pair(KEY).await;
        let mut request = create_note::Request::new("req-1".into());
        request.x_retry_count = Some(2);
        request.session = Some("s1".into());
        let response = client.create_note(&request).await.unwrap();
        assert_eq!(response, create_note::Response::Created(Note::new("(empty)".into())));
        assert_eq!(notes.created.lock().unwrap().as_slice(), [request]);

        let replace = replace_note::Request::new("n1".into(), "acme".into(), Note::new("hi".into()));
        assert_eq!(client.replace_note(&replace).await.unwrap(), replace_note::Response::NoContent);
        assert_eq!(notes.replaced.lock().unwrap().as_slice(), [replace]);
    }

    #[tokio::test]
    async fn a_missing_required_header_or_cookie_is_400() {
        let (notes, _, base) = pair(KEY).await;
        let http = reqwest::Client::new();
        let response = http.post(format!("{base}/notes")).header("X-Api-Key", KEY).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(
            body["invalid-params"],
            serde_json::json!([{"name": "header.X-Request-Id", "reason": "is required"}])
        );
        let response = http
            .put(format!("{base}/notes/n1"))
            .header("Cookie", format!("key={KEY}"))
            .header("Content-Type", "application/json")
            .body(r#"{"text":"hi"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(body["invalid-params"], serde_json::json!([{"name": "cookie.tenant", "reason": "is required"}]));
        let response = http
            .post(format!("{base}/notes?api_key={KEY}"))
            .header("X-Request-Id", "r")
            .header("X-Retry-Count", "-1")
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert_eq!(
            body["invalid-params"],
            serde_json::json!([{"name": "header.X-Retry-Count", "reason": "must be at least 0 (is -1)"}])
        );
        assert!(notes.created.lock().unwrap().is_empty());
    }

    #[tokio::test]
    async fn api_keys_are_accepted_or_refused() {
        let (notes, stranger, base) = pair("wrong-key").await;
        let request = create_note::Request::new("req-1".into());
        let refused = stranger.create_note(&request).await.unwrap();
        assert_eq!(refused, create_note::Response::Status4xx { status: StatusCode::UNAUTHORIZED });
        let http = reqwest::Client::new();
        for (url, header, value) in [
            (format!("{base}/notes"), "X-Api-Key", KEY.to_owned()),
            (format!("{base}/notes?api_key={KEY}"), "X-Other", String::new()),
            (format!("{base}/notes"), "Cookie", format!("key={KEY}")),
        ] {
            let response =
                http.post(&url).header("X-Request-Id", "r").header(header, value.as_str()).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::CREATED, "{url} {header}");
        }
        assert_eq!(notes.created.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn an_oauth2_operation_is_refused_without_a_validator() {
        let base = start(Server::new(Arc::new(Notes::default()))).await;
        let client = Client::new(HttpClient::new(base).with_credentials(Credentials::bearer("any-token")));
        let response = client.purge_notes(&purge_notes::Request::new()).await.unwrap();
        let purge_notes::Response::Undeclared { status, body } = response else { panic!("{response:?}") };
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(String::from_utf8_lossy(&body).contains("OAuth2 tokens are refused"));
    }
}

/// Security requiring two API keys together, over real HTTP on 127.0.0.1: the generated server
/// refuses either key alone, and the generated client sends both.
mod security_http {
    use crate::snapshot_security::operations::{get_app, get_status, router, Client, Server, Service};
    use hookwright_runtime::api::reqwest::HttpClient;
    use hookwright_runtime::api::{Caller, Credentials};
    use hookwright_runtime::http::StatusCode;
    use hookwright_runtime::serve;

    const APP: &str = "app-7";
    const KEY: &str = "k3y-zz-7f3b";

    struct Apps;

    impl Service for Apps {
        /// Names the app and the keys its caller was let in with.
        async fn get_app(&self, request: get_app::Request, caller: Caller) -> get_app::Response {
            let key_name = |credentials: &Credentials| match credentials {
                Credentials::ApiKey { name, .. } => Some(name.clone()),
                _ => None,
            };
            let keys: Vec<String> = caller.credentials.iter().filter_map(key_name).collect();
            get_app::Response::Ok(format!("app {} for {}", request.id, keys.join(" and ")))
        }

        async fn get_status(&self, _: get_status::Request, _: Caller) -> get_status::Response {
            get_status::Response::NoContent
        }
    }

    /// Serves the API on a free port, letting in `APP` with its `KEY` only: its base URL.
    async fn start() -> String {
        let server = Server::new(Apps).authorize(|presented| match presented {
            [app, key] => {
                app.matches(&Credentials::api_key("X-App-Id", APP))
                    & key.matches(&Credentials::api_key("X-Api-Key", KEY))
            }
            _ => false,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { serve::run(listener, router(server), &serve::Limits::default()).await });
        format!("http://{address}")
    }

    fn client(base: &str, credentials: &[Credentials]) -> Client {
        let http = credentials.iter().fold(HttpClient::new(base), |http, one| http.with_credentials(one.clone()));
        Client::new(http)
    }

    #[tokio::test]
    async fn one_key_alone_is_refused_and_the_client_sends_both() {
        let base = start().await;
        let http = reqwest::Client::new();
        let url = format!("{base}/apps/a1");
        for (name, value) in [("X-Api-Key", KEY), ("X-App-Id", APP)] {
            let response = http.get(&url).header(name, value).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name} alone");
        }
        let response = http.get(&url).header("X-App-Id", APP).header("X-Api-Key", KEY).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);

        let app = Credentials::api_key("X-App-Id", APP);
        let key = Credentials::api_key("X-Api-Key", KEY);
        let request = get_app::Request::new("a1".into());
        let both = client(&base, &[app, key.clone()]);
        let seen = get_app::Response::Ok("app a1 for X-App-Id and X-Api-Key".into());
        assert_eq!(both.get_app(&request).await.unwrap(), seen, "the service is told who came in");
        let refused = get_app::Response::Status4xx { status: StatusCode::UNAUTHORIZED };
        // A client holding one key of the two sends nothing, and is refused.
        assert_eq!(client(&base, &[key]).get_app(&request).await.unwrap(), refused);
    }

    #[tokio::test]
    async fn anonymous_calls_pass_where_the_spec_allows_them() {
        let base = start().await;
        let request = get_status::Request::new();
        assert_eq!(client(&base, &[]).get_status(&request).await.unwrap(), get_status::Response::NoContent);
        assert_eq!(
            client(&base, &[]).get_app(&get_app::Request::new("a1".into())).await.unwrap(),
            get_app::Response::Status4xx { status: StatusCode::UNAUTHORIZED }
        );
    }
}

/// Parameters named like `from_parts`'s arguments and locals (`path`, `query`, `out`, `body`)
/// are read from the request, not from the locals they would have hidden, and models named
/// like the module's own items (`Service`, `Response`, `StatusCode`) are the models.
mod shadowing {
    use crate::snapshot_shadowing::operations::service;
    use crate::snapshot_shadowing::{Method, Service, StatusCode};
    use hookwright_runtime::api::server::{PathParams, Query};

    #[test]
    fn parameters_named_like_locals_are_read_from_the_request() {
        let path = PathParams::new([("path", "p".to_owned())]);
        let query = Query::parse(Some("query=q&out=3&body=b&_path=x&_body=y&request=POST"));
        let none = hookwright_runtime::http::HeaderMap::new();
        let request = service::Request::from_parts(&path, &query, &none, br#"{"method":"GET"}"#).unwrap();
        assert_eq!((request.path.as_str(), request.query.as_str(), request.out), ("p", "q", Some(3)));
        assert_eq!(
            (request.body_2.as_deref(), request.path_2.as_deref(), request.body_3.as_deref()),
            (Some("b"), Some("x"), Some("y"))
        );
        assert_eq!((request.request, request.body.method), (Some(Method::Post), Some(Method::Get)));
    }

    #[test]
    fn models_named_like_operation_items_are_the_models() {
        let response = |status: u16, body: &str| {
            hookwright_runtime::http::Response::builder().status(status).body(body.as_bytes().to_vec()).unwrap()
        };
        let ok = service::Response::from_http(response(200, r#"{"client":{"nextPageToken":"t"}}"#)).unwrap();
        let service::Response::Ok(Service { client: Some(client), .. }) = &ok else { panic!("{ok:?}") };
        assert_eq!(client.next_page_token.as_deref(), Some("t"));
        let other = service::Response::from_http(response(503, r#"{"code":7}"#)).unwrap();
        let service::Response::Default { body: StatusCode { code, .. }, .. } = other else { panic!("{other:?}") };
        assert_eq!(code, Some(7));
    }
}

/// Messages and operations named like `webhooks.rs`'s own items (`Event`, `Handler`,
/// `Receiver`, the handler's `unknown`) decode into the models, in suffixed variants.
#[test]
fn messages_named_like_webhook_items_decode_into_their_models() {
    use crate::snapshot_shadowing_events::webhooks::{Event, EventMessage, Webhooks};
    use hookwright_runtime::webhook::Decode;
    let handler = Webhooks::decode(br#"{"kind":"handler","dispatcher":{"name":"d"}}"#).unwrap();
    let Event::Event2(message) = &handler else { panic!("{handler:?}") };
    let EventMessage::Handler(model) = message.as_ref() else { panic!("{message:?}") };
    assert_eq!(model.dispatcher.as_ref().and_then(|d| d.name.as_deref()), Some("d"));
    let receiver = Webhooks::decode(br#"{"receiver":"r"}"#).unwrap();
    assert!(matches!(&receiver, Event::Receiver2(model) if model.receiver == "r"), "{receiver:?}");
}

#[test]
fn tuple_arrays_round_trip_keeping_extra_items_unless_the_schema_allows_none() {
    use crate::snapshot_tuples::{Point, Shape, Tagged, ZonesValue};
    use hookwright_runtime::Unknowns;
    let shape: Shape =
        round_trip(r#"{"point":[1.5,-2.0],"tagged":["a",7,true,{"x":1}],"zones":{"door":[1,2,3,4]},"foo":"bar"}"#);
    assert_eq!(shape.point, Some(Point(1.5, -2.0)));
    let Some(Tagged(name, count, rest)) = &shape.tagged else { panic!("{shape:?}") };
    assert_eq!((name.as_str(), *count, rest.len()), ("a", 7, 2));
    assert_eq!(shape.zones.as_ref().unwrap()["door"], ZonesValue(1, 2, 3, 4));
    assert!(shape.unknowns().is_empty(), "{:?}", shape.unknowns());

    // `additionalItems: false`, and `maxItems` as long as the positions: no more items.
    assert!(serde_json::from_str::<Point>("[1, 2, 3]").is_err());
    assert!(serde_json::from_str::<ZonesValue>("[1, 2, 3, 4, 5]").is_err());
    assert!(serde_json::from_str::<Point>("[1]").is_err(), "every position is required");
    // A `uint8` position holds 255 and no more.
    assert!(serde_json::from_str::<Tagged>(r#"["a", 255]"#).is_ok());
    assert!(serde_json::from_str::<Tagged>(r#"["a", 256]"#).is_err());
}

#[test]
fn integers_take_the_type_of_their_format_and_range_and_are_checked_exactly() {
    use crate::snapshot_numbers::operations::put_counters;
    use crate::snapshot_numbers::{Counters, Location, Pair};
    use hookwright_runtime::api::client::RequestError;
    // Compared as text: a `Value` cannot hold an integer beyond 64 bits.
    let json = concat!(
        r#"{"tiny":-128,"byte":255,"short":-32768,"word":65535,"int":-2147483648,"dword":4294967295,"#,
        r#""long":-9223372036854775808,"qword":18446744073709551615,"size":18446744073709551615,"#,
        r#""wide":18446744073709551615,"signed_wide":18446744073709551616,"pair":[1,"x"],"#,
        r#""location":{"street":"Main"}}"#
    );
    let counters: Counters = serde_json::from_str(json).unwrap();
    assert_eq!(serde_json::to_string(&counters).unwrap(), json);
    assert_eq!((counters.qword, counters.signed_wide), (Some(u64::MAX), Some(1 << 64)));
    assert_eq!(counters.pair, Some(Pair(1, "x".into())));
    assert!(matches!(&counters.location, Some(Location::LocationPhysical(place)) if place.street == "Main"));
    assert!(serde_json::from_str::<Counters>(r#"{"byte":256}"#).is_err());

    let mut body = Counters::new();
    body.safe = Some(9_007_199_254_740_992);
    body.qword = Some(0);
    let Err(RequestError::Invalid(violations)) = put_counters::Request::new(body).to_http("http://h") else {
        panic!("a value one past maximum, and one below minimum, were sent");
    };
    let found: Vec<String> = violations.0.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        ["body.qword: must be at least 1 (is 0)", "body.safe: must be at most 9007199254740991 (is 9007199254740992)"]
    );
}

#[test]
fn a_much_larger_union_variant_is_boxed_and_the_small_one_is_not() {
    use crate::snapshot_numbers::{Location, LocationOnline, LocationPhysical};
    let online = Location::LocationOnline(LocationOnline::new("https://example.com".into()));
    let physical = Location::LocationPhysical(Box::new(LocationPhysical::new("Main".into())));
    assert!(std::mem::size_of::<Location>() < std::mem::size_of::<LocationPhysical>());
    assert_ne!(online, physical);
}

/// OpenAPI 3.1 webhooks: a body decodes by the address of its webhook, the `oneOf` body by its
/// discriminator, and by payload alone by a key only one webhook's payload (or the variants of
/// its `oneOf`) has; an example is accepted as its webhook's message by the assertion the
/// generated `tests/examples.rs` uses.
#[test]
fn openapi_webhooks_decode_by_address_and_by_payload() {
    use crate::snapshot_rail::webhooks::{Event, Operation, Webhooks};
    use crate::snapshot_rail::PaymentEventRequest;
    use hookwright_runtime::webhook::Decode;
    let failed = r#"{"type":"payment.failed","reason":"card declined","retry":false}"#;
    let channel = Webhooks::CHANNELS.iter().position(|c| *c == Operation::PaymentEvent.address()).unwrap();
    let event = Webhooks::decode_channel(channel, failed.as_bytes()).unwrap();
    let Event::PaymentEvent(payment) = &event else { panic!("{event:?}") };
    let PaymentEventRequest::PaymentFailed(reason) = payment.as_ref() else { panic!("{payment:?}") };
    assert_eq!(reason.reason, "card declined");
    let original: serde_json::Value = serde_json::from_str(failed).unwrap();
    assert_eq!(serde_json::to_value(&event).unwrap(), original, "the unknown field survives");
    let by_payload = Webhooks::decode(failed.as_bytes()).unwrap();
    assert_eq!(by_payload, event, "the properties of the `oneOf`'s variants name its webhook");
    let booking = Webhooks::decode(br#"{"id":"b1","has_dog":true}"#).unwrap();
    assert_eq!(booking.operation(), Some(Operation::NewBooking));
    assert_eq!(booking.dedup_key(), hookwright_runtime::webhook::dedup_key("new-booking", &[Some("b1".to_owned())]));
    hookwright_runtime::testing::assert_received::<Webhooks>(
        Some("/paymentEvent"),
        r#"{"type":"payment.succeeded","amount":12.5}"#,
        "PaymentEvent",
        Some("PaymentEvent"),
    );
}
