//! `balai completions SHELL` and `balai man`: shell completions and a man page, generated from
//! the same command definitions the binary parses (in the language it speaks).

use std::io::Write as _;
use std::path::Path;

use anyhow::Context;
use balai_cli::tr;

/// Print the completion script for `shell` to stdout.
pub(crate) fn completions(
    mut cmd: clap::Command,
    shell: clap_complete::Shell,
) -> anyhow::Result<()> {
    let name = cmd.get_name().to_owned();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    std::io::stdout().write_all(&out)?;
    Ok(())
}

/// Print the man page of `balai` to stdout, or with `dir`, write one page per command there
/// (`balai.1`, `balai-sync.1`, …) for `man -M`.
pub(crate) fn man(cmd: clap::Command, dir: Option<&Path>) -> anyhow::Result<()> {
    match dir {
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            std::io::stdout().write_all(&out)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| tr!("err-man-dir", dir = dir.display().to_string()))?;
            clap_mangen::generate_to(cmd, dir)
                .with_context(|| tr!("err-man-dir", dir = dir.display().to_string()))?;
            println!("{}", tr!("man-written", dir = dir.display().to_string()));
        }
    }
    Ok(())
}
