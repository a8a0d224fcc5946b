//! What `balai` prints, in Bahasa Indonesia and in English: snapshots (insta) of `show`, `list`,
//! `status`, a subcommand's help and one error of each kind, with the exit code scripts rely on.
//! Each test runs the real binary on a temporary home; ids, keys and ports, which differ on every
//! run, are replaced by placeholders.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use balai_server::ServerConfig;
use balai_server::access::Access;
use balai_shared::store::Store;

mod common;
use common::{balai, text};

/// Run a command that must succeed; its stdout.
fn ok(home: &Path, lang: &str, args: &[&str]) -> String {
    let out = balai(home, lang, args);
    assert!(
        out.status.success(),
        "balai {args:?} failed: {}",
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// A home set up offline, with the placeholders for what differs between runs.
struct Field {
    home: tempfile::TempDir,
    placeholders: Vec<(String, String)>,
}

impl Field {
    fn new(server: &str) -> Field {
        let home = tempfile::tempdir().expect("a temporary home");
        ok(
            home.path(),
            "en",
            &["init", "--server", server, "--device", "hp-ani"],
        );
        Field {
            home,
            placeholders: vec![(server.to_owned(), "<SERVER>".to_owned())],
        }
    }

    fn run(&self, lang: &str, args: &[&str]) -> Output {
        balai(self.home.path(), lang, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        ok(self.home.path(), "en", args).trim().to_owned()
    }

    /// `text` with every run-specific value replaced.
    fn stable(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (value, placeholder) in &self.placeholders {
            text = text.replace(value.as_str(), placeholder.as_str());
        }
        text
    }

    /// Replace `value` by `<NAME--…>` of the same width, so tables keep their shape. Of a
    /// document id only the ULID varies.
    fn remember(&mut self, value: &str, name: &str) {
        let value = value.rsplit('/').next().unwrap_or(value);
        let dashes = value.len().saturating_sub(name.len() + 2);
        self.placeholders
            .push((value.to_owned(), format!("<{name}{}>", "-".repeat(dashes))));
    }

    /// Forum minutes with attendees of each gender (and one unrecorded), a proposal, a
    /// follow-up, a note and a conflict-free status.
    fn minutes(&mut self) -> String {
        let id = self.ok(&[
            "minutes",
            "new",
            "--village",
            "18.01.05.2001",
            "--title",
            "Musyawarah Dusun II",
            "--date",
            "2026-11-29",
            "--place",
            "Balai Desa",
        ]);
        self.remember(&id, "MINUTES");
        for attendee in [
            &[
                "--name",
                "Siti Aminah",
                "--gender",
                "f",
                "--dusun",
                "II",
                "--role",
                "ketua PKK",
            ][..],
            &["--name", "Made Wirawan", "--gender", "m", "--dusun", "II"],
            &["--name", "Agus Salim", "--gender", "l", "--dusun", "I"],
            &["--name", "Rahmat Hidayat"],
        ] {
            let mut args = vec!["minutes", "attend", id.as_str()];
            args.extend_from_slice(attendee);
            self.ok(&args);
        }
        self.ok(&["minutes", "agenda", &id, "Perbaikan jalan Dusun II"]);
        let proposal = self.ok(&[
            "minutes",
            "propose",
            &id,
            "Perbaikan jalan sebelum musim hujan",
            "--by",
            "Pak RT",
            "--priority",
            "high",
        ]);
        self.remember(&proposal, "PROP");
        self.ok(&["minutes", "support", &id, &proposal, "--count", "1"]);
        self.ok(&[
            "minutes",
            "decide",
            &id,
            "Jalan diperbaiki lewat dana desa 2027",
        ]);
        let follow_up = self.ok(&[
            "minutes",
            "follow-up",
            &id,
            "--what",
            "Survei jalan",
            "--who",
            "Pak Kades",
            "--due",
            "2026-12-15",
        ]);
        self.remember(&follow_up, "TODO");
        self.ok(&[
            "minutes",
            "follow-up-status",
            &id,
            &follow_up,
            "in-progress",
        ]);
        self.ok(&["minutes", "note", &id, "Warga minta perbaikan jalan."]);
        self.ok(&["minutes", "set", &id, "--status", "final"]);
        id
    }

    /// A training with two sessions, one participant of each gender, check-ins and a walk-in.
    fn training(&mut self) -> (String, Vec<String>) {
        let id = self.ok(&[
            "training",
            "new",
            "--village",
            "18.01.05.2001",
            "--topic",
            "Budidaya cabai",
            "--category",
            "pertanian",
            "--sessions",
            "2026-12-01,2026-12-08",
        ]);
        self.remember(&id, "TRAINING");
        self.ok(&[
            "training",
            "enroll",
            &id,
            "--name",
            "Dewi Lestari",
            "--gender",
            "p",
        ]);
        self.ok(&["training", "enroll", &id, "--name", "Agus", "--gender", "m"]);
        let mut said = Vec::new();
        // Each language: an enrolled person, a walk-in, and one already checked in.
        for (lang, names) in [
            ("id", ["Dewi Lestari", "Yohana", "Dewi Lestari"]),
            ("en", ["Agus", "Nur Aini", "Agus"]),
        ] {
            for name in names {
                let out = self.run(
                    lang,
                    &[
                        "training",
                        "check-in",
                        &id,
                        "--session",
                        "1",
                        "--name",
                        name,
                    ],
                );
                assert!(out.status.success(), "{}", text(&out.stderr));
                said.push(text(&out.stderr));
            }
        }
        (id, said)
    }
}

#[test]
fn show_list_and_status_in_both_languages() {
    let mut field = Field::new("http://127.0.0.1:9");
    let minutes = field.minutes();
    let (training, check_ins) = field.training();
    let store = field.run("en", &["status", "--json"]);
    let status: serde_json::Value =
        serde_json::from_slice(&store.stdout).expect("status --json is JSON");
    let store_id = status["store"].as_str().expect("a store id").to_owned();
    field.remember(store_id.get(..8).expect("a long id"), "STORE");
    for lang in ["id", "en"] {
        for (name, args) in [
            ("show-minutes", vec!["show", minutes.as_str()]),
            ("show-training", vec!["show", training.as_str()]),
            ("list", vec!["list"]),
            ("status", vec!["status"]),
        ] {
            let out = field.run(lang, &args);
            assert!(out.status.success(), "{}", text(&out.stderr));
            insta::assert_snapshot!(format!("{name}-{lang}"), field.stable(&text(&out.stdout)));
        }
    }
    // Walk-ins, repeats: said on stderr, in the language of the run.
    insta::assert_snapshot!("check-ins", check_ins.concat());

    // Scripts read the same JSON whatever the language: keys and stored values.
    let id_json = field
        .run("id", &["show", minutes.as_str(), "--json"])
        .stdout;
    let en_json = field
        .run("en", &["show", minutes.as_str(), "--json"])
        .stdout;
    assert_eq!(id_json, en_json);
    let doc: serde_json::Value = serde_json::from_slice(&en_json).expect("JSON");
    let genders: Vec<&serde_json::Value> = doc["minutes"]["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .map(|a| &a["gender"])
        .collect();
    assert_eq!(
        genders,
        [
            &serde_json::json!("m"),
            &serde_json::json!("m"),
            &serde_json::Value::Null,
            &serde_json::json!("f")
        ],
        "stored f/m, null when not recorded"
    );
    assert_eq!(doc["minutes"]["status"], "final");
    assert_eq!(
        field.run("id", &["list", "--json"]).stdout,
        field.run("en", &["list", "--json"]).stdout
    );
}

impl Field {
    /// Run `args` in `lang`, which must succeed; what it said on stderr.
    fn said(&self, lang: &str, args: &[&str]) -> String {
        let out = self.run(lang, args);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        text(&out.stderr)
    }

    /// Minutes and a training corrected in `lang`: removed entries of every section, two
    /// attendees who share a name, an archived record, a participant removed after a check-in,
    /// an added session with a corrected date, and a correction that changed nothing. Returns
    /// their ids and what each correction said.
    fn corrected(&mut self, lang: &str) -> (String, String, String) {
        let m = self.ok(&[
            "minutes",
            "new",
            "--village",
            "18.01.05.2001",
            "--title",
            "Musyawarah Dusun II",
            "--date",
            "2026-11-29",
        ]);
        self.remember(&m, "MINUTES");
        for (name, gender, dusun) in [
            ("Siti Aminah", "f", "II"),
            ("Siti Aminah", "f", "I"),
            ("Rahmat", "m", "II"),
        ] {
            self.ok(&[
                "minutes", "attend", &m, "--name", name, "--gender", gender, "--dusun", dusun,
            ]);
        }
        for text in ["Perbaikan jalan", "Sumur bor"] {
            self.ok(&["minutes", "agenda", &m, text]);
            self.ok(&["minutes", "decide", &m, text]);
        }
        let p = self.ok(&[
            "minutes",
            "propose",
            &m,
            "Sumur bor Dusun III",
            "--by",
            "Bu Wati",
        ]);
        self.remember(&p, "PROP");
        let f = self.ok(&[
            "minutes",
            "follow-up",
            &m,
            "--what",
            "Survei",
            "--who",
            "Pak Kades",
        ]);
        self.remember(&f, "TODO");
        let mut said = String::new();
        for args in [
            &[
                "minutes",
                "attendee-correct",
                &m,
                "Rahmat",
                "--new-name",
                "Rahmat Hidayat",
            ][..],
            &["minutes", "attendee-remove", &m, "Rahmat Hidayat"],
            &[
                "minutes",
                "agenda-edit",
                &m,
                "1",
                "Perbaikan jalan Dusun II",
            ],
            &[
                "minutes",
                "agenda-edit",
                &m,
                "1",
                "Perbaikan jalan Dusun II",
            ],
            &["minutes", "agenda-remove", &m, "2"],
            &["minutes", "decision-remove", &m, "1"],
            &["minutes", "proposal-edit", &m, &p, "--priority", "high"],
            &["minutes", "proposal-remove", &m, &p],
            &["minutes", "follow-up-remove", &m, &f],
            &["minutes", "follow-up-restore", &m, &f],
            &["archive", &m],
        ] {
            said.push_str(&self.said(lang, args));
        }

        let t = self.ok(&[
            "training",
            "new",
            "--village",
            "18.01.05.2001",
            "--topic",
            "Budidaya cabai",
            "--sessions",
            "2026-12-01",
        ]);
        self.remember(&t, "TRAINING");
        for (name, gender) in [("Dewi Lestari", "f"), ("Agus", "m")] {
            self.ok(&["training", "enroll", &t, "--name", name, "--gender", gender]);
            self.ok(&["training", "check-in", &t, "--session", "1", "--name", name]);
        }
        for args in [
            &[
                "training",
                "participant-correct",
                &t,
                "Agus",
                "--new-dusun",
                "I",
            ][..],
            &["training", "participant-remove", &t, "Agus"],
            &["training", "session-add", &t, "--date", "2026-12-08"],
        ] {
            said.push_str(&self.said(lang, args));
        }
        let shown: serde_json::Value =
            serde_json::from_str(&self.ok(&["show", &t, "--json"])).expect("JSON");
        let session = shown["training"]["sessions"][1]["key"]
            .as_str()
            .expect("an added session");
        self.remember(session, "SESSION");
        for args in [
            &[
                "training",
                "session-date",
                &t,
                "--session",
                "2",
                "--date",
                "2026-12-09",
            ][..],
            &[
                "training",
                "check-in",
                &t,
                "--session",
                "2",
                "--name",
                "Dewi Lestari",
            ],
            &[
                "training",
                "check-in-undo",
                &t,
                "--session",
                "2",
                "--name",
                "Dewi Lestari",
            ],
            &["archive", &t],
            &["unarchive", &t],
        ] {
            said.push_str(&self.said(lang, args));
        }
        (m, t, said)
    }
}

#[test]
fn corrections_in_both_languages() {
    let mut field = Field::new("http://127.0.0.1:9");
    for lang in ["id", "en"] {
        let (minutes, training, said) = field.corrected(lang);
        insta::assert_snapshot!(format!("corrections-said-{lang}"), field.stable(&said));
        for (name, id) in [
            ("show-corrected-minutes", &minutes),
            ("show-corrected-training", &training),
        ] {
            let out = field.run(lang, &["show", id]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            insta::assert_snapshot!(format!("{name}-{lang}"), field.stable(&text(&out.stdout)));
        }
    }
}

#[test]
fn help_in_both_languages() {
    let field = Field::new("http://127.0.0.1:9");
    for lang in ["id", "en"] {
        let out = field.run(lang, &["minutes", "new", "--help"]);
        assert_eq!(out.status.code(), Some(0), "help is not an error");
        insta::assert_snapshot!(format!("help-minutes-new-{lang}"), text(&out.stdout));
    }
    let out = field.run("id", &["--help"]);
    let help = text(&out.stdout);
    assert!(help.contains("Kode keluar:"), "{help}");
    assert!(
        help.contains("Perintah:") && help.contains("Opsi:"),
        "{help}"
    );
    // The flag wins over BALAI_LANG, for the help too.
    let out = field.run("id", &["--lang", "en", "--help"]);
    assert!(text(&out.stdout).contains("Exit codes:"));
}

#[test]
fn usage_errors_exit_2_in_both_languages() {
    let field = Field::new("http://127.0.0.1:9");
    for lang in ["id", "en"] {
        let bad_date = [
            "minutes",
            "new",
            "--village",
            "18.01.05.2001",
            "--title",
            "T",
            "--date",
            "29/11/2026",
        ];
        let out = field.run(lang, &bad_date);
        assert_eq!(out.status.code(), Some(2), "a bad date is a usage error");
        assert!(out.stdout.is_empty());
        insta::assert_snapshot!(format!("error-bad-date-{lang}"), text(&out.stderr));

        let out = field.run(
            lang,
            &[
                "minutes",
                "new",
                "--village",
                "18.01",
                "--title",
                "T",
                "--date",
                "2026-11-29",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "not a village code");
        insta::assert_snapshot!(format!("error-not-a-village-{lang}"), text(&out.stderr));

        let out = field.run(lang, &["list", "--nonsense"]);
        assert_eq!(out.status.code(), Some(2), "clap's own usage error");

        let out = field.run(lang, &["show", "ZZZZZZZZ"]);
        assert_eq!(out.status.code(), Some(1), "not found is no usage error");
        insta::assert_snapshot!(format!("error-no-match-{lang}"), text(&out.stderr));
    }
}

#[test]
fn an_unreachable_server_exits_3_in_both_languages() {
    // A port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let field = Field::new(&url);
    for lang in ["id", "en"] {
        let out = field.run(
            lang,
            &["sync", "--max-attempts", "2", "--retry-base-ms", "1"],
        );
        assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
        insta::assert_snapshot!(
            format!("error-unreachable-{lang}"),
            field.stable(&text(&out.stderr))
        );
    }
}

#[test]
fn a_refused_token_exits_4_in_both_languages() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let access = Arc::new(Access::in_memory().expect("access"));
    let listener = rt
        .block_on(balai_server::bind(([127, 0, 0, 1], 0).into()))
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(balai_server::run(
        listener,
        Arc::new(Store::in_memory(None).expect("store")),
        access.clone(),
        ServerConfig::default(),
        async {
            let _ = stopped.await;
        },
    ));
    // A well-formed token the server never issued.
    let forged = format!("bl1_hp-forged_{}", "0".repeat(64));
    let home = tempfile::tempdir().expect("a temporary home");
    ok(
        home.path(),
        "en",
        &["init", "--server", &url, "--token", &forged],
    );
    for lang in ["id", "en"] {
        let out = balai(home.path(), lang, &["sync"]);
        assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
        insta::assert_snapshot!(
            format!("error-refused-{lang}"),
            text(&out.stderr).replace(&url, "<SERVER>")
        );
    }
    let _ = stop.send(());
    rt.block_on(server).expect("join").expect("clean shutdown");
}

#[test]
fn the_home_remembers_a_language_and_the_locale_comes_first() {
    let field = Field::new("http://127.0.0.1:9");
    let home = field.home.path();
    let run = |env: &[(&str, &str)], args: &[&str]| -> String {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_balai"));
        cmd.arg("--home").arg(home).args(args);
        for var in ["BALAI_LANG", "BALAI_HOME", "LC_ALL", "LC_MESSAGES", "LANG"] {
            cmd.env_remove(var);
        }
        cmd.envs(env.iter().copied());
        let out = cmd.output().expect("run balai");
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    assert!(
        run(&[], &["list"]).starts_with("no documents yet"),
        "English by default"
    );
    assert!(
        run(&[("LANG", "C.UTF-8")], &["list"]).starts_with("no documents yet"),
        "C says nothing"
    );
    assert!(run(&[("LANG", "id_ID.UTF-8")], &["list"]).starts_with("belum ada dokumen"));
    assert_eq!(
        run(&[], &["lang", "id"]),
        "perangkat ini sekarang memakai Bahasa Indonesia\n",
        "said in the language just chosen"
    );
    let config = std::fs::read_to_string(home.join("balai.toml")).expect("config");
    assert!(config.contains("lang = \"id\""), "{config}");
    assert!(run(&[], &["list"]).starts_with("belum ada dokumen"));
    assert!(
        run(&[], &["minutes", "--help"]).contains("Penggunaan:"),
        "the help too"
    );
    assert!(
        run(&[("LANG", "en_US.UTF-8")], &["list"]).starts_with("no documents yet"),
        "an English locale comes before the home's setting"
    );
    assert!(run(&[("LANG", "C")], &["list"]).starts_with("belum ada dokumen"));
    assert!(run(&[], &["lang"]).contains("balai.toml"), "it says why");
    run(&[], &["lang", "auto"]);
    assert!(run(&[], &["list"]).starts_with("no documents yet"));
}
