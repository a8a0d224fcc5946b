//! `balai minutes …`: record and edit forum minutes.

use anyhow::bail;
use balai_cli::home::Home;
use balai_shared::ids::DocKind;
use balai_shared::model::minutes;
use clap::Subcommand;

use super::{create, edit, person};

#[derive(Debug, Subcommand)]
pub(crate) enum MinutesCmd {
    /// Start new minutes; prints the new document id.
    New {
        /// Village code (Kemendagri), e.g. 18.01.05.2001
        #[arg(long)]
        village: String,
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        facilitator: Option<String>,
    },
    /// Record an attendee.
    Attend {
        id: String,
        #[arg(long)]
        name: String,
        /// f (perempuan) or m (laki-laki)
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
        /// Group or role, e.g. "ketua RT", "kelompok tani", "pemuda".
        #[arg(long)]
        role: Option<String>,
    },
    /// Append a paragraph to the notes.
    Note { id: String, text: String },
    /// Add an agenda item.
    Agenda { id: String, text: String },
    /// Record an aspiration or proposal; prints its key.
    Propose {
        id: String,
        text: String,
        /// Who raised it.
        #[arg(long)]
        by: Option<String>,
        /// high, medium or low
        #[arg(long)]
        priority: Option<String>,
    },
    /// Count supporters of a proposal (adds up across devices).
    Support {
        id: String,
        proposal: String,
        #[arg(long, default_value_t = 1)]
        count: i64,
    },
    /// Record a decision.
    Decide { id: String, text: String },
    /// Record a follow-up action; prints its key.
    FollowUp {
        id: String,
        #[arg(long)]
        what: String,
        #[arg(long)]
        who: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
    /// Set a follow-up's status: open, in-progress, done or dropped.
    FollowUpStatus {
        id: String,
        follow_up: String,
        status: String,
    },
    /// Change fields of the minutes.
    Set {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        facilitator: Option<String>,
        /// draft or final
        #[arg(long)]
        status: Option<String>,
    },
}

pub(crate) fn minutes_cmd(home: &Home, cmd: MinutesCmd) -> anyhow::Result<()> {
    match cmd {
        MinutesCmd::New {
            village,
            title,
            date,
            place,
            facilitator,
        } => {
            let id = create(home, DocKind::Minutes, &village, |doc, v| {
                minutes::create(
                    doc,
                    v,
                    &minutes::NewMinutes {
                        title,
                        date,
                        place,
                        facilitator,
                    },
                )
            })?;
            println!("{id}");
        }
        MinutesCmd::Attend {
            id,
            name,
            gender,
            dusun,
            role,
        } => {
            let p = person(name, gender, dusun)?;
            let (_, outcome) = edit(home, &id, |doc| minutes::attend(doc, &p, role.as_deref()))?;
            match outcome {
                minutes::Recorded::Added(k) => eprintln!("recorded attendee {}", k.as_str()),
                minutes::Recorded::Updated(k) => {
                    eprintln!("{} was already recorded; details updated", k.as_str())
                }
            }
        }
        MinutesCmd::Note { id, text } => {
            edit(home, &id, |doc| minutes::append_note(doc, &text))?;
            eprintln!("note added");
        }
        MinutesCmd::Agenda { id, text } => {
            edit(home, &id, |doc| minutes::add_agenda_item(doc, &text))?;
            eprintln!("agenda item added");
        }
        MinutesCmd::Propose {
            id,
            text,
            by,
            priority,
        } => {
            let (_, key) = edit(home, &id, |doc| {
                minutes::add_proposal(doc, &text, by.as_deref(), priority.as_deref())
            })?;
            println!("{key}");
        }
        MinutesCmd::Support {
            id,
            proposal,
            count,
        } => {
            if !(1..=10_000).contains(&count) {
                bail!("--count must be between 1 and 10000");
            }
            edit(home, &id, |doc| minutes::support(doc, &proposal, count))?;
            eprintln!("support counted");
        }
        MinutesCmd::Decide { id, text } => {
            edit(home, &id, |doc| minutes::add_decision(doc, &text))?;
            eprintln!("decision recorded");
        }
        MinutesCmd::FollowUp { id, what, who, due } => {
            let (_, key) = edit(home, &id, |doc| {
                minutes::add_follow_up(doc, &what, &who, due.as_deref())
            })?;
            println!("{key}");
        }
        MinutesCmd::FollowUpStatus {
            id,
            follow_up,
            status,
        } => {
            edit(home, &id, |doc| {
                minutes::set_follow_up_status(doc, &follow_up, &status)
            })?;
            eprintln!("follow-up updated");
        }
        MinutesCmd::Set {
            id,
            title,
            date,
            place,
            facilitator,
            status,
        } => {
            let changes: Vec<(minutes::Field, String)> = [
                (minutes::Field::Title, title),
                (minutes::Field::Date, date),
                (minutes::Field::Place, place),
                (minutes::Field::Facilitator, facilitator),
                (minutes::Field::Status, status),
            ]
            .into_iter()
            .filter_map(|(f, v)| v.map(|v| (f, v)))
            .collect();
            if changes.is_empty() {
                bail!(
                    "nothing to set: give at least one of --title, --date, --place, --facilitator, --status"
                );
            }
            edit(home, &id, |doc| {
                changes
                    .iter()
                    .try_for_each(|(f, v)| minutes::set(doc, *f, v))
            })?;
            eprintln!("updated");
        }
    }
    Ok(())
}
