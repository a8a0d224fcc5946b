//! CI smoke test of the benchmark: `balai-bench --quick --json` runs every scenario at a small
//! size against the real server binary and reports sane figures. Nothing here is timed: the
//! figures that matter come from the full run on a quiet machine (BENCHMARKS.md).

use std::process::Command;

use serde_json::Value;

#[test]
fn quick_mode_reports_every_scenario_with_sane_figures() {
    let out = Command::new(env!("CARGO_BIN_EXE_balai-bench"))
        .args(["--quick", "--json"])
        .output()
        .expect("run balai-bench");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "balai-bench --quick failed:\n{stderr}"
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("balai-bench printed invalid JSON ({e}); stderr:\n{stderr}"));
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["scenario"].as_str().unwrap_or_default())
        .collect();
    for wanted in [
        "upload-",
        "initial-",
        "noop-reconnect",
        "noop-reconnect-",
        "store-open-",
        "baseline-noop",
        "one-change",
        "baseline-one-change",
        "initial-village",
        "many-devices",
        "field-day-2g",
        "hostile: none (before)",
        "hostile: bloom",
        "hostile: bloom 10^8",
        "hostile: hijack",
        "hostile: slots",
        "hostile: parts",
        "hostile: doc-bomb",
        "hostile: text-bomb",
        "hostile: none (after)",
        "regency: district",
        "sink: project",
        "sink: live load, sink caught up",
        "sink: live load, no sink",
        "sink: live load, sink re-projecting",
    ] {
        assert!(
            names.iter().any(|n| n.starts_with(wanted)),
            "no row for {wanted} in {names:?}"
        );
    }
    let num = |r: &Value, k: &str| r[k].as_f64().unwrap_or(-1.0);
    for r in &rows {
        if r["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("pending"))
        {
            continue;
        }
        let name = r["scenario"].as_str().unwrap_or_default();
        if name.starts_with("store-open-") {
            // Opening stores: no session, nothing on the wire.
            assert!(num(r, "docs") > 0.0 && num(r, "wall_ms") > 0.0, "{r:#}");
            continue;
        }
        if let Some(s) = r.get("sink") {
            sink_row_is_sane(name, r, s);
            if s["phase"] == "projection" {
                // No sync session: nothing on the wire.
                continue;
            }
        }
        for key in ["docs", "wire_up", "wire_down", "round_trips", "wall_ms"] {
            assert!(num(r, key) > 0.0, "{name}: {key} should be positive: {r:#}");
        }
        assert!(
            num(r, "server_peak_rss_kib") > 1024.0,
            "{name}: the server's peak RSS should be measured: {r:#}"
        );
        // Wire bytes include every application byte (gzip aside, which never shrinks a
        // handful of bytes to nothing), and a no-op moves no document.
        assert!(num(r, "moved") >= 0.0 && num(r, "changes") >= 0.0, "{r:#}");
        if name.starts_with("noop-reconnect") {
            assert_eq!(num(r, "moved"), 0.0, "a no-op moves nothing: {r:#}");
            assert_eq!(
                num(r, "round_trips"),
                1.0,
                "a no-op is one round trip: {r:#}"
            );
        }
        if name.starts_with("regency:") {
            // Counts, not timings: the feed entries the regency read, round trips and bytes of a
            // no-op pull are the same on any machine.
            assert_eq!(r["met"], true, "{name} meets its target: {r:#}");
        }
        if let Some(h) = r.get("hostile") {
            hostile_row_is_sane(name, h);
        }
        if name.starts_with("initial-") || name.starts_with("upload-") {
            assert!(
                num(r, "moved") >= num(r, "docs"),
                "{name} moves every document: {r:#}"
            );
        }
    }
}

/// A sink row: the projection completed with every document and its rows in PostgreSQL and
/// the lag at 0; every session of a live load succeeded, and with the sink running every
/// document the load pushed reached PostgreSQL and the lag came back to 0. Counts, not timings.
fn sink_row_is_sane(name: &str, r: &Value, s: &Value) {
    let count = |k: &str| s[k].as_u64().unwrap_or(0);
    let figure = |k: &str| s[k].as_f64().unwrap_or(0.0);
    assert!(
        r["server_peak_rss_kib"].as_f64().unwrap_or(0.0) > 1024.0,
        "{name}: the server's peak RSS should be measured: {r:#}"
    );
    if s["sink_running"] == true {
        assert_eq!(s["lag_reached_zero"], true, "{name}: lag never 0: {s:#}");
        assert!(count("documents_expected") > 0, "{name}: {s:#}");
        assert_eq!(
            count("documents_projected"),
            count("documents_expected"),
            "{name}: every document projected: {s:#}"
        );
        assert_eq!(r["met"], true, "{name} meets its target: {r:#}");
    }
    if s["phase"] == "projection" {
        assert_eq!(count("documents_expected"), r["docs"].as_u64().unwrap_or(0));
        assert!(
            count("rows") > count("documents_projected"),
            "{name}: a training is more than its documents row: {s:#}"
        );
        assert_eq!(
            count("rows"),
            count("rows_written"),
            "{name}: the tables hold what the sink says it wrote: {s:#}"
        );
        assert!(
            figure("docs_per_s") > 0.0 && figure("rows_per_s") > 0.0,
            "{s:#}"
        );
    } else {
        assert!(count("sessions") > 0, "{name}: no session: {s:#}");
        assert_eq!(
            count("session_failures"),
            0,
            "{name}: a session failed: {s:#}"
        );
        assert!(figure("p99_ms") > 0.0, "{name}: {s:#}");
    }
}

/// An attack row: the attacker got going, the server refused every attempt with the status the
/// protocol documents for it (or held the stream open, for the slots attack), and every
/// legitimate sync meanwhile succeeded. Timings are reported, not asserted.
fn hostile_row_is_sane(name: &str, h: &Value) {
    let count = |k: &str| h[k].as_u64().unwrap_or(0);
    let outcomes = h["outcomes"].as_object().cloned().unwrap_or_default();
    let seen = |code: &str| outcomes.get(code).and_then(Value::as_u64).unwrap_or(0);
    assert!(
        count("attempts") > 0,
        "{name}: the attacker made no attempt: {h:#}"
    );
    assert_eq!(
        count("legit_failures"),
        0,
        "{name}: a legitimate sync failed: {h:#}"
    );
    assert!(count("legit_syncs") > 0, "{name}: {h:#}");
    assert!(
        h["p99_ms"].as_f64().unwrap_or(0.0) > 0.0
            && h["unattacked_p99_ms"].as_f64().unwrap_or(0.0) > 0.0,
        "{name}: percentiles measured: {h:#}"
    );
    // The server completed none of the attacker's sessions and answered every one in time.
    assert_eq!(seen("OK"), 0, "{name}: an attack session completed: {h:#}");
    assert_eq!(
        seen("Timeout"),
        0,
        "{name}: an attack went unanswered: {h:#}"
    );
    // Refusals at open are held (the server's tarpit, up to 0.5 s when the slots are taken), so
    // a short quick phase may end before any is answered: what it must show is the attack's own
    // refusal, or for the slot and parts attacks, that no more than the per-device cap of 4
    // streams were ever let in.
    let expected: &[&str] = match h["attack"].as_str().unwrap_or_default() {
        "bloom" | "bloom 10^8" => &["InvalidArgument"],
        "hijack" => &["PermissionDenied"],
        "doc-bomb" | "text-bomb" => &["FailedPrecondition"],
        "slots" | "parts" => {
            let admitted = seen("held")
                + seen("held silent")
                + seen("ResourceExhausted")
                + seen("InvalidArgument");
            assert!(
                admitted <= 4 || seen("ResourceExhausted at open") > 0,
                "{name}: more streams than the per-device cap got in: {outcomes:?}"
            );
            &[
                "held",
                "ResourceExhausted at open",
                "ResourceExhausted",
                "InvalidArgument",
            ]
        }
        other => panic!("{name}: unknown attack {other}"),
    };
    assert!(
        expected.iter().any(|code| seen(code) > 0),
        "{name}: none of {expected:?} among {outcomes:?}"
    );
}
