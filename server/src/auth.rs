//! The one place requests are authenticated: a tonic interceptor in front of every Balai service
//! that turns `authorization: Bearer <token>` into the enrolled [`Device`] or UNAUTHENTICATED.

use std::sync::Arc;

use tonic::{Request, Status};
use tracing::warn;

use crate::access::{Access, AuditRecord, AuthError, Device, name_in_token};

/// The authenticated caller, placed in the request's extensions by [`Authenticate`].
#[derive(Clone, Debug)]
pub struct Caller(pub Device);

/// The interceptor.
#[derive(Clone, Debug)]
pub struct Authenticate {
    access: Arc<Access>,
}

impl Authenticate {
    pub fn new(access: Arc<Access>) -> Self {
        Self { access }
    }
}

fn bearer(req: &Request<()>) -> Result<&str, AuthError> {
    let value = req
        .metadata()
        .get("authorization")
        .ok_or(AuthError::Missing)?;
    let value = value.to_str().map_err(|_| AuthError::Malformed)?;
    value
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or(AuthError::Malformed)
}

impl tonic::service::Interceptor for Authenticate {
    fn call(&mut self, mut req: Request<()>) -> Result<Request<()>, Status> {
        let token = bearer(&req).map(str::to_owned);
        match token.clone().and_then(|t| self.access.authenticate(&t)) {
            Ok(device) => {
                req.extensions_mut().insert(Caller(device));
                Ok(req)
            }
            Err(e) => {
                let claimed = token
                    .ok()
                    .as_deref()
                    .and_then(name_in_token)
                    .unwrap_or("?")
                    .to_owned();
                warn!(remote = ?req.remote_addr(), device = %claimed, reason = %e, "request refused");
                let record = AuditRecord::new(
                    &claimed,
                    "rejected",
                    e.to_string(),
                    format!("from {:?}", req.remote_addr()),
                );
                if let Err(audit) = self.access.audit(&record, false) {
                    warn!("cannot write audit log: {audit}");
                }
                Err(Status::unauthenticated(e.to_string()))
            }
        }
    }
}

/// The caller of a request that passed [`Authenticate`].
pub fn caller<T>(req: &Request<T>) -> Result<Device, Status> {
    req.extensions()
        .get::<Caller>()
        .map(|c| c.0.clone())
        .ok_or_else(|| Status::unauthenticated("request did not pass authentication"))
}
