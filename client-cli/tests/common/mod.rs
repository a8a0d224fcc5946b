//! What the binary tests share: running `balai` on a home in a chosen language.

use std::path::Path;
use std::process::{Command, Output};

/// `balai --home HOME ARGS…` speaking `lang`, with no locale or log settings of the caller's.
pub fn balai(home: &Path, lang: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_balai"))
        .arg("--home")
        .arg(home)
        .args(args)
        .env("BALAI_LANG", lang)
        .env_remove("BALAI_HOME")
        .env_remove("BALAI_LOG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG")
        .output()
        .expect("run balai")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).expect("balai prints UTF-8")
}
