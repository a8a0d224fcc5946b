//! `balai report` as the binary runs it, in Bahasa Indonesia and English: a report printed from
//! a home's store, the JSON that is the same in both languages, and its errors with the exit
//! codes scripts rely on (snapshots, insta). Document ids, which differ on every run, are
//! replaced by placeholders of the same width so that tables keep their shape.

use std::process::Output;

const TODAY: &str = "2026-12-10";

mod common;
use common::{balai, text};

/// A home set up offline with one forum and one training, and the placeholders of their ids.
struct Field {
    home: tempfile::TempDir,
    placeholders: Vec<(String, String)>,
}

impl Field {
    fn new() -> Field {
        let home = tempfile::tempdir().expect("a temporary home");
        let mut field = Field {
            home,
            placeholders: Vec::new(),
        };
        field.ok(&[
            "init",
            "--server",
            "http://127.0.0.1:9",
            "--device",
            "hp-ani",
        ]);
        let forum = field.ok(&[
            "minutes",
            "new",
            "--village",
            "18.01.05.2001",
            "--title",
            "Musyawarah Dusun II",
            "--date",
            "2026-11-29",
        ]);
        field.remember(&forum, "MINUTES");
        for (name, gender, dusun) in [
            ("Siti Aminah", "f", "Dusun I"),
            ("Made", "m", "Dusun I"),
            ("Agus", "m", "Dusun II"),
            ("Budi", "m", "Dusun II"),
        ] {
            field.ok(&[
                "minutes", "attend", &forum, "--name", name, "--gender", gender, "--dusun", dusun,
            ]);
        }
        field.ok(&[
            "minutes",
            "follow-up",
            &forum,
            "--what",
            "Survei jalan",
            "--who",
            "Pak Kades",
            "--due",
            "2026-12-05",
        ]);
        let training = field.ok(&[
            "training",
            "new",
            "--village",
            "18.01.05.2001",
            "--topic",
            "Budidaya cabai",
            "--sessions",
            "2026-12-01,2026-12-08",
        ]);
        field.remember(&training, "TRAINING");
        for (name, gender, dusun) in [("Dewi", "f", "Dusun III"), ("Made", "m", "Dusun I")] {
            field.ok(&[
                "training", "enroll", &training, "--name", name, "--gender", gender, "--dusun",
                dusun,
            ]);
        }
        field.ok(&[
            "training",
            "check-in",
            &training,
            "--session",
            "1",
            "--name",
            "Made",
        ]);
        field
    }

    fn run(&self, lang: &str, args: &[&str]) -> Output {
        balai(self.home.path(), lang, args)
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run("en", args);
        assert!(
            out.status.success(),
            "balai {args:?} failed: {}",
            text(&out.stderr)
        );
        text(&out.stdout).trim().to_owned()
    }

    /// Replace the ULID of `id` by `<NAME--…>` of the same width.
    fn remember(&mut self, id: &str, name: &str) {
        let value = id.rsplit('/').next().unwrap_or(id);
        let dashes = value.len().saturating_sub(name.len() + 2);
        self.placeholders
            .push((value.to_owned(), format!("<{name}{}>", "-".repeat(dashes))));
    }

    fn stable(&self, text: &str) -> String {
        let mut text = text.to_owned();
        for (value, placeholder) in &self.placeholders {
            text = text.replace(value.as_str(), placeholder.as_str());
        }
        text
    }
}

#[test]
fn reports_print_in_both_languages_and_json_is_the_same() {
    let field = Field::new();
    for lang in ["id", "en"] {
        for report in ["attendance", "district"] {
            let out = field.run(lang, &["report", report, "--today", TODAY]);
            assert!(out.status.success(), "{}", text(&out.stderr));
            insta::assert_snapshot!(format!("{report}-{lang}"), field.stable(&text(&out.stdout)));
        }
    }
    for report in ["attendance", "forums", "district"] {
        let json = |lang| {
            field
                .run(lang, &["report", report, "--today", TODAY, "--json"])
                .stdout
        };
        assert_eq!(
            json("id"),
            json("en"),
            "{report} --json is language-neutral"
        );
    }
}

/// Exit code and stderr, as a script sees them.
fn failure(out: &Output) -> String {
    format!(
        "exit {}\n{}",
        out.status.code().unwrap_or(-1),
        text(&out.stderr)
    )
}

#[test]
fn report_errors_in_both_languages() {
    let field = Field::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("kecamatan.html");
    let page_arg = page.to_str().expect("a UTF-8 path");
    let out = field.run("en", &["report", "district", "--html", page_arg]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    for lang in ["id", "en"] {
        let cases: [(&str, Vec<&str>); 3] = [
            (
                "reversed-period",
                vec![
                    "report",
                    "attendance",
                    "--from",
                    "2026-12-02",
                    "--to",
                    "2026-12-01",
                ],
            ),
            (
                "bad-today",
                vec!["report", "forums", "--today", "10/12/2026"],
            ),
            (
                "html-exists",
                vec!["report", "district", "--html", page_arg],
            ),
        ];
        for (name, args) in cases {
            let out = field.run(lang, &args);
            let shown = failure(&out).replace(dir.path().to_str().unwrap_or("?"), "<DIR>");
            insta::assert_snapshot!(format!("error-{name}-{lang}"), shown);
        }
    }
    // --force replaces the page.
    let out = field.run("en", &["report", "district", "--html", page_arg, "--force"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&page).expect("the page");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("18.01.05.2001"));
}
