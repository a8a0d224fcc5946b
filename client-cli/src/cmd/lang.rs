//! `balai lang [id|en|auto]`: which language `balai` speaks and why, or set it for this device.

use std::path::Path;

use balai_cli::home::{self, Home};
use balai_cli::i18n::{self, Lang, Resolved, Source, Sources};
use balai_cli::tr;

/// What `balai lang` may set: a language, or `auto` for none (follow `BALAI_LANG` or the
/// locale). The values have no doc comments: clap would print them untranslated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LangSetting {
    Id,
    En,
    Auto,
}

pub(crate) fn lang(
    dir: &Path,
    setting: Option<LangSetting>,
    flag: Option<Lang>,
    now: &Resolved,
) -> anyhow::Result<()> {
    let Some(setting) = setting else {
        println!("{}", in_use(now, dir));
        println!("{}", tr!("lang-hint"));
        return Ok(());
    };
    let mut home = Home::open(dir)?;
    let chosen = match setting {
        LangSetting::Id => Some(Lang::Id),
        LangSetting::En => Some(Lang::En),
        LangSetting::Auto => None,
    };
    home.set_lang(chosen)?;
    // Say so in the language now in force: usually the one just chosen.
    let now = i18n::resolve(&Sources::from_env(flag, chosen));
    i18n::set(now.lang);
    match chosen {
        Some(lang) => {
            println!("{}", tr!("lang-saved", language = name(lang)));
            if now.lang != lang {
                eprintln!(
                    "{}",
                    tr!(
                        "lang-overridden",
                        language = name(now.lang),
                        source = source(&now.source, dir)
                    )
                );
            }
        }
        None => {
            println!("{}", tr!("lang-cleared"));
            println!("{}", in_use(&now, dir));
        }
    }
    Ok(())
}

fn in_use(now: &Resolved, dir: &Path) -> String {
    tr!(
        "lang-in-use",
        language = name(now.lang),
        source = source(&now.source, dir)
    )
}

fn name(lang: Lang) -> String {
    match lang {
        Lang::Id => tr!("lang-name-id"),
        Lang::En => tr!("lang-name-en"),
    }
}

fn source(source: &Source, dir: &Path) -> String {
    match source {
        Source::Flag => tr!("lang-source-flag"),
        Source::Env { value } => tr!("lang-source-env", value = value),
        Source::Locale { var, value } => tr!("lang-source-locale", var = *var, value = value),
        Source::Config => tr!(
            "lang-source-config",
            path = home::config_path(dir).display().to_string()
        ),
        Source::Default => tr!("lang-source-default"),
    }
}
