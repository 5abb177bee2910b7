//! Finished answers of `POST /api/v1/rank`, kept by profile.
//!
//! A ranking depends only on the atlas, the profile and the requested number of explained rows
//! (the robustness draws use a fixed seed), so the same question always gets the same bytes.
//! Many visitors ask the same question: the web page's defaults, the example profiles, a
//! reload, the language switch back and forth. Serving those from memory costs a hash lookup
//! instead of a ranking (about 50 µs), serialising an answer of 100–200 kB (about 150 µs) and,
//! for a browser, gzip-compressing it (about 1 ms): the compressed form is made once per answer,
//! the first time a client that accepts gzip asks.
//!
//! The key is the *parsed and validated* profile serialised again (so spacing, field order and
//! defaults written out or left away do not matter) plus the number of explained rows. The
//! cache lives in [`super::AppState`], beside the atlas it was computed from, so an atlas swap
//! can never serve an answer of the previous atlas. Size is bounded in bytes (keys and answers
//! together); eviction is quick_cache's CLOCK-Pro, which resists one-off scans.

use axum::body::Bytes;
use quick_cache::Weighter;
use quick_cache::sync::Cache;
use std::io::Write;
use std::sync::{Arc, OnceLock};

/// One finished answer: the JSON, and its gzip form once a client asked for it.
pub struct Answer {
    pub json: Bytes,
    gzip: OnceLock<Bytes>,
}

impl Answer {
    pub fn new(json: Bytes) -> Arc<Self> {
        Arc::new(Answer {
            json,
            gzip: OnceLock::new(),
        })
    }

    /// The JSON gzip-compressed, made on first use and kept.
    pub fn gzip(&self) -> Bytes {
        self.gzip.get_or_init(|| gzip(&self.json)).clone()
    }
}

fn gzip(data: &[u8]) -> Bytes {
    let mut enc = flate2::write::GzEncoder::new(
        Vec::with_capacity(data.len() / 6),
        flate2::Compression::new(GZIP_LEVEL),
    );
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(data);
    enc.finish().unwrap_or_default().into()
}

/// zlib level for cached answers: made once per answer, so the smaller output of level 6 is
/// worth its time.
const GZIP_LEVEL: u32 = 6;

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

    /// The answer for `key`, computed by `compute` unless it is already kept. The bool is
    /// true on a hit. An error of `compute` is returned and nothing is kept.
    pub fn get_or_compute<E>(
        &self,
        key: Vec<u8>,
        compute: impl FnOnce() -> Result<Bytes, E>,
    ) -> Result<(Arc<Answer>, bool), E> {
        let Some(cache) = &self.cache else {
            return compute().map(|b| (Answer::new(b), false));
        };
        if let Some(hit) = cache.get(&key) {
            return Ok((hit, true));
        }
        let answer = Answer::new(compute()?);
        cache.insert(key, answer.clone());
        Ok((answer, false))
    }

    /// Bytes currently kept (keys and answers).
    pub fn weight(&self) -> u64 {
        self.cache.as_ref().map_or(0, |c| c.weight())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn hits_return_the_same_bytes_and_errors_are_not_kept() {
        let c = RankCache::new(1 << 20);
        let mut calls = 0;
        let mut ask = |key: &[u8], fail: bool| {
            c.get_or_compute(key.to_vec(), || {
                calls += 1;
                if fail {
                    Err("no")
                } else {
                    Ok(Bytes::from(format!("answer to {key:?}")))
                }
            })
        };
        let (a, hit) = ask(b"p1", false).unwrap();
        assert!(!hit);
        let (b, hit) = ask(b"p1", false).unwrap();
        assert!(hit);
        assert_eq!(a.json, b.json);
        assert!(ask(b"p2", true).is_err());
        assert!(!ask(b"p2", false).unwrap().1, "an error is not kept");
        assert_eq!(calls, 3);
    }

    #[test]
    fn the_gzip_form_decompresses_to_the_json() {
        let json = Bytes::from(r#"{"ranked": ["Heidenau", "Freital"]}"#.repeat(50));
        let a = Answer::new(json.clone());
        let z = a.gzip();
        assert!(z.len() < json.len() / 4);
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&z[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, json);
        assert_eq!(a.gzip(), z, "made once, then kept");
    }

    #[test]
    fn the_size_stays_bounded() {
        let c = RankCache::new(64 * 1024);
        for i in 0..200u32 {
            let key = i.to_le_bytes().to_vec();
            c.get_or_compute::<()>(key, || Ok(Bytes::from(vec![b'x'; 4096])))
                .unwrap();
        }
        assert!(c.weight() <= 64 * 1024, "{}", c.weight());
        assert!(c.weight() > 0);
    }

    #[test]
    fn zero_capacity_switches_it_off() {
        let c = RankCache::new(0);
        for _ in 0..2 {
            let (_, hit) = c
                .get_or_compute::<()>(b"k".to_vec(), || Ok(Bytes::from_static(b"v")))
                .unwrap();
            assert!(!hit);
        }
    }
}
