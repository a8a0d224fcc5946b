//! Wire batches and the frames in them: a `SyncFrames` stream carries `Frames` (one gRPC message
//! each), and what it means is only the frames in order. For the driver, and for clients written
//! by hand (tests, the benchmark's hostile and baseline clients) that think in single frames.

use std::pin::Pin;

use balai_shared::proto::v1;
use futures::{Stream, StreamExt};

/// A stream of single wire frames, from a stream of batches.
pub type FrameStream<E> = Pin<Box<dyn Stream<Item = Result<v1::Frame, E>> + Send>>;

/// A batch of one frame: what a hand-written client sends when it sends frames one by one.
pub fn single(frame: v1::Frame) -> v1::Frames {
    v1::Frames {
        frames: vec![frame],
    }
}

/// The frames of each batch in turn (an error ends nothing by itself: it is passed on in order).
pub fn unbatch<S, E>(batches: S) -> impl Stream<Item = Result<v1::Frame, E>>
where
    S: Stream<Item = Result<v1::Frames, E>>,
{
    batches.flat_map(|batch| {
        futures::stream::iter(match batch {
            Ok(b) => b.frames.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        })
    })
}

/// [`unbatch`], boxed: a tonic response stream as single frames.
pub fn frames<S, E>(batches: S) -> FrameStream<E>
where
    S: Stream<Item = Result<v1::Frames, E>> + Send + 'static,
    E: Send + 'static,
{
    Box::pin(unbatch(batches))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(received: u64) -> v1::Frame {
        v1::Frame {
            body: Some(v1::frame::Body::Done(v1::Done { received })),
            ..Default::default()
        }
    }

    #[tokio::test]
    async fn unbatch_keeps_the_order_across_batches_and_passes_errors_on() {
        let batches: Vec<Result<v1::Frames, &str>> = vec![
            Ok(v1::Frames {
                frames: vec![done(1), done(2)],
            }),
            Ok(v1::Frames::default()),
            Ok(single(done(3))),
            Err("gone"),
        ];
        let out: Vec<Result<v1::Frame, &str>> =
            unbatch(futures::stream::iter(batches)).collect().await;
        assert_eq!(
            out,
            vec![Ok(done(1)), Ok(done(2)), Ok(done(3)), Err("gone")]
        );
    }
}
