//! `balai training …`: record trainings, enrollment and check-ins.

use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::ids::DocKind;
use balai_shared::model::{minutes, training};
use clap::Subcommand;

use super::{confirm, correct, create, edit, person, person_correction};

// Help texts: locales/*/help.ftl, `cmd-balai-training-*` and `arg-balai-training-*`.
#[derive(Debug, Subcommand)]
pub(crate) enum TrainingCmd {
    New {
        #[arg(long)]
        village: String,
        #[arg(long)]
        topic: String,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        trainer: Option<String>,
        #[arg(long, value_delimiter = ',', required = true)]
        sessions: Vec<String>,
    },
    Enroll {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
    },
    ParticipantCorrect {
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
    ParticipantRemove {
        id: String,
        name: String,
        #[arg(long)]
        dusun: Option<String>,
    },
    CheckIn {
        id: String,
        #[arg(long)]
        session: u32,
        #[arg(long)]
        name: String,
        #[arg(long)]
        dusun: Option<String>,
    },
    CheckInUndo {
        id: String,
        #[arg(long)]
        session: u32,
        #[arg(long)]
        name: String,
        #[arg(long)]
        dusun: Option<String>,
    },
    SessionAdd {
        id: String,
        #[arg(long)]
        date: String,
    },
    SessionDate {
        id: String,
        #[arg(long)]
        session: u32,
        #[arg(long)]
        date: String,
    },
}

pub(crate) fn training_cmd(home: &Home, cmd: TrainingCmd) -> anyhow::Result<()> {
    match cmd {
        TrainingCmd::New {
            village,
            topic,
            category,
            trainer,
            sessions,
        } => {
            let id = create(home, DocKind::Training, &village, |doc, v| {
                training::create(
                    doc,
                    v,
                    &training::NewTraining {
                        topic,
                        category,
                        trainer,
                        sessions,
                    },
                )
            })?;
            println!("{id}");
        }
        TrainingCmd::Enroll {
            id,
            name,
            gender,
            dusun,
        } => {
            let p = person(name, gender, dusun)?;
            let (_, outcome) = edit(home, &id, |doc| training::enroll(doc, &p))?;
            match outcome {
                minutes::Recorded::Added(k) => {
                    eprintln!("{}", tr!("training-enrolled", key = k.as_str()))
                }
                minutes::Recorded::Updated(k) => {
                    eprintln!("{}", tr!("training-enrollment-updated", key = k.as_str()))
                }
            }
        }
        TrainingCmd::ParticipantCorrect {
            id,
            name,
            dusun,
            new_name,
            gender,
            new_dusun,
        } => {
            let fix = person_correction(new_name, gender, new_dusun)?;
            let (_, key, changed) = correct(home, &id, |doc| {
                training::correct_participant(doc, &name, dusun.as_deref(), &fix)
            })?;
            confirm(
                changed,
                tr!("correction-participant-corrected", key = key.as_str()),
            );
        }
        TrainingCmd::ParticipantRemove { id, name, dusun } => {
            let (_, key, _) = correct(home, &id, |doc| {
                training::remove_participant(doc, &name, dusun.as_deref())
            })?;
            eprintln!(
                "{}",
                tr!("correction-participant-removed", key = key.as_str())
            );
        }
        TrainingCmd::CheckIn {
            id,
            session,
            name,
            dusun,
        } => {
            let device = home.config.device.clone();
            let (_, c) = edit(home, &id, |doc| {
                training::check_in(doc, session, &name, dusun.as_deref(), &device)
            })?;
            let key = c.key.as_str();
            let msg = if c.already {
                tr!("training-already-checked-in", key = key, session = session)
            } else if c.walk_in {
                tr!("training-checked-in-walk-in", key = key, session = session)
            } else {
                tr!("training-checked-in", key = key, session = session)
            };
            eprintln!("{msg}");
        }
        TrainingCmd::CheckInUndo {
            id,
            session,
            name,
            dusun,
        } => {
            let (_, key, _) = correct(home, &id, |doc| {
                training::undo_check_in(doc, session, &name, dusun.as_deref())
            })?;
            eprintln!(
                "{}",
                tr!(
                    "correction-check-in-undone",
                    key = key.as_str(),
                    session = session
                )
            );
        }
        TrainingCmd::SessionAdd { id, date } => {
            let (_, added, _) = correct(home, &id, |doc| training::add_session(doc, &date))?;
            eprintln!(
                "{}",
                tr!(
                    "correction-session-added",
                    number = added.number,
                    key = &added.key
                )
            );
        }
        TrainingCmd::SessionDate { id, session, date } => {
            let (_, (), changed) = correct(home, &id, |doc| {
                training::set_session_date(doc, session, &date)
            })?;
            confirm(
                changed,
                tr!(
                    "correction-session-date-set",
                    session = session,
                    date = &date
                ),
            );
        }
    }
    Ok(())
}
