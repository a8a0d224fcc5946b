//! The generated gRPC code for `balai.v1` and conversions between wire frames and engine frames.

#[allow(clippy::all, missing_debug_implementations, unreachable_pub)]
pub mod v1 {
    tonic::include_proto!("balai.v1");
}

use crate::ids::StoreId;
use crate::sync::{DocMessage, Frame, Hello};

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

impl From<Frame> for v1::Frame {
    fn from(frame: Frame) -> Self {
        use v1::frame::Body;
        let body = match frame {
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
            }),
            Frame::Doc(d) => Body::Doc(v1::DocMessage {
                doc_id: d.doc_id.to_string(),
                offer_seq: d.offer_seq,
                sync: d.sync,
                more: false,
            }),
            Frame::OffersEnd { upto } => Body::OffersEnd(v1::OffersEnd { upto }),
            Frame::Done { received } => Body::Done(v1::Done { received }),
            Frame::Complete { checkpoint } => Body::Complete(v1::Complete { checkpoint }),
        };
        v1::Frame { body: Some(body) }
    }
}

impl TryFrom<v1::Frame> for Frame {
    type Error = FrameError;

    fn try_from(frame: v1::Frame) -> Result<Self, Self::Error> {
        use v1::frame::Body;
        let invalid = |e: &dyn std::fmt::Display| FrameError::Invalid(e.to_string());
        Ok(match frame.body.ok_or(FrameError::Empty)? {
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
            Body::Doc(d) => Frame::Doc(DocMessage {
                doc_id: d.doc_id.parse().map_err(|e| invalid(&e))?,
                offer_seq: d.offer_seq,
                sync: d.sync,
            }),
            Body::OffersEnd(e) => Frame::OffersEnd { upto: e.upto },
            Body::Done(d) => Frame::Done {
                received: d.received,
            },
            Body::Complete(c) => Frame::Complete {
                checkpoint: c.checkpoint,
            },
        })
    }
}

/// Document messages are cut into parts of at most this many bytes on the wire, so no single gRPC
/// message grows with a document (a whole-document first sync can be megabytes).
pub const PART_BYTES: usize = 512 * 1024;

/// A reassembled document message may not exceed this many bytes.
pub const MAX_DOC_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// An engine frame as wire frames: one, or several parts for a large document message.
pub fn to_wire(frame: Frame) -> Vec<v1::Frame> {
    to_wire_with(frame, PART_BYTES)
}

fn to_wire_with(frame: Frame, part_bytes: usize) -> Vec<v1::Frame> {
    match frame {
        Frame::Doc(d) if d.sync.len() > part_bytes => {
            let doc_id = d.doc_id.to_string();
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
                    })),
                })
                .collect()
        }
        other => vec![other.into()],
    }
}

/// Turns wire frames back into engine frames, joining the parts of large document messages.
/// Parts must arrive consecutively (the stream is ordered and senders never interleave them).
#[derive(Debug, Default)]
pub struct Reassembler {
    partial: Option<DocMessage>,
}

impl Reassembler {
    /// Take one wire frame; returns the engine frame it completes, if any.
    pub fn push(&mut self, wire: v1::Frame) -> Result<Option<Frame>, FrameError> {
        let more = matches!(&wire.body, Some(v1::frame::Body::Doc(d)) if d.more);
        let frame = Frame::try_from(wire)?;
        let Frame::Doc(part) = frame else {
            if self.partial.is_some() {
                return Err(FrameError::Invalid(
                    "a document message was cut off by another frame".into(),
                ));
            }
            return Ok(Some(frame));
        };
        let msg = match self.partial.take() {
            None => part,
            Some(mut partial) => {
                if partial.doc_id != part.doc_id || partial.offer_seq != part.offer_seq {
                    return Err(FrameError::Invalid(format!(
                        "parts of {} and {} interleaved",
                        partial.doc_id, part.doc_id
                    )));
                }
                partial.sync.extend_from_slice(&part.sync);
                partial
            }
        };
        if msg.sync.len() > MAX_DOC_MESSAGE_BYTES {
            return Err(FrameError::Invalid(format!(
                "document message for {} exceeds {MAX_DOC_MESSAGE_BYTES} bytes",
                msg.doc_id
            )));
        }
        if more {
            self.partial = Some(msg);
            return Ok(None);
        }
        Ok(Some(Frame::Doc(msg)))
    }

    /// Bytes of a half-received document message held so far.
    pub fn buffered(&self) -> usize {
        self.partial.as_ref().map_or(0, |p| p.sync.len())
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

    #[test]
    fn frames_round_trip_through_the_wire_type() {
        let frames = vec![
            Frame::Hello(Hello {
                protocol: 1,
                store_id: StoreId::random(),
                name: "hp-ani".into(),
                your_id: Some(StoreId::random()),
                since: 7,
                offering_from: 3,
                scopes: vec![
                    "18.01.05.2001".parse().expect("valid"),
                    "18.02".parse().expect("valid"),
                ],
            }),
            Frame::Doc(DocMessage {
                doc_id: DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid")),
                offer_seq: 4,
                sync: vec![0x42, 1, 2],
            }),
            Frame::OffersEnd { upto: 9 },
            Frame::Done { received: 3 },
            Frame::Complete { checkpoint: 11 },
        ];
        for f in frames {
            let wire: v1::Frame = f.clone().into();
            assert_eq!(Frame::try_from(wire).expect("decode"), f);
        }
    }

    #[test]
    fn large_document_messages_travel_in_parts_and_reassemble() {
        let doc_id = DocId::generate(DocKind::Training, "18.01.05.2001".parse().expect("valid"));
        let sync: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let big = Frame::Doc(DocMessage {
            doc_id: doc_id.clone(),
            offer_seq: 3,
            sync,
        });
        let wire = to_wire_with(big.clone(), 1_000);
        assert_eq!(wire.len(), 10);
        let mut r = Reassembler::default();
        let mut out = Vec::new();
        for w in wire
            .into_iter()
            .chain([Frame::OffersEnd { upto: 3 }.into()])
        {
            out.extend(r.push(w).expect("valid parts"));
        }
        assert_eq!(out, vec![big, Frame::OffersEnd { upto: 3 }]);
        assert!(!r.is_mid_message());

        // A part followed by something else is refused, not silently merged.
        let mut parts = to_wire_with(
            Frame::Doc(DocMessage {
                doc_id,
                offer_seq: 0,
                sync: vec![1; 3000],
            }),
            1_000,
        );
        let mut r = Reassembler::default();
        assert!(r.push(parts.remove(0)).expect("first part").is_none());
        assert!(r.is_mid_message());
        assert!(r.push(Frame::Done { received: 1 }.into()).is_err());
    }

    #[test]
    fn malformed_wire_frames_are_errors_not_panics() {
        assert!(matches!(
            Frame::try_from(v1::Frame { body: None }),
            Err(FrameError::Empty)
        ));
        let bad_doc = v1::Frame {
            body: Some(v1::frame::Body::Doc(v1::DocMessage {
                doc_id: "nope".into(),
                ..Default::default()
            })),
        };
        assert!(Frame::try_from(bad_doc).is_err());
        let bad_hello = v1::Frame {
            body: Some(v1::frame::Body::Hello(v1::Hello {
                store_id: vec![1, 2],
                ..Default::default()
            })),
        };
        assert!(Frame::try_from(bad_hello).is_err());
        let hello_with = |scopes: Vec<String>| v1::Frame {
            body: Some(v1::frame::Body::Hello(v1::Hello {
                store_id: StoreId::random().as_bytes().to_vec(),
                scopes,
                ..Default::default()
            })),
        };
        assert!(Frame::try_from(hello_with(vec!["18.01".into()])).is_ok());
        assert!(Frame::try_from(hello_with(vec!["not a region".into()])).is_err());
        assert!(Frame::try_from(hello_with(vec!["18".into(); MAX_HELLO_SCOPES + 1])).is_err());
    }
}
