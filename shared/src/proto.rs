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
            }),
            Frame::Doc(d) => Body::Doc(v1::DocMessage {
                doc_id: d.doc_id.to_string(),
                offer_seq: d.offer_seq,
                sync: d.sync,
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
    fn malformed_wire_frames_are_errors_not_panics() {
        assert!(matches!(
            Frame::try_from(v1::Frame { body: None }),
            Err(FrameError::Empty)
        ));
        let bad_doc = v1::Frame {
            body: Some(v1::frame::Body::Doc(v1::DocMessage {
                doc_id: "nope".into(),
                offer_seq: 0,
                sync: vec![],
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
    }
}
