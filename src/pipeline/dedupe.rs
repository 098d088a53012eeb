//! Dropping QoS 1 redeliveries: the msgIds of the pushes printed most recently.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};

/// msgIds remembered by default (about 1 MiB at most).
pub const DEFAULT_WINDOW: usize = 10_000;

/// The msgIds of the last `capacity` printed pushes, oldest first out. Each is kept as a 128-bit
/// fingerprint from two randomly keyed SipHashes: a fixed 32 bytes per msgId whatever its length, no
/// allocation per push, and a false "duplicate" (which would drop a push) as likely as guessing a
/// 128-bit random key.
#[derive(Debug, Default)]
pub struct RecentIds {
    capacity: usize,
    keys: (RandomState, RandomState),
    set: HashSet<u128>,
    order: VecDeque<u128>,
}

impl RecentIds {
    pub fn new(capacity: usize) -> Self {
        Self { capacity, ..Self::default() }
    }

    /// Remembers `id`; false when it was already there.
    pub fn insert(&mut self, id: &str) -> bool {
        if self.capacity == 0 {
            return true;
        }
        let fingerprint = u128::from(self.keys.0.hash_one(id)) << 64 | u128::from(self.keys.1.hash_one(id));
        if !self.set.insert(fingerprint) {
            return false;
        }
        if self.order.len() == self.capacity
            && let Some(oldest) = self.order.pop_front()
        {
            self.set.remove(&oldest);
        }
        self.order.push_back(fingerprint);
        true
    }
}
