//! Errors as the user reads them, in their language: the one place where the typed errors of
//! other crates (`balai_shared`'s model, region, id, store and sync errors, `balai_net`'s sync
//! and retry failures) and common I/O errors become messages from `errors.ftl`, variant by
//! variant, with their values as arguments. Anything else keeps its own (English) text.
//!
//! Details that only exist as English text inside those errors (a reason a server or the network
//! gave, a transport error) are passed on verbatim.

use balai_net::client::SyncFailure;
use balai_net::retry::RetryFailure;
use balai_shared::ids::IdError;
use balai_shared::model::ModelError;
use balai_shared::region::RegionError;
use balai_shared::store::StoreError;
use balai_shared::sync::{PROTOCOL_VERSION, SyncError};

use crate::export::ExportError;
use crate::render::kind_label;
use crate::tr;

/// `e` and its causes, `: `-separated as `{:#}` prints them, with every error we know described
/// in the current language. A known error describes its own causes, so the walk stops there.
pub fn describe(e: &anyhow::Error) -> String {
    let mut parts = Vec::new();
    for cause in e.chain() {
        if let Some(text) = known(cause) {
            parts.push(text);
            break;
        }
        parts.push(cause.to_string());
    }
    parts.join(": ")
}

fn known(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    if let Some(e) = e.downcast_ref::<RetryFailure>() {
        return Some(retry_failure(e));
    }
    if let Some(e) = e.downcast_ref::<SyncFailure>() {
        return Some(sync_failure(e));
    }
    if let Some(e) = e.downcast_ref::<SyncError>() {
        return Some(sync_error(e));
    }
    if let Some(e) = e.downcast_ref::<ModelError>() {
        return Some(model(e));
    }
    if let Some(e) = e.downcast_ref::<RegionError>() {
        return Some(region(e));
    }
    if let Some(e) = e.downcast_ref::<IdError>() {
        return Some(id(e));
    }
    if let Some(e) = e.downcast_ref::<StoreError>() {
        return Some(store(e));
    }
    if let Some(e) = e.downcast_ref::<ExportError>() {
        return Some(export(e));
    }
    if let Some(e) = e.downcast_ref::<std::io::Error>() {
        return io(e);
    }
    None
}

pub fn retry_failure(e: &RetryFailure) -> String {
    match e {
        RetryFailure::GaveUp {
            attempts,
            elapsed,
            last,
        } => tr!(
            "err-gave-up",
            attempts = *attempts,
            secs = elapsed.as_secs(),
            reason = sync_failure(last)
        ),
        RetryFailure::Fatal(e) => sync_failure(e),
    }
}

/// Why a sync or an admin call failed (also each failed attempt `balai sync` retries).
pub fn sync_failure(e: &SyncFailure) -> String {
    match e {
        SyncFailure::BadUrl { url, reason } => tr!("err-bad-url", url = url, reason = reason),
        SyncFailure::Unreachable { url, reason } => {
            tr!("err-unreachable", url = url, reason = reason)
        }
        SyncFailure::Refused(status) => tr!("err-refused", reason = status.message()),
        SyncFailure::Unauthenticated(status) => {
            tr!("err-unauthenticated", reason = status.message())
        }
        SyncFailure::BadToken(reason) => tr!("err-bad-token", reason = reason),
        SyncFailure::Certificate { url, reason } => {
            tr!("err-certificate", url = url, reason = reason)
        }
        SyncFailure::WrongProtocol(detail) => tr!("err-wrong-protocol", detail = detail),
        SyncFailure::Interrupted(reason) => tr!("err-interrupted", reason = reason),
        SyncFailure::Engine(e) => tr!("err-engine", reason = sync_error(e)),
    }
}

fn sync_error(e: &SyncError) -> String {
    match e {
        SyncError::ProtocolVersion { theirs } => tr!(
            "err-protocol-version",
            theirs = *theirs,
            ours = PROTOCOL_VERSION
        ),
        SyncError::Protocol(detail) => tr!("err-protocol", detail = detail),
        SyncError::OutOfScope { doc, scope } => {
            tr!("err-out-of-scope", doc = doc.to_string(), scope = scope)
        }
        SyncError::BadMessage { doc, reason } => {
            tr!("err-bad-message", doc = doc.to_string(), reason = reason)
        }
        SyncError::TooLarge { doc, source } => tr!(
            "err-doc-refused",
            doc = doc.to_string(),
            reason = source.to_string()
        ),
        SyncError::SelfSync => tr!("err-self-sync"),
        SyncError::Store(e) => store(e),
    }
}

/// A fixed English phrase the model puts in its errors — a field or item name (`title`,
/// `raised by`), a place (`these minutes`), what to do (`record them again (attend)`) — in the
/// current language: the message `GROUP-PHRASE` (lowercase, anything but letters and digits
/// spelled `-`), or the phrase as it is when there is none.
fn fragment(group: &str, phrase: &str) -> String {
    let mut slug = String::new();
    for c in phrase.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let key = format!("{group}-{}", slug.trim_end_matches('-'));
    super::try_text(&key).unwrap_or_else(|| phrase.to_owned())
}

fn field(name: &str) -> String {
    fragment("field", name)
}

fn model(e: &ModelError) -> String {
    match e {
        ModelError::Empty { field: f } => tr!("err-empty", field = field(f)),
        ModelError::TooLong { field: f, len, max } => {
            tr!("err-too-long", field = field(f), len = *len, max = *max)
        }
        ModelError::ControlCharacter { field: f, code } => {
            tr!(
                "err-control-character",
                field = field(f),
                code = format!("{code:04X}")
            )
        }
        ModelError::BadDate { field: f, value } => {
            tr!("err-bad-date", field = field(f), value = value)
        }
        ModelError::BadGender { value } => tr!("err-bad-gender", value = value),
        ModelError::BadChoice {
            field: f,
            value,
            expected,
        } => tr!(
            "err-bad-choice",
            field = field(f),
            value = value,
            expected = *expected
        ),
        ModelError::WrongKind { expected, found } => tr!(
            "err-wrong-kind",
            expected = kind_label(expected.as_str()),
            found = kind_label(found)
        ),
        ModelError::KindMismatch {
            id,
            id_kind,
            content_kind,
        } => tr!(
            "err-kind-mismatch",
            id = id,
            id_kind = kind_label(id_kind.as_str()),
            content_kind = content_kind
        ),
        ModelError::NewerSchema { found } => tr!("err-newer-schema", found = *found),
        ModelError::NotCreated => tr!("err-not-created"),
        ModelError::NotFound { what, key } => tr!("err-not-found", what = field(what), key = key),
        ModelError::NoSuchSession { session, count } => {
            tr!("err-no-such-session", session = *session, count = *count)
        }
        ModelError::AmbiguousPerson { name, count, keys } => tr!(
            "err-ambiguous-person",
            name = name,
            count = *count,
            keys = keys
        ),
        ModelError::NoSuchPerson {
            what,
            who,
            place,
            known,
        } => tr!(
            "err-no-such-person",
            what = field(what),
            who = who,
            place = fragment("place", place),
            known = known
        ),
        ModelError::Removed {
            what,
            key,
            place,
            restore,
        } => tr!(
            "err-removed",
            what = field(what),
            key = key,
            place = fragment("place", place),
            restore = fragment("restore", restore)
        ),
        ModelError::PersonExists { name, key } => {
            tr!("err-person-exists", name = name, key = key)
        }
        ModelError::NoSuchItem {
            what,
            number,
            place,
            count,
        } => tr!(
            "err-no-such-item",
            what = field(what),
            number = *number,
            place = fragment("place", place),
            count = *count
        ),
        ModelError::RemovedItem { what, key } => {
            tr!("err-removed-item", what = field(what), key = key)
        }
        ModelError::NothingToChange { options } => {
            tr!(
                "err-nothing-to-change",
                options = fragment("options", options)
            )
        }
        ModelError::NotCheckedIn { key, session } => {
            tr!("err-not-checked-in", key = key, session = *session)
        }
        ModelError::TooManySessions { max } => tr!("err-too-many-sessions", max = *max),
        ModelError::Archived => tr!("err-archived"),
        ModelError::Automerge(e) => tr!("err-damaged-document", detail = e.to_string()),
    }
}

fn region(e: &RegionError) -> String {
    match e {
        RegionError::Empty => tr!("err-region-empty"),
        RegionError::Malformed { code } => tr!("err-region-malformed", code = code),
        RegionError::NotAVillage { code, level } => {
            let level =
                super::try_text(&format!("level-{level}")).unwrap_or_else(|| (*level).to_owned());
            tr!("err-region-not-a-village", code = code, level = level)
        }
    }
}

fn id(e: &IdError) -> String {
    match e {
        IdError::Malformed { id } => tr!("err-id-malformed", id = id),
        IdError::UnknownKind { kind } => tr!("err-id-unknown-kind", kind = kind),
        IdError::Village { id, source } => tr!("err-id-village", id = id, reason = region(source)),
        IdError::NotCanonical { id } => tr!("err-id-not-canonical", id = id),
        IdError::StoreIdLength { len } => tr!("err-store-id-length", len = *len),
    }
}

fn store(e: &StoreError) -> String {
    match e {
        StoreError::Locked { path } => tr!("err-store-locked", path = path),
        StoreError::Db(e) => tr!("err-store-db", detail = e.to_string()),
        StoreError::Corrupt(detail) => tr!("err-store-corrupt", detail = detail),
        StoreError::NewerLayout { found, known } => {
            tr!("err-store-newer", found = *found, known = *known)
        }
        StoreError::Document { id, source } => {
            tr!("err-store-document", id = id, detail = source.to_string())
        }
        StoreError::Id(e) => tr!("err-store-id", reason = id(e)),
    }
}

/// The common I/O failures a person can act on; others keep the system's text.
fn io(e: &std::io::Error) -> Option<String> {
    match e.kind() {
        std::io::ErrorKind::NotFound => Some(tr!("err-io-not-found")),
        std::io::ErrorKind::PermissionDenied => Some(tr!("err-io-permission-denied")),
        _ => None,
    }
}

/// Why `balai export` wrote nothing (it never leaves half an export at the output path).
fn export(e: &ExportError) -> String {
    let path = |p: &std::path::Path| p.display().to_string();
    match e {
        ExportError::Exists(p) => tr!("err-export-exists", path = path(p)),
        ExportError::Io { path: p, source } => {
            tr!(
                "err-export-write",
                path = path(p),
                reason = source.to_string()
            )
        }
        ExportError::Xlsx { path: p, source } => {
            tr!(
                "err-export-write",
                path = path(p),
                reason = source.to_string()
            )
        }
        ExportError::Zip { path: p, source } => {
            tr!(
                "err-export-write",
                path = path(p),
                reason = source.to_string()
            )
        }
        ExportError::Csv { path: p, source } => {
            tr!(
                "err-export-write",
                path = path(p),
                reason = source.to_string()
            )
        }
        ExportError::Store(e) => store(e),
        ExportError::Json(e) => tr!("err-export-json", reason = e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, with};
    use anyhow::Context;

    #[test]
    fn library_errors_are_described_in_both_languages_with_their_values() {
        let e = anyhow::Error::from(ModelError::BadDate {
            field: "date",
            value: "29/11/2026".into(),
        });
        assert_eq!(
            with(Lang::En, || describe(&e)),
            "date: `29/11/2026` is not a valid date; use YYYY-MM-DD, e.g. 2026-11-29"
        );
        assert_eq!(
            with(Lang::Id, || describe(&e)),
            "tanggal: `29/11/2026` bukan tanggal yang sah; gunakan bentuk YYYY-MM-DD \
             (tahun-bulan-tanggal), misalnya 2026-11-29"
        );
        let e = anyhow::Error::from(SyncFailure::Unauthenticated(
            tonic::Status::unauthenticated("unknown token"),
        ));
        assert_eq!(
            with(Lang::Id, || describe(&e)),
            "server menolak token perangkat ini: unknown token"
        );
    }

    #[test]
    fn context_lines_stay_and_causes_of_a_known_error_are_not_repeated() {
        let locked = StoreError::Locked {
            path: "/home/ani/.balai/balai.redb".into(),
        };
        let e = Err::<(), _>(locked)
            .context("cannot open the local store in /home/ani/.balai")
            .expect_err("failed");
        assert_eq!(
            with(Lang::En, || describe(&e)),
            "cannot open the local store in /home/ani/.balai: the store at \
             /home/ani/.balai/balai.redb is in use by another process (is another balai or \
             balai-server running on it?)"
        );
        let id = "minutes/18.1/01JD8X3V6Q2M4T5W7Y9Z0A1B2C".parse::<balai_shared::ids::DocId>();
        let e = anyhow::Error::from(id.expect_err("bad village"));
        let text = with(Lang::Id, || describe(&e));
        assert!(
            text.starts_with("id dokumen `minutes/18.1/01JD8X3V6Q2M4T5W7Y9Z0A1B2C` memuat kode desa yang salah: kode wilayah `18.1`"),
            "{text}"
        );
        assert_eq!(text.matches("18.1`").count(), 1, "{text}");
    }

    #[test]
    fn fixed_phrases_inside_model_errors_are_translated_too() {
        let e = anyhow::Error::from(ModelError::Removed {
            what: "attendee",
            key: "siti-aminah@ii".into(),
            place: "these minutes",
            restore: "record them again (attend)",
        });
        assert_eq!(
            with(Lang::Id, || describe(&e)),
            "peserta `siti-aminah@ii` sudah dihapus dari notulen ini: catat lagi dengan \
             `balai minutes attend` untuk mengembalikannya"
        );
        assert_eq!(
            with(Lang::En, || describe(&e)),
            e.to_string(),
            "in English, as the model says it"
        );
        assert_eq!(
            fragment("place", "a place nobody knows"),
            "a place nobody knows"
        );
    }

    #[test]
    fn unknown_errors_keep_their_text() {
        let e = anyhow::anyhow!("something else");
        assert_eq!(with(Lang::Id, || describe(&e)), "something else");
    }
}
