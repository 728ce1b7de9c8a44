//! A redirect from an allowed server to a private address. Only loopback is reachable here,
//! so the first server is allowed through [`Reach::PublicAnd`], which the public API lacks.

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::TcpListener;
use std::sync::Arc;

use hookwright::{CrateOptions, Fetch};

use super::{HttpFetch, Reach};

/// A server on `ip` answering every request with `answer` (after `HTTP/1.1 `).
fn serve(ip: &str, answer: String) -> String {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for mut stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = stream.write_all(format!("HTTP/1.1 {answer}").as_bytes());
        }
    });
    base
}

fn redirect_to(location: &str) -> String {
    format!("302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
}

fn allowing_loopback_one() -> HttpFetch {
    HttpFetch::reaching(Reach::PublicAnd("127.0.0.1".parse().unwrap())).unwrap()
}

#[test]
fn the_allowed_server_is_reached_and_its_redirects_to_it_followed() {
    let target = serve("127.0.0.1", "200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_owned());
    let hop = serve("127.0.0.1", redirect_to(&format!("{target}/here.yaml")));
    assert_eq!(allowing_loopback_one().fetch(&format!("{hop}/x.yaml"), 100).unwrap(), b"ok");
    let refused = HttpFetch::new().unwrap().fetch(&format!("{hop}/x.yaml"), 100).unwrap_err();
    assert!(refused.contains("the URL names 127.0.0.1, a loopback address (127.0.0.0/8)"), "{refused}");
}

#[test]
fn a_redirect_to_a_private_address_is_refused_before_connecting_and_nothing_is_kept() {
    // A listener on 127.0.0.2 shows that nothing connects to it.
    let private = TcpListener::bind("127.0.0.2:0").unwrap();
    private.set_nonblocking(true).unwrap();
    let private_url = format!("http://{}/secret.yaml", private.local_addr().unwrap());
    let hop = serve("127.0.0.1", redirect_to(&private_url));

    let error = allowing_loopback_one().fetch(&format!("{hop}/money.yaml"), 100).unwrap_err();
    let expected = format!(
        "it redirects to {private_url}, which names 127.0.0.2, a loopback address (127.0.0.0/8); remote `$ref`s \
         may only reach public addresses. If this is an internal registry you trust, pass --fetch-allow-private"
    );
    assert_eq!(error, expected);

    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("shop.yaml");
    let reference = format!("{hop}/money.yaml#/Money");
    let text = format!(
        "openapi: 3.1.0\ninfo: {{title: Shop, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    \
         Order: {{$ref: '{reference}'}}\n"
    );
    std::fs::write(&spec, text).unwrap();
    let options = CrateOptions {
        fetch_remote: Some(Arc::new(allowing_loopback_one())),
        ..CrateOptions::new("shop", "shop.yaml")
    };
    let diagnostic = hookwright::generate(&spec, &options).unwrap_err().to_string();
    assert!(diagnostic.contains("shop.yaml") && diagnostic.contains("/components/schemas/Order"), "{diagnostic}");
    assert!(diagnostic.contains(&expected), "{diagnostic}");
    assert!(!dir.path().join("shop.yaml.refs").exists(), "nothing refused is kept");
    assert_eq!(private.accept().map(|_| ()).unwrap_err().kind(), ErrorKind::WouldBlock, "nothing connected");
}
