//! Remembering which callbacks were accepted, so that a replayed request or a sender's retry
//! of a callback already handled is answered 200 without reaching the handler again.
//!
//! Senders deliver at least once: they retry whatever they did not see answered 2xx, and a
//! captured signed request can be sent again while its timestamp is fresh. The
//! [`Dispatcher`](super::Dispatcher) turns that into at most once per window for the handler:
//! before delivering it claims the request's keys (the signature nonce, and the payload's
//! dedup key) in a [`ReplayStore`], keeps them when the handler accepts, and lets them go when
//! it does not, so that the retry after a 503 is delivered.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::{ready, Future};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// How long keys are kept at least unless configured: a nonce or dedup key that does not
/// age. A verifier that checks a signed timestamp makes the dispatcher keep them longer, for
/// as long as it would accept a replay ([`Verifier::replay_horizon`](super::Verifier::replay_horizon)).
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(5 * 60);

/// What a [`ReplayStore`] says about a key a request is about to be delivered under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The key was free: this request holds it until [`ReplayStore::accept`] or
    /// [`ReplayStore::release`], or until the window passes.
    Claimed,
    /// A request with this key was accepted within the window: do not deliver it again.
    Accepted,
    /// Another request holding this key is being handled now.
    InFlight,
}

/// Why a shared store could not answer (a connection refused, a timeout).
pub type StoreError = Box<dyn std::error::Error + Send + Sync>;

/// Where accepted keys are kept: [`MemoryStore`] by default, or a store shared by several
/// receivers (Redis, a database) that you implement.
///
/// Keys are short text (`nonce:…`, `dedup:…`). A shared store must make `claim` atomic, e.g.
/// in Redis `SET key claimed NX PX <window>` (an existing value tells `Accepted` from
/// `InFlight`), `accept` as `SET key accepted PX <window>` and `release` as `DEL key`. Prefix
/// the keys if receivers of several APIs share one store.
///
/// The methods are async, so that a network store does not block the server's threads;
/// implement them with `async fn`. When a store fails, the request is answered 503 and the
/// sender retries.
pub trait ReplayStore: Send + Sync + 'static {
    /// Claims `key` for a request about to be delivered; a claim lapses after `window`.
    fn claim(&self, key: &str, window: Duration) -> impl Future<Output = Result<Claim, StoreError>> + Send;
    /// The handler accepted: keep `key` as accepted for `window` from now.
    fn accept(&self, key: &str, window: Duration) -> impl Future<Output = Result<(), StoreError>> + Send;
    /// The handler did not accept: forget the claim, so that the sender's retry is delivered.
    fn release(&self, key: &str) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// One store for several dispatchers of this process: receivers of two APIs, or of one API on
/// two addresses, that must not both deliver a callback.
impl<T: ReplayStore> ReplayStore for Arc<T> {
    fn claim(&self, key: &str, window: Duration) -> impl Future<Output = Result<Claim, StoreError>> + Send {
        T::claim(self, key, window)
    }

    fn accept(&self, key: &str, window: Duration) -> impl Future<Output = Result<(), StoreError>> + Send {
        T::accept(self, key, window)
    }

    fn release(&self, key: &str) -> impl Future<Output = Result<(), StoreError>> + Send {
        T::release(self, key)
    }
}

/// The default [`ReplayStore`]: in this process's memory, bounded both by age (the window each
/// call gives) and by count (the oldest key is evicted to make room).
///
/// Keys are kept as SHA-256 digests, so each entry has the same small size whatever the
/// payload's dedup key holds. Past `capacity` keys per window, the oldest are forgotten early
/// and their replays are delivered again: size it for your peak rate times the window.
pub struct MemoryStore {
    capacity: usize,
    entries: Mutex<Entries>,
}

type KeyDigest = [u8; 32];

#[derive(Default)]
struct Entries {
    by_key: HashMap<KeyDigest, Entry>,
    /// Keys in the order they were stored, oldest first, with the generation they were stored
    /// under. A key released and stored again gets a newer generation; its old place is skipped.
    order: VecDeque<(KeyDigest, u64)>,
    next_generation: u64,
}

struct Entry {
    accepted: bool,
    expires: Instant,
    generation: u64,
}

impl MemoryStore {
    /// About five minutes of callbacks at 300 a second, in a few megabytes.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store that keeps at most `capacity` keys (at least one).
    pub fn new(capacity: usize) -> Self {
        MemoryStore { capacity: capacity.max(1), entries: Mutex::new(Entries::default()) }
    }

    /// How many keys are held now, expired ones not yet swept included.
    pub fn len(&self) -> usize {
        self.lock().by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic elsewhere cannot leave the map half-updated: every change is one call.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn claim_at(&self, key: &str, window: Duration, now: Instant) -> Claim {
        let digest = digest(key);
        let mut entries = self.lock();
        entries.sweep(now);
        match entries.by_key.get(&digest) {
            Some(entry) if entry.expires > now && entry.accepted => Claim::Accepted,
            Some(entry) if entry.expires > now => Claim::InFlight,
            _ => {
                entries.store(digest, false, now + window, self.capacity);
                Claim::Claimed
            }
        }
    }

    fn accept_at(&self, key: &str, window: Duration, now: Instant) {
        let digest = digest(key);
        let mut entries = self.lock();
        match entries.by_key.get_mut(&digest) {
            Some(entry) => {
                entry.accepted = true;
                entry.expires = now + window;
            }
            None => entries.store(digest, true, now + window, self.capacity),
        }
    }

    fn release_now(&self, key: &str) {
        self.lock().by_key.remove(&digest(key));
    }
}

impl Default for MemoryStore {
    fn default() -> Self {
        MemoryStore::new(MemoryStore::DEFAULT_CAPACITY)
    }
}

impl fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryStore").field("capacity", &self.capacity).field("len", &self.len()).finish()
    }
}

impl ReplayStore for MemoryStore {
    fn claim(&self, key: &str, window: Duration) -> impl Future<Output = Result<Claim, StoreError>> + Send {
        ready(Ok(self.claim_at(key, window, Instant::now())))
    }

    fn accept(&self, key: &str, window: Duration) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.accept_at(key, window, Instant::now());
        ready(Ok(()))
    }

    fn release(&self, key: &str) -> impl Future<Output = Result<(), StoreError>> + Send {
        self.release_now(key);
        ready(Ok(()))
    }
}

impl Entries {
    /// Stores a key, first evicting the oldest records until there is room for one more.
    fn store(&mut self, digest: KeyDigest, accepted: bool, expires: Instant, capacity: usize) {
        while self.order.len() >= capacity {
            self.drop_oldest();
        }
        let generation = self.next_generation;
        self.next_generation += 1;
        self.by_key.insert(digest, Entry { accepted, expires, generation });
        self.order.push_back((digest, generation));
    }

    /// Forgets the oldest records while they are expired or stale (released, or stored again).
    fn sweep(&mut self, now: Instant) {
        while let Some((digest, generation)) = self.order.front() {
            let live = self.by_key.get(digest).is_some_and(|e| e.generation == *generation && e.expires > now);
            if live {
                return;
            }
            self.drop_oldest();
        }
    }

    fn drop_oldest(&mut self) {
        let Some((digest, generation)) = self.order.pop_front() else {
            return;
        };
        if self.by_key.get(&digest).is_some_and(|e| e.generation == generation) {
            self.by_key.remove(&digest);
        }
    }
}

fn digest(key: &str) -> KeyDigest {
    Sha256::digest(key.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const WINDOW: Duration = Duration::from_secs(300);

    #[test]
    fn a_claimed_key_is_in_flight_until_accepted_or_released() {
        let store = MemoryStore::new(10);
        let now = Instant::now();
        assert_eq!(store.claim_at("a", WINDOW, now), Claim::Claimed);
        assert_eq!(store.claim_at("a", WINDOW, now), Claim::InFlight);
        store.accept_at("a", WINDOW, now);
        assert_eq!(store.claim_at("a", WINDOW, now), Claim::Accepted);

        assert_eq!(store.claim_at("b", WINDOW, now), Claim::Claimed);
        store.release_now("b");
        assert_eq!(store.claim_at("b", WINDOW, now), Claim::Claimed, "a released key is free again");
    }

    #[test]
    fn keys_expire_after_the_window() {
        let store = MemoryStore::new(10);
        let start = Instant::now();
        store.claim_at("a", WINDOW, start);
        store.accept_at("a", WINDOW, start);
        assert_eq!(store.claim_at("a", WINDOW, start + WINDOW - Duration::from_secs(1)), Claim::Accepted);
        assert_eq!(store.claim_at("a", WINDOW, start + WINDOW), Claim::Claimed, "accepted keys lapse");

        // A claim whose request never settles (its future was dropped) lapses too.
        store.claim_at("b", WINDOW, start);
        assert_eq!(store.claim_at("b", WINDOW, start + WINDOW), Claim::Claimed);
    }

    #[test]
    fn expired_keys_are_swept() {
        let store = MemoryStore::new(10);
        let start = Instant::now();
        for key in ["a", "b", "c"] {
            store.claim_at(key, WINDOW, start);
        }
        assert_eq!(store.len(), 3);
        store.claim_at("d", WINDOW, start + WINDOW);
        assert_eq!(store.len(), 1, "only the fresh key is left");
    }

    #[test]
    fn the_count_bound_evicts_the_oldest() {
        let store = MemoryStore::new(3);
        let now = Instant::now();
        for key in ["a", "b", "c", "d"] {
            assert_eq!(store.claim_at(key, WINDOW, now), Claim::Claimed, "{key}");
            store.accept_at(key, WINDOW, now);
        }
        assert_eq!(store.len(), 3);
        assert_eq!(store.claim_at("b", WINDOW, now), Claim::Accepted);
        assert_eq!(store.claim_at("c", WINDOW, now), Claim::Accepted);
        assert_eq!(store.claim_at("d", WINDOW, now), Claim::Accepted);
        assert_eq!(store.claim_at("a", WINDOW, now), Claim::Claimed, "the oldest key was evicted");
        assert_eq!(store.len(), 3, "claiming `a` again evicted the next oldest");
        assert_eq!(store.claim_at("b", WINDOW, now), Claim::Claimed);
    }

    #[test]
    fn released_keys_do_not_count_against_the_bound_twice() {
        let store = MemoryStore::new(2);
        let now = Instant::now();
        for _ in 0..10 {
            assert_eq!(store.claim_at("retried", WINDOW, now), Claim::Claimed);
            store.release_now("retried");
        }
        store.claim_at("x", WINDOW, now);
        store.accept_at("x", WINDOW, now);
        store.claim_at("y", WINDOW, now);
        store.accept_at("y", WINDOW, now);
        assert!(store.len() <= 2);
        assert_eq!(store.claim_at("x", WINDOW, now), Claim::Accepted);
        assert_eq!(store.claim_at("y", WINDOW, now), Claim::Accepted);
    }

    #[test]
    fn an_accept_after_eviction_stores_the_key_again() {
        let store = MemoryStore::new(1);
        let now = Instant::now();
        store.claim_at("slow", WINDOW, now);
        store.claim_at("other", WINDOW, now);
        store.accept_at("slow", WINDOW, now);
        assert_eq!(store.claim_at("slow", WINDOW, now), Claim::Accepted);
        assert_eq!(store.len(), 1);
    }

    #[test]
    fn keys_are_compared_whole() {
        let store = MemoryStore::new(10);
        let now = Instant::now();
        store.claim_at("nonce:abc", WINDOW, now);
        store.accept_at("nonce:abc", WINDOW, now);
        for other in ["nonce:ab", "nonce:abcd", "dedup:abc", ""] {
            assert_eq!(store.claim_at(other, WINDOW, now), Claim::Claimed, "{other:?}");
        }
    }
}
