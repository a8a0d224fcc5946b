//! Checks every automerge sync message from a peer *before* automerge sees it: Bloom filter
//! parameters, counts, chunk framing, and how large the changes are once decompressed and how
//! many operations they hold. automerge trusts these numbers (a Bloom filter's `num_probes` sizes
//! an allocation per change; a deflated column inflates without bound; a run-length column can
//! claim 2^64 operations in a few bytes), so a hostile peer could make it allocate or loop
//! without limit while a document is locked. Everything here is bounded by the message's length.
//!
//! The walk follows automerge's binary format (sync message, then change, compressed-change and
//! document chunks with their column metadata); anything it does not recognise is refused rather
//! than passed on.

use std::io::Read;

/// Per-document limits, configurable per server (`--max-doc-ops`, `--max-doc-mib`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DocLimits {
    /// Operations a document may hold (an upper bound counted from the column lengths).
    pub max_ops: u64,
    /// Bytes a document may take once decompressed: its stored size plus what a message adds.
    pub max_bytes: u64,
}

impl DocLimits {
    /// Generous for field records (a forum with thousands of lines of notes is ~100,000 ops),
    /// small enough that one document cannot take a server's memory.
    pub const DEFAULT: DocLimits = DocLimits {
        max_ops: 500_000,
        max_bytes: 16 * 1024 * 1024,
    };
}

impl Default for DocLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Bloom filter parameters accepted from a peer. automerge writes 10 bits per entry and 7
/// probes; anything far outside is not an honest peer.
const MAX_BLOOM_PROBES: u32 = 32;
const MAX_BLOOM_BITS_PER_ENTRY: u32 = 64;
/// `have` entries in one message: automerge sends at most one.
const MAX_HAVES: u64 = 8;

/// Why a peer's sync message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MessageError {
    #[error("malformed sync message: {0}")]
    Malformed(String),
    #[error("hostile Bloom filter: {0}")]
    Bloom(String),
    #[error("changes are not valid automerge chunks: {0}")]
    Chunk(String),
    #[error(
        "the document would exceed this server's limit of {limit} {what} (at least {found}); the server's --{flag} sets it"
    )]
    Limit {
        what: &'static str,
        flag: &'static str,
        limit: u64,
        found: u64,
    },
}

/// What a checked message carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Weight {
    /// Operations in its changes (an upper bound).
    pub ops: u64,
    /// Bytes of its changes once decompressed.
    pub bytes: u64,
}

impl Weight {
    /// Refuse if a document of `current` plus this would pass `limits`.
    pub fn check_against(&self, current: Weight, limits: &DocLimits) -> Result<(), MessageError> {
        let ops = current.ops.saturating_add(self.ops);
        if ops > limits.max_ops {
            return Err(ops_limit(limits, ops));
        }
        let bytes = current.bytes.saturating_add(self.bytes);
        if bytes > limits.max_bytes {
            return Err(bytes_limit(limits, bytes));
        }
        Ok(())
    }
}

fn ops_limit(limits: &DocLimits, found: u64) -> MessageError {
    MessageError::Limit {
        what: "operations",
        flag: "max-doc-ops",
        limit: limits.max_ops,
        found,
    }
}

fn bytes_limit(limits: &DocLimits, found: u64) -> MessageError {
    MessageError::Limit {
        what: "bytes",
        flag: "max-doc-mib",
        limit: limits.max_bytes,
        found,
    }
}

/// Check an encoded sync message; on success it is safe to hand to `Message::decode` and
/// `receive_sync_message`, and its changes weigh what is returned (each at most `limits`).
pub fn check_message(bytes: &[u8], limits: &DocLimits) -> Result<Weight, MessageError> {
    let mut r = Reader::new(bytes, MessageError::Malformed);
    let kind = r.u8()?;
    if kind != 0x42 && kind != 0x43 {
        return Err(MessageError::Malformed(format!(
            "first byte {kind:#04x} is not a sync message"
        )));
    }
    r.hashes("heads")?;
    r.hashes("need")?;
    let haves = r.uleb()?;
    if haves > MAX_HAVES {
        return Err(MessageError::Malformed(format!(
            "{haves} `have` entries (at most {MAX_HAVES})"
        )));
    }
    for _ in 0..haves {
        r.hashes("last_sync")?;
        let bloom = r.prefixed()?;
        check_bloom(bloom)?;
    }
    let chunks = r.uleb()?;
    let mut weight = Weight::default();
    // Each change takes at least its length prefix, so the count is bounded by the bytes left.
    if chunks > r.remaining() as u64 {
        return Err(MessageError::Malformed(format!(
            "{chunks} changes announced in {} bytes",
            r.remaining()
        )));
    }
    for _ in 0..chunks {
        let entry = r.prefixed()?;
        walk_chunks(entry, limits, &mut weight)?;
    }
    // Optional flags (length-prefixed); automerge ignores anything after them.
    if r.remaining() > 0 {
        r.prefixed()?;
    }
    Ok(weight)
}

/// Check a whole document as a peer stores it (a document chunk, possibly followed by change
/// chunks); on success it is safe to hand to `Automerge::load`, and it weighs what is returned.
pub fn check_document(bytes: &[u8], limits: &DocLimits) -> Result<Weight, MessageError> {
    let mut weight = Weight::default();
    walk_chunks(bytes, limits, &mut weight)?;
    Ok(weight)
}

fn check_bloom(bytes: &[u8]) -> Result<(), MessageError> {
    if bytes.is_empty() {
        return Ok(());
    }
    let mut r = Reader::new(bytes, MessageError::Bloom);
    let entries = r.uleb_u32("entries")?;
    let bits_per_entry = r.uleb_u32("bits per entry")?;
    let probes = r.uleb_u32("probes")?;
    if !(1..=MAX_BLOOM_PROBES).contains(&probes) {
        return Err(MessageError::Bloom(format!(
            "{probes} probes (1 to {MAX_BLOOM_PROBES} accepted)"
        )));
    }
    if !(1..=MAX_BLOOM_BITS_PER_ENTRY).contains(&bits_per_entry) {
        return Err(MessageError::Bloom(format!(
            "{bits_per_entry} bits per entry (1 to {MAX_BLOOM_BITS_PER_ENTRY} accepted)"
        )));
    }
    let needed = (u64::from(entries) * u64::from(bits_per_entry)).div_ceil(8);
    if entries > 0 && needed != r.remaining() as u64 {
        return Err(MessageError::Bloom(format!(
            "{entries} entries need {needed} bytes of bits, the filter has {}",
            r.remaining()
        )));
    }
    Ok(())
}

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
const DEFLATE_FLAG: u32 = 0b1000;

/// Walk one entry of the message's change list: one or more chunks back to back.
fn walk_chunks(bytes: &[u8], limits: &DocLimits, weight: &mut Weight) -> Result<(), MessageError> {
    let mut r = Reader::new(bytes, MessageError::Chunk);
    if r.remaining() == 0 {
        return Err(MessageError::Chunk("empty change".into()));
    }
    while r.remaining() > 0 {
        if r.take(4)? != MAGIC {
            return Err(MessageError::Chunk("bad magic bytes".into()));
        }
        r.take(4)?; // checksum, verified by automerge
        let kind = r.u8()?;
        let body = r.prefixed()?;
        let mut budget = Budget::new(limits, *weight);
        match kind {
            0 => walk_document(body, &mut budget)?,
            1 => {
                budget.add_bytes(body.len() as u64)?;
                walk_change(body, &mut budget)?;
            }
            2 => {
                let inflated = budget.inflate(body)?;
                walk_change(&inflated, &mut budget)?;
            }
            other => {
                return Err(MessageError::Chunk(format!(
                    "chunk type {other} is not accepted in a sync message"
                )));
            }
        }
        *weight = budget.weight;
    }
    Ok(())
}

/// Running totals against the limits, so a message is refused as soon as it passes one.
struct Budget<'l> {
    limits: &'l DocLimits,
    weight: Weight,
}

impl<'l> Budget<'l> {
    fn new(limits: &'l DocLimits, weight: Weight) -> Self {
        Self { limits, weight }
    }

    fn add_bytes(&mut self, n: u64) -> Result<(), MessageError> {
        self.weight.bytes = self.weight.bytes.saturating_add(n);
        if self.weight.bytes > self.limits.max_bytes {
            return Err(bytes_limit(self.limits, self.weight.bytes));
        }
        Ok(())
    }

    fn add_ops(&mut self, n: u64) -> Result<(), MessageError> {
        self.weight.ops = self.weight.ops.saturating_add(n);
        if self.weight.ops > self.limits.max_ops {
            return Err(ops_limit(self.limits, self.weight.ops));
        }
        Ok(())
    }

    /// Inflate raw deflate data, stopping (and refusing) as soon as it passes the byte limit.
    fn inflate(&mut self, data: &[u8]) -> Result<Vec<u8>, MessageError> {
        let room = self.limits.max_bytes.saturating_sub(self.weight.bytes);
        let mut out = Vec::new();
        flate2::bufread::DeflateDecoder::new(data)
            .take(room.saturating_add(1))
            .read_to_end(&mut out)
            .map_err(|e| MessageError::Chunk(format!("bad deflate data: {e}")))?;
        self.add_bytes(out.len() as u64)?;
        Ok(out)
    }
}

/// A change chunk's body: header fields, op column metadata, column data, extra bytes.
fn walk_change(body: &[u8], budget: &mut Budget<'_>) -> Result<(), MessageError> {
    let mut r = Reader::new(body, MessageError::Chunk);
    r.hashes("deps")?;
    r.prefixed()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.sleb()?; // timestamp
    r.prefixed()?; // message
    let others = r.uleb()?;
    if others > r.remaining() as u64 {
        return Err(MessageError::Chunk("more actors than bytes".into()));
    }
    for _ in 0..others {
        r.prefixed()?;
    }
    let columns = r.columns()?;
    let mut most = 0;
    for (spec, len) in columns {
        if spec & DEFLATE_FLAG != 0 {
            return Err(MessageError::Chunk(
                "deflated column inside a change chunk".into(),
            ));
        }
        let data = r.take_u64(len)?;
        most = most.max(column_len(spec, data)?);
    }
    budget.add_ops(most)
}

/// A document chunk: actors, heads, change and op column metadata, then their data (columns may
/// be deflated one by one), then head indices.
fn walk_document(body: &[u8], budget: &mut Budget<'_>) -> Result<(), MessageError> {
    let mut r = Reader::new(body, MessageError::Chunk);
    let actors = r.uleb()?;
    if actors > r.remaining() as u64 {
        return Err(MessageError::Chunk("more actors than bytes".into()));
    }
    for _ in 0..actors {
        r.prefixed()?;
    }
    r.hashes("heads")?;
    let change_columns = r.columns()?;
    let op_columns = r.columns()?;
    let mut raw = 0u64;
    for (group, columns) in [(false, change_columns), (true, op_columns)] {
        let mut most = 0;
        for (spec, len) in columns {
            let data = r.take_u64(len)?;
            let count = if spec & DEFLATE_FLAG != 0 {
                let inflated = budget.inflate(data)?;
                column_len(spec & !DEFLATE_FLAG, &inflated)?
            } else {
                raw = raw.saturating_add(len);
                column_len(spec, data)?
            };
            most = most.max(count);
        }
        if group {
            budget.add_ops(most)?;
        }
    }
    // Uncompressed parts: everything but the deflated columns, already counted when inflated.
    budget.add_bytes(raw.saturating_add(r.remaining() as u64))
}

/// How many values a column holds, from its encoding alone (no values are materialised).
fn column_len(spec: u32, data: &[u8]) -> Result<u64, MessageError> {
    let mut r = Reader::new(data, MessageError::Chunk);
    let mut total: u64 = 0;
    match spec & 0b111 {
        // Boolean: alternating run lengths.
        4 => {
            while r.remaining() > 0 {
                total = total.saturating_add(r.uleb()?);
            }
        }
        // Run-length encoded: actor (1), integer (2), delta (3), string (5), value metadata (6).
        1 | 2 | 3 | 5 | 6 => {
            let string = spec & 0b111 == 5;
            while r.remaining() > 0 {
                let count = r.sleb()?;
                if count > 0 {
                    total = total.saturating_add(count.unsigned_abs());
                    r.rle_value(string)?;
                } else if count < 0 {
                    let n = count.unsigned_abs();
                    for _ in 0..n {
                        r.rle_value(string)?;
                    }
                    total = total.saturating_add(n);
                } else {
                    total = total.saturating_add(r.uleb()?);
                }
            }
        }
        // Group (0) counts are run-length too, but their sub-columns are counted on their own;
        // raw values (7) are bytes, counted by size.
        _ => {}
    }
    Ok(total)
}

/// A cursor over untrusted bytes; every read is bounds-checked and reports through `err`.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    err: fn(String) -> MessageError,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8], err: fn(String) -> MessageError) -> Self {
        Self { bytes, pos: 0, err }
    }

    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn fail<T>(&self, what: &str) -> Result<T, MessageError> {
        Err((self.err)(format!("{what} at byte {}", self.pos)))
    }

    fn u8(&mut self) -> Result<u8, MessageError> {
        match self.bytes.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                Ok(*b)
            }
            None => self.fail("unexpected end"),
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], MessageError> {
        if n > self.remaining() {
            return self.fail(&format!("{n} bytes announced, {} left", self.remaining()));
        }
        let out = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    fn take_u64(&mut self, n: u64) -> Result<&'a [u8], MessageError> {
        match usize::try_from(n) {
            Ok(n) => self.take(n),
            Err(_) => self.fail("length too large"),
        }
    }

    fn uleb(&mut self) -> Result<u64, MessageError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return self.fail("LEB128 overflow");
            }
            value |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        self.fail("LEB128 too long")
    }

    fn uleb_u32(&mut self, what: &str) -> Result<u32, MessageError> {
        let v = self.uleb()?;
        u32::try_from(v).or_else(|_| self.fail(&format!("{what} {v} does not fit 32 bits")))
    }

    fn sleb(&mut self) -> Result<i64, MessageError> {
        let mut value: i64 = 0;
        let mut shift = 0u32;
        loop {
            let b = self.u8()?;
            if shift >= 64 {
                return self.fail("LEB128 too long");
            }
            value |= i64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    value |= -1i64 << shift;
                }
                return Ok(value);
            }
        }
    }

    fn prefixed(&mut self) -> Result<&'a [u8], MessageError> {
        let n = self.uleb()?;
        self.take_u64(n)
    }

    /// A count of 32-byte hashes, then the hashes.
    fn hashes(&mut self, what: &str) -> Result<(), MessageError> {
        let n = self.uleb()?;
        match n.checked_mul(32) {
            Some(len) if len <= self.remaining() as u64 => {
                self.take_u64(len)?;
                Ok(())
            }
            _ => self.fail(&format!("{n} {what} hashes announced")),
        }
    }

    /// Column metadata: a count, then (spec, length) pairs.
    fn columns(&mut self) -> Result<Vec<(u32, u64)>, MessageError> {
        let n = self.uleb()?;
        if n > self.remaining() as u64 {
            return self.fail(&format!("{n} columns announced"));
        }
        let mut out = Vec::new();
        for _ in 0..n {
            let spec = self.uleb_u32("column spec")?;
            let len = self.uleb()?;
            out.push((spec, len));
        }
        Ok(out)
    }

    /// One value of a run-length encoded column: an integer, or a length-prefixed string.
    fn rle_value(&mut self, string: bool) -> Result<(), MessageError> {
        if string {
            self.prefixed()?;
        } else {
            self.uleb()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use automerge::sync::{State, SyncDoc};
    use automerge::transaction::Transactable;
    use automerge::{Automerge, ObjType, ROOT};

    use super::*;

    fn doc_with_text(chars: usize) -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        let text = tx.put_object(ROOT, "notes", ObjType::Text).expect("text");
        tx.splice_text(&text, 0, 0, &"a".repeat(chars))
            .expect("splice");
        tx.put(ROOT, "title", "Musyawarah").expect("put");
        tx.commit();
        doc
    }

    /// The messages an empty peer receives when syncing `doc` from scratch.
    fn messages_for(doc: &Automerge) -> Vec<Vec<u8>> {
        let mut empty = Automerge::new();
        let (mut ours, mut theirs) = (State::new(), State::new());
        let mut out = Vec::new();
        for _ in 0..10 {
            let mut quiet = true;
            if let Some(m) = doc.generate_sync_message(&mut ours) {
                quiet = false;
                let bytes = m.encode();
                out.push(bytes.clone());
                let m = automerge::sync::Message::decode(&bytes).expect("decode");
                empty.receive_sync_message(&mut theirs, m).expect("receive");
            }
            if let Some(m) = empty.generate_sync_message(&mut theirs) {
                quiet = false;
                let m = automerge::sync::Message::decode(&m.encode()).expect("decode");
                doc.clone()
                    .receive_sync_message(&mut ours, m)
                    .expect("receive");
            }
            if quiet {
                break;
            }
        }
        out
    }

    #[test]
    fn honest_messages_pass_and_weigh_their_changes() {
        let doc = doc_with_text(1_000);
        let msgs = messages_for(&doc);
        assert!(!msgs.is_empty());
        let mut total = Weight::default();
        for m in &msgs {
            let w = check_message(m, &DocLimits::DEFAULT).expect("honest message");
            total.ops += w.ops;
            total.bytes += w.bytes;
        }
        assert!(total.ops >= 1_000, "{total:?}");
        assert!(
            total.ops < 1_100,
            "an upper bound, but a tight one: {total:?}"
        );
        assert!(total.bytes > 0);
    }

    /// A sync message with one `have` whose Bloom filter uses the given parameters.
    fn with_bloom(entries: u64, bits_per_entry: u64, probes: u64, bits: usize) -> Vec<u8> {
        fn uleb(out: &mut Vec<u8>, mut v: u64) {
            loop {
                let b = (v & 0x7f) as u8;
                v >>= 7;
                if v == 0 {
                    out.push(b);
                    return;
                }
                out.push(b | 0x80);
            }
        }
        let mut bloom = Vec::new();
        uleb(&mut bloom, entries);
        uleb(&mut bloom, bits_per_entry);
        uleb(&mut bloom, probes);
        bloom.extend(std::iter::repeat_n(0xffu8, bits));
        let mut m = vec![0x42, 0, 0, 1, 0];
        uleb(&mut m, bloom.len() as u64);
        m.extend(bloom);
        m.push(0); // no changes
        m
    }

    #[test]
    fn hostile_bloom_filters_are_refused_before_automerge_sees_them() {
        // The 15-byte attack: 2^32-1 probes.
        let attack = with_bloom(1, 8, u64::from(u32::MAX), 1);
        assert!(attack.len() <= 15, "{}", attack.len());
        assert!(matches!(
            check_message(&attack, &DocLimits::DEFAULT),
            Err(MessageError::Bloom(_))
        ));
        // 10^8 probes, zero bits per entry (a modulo by zero in automerge), wrong bit count.
        for bad in [
            with_bloom(1, 10, 100_000_000, 2),
            with_bloom(1, 0, 7, 0),
            with_bloom(4, 10, 7, 1),
            with_bloom(1, 1 << 40, 7, 2),
        ] {
            assert!(
                matches!(
                    check_message(&bad, &DocLimits::DEFAULT),
                    Err(MessageError::Bloom(_))
                ),
                "{bad:?}"
            );
        }
        // What automerge itself writes passes.
        check_message(&with_bloom(4, 10, 7, 5), &DocLimits::DEFAULT).expect("honest filter");
    }

    #[test]
    fn garbage_changes_and_counts_are_refused() {
        // One "change" of random bytes.
        let garbage = [0x42, 0, 0, 0, 1, 4, 0xde, 0xad, 0xbe, 0xef];
        assert!(matches!(
            check_message(&garbage, &DocLimits::DEFAULT),
            Err(MessageError::Chunk(_))
        ));
        // 2^60 heads in a few bytes.
        let heads = [0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10];
        assert!(matches!(
            check_message(&heads, &DocLimits::DEFAULT),
            Err(MessageError::Malformed(_))
        ));
        assert!(check_message(&[0x99], &DocLimits::DEFAULT).is_err());
        assert!(check_message(&[], &DocLimits::DEFAULT).is_err());
    }

    #[test]
    fn document_bombs_are_refused_by_ops_and_by_inflated_size() {
        let doc = doc_with_text(20_000);
        let small = DocLimits {
            max_ops: 5_000,
            max_bytes: 16 * 1024 * 1024,
        };
        let refused = messages_for(&doc)
            .iter()
            .any(|m| matches!(check_message(m, &small), Err(MessageError::Limit { .. })));
        assert!(refused, "20,000 ops pass a 5,000-op limit");

        // Highly repetitive content deflates to little and inflates to a lot.
        let mut blob = Automerge::new();
        let mut tx = blob.transaction();
        tx.put(ROOT, "attachment", vec![7u8; 4 * 1024 * 1024])
            .expect("put");
        tx.commit();
        let tight = DocLimits {
            max_ops: 1_000,
            max_bytes: 1024 * 1024,
        };
        let msgs = messages_for(&blob);
        let biggest = msgs.iter().map(Vec::len).max().unwrap_or(0);
        assert!(biggest < 1024 * 1024, "compressed on the wire: {biggest}");
        let refused = msgs.iter().any(|m| {
            matches!(
                check_message(m, &tight),
                Err(MessageError::Limit { what: "bytes", .. })
            )
        });
        assert!(refused, "4 MiB inflated passes a 1 MiB limit");
    }

    #[test]
    fn a_weight_is_checked_against_what_the_document_already_holds() {
        let w = Weight { ops: 10, bytes: 10 };
        let limits = DocLimits {
            max_ops: 100,
            max_bytes: 100,
        };
        w.check_against(Weight { ops: 90, bytes: 0 }, &limits)
            .expect("at the limit");
        assert!(
            w.check_against(Weight { ops: 91, bytes: 0 }, &limits)
                .is_err()
        );
        assert!(
            w.check_against(Weight { ops: 0, bytes: 91 }, &limits)
                .is_err()
        );
    }
}
