//! The averaged perceptron shared by the tagger and the parser, with
//! hashed features, sparse class weights and a compact binary form.
//!
//! A feature is a 32-bit hash of its template and values. Each feature
//! keeps weights only for the classes it was ever updated for, so scoring
//! costs what the model learned, not features times classes. Training
//! keeps running totals for averaging (Collins 2002, with lazy updates as
//! in Daumé's and Honnibal's implementations); [`Train::average`] turns
//! them into the frozen [`Weights`] the models run with.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes that are already hashes: spread the key over 64 bits.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn write_u32(&mut self, x: u32) {
        self.0 = u64::from(x).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

pub(crate) type KeyMap<K, V> = HashMap<K, V, BuildHasherDefault<KeyHasher>>;

/// A 64-bit hash of a string (FNV-1a then a final mix).
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// A bijective 64-bit mix (splitmix64's finaliser).
pub(crate) fn mix(mut x: u64) -> u64 {
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The key of a feature: template number and up to three values (word
/// hashes, or small numbers such as tags). A multiply-xor chain with one
/// final mix: features are computed about a hundred times per parser
/// move, so this is on the hot path.
#[inline]
pub(crate) fn feat(template: u32, a: u64, b: u64, c: u64) -> u32 {
    let mut h = (u64::from(template) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h = (h ^ a).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h.rotate_left(29) ^ b).wrapping_mul(0x94d0_49bb_1331_11eb);
    h = (h.rotate_left(31) ^ c).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= h >> 29;
    ((h ^ (h >> 32)) as u32).max(1)
}

/// A deterministic random sequence (splitmix64) for shuffling and
/// exploration during training, and wherever the tests and benchmarks need
/// randomness as a parameter (a seed), never from the system.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// A float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

#[derive(Clone, Copy)]
struct Cell {
    class: u16,
    stamp: u32,
    w: f32,
    total: f64,
}

/// Weights being trained.
pub(crate) struct Train {
    map: KeyMap<u32, Vec<Cell>>,
    /// Instances seen so far (the averaging clock).
    now: u32,
}

impl Train {
    pub(crate) fn new() -> Train {
        Train { map: KeyMap::default(), now: 0 }
    }

    /// Add each feature's class weights into `scores`.
    pub(crate) fn score(&self, feats: &[u32], scores: &mut [f32]) {
        for f in feats {
            if let Some(cells) = self.map.get(f) {
                for c in cells {
                    scores[c.class as usize] += c.w;
                }
            }
        }
    }

    /// One training instance has been seen (call once per prediction).
    pub(crate) fn tick(&mut self) {
        self.now += 1;
    }

    /// Move weight from `guess` to `truth` for every feature.
    pub(crate) fn update(&mut self, feats: &[u32], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        let now = self.now;
        for &f in feats {
            let cells = self.map.entry(f).or_default();
            for (class, delta) in [(truth, 1.0f32), (guess, -1.0f32)] {
                let class = class as u16;
                match cells.iter_mut().find(|c| c.class == class) {
                    Some(c) => {
                        c.total += f64::from(now - c.stamp) * f64::from(c.w);
                        c.stamp = now;
                        c.w += delta;
                    }
                    None => cells.push(Cell { class, stamp: now, w: delta, total: 0.0 }),
                }
            }
        }
    }

    /// The averaged weights, quantised; cells whose average is below
    /// `min_abs` are dropped.
    pub(crate) fn average(&self, min_abs: f32) -> Weights {
        let now = f64::from(self.now.max(1));
        let mut keys: Vec<u32> = self.map.keys().copied().collect();
        keys.sort_unstable();
        let mut averaged: Vec<(u32, Vec<(u8, f32)>)> = Vec::with_capacity(keys.len());
        let mut max = 1e-6f32;
        for k in keys {
            let mut cells: Vec<(u8, f32)> = self.map[&k]
                .iter()
                .map(|c| {
                    let total = c.total + f64::from(self.now - c.stamp) * f64::from(c.w);
                    (c.class as u8, (total / now) as f32)
                })
                .filter(|(_, w)| w.abs() >= min_abs)
                .collect();
            if cells.is_empty() {
                continue;
            }
            cells.sort_unstable_by_key(|c| c.0);
            max = cells.iter().fold(max, |m, c| m.max(c.1.abs()));
            averaged.push((k, cells));
        }
        let scale = max / 32767.0;
        let keys: Vec<u32> = averaged.iter().map(|(k, _)| *k).collect();
        let packed: Vec<(u32, u32)> = averaged
            .iter()
            .flat_map(|(k, cells)| cells.iter().map(move |&(c, w)| (*k, pack(c, (w / scale).round() as i16))))
            .collect();
        Weights::build(&keys, &packed, scale)
    }
}

/// Frozen, averaged weights, quantised to 16 bits with one scale per
/// table and laid out for lookups that touch little memory.
///
/// Every feature's cells (each a class and its weight packed in 32 bits)
/// are kept in key order in `cells`, the form the model is written and
/// pruned from. Scoring reads an open-addressing table of (key, value)
/// pairs instead, whose value is one of three things (its top two bits
/// say which):
/// - a feature with one cell keeps it in the value itself, one memory
///   access instead of two;
/// - a feature with cells for a good part of the classes has a dense row
///   of weights, one per class, added with vector instructions rather
///   than a class at a time;
/// - any other feature points at its cells: their number, then the cells.
///
/// Scores are sums of the quantised weights, added as integers (exactly,
/// so in any order: a score is at most a few hundred weights of at most
/// 2^15) and handed back as floats: the scale is common to all, so the
/// best class is the same. (Measured: three cells inline in 16-byte
/// slots, one cache line per lookup, ran slower than this smaller table.)
#[derive(Clone)]
pub(crate) struct Weights {
    scale: f32,
    mask: usize,
    slots: Vec<(u32, u32)>,
    /// Each feature's number of cells, then its cells.
    cells: Vec<u32>,
    /// Each feature's key and offset in `cells`, in key order.
    index: Vec<(u32, u32)>,
    /// Dense rows of `width` weights.
    dense: Vec<i16>,
    /// Classes per dense row: the largest class plus one, rounded up to a
    /// multiple of 8.
    width: usize,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights::build(&[], &[], 1.0)
    }
}

fn pack(class: u8, w: i16) -> u32 {
    (u32::from(class) << 16) | u32::from(w as u16)
}

/// The class of a packed cell.
#[inline]
fn class_of(cell: u32) -> u8 {
    (cell >> 16) as u8
}

/// The weight of a packed cell.
#[inline]
fn weight_of(cell: u32) -> i16 {
    cell as u16 as i16
}

/// What a table value is (its top two bits) and what is left of it.
const TAG: u32 = 0b11 << 30;
const SPARSE: u32 = 0;
const SINGLE: u32 = 1 << 30;
const DENSE: u32 = 2 << 30;

impl Weights {
    /// Build from features in increasing key order and their cells, as
    /// (key, packed cell) pairs in the same order, quantised with `scale`
    /// (weight units per step).
    fn build(keys: &[u32], packed: &[(u32, u32)], scale: f32) -> Weights {
        debug_assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let max_class = packed.iter().map(|&(_, c)| class_of(c)).max().map_or(0, usize::from);
        let width = (max_class + 1).next_multiple_of(8);
        // At most three quarters full, so that probes stay short.
        let cap = (keys.len() * 4 / 3 + 1).next_power_of_two().max(2);
        let mut w = Weights {
            scale,
            mask: cap - 1,
            slots: vec![(0, 0); cap],
            cells: Vec::with_capacity(keys.len() + packed.len()),
            index: Vec::with_capacity(keys.len()),
            dense: Vec::new(),
            width,
        };
        let mut at = 0;
        let mut cells = Vec::with_capacity(256);
        for &key in keys {
            cells.clear();
            while at < packed.len() && packed[at].0 == key {
                cells.push(packed[at].1);
                at += 1;
            }
            w.insert(key, &cells);
        }
        w
    }

    /// Add a feature (not yet in the table) and its cells.
    fn insert(&mut self, key: u32, cells: &[u32]) {
        let offset = self.cells.len() as u32;
        self.cells.push(cells.len() as u32);
        self.cells.extend_from_slice(cells);
        self.index.push((key, offset));
        // A dense row costs about a quarter of a sparse cell per class.
        let value = if cells.len() == 1 {
            SINGLE | (cells[0] & 0x00ff_ffff)
        } else if cells.len() * 4 >= self.width {
            let row = (self.dense.len() / self.width) as u32;
            let mut weights = vec![0i16; self.width];
            for &c in cells {
                weights[usize::from(class_of(c))] = weight_of(c);
            }
            self.dense.extend_from_slice(&weights);
            DENSE | row
        } else {
            SPARSE | offset
        };
        let mut i = slot_of(key) & self.mask;
        while self.slots[i].0 != 0 {
            i = (i + 1) & self.mask;
        }
        self.slots[i] = (key, value);
    }

    /// The cells of the feature at `offset`.
    fn cells_at(&self, offset: u32) -> &[u32] {
        let offset = offset as usize;
        let n = self.cells[offset] as usize;
        &self.cells[offset + 1..offset + 1 + n]
    }

    /// Add each feature's class weights into `scores`.
    ///
    /// Lookups miss the cache, so they are made in passes without
    /// branches between the loads, which lets the processor have many in
    /// flight: first every feature's home slot, then (after resolving
    /// collisions) every found feature's cell count, then the weights.
    #[inline]
    pub(crate) fn score(&self, feats: &[u32], scores: &mut [f32]) {
        const BATCH: usize = 128;
        let mut sums = [0i32; 256];
        let mut home = [(0u32, 0u32); BATCH];
        let mut found = [0u32; BATCH];
        let mut lens = [0u32; BATCH];
        for chunk in feats.chunks(BATCH) {
            for (h, &f) in home.iter_mut().zip(chunk) {
                *h = self.slots[slot_of(f) & self.mask];
            }
            let mut n = 0;
            for (j, &f) in chunk.iter().enumerate() {
                let (k, value) = home[j];
                let hit = if k == f {
                    Some(value)
                } else if k == 0 {
                    None
                } else {
                    self.probe(f)
                };
                if let Some(value) = hit {
                    found[n] = value;
                    n += 1;
                }
            }
            for (len, &value) in lens.iter_mut().zip(&found[..n]) {
                *len = if value & TAG == SPARSE { self.cells[value as usize] } else { 0 };
            }
            for (&value, &len) in found[..n].iter().zip(&lens) {
                match value & TAG {
                    SPARSE => {
                        let start = value as usize + 1;
                        for &cell in &self.cells[start..start + len as usize] {
                            sums[usize::from(class_of(cell))] += i32::from(weight_of(cell));
                        }
                    }
                    SINGLE => sums[usize::from(class_of(value))] += i32::from(weight_of(value)),
                    _ => {
                        let start = (value & !TAG) as usize * self.width;
                        let row = &self.dense[start..start + self.width];
                        for (s, &x) in sums[..self.width].iter_mut().zip(row) {
                            *s += i32::from(x);
                        }
                    }
                }
            }
        }
        for (s, &x) in scores.iter_mut().zip(&sums) {
            *s += x as f32;
        }
    }

    /// The value of `key`, looking past its home slot.
    fn probe(&self, key: u32) -> Option<u32> {
        let mut i = slot_of(key) & self.mask;
        loop {
            let (k, value) = self.slots[i];
            if k == key {
                return Some(value);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// The same weights without the cells smaller than `min_abs` (in
    /// weight units), and without features left with none.
    pub(crate) fn pruned(&self, min_abs: f32) -> Weights {
        let min = (min_abs / self.scale).round() as i32;
        let mut keys = Vec::with_capacity(self.index.len());
        let mut packed = Vec::with_capacity(self.cells.len());
        for (k, cells) in self.entries() {
            let before = packed.len();
            packed.extend(cells.iter().filter(|&&c| i32::from(weight_of(c)).abs() >= min).map(|&c| (k, c)));
            if packed.len() > before {
                keys.push(k);
            }
        }
        Weights::build(&keys, &packed, self.scale)
    }

    /// How many features and weights are kept.
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.index.len(), self.cells.len() - self.index.len())
    }

    /// The (key, cells) entries in key order.
    fn entries(&self) -> impl Iterator<Item = (u32, &[u32])> {
        self.index.iter().map(|&(k, offset)| (k, self.cells_at(offset)))
    }

    /// Serialise: keys as deltas (they are sorted), then each key's cells
    /// as class and 16-bit weight, with the table's scale.
    pub(crate) fn write(&self, out: &mut Writer) {
        out.u32(self.index.len() as u32);
        out.f32(self.scale);
        let mut prev = 0u32;
        for (k, cells) in self.entries() {
            out.varint(u64::from(k - prev));
            prev = k;
            out.varint(cells.len() as u64);
            for &c in cells {
                out.u8(class_of(c));
                out.i16(weight_of(c));
            }
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Weights, String> {
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        if n > r.remaining() {
            return Err("the weight table is longer than the file".into());
        }
        let mut keys = Vec::with_capacity(n);
        let mut packed = Vec::with_capacity(n * 3);
        let mut key = 0u32;
        for _ in 0..n {
            let delta = u32::try_from(r.varint()?).map_err(|_| "a feature key overflows".to_string())?;
            if delta == 0 {
                return Err("feature keys are not strictly increasing".into());
            }
            key = key.checked_add(delta).ok_or("a feature key overflows")?;
            let len = r.varint()? as usize;
            if len > 255 {
                return Err("a feature has more cells than there are classes".into());
            }
            keys.push(key);
            for _ in 0..len {
                packed.push((key, pack(r.u8()?, r.i16()?)));
            }
        }
        Ok(Weights::build(&keys, &packed, scale))
    }

    /// The largest class index any weight names.
    pub(crate) fn max_class(&self) -> Option<u8> {
        self.entries().flat_map(|(_, cells)| cells.iter().map(|&c| class_of(c))).max()
    }
}

/// Where a key starts looking in the table.
#[inline]
fn slot_of(key: u32) -> usize {
    (u64::from(key).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
}

/// A growing byte buffer for the model file.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) bytes: Vec<u8>,
}

impl Writer {
    pub(crate) fn u8(&mut self, x: u8) {
        self.bytes.push(x);
    }
    pub(crate) fn i16(&mut self, x: i16) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn u32(&mut self, x: u32) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn u64(&mut self, x: u64) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn f32(&mut self, x: f32) {
        self.bytes.extend_from_slice(&x.to_le_bytes());
    }
    pub(crate) fn varint(&mut self, mut x: u64) {
        while x >= 0x80 {
            self.bytes.push((x as u8) | 0x80);
            x >>= 7;
        }
        self.bytes.push(x as u8);
    }
    pub(crate) fn str(&mut self, s: &str) {
        self.varint(s.len() as u64);
        self.bytes.extend_from_slice(s.as_bytes());
    }
}

/// Reads what [`Writer`] wrote; every read checks the length.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len()
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.bytes.len() < n {
            return Err("the file ends early".into());
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }
    pub(crate) fn magic(&mut self, magic: &[u8]) -> Result<(), String> {
        if self.take(magic.len()).ok() == Some(magic) { Ok(()) } else { Err("wrong header".into()) }
    }
    pub(crate) fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    pub(crate) fn i16(&mut self) -> Result<i16, String> {
        Ok(i16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }
    pub(crate) fn f32(&mut self) -> Result<f32, String> {
        Ok(f32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }
    pub(crate) fn varint(&mut self) -> Result<u64, String> {
        let mut x = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            x |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(x);
            }
        }
        Err("a number is too long".into())
    }
    pub(crate) fn str(&mut self) -> Result<&'a str, String> {
        let n = self.varint()? as usize;
        std::str::from_utf8(self.take(n)?).map_err(|_| "a name is not UTF-8".to_string())
    }
}

/// Write a map of hashed keys, in key order (so the file is the same
/// every time).
pub(crate) fn write_map<V>(out: &mut Writer, map: &KeyMap<u64, V>, value: impl Fn(&mut Writer, &V)) {
    let mut keys: Vec<&u64> = map.keys().collect();
    keys.sort_unstable();
    out.u32(keys.len() as u32);
    for k in keys {
        out.u64(*k);
        value(out, &map[k]);
    }
}

/// Read what [`write_map`] wrote.
pub(crate) fn read_map<V>(
    r: &mut Reader,
    value: impl Fn(&mut Reader) -> Result<V, String>,
) -> Result<KeyMap<u64, V>, String> {
    let n = r.u32()? as usize;
    let mut map = KeyMap::with_capacity_and_hasher(n, Default::default());
    for _ in 0..n {
        let k = r.u64()?;
        map.insert(k, value(r)?);
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        // Class = which of two features is present.
        let mut t = Train::new();
        let data = [(vec![1u32, 10], 0usize), (vec![2, 10], 1), (vec![1, 11], 0), (vec![2, 11], 1)];
        for _ in 0..5 {
            for (f, y) in &data {
                t.tick();
                let mut s = [0f32; 2];
                t.score(f, &mut s);
                let guess = if s[1] > s[0] { 1 } else { 0 };
                t.update(f, *y, guess);
            }
        }
        let w = t.average(0.0);
        let mut out = Writer::default();
        w.write(&mut out);
        let back = Weights::read(&mut Reader::new(&out.bytes)).unwrap();
        for (f, y) in &data {
            let mut s = [0f32; 2];
            back.score(f, &mut s);
            assert_eq!(if s[1] > s[0] { 1 } else { 0 }, *y);
        }
    }

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let mut out = Writer::default();
        out.u32(3);
        out.f32(1.0);
        assert!(Weights::read(&mut Reader::new(&out.bytes)).is_err());
        assert!(Reader::new(&[0xff; 3]).varint().is_err());
    }
}
