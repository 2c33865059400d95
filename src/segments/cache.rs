//! Segment bitmaps kept across calls and appends: keyed by canonical rule text and reference date, each entry
//! remembers how many batches it covers, so after `Dataset::append_ipc` only the new batches are evaluated.

use std::collections::HashMap;

use super::{evaluate_from, Bitmap, Rule};
use crate::error::Result;
use crate::ingest::Dataset;

/// Most entries kept; beyond that the least recently used ones are dropped.
const CAPACITY: usize = 256;

#[derive(Debug, Clone)]
struct Entry {
    bitmap: Bitmap,
    batches: usize,
    last_used: u64,
}

/// Cached segment bitmaps for one dataset.
#[derive(Debug, Clone, Default)]
pub struct SegmentCache {
    entries: HashMap<(String, i32), Entry>,
    clock: u64,
}

impl SegmentCache {
    /// A bitmap per rule, evaluating only what is missing: new rules over all batches and cached rules over
    /// the batches appended since, in one pass.
    pub fn evaluate(&mut self, dataset: &Dataset, rules: &[&Rule]) -> Result<Vec<Bitmap>> {
        let total = dataset.batches().len();
        self.clock += 1;
        // Group the rules that need work by the batch they must start from.
        let mut todo: HashMap<usize, Vec<usize>> = HashMap::new();
        // Rules with the same canonical text share one entry: evaluate it once, or appended rows would be added
        // once per duplicate.
        let mut queued = std::collections::HashSet::new();
        for (i, rule) in rules.iter().enumerate() {
            let key = (rule.canonical().to_string(), rule.options().reference_date);
            if !queued.insert(key.clone()) {
                continue;
            }
            let from = match self.entries.get(&key) {
                Some(e) if e.batches <= total && e.bitmap.len() <= dataset.num_rows() => e.batches,
                _ => 0,
            };
            // A rule over linked tables is evaluated afresh every time: rows appended to a linked table
            // change the members of old customer rows too.
            if rule.uses_links() {
                todo.entry(0).or_default().push(i);
                continue;
            }
            if from < total || !self.entries.contains_key(&key) {
                todo.entry(from).or_default().push(i);
            }
        }
        for (from, idx) in todo {
            let group: Vec<&Rule> = idx.iter().map(|&i| rules[i]).collect();
            let fresh = evaluate_from(&group, dataset, from)?;
            for (&i, bits) in idx.iter().zip(fresh) {
                let rule = rules[i];
                let key = (rule.canonical().to_string(), rule.options().reference_date);
                let entry = self.entries.entry(key).or_insert_with(|| Entry {
                    bitmap: Bitmap::zeros(0),
                    batches: 0,
                    last_used: 0,
                });
                if from == 0 {
                    entry.bitmap = bits;
                } else {
                    entry.bitmap.append_words(bits.words(), bits.len());
                }
                entry.batches = total;
            }
        }
        let mut out = Vec::with_capacity(rules.len());
        for rule in rules {
            let key = (rule.canonical().to_string(), rule.options().reference_date);
            if let Some(e) = self.entries.get_mut(&key) {
                e.last_used = self.clock;
                out.push(e.bitmap.clone());
            }
        }
        self.evict();
        Ok(out)
    }

    /// One rule's bitmap (see [`SegmentCache::evaluate`]).
    pub fn bitmap(&mut self, dataset: &Dataset, rule: &Rule) -> Result<Bitmap> {
        Ok(self.evaluate(dataset, &[rule])?.pop().unwrap_or_else(|| Bitmap::zeros(dataset.num_rows())))
    }

    /// One rule's member count.
    pub fn size(&mut self, dataset: &Dataset, rule: &Rule) -> Result<usize> {
        Ok(self.bitmap(dataset, rule)?.count())
    }

    /// Entries held.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drop everything (e.g. when the dataset is replaced).
    pub fn clear(&mut self) {
        self.entries.clear();
    }

    fn evict(&mut self) {
        if self.entries.len() <= CAPACITY {
            return;
        }
        let mut ages: Vec<u64> = self.entries.values().map(|e| e.last_used).collect();
        ages.sort_unstable();
        let cutoff = ages[ages.len() - CAPACITY];
        self.entries.retain(|_, e| e.last_used >= cutoff);
    }
}
