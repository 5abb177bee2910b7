//! Why an indicator has no value for some municipalities, keyed by AGS ([`MissingTable`]):
//! three allocations per indicator however many gaps it has.
//!
//! Why not a `BTreeMap<String, String>`: the atlas has ~8,300 gaps but only ~10 distinct
//! reasons. As a map of strings they were ~17,000 small allocations per atlas, three quarters
//! of all it made; reloading the atlas 50 times left the server's heap 7–12 % larger than after
//! one reload (`tests/serve_process.rs::fifty_reloads_keep_memory_flat`, issue 11's bound:
//! within 10 %). In JSON the table is the same object as the map was, keys in the same order.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// AGS → why the value is missing, sorted by AGS (as a `BTreeMap` would be); each distinct
/// reason is stored once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MissingTable {
    /// Every key's text, one after another (a removed key's text stays until [`Self::clear`]).
    keys: String,
    /// Sorted by key: the key's `(start, end)` in `keys` and its reason's index in `reasons`.
    entries: Vec<Entry>,
    /// Each distinct reason once.
    reasons: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Entry {
    start: u32,
    end: u32,
    reason: u32,
}

impl MissingTable {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many municipalities have a reason.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no municipality has a reason.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn key(&self, e: &Entry) -> &str {
        &self.keys[e.start as usize..e.end as usize]
    }

    fn find(&self, ags: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| self.key(e).cmp(ags))
    }

    /// Why `ags` has no value, if it has a reason.
    pub fn get(&self, ags: &str) -> Option<&str> {
        let i = self.find(ags).ok()?;
        Some(&self.reasons[self.entries[i].reason as usize])
    }

    /// Whether `ags` has a reason.
    pub fn contains_key(&self, ags: &str) -> bool {
        self.find(ags).is_ok()
    }

    fn reason_index(&mut self, reason: &str) -> u32 {
        match self.reasons.iter().position(|r| r == reason) {
            Some(i) => i as u32,
            None => {
                self.reasons.push(reason.to_string());
                (self.reasons.len() - 1) as u32
            }
        }
    }

    /// Sets why `ags` has no value; returns the reason it replaced, as a map would.
    pub fn insert(&mut self, ags: impl AsRef<str>, reason: impl AsRef<str>) -> Option<String> {
        let (ags, reason) = (ags.as_ref(), self.reason_index(reason.as_ref()));
        match self.find(ags) {
            Ok(i) => {
                let old = std::mem::replace(&mut self.entries[i].reason, reason);
                Some(self.reasons[old as usize].clone())
            }
            Err(i) => {
                let start = self.keys.len() as u32;
                self.keys.push_str(ags);
                let end = self.keys.len() as u32;
                self.entries.insert(i, Entry { start, end, reason });
                None
            }
        }
    }

    /// Removes `ags`'s reason; returns it, as a map would.
    pub fn remove(&mut self, ags: &str) -> Option<String> {
        let i = self.find(ags).ok()?;
        let e = self.entries.remove(i);
        Some(self.reasons[e.reason as usize].clone())
    }

    /// Removes every reason.
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// `(ags, reason)` pairs, by AGS.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.entries
            .iter()
            .map(|e| (self.key(e), self.reasons[e.reason as usize].as_str()))
    }

    /// The reasons, by AGS (one per municipality, so repeated).
    pub fn values(&self) -> impl Iterator<Item = &str> + '_ {
        self.iter().map(|(_, reason)| reason)
    }
}

impl<'a> IntoIterator for &'a MissingTable {
    type Item = (&'a str, &'a str);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a str)> + 'a>;
    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl<K: AsRef<str>, R: AsRef<str>> FromIterator<(K, R)> for MissingTable {
    /// A later pair for the same AGS replaces an earlier one, as in a map.
    fn from_iter<I: IntoIterator<Item = (K, R)>>(pairs: I) -> Self {
        let mut table = MissingTable::new();
        let mut sorted = true;
        for (ags, reason) in pairs {
            let (ags, reason) = (ags.as_ref(), table.reason_index(reason.as_ref()));
            let start = table.keys.len() as u32;
            if let Some(last) = table.entries.last() {
                sorted &= table.key(last) < ags;
            }
            table.keys.push_str(ags);
            let end = table.keys.len() as u32;
            table.entries.push(Entry { start, end, reason });
        }
        if !sorted {
            // Stable, so that of equal keys the last comes last and is the one kept.
            let keys = std::mem::take(&mut table.keys);
            let key = |e: &Entry| &keys[e.start as usize..e.end as usize];
            table.entries.sort_by(|a, b| key(a).cmp(key(b)));
            let mut kept: Vec<Entry> = Vec::with_capacity(table.entries.len());
            for e in table.entries.drain(..) {
                match kept.last_mut() {
                    Some(last) if key(last) == key(&e) => *last = e,
                    _ => kept.push(e),
                }
            }
            table.entries = kept;
            table.keys = keys;
        }
        table
    }
}

impl Serialize for MissingTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (ags, reason) in self {
            map.serialize_entry(ags, reason)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for MissingTable {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TableVisitor)
    }
}

struct TableVisitor;

/// A key or reason, borrowed from the atlas text where it can be (no escapes).
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl<'de> Visitor<'de> for TableVisitor {
    type Value = MissingTable;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object of AGS and the reason its value is missing")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MissingTable, A::Error> {
        let mut pairs: Vec<(Text<'de>, Text<'de>)> = Vec::new();
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(pairs.iter().map(|(k, r)| (&*k.0, &*r.0)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn behaves_like_the_map_it_replaces() {
        let steps: &[(&str, Option<&str>)] = &[
            ("14612000", Some("no data")),
            ("14511000", Some("no data")),
            ("14713000", Some("not computable")),
            ("14511000", Some("other")),
            ("14612000", None),
            ("14000000", Some("no data")),
            ("14999999", None),
        ];
        let (mut table, mut reference) = (MissingTable::new(), BTreeMap::new());
        for (ags, reason) in steps {
            match reason {
                Some(r) => assert_eq!(
                    table.insert(ags, r),
                    reference.insert(ags.to_string(), r.to_string())
                ),
                None => assert_eq!(table.remove(ags), reference.remove(*ags)),
            }
            let pairs: Vec<(String, String)> = table
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(pairs, reference.clone().into_iter().collect::<Vec<_>>());
            for k in ["14612000", "14511000", "14713000", "14000000", "1"] {
                assert_eq!(table.get(k), reference.get(k).map(String::as_str));
                assert_eq!(table.contains_key(k), reference.contains_key(k));
            }
        }
        assert_eq!(table.len(), 3);
        table.clear();
        assert!(table.is_empty());
    }

    #[test]
    fn json_is_the_maps_json_and_unsorted_or_doubled_keys_read_as_a_map_reads_them() {
        let text =
            r#"{"14713000":"b","14511000":"a","14612000":"a","14000000":"q\"t","14511000":"c"}"#;
        let table: MissingTable = serde_json::from_str(text).unwrap();
        let reference: BTreeMap<String, String> = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&table).unwrap(),
            serde_json::to_string(&reference).unwrap()
        );
        assert_eq!(table.get("14511000"), Some("c"));
        assert_eq!(table.get("14000000"), Some("q\"t"));
        // Each distinct reason once (a replaced one stays: tables are read, rarely edited).
        assert_eq!(table.reasons, ["b", "a", "q\"t", "c"]);
        let empty: MissingTable = serde_json::from_str("{}").unwrap();
        assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
        assert!(serde_json::from_str::<MissingTable>(r#"{"1": 2}"#).is_err());
        assert_eq!(
            map(&[("1", "x")])
                .into_iter()
                .collect::<MissingTable>()
                .get("1"),
            Some("x")
        );
    }
}
