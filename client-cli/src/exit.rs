//! The exit codes of `balai`, which scripts can rely on, and how an error maps to one.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success (also when the reader of our output went away: a closed pipe) |
//! | 1 | failure: anything not below (a document not found, a damaged store, a TLS or URL problem…) |
//! | 2 | usage: the command line is wrong — an unknown flag, a missing argument (clap's own code), or a value that is malformed whatever the data (a date, village code, document id, gender, choice, empty or over-long text, `--count` out of range) |
//! | 3 | the server cannot be reached, or the connection dropped: nothing is lost, try again later |
//! | 4 | refused by the server: no token, an unknown or revoked token, or the device or admin may not do this |
//!
//! Errors are classified by their types (`SyncFailure`, the status code the server answered,
//! the model's and region's validation errors, [`Usage`]), never by their text.

use std::process::ExitCode;

use balai_net::client::SyncFailure;
use balai_net::retry::RetryFailure;
use balai_shared::ids::IdError;
use balai_shared::model::ModelError;
use balai_shared::region::RegionError;
use balai_shared::store::StoreError;
use balai_shared::sync::SyncError;

/// What kind of failure a run ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Success = 0,
    Failure = 1,
    Usage = 2,
    Unreachable = 3,
    Refused = 4,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

/// A command line that is wrong whatever the data: the message says what to type instead.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// The exit code for `e`: decided by the first error in its chain whose type we know (a
/// context line added above it does not change what it is).
pub fn classify(e: &anyhow::Error) -> Exit {
    for cause in e.chain() {
        if let Some(kind) = classify_one(cause) {
            return kind;
        }
    }
    Exit::Failure
}

fn classify_one(e: &(dyn std::error::Error + 'static)) -> Option<Exit> {
    if e.downcast_ref::<Usage>().is_some() {
        return Some(Exit::Usage);
    }
    if let Some(e) = e.downcast_ref::<RetryFailure>() {
        return Some(match e {
            RetryFailure::GaveUp { last, .. } => sync_failure(last),
            RetryFailure::Fatal(last) => sync_failure(last),
        });
    }
    if let Some(e) = e.downcast_ref::<SyncFailure>() {
        return Some(sync_failure(e));
    }
    if let Some(e) = e.downcast_ref::<ModelError>() {
        return Some(model(e));
    }
    if e.downcast_ref::<RegionError>().is_some() || e.downcast_ref::<IdError>().is_some() {
        // Only ever from what the user typed: the store wraps its own id errors in StoreError.
        return Some(Exit::Usage);
    }
    if e.downcast_ref::<StoreError>().is_some() || e.downcast_ref::<SyncError>().is_some() {
        return Some(Exit::Failure);
    }
    None
}

fn sync_failure(e: &SyncFailure) -> Exit {
    match e {
        SyncFailure::Unreachable { .. } | SyncFailure::Interrupted(_) => Exit::Unreachable,
        SyncFailure::Unauthenticated(_) | SyncFailure::BadToken(_) => Exit::Refused,
        SyncFailure::Refused(status) => match status.code() {
            tonic::Code::PermissionDenied | tonic::Code::Unauthenticated => Exit::Refused,
            _ => Exit::Failure,
        },
        SyncFailure::BadUrl { .. }
        | SyncFailure::Certificate { .. }
        | SyncFailure::WrongProtocol(_)
        | SyncFailure::Engine(_) => Exit::Failure,
    }
}

fn model(e: &ModelError) -> Exit {
    match e {
        ModelError::Empty { .. }
        | ModelError::TooLong { .. }
        | ModelError::ControlCharacter { .. }
        | ModelError::BadDate { .. }
        | ModelError::BadGender { .. }
        | ModelError::BadChoice { .. }
        | ModelError::NothingToChange { .. } => Exit::Usage,
        // What the document holds decides these: the same command may work on other data.
        ModelError::WrongKind { .. }
        | ModelError::KindMismatch { .. }
        | ModelError::NewerSchema { .. }
        | ModelError::NotCreated
        | ModelError::NotFound { .. }
        | ModelError::NoSuchSession { .. }
        | ModelError::AmbiguousPerson { .. }
        | ModelError::NoSuchPerson { .. }
        | ModelError::Removed { .. }
        | ModelError::PersonExists { .. }
        | ModelError::NoSuchItem { .. }
        | ModelError::RemovedItem { .. }
        | ModelError::NotCheckedIn { .. }
        | ModelError::TooManySessions { .. }
        | ModelError::Archived
        | ModelError::Automerge(_) => Exit::Failure,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    fn status(code: tonic::Code) -> tonic::Status {
        tonic::Status::new(code, "why")
    }

    #[test]
    fn network_failures_refusals_and_bad_input_have_their_own_codes() {
        let unreachable = SyncFailure::Unreachable {
            url: "http://127.0.0.1:1".into(),
            reason: "connection refused".into(),
        };
        let gave_up = RetryFailure::GaveUp {
            attempts: 3,
            elapsed: std::time::Duration::from_secs(1),
            last: unreachable,
        };
        assert_eq!(classify(&gave_up.into()), Exit::Unreachable);
        let cut = SyncFailure::Interrupted("the server stopped answering".into());
        assert_eq!(classify(&cut.into()), Exit::Unreachable);

        let revoked = RetryFailure::Fatal(SyncFailure::Unauthenticated(status(
            tonic::Code::Unauthenticated,
        )));
        assert_eq!(classify(&revoked.into()), Exit::Refused);
        let denied = SyncFailure::Refused(status(tonic::Code::PermissionDenied));
        assert_eq!(classify(&denied.into()), Exit::Refused);
        let missing = SyncFailure::Refused(status(tonic::Code::NotFound));
        assert_eq!(classify(&missing.into()), Exit::Failure);

        let date = ModelError::BadDate {
            field: "date",
            value: "29/11/2026".into(),
        };
        assert_eq!(classify(&date.into()), Exit::Usage);
        let village = "18.01".parse::<balai_shared::region::VillageCode>();
        let village = anyhow::Error::from(village.expect_err("not a village"));
        assert_eq!(classify(&village), Exit::Usage);
        assert_eq!(classify(&Usage("--count".into()).into()), Exit::Usage);
        assert_eq!(
            classify(&ModelError::NotCreated.into()),
            Exit::Failure,
            "data, not the command line"
        );
        assert_eq!(classify(&anyhow::anyhow!("anything else")), Exit::Failure);
    }

    #[test]
    fn context_does_not_change_the_kind() {
        let locked = StoreError::Locked {
            path: "/tmp/x".into(),
        };
        let e = Err::<(), _>(locked)
            .context("cannot open the local store")
            .expect_err("failed");
        assert_eq!(classify(&e), Exit::Failure);
        let e = Err::<(), _>(SyncFailure::Interrupted("cut".into()))
            .context("while syncing")
            .expect_err("failed");
        assert_eq!(classify(&e), Exit::Unreachable);
    }
}
