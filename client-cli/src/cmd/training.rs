//! `balai training …`: record trainings, enrollment and check-ins.

use balai_cli::home::Home;
use balai_shared::ids::DocKind;
use balai_shared::model::{minutes, training};
use clap::Subcommand;

use super::{create, edit, person};

#[derive(Debug, Subcommand)]
pub(crate) enum TrainingCmd {
    /// Start a new training; prints the new document id.
    New {
        #[arg(long)]
        village: String,
        #[arg(long)]
        topic: String,
        /// e.g. pertanian, kerajinan, usaha mikro
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        trainer: Option<String>,
        /// Session dates, comma-separated: 2026-12-01,2026-12-08
        #[arg(long, value_delimiter = ',', required = true)]
        sessions: Vec<String>,
    },
    /// Enroll a participant.
    Enroll {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
    },
    /// Check a person in to a session (enrolls walk-ins).
    CheckIn {
        id: String,
        /// Session number, from 1.
        #[arg(long)]
        session: u32,
        #[arg(long)]
        name: String,
        /// Needed when two participants share a name.
        #[arg(long)]
        dusun: Option<String>,
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
                minutes::Recorded::Added(k) => eprintln!("enrolled {}", k.as_str()),
                minutes::Recorded::Updated(k) => {
                    eprintln!("{} was already enrolled; details updated", k.as_str())
                }
            }
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
            let mut msg = format!("checked in {} to session {session}", c.key.as_str());
            if c.already {
                msg = format!(
                    "{} was already checked in to session {session}",
                    c.key.as_str()
                );
            } else if c.walk_in {
                msg.push_str(" (not enrolled before: enrolled as a walk-in)");
            }
            eprintln!("{msg}");
        }
    }
    Ok(())
}
