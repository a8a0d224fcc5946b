//! The `BalaiAdmin` gRPC service: enroll, list, rescope and revoke devices, read the audit log.
//! Every call but WhoAmI needs the `admin` role, and an admin acts only within its own regions
//! (the checks live in `access.rs`, inside each call's transaction).

use std::sync::Arc;

use balai_shared::proto::v1::{self, balai_admin_server::BalaiAdmin};
use tonic::{Request, Response, Status};

use crate::access::{Access, Actor, Device, Role};
use crate::auth::caller;
use crate::status;

#[derive(Debug)]
pub struct AdminService {
    access: Arc<Access>,
}

impl AdminService {
    pub fn new(access: Arc<Access>) -> Self {
        Self { access }
    }
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
}
