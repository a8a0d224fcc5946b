//! Both languages are complete and consistent, and the language rule holds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use fluent_syntax::ast;

use super::*;

fn locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
}

/// Every message of `lang`: its id and the variables it uses.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let dir = locales().join(lang.code());
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("a locale folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "ftl"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .ftl files in {}", dir.display());
    let mut all = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let resource = fluent_syntax::parser::parse(text.as_str())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", file.display()));
        for entry in resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(p) = &m.value {
                        pattern_vars(p, &mut vars);
                    }
                    let id = m.id.name.to_owned();
                    assert!(
                        all.insert(id.clone(), vars).is_none(),
                        "{id} twice in {lang:?}"
                    );
                }
                ast::Entry::Junk { content } => {
                    panic!("{}: not Fluent: {content}", file.display())
                }
                _ => {}
            }
        }
    }
    all
}

fn pattern_vars(p: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
    for element in &p.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, vars);
        }
    }
}

fn expression_vars(e: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, vars);
            for v in variants {
                pattern_vars(&v.value, vars);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, vars),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            vars.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
        _ => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_variables() {
    let en = messages(Lang::En);
    let id = messages(Lang::Id);
    let en_keys: BTreeSet<&String> = en.keys().collect();
    let id_keys: BTreeSet<&String> = id.keys().collect();
    assert_eq!(
        en_keys.difference(&id_keys).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "in English only"
    );
    assert_eq!(
        id_keys.difference(&en_keys).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "in Indonesian only"
    );
    for (key, vars) in &en {
        assert_eq!(Some(vars), id.get(key), "the variables of {key}");
    }
}

#[test]
fn every_message_formats_in_both_languages() {
    for lang in Lang::ALL {
        for (key, vars) in messages(lang) {
            // Numbers 0, 1 and 2 reach every plural branch; a number where text is expected
            // still formats, and a text selector falls to its default.
            for n in [0u64, 1, 2] {
                let args: Args<'_> = vars
                    .iter()
                    .map(|v| (v.as_str(), FluentValue::from(n)))
                    .collect();
                let text = lookup(lang, &key, &args);
                let text = text.unwrap_or_else(|| panic!("{key} does not format in {lang:?}"));
                assert!(!text.trim().is_empty(), "{key} is empty in {lang:?}");
                assert!(!text.contains('\u{2068}'), "{key}: isolation marks");
            }
        }
    }
}

/// The keys the code asks for with `tr!("…")`, read from the sources.
fn keys_in_code() -> BTreeSet<String> {
    fn walk(dir: &Path, keys: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).expect("a source folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, keys);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("readable");
                for (at, _) in text.match_indices("tr!(") {
                    let rest = text[at + 4..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"')
                        && let Some(end) = rest.find('"')
                        && rest[..end]
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c == '-')
                    {
                        keys.insert(rest[..end].to_owned());
                    }
                }
            }
        }
    }
    let mut keys = BTreeSet::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    walk(&root.join("src"), &mut keys);
    walk(&root.join("../demo/src"), &mut keys);
    keys
}

#[test]
fn every_key_the_code_uses_exists() {
    let en = messages(Lang::En);
    let used = keys_in_code();
    assert!(used.len() > 100, "found only {} keys", used.len());
    let missing: Vec<&String> = used.iter().filter(|k| !en.contains_key(*k)).collect();
    assert!(missing.is_empty(), "no message for {missing:?}");
}

fn sources() -> Sources {
    Sources::default()
}

#[test]
fn the_language_comes_from_the_flag_then_balai_lang_then_the_locale_then_the_home() {
    let all = Sources {
        flag: Some(Lang::En),
        env: Some("id".into()),
        lc_all: Some("en_US.UTF-8".into()),
        lc_messages: None,
        lang: Some("id_ID.UTF-8".into()),
        config: Some(Lang::Id),
    };
    assert_eq!(resolve(&all).source, Source::Flag);
    assert_eq!(resolve(&all).lang, Lang::En);
    let no_flag = Sources { flag: None, ..all };
    assert_eq!(
        resolve(&no_flag),
        Resolved {
            lang: Lang::Id,
            source: Source::Env { value: "id".into() }
        }
    );
    let no_env = Sources {
        env: None,
        ..no_flag
    };
    assert_eq!(
        resolve(&no_env),
        Resolved {
            lang: Lang::En,
            source: Source::Locale {
                var: "LC_ALL",
                value: "en_US.UTF-8".into()
            }
        }
    );
    let no_locale = Sources {
        lc_all: None,
        lang: None,
        ..no_env
    };
    assert_eq!(
        resolve(&no_locale),
        Resolved {
            lang: Lang::Id,
            source: Source::Config
        }
    );
    assert_eq!(
        resolve(&sources()),
        Resolved {
            lang: Lang::En,
            source: Source::Default
        }
    );
}

#[test]
fn an_indonesian_locale_means_indonesian() {
    for locale in ["id_ID.UTF-8", "id_ID", "id", "ID_id.utf8", "id_ID@latin"] {
        let s = Sources {
            lang: Some(locale.into()),
            ..sources()
        };
        assert_eq!(resolve(&s).lang, Lang::Id, "{locale}");
    }
}

#[test]
fn the_locale_is_read_as_posix_reads_it() {
    // LC_ALL, then LC_MESSAGES, then LANG: the first that is set (and not empty) is the locale.
    let s = Sources {
        lc_messages: Some("id_ID.UTF-8".into()),
        lang: Some("en_US.UTF-8".into()),
        ..sources()
    };
    assert_eq!(resolve(&s).lang, Lang::Id);
    let s = Sources {
        lc_all: Some(String::new()),
        lc_messages: Some("en_GB.UTF-8".into()),
        lang: Some("id_ID.UTF-8".into()),
        ..sources()
    };
    assert_eq!(resolve(&s).lang, Lang::En, "an empty LC_ALL is unset");
    // LC_ALL=C hides LANG: the locale is C, which names no language, so the home decides.
    let s = Sources {
        lc_all: Some("C".into()),
        lang: Some("id_ID.UTF-8".into()),
        config: Some(Lang::Id),
        ..sources()
    };
    assert_eq!(resolve(&s).source, Source::Config);
}

#[test]
fn a_locale_or_setting_that_names_no_language_of_ours_says_nothing() {
    for locale in ["C", "C.UTF-8", "POSIX", "fr_FR.UTF-8", "jv_ID.UTF-8", ""] {
        let s = Sources {
            lang: Some(locale.into()),
            config: Some(Lang::Id),
            ..sources()
        };
        assert_eq!(resolve(&s).source, Source::Config, "{locale:?}");
        let s = Sources {
            lang: Some(locale.into()),
            ..sources()
        };
        assert_eq!(resolve(&s).source, Source::Default, "{locale:?}");
    }
    let s = Sources {
        env: Some("klingon".into()),
        lang: Some("id_ID.UTF-8".into()),
        ..sources()
    };
    assert_eq!(
        resolve(&s).source,
        Source::Locale {
            var: "LANG",
            value: "id_ID.UTF-8".into()
        },
        "an unknown BALAI_LANG falls through"
    );
}

#[test]
fn lang_and_home_are_found_before_clap_parses() {
    let args = |a: &[&str]| -> Vec<std::ffi::OsString> { a.iter().map(Into::into).collect() };
    let early = EarlyArgs::scan(&args(&["balai", "--lang", "id", "list", "--home=/tmp/x"]));
    assert_eq!(early.lang, Some(Lang::Id));
    assert_eq!(early.home, Some(PathBuf::from("/tmp/x")));
    let early = EarlyArgs::scan(&args(&["balai", "show", "ABCD", "--lang=en"]));
    assert_eq!(early.lang, Some(Lang::En));
    let early = EarlyArgs::scan(&args(&[
        "balai", "minutes", "note", "X", "--", "--lang", "id",
    ]));
    assert_eq!(early.lang, None, "after -- it is text");
    let early = EarlyArgs::scan(&args(&["balai", "--lang", "fr", "list"]));
    assert_eq!(early.lang, None, "clap reports the bad value");
    assert_eq!(
        EarlyArgs::scan(&args(&["balai", "--lang"])),
        EarlyArgs::default()
    );
}

#[test]
fn a_thread_can_speak_another_language_for_a_while() {
    let outer = current();
    let inner = with(Lang::Id, || {
        assert_eq!(with(Lang::En, current), Lang::En);
        current()
    });
    assert_eq!(inner, Lang::Id);
    assert_eq!(current(), outer);
    assert_eq!(
        text_in(Lang::Id, "no-such-key", &Args::new()),
        "no-such-key",
        "a missing key shows itself"
    );
}
