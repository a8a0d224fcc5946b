//! Rebuild when a message file is added or removed: `static_loader!` (src/i18n) embeds the
//! `.ftl` files it finds under `locales/` at compile time, and without this cargo would notice
//! only edits to files already embedded, not a new one.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
