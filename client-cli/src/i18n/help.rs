//! Clap's help in the current language. The derive gives the command tree its shape; the texts
//! come from `help.ftl`: the about of the command at path `balai minutes new` is
//! `cmd-balai-minutes-new`, the help of its argument `title` is `arg-balai-minutes-new-title`
//! (argument ids with `_` spelled `-`). A test walks the tree and checks that every command and
//! every argument has both, in both languages.
//!
//! In Indonesian the headings ("Usage", "Options", "Arguments", "Commands") are translated too.
//! Clap's own messages (a usage error such as "unexpected argument") stay as clap writes them.

use clap::{Arg, ArgAction, Command};

use super::{Lang, current, try_text};
use crate::tr;

/// Where --help and --version go in a help: last, as clap puts its own.
const HELP_ORDER: usize = 1000;

/// The key of the about of the command at `path` (names joined by `-`, from the root's).
pub fn command_key(path: &str) -> String {
    format!("cmd-{path}")
}

/// The key of the help of argument `id` of the command at `path`.
pub fn arg_key(path: &str, id: &str) -> String {
    format!("arg-{path}-{}", id.replace('_', "-"))
}

/// `cmd` with every about and help text, the exit codes and the language rule in the current
/// language; built, so that clap's generated `help` subcommands are there to translate.
pub fn localize(cmd: Command) -> Command {
    let root = cmd.get_name().to_owned();
    let mut cmd = texts(cmd, &root)
        .disable_version_flag(true)
        .arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .display_order(HELP_ORDER + 1)
                .help(tr!("help-version")),
        )
        .after_help(tr!("help-after"));
    if current() == Lang::Id {
        cmd = headings(cmd);
    }
    cmd.build();
    help_subcommands(cmd)
}

fn texts(mut cmd: Command, path: &str) -> Command {
    if let Some(about) = try_text(&command_key(path)) {
        cmd = cmd.about(about);
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().as_str().to_owned())
        .collect();
    for id in ids {
        if let Some(help) = try_text(&arg_key(path, &id)) {
            cmd = cmd.mut_arg(&id, |a| a.help(help));
        }
    }
    // Clap's generated --help flag says "Print help" whatever the language: use our own.
    cmd = cmd.disable_help_flag(true).arg(
        Arg::new("help")
            .short('h')
            .long("help")
            .action(ArgAction::Help)
            .display_order(HELP_ORDER)
            .help(tr!("help-help")),
    );
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        let sub_path = format!("{path}-{name}");
        cmd = cmd.mut_subcommand(&name, |s| texts(s, &sub_path));
    }
    cmd
}

/// Indonesian headings: clap names the groups of its help only in English, but puts arguments
/// that have a heading of their own under it.
fn headings(mut cmd: Command) -> Command {
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().as_str().to_owned(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        let heading = if positional {
            tr!("help-heading-arguments")
        } else {
            tr!("help-heading-options")
        };
        cmd = cmd.mut_arg(&id, |a| a.help_heading(heading));
    }
    // Clap's default template, with the usage heading translated.
    let template = format!(
        "{{before-help}}{{about-with-newline}}\n{}: {{usage}}\n\n{{all-args}}{{after-help}}",
        tr!("help-heading-usage")
    );
    cmd = cmd
        .subcommand_help_heading(tr!("help-heading-commands"))
        .help_template(template);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, headings);
    }
    cmd
}

/// The about of the `help` subcommand clap adds to every command with subcommands.
fn help_subcommands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = if name == "help" {
            cmd.mut_subcommand(&name, |s| s.about(tr!("help-subcommand")))
        } else {
            cmd.mut_subcommand(&name, help_subcommands)
        };
    }
    cmd
}
