//! Dropping QoS 1 redeliveries: the msgIds of the pushes printed most recently.

use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasher, RandomState};

/// msgIds remembered by default (about 0.22 MiB of tables once full).
pub const DEFAULT_WINDOW: usize = 10_000;

/// The msgIds of the last `capacity` printed pushes, oldest first out. Each is kept as a 64-bit
/// fingerprint, a SipHash under a random key: a fixed 8 bytes per msgId whatever its length and no
/// allocation per push. A false "duplicate" (which would drop a push) needs a new msgId to hit one of
/// the `capacity` remembered fingerprints: about 1 in 2^64 / 10,000 ≈ 1.8 × 10^15 pushes with the
/// default window, once in 57,000 years at 1,000 pushes/s. 128 bits would double the tables
/// (≈ 0.2 MiB more of the subscriber's peak) for odds already far beyond any other failure's.
#[derive(Debug, Default)]
pub struct RecentIds {
    capacity: usize,
    key: RandomState,
    set: HashSet<u64>,
    order: VecDeque<u64>,
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
        if self.order.capacity() == 0 {
            // Sized once, at the first push: growing by doubling would hold the old and the new
            // table at once (and leave the ring with up to twice the slots it needs). Pages of
            // these tables count in the RSS only as pushes fill them.
            self.set.reserve(self.capacity + 1);
            self.order.reserve_exact(self.capacity);
        } else if self.set.len() == self.set.capacity() {
            // Removing the oldest id leaves a tombstone now and then, which uses up the room to
            // insert; the next insert would double the table. Rebuilding it from the ring in the
            // same allocation clears the tombstones instead, once every few thousand pushes.
            self.set.clear();
            self.set.extend(self.order.iter().copied());
        }
        let fingerprint = self.key.hash_one(id);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_the_last_capacity_ids_and_forgets_the_oldest() {
        let mut recent = RecentIds::new(3);
        for id in ["a", "b", "c"] {
            assert!(recent.insert(id), "{id} is new");
        }
        assert!(!recent.insert("b"), "b is remembered");
        assert!(recent.insert("d"), "d is new and pushes a out");
        assert!(recent.insert("a"), "a was forgotten");
        assert!(!recent.insert("d"));
        assert_eq!((recent.set.len(), recent.order.len()), (3, 3), "never more than capacity");
    }

    #[test]
    fn a_zero_window_remembers_nothing_and_allocates_nothing() {
        let mut recent = RecentIds::new(0);
        assert!(recent.insert("a") && recent.insert("a"));
        assert_eq!((recent.set.capacity(), recent.order.capacity()), (0, 0));
    }

    #[test]
    fn the_tables_are_sized_once_for_the_window() {
        let mut recent = RecentIds::new(DEFAULT_WINDOW);
        recent.insert("first");
        let sized = (recent.set.capacity(), recent.order.capacity());
        assert!(sized.0 >= DEFAULT_WINDOW && sized.1 >= DEFAULT_WINDOW);
        for n in 0..DEFAULT_WINDOW * 20 {
            assert!(recent.insert(&n.to_string()), "{n} is new");
        }
        // capacity() is what fits without a new allocation: tombstones lower it, a bigger table raises it.
        assert!(recent.set.capacity() <= sized.0, "the set grew: {} > {}", recent.set.capacity(), sized.0);
        assert_eq!(recent.order.capacity(), sized.1, "the ring grew");
        assert_eq!(recent.set.len(), DEFAULT_WINDOW);
        let last = DEFAULT_WINDOW * 20 - 1;
        assert!(!recent.insert(&last.to_string()) && !recent.insert(&(last + 1 - DEFAULT_WINDOW).to_string()));
        assert!(recent.insert(&(last - DEFAULT_WINDOW).to_string()), "one before the window is forgotten");
    }
}
