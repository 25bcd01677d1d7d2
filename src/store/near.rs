//! Near-duplicate documents: the same story lightly edited (a syndicated
//! copy, a rewritten lead) is one incident's even when only one copy names
//! the actor. Each document's MinHash signature
//! ([`fingerprint`]) is stored with [`BANDS`] band keys
//! (a hash of [`ROWS`] slots each): texts sharing most of their shingles
//! almost surely share a band, so candidates are found by index lookups,
//! never by a scan, and are confirmed by their estimated similarity.

use rusqlite::{Transaction, params};

use super::StoreError;

/// Minimum hashes in a text [`Signature`].
pub const SIGNATURE_LEN: usize = 24;

/// A document's text signature: one-permutation MinHash over its word
/// 3-shingles (each shingle's hash picks a slot and competes for its
/// minimum, one hash per shingle). The share of equal slots between two
/// signatures estimates how many of their shingles the two texts share
/// (their Jaccard similarity): copies of one story a few edits apart agree
/// in most slots, different stories in none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature(pub [u32; SIGNATURE_LEN]);

impl Signature {
    /// Estimated share of shingles the two texts have in common.
    pub fn similarity(&self, other: &Signature) -> f32 {
        // Slots empty in both say nothing.
        self.0.iter().zip(&other.0).filter(|(a, b)| a == b && **a != u32::MAX).count() as f32 / SIGNATURE_LEN as f32
    }

    pub fn to_bytes(self) -> Vec<u8> {
        self.0.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    pub fn from_bytes(b: &[u8]) -> Option<Signature> {
        let mut out = [0u32; SIGNATURE_LEN];
        if b.len() != SIGNATURE_LEN * 4 {
            return None;
        }
        for (slot, chunk) in out.iter_mut().zip(b.chunks_exact(4)) {
            *slot = u32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Signature(out))
    }
}

/// SplitMix64's finaliser: every output bit depends on every input bit.
fn mix(mut h: u64) -> u64 {
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// Shingles a text needs for a signature: shorter texts say too little to
/// be told apart, and would all look alike.
pub const MIN_SHINGLES: usize = 24;

/// The text signature of a document's paragraphs (headings left out);
/// `None` for a text of fewer than [`MIN_SHINGLES`] shingles.
pub fn fingerprint(paragraphs: &[crate::model::Paragraph]) -> Option<Signature> {
    // FNV-1a over a shingle's lower-cased words.
    fn hash(words: &[&str]) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for w in words {
            for b in w.bytes() {
                h = (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3);
            }
            h = (h ^ u64::from(b' ')).wrapping_mul(0x0100_0000_01b3);
        }
        h
    }
    let words: Vec<&str> = paragraphs
        .iter()
        .filter(|p| !p.heading)
        .flat_map(|p| p.text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()))
        .collect();
    if words.len() < MIN_SHINGLES + 2 {
        return None;
    }
    let mut mins = [u32::MAX; SIGNATURE_LEN];
    for shingle in words.windows(3) {
        let h = mix(hash(shingle));
        let slot = (((h & 0xffff_ffff) * SIGNATURE_LEN as u64) >> 32) as usize;
        let value = (h >> 32) as u32;
        mins[slot] = mins[slot].min(value);
    }
    Some(Signature(mins))
}

/// Band keys per document, and signature slots per band.
pub const BANDS: usize = 8;
pub const ROWS: usize = SIGNATURE_LEN / BANDS;
/// Estimated shingle overlap from which two texts are one story.
pub const MIN_SIMILARITY: f32 = 0.75;
/// Candidates read per band, newest first: a band value many documents
/// share (boilerplate) never makes a lookup long.
const PER_BAND: i64 = 8;

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS doc_prints (
    doc_id      INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS doc_bands (
    band   INTEGER NOT NULL,
    value  INTEGER NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (band, value, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_bands_doc ON doc_bands(doc_id);
";

fn band(sig: &Signature, b: usize) -> i64 {
    let mut h: u64 = b as u64;
    for v in &sig.0[b * ROWS..(b + 1) * ROWS] {
        h = (h ^ u64::from(*v)).wrapping_mul(0x0100_0000_01b3).rotate_left(29);
    }
    h as i64
}

/// Record a document's fingerprint and link it with its near duplicates:
/// a copy that names no actor takes the actors of the copies that do
/// (`has_actors` says whether this one does), and the other way round.
pub(super) fn link(tx: &Transaction<'_>, doc_id: i64, sig: &Signature, has_actors: bool) -> Result<(), StoreError> {
    // (document, similarity), most similar first.
    let mut near: Vec<(i64, f32)> = Vec::new();
    {
        let mut candidates = tx.prepare_cached(
            "SELECT b.doc_id, p.signature FROM doc_bands b JOIN doc_prints p ON p.doc_id = b.doc_id \
             WHERE b.band = ?1 AND b.value = ?2 AND b.doc_id != ?3 ORDER BY b.doc_id DESC LIMIT ?4",
        )?;
        for b in 0..BANDS {
            let rows = candidates.query_map(params![b as i64, band(sig, b), doc_id, PER_BAND], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })?;
            for row in rows {
                let (other, bytes) = row?;
                let similarity = Signature::from_bytes(&bytes).map_or(0.0, |s| s.similarity(sig));
                if similarity >= MIN_SIMILARITY && !near.iter().any(|(d, _)| *d == other) {
                    near.push((other, similarity));
                }
            }
        }
    }
    tx.prepare_cached("DELETE FROM doc_bands WHERE doc_id = ?1")?.execute([doc_id])?;
    let mut add_band = tx.prepare_cached("INSERT OR IGNORE INTO doc_bands(band, value, doc_id) VALUES (?1, ?2, ?3)")?;
    for b in 0..BANDS {
        add_band.execute(params![b as i64, band(sig, b), doc_id])?;
    }
    tx.prepare_cached("INSERT OR REPLACE INTO doc_prints(doc_id, signature) VALUES (?1, ?2)")?
        .execute(params![doc_id, sig.to_bytes()])?;
    if near.is_empty() {
        return Ok(());
    }
    // Copy actor rows between the copies: from those that name actors to those that do not.
    let mut copy = tx.prepare_cached(
        "INSERT OR IGNORE INTO doc_actors(actor, doc_id) SELECT actor, ?2 FROM doc_actors WHERE doc_id = ?1",
    )?;
    let mut has = tx.prepare_cached("SELECT 1 FROM doc_actors WHERE doc_id = ?1 LIMIT 1")?;
    near.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
    if has_actors {
        for (other, _) in near {
            if !has.exists([other])? {
                copy.execute(params![doc_id, other])?;
            }
        }
    } else if let Some((best, _)) = near.into_iter().find(|(d, _)| has.exists([*d]).unwrap_or(false)) {
        // One story: the actors of the most similar copy that names any.
        copy.execute(params![best, doc_id])?;
    }
    Ok(())
}
