//! `balai minutes …`: record and edit forum minutes.

use anyhow::bail;
use balai_cli::exit::Usage;
use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::ids::DocKind;
use balai_shared::model::minutes;
use clap::Subcommand;

use super::{create, edit, person};

// Help texts: locales/*/help.ftl, `cmd-balai-minutes-*` and `arg-balai-minutes-*`.
#[derive(Debug, Subcommand)]
pub(crate) enum MinutesCmd {
    New {
        #[arg(long)]
        village: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        date: String,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        facilitator: Option<String>,
    },
    Attend {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
        #[arg(long)]
        role: Option<String>,
    },
    Note {
        id: String,
        text: String,
    },
    Agenda {
        id: String,
        text: String,
    },
    Propose {
        id: String,
        text: String,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        priority: Option<String>,
    },
    Support {
        id: String,
        proposal: String,
        #[arg(long, default_value_t = 1)]
        count: i64,
    },
    Decide {
        id: String,
        text: String,
    },
    FollowUp {
        id: String,
        #[arg(long)]
        what: String,
        #[arg(long)]
        who: String,
        #[arg(long)]
        due: Option<String>,
    },
    FollowUpStatus {
        id: String,
        follow_up: String,
        status: String,
    },
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
                minutes::Recorded::Added(k) => {
                    eprintln!("{}", tr!("minutes-attendee-added", key = k.as_str()))
                }
                minutes::Recorded::Updated(k) => {
                    eprintln!("{}", tr!("minutes-attendee-updated", key = k.as_str()))
                }
            }
        }
        MinutesCmd::Note { id, text } => {
            edit(home, &id, |doc| minutes::append_note(doc, &text))?;
            eprintln!("{}", tr!("minutes-note-added"));
        }
        MinutesCmd::Agenda { id, text } => {
            edit(home, &id, |doc| minutes::add_agenda_item(doc, &text))?;
            eprintln!("{}", tr!("minutes-agenda-added"));
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
                bail!(Usage(tr!("err-count-range", min = 1, max = 10_000)));
            }
            edit(home, &id, |doc| minutes::support(doc, &proposal, count))?;
            eprintln!("{}", tr!("minutes-support-counted"));
        }
        MinutesCmd::Decide { id, text } => {
            edit(home, &id, |doc| minutes::add_decision(doc, &text))?;
            eprintln!("{}", tr!("minutes-decision-added"));
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
            eprintln!("{}", tr!("minutes-follow-up-updated"));
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
                bail!(Usage(tr!("err-nothing-to-set")));
            }
            edit(home, &id, |doc| {
                changes
                    .iter()
                    .try_for_each(|(f, v)| minutes::set(doc, *f, v))
            })?;
            eprintln!("{}", tr!("minutes-updated"));
        }
    }
    Ok(())
}
