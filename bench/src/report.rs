//! One row per scenario, printed as a Markdown table (pasteable into BENCHMARKS.md) or JSON.

use serde::Serialize;

/// What one scenario measured.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Row {
    pub scenario: String,
    /// Documents in the device's scope (stored on both sides when in sync).
    pub docs: u64,
    /// Documents that carried changes, either way.
    pub moved: u64,
    /// Automerge changes carried, either way.
    pub changes: u64,
    /// Application bytes: automerge sync-message bytes the engine handed to the transport.
    pub app_up: u64,
    pub app_down: u64,
    /// Wire bytes: TCP payload between client and server (HTTP/2, gRPC framing, gzip).
    pub wire_up: u64,
    pub wire_down: u64,
    pub round_trips: u64,
    pub wall_ms: f64,
    /// The server process's peak resident memory during the scenario.
    pub server_peak_rss_kib: u64,
    /// CPU seconds used meanwhile by the server, and by this process (clients and relay).
    pub server_cpu_s: f64,
    pub client_cpu_s: f64,
    /// The target, in words ("" when the issue sets none).
    pub target: String,
    /// Whether the measured figures meet it.
    pub met: Option<bool>,
    /// Scenario-specific figures (percentiles, ratios, resent bytes).
    pub detail: String,
    /// The hostile scenario's figures (percentiles both ways, the attacker's attempts and the
    /// server's answers), for the JSON output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostile: Option<crate::hostile::HostileFigures>,
    /// The sink scenario's figures (projection rate, lag, session latency), for the JSON output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sink: Option<crate::sink::SinkFigures>,
}

fn bytes(n: u64) -> String {
    if n < 10 * 1024 {
        format!("{n} B")
    } else if n < 10 * 1024 * 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    }
}

fn millis(ms: f64) -> String {
    if ms < 10_000.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{:.1} s", ms / 1000.0)
    }
}

/// The table, Markdown, then one line of detail per scenario.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    out.push_str(
        "| scenario | docs | moved | changes | app up | app down | wire up | wire down | round trips | wall | server peak RSS | target | met |\n",
    );
    out.push_str("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} MiB | {} | {} |\n",
            r.scenario,
            r.docs,
            r.moved,
            r.changes,
            bytes(r.app_up),
            bytes(r.app_down),
            bytes(r.wire_up),
            bytes(r.wire_down),
            r.round_trips,
            millis(r.wall_ms),
            r.server_peak_rss_kib as f64 / 1024.0,
            if r.target.is_empty() {
                "—"
            } else {
                &r.target
            },
            match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "—",
            }
        ));
    }
    out.push('\n');
    for r in rows {
        let cpu = if r.server_cpu_s + r.client_cpu_s >= 0.05 {
            format!(
                "CPU: server {:.1} s, clients {:.1} s",
                r.server_cpu_s, r.client_cpu_s
            )
        } else {
            String::new()
        };
        let text = [r.detail.as_str(), cpu.as_str()]
            .into_iter()
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
        if !text.is_empty() {
            out.push_str(&format!("- {}: {}\n", r.scenario, text));
        }
    }
    out
}
