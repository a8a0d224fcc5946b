//! `balai archive ID` and `balai unarchive ID`: make a record of either kind read-only, or
//! editable again. An archived record stays on every device and keeps syncing; reports leave it
//! out.

use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::model;

use super::correct;

pub(crate) fn archive(home: &Home, typed: &str) -> anyhow::Result<()> {
    let (id, changed, _) = correct(home, typed, model::archive)?;
    let id = id.to_string();
    if changed {
        eprintln!("{}", tr!("correction-archived", id = id));
    } else {
        eprintln!("{}", tr!("correction-already-archived", id = id));
    }
    Ok(())
}

pub(crate) fn unarchive(home: &Home, typed: &str) -> anyhow::Result<()> {
    let (id, changed, _) = correct(home, typed, model::unarchive)?;
    let id = id.to_string();
    if changed {
        eprintln!("{}", tr!("correction-unarchived", id = id));
    } else {
        eprintln!("{}", tr!("correction-not-archived", id = id));
    }
    Ok(())
}
