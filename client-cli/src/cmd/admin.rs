//! `balai admin …`: devices, the audit log, status, sync-now and resync on the server, over the admin RPCs.

use balai_cli::home::Home;
use balai_cli::i18n::StatusLabels;
use balai_cli::tr;
use clap::Subcommand;

use super::runtime;

// Help texts: locales/*/help.ftl, `cmd-balai-admin-*` and `arg-balai-admin-*`.
#[derive(Debug, Subcommand)]
pub(crate) enum AdminCmd {
    #[command(subcommand)]
    Device(AdminDeviceCmd),
    Audit {
        #[arg(long)]
        device: Option<String>,
        #[arg(long)]
        since: Option<jiff::Timestamp>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    Status {
        #[arg(long)]
        stale_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    SyncNow {
        #[arg(long)]
        json: bool,
    },
    Resync {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminDeviceCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
    },
    List {
        #[arg(long)]
        json: bool,
    },
    Revoke {
        name: String,
    },
    Rescope {
        name: String,
        #[arg(long, value_delimiter = ',', required = true)]
        scope: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

/// A device as `balai admin device … --json` prints it.
pub(crate) fn device_json(d: &balai_shared::proto::v1::DeviceInfo) -> serde_json::Value {
    serde_json::json!({"name": d.name, "role": d.role, "scopes": d.scopes,
        "created_unix": d.created_unix, "revoked": d.revoked_unix != 0})
}

/// Devices as `balai admin device …` prints them.
pub(crate) fn device_table(devices: &[balai_shared::proto::v1::DeviceInfo]) -> comfy_table::Table {
    let when = |unix: i64| {
        jiff::Timestamp::from_second(unix)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header([
        tr!("admin-device-name"),
        tr!("admin-device-role"),
        tr!("admin-device-scope"),
        tr!("admin-device-enrolled"),
        tr!("admin-device-state"),
    ]);
    for d in devices {
        let state = if d.revoked_unix == 0 {
            tr!("admin-device-active")
        } else {
            tr!("admin-device-revoked", time = when(d.revoked_unix))
        };
        table.add_row([
            d.name.clone(),
            d.role.clone(),
            d.scopes.join(","),
            when(d.created_unix),
            state,
        ]);
    }
    table
}

pub(crate) fn admin(home: &Home, cmd: AdminCmd) -> anyhow::Result<()> {
    use balai_cli::admin as rpc;
    let rt = runtime()?;
    let conn = home.connection()?;
    match cmd {
        AdminCmd::Device(AdminDeviceCmd::Add { name, role, scope }) => {
            let r = rt.block_on(rpc::add_device(&conn, &name, &role, &scope))?;
            println!("{}", r.token);
            eprintln!("{}", tr!("admin-enrolled", name = &name));
            eprintln!(
                "  balai init --server {} --token {}",
                home.config.server, r.token
            );
        }
        AdminCmd::Device(AdminDeviceCmd::List { json }) => {
            let devices = rt.block_on(rpc::list_devices(&conn))?;
            if json {
                let rows: Vec<serde_json::Value> = devices.iter().map(device_json).collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!("{}", device_table(&devices));
            }
        }
        AdminCmd::Device(AdminDeviceCmd::Revoke { name }) => {
            let d = rt.block_on(rpc::revoke_device(&conn, &name))?;
            println!("{}", tr!("admin-revoked", name = &d.name));
        }
        AdminCmd::Device(AdminDeviceCmd::Rescope { name, scope, json }) => {
            let d = rt.block_on(rpc::rescope_device(&conn, &name, &scope))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&device_json(&d))?);
            } else {
                println!("{}", device_table(std::slice::from_ref(&d)));
                eprintln!("{}", tr!("admin-rescoped", name = &d.name));
            }
        }
        AdminCmd::Audit {
            device,
            since,
            limit,
            json,
        } => {
            let entries = rt.block_on(rpc::audit(
                &conn,
                device.as_deref(),
                since.map_or(0, |t| t.as_second()),
                limit,
            ))?;
            if json {
                let rows: Vec<serde_json::Value> = entries
                    .iter()
                    .map(|e| {
                        serde_json::json!({"id": e.id, "unix_ms": e.unix_ms, "device": e.device, "kind": e.kind,
                            "outcome": e.outcome, "detail": e.detail, "docs_sent": e.docs_sent, "docs_received": e.docs_received})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for e in entries {
                    let t = jiff::Timestamp::from_millisecond(e.unix_ms)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    let moved = tr!(
                        "admin-audit-moved",
                        sent = e.docs_sent,
                        received = e.docs_received
                    );
                    println!(
                        "{:>6} {t} {:<20} {:<9} {} ({moved}) {}",
                        e.id, e.device, e.kind, e.outcome, e.detail
                    );
                }
            }
        }
        AdminCmd::Status { stale_days, json } => {
            let status = rt.block_on(rpc::status(&conn))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                print!(
                    "{}",
                    balai_net::status_view::status_tables_in(&StatusLabels, &status, stale_days)
                );
            }
        }
        AdminCmd::SyncNow { json } => {
            let r = rt.block_on(rpc::sync_now(&conn))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{}",
                    balai_net::status_view::sync_now_summary_in(&StatusLabels, &r)
                );
            }
            if !r.ok {
                anyhow::bail!(tr!("err-upstream-failed", reason = &r.error));
            }
        }
        AdminCmd::Resync { name, json } => {
            let r = rt.block_on(rpc::resync(&conn, &name))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{}",
                    balai_net::status_view::resync_summary_in(&StatusLabels, &r)
                );
            }
        }
    }
    Ok(())
}
