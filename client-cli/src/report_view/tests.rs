//! Snapshots of every report as rendered, in Bahasa Indonesia and English, from the fixture
//! corpus; and the CSV of a table. The figures themselves are checked by hand in
//! `balai_shared::report`'s tests and end to end in `tests/tests/reports.rs`; these pin the
//! layout, the labels and the flags.

use balai_shared::report::{Filter, activity, attendance, district, forums};
use jiff::tz::{Offset, TimeZone};

use super::activity::DeviceNames;
use super::fixture::{self, AA, TODAY};
use crate::i18n::{Lang, with};

fn both(name: &str, render: impl Fn() -> String) {
    for lang in Lang::ALL {
        let text = with(lang, &render);
        insta::assert_snapshot!(format!("{name}-{}", lang.code()), text);
    }
}

#[test]
fn attendance_in_both_languages() {
    let report = attendance::compute(&fixture::corpus(), &Filter::everything(), TODAY);
    both("attendance", || super::attendance::render(&report));
}

#[test]
fn forums_in_both_languages() {
    let report = forums::compute(
        &fixture::corpus(),
        &Filter::everything(),
        TODAY,
        forums::Options::default(),
    );
    both("forums", || super::forums::render(&report));
}

#[test]
fn district_in_both_languages() {
    let report = district::compute(
        &fixture::corpus(),
        &Filter::everything(),
        TODAY,
        district::Options::default(),
    );
    both("district", || super::district::render(&report));
}

#[test]
fn a_filtered_district_says_what_it_covers() {
    let filter = Filter::new(
        Some("18.01.06".parse().expect("valid")),
        Some(jiff::civil::date(2026, 10, 1)),
        Some(jiff::civil::date(2026, 10, 31)),
    )
    .expect("filter");
    let report = district::compute(
        &fixture::corpus(),
        &filter,
        TODAY,
        district::Options::default(),
    );
    both("district-filtered", || super::district::render(&report));
}

#[test]
fn activity_in_both_languages() {
    let wib = TimeZone::fixed(Offset::constant(7));
    let report = activity::compute(
        &fixture::activity_corpus(),
        &Filter::everything(),
        TODAY,
        &wib,
    );
    let aa = automerge::ActorId::from(AA.as_slice()).to_hex_string();
    let names = DeviceNames::of(&report, |actor| (actor == aa).then(|| "hp-rina".to_owned()));
    both("activity", || {
        super::activity::render(&report, &names, "UTC+07:00")
    });

    // The CSV names the device beside its actor id, and leaves the name empty when unknown.
    let tables = super::activity::tables(&report, &names);
    let devices = tables
        .iter()
        .find(|t| t.name == "devices")
        .expect("a devices table");
    let csv = String::from_utf8(super::csv::to_csv(devices).expect("csv")).expect("utf-8");
    insta::assert_snapshot!("activity-devices-csv", csv);
}

#[test]
fn empty_reports_say_so() {
    let corpus = balai_shared::report::Corpus::new();
    let all = Filter::everything();
    both("empty", || {
        [
            super::attendance::render(&attendance::compute(&corpus, &all, TODAY)),
            super::forums::render(&forums::compute(
                &corpus,
                &all,
                TODAY,
                forums::Options::default(),
            )),
            super::district::render(&district::compute(
                &corpus,
                &all,
                TODAY,
                district::Options::default(),
            )),
            super::activity::render(
                &activity::compute(&corpus, &all, TODAY, &TimeZone::UTC),
                &DeviceNames::default(),
                "UTC",
            ),
        ]
        .join("\n")
    });
}

#[test]
fn the_district_csv_is_the_reports_table() {
    let report = district::compute(
        &fixture::corpus(),
        &Filter::everything(),
        TODAY,
        district::Options::default(),
    );
    let tables = report.tables();
    let csv = String::from_utf8(super::csv::to_csv(&tables[0]).expect("csv")).expect("utf-8");
    insta::assert_snapshot!("district-csv", csv);
}
