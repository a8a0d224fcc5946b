//! The `BalaiAdmin` gRPC service: enroll, list, rescope and revoke devices, read the audit log,
//! see who syncs (`status`), replicate upstream now, make a device re-diff (`resync`). Every call
//! but WhoAmI needs the `admin` role, and an admin acts only within its own regions
//! (the checks live in `access.rs`, inside each call's transaction).

use std::sync::Arc;

use balai_shared::proto::v1::{self, balai_admin_server::BalaiAdmin};
use tonic::{Request, Response, Status};

use balai_shared::store::Store;

use crate::access::{Access, Actor, Device, Role};
use crate::auth::caller;
use crate::report::{self, UpstreamView};
use crate::status;
use crate::upstream::Upstream;

#[derive(Debug)]
pub struct AdminService {
    access: Arc<Access>,
    store: Arc<Store>,
    /// This server's name in sessions.
    name: String,
    upstream: Option<Upstream>,
    /// The analytics sink, if this server runs one.
    sink: Option<balai_sink::Sink>,
}

impl AdminService {
    pub fn new(
        access: Arc<Access>,
        store: Arc<Store>,
        name: String,
        upstream: Option<Upstream>,
        sink: Option<balai_sink::Sink>,
    ) -> Self {
        Self {
            access,
            store,
            name,
            upstream,
            sink,
        }
    }

    /// The upstream link as `admin` may see it: a root admin, or one whose regions contain the
    /// whole upstream scope (its figures count every village of it); `None` otherwise, or when
    /// there is no upstream.
    fn upstream_view(&self, admin: &Device) -> Result<Option<UpstreamView>, Status> {
        let Some(up) = &self.upstream else {
            return Ok(None);
        };
        let record = self
            .access
            .upstream(up.url())
            .map_err(|e| status::from_access(&e))?;
        if !may_see_upstream(admin, &record.scopes) {
            return Ok(None);
        }
        Ok(Some(UpstreamView {
            url: up.url().to_owned(),
            record,
            next_attempt_unix_ms: up.next_attempt_unix_ms(),
        }))
    }
}

/// Whether `admin` may see and steer the upstream link whose regions are `scopes`.
fn may_see_upstream(admin: &Device, scopes: &[String]) -> bool {
    if admin.scopes.is_empty() {
        return true;
    }
    let prefixes: Vec<_> = scopes.iter().filter_map(|s| s.parse().ok()).collect();
    !prefixes.is_empty() && crate::access::within(admin, &prefixes)
}

pub(crate) fn info(d: &Device) -> v1::DeviceInfo {
    v1::DeviceInfo {
        name: d.name.clone(),
        role: d.role.as_str().to_owned(),
        scopes: d.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
        created_unix: d.created_unix,
        revoked_unix: d.revoked_unix.unwrap_or(0),
    }
}

fn require_admin<T>(req: &Request<T>) -> Result<Device, Status> {
    let device = caller(req)?;
    if device.role != Role::Admin {
        return Err(Status::permission_denied(format!(
            "device `{}` has role {}; this needs an admin token",
            device.name, device.role
        )));
    }
    Ok(device)
}

#[tonic::async_trait]
impl BalaiAdmin for AdminService {
    async fn who_am_i(
        &self,
        req: Request<v1::WhoAmIRequest>,
    ) -> Result<Response<v1::DeviceInfo>, Status> {
        Ok(Response::new(info(&caller(&req)?)))
    }

    async fn list_devices(
        &self,
        req: Request<v1::ListDevicesRequest>,
    ) -> Result<Response<v1::ListDevicesResponse>, Status> {
        let admin = require_admin(&req)?;
        let devices = self
            .access
            .list_as(Actor::Admin(&admin))
            .map_err(|e| status::from_access(&e))?;
        Ok(Response::new(v1::ListDevicesResponse {
            devices: devices.iter().map(info).collect(),
        }))
    }

    async fn add_device(
        &self,
        req: Request<v1::AddDeviceRequest>,
    ) -> Result<Response<v1::AddDeviceResponse>, Status> {
        let admin = require_admin(&req)?;
        let r = req.into_inner();
        let role: Role = r.role.parse().map_err(|e| status::from_access(&e))?;
        let (device, token) = self
            .access
            .add_as(Actor::Admin(&admin), &r.name, role, &r.scopes)
            .map_err(|e| status::from_access(&e))?;
        tracing::info!(by = %admin.name, device = %device.name, role = %device.role, scope = %device.scopes_text(), "device enrolled");
        Ok(Response::new(v1::AddDeviceResponse {
            device: Some(info(&device)),
            token: token.0,
        }))
    }

    async fn revoke_device(
        &self,
        req: Request<v1::RevokeDeviceRequest>,
    ) -> Result<Response<v1::DeviceInfo>, Status> {
        let admin = require_admin(&req)?;
        let name = req.into_inner().name;
        let device = self
            .access
            .revoke_as(Actor::Admin(&admin), &name)
            .map_err(|e| status::from_access(&e))?;
        tracing::info!(by = %admin.name, device = %device.name, "device revoked");
        Ok(Response::new(info(&device)))
    }

    async fn rescope_device(
        &self,
        req: Request<v1::RescopeDeviceRequest>,
    ) -> Result<Response<v1::DeviceInfo>, Status> {
        let admin = require_admin(&req)?;
        let r = req.into_inner();
        let device = self
            .access
            .rescope_as(Actor::Admin(&admin), &r.name, &r.scopes)
            .map_err(|e| status::from_access(&e))?;
        let (access, store, rescoped) = (self.access.clone(), self.store.clone(), device.clone());
        let forgotten = tokio::task::spawn_blocking(move || {
            crate::resync::forget_outside_scope(&access, &store, &rescoped)
        })
        .await
        .map_err(|e| Status::internal(format!("rescope failed: {e}")))?
        .map_err(|e| status::from_resync(&e))?;
        tracing::debug!(device = %device.name, sync_states = forgotten, "forgot sync states outside the new regions");
        tracing::info!(by = %admin.name, device = %device.name, scope = %device.scopes_text(), "device rescoped");
        Ok(Response::new(info(&device)))
    }

    async fn audit(
        &self,
        req: Request<v1::AuditRequest>,
    ) -> Result<Response<v1::AuditResponse>, Status> {
        let admin = require_admin(&req)?;
        let r = req.into_inner();
        let limit = if r.limit == 0 {
            200
        } else {
            r.limit.min(10_000) as usize
        };
        let device = (!r.device.is_empty()).then_some(r.device.as_str());
        let entries = self
            .access
            .audit_log_as(Actor::Admin(&admin), device, r.since_unix, limit)
            .map_err(|e| status::from_access(&e))?;
        Ok(Response::new(v1::AuditResponse {
            entries: entries
                .into_iter()
                .map(|(id, e)| v1::AuditEntry {
                    id,
                    unix_ms: e.unix_ms,
                    device: e.device,
                    kind: e.kind,
                    outcome: e.outcome,
                    detail: e.detail,
                    docs_sent: e.docs_sent,
                    docs_received: e.docs_received,
                })
                .collect(),
        }))
    }

    async fn status(
        &self,
        req: Request<v1::StatusRequest>,
    ) -> Result<Response<v1::StatusResponse>, Status> {
        let admin = require_admin(&req)?;
        let upstream = self.upstream_view(&admin)?;
        let (access, store, name) = (self.access.clone(), self.store.clone(), self.name.clone());
        // The sink projects the whole store (its lag tells of every region's activity, its
        // failures name the database): only an unscoped admin sees it.
        let sink = self
            .sink
            .as_ref()
            .filter(|_| admin.scopes.is_empty())
            .map(balai_sink::Sink::status);
        // Reads the store (a document per village): off the async threads.
        let report = tokio::task::spawn_blocking(move || {
            let mut report =
                report::status(&access, &store, Actor::Admin(&admin), &name, upstream)?;
            report.sink = match sink {
                Some(sink) => Some(report::sink_status(&sink, store.last_seq()?)),
                None => None,
            };
            Ok::<_, report::ReportError>(report)
        })
        .await
        .map_err(|e| Status::internal(format!("status failed: {e}")))?
        .map_err(|e| status::from_report(&e))?;
        Ok(Response::new(report))
    }

    async fn sync_now(
        &self,
        req: Request<v1::SyncNowRequest>,
    ) -> Result<Response<v1::SyncNowResponse>, Status> {
        let admin = require_admin(&req)?;
        let Some(up) = &self.upstream else {
            return Err(Status::failed_precondition(
                "this server has no upstream; start it with --upstream URL --upstream-token TOKEN",
            ));
        };
        let Some(view) = self.upstream_view(&admin)? else {
            return Err(Status::permission_denied(format!(
                "admin `{}` may not steer this server's upstream: it replicates regions beyond yours",
                admin.name
            )));
        };
        tracing::info!(by = %admin.name, url = view.url, "upstream sync asked for");
        let outcome = up.sync_now().await;
        let view = self.upstream_view(&admin)?;
        let store = self.store.clone();
        let upstream = match view {
            Some(view) => Some(
                tokio::task::spawn_blocking(move || report::upstream_status(&store, view))
                    .await
                    .map_err(|e| Status::internal(format!("status failed: {e}")))?
                    .map_err(|e| status::from_store(&e))?,
            ),
            None => None,
        };
        let mut response = v1::SyncNowResponse {
            upstream,
            ..v1::SyncNowResponse::default()
        };
        match outcome {
            Ok(r) => {
                response.ok = true;
                response.docs_sent = r.docs_sent;
                response.docs_received = r.docs_received;
                response.bytes_sent = r.doc_bytes_sent;
                response.bytes_received = r.doc_bytes_received;
                response.round_trips = r.round_trips;
                response.millis = r.millis;
            }
            Err(reason) => response.error = reason,
        }
        Ok(Response::new(response))
    }

    async fn resync(
        &self,
        req: Request<v1::ResyncRequest>,
    ) -> Result<Response<v1::ResyncResponse>, Status> {
        let admin = require_admin(&req)?;
        let name = req.into_inner().name;
        let (access, store) = (self.access.clone(), self.store.clone());
        let done = tokio::task::spawn_blocking(move || {
            crate::resync::resync(&access, &store, Actor::Admin(&admin), &name)
        })
        .await
        .map_err(|e| Status::internal(format!("resync failed: {e}")))?
        .map_err(|e| status::from_resync(&e))?;
        Ok(Response::new(v1::ResyncResponse {
            device: Some(info(&done.device)),
            stores: u32::try_from(done.stores).unwrap_or(u32::MAX),
            sync_states_removed: done.sync_states,
        }))
    }
}
