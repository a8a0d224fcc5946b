//! `balai report attendance|forums|district|activity`: the reports of `balai_shared::report` over
//! the documents in this home's store (a field device's, or an admin home's), as tables in the
//! reader's language, as CSV for a spreadsheet, as language-neutral JSON, or (district) as a
//! self-contained HTML page.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use balai_cli::actors::Actors;
use balai_cli::exit::Usage;
use balai_cli::home::Home;
use balai_cli::html::{self, file::WriteError};
use balai_cli::report_view::{self, activity::DeviceNames};
use balai_cli::tr;
use balai_shared::model::parse_date;
use balai_shared::region::RegionPrefix;
use balai_shared::report::{
    Corpus, Filter, FilterError, Table, activity, attendance, district, forums,
};
use clap::{Args, Subcommand, ValueEnum};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub(crate) enum ReportCmd {
    Attendance {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, requires = "csv")]
        table: Option<AttendanceTable>,
    },
    Forums {
        #[command(flatten)]
        common: Common,
        #[arg(
            long,
            value_name = "PERCENT",
            default_value_t = forums::Options::default().min_women_percent,
            value_parser = clap::value_parser!(u32).range(0..=100)
        )]
        min_women_share: u32,
        #[arg(long, value_enum, requires = "csv")]
        table: Option<ForumsTable>,
    },
    District {
        #[command(flatten)]
        common: Common,
        #[arg(
            long,
            value_name = "N",
            default_value_t = district::Options::default().stale_months,
            value_parser = clap::value_parser!(u32).range(1..=1200)
        )]
        stale_months: u32,
        #[arg(long, value_name = "FILE", conflicts_with_all = ["csv", "json"])]
        html: Option<PathBuf>,
        #[arg(long, requires = "html")]
        force: bool,
    },
    Activity {
        #[command(flatten)]
        common: Common,
        #[arg(long, value_enum, requires = "csv")]
        table: Option<ActivityTable>,
    },
}

/// What every report takes: which documents, as of when, and in which form.
#[derive(Debug, Args)]
pub(crate) struct Common {
    #[arg(long, value_name = "PREFIX")]
    village: Option<String>,
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    #[arg(long, value_name = "DATE")]
    today: Option<String>,
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    #[arg(long)]
    json: bool,
}

// The `--table` choices: each report's CSV tables, by the name `tables()` gives them (a test
// checks that they match). The first is what `--csv` writes without `--table`. No doc comments:
// clap would print them, in English, as help of each value.

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum AttendanceTable {
    Trainings,
    Sessions,
    Missed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ForumsTable {
    Forums,
    Villages,
    Participation,
    Proposals,
    #[value(name = "pending_follow_ups")]
    PendingFollowUps,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ActivityTable {
    Weeks,
    Devices,
}

/// The name of the table `choice` picks, or of the report's first choice without one.
fn table_name<T: ValueEnum>(choice: Option<T>) -> String {
    let first = T::value_variants().first();
    choice
        .as_ref()
        .or(first)
        .and_then(ValueEnum::to_possible_value)
        .map(|v| v.get_name().to_owned())
        .unwrap_or_default()
}

pub(crate) fn report(home: &Home, cmd: ReportCmd) -> anyhow::Result<()> {
    match cmd {
        ReportCmd::Attendance { common, table } => {
            let input = Input::read(home, &common)?;
            let r = attendance::compute(&input.corpus, &input.filter, input.today);
            emit(&common, &r, r.tables(), &table_name(table), || {
                report_view::attendance::render(&r)
            })
        }
        ReportCmd::Forums {
            common,
            min_women_share,
            table,
        } => {
            let input = Input::read(home, &common)?;
            let options = forums::Options {
                min_women_percent: min_women_share,
            };
            let r = forums::compute(&input.corpus, &input.filter, input.today, options);
            emit(&common, &r, r.tables(), &table_name(table), || {
                report_view::forums::render(&r)
            })
        }
        ReportCmd::District {
            common,
            stale_months,
            html,
            force,
        } => {
            let input = Input::read(home, &common)?;
            let options = district::Options { stale_months };
            let r = district::compute(&input.corpus, &input.filter, input.today, options);
            match html {
                Some(path) => {
                    let f = forums::compute(
                        &input.corpus,
                        &input.filter,
                        input.today,
                        forums::Options::default(),
                    );
                    write_page(&path, &r, &f, force)
                }
                None => emit(&common, &r, r.tables(), "villages", || {
                    report_view::district::render(&r)
                }),
            }
        }
        ReportCmd::Activity { common, table } => {
            let input = Input::read(home, &common)?;
            let tz = TimeZone::system();
            let r = activity::compute(&input.corpus, &input.filter, input.today, &tz);
            let names = device_names(home, &r)?;
            let zone = zone_name(&tz);
            let json = ActivityJson {
                time_zone: &zone,
                device_names: names.as_map(),
                report: &r,
            };
            let tables = report_view::activity::tables(&r, &names);
            emit(&common, &json, tables, &table_name(table), || {
                report_view::activity::render(&r, &names, &zone)
            })
        }
    }
}

/// The documents and the filter a report runs on, and the day it is "as of".
struct Input {
    corpus: Corpus,
    filter: Filter,
    today: Date,
}

impl Input {
    fn read(home: &Home, common: &Common) -> anyhow::Result<Self> {
        let village = common
            .village
            .as_deref()
            .map(str::parse::<RegionPrefix>)
            .transpose()?;
        let date = |field: &'static str, typed: &Option<String>| {
            typed.as_deref().map(|d| parse_date(field, d)).transpose()
        };
        let from = date("--from", &common.from)?;
        let to = date("--to", &common.to)?;
        // Today on this computer's calendar unless given: a report "as of" a fixed day is the
        // same whenever it is run again.
        let today = date("--today", &common.today)?.unwrap_or_else(|| jiff::Zoned::now().date());
        let filter = Filter::new(village, from, to).map_err(|e| match e {
            FilterError::Reversed { from, to } => Usage(tr!(
                "report-err-reversed",
                from = from.to_string(),
                to = to.to_string()
            )),
        })?;
        // A village's figures depend only on its own documents, so only the region is read.
        let mut corpus = Corpus::new();
        for (id, _) in home.store.docs()? {
            if !filter.covers_village(id.village()) {
                continue;
            }
            if let Some(doc) = home.store.load(&id)? {
                corpus.add(&id, &doc);
            }
        }
        Ok(Self {
            corpus,
            filter,
            today,
        })
    }
}

/// The report as asked: JSON, one CSV table, or the tables for people.
fn emit(
    common: &Common,
    report: &impl Serialize,
    tables: Vec<Table>,
    table: &str,
    render: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let bytes = if common.json {
        let mut json = serde_json::to_vec_pretty(report)?;
        json.push(b'\n');
        json
    } else if common.csv {
        let table = tables
            .iter()
            .find(|t| t.name == table)
            .with_context(|| format!("the report has no table {table:?}"))?;
        report_view::csv::to_csv(table)?
    } else {
        render().into_bytes()
    };
    // Written, not printed: `balai report … | head` closing the pipe is an error main treats as
    // success, where `print!` would panic.
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

/// `balai report activity --json`: the report's own keys, plus the time zone its days and weeks
/// are in and the device names the table shows (actor hex → name), which the report itself
/// leaves to the caller.
#[derive(Serialize)]
struct ActivityJson<'a> {
    time_zone: &'a str,
    device_names: &'a std::collections::BTreeMap<String, String>,
    #[serde(flatten)]
    report: &'a activity::ActivityReport,
}

/// Device names from the documents' signatures, and this home's own name for its own actor
/// (a device that has not signed anything yet still knows itself).
fn device_names(home: &Home, r: &activity::ActivityReport) -> anyhow::Result<DeviceNames> {
    let mut actors = Actors::open(&home.dir)?;
    actors.refresh(&home.store)?;
    let own = home.config.actor.to_ascii_lowercase();
    Ok(DeviceNames::of(r, |actor| {
        actors
            .name(actor)
            .map(str::to_owned)
            .or_else(|| (actor == own).then(|| home.config.device.clone()))
    }))
}

/// The time zone's IANA name, or its offset from UTC now when it has none (a `TZ` rule).
fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().map_or_else(
        || format!("UTC{}", tz.to_offset(jiff::Timestamp::now())),
        str::to_owned,
    )
}

fn write_page(
    path: &Path,
    district: &district::DistrictReport,
    forums: &forums::ForumsReport,
    force: bool,
) -> anyhow::Result<()> {
    let page =
        html::district_page(district, forums).with_context(|| tr!("report-err-html-chart"))?;
    html::file::write(path, page.as_bytes(), force).map_err(|e| {
        let shown = |p: &Path| p.display().to_string();
        match e {
            WriteError::Exists(p) => {
                anyhow::anyhow!(tr!("report-err-html-exists", path = shown(&p)))
            }
            WriteError::IsDirectory(p) => {
                anyhow::anyhow!(tr!("report-err-html-directory", path = shown(&p)))
            }
            WriteError::Io { path, source } => anyhow::Error::new(source)
                .context(tr!("report-err-html-write", path = shown(&path))),
        }
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        tr!("report-html-written", path = path.display().to_string())
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<T: ValueEnum>() -> Vec<String> {
        T::value_variants()
            .iter()
            .filter_map(ValueEnum::to_possible_value)
            .map(|v| v.get_name().to_owned())
            .collect()
    }

    fn sorted(mut v: Vec<String>) -> Vec<String> {
        v.sort();
        v
    }

    #[test]
    fn the_table_choices_are_the_reports_tables() {
        let corpus = Corpus::new();
        let all = Filter::everything();
        let today = jiff::civil::date(2026, 12, 1);
        let of = |tables: Vec<Table>| sorted(tables.iter().map(|t| t.name.to_owned()).collect());
        assert_eq!(
            sorted(names::<AttendanceTable>()),
            of(attendance::compute(&corpus, &all, today).tables())
        );
        assert_eq!(
            sorted(names::<ForumsTable>()),
            of(forums::compute(&corpus, &all, today, forums::Options::default()).tables())
        );
        let r = activity::compute(&corpus, &all, today, &TimeZone::UTC);
        assert_eq!(sorted(names::<ActivityTable>()), of(r.tables()));
        assert_eq!(
            of(district::compute(&corpus, &all, today, district::Options::default()).tables()),
            ["villages"]
        );
        assert_eq!(table_name::<ForumsTable>(None), "forums");
        assert_eq!(
            table_name(Some(ForumsTable::PendingFollowUps)),
            "pending_follow_ups"
        );
    }
}
