//! Near-duplicate documents: the same story lightly edited (a syndicated
//! copy, a rewritten lead) is one incident's even when only one copy names
//! the actor. Each document's MinHash signature
//! ([`crate::incidents::fingerprint`]) is stored with [`BANDS`] band keys
//! (a hash of [`ROWS`] slots each): texts sharing most of their shingles
//! almost surely share a band, so candidates are found by index lookups,
//! never by a scan, and are confirmed by their estimated similarity.

use rusqlite::{Transaction, params};

use super::StoreError;

use crate::incidents::{SIGNATURE_LEN, Signature};

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
