//! The language `balai` speaks — Bahasa Indonesia or English — and the messages it prints.
//!
//! Every message lives in Fluent files, `client-cli/locales/{id,en}/*.ftl`, compiled into the
//! binary: `cli.ftl` (what the commands print), `errors.ftl` (errors, ours and other crates'),
//! `help.ftl` (clap help, keyed `cmd-PATH` and `arg-PATH-ARG` by command path, see [`help`]),
//! `status.ftl` (the admin status views) and `demo.ftl` (`balai-demo`). Code asks for a message
//! by key with [`tr!`](crate::tr); numbers, dates, ids and keys are passed as arguments and
//! printed verbatim, and plurals are Fluent's (`{ $n -> [one] … *[other] … }`; Indonesian does
//! not inflect). A test checks that both languages have the same keys with the same arguments.
//!
//! Which language: [`resolve`] — `--lang`, then `BALAI_LANG`, then the locale, then the home's
//! `balai.toml` (`balai lang`), else English. It is decided once, before the command line is
//! parsed (so that help and usage errors speak it too), and kept process-wide ([`set`]).

pub mod describe;
pub mod help;
mod status;

pub use status::StatusLabels;

use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU8, Ordering};

pub use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, langid, static_loader};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: they show as junk in many terminals, and
        // our arguments (ids, numbers, names) never change the direction of the text.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language `balai` speaks: `id` (Bahasa Indonesia) or `en` (English). (No doc comments on
/// the variants: clap would print them, in English, as help of each value.)
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Id,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    /// `id` or `en`, as typed and stored.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    fn langid(self) -> LanguageIdentifier {
        match self {
            Lang::Id => langid!("id"),
            Lang::En => langid!("en"),
        }
    }

    /// The language a locale name or language tag names, if it is one of ours: `id_ID.UTF-8`,
    /// `id`, `en-US`, `EN` … `None` for `C`, `POSIX`, an empty value or any other language.
    pub fn of_locale(locale: &str) -> Option<Lang> {
        let language = locale
            .split(['.', '@', '_', '-'])
            .next()
            .unwrap_or_default()
            .trim();
        if language.eq_ignore_ascii_case("id") {
            Some(Lang::Id)
        } else if language.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    fn from_u8(n: u8) -> Lang {
        if n == 1 { Lang::Id } else { Lang::En }
    }

    fn as_u8(self) -> u8 {
        match self {
            Lang::En => 0,
            Lang::Id => 1,
        }
    }
}

/// Everything that may choose the language, as read at start.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// `--lang`.
    pub flag: Option<Lang>,
    /// `BALAI_LANG` (`id`, `en`, or a locale name such as `id_ID.UTF-8`).
    pub env: Option<String>,
    /// The locale variables, in the order POSIX consults them for messages.
    pub lc_all: Option<String>,
    pub lc_messages: Option<String>,
    pub lang: Option<String>,
    /// `lang` in the home's `balai.toml`.
    pub config: Option<Lang>,
}

impl Sources {
    /// The environment of this process, with the flag and the home's setting.
    pub fn from_env(flag: Option<Lang>, config: Option<Lang>) -> Sources {
        let var = |name: &str| std::env::var(name).ok();
        Sources {
            flag,
            env: var("BALAI_LANG"),
            lc_all: var("LC_ALL"),
            lc_messages: var("LC_MESSAGES"),
            lang: var("LANG"),
            config,
        }
    }
}

/// What decided the language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    Flag,
    /// `BALAI_LANG`, and its value.
    Env {
        value: String,
    },
    /// The locale variable POSIX reads for messages (the first set of `LC_ALL`, `LC_MESSAGES`,
    /// `LANG`), and its value.
    Locale {
        var: &'static str,
        value: String,
    },
    Config,
    Default,
}

/// The language to speak, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub lang: Lang,
    pub source: Source,
}

/// The language rule: `--lang`, then `BALAI_LANG`, then the locale, then the home's setting,
/// else English. A source that names no language of ours says nothing and the next one decides:
/// an unknown `BALAI_LANG`, a `C`/`POSIX`/unset locale or a locale in another language.
///
/// The locale is read as POSIX reads it for messages: the first non-empty of `LC_ALL`,
/// `LC_MESSAGES`, `LANG` is the locale (so `LC_ALL=C` hides `LANG=id_ID.UTF-8`).
pub fn resolve(s: &Sources) -> Resolved {
    let found = |lang, source| Resolved { lang, source };
    if let Some(lang) = s.flag {
        return found(lang, Source::Flag);
    }
    if let Some(value) = &s.env
        && let Some(lang) = Lang::of_locale(value)
    {
        return found(
            lang,
            Source::Env {
                value: value.clone(),
            },
        );
    }
    let locale = [
        ("LC_ALL", &s.lc_all),
        ("LC_MESSAGES", &s.lc_messages),
        ("LANG", &s.lang),
    ]
    .into_iter()
    .find_map(|(var, value)| {
        value
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|value| (var, value))
    });
    if let Some((var, value)) = locale
        && let Some(lang) = Lang::of_locale(value)
    {
        return found(
            lang,
            Source::Locale {
                var,
                value: value.to_owned(),
            },
        );
    }
    if let Some(lang) = s.config {
        return found(lang, Source::Config);
    }
    found(Lang::En, Source::Default)
}

/// `--lang` and `--home` as they appear in `args` (the program name first), found before clap
/// parses them: the language must be known to localize the help clap prints. Like clap, it
/// reads `--lang X` and `--lang=X` and stops at `--`; a value that is no language is left for
/// clap to report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EarlyArgs {
    pub lang: Option<Lang>,
    pub home: Option<std::path::PathBuf>,
}

impl EarlyArgs {
    pub fn scan(args: &[std::ffi::OsString]) -> EarlyArgs {
        let mut early = EarlyArgs::default();
        let mut rest = args.iter().skip(1);
        while let Some(arg) = rest.next() {
            let Some(arg) = arg.to_str() else { continue };
            if arg == "--" {
                break;
            }
            let (name, inline) = match arg.split_once('=') {
                Some((name, value)) => (name, Some(std::ffi::OsString::from(value))),
                None => (arg, None),
            };
            if name != "--lang" && name != "--home" {
                continue;
            }
            let Some(value) = inline.or_else(|| rest.next().cloned()) else {
                break;
            };
            if name == "--lang" {
                early.lang = value
                    .to_str()
                    .and_then(|v| Lang::ALL.into_iter().find(|l| l.code() == v));
            } else {
                early.home = Some(value.into());
            }
        }
        early
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// A language for this thread only, set by [`with`].
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

/// Speak `lang` from now on, in every thread.
pub fn set(lang: Lang) {
    CURRENT.store(lang.as_u8(), Ordering::Relaxed);
}

/// The language messages are in.
pub fn current() -> Lang {
    OVERRIDE
        .get()
        .unwrap_or_else(|| Lang::from_u8(CURRENT.load(Ordering::Relaxed)))
}

/// Run `f` with this thread speaking `lang` (tests render both languages side by side).
pub fn with<T>(lang: Lang, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.set(self.0);
        }
    }
    let _restore = Restore(OVERRIDE.replace(Some(lang)));
    f()
}

/// A message's arguments, by name.
pub type Args<'a> = HashMap<&'a str, FluentValue<'a>>;

/// Something that can be a message argument. Numbers stay numbers, so plurals select on them.
pub trait Arg<'a> {
    fn value(self) -> FluentValue<'a>;
}

impl<'a> Arg<'a> for &'a str {
    fn value(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

impl<'a> Arg<'a> for &'a String {
    fn value(self) -> FluentValue<'a> {
        FluentValue::from(self.as_str())
    }
}

impl<'a> Arg<'a> for String {
    fn value(self) -> FluentValue<'a> {
        FluentValue::from(self)
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl<'a> Arg<'a> for $t {
            fn value(self) -> FluentValue<'a> {
                FluentValue::from(self)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64);

/// The message `key` in the current language, with `args`. A key missing in that language falls
/// back to English, and a key missing in both prints as itself (the key-set test prevents both).
pub fn text(key: &str, args: &Args<'_>) -> String {
    text_in(current(), key, args)
}

/// The message `key` in `lang`.
pub fn text_in(lang: Lang, key: &str, args: &Args<'_>) -> String {
    lookup(lang, key, args)
        .or_else(|| lookup(Lang::En, key, args))
        .unwrap_or_else(|| key.to_owned())
}

/// Whether `lang` has the message `key`.
pub fn has(lang: Lang, key: &str) -> bool {
    lookup(lang, key, &Args::new()).is_some()
}

/// The message `key` in the current language, if that language has it.
pub fn try_text(key: &str) -> Option<String> {
    lookup(current(), key, &Args::new())
}

fn lookup(lang: Lang, key: &str, args: &Args<'_>) -> Option<String> {
    let args = (!args.is_empty()).then_some(args);
    LOCALES
        .lookup_single_language(&lang.langid(), key, args)
        .ok()
}

/// A message in the current language: `tr!("list-empty")`, or with arguments
/// `tr!("training-checked-in", key = k, session = 2)`, where
/// each value is an [`Arg`] and each name a variable of the message (`{ $name }`).
#[macro_export]
macro_rules! tr {
    ($key:literal $(,)?) => {
        $crate::i18n::text($key, &$crate::i18n::Args::new())
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.insert(stringify!($name), $crate::i18n::Arg::value($value)); )+
        $crate::i18n::text($key, &args)
    }};
}

#[cfg(test)]
mod tests;
