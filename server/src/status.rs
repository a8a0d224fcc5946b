//! The one place where engine and store errors become gRPC statuses.

use balai_shared::proto::FrameError;
use balai_shared::store::StoreError;
use balai_shared::sync::SyncError;
use tonic::Status;

/// Map a session failure to the status the client sees. Peer mistakes are the peer's to fix
/// (INVALID_ARGUMENT, PERMISSION_DENIED, FAILED_PRECONDITION); our own storage trouble is
/// UNAVAILABLE so clients retry later, and its details stay in our log.
pub(crate) fn from_sync(e: &SyncError) -> Status {
    match e {
        SyncError::ProtocolVersion { .. } => Status::failed_precondition(e.to_string()),
        SyncError::Protocol(_) | SyncError::BadMessage { .. } | SyncError::SelfSync => {
            Status::invalid_argument(e.to_string())
        }
        SyncError::OutOfScope { .. } => Status::permission_denied(e.to_string()),
        // Not retried by clients: the same document would be refused again.
        SyncError::TooLarge { .. } => Status::failed_precondition(e.to_string()),
        SyncError::Store(store) => from_store(store),
    }
}

pub(crate) fn from_store(e: &StoreError) -> Status {
    match e {
        StoreError::Id(_) => Status::invalid_argument(e.to_string()),
        _ => Status::unavailable("the server could not read or write its store; try again later"),
    }
}

/// Why the driver stopped a session, as the status the peer sees.
pub(crate) fn from_drive(e: balai_net::DriveError<Status>) -> Status {
    use balai_net::DriveError;
    match e {
        DriveError::NoHello(_) => Status::deadline_exceeded(e.to_string()),
        DriveError::Idle(_) | DriveError::Stalled(_) => Status::deadline_exceeded(format!(
            "{e}; reconnect to resume (what was acknowledged is kept)"
        )),
        DriveError::NotHello => Status::invalid_argument(e.to_string()),
        DriveError::Closed => {
            Status::cancelled("client closed the stream before the session completed")
        }
        DriveError::Gone => Status::cancelled("client went away"),
        DriveError::Frame(frame) => from_frame(&frame),
        DriveError::Engine(sync) => from_sync(&sync),
        DriveError::Panicked(_) => Status::internal(e.to_string()),
        DriveError::Transport(status) => status,
    }
}

pub(crate) fn from_frame(e: &FrameError) -> Status {
    Status::invalid_argument(e.to_string())
}

pub(crate) fn from_bind(e: &crate::binding::BindError) -> Status {
    use crate::binding::BindError;
    match e {
        BindError::OwnedByOther => Status::permission_denied(e.to_string()),
        BindError::TooManyStores { .. } => Status::resource_exhausted(e.to_string()),
        BindError::Access(access) => from_access(access),
    }
}

pub(crate) fn from_access(e: &crate::access::AccessError) -> Status {
    use crate::access::AccessError;
    match e {
        AccessError::BadRole(_)
        | AccessError::BadName(_)
        | AccessError::NoScope
        | AccessError::TooManyPrefixes { .. }
        | AccessError::BadScope(_) => Status::invalid_argument(e.to_string()),
        AccessError::Exists(_) => Status::already_exists(e.to_string()),
        AccessError::NotFound(_) => Status::not_found(e.to_string()),
        AccessError::RootAdminOffline
        | AccessError::OutsideScope { .. }
        | AccessError::DeviceOutsideScope { .. } => Status::permission_denied(e.to_string()),
        AccessError::Revoked(_) => Status::failed_precondition(e.to_string()),
        AccessError::Locked { .. } | AccessError::Db(_) | AccessError::Corrupt(_) => {
            Status::unavailable(
                "the server could not read or write its access database; try again later",
            )
        }
    }
}

pub(crate) fn from_report(e: &crate::report::ReportError) -> Status {
    use crate::report::ReportError;
    match e {
        ReportError::Access(access) => from_access(access),
        ReportError::Store(store) => from_store(store),
    }
}

pub(crate) fn from_resync(e: &crate::resync::ResyncError) -> Status {
    use crate::resync::ResyncError;
    match e {
        ResyncError::Access(access) => from_access(access),
        ResyncError::Store(store) => from_store(store),
    }
}
