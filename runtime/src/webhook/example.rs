//! The command line of the `receiver` example every generated webhook crate has: a real
//! HTTP server that prints one JSON line per request, for trying a receiver by hand and for
//! replaying recorded callbacks.

use std::io::Write as _;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use serde_json::value::RawValue;

use super::{Deliver, Dispatcher, Receiver, Record, Verifier};

/// Receives webhook callbacks over HTTP and prints one JSON line per request.
///
/// A POST to `/` is decoded by payload; a POST to a channel address, by channel.
#[derive(Debug, Parser)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Verify the HMAC signature of every request with this secret; unsigned or wrongly
    /// signed requests get 401. Repeat it to accept any of several (a rotation, several apps).
    #[arg(long, conflicts_with = "basic")]
    secret: Vec<String>,
    /// Tolerance for the signature timestamp, in seconds; 0 for none (to replay recordings).
    #[arg(long, default_value_t = 300)]
    max_age: u64,
    /// Require HTTP Basic credentials, given as USER:PASS.
    #[arg(long, value_name = "USER:PASS")]
    basic: Option<String>,
}

/// Parses the command line and serves `handler` until the process is stopped.
pub fn run<D, H>(handler: H) -> ExitCode
where
    D: Deliver<H>,
    H: Send + Sync + 'static,
{
    let args = Args::parse();
    let verifier = match verifier::<D>(&args) {
        Ok(verifier) => verifier,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    // The replay window follows the verifier's max age (`Dispatcher::replay_window`).
    let dispatcher = Dispatcher::new(Receiver::<D>::new(verifier), handler).inspect(print_record);
    match serve(args.listen, super::axum::router(dispatcher)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: cannot serve on {}: {error}", args.listen);
            ExitCode::FAILURE
        }
    }
}

fn verifier<D: super::Decode>(args: &Args) -> Result<Verifier, String> {
    let max_age = (args.max_age > 0).then(|| Duration::from_secs(args.max_age));
    if !args.secret.is_empty() {
        let scheme = D::HMAC.ok_or("--secret: this API's spec declares no HMAC signature scheme")?;
        return Ok(Verifier::hmac_any(scheme, args.secret.iter().map(String::as_str)).max_age(max_age));
    }
    if let Some(credentials) = &args.basic {
        let (user, password) = credentials.split_once(':').ok_or("--basic: expected USER:PASS")?;
        return Ok(Verifier::basic(user, password));
    }
    Ok(Verifier::none())
}

fn serve(listen: SocketAddr, router: axum::Router) -> std::io::Result<()> {
    let listener = std::net::TcpListener::bind(listen)?;
    eprintln!("listening on http://{}", listener.local_addr()?);
    super::axum::serve_on(listener, router)
}

/// One line of output: the path, the status answered, what was done with the request, the
/// message, operation and dedup key, and the callback encoded as JSON again (or why the
/// request was refused).
struct Line<'a> {
    path: &'a str,
    status: u16,
    outcome: &'a str,
    message: &'a str,
    operation: Option<&'a str>,
    dedup_key: Option<&'a str>,
    payload: Option<&'a RawValue>,
    error: Option<&'a str>,
    unknown: Option<&'a str>,
}

impl serde::Serialize for Line<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("path", self.path)?;
        map.serialize_entry("status", &self.status)?;
        map.serialize_entry("outcome", self.outcome)?;
        map.serialize_entry("message", self.message)?;
        map.serialize_entry("operation", &self.operation)?;
        map.serialize_entry("dedup_key", &self.dedup_key)?;
        map.serialize_entry("payload", &self.payload)?;
        if let Some(error) = self.error {
            map.serialize_entry("error", error)?;
        }
        if let Some(reason) = self.unknown {
            map.serialize_entry("unknown", reason)?;
        }
        map.end()
    }
}

fn print_record(record: &Record<'_>) {
    // A payload kept as received (an unknown event, pretty-printed by its sender) fits on one line.
    let compact = record.payload.as_deref().map(crate::unknown_fields::compact);
    let payload: Option<&RawValue> = compact.as_deref().and_then(|json| serde_json::from_str(json).ok());
    let line = Line {
        path: record.path,
        status: record.status.as_u16(),
        outcome: record.outcome.as_str(),
        message: record.message.unwrap_or("UNKNOWN"),
        operation: record.operation,
        dedup_key: record.dedup_key.as_deref(),
        payload,
        error: record.error.as_deref(),
        unknown: record.unknown.as_deref(),
    };
    if let Ok(json) = serde_json::to_string(&line) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{json}");
        let _ = stdout.flush();
    }
}
