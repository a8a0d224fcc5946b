//! The admin status views (`balai_net::status_view`, shared with the English-only
//! `balai-server`) in the current language: each of their phrases is a message of `status.ftl`.

use balai_net::status_view::{Column, Labels, Noun, Phrase, Row, Unit};

use crate::tr;

/// The [`Labels`] `balai admin` renders its status, sync-now and resync views with.
#[derive(Clone, Copy, Debug, Default)]
pub struct StatusLabels;

fn count(n: u64, noun: Noun) -> String {
    match noun {
        Noun::Document => tr!("status-count-documents", n = n),
        Noun::Change => tr!("status-count-changes", n = n),
        Noun::Device => tr!("status-count-devices", n = n),
        Noun::Village => tr!("status-count-villages", n = n),
        Noun::Day => tr!("status-count-days", n = n),
        Noun::RoundTrip => tr!("status-count-round-trips", n = n),
        Noun::Store => tr!("status-count-stores", n = n),
        Noun::SyncState => tr!("status-count-sync-states", n = n),
        Noun::Row => tr!("status-count-rows", n = n),
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

impl Labels for StatusLabels {
    fn phrase(&self, phrase: Phrase<'_>) -> String {
        match phrase {
            Phrase::Count { n, noun } => count(n, noun),
            Phrase::Span { n, unit } => match unit {
                Unit::Seconds => tr!("status-span-seconds", n = n),
                Unit::Minutes => tr!("status-span-minutes", n = n),
                Unit::Hours => tr!("status-span-hours", n = n),
                Unit::Days => tr!("status-span-days", n = n),
            },
            Phrase::In { span } => tr!("status-in", span = span),
            Phrase::Ago { span } => tr!("status-ago", span = span),
            Phrase::JustNow => tr!("status-just-now"),
            Phrase::NeverSynced => tr!("status-never-synced"),
            Phrase::Stale { days } => tr!("status-stale", days = days),
            Phrase::Header(column) => match column {
                Column::Device => tr!("status-col-device"),
                Column::Role => tr!("status-col-role"),
                Column::Scope => tr!("status-col-scope"),
                Column::LastSync => tr!("status-col-last-sync"),
                Column::DocsToFrom => tr!("status-col-docs-to-from"),
                Column::Sessions => tr!("status-col-sessions"),
                Column::LastFailure => tr!("status-col-last-failure"),
                Column::Silent => tr!("status-col-silent"),
                Column::Village => tr!("status-col-village"),
                Column::Documents => tr!("status-col-documents"),
                Column::LatestChange => tr!("status-col-latest-change"),
                Column::LatestSeq => tr!("status-col-latest-seq"),
            },
            Phrase::RowLabel(row) => match row {
                Row::Scopes => tr!("status-row-scopes"),
                Row::LastSuccess => tr!("status-row-last-success"),
                Row::LastFailure => tr!("status-row-last-failure"),
                Row::Pending => tr!("status-row-pending"),
                Row::NextAttempt => tr!("status-row-next-attempt"),
                Row::Connection => tr!("status-row-connection"),
                Row::Projected => tr!("status-row-projected"),
                Row::Written => tr!("status-row-written"),
            },
            Phrase::Never => tr!("status-never"),
            Phrase::Nothing => tr!("status-none"),
            Phrase::RevokedOn { day } => tr!("status-revoked-on", day = day),
            Phrase::Upstream { url, server } => match server {
                Some(name) => tr!("status-upstream-named", url = url, name = name),
                None => tr!("status-upstream", url = url),
            },
            Phrase::LastSuccess {
                moment,
                sent,
                received,
            } => tr!(
                "status-last-success",
                moment = moment,
                sent = sent,
                received = received
            ),
            Phrase::SucceededSince => tr!("status-succeeded-since"),
            Phrase::Failures { n } => tr!("status-failures", n = n),
            Phrase::NothingPending => tr!("status-nothing-pending"),
            Phrase::Pending { documents, changes } => tr!(
                "status-pending",
                documents = count(documents, Noun::Document),
                changes = count(changes, Noun::Change)
            ),
            Phrase::RunningOrUnknown => tr!("status-running-or-unknown"),
            Phrase::DueNow { at } => tr!("status-due-now", at = at),
            Phrase::Sink { url } => tr!("status-sink", url = url),
            Phrase::SinkConnection { connected: true } => tr!("status-sink-connected"),
            Phrase::SinkConnection { connected: false } => tr!("status-sink-disconnected"),
            Phrase::Projected {
                projected,
                latest,
                lag,
            } => tr!(
                "status-projected",
                projected = projected,
                latest = latest,
                lag = lag
            ),
            Phrase::Written { documents, rows } => tr!(
                "status-written",
                documents = count(documents, Noun::Document),
                rows = count(rows, Noun::Row)
            ),
            Phrase::Heading { server, at } => match server {
                Some(name) => tr!("status-heading-named", name = name, at = at),
                None => tr!("status-heading", at = at),
            },
            Phrase::NoDevices => tr!("status-no-devices"),
            Phrase::NoVillages => tr!("status-no-villages"),
            Phrase::NoUpstream => tr!("status-no-upstream"),
            Phrase::Summary {
                devices,
                revoked,
                silent,
                villages,
                documents,
            } => {
                let asked = silent.is_some();
                let (silent, days) = silent.unwrap_or((0, 0));
                tr!(
                    "status-summary",
                    devices = devices,
                    revoked = revoked,
                    asked = yes_no(asked),
                    silent = silent,
                    days = u64::from(days),
                    villages = villages,
                    documents = documents
                )
            }
            Phrase::Replicated {
                url,
                sent,
                received,
                kib,
                round_trips,
                millis,
            } => tr!(
                "status-replicated",
                has_url = yes_no(url.is_some()),
                url = url.unwrap_or_default(),
                sent = sent,
                received = received,
                kib = format!("{kib:.1}"),
                round_trips = round_trips,
                ms = millis
            ),
            Phrase::StillPending { documents, changes } => tr!(
                "status-still-pending",
                pending = tr!(
                    "status-pending",
                    documents = count(documents, Noun::Document),
                    changes = count(changes, Noun::Change)
                )
            ),
            Phrase::UpstreamFailed { error } => match error {
                Some(error) => tr!("status-upstream-failed", error = error),
                None => tr!("status-upstream-failed-no-reason"),
            },
            Phrase::CheckUpstream { url } => match url {
                Some(url) => tr!("status-check-upstream", url = url),
                None => tr!("status-check-upstream-unknown"),
            },
            Phrase::ResyncNothing { name, revoked } => tr!(
                "status-resync-nothing",
                name = name,
                revoked = yes_no(revoked)
            ),
            Phrase::ResyncForgot {
                name,
                stores,
                sync_states,
                revoked,
            } => tr!(
                "status-resync-forgot",
                name = name,
                stores = count(u64::from(stores), Noun::Store),
                sync_states = count(sync_states, Noun::SyncState),
                revoked = yes_no(revoked)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};
    use balai_net::status_view::{English, sync_now_summary, sync_now_summary_in};
    use balai_shared::proto::v1;

    /// Every phrase, with values that exercise each branch.
    fn phrases() -> Vec<Phrase<'static>> {
        use Phrase::*;
        let mut all = vec![
            Span {
                n: 3,
                unit: Unit::Seconds,
            },
            Span {
                n: 3,
                unit: Unit::Minutes,
            },
            Span {
                n: 3,
                unit: Unit::Hours,
            },
            Span {
                n: 3,
                unit: Unit::Days,
            },
            In { span: "3 min" },
            Ago { span: "3 min" },
            JustNow,
            NeverSynced,
            Stale { days: 9 },
            Never,
            Nothing,
            RevokedOn { day: "2024-06-01" },
            Upstream {
                url: "https://prov.example:7443",
                server: Some("prov-lampung"),
            },
            Upstream {
                url: "https://prov.example:7443",
                server: None,
            },
            SucceededSince,
            NothingPending,
            RunningOrUnknown,
            DueNow {
                at: "2024-06-01 12:00 UTC",
            },
            Sink {
                url: "postgres://balai:***@db.example:5432/balai",
            },
            SinkConnection { connected: true },
            SinkConnection { connected: false },
            Heading {
                server: Some("kab"),
                at: "2024-06-01 12:00 UTC",
            },
            Heading {
                server: None,
                at: "2024-06-01 12:00 UTC",
            },
            NoDevices,
            NoVillages,
            NoUpstream,
            UpstreamFailed {
                error: Some("deadline exceeded"),
            },
            UpstreamFailed { error: None },
            CheckUpstream {
                url: Some("https://prov.example:7443"),
            },
            CheckUpstream { url: None },
        ];
        for n in [0, 1, 2] {
            all.push(Failures { n: n as u32 });
            for noun in [
                Noun::Document,
                Noun::Change,
                Noun::Device,
                Noun::Village,
                Noun::Day,
                Noun::RoundTrip,
                Noun::Store,
                Noun::SyncState,
                Noun::Row,
            ] {
                all.push(Count { n, noun });
            }
            all.push(LastSuccess {
                moment: "2 h ago (2024-06-01 10:00 UTC)",
                sent: n,
                received: 2,
            });
            all.push(Pending {
                documents: n,
                changes: 17,
            });
            all.push(Projected {
                projected: 125 - n,
                latest: 125,
                lag: n,
            });
            all.push(Written {
                documents: n,
                rows: n,
            });
            all.push(StillPending {
                documents: n,
                changes: 1,
            });
            all.push(Replicated {
                url: Some("https://prov.example:7443"),
                sent: n,
                received: 4,
                kib: 3.0,
                round_trips: n,
                millis: 350,
            });
            all.push(Replicated {
                url: None,
                sent: n,
                received: 4,
                kib: 3.0,
                round_trips: 2,
                millis: 350,
            });
            all.push(ResyncForgot {
                name: "ani",
                stores: n as u32,
                sync_states: n,
                revoked: n == 1,
            });
            for revoked in [0, 2] {
                all.push(Summary {
                    devices: n,
                    revoked,
                    silent: None,
                    villages: n,
                    documents: 12,
                });
                all.push(Summary {
                    devices: n,
                    revoked,
                    silent: Some((1, n as u32)),
                    villages: 2,
                    documents: n,
                });
            }
        }
        all.push(ResyncNothing {
            name: "budi",
            revoked: true,
        });
        all.push(ResyncNothing {
            name: "budi",
            revoked: false,
        });
        let columns = [
            Column::Device,
            Column::Role,
            Column::Scope,
            Column::LastSync,
            Column::DocsToFrom,
            Column::Sessions,
            Column::LastFailure,
            Column::Silent,
            Column::Village,
            Column::Documents,
            Column::LatestChange,
            Column::LatestSeq,
        ];
        all.extend(columns.map(Header));
        let rows = [
            Row::Scopes,
            Row::LastSuccess,
            Row::LastFailure,
            Row::Pending,
            Row::NextAttempt,
            Row::Connection,
            Row::Projected,
            Row::Written,
        ];
        all.extend(rows.map(RowLabel));
        all
    }

    #[test]
    fn in_english_every_phrase_reads_as_balai_server_prints_it() {
        // The Fluent messages and the server's English are two spellings of the same text:
        // `balai admin status` and `balai-server status` must not drift apart.
        with(Lang::En, || {
            for p in phrases() {
                assert_eq!(StatusLabels.phrase(p), English.phrase(p), "{p:?}");
            }
        });
    }

    #[test]
    fn in_indonesian_every_phrase_is_translated() {
        with(Lang::Id, || {
            for p in phrases() {
                let text = StatusLabels.phrase(p);
                assert!(!text.is_empty() && !text.starts_with("status-"), "{p:?}");
                assert_ne!(text, English.phrase(p), "not translated: {p:?}");
            }
            assert_eq!(
                StatusLabels.phrase(Phrase::Count {
                    n: 1,
                    noun: Noun::Document
                }),
                "1 dokumen"
            );
        });
    }

    /// A district server's status: one device that synced, one silent, one revoked; two
    /// villages; an upstream that failed lately; an analytics sink that lags and fails.
    fn status_response() -> v1::StatusResponse {
        const NOW: i64 = 1_717_243_200_000; // 2024-06-01 12:00 UTC
        const DAY: i64 = 86_400_000;
        let info = |name: &str, revoked_unix: i64| v1::DeviceInfo {
            name: name.to_owned(),
            role: "facilitator".to_owned(),
            scopes: vec!["18.01.05.2001".to_owned()],
            created_unix: NOW / 1000 - 90 * 86_400,
            revoked_unix,
        };
        v1::StatusResponse {
            server_name: "kec-kalianda".to_owned(),
            now_unix_ms: NOW,
            devices: vec![
                v1::DeviceStatus {
                    device: Some(info("hp-ani", 0)),
                    last_success_unix_ms: NOW - 3 * 60_000,
                    last_docs_sent: 3,
                    last_docs_received: 5,
                    sessions_ok: 12,
                    ..Default::default()
                },
                v1::DeviceStatus {
                    device: Some(info("hp-budi", 0)),
                    last_success_unix_ms: NOW - 9 * DAY,
                    last_failure_unix_ms: NOW - 2 * 3_600_000,
                    last_failure_phase: "connect".to_owned(),
                    last_failure_reason: "deadline exceeded".to_owned(),
                    sessions_ok: 4,
                    sessions_failed: 1,
                    ..Default::default()
                },
                v1::DeviceStatus {
                    device: Some(info("hp-citra", NOW / 1000 - 86_400)),
                    ..Default::default()
                },
            ],
            villages: vec![
                v1::VillageStatus {
                    village: "18.01.05.2001".to_owned(),
                    documents: 7,
                    latest_seq: 120,
                    latest_unix_ms: NOW - 3 * 60_000,
                },
                v1::VillageStatus {
                    village: "18.01.05.2002".to_owned(),
                    documents: 1,
                    latest_seq: 0,
                    latest_unix_ms: 0,
                },
            ],
            upstream: Some(v1::UpstreamStatus {
                url: "https://kab.example:7443".to_owned(),
                server_name: "kab-lampung-selatan".to_owned(),
                scopes: vec!["18.01.05".to_owned()],
                last_success_unix_ms: NOW - 2 * 3_600_000,
                last_docs_sent: 1,
                last_docs_received: 2,
                last_failure_unix_ms: NOW - 10 * 60_000,
                last_failure_reason: "transport error: connection refused".to_owned(),
                consecutive_failures: 3,
                pending_documents: 1,
                pending_changes: 4,
                next_attempt_unix_ms: NOW + 90_000,
            }),
            sink: Some(v1::SinkStatus {
                url: "postgres://balai:***@db.example:5432/balai".to_owned(),
                connected: false,
                projected_seq: 120,
                latest_seq: 125,
                lag: 5,
                documents_written: 40,
                rows_written: 312,
                last_success_unix_ms: NOW - 2 * 3_600_000,
                last_failure_unix_ms: NOW - 10 * 60_000,
                last_failure: "error connecting to server: Connection refused".to_owned(),
                consecutive_failures: 4,
            }),
        }
    }

    #[test]
    fn the_status_tables_in_both_languages() {
        let resp = status_response();
        let en = with(Lang::En, || {
            balai_net::status_view::status_tables_in(&StatusLabels, &resp, Some(7))
        });
        assert_eq!(en, balai_net::status_view::status_tables(&resp, Some(7)));
        let id = with(Lang::Id, || {
            balai_net::status_view::status_tables_in(&StatusLabels, &resp, Some(7))
        });
        insta::assert_snapshot!("admin-status-id", id);
        for text in [
            "sink analitik (PostgreSQL) postgres://balai:***@db.example:5432/balai",
            "tidak terhubung",
            "sampai urutan 120 dari 125 (tertinggal 5 entri feed)",
            "40 dokumen, 312 baris",
            "Connection refused (4 kali gagal berturut-turut)",
        ] {
            assert!(id.contains(text), "{text}: {id}");
        }
        for text in [
            "analytics sink (PostgreSQL) postgres://balai:***@db.example:5432/balai",
            "not connected",
            "up to seq 120 of 125 (5 feed entries behind)",
            "40 documents, 312 rows",
            "Connection refused (4 failures in a row)",
        ] {
            assert!(en.contains(text), "{text}: {en}");
        }
    }

    #[test]
    fn a_caught_up_sink_in_both_languages() {
        let mut resp = status_response();
        resp.sink = resp.sink.map(|s| v1::SinkStatus {
            connected: true,
            projected_seq: 125,
            lag: 0,
            last_success_unix_ms: resp.now_unix_ms - 42_000,
            last_failure_unix_ms: 0,
            last_failure: String::new(),
            consecutive_failures: 0,
            ..s
        });
        let en = with(Lang::En, || {
            balai_net::status_view::status_tables_in(&StatusLabels, &resp, None)
        });
        assert_eq!(en, balai_net::status_view::status_tables(&resp, None));
        assert!(en.contains("up to seq 125 of 125 (caught up)"), "{en}");
        let id = with(Lang::Id, || {
            balai_net::status_view::status_tables_in(&StatusLabels, &resp, None)
        });
        let sink = &id[id.find("sink analitik").expect("the sink section")..];
        assert!(sink.contains("  koneksi "), "{id}");
        assert!(
            sink.contains("terhubung") && !sink.contains("tidak terhubung"),
            "{id}"
        );
        assert!(
            sink.contains("sampai urutan 125 dari 125 (sudah mutakhir)"),
            "{id}"
        );
        assert!(
            sink.contains("42 detik yang lalu (2024-06-01 11:59 UTC)"),
            "{id}"
        );
        assert!(!sink.contains("gagal terakhir"), "{id}");

        // No sink: no section, in either language.
        resp.sink = None;
        for lang in [Lang::En, Lang::Id] {
            let text = with(lang, || {
                balai_net::status_view::status_tables_in(&StatusLabels, &resp, None)
            });
            assert!(!text.contains("PostgreSQL"), "{text}");
        }
    }

    #[test]
    fn sync_now_in_indonesian() {
        let resp = v1::SyncNowResponse {
            ok: true,
            docs_sent: 1,
            docs_received: 4,
            bytes_sent: 2048,
            bytes_received: 1024,
            round_trips: 2,
            millis: 350,
            ..Default::default()
        };
        assert_eq!(
            sync_now_summary(&resp),
            "replicated upstream: 1 document up, 4 down, 3.0 KiB, 2 round trips, 350 ms"
        );
        let text = with(Lang::Id, || sync_now_summary_in(&StatusLabels, &resp));
        assert_eq!(
            text,
            "replikasi ke server induk selesai: 1 dokumen naik, 4 turun, 3.0 KiB, 2 kali \
             bolak-balik, 350 ms"
        );
    }
}
