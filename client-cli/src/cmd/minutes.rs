//! `balai minutes …`: record and edit forum minutes.

use anyhow::bail;
use balai_cli::exit::Usage;
use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::ids::DocKind;
use balai_shared::model::minutes;
use clap::Subcommand;

use super::{confirm, correct, create, edit, person, person_correction};

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
    AttendeeCorrect {
        id: String,
        name: String,
        #[arg(long)]
        dusun: Option<String>,
        #[arg(long)]
        new_name: Option<String>,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        new_dusun: Option<String>,
    },
    AttendeeRemove {
        id: String,
        name: String,
        #[arg(long)]
        dusun: Option<String>,
    },
    Note {
        id: String,
        text: String,
    },
    Agenda {
        id: String,
        text: String,
    },
    AgendaEdit {
        id: String,
        number: u32,
        text: String,
    },
    AgendaRemove {
        id: String,
        number: u32,
    },
    AgendaRestore {
        id: String,
        number: u32,
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
    ProposalEdit {
        id: String,
        proposal: String,
        #[arg(long)]
        text: Option<String>,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        priority: Option<String>,
    },
    ProposalRemove {
        id: String,
        proposal: String,
    },
    ProposalRestore {
        id: String,
        proposal: String,
    },
    Decide {
        id: String,
        text: String,
    },
    DecisionEdit {
        id: String,
        number: u32,
        text: String,
    },
    DecisionRemove {
        id: String,
        number: u32,
    },
    DecisionRestore {
        id: String,
        number: u32,
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
    FollowUpEdit {
        id: String,
        follow_up: String,
        #[arg(long)]
        what: Option<String>,
        #[arg(long)]
        who: Option<String>,
        #[arg(long)]
        due: Option<String>,
    },
    FollowUpRemove {
        id: String,
        follow_up: String,
    },
    FollowUpRestore {
        id: String,
        follow_up: String,
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
        MinutesCmd::AttendeeCorrect {
            id,
            name,
            dusun,
            new_name,
            gender,
            new_dusun,
        } => {
            let fix = person_correction(new_name, gender, new_dusun)?;
            let (_, key, changed) = correct(home, &id, |doc| {
                minutes::correct_attendee(doc, &name, dusun.as_deref(), &fix)
            })?;
            confirm(
                changed,
                tr!("correction-attendee-corrected", key = key.as_str()),
            );
        }
        MinutesCmd::AttendeeRemove { id, name, dusun } => {
            let (_, key, _) = correct(home, &id, |doc| {
                minutes::remove_attendee(doc, &name, dusun.as_deref())
            })?;
            eprintln!("{}", tr!("correction-attendee-removed", key = key.as_str()));
        }
        MinutesCmd::Note { id, text } => {
            edit(home, &id, |doc| minutes::append_note(doc, &text))?;
            eprintln!("{}", tr!("minutes-note-added"));
        }
        MinutesCmd::Agenda { id, text } => {
            edit(home, &id, |doc| minutes::add_agenda_item(doc, &text))?;
            eprintln!("{}", tr!("minutes-agenda-added"));
        }
        MinutesCmd::AgendaEdit { id, number, text } => {
            let (_, (), changed) = correct(home, &id, |doc| {
                minutes::edit_agenda_item(doc, number, &text)
            })?;
            confirm(changed, tr!("correction-agenda-edited", number = number));
        }
        MinutesCmd::AgendaRemove { id, number } => {
            correct(home, &id, |doc| minutes::remove_agenda_item(doc, number))?;
            eprintln!("{}", tr!("correction-agenda-removed", number = number));
        }
        MinutesCmd::AgendaRestore { id, number } => {
            correct(home, &id, |doc| minutes::restore_agenda_item(doc, number))?;
            eprintln!("{}", tr!("correction-agenda-restored", number = number));
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
        MinutesCmd::ProposalEdit {
            id,
            proposal,
            text,
            by,
            priority,
        } => {
            let change = minutes::ProposalEdit {
                text,
                raised_by: by,
                priority,
            };
            let (_, (), changed) = correct(home, &id, |doc| {
                minutes::edit_proposal(doc, &proposal, &change)
            })?;
            confirm(changed, tr!("correction-proposal-edited", key = &proposal));
        }
        MinutesCmd::ProposalRemove { id, proposal } => {
            correct(home, &id, |doc| minutes::remove_proposal(doc, &proposal))?;
            eprintln!("{}", tr!("correction-proposal-removed", key = &proposal));
        }
        MinutesCmd::ProposalRestore { id, proposal } => {
            let (_, (), changed) =
                correct(home, &id, |doc| minutes::restore_proposal(doc, &proposal))?;
            let said = if changed {
                tr!("correction-proposal-restored", key = &proposal)
            } else {
                tr!("correction-proposal-not-removed", key = &proposal)
            };
            eprintln!("{said}");
        }
        MinutesCmd::Decide { id, text } => {
            edit(home, &id, |doc| minutes::add_decision(doc, &text))?;
            eprintln!("{}", tr!("minutes-decision-added"));
        }
        MinutesCmd::DecisionEdit { id, number, text } => {
            let (_, (), changed) =
                correct(home, &id, |doc| minutes::edit_decision(doc, number, &text))?;
            confirm(changed, tr!("correction-decision-edited", number = number));
        }
        MinutesCmd::DecisionRemove { id, number } => {
            correct(home, &id, |doc| minutes::remove_decision(doc, number))?;
            eprintln!("{}", tr!("correction-decision-removed", number = number));
        }
        MinutesCmd::DecisionRestore { id, number } => {
            correct(home, &id, |doc| minutes::restore_decision(doc, number))?;
            eprintln!("{}", tr!("correction-decision-restored", number = number));
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
        MinutesCmd::FollowUpEdit {
            id,
            follow_up,
            what,
            who,
            due,
        } => {
            let change = minutes::FollowUpEdit { what, who, due };
            let (_, (), changed) = correct(home, &id, |doc| {
                minutes::edit_follow_up(doc, &follow_up, &change)
            })?;
            confirm(
                changed,
                tr!("correction-follow-up-edited", key = &follow_up),
            );
        }
        MinutesCmd::FollowUpRemove { id, follow_up } => {
            correct(home, &id, |doc| minutes::remove_follow_up(doc, &follow_up))?;
            eprintln!("{}", tr!("correction-follow-up-removed", key = &follow_up));
        }
        MinutesCmd::FollowUpRestore { id, follow_up } => {
            let (_, (), changed) =
                correct(home, &id, |doc| minutes::restore_follow_up(doc, &follow_up))?;
            let said = if changed {
                tr!("correction-follow-up-restored", key = &follow_up)
            } else {
                tr!("correction-follow-up-not-removed", key = &follow_up)
            };
            eprintln!("{said}");
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
