//! Admins act only within their own regions, end to end with the real binaries: the security
//! finding (an admin scoped to one regency minted wider tokens, revoked the root admin and read the
//! whole audit log) reproduced and refused, and devices moved between regions with `rescope`.

use std::collections::BTreeSet;

use balai_e2e::{Device, Server, Value, ids, json, new_minutes, server_command};
use balai_shared::proto::v1::{self, balai_admin_client::BalaiAdminClient};
use tonic::{Code, Request};

/// Lampung Selatan, the regency the scoped admin manages.
const REGENCY: &str = "18.01";

fn rows(value: Value) -> Vec<Value> {
    match value {
        Value::Array(rows) => rows,
        other => panic!("expected a JSON list, got {other:#}"),
    }
}

/// The device names `balai admin device list --json` shows to `admin`.
fn listed(admin: &Device) -> BTreeSet<String> {
    rows(admin.json(&["admin", "device", "list", "--json"]))
        .iter()
        .map(|d| {
            d["name"]
                .as_str()
                .expect("a listed device has a name")
                .to_owned()
        })
        .collect()
}

fn add_args<'a>(name: &'a str, role: &'a str, scope: Option<&'a str>) -> Vec<&'a str> {
    let mut args = vec!["admin", "device", "add", "--name", name, "--role", role];
    if let Some(scope) = scope {
        args.extend(["--scope", scope]);
    }
    args
}

/// Puts an admin token on every request.
#[derive(Clone)]
struct Bearer(tonic::metadata::MetadataValue<tonic::metadata::Ascii>);

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut req: Request<()>) -> Result<Request<()>, tonic::Status> {
        req.metadata_mut().insert("authorization", self.0.clone());
        Ok(req)
    }
}

type RawAdmin = BalaiAdminClient<
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>,
>;

/// A runtime and a client of the admin API with `token`, to check the status codes behind the
/// CLI's messages.
fn raw_admin(url: &str, token: &str) -> (tokio::runtime::Runtime, RawAdmin) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let channel = rt
        .block_on(
            tonic::transport::Endpoint::from_shared(url.to_owned())
                .expect("url")
                .connect(),
        )
        .expect("connect");
    let header = format!("Bearer {token}").parse().expect("ascii token");
    (
        rt,
        BalaiAdminClient::with_interceptor(channel, Bearer(header)),
    )
}

#[test]
fn a_regency_admin_acts_only_inside_its_regency() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let root = server.admin();
    let regency_token = server.enroll("admin-1801", "admin", REGENCY);
    let regency = Device::init_with_token("admin-1801", &server.url(), &regency_token);

    // Another regency's data, recorded by its own facilitator.
    let tengah = server.device_scoped("hp-lampung-tengah", "18.02");
    let elsewhere = new_minutes(&tengah, "18.02.01.2001", "Musyawarah Lampung Tengah");
    tengah.sync();

    // The finding: wider facilitators, a server elsewhere and a root admin. All refused.
    for (name, role, scope) in [
        ("hp-province", "facilitator", "18"),
        ("hp-1802", "facilitator", "18.02"),
        ("hp-1804", "facilitator", "18.04"),
        ("srv-aceh", "server", "11"),
    ] {
        let err = regency.fail(&add_args(name, role, Some(scope)));
        assert!(
            err.contains(&format!(
                "region {scope} is outside your regions ({REGENCY})"
            )),
            "{name} ({role}, {scope}): {err}"
        );
    }
    let err = regency.fail(&[
        "admin",
        "device",
        "add",
        "--name",
        "hp-mixed",
        "--role",
        "facilitator",
        "--scope",
        "18.01.05,18.04",
    ]);
    assert!(
        err.contains("region 18.04 is outside"),
        "one outside prefix is enough: {err}"
    );
    let err = regency.fail(&add_args("admin-root-2", "admin", None));
    assert!(
        err.contains("created offline") && err.contains("balai-server device add"),
        "{err}"
    );
    let err = root.fail(&add_args("admin-root-3", "admin", None));
    assert!(
        err.contains("created offline"),
        "not even the root admin makes root admins over the API: {err}"
    );
    let enrolled = listed(root);
    for name in [
        "hp-province",
        "hp-1802",
        "hp-1804",
        "srv-aceh",
        "hp-mixed",
        "admin-root-2",
        "admin-root-3",
    ] {
        assert!(
            !enrolled.contains(name),
            "{name} was enrolled: {enrolled:?}"
        );
    }

    // The status codes behind those messages.
    let (rt, mut raw) = raw_admin(&server.url(), &regency_token);
    let wide = rt
        .block_on(raw.add_device(v1::AddDeviceRequest {
            name: "hp-wide".into(),
            role: "facilitator".into(),
            scopes: vec!["18".into()],
        }))
        .expect_err("wider than the admin");
    assert_eq!(wide.code(), Code::PermissionDenied, "{wide:?}");
    let unscoped = rt
        .block_on(raw.add_device(v1::AddDeviceRequest {
            name: "admin-wide".into(),
            role: "admin".into(),
            scopes: vec![],
        }))
        .expect_err("a root admin");
    assert_eq!(unscoped.code(), Code::PermissionDenied, "{unscoped:?}");

    // Inside its regency it enrolls as before, and that device syncs its district only.
    let kalianda_token = regency
        .ok(&add_args("hp-kalianda", "facilitator", Some("18.01.05")))
        .trim()
        .to_owned();
    let kalianda = Device::init_with_token("hp-kalianda", &server.url(), &kalianda_token);
    new_minutes(&kalianda, "18.01.05.2001", "Musyawarah Kalianda");
    let report = kalianda.sync();
    assert_eq!(report["docs_sent"], 1, "{report}");
    assert_eq!(
        report["docs_received"], 0,
        "nothing of 18.02 arrives: {report}"
    );
    let report = regency.sync();
    assert_eq!(report["docs_received"], 1, "{report}");
    assert!(
        !ids(&regency.list_json()).contains(&elsewhere),
        "the regency admin's own sync stays in its regency"
    );

    // It cannot revoke the root admin, nor anyone outside; the answer does not tell whether such
    // a device exists.
    let refused_root = regency.fail(&["admin", "device", "revoke", "e2e-admin"]);
    assert!(
        refused_root.contains("no device named `e2e-admin` is enrolled within your regions"),
        "{refused_root}"
    );
    let refused_missing = regency.fail(&["admin", "device", "revoke", "nobody"]);
    assert_eq!(
        refused_missing.replace("nobody", "e2e-admin"),
        refused_root,
        "an existing device outside and a missing one get the same answer"
    );
    regency.fail(&["admin", "device", "revoke", "hp-lampung-tengah"]);
    let status = rt
        .block_on(raw.revoke_device(v1::RevokeDeviceRequest {
            name: "e2e-admin".into(),
        }))
        .expect_err("the root admin is outside");
    assert_eq!(status.code(), Code::PermissionDenied, "{status:?}");
    assert!(
        listed(root).contains("e2e-admin"),
        "the root admin still works"
    );

    // Rescoping: both the device's current regions and the new ones must be inside.
    let err = regency.fail(&[
        "admin",
        "device",
        "rescope",
        "hp-kalianda",
        "--scope",
        "18.02",
    ]);
    assert!(
        err.contains("region 18.02 is outside your regions"),
        "{err}"
    );
    let err = regency.fail(&["admin", "device", "rescope", "hp-kalianda", "--scope", "18"]);
    assert!(err.contains("region 18 is outside"), "{err}");
    let err = regency.fail(&[
        "admin",
        "device",
        "rescope",
        "hp-lampung-tengah",
        "--scope",
        "18.01.05",
    ]);
    assert!(err.contains("within your regions"), "{err}");
    let err = regency.fail(&[
        "admin",
        "device",
        "rescope",
        "e2e-admin",
        "--scope",
        REGENCY,
    ]);
    assert!(err.contains("within your regions"), "{err}");
    let moved = regency.json(&[
        "admin",
        "device",
        "rescope",
        "hp-kalianda",
        "--scope",
        "18.01.06,18.01.05.2001",
        "--json",
    ]);
    assert_eq!(
        moved["scopes"],
        json!(["18.01.06", "18.01.05.2001"]),
        "{moved}"
    );

    // It sees only its regency's devices and their audit entries.
    assert_eq!(
        listed(&regency),
        BTreeSet::from(["admin-1801".to_owned(), "hp-kalianda".to_owned()])
    );
    let forged = Device::init_with_token(
        "hp-forged",
        &server.url(),
        &format!("bl1_hp-forged_{}", "0".repeat(64)),
    );
    forged.fail(&["sync"]);
    let log = rows(regency.json(&["admin", "audit", "--json"]));
    let devices: BTreeSet<&str> = log.iter().filter_map(|e| e["device"].as_str()).collect();
    assert_eq!(
        devices,
        BTreeSet::from(["admin-1801", "hp-kalianda"]),
        "{log:#?}"
    );
    for kind in ["enroll", "session", "rescope"] {
        assert!(
            log.iter()
                .any(|e| e["device"] == "hp-kalianda" && e["kind"] == kind),
            "{kind}: {log:#?}"
        );
    }
    assert!(
        rows(regency.json(&["admin", "audit", "--device", "e2e-admin", "--json"])).is_empty(),
        "asking by name does not help"
    );
    let everything = rows(root.json(&["admin", "audit", "--json"]));
    for device in ["hp-lampung-tengah", "hp-forged", "admin-1801", "e2e-admin"] {
        assert!(
            everything.iter().any(|e| e["device"] == device),
            "the root admin reads {device}'s entries: {everything:#?}"
        );
    }
}

#[test]
fn the_root_admin_rescopes_a_device_and_it_syncs_in_its_new_region() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let root = server.admin();
    let token = server.enroll("hp-mover", "facilitator", "18.01.05");
    let mover = Device::init_with_token("hp-mover", &server.url(), &token);
    let old = new_minutes(&mover, "18.01.05.2001", "Sebelum pindah");
    mover.sync();

    let table = root.ok(&[
        "admin", "device", "rescope", "hp-mover", "--scope", "18.02.03",
    ]);
    assert!(
        table.contains("hp-mover") && table.contains("18.02.03") && table.contains("active"),
        "{table}"
    );
    let err = root.fail(&["admin", "device", "rescope", "nobody", "--scope", "18"]);
    assert!(err.contains("no device named `nobody`"), "{err}");

    // The device keeps its token; the server's Hello tells it its new regions at its next sync,
    // and it sheds the old region's record (which the server holds).
    let report = mover.sync();
    assert_eq!(report["scopes"], json!(["18.02.03"]), "{report}");
    assert_eq!(report["out_of_scope"], json!([old.clone()]), "{report}");
    assert_eq!(
        report["removed_out_of_scope"][0]["id"],
        old.as_str(),
        "{report}"
    );
    assert!(ids(&mover.list_json()).is_empty());
    let new = new_minutes(&mover, "18.02.03.2001", "Sesudah pindah");
    let report = mover.sync();
    assert_eq!(report["docs_sent"], 1, "{report}");
    assert_eq!(report["out_of_scope"], json!([]), "{report}");

    let there = server.device_scoped("hp-1802", "18.02");
    there.sync();
    assert_eq!(ids(&there.list_json()), vec![new.clone()]);
    let before = server.device_scoped("hp-kalianda", "18.01.05");
    before.sync();
    assert_eq!(ids(&before.list_json()), vec![old]);

    let log = rows(root.json(&["admin", "audit", "--device", "hp-mover", "--json"]));
    assert!(
        log.iter().any(|e| e["kind"] == "rescope"
            && e["detail"]
                .as_str()
                .is_some_and(|d| d.contains("18.01.05 -> 18.02.03") && d.contains("e2e-admin"))),
        "{log:#?}"
    );
}

#[test]
fn offline_rescope_works_on_the_data_directory_and_may_make_a_root_admin() {
    let data = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(data.path());
    let token = server.enroll("admin-1801", "admin", REGENCY);
    let regency = Device::init_with_token("admin-1801", &server.url(), &token);
    assert_eq!(listed(&regency).len(), 1, "it sees only itself");
    server.kill9();

    let dir = data.path().display().to_string();
    let out = server_command(&["device", "rescope", "--data", &dir, "--name", "admin-1801"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("root admin"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = server_command(&[
        "device", "rescope", "--data", &dir, "--name", "nobody", "--scope", "18",
    ]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no device named `nobody`"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    server.restart();
    assert!(
        listed(&regency).contains("e2e-admin"),
        "now a root admin, it sees every device"
    );
}
