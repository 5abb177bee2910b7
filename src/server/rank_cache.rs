//! Finished answers of `POST /api/v1/rank`, kept by profile.
//!
//! A ranking depends only on the atlas, the profile and the requested number of explained rows
//! (the robustness draws use a fixed seed), so the same question always gets the same bytes.
//! Many visitors ask the same question: the web page's defaults, the example profiles, a
//! reload, the language switch back and forth. Serving those from memory costs a hash lookup
//! instead of a ranking (about 50 µs), serialising an answer of 100–200 kB (about 150 µs) and,
//! for a browser, gzip-compressing it (in the soak run, gzip at level 6 took more CPU than ranking and
//! serialising together): the compressed form is made once per answer,
//! the first time a client that accepts gzip asks.
//!
//! The key is the *parsed and validated* profile serialised again (so spacing, field order and
//! defaults written out or left away do not matter) plus the number of explained rows. The
//! cache lives in [`super::AppState`], beside the atlas it was computed from, so an atlas swap
//! can never serve an answer of the previous atlas. Size is bounded in bytes (keys and answers
//! together); eviction is quick_cache's CLOCK-Pro, which resists one-off scans.

use super::answer::Answer;
use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::sync::Arc;

/// Answers by canonical request, bounded in bytes.
pub struct RankCache {
    cache: Option<Cache<Vec<u8>, Arc<Answer>, ByLength>>,
}

#[derive(Clone)]
struct ByLength;

impl Weighter<Vec<u8>, Arc<Answer>> for ByLength {
    /// Key, JSON and the gzip form (not made yet when the entry is weighed: JSON answers
    /// compress to about an eighth).
    fn weight(&self, key: &Vec<u8>, value: &Arc<Answer>) -> u64 {
        (key.len() + value.json.len() + value.json.len() / 8) as u64
    }
}

/// A typical answer (top 10 explained) is 100–200 kB: used to size the table.
const TYPICAL_ANSWER_BYTES: u64 = 150 * 1024;

impl RankCache {
    /// A cache of at most `capacity_bytes`; 0 switches caching off.
    pub fn new(capacity_bytes: u64) -> Self {
        if capacity_bytes == 0 {
            return RankCache { cache: None };
        }
        let items = (capacity_bytes / TYPICAL_ANSWER_BYTES).max(1) as usize;
        RankCache {
            cache: Some(Cache::with_weighter(items, capacity_bytes, ByLength)),
        }
    }

    /// The answer kept for `key`, if any.
    pub fn get(&self, key: &[u8]) -> Option<Arc<Answer>> {
        self.cache.as_ref()?.get(key)
    }

    /// Keeps `json` as the answer for `key` (unless caching is off) and returns it.
    pub fn insert(&self, key: Vec<u8>, json: Bytes) -> Arc<Answer> {
        let answer = Answer::new(json);
        if let Some(cache) = &self.cache {
            cache.insert(key, answer.clone());
        }
        answer
    }

    /// Bytes currently kept (keys and answers).
    pub fn weight(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| c.weight())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_answer_is_found_by_its_key() {
        let c = RankCache::new(1 << 20);
        assert!(c.get(b"p1").is_none());
        let a = c.insert(b"p1".to_vec(), Bytes::from_static(b"answer 1"));
        assert_eq!(c.get(b"p1").unwrap().json, a.json);
        assert!(c.get(b"p2").is_none());
    }

    #[test]
    fn the_size_stays_bounded() {
        let c = RankCache::new(64 * 1024);
        for i in 0..200u32 {
            c.insert(i.to_le_bytes().to_vec(), Bytes::from(vec![b'x'; 4096]));
        }
        assert!(c.weight() <= 64 * 1024, "{}", c.weight());
        assert!(c.weight() > 0);
    }

    #[test]
    fn zero_capacity_switches_it_off() {
        let c = RankCache::new(0);
        c.insert(b"k".to_vec(), Bytes::from_static(b"v"));
        assert!(c.get(b"k").is_none());
    }
}
