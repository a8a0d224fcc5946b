//! The generated gRPC code for `balai.v1` and conversions between wire frames and engine frames.

#[allow(clippy::all, missing_debug_implementations, unreachable_pub)]
pub mod v1 {
    tonic::include_proto!("balai.v1");
}

use crate::ids::StoreId;
use crate::sync::{DocMessage, Envelope, Frame, Hello, MAX_OFFER_HEADS};

/// Why a wire frame could not become an engine frame.
#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("empty frame (no body)")]
    Empty,
    #[error("bad frame: {0}")]
    Invalid(String),
}

/// The most region prefixes a `Hello` may announce.
pub const MAX_HELLO_SCOPES: usize = 256;

impl From<Envelope> for v1::Frame {
    fn from(envelope: Envelope) -> Self {
        use v1::frame::Body;
        let body = match envelope.frame {
            Frame::Hello(h) => Body::Hello(v1::Hello {
                protocol: h.protocol,
                store_id: h.store_id.as_bytes().to_vec(),
                name: h.name,
                your_id: h
                    .your_id
                    .map(|id| id.as_bytes().to_vec())
                    .unwrap_or_default(),
                since: h.since,
                offering_from: h.offering_from,
                scopes: h.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
                since_epoch: h.since_epoch,
                epoch: h.epoch,
                reset: h.reset,
            }),
            Frame::Doc(d) => Body::Doc(v1::DocMessage {
                doc_id: d.doc_id.to_string(),
                offer_seq: d.offer_seq,
                sync: d.sync,
                more: false,
                heads: d.heads.iter().map(|h| h.0.to_vec()).collect(),
                whole: d.whole,
            }),
            Frame::OffersEnd { upto } => Body::OffersEnd(v1::OffersEnd { upto }),
            Frame::Done { received } => Body::Done(v1::Done { received }),
            Frame::Complete { checkpoint } => Body::Complete(v1::Complete { checkpoint }),
        };
        v1::Frame {
            body: Some(body),
            session: envelope.session,
            number: envelope.number,
        }
    }
}

impl TryFrom<v1::Frame> for Envelope {
    type Error = FrameError;

    fn try_from(wire: v1::Frame) -> Result<Self, Self::Error> {
        use v1::frame::Body;
        let invalid = |e: &dyn std::fmt::Display| FrameError::Invalid(e.to_string());
        let frame = match wire.body.ok_or(FrameError::Empty)? {
            Body::Hello(h) => Frame::Hello(Hello {
                protocol: h.protocol,
                store_id: StoreId::from_slice(&h.store_id).map_err(|e| invalid(&e))?,
                name: h.name.chars().take(120).collect(),
                your_id: if h.your_id.is_empty() {
                    None
                } else {
                    Some(StoreId::from_slice(&h.your_id).map_err(|e| invalid(&e))?)
                },
                since: h.since,
                since_epoch: h.since_epoch,
                epoch: h.epoch,
                reset: h.reset,
                offering_from: h.offering_from,
                scopes: if h.scopes.len() > MAX_HELLO_SCOPES {
                    return Err(FrameError::Invalid(format!(
                        "a Hello announces {} region prefixes; at most {MAX_HELLO_SCOPES}",
                        h.scopes.len()
                    )));
                } else {
                    h.scopes
                        .iter()
                        .map(|s| s.parse())
                        .collect::<Result<_, _>>()
                        .map_err(|e| invalid(&e))?
                },
            }),
            Body::Doc(d) => {
                if d.heads.len() > MAX_OFFER_HEADS {
                    return Err(FrameError::Invalid(format!(
                        "an offer announces {} heads; at most {MAX_OFFER_HEADS}",
                        d.heads.len()
                    )));
                }
                let heads = d
                    .heads
                    .iter()
                    .map(|h| {
                        automerge::ChangeHash::try_from(h.as_slice())
                            .map_err(|_| invalid(&"a head is not a 32-byte change hash"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                // Which frames must carry heads (offers, 1 to MAX_OFFER_HEADS) and which may be
                // whole (offers) is the engine's to check, after the peer's Hello: a peer of
                // another protocol version is then told so, not that its offer lacks heads.
                Frame::Doc(DocMessage {
                    doc_id: d.doc_id.parse().map_err(|e| invalid(&e))?,
                    offer_seq: d.offer_seq,
                    heads,
                    sync: d.sync,
                    whole: d.whole,
                })
            }
            Body::OffersEnd(e) => Frame::OffersEnd { upto: e.upto },
            Body::Done(d) => Frame::Done {
                received: d.received,
            },
            Body::Complete(c) => Frame::Complete {
                checkpoint: c.checkpoint,
            },
        };
        Ok(Envelope {
            session: wire.session,
            number: wire.number,
            frame,
        })
    }
}

/// Document messages are cut into parts of at most this many bytes on the wire, so no single gRPC
/// message grows with a document (a whole-document first sync can be megabytes).
pub const PART_BYTES: usize = 512 * 1024;

/// A reassembled document message may not exceed this many bytes.
pub const MAX_DOC_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// A batch (one gRPC message) is closed once it holds this many bytes of document data: enough
/// documents for compression to find what they repeat (64 stored trainings compress to 262 B
/// each, 256 to 241 B), small enough that a slow link shows progress.
pub const BATCH_BYTES: usize = 256 * 1024;

/// Engine frames as wire batches, in order: each batch is closed once it holds `BATCH_BYTES` of
/// document data, so a frame larger than that (a part, at most `PART_BYTES`) shares its batch
/// with at most the frames before it.
pub fn to_batches(envelopes: Vec<Envelope>) -> Vec<v1::Frames> {
    let mut batches = Vec::new();
    let mut current = v1::Frames::default();
    let mut bytes = 0;
    for wire in envelopes.into_iter().flat_map(to_wire) {
        bytes += doc_bytes(&wire);
        current.frames.push(wire);
        if bytes >= BATCH_BYTES {
            batches.push(std::mem::take(&mut current));
            bytes = 0;
        }
    }
    if !current.frames.is_empty() {
        batches.push(current);
    }
    batches
}

/// Bytes of document data a wire frame carries (its id and sync message).
pub fn doc_bytes(wire: &v1::Frame) -> usize {
    match &wire.body {
        Some(v1::frame::Body::Doc(d)) => d.sync.len() + d.doc_id.len(),
        _ => 0,
    }
}

/// An engine frame as wire frames: one, or several parts for a large document message.
pub fn to_wire(envelope: Envelope) -> Vec<v1::Frame> {
    to_wire_with(envelope, PART_BYTES)
}

fn to_wire_with(envelope: Envelope, part_bytes: usize) -> Vec<v1::Frame> {
    let Envelope {
        session,
        number,
        frame,
    } = envelope;
    match frame {
        Frame::Doc(d) if d.sync.len() > part_bytes => {
            let doc_id = d.doc_id.to_string();
            let heads: Vec<Vec<u8>> = d.heads.iter().map(|h| h.0.to_vec()).collect();
            let parts: Vec<&[u8]> = d.sync.chunks(part_bytes.max(1)).collect();
            let last = parts.len() - 1;
            parts
                .into_iter()
                .enumerate()
                .map(|(i, part)| v1::Frame {
                    body: Some(v1::frame::Body::Doc(v1::DocMessage {
                        doc_id: doc_id.clone(),
                        offer_seq: d.offer_seq,
                        sync: part.to_vec(),
                        more: i < last,
                        heads: heads.clone(),
                        whole: d.whole,
                    })),
                    session,
                    number,
                })
                .collect()
        }
        frame => vec![
            Envelope {
                session,
                number,
                frame,
            }
            .into(),
        ],
    }
}

/// Turns wire frames back into engine frames, joining the parts of large document messages.
/// Parts must arrive consecutively (the stream is ordered and senders never interleave them).
#[derive(Debug, Default)]
pub struct Reassembler {
    /// The parts joined so far, with their session and number.
    partial: Option<(u64, u64, DocMessage)>,
}

impl Reassembler {
    /// Take one wire frame; returns the engine frame it completes, if any.
    pub fn push(&mut self, wire: v1::Frame) -> Result<Option<Envelope>, FrameError> {
        let more = matches!(&wire.body, Some(v1::frame::Body::Doc(d)) if d.more);
        let envelope = Envelope::try_from(wire)?;
        let (session, number) = (envelope.session, envelope.number);
        let Frame::Doc(part) = envelope.frame else {
            if self.partial.is_some() {
                return Err(FrameError::Invalid(
                    "a document message was cut off by another frame".into(),
                ));
            }
            return Ok(Some(envelope));
        };
        let msg = match self.partial.take() {
            None => (session, number, part),
            Some((s, n, mut partial)) => {
                if partial.doc_id != part.doc_id
                    || partial.offer_seq != part.offer_seq
                    || partial.whole != part.whole
                    || (s, n) != (session, number)
                {
                    return Err(FrameError::Invalid(format!(
                        "parts of {} and {} interleaved",
                        partial.doc_id, part.doc_id
                    )));
                }
                partial.sync.extend_from_slice(&part.sync);
                (s, n, partial)
            }
        };
        if msg.2.sync.len() > MAX_DOC_MESSAGE_BYTES {
            return Err(FrameError::Invalid(format!(
                "document message for {} exceeds {MAX_DOC_MESSAGE_BYTES} bytes",
                msg.2.doc_id
            )));
        }
        if more {
            self.partial = Some(msg);
            return Ok(None);
        }
        let (session, number, msg) = msg;
        Ok(Some(Envelope {
            session,
            number,
            frame: Frame::Doc(msg),
        }))
    }

    /// Bytes of a half-received document message held so far.
    pub fn buffered(&self) -> usize {
        self.partial.as_ref().map_or(0, |p| p.2.sync.len())
    }

    /// Whether a document message is half received (the stream must not end here).
    pub fn is_mid_message(&self) -> bool {
        self.partial.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{DocId, DocKind};
    use crate::sync::Stamper;

    fn head(n: u8) -> automerge::ChangeHash {
        automerge::ChangeHash([n; 32])
    }

    #[test]
    fn frames_round_trip_through_the_wire_type() {
        let frames = vec![
            Frame::Hello(Hello {
                protocol: 2,
                store_id: StoreId::random(),
                name: "hp-ani".into(),
                your_id: Some(StoreId::random()),
                since: 7,
                since_epoch: 0xDEAD_BEEF_0000_0001,
                epoch: u64::MAX,
                reset: false,
                offering_from: 3,
                scopes: vec![
                    "18.01.05.2001".parse().expect("valid"),
                    "18.02".parse().expect("valid"),
                ],
            }),
            Frame::Doc(DocMessage {
                doc_id: DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid")),
                offer_seq: 4,
                heads: vec![head(1), head(2)],
                sync: vec![0x42, 1, 2],
                whole: false,
            }),
            Frame::Doc(DocMessage {
                doc_id: DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid")),
                offer_seq: 0,
                heads: Vec::new(),
                sync: Vec::new(),
                whole: false,
            }),
            Frame::OffersEnd { upto: 9 },
            Frame::Done { received: 3 },
            Frame::Complete { checkpoint: 11 },
        ];
        let mut stamps = Stamper::new(0x5E55_1017);
        for f in frames {
            let envelope = stamps.stamp(f);
            let wire: v1::Frame = envelope.clone().into();
            assert_eq!(Envelope::try_from(wire).expect("decode"), envelope);
        }
    }

    #[test]
    fn large_document_messages_travel_in_parts_and_reassemble() {
        let doc_id = DocId::generate(DocKind::Training, "18.01.05.2001".parse().expect("valid"));
        let sync: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let mut stamps = Stamper::new(7);
        let big = stamps.stamp(Frame::Doc(DocMessage {
            doc_id: doc_id.clone(),
            offer_seq: 3,
            heads: vec![head(3)],
            sync,
            whole: false,
        }));
        let end = stamps.stamp(Frame::OffersEnd { upto: 3 });
        let wire = to_wire_with(big.clone(), 1_000);
        assert_eq!(wire.len(), 10);
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        for w in wire.into_iter().chain([end.clone().into()]) {
            out.extend(r.push(w).expect("valid parts"));
        }
        assert_eq!(out, vec![big, end]);
        assert!(!r.is_mid_message());

        // A part followed by something else is refused, not silently merged.
        let mut parts = to_wire_with(
            stamps.stamp(Frame::Doc(DocMessage {
                doc_id: doc_id.clone(),
                offer_seq: 0,
                heads: Vec::new(),
                sync: vec![1; 3000],
                whole: false,
            })),
            1_000,
        );
        let mut r = Reassembler::default();
        assert!(r.push(parts.remove(0)).expect("first part").is_none());
        assert!(r.is_mid_message());
        assert!(
            r.push(stamps.stamp(Frame::Done { received: 1 }).into())
                .is_err()
        );

        // Parts of one message carry one stamp: a part stamped otherwise is another frame.
        let mut parts = to_wire_with(
            stamps.stamp(Frame::Doc(DocMessage {
                doc_id,
                offer_seq: 0,
                heads: Vec::new(),
                sync: vec![1; 3000],
                whole: false,
            })),
            1_000,
        );
        parts[1].number += 1;
        let mut r = Reassembler::default();
        assert!(r.push(parts.remove(0)).expect("first part").is_none());
        assert!(r.push(parts.remove(0)).is_err());
    }

    #[test]
    fn batches_keep_the_order_and_close_at_the_byte_budget() {
        let village: crate::region::VillageCode = "18.01.05.2001".parse().expect("valid");
        let mut stamps = Stamper::new(9);
        let doc = |n: usize| {
            Frame::Doc(DocMessage {
                doc_id: DocId::generate(DocKind::Training, village.clone()),
                offer_seq: 1,
                heads: vec![head(1)],
                sync: vec![7; n],
                whole: true,
            })
        };
        // 600 small documents, one part-sized one, then the end of the offers.
        let mut envelopes: Vec<Envelope> = (0..600).map(|_| stamps.stamp(doc(1_000))).collect();
        envelopes.push(stamps.stamp(doc(PART_BYTES + 10)));
        envelopes.push(stamps.stamp(Frame::OffersEnd { upto: 601 }));
        let batches = to_batches(envelopes.clone());
        for b in &batches[..batches.len() - 1] {
            let bytes: usize = b.frames.iter().map(doc_bytes).sum();
            let last = b.frames.last().map_or(0, doc_bytes);
            assert!(bytes >= BATCH_BYTES, "closed early at {bytes} bytes");
            assert!(bytes - last < BATCH_BYTES, "closed late at {bytes} bytes");
        }
        assert!(batches.len() >= 3, "{} batches", batches.len());
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        for w in batches.into_iter().flat_map(|b| b.frames) {
            out.extend(r.push(w).expect("valid"));
        }
        assert_eq!(out, envelopes);
        assert!(to_batches(Vec::new()).is_empty());
    }

    #[test]
    fn malformed_wire_frames_are_errors_not_panics() {
        assert!(matches!(
            Envelope::try_from(v1::Frame::default()),
            Err(FrameError::Empty)
        ));
        let doc = |d: v1::DocMessage| v1::Frame {
            body: Some(v1::frame::Body::Doc(d)),
            ..Default::default()
        };
        let id = DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid"));
        assert!(
            Envelope::try_from(doc(v1::DocMessage {
                doc_id: "nope".into(),
                ..Default::default()
            }))
            .is_err()
        );
        // Offers carry 1..=256 heads of 32 bytes; replies none.
        let offer = |heads: Vec<Vec<u8>>| {
            doc(v1::DocMessage {
                doc_id: id.to_string(),
                offer_seq: 1,
                heads,
                ..Default::default()
            })
        };
        // Heads are 32-byte hashes, at most MAX_OFFER_HEADS of them. Which frames must carry
        // them is the engine's to check (sync/hostile.rs), after the peer's Hello.
        assert!(Envelope::try_from(offer(vec![vec![7; 32]])).is_ok());
        assert!(Envelope::try_from(offer(Vec::new())).is_ok());
        assert!(Envelope::try_from(offer(vec![vec![7; 31]])).is_err());
        assert!(Envelope::try_from(offer(vec![vec![7; 32]; MAX_OFFER_HEADS + 1])).is_err());
        let bad_hello = v1::Frame {
            body: Some(v1::frame::Body::Hello(v1::Hello {
                store_id: vec![1, 2],
                ..Default::default()
            })),
            ..Default::default()
        };
        assert!(Envelope::try_from(bad_hello).is_err());
        let hello_with = |scopes: Vec<String>| v1::Frame {
            body: Some(v1::frame::Body::Hello(v1::Hello {
                store_id: StoreId::random().as_bytes().to_vec(),
                scopes,
                ..Default::default()
            })),
            ..Default::default()
        };
        assert!(Envelope::try_from(hello_with(vec!["18.01".into()])).is_ok());
        assert!(Envelope::try_from(hello_with(vec!["not a region".into()])).is_err());
        assert!(Envelope::try_from(hello_with(vec!["18".into(); MAX_HELLO_SCOPES + 1])).is_err());
    }
}
