//! `balai admin …`: device enrollment, rescoping and revocation and the audit log over gRPC, with
//! an admin token.

use balai_shared::proto::v1::{self, balai_admin_client::BalaiAdminClient};

use balai_net::client::{Connection, SyncFailure, classify, connect};

async fn client(
    conn: &Connection,
) -> Result<BalaiAdminClient<balai_net::client::AuthedChannel>, SyncFailure> {
    Ok(BalaiAdminClient::new(connect(conn).await?))
}

pub async fn who_am_i(conn: &Connection) -> Result<v1::DeviceInfo, SyncFailure> {
    Ok(client(conn)
        .await?
        .who_am_i(v1::WhoAmIRequest {})
        .await
        .map_err(classify)?
        .into_inner())
}

pub async fn add_device(
    conn: &Connection,
    name: &str,
    role: &str,
    scopes: &[String],
) -> Result<v1::AddDeviceResponse, SyncFailure> {
    let req = v1::AddDeviceRequest {
        name: name.to_owned(),
        role: role.to_owned(),
        scopes: scopes.to_vec(),
    };
    Ok(client(conn)
        .await?
        .add_device(req)
        .await
        .map_err(classify)?
        .into_inner())
}

pub async fn list_devices(conn: &Connection) -> Result<Vec<v1::DeviceInfo>, SyncFailure> {
    Ok(client(conn)
        .await?
        .list_devices(v1::ListDevicesRequest {})
        .await
        .map_err(classify)?
        .into_inner()
        .devices)
}

pub async fn revoke_device(conn: &Connection, name: &str) -> Result<v1::DeviceInfo, SyncFailure> {
    let req = v1::RevokeDeviceRequest {
        name: name.to_owned(),
    };
    Ok(client(conn)
        .await?
        .revoke_device(req)
        .await
        .map_err(classify)?
        .into_inner())
}

pub async fn rescope_device(
    conn: &Connection,
    name: &str,
    scopes: &[String],
) -> Result<v1::DeviceInfo, SyncFailure> {
    let req = v1::RescopeDeviceRequest {
        name: name.to_owned(),
        scopes: scopes.to_vec(),
    };
    Ok(client(conn)
        .await?
        .rescope_device(req)
        .await
        .map_err(classify)?
        .into_inner())
}

pub async fn audit(
    conn: &Connection,
    device: Option<&str>,
    since_unix: i64,
    limit: u32,
) -> Result<Vec<v1::AuditEntry>, SyncFailure> {
    let req = v1::AuditRequest {
        device: device.unwrap_or_default().to_owned(),
        since_unix,
        limit,
    };
    Ok(client(conn)
        .await?
        .audit(req)
        .await
        .map_err(classify)?
        .into_inner()
        .entries)
}

pub async fn status(conn: &Connection) -> Result<v1::StatusResponse, SyncFailure> {
    Ok(client(conn)
        .await?
        .status(v1::StatusRequest {})
        .await
        .map_err(classify)?
        .into_inner())
}

/// Waits for the server's upstream sync to finish, however long it takes.
pub async fn sync_now(conn: &Connection) -> Result<v1::SyncNowResponse, SyncFailure> {
    Ok(client(conn)
        .await?
        .sync_now(v1::SyncNowRequest {})
        .await
        .map_err(classify)?
        .into_inner())
}

pub async fn resync(conn: &Connection, name: &str) -> Result<v1::ResyncResponse, SyncFailure> {
    let req = v1::ResyncRequest {
        name: name.to_owned(),
    };
    Ok(client(conn)
        .await?
        .resync(req)
        .await
        .map_err(classify)?
        .into_inner())
}
