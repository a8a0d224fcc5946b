//! Who may talk to this server: enrolled devices, their roles and region scopes, their tokens
//! (stored only as SHA-256 hashes), and the audit log. Kept in its own redb file beside the
//! document store, so access data never travels with replicated documents.

use std::collections::HashMap;
use std::path::Path;
use std::sync::RwLock;

use balai_shared::region::{RegionPrefix, Scope};
use prost::Message;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, TableDefinition};
use sha2::{Digest, Sha256};

/// Key: device name. Value: prost-encoded [`DeviceRecord`].
const DEVICES: TableDefinition<&str, &[u8]> = TableDefinition::new("devices-1");
/// Key: entry number, increasing. Value: prost-encoded [`AuditRecord`].
const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit-1");

/// What an enrolled device may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// A field device: syncs the villages in its scope.
    Facilitator,
    /// A downstream server replicating its region into this one.
    Server,
    /// May call the admin RPCs of this server (and sync its scope, if it has one).
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Facilitator => "facilitator",
            Role::Server => "server",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = AccessError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "facilitator" => Ok(Role::Facilitator),
            "server" => Ok(Role::Server),
            "admin" => Ok(Role::Admin),
            other => Err(AccessError::BadRole(other.to_owned())),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An enrolled device as the server sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Device {
    pub name: String,
    pub role: Role,
    pub scopes: Vec<RegionPrefix>,
    pub created_unix: i64,
    /// `Some` once revoked.
    pub revoked_unix: Option<i64>,
}

impl Device {
    /// The regions this device may read and write.
    pub fn scope(&self) -> Scope {
        Scope::regions(self.scopes.iter().cloned())
    }

    pub fn scopes_text(&self) -> String {
        self.scopes
            .iter()
            .map(RegionPrefix::as_str)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Why an access operation failed.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    #[error("`{0}` is not a role: use facilitator, server or admin")]
    BadRole(String),
    #[error("`{0}` is not a valid device name: use 1–64 lowercase letters, digits and dashes")]
    BadName(String),
    #[error("a device needs at least one region prefix (--scope), e.g. 18.01.05 or 18.01.05.2001")]
    NoScope,
    #[error("bad region prefix: {0}")]
    BadScope(#[from] balai_shared::region::RegionError),
    #[error("a device named `{0}` is already enrolled; revoke it first or choose another name")]
    Exists(String),
    #[error("no device named `{0}` is enrolled")]
    NotFound(String),
    #[error(
        "the access database at {path} is in use — is balai-server running on this data directory? Stop it, or use `balai admin device …` with an admin token"
    )]
    Locked { path: String },
    #[error("access database error: {0}")]
    Db(Box<redb::Error>),
    #[error("access database is damaged: {0}")]
    Corrupt(String),
}

macro_rules! via_redb_error {
    ($($t:ty),*) => {$(
        impl From<$t> for AccessError {
            fn from(e: $t) -> Self { AccessError::Db(Box::new(e.into())) }
        }
    )*};
}
via_redb_error!(
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError
);

/// Why a token was not accepted. Each says what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error(
        "no token: this server only accepts enrolled devices. Ask an admin for a token (`balai-server device add`), then run `balai init --server URL --token TOKEN`"
    )]
    Missing,
    #[error("malformed authorization header: expected `authorization: Bearer <token>`")]
    Malformed,
    #[error(
        "unknown token: this device is not enrolled here. Ask an admin to enroll it (`balai-server device add`) and run `balai init` with the new token"
    )]
    Unknown,
    #[error("device `{name}` was revoked; ask an admin to enroll it again")]
    Revoked { name: String },
}

#[derive(Clone, PartialEq, prost::Message)]
struct DeviceRecord {
    #[prost(string, tag = "1")]
    role: String,
    #[prost(string, repeated, tag = "2")]
    scopes: Vec<String>,
    #[prost(bytes = "vec", tag = "3")]
    token_sha256: Vec<u8>,
    #[prost(int64, tag = "4")]
    created_unix: i64,
    #[prost(int64, tag = "5")]
    revoked_unix: i64,
}

/// One line of the audit log.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AuditRecord {
    #[prost(int64, tag = "1")]
    pub unix_ms: i64,
    #[prost(string, tag = "2")]
    pub device: String,
    /// enroll, revoke, session, rejected
    #[prost(string, tag = "3")]
    pub kind: String,
    /// `ok`, or what went wrong.
    #[prost(string, tag = "4")]
    pub outcome: String,
    #[prost(string, tag = "5")]
    pub detail: String,
    #[prost(uint64, tag = "6")]
    pub docs_sent: u64,
    #[prost(uint64, tag = "7")]
    pub docs_received: u64,
}

impl AuditRecord {
    pub fn new(
        device: &str,
        kind: &str,
        outcome: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            unix_ms: jiff::Timestamp::now().as_millisecond(),
            device: device.to_owned(),
            kind: kind.to_owned(),
            outcome: outcome.into(),
            detail: detail.into(),
            docs_sent: 0,
            docs_received: 0,
        }
    }
}

/// The access database. Share it behind an `Arc`.
pub struct Access {
    db: Database,
    /// token hash → device, for the per-request check without touching the disk.
    by_token: RwLock<HashMap<[u8; 32], Device>>,
    /// Bumped on every revocation, so open sessions re-check their device.
    revocations: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for Access {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Access").finish_non_exhaustive()
    }
}

/// A freshly issued token: shown once, never stored.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(pub String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(…)")
    }
}

fn hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn valid_name(name: &str) -> bool {
    (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The device name a token was issued to (tokens read `bl1_<name>_<secret>`), so `balai init`
/// can name the device without asking. The name in a token is not trusted by the server: it
/// looks up the whole token's hash.
pub fn name_in_token(token: &str) -> Option<&str> {
    let rest = token.strip_prefix("bl1_")?;
    let (name, secret) = rest.rsplit_once('_')?;
    (valid_name(name) && secret.len() == 64).then_some(name)
}

fn now() -> i64 {
    jiff::Timestamp::now().as_second()
}

impl Access {
    /// Open (or create) the access database at `path`.
    pub fn open(path: &Path) -> Result<Self, AccessError> {
        let db = match Database::create(path) {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(AccessError::Locked {
                    path: path.display().to_string(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        Self::init(db)
    }

    /// An access database in memory, for tests.
    pub fn in_memory() -> Result<Self, AccessError> {
        Self::init(Database::builder().create_with_backend(redb::backends::InMemoryBackend::new())?)
    }

    fn init(db: Database) -> Result<Self, AccessError> {
        let tx = db.begin_write()?;
        tx.open_table(DEVICES)?;
        tx.open_table(AUDIT)?;
        tx.commit()?;
        let access = Self {
            db,
            by_token: RwLock::new(HashMap::new()),
            revocations: tokio::sync::watch::Sender::new(0),
        };
        access.reload()?;
        Ok(access)
    }

    fn reload(&self) -> Result<(), AccessError> {
        let mut map = HashMap::new();
        for (device, token_hash) in self.records()? {
            map.insert(token_hash, device);
        }
        *self
            .by_token
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = map;
        Ok(())
    }

    fn records(&self) -> Result<Vec<(Device, [u8; 32])>, AccessError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DEVICES)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (name, value) = entry?;
            let r = DeviceRecord::decode(value.value())
                .map_err(|e| AccessError::Corrupt(e.to_string()))?;
            let token_hash: [u8; 32] = r
                .token_sha256
                .as_slice()
                .try_into()
                .map_err(|_| AccessError::Corrupt("token hash length".into()))?;
            out.push((to_device(name.value(), &r)?, token_hash));
        }
        Ok(out)
    }

    /// Enroll a device and issue its token.
    pub fn add(
        &self,
        name: &str,
        role: Role,
        scopes: &[String],
    ) -> Result<(Device, Token), AccessError> {
        if !valid_name(name) {
            return Err(AccessError::BadName(name.to_owned()));
        }
        let scopes = scopes
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::parse::<RegionPrefix>)
            .collect::<Result<Vec<_>, _>>()?;
        if scopes.is_empty() && role != Role::Admin {
            return Err(AccessError::NoScope);
        }
        let secret: [u8; 32] = rand::random();
        let token = format!(
            "bl1_{name}_{}",
            secret
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        );
        let record = DeviceRecord {
            role: role.as_str().to_owned(),
            scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            token_sha256: hash(&token).to_vec(),
            created_unix: now(),
            revoked_unix: 0,
        };
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(DEVICES)?;
            if let Some(existing) = table.get(name)? {
                let r = DeviceRecord::decode(existing.value())
                    .map_err(|e| AccessError::Corrupt(e.to_string()))?;
                if r.revoked_unix == 0 {
                    return Err(AccessError::Exists(name.to_owned()));
                }
            }
            table.insert(name, record.encode_to_vec().as_slice())?;
            append_audit(
                &tx,
                &AuditRecord::new(
                    name,
                    "enroll",
                    "ok",
                    format!("role {role}, scope {}", record.scopes.join(",")),
                ),
            )?;
        }
        tx.commit()?;
        self.reload()?;
        Ok((to_device(name, &record)?, Token(token)))
    }

    /// Every enrolled device, revoked ones included.
    pub fn list(&self) -> Result<Vec<Device>, AccessError> {
        Ok(self.records()?.into_iter().map(|(d, _)| d).collect())
    }

    /// Revoke a device: its token stops working at once, open sessions included.
    pub fn revoke(&self, name: &str) -> Result<Device, AccessError> {
        let tx = self.db.begin_write()?;
        let device = {
            let mut table = tx.open_table(DEVICES)?;
            let mut record = match table.get(name)? {
                Some(v) => DeviceRecord::decode(v.value())
                    .map_err(|e| AccessError::Corrupt(e.to_string()))?,
                None => return Err(AccessError::NotFound(name.to_owned())),
            };
            if record.revoked_unix == 0 {
                record.revoked_unix = now();
            }
            table.insert(name, record.encode_to_vec().as_slice())?;
            append_audit(&tx, &AuditRecord::new(name, "revoke", "ok", ""))?;
            to_device(name, &record)?
        };
        tx.commit()?;
        self.reload()?;
        self.revocations.send_modify(|g| *g += 1);
        Ok(device)
    }

    /// Check a bearer token.
    pub fn authenticate(&self, token: &str) -> Result<Device, AuthError> {
        let map = self
            .by_token
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let device = map.get(&hash(token)).ok_or(AuthError::Unknown)?;
        if device.revoked_unix.is_some() {
            return Err(AuthError::Revoked {
                name: device.name.clone(),
            });
        }
        Ok(device.clone())
    }

    /// Whether `name` is enrolled and not revoked (checked again by open sessions).
    pub fn is_active(&self, name: &str) -> bool {
        let map = self
            .by_token
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.values()
            .any(|d| d.name == name && d.revoked_unix.is_none())
    }

    /// A receiver that changes whenever a device is revoked.
    pub fn revocations(&self) -> tokio::sync::watch::Receiver<u64> {
        self.revocations.subscribe()
    }

    /// Append to the audit log. `durable = false` for entries an unauthenticated peer can cause
    /// (rejected requests), so it cannot make us fsync at will; they reach the disk with the next
    /// durable write.
    pub fn audit(&self, record: &AuditRecord, durable: bool) -> Result<(), AccessError> {
        let mut tx = self.db.begin_write()?;
        if !durable {
            tx.set_durability(Durability::None)?;
        }
        append_audit(&tx, record)?;
        tx.commit()?;
        Ok(())
    }

    /// Make every earlier non-durable write durable (an empty durable commit does that).
    pub fn flush(&self) -> Result<(), AccessError> {
        let tx = self.db.begin_write()?;
        tx.commit()?;
        Ok(())
    }

    /// The newest `limit` audit entries matching the filters, oldest first.
    pub fn audit_log(
        &self,
        device: Option<&str>,
        since_unix: i64,
        limit: usize,
    ) -> Result<Vec<(u64, AuditRecord)>, AccessError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(AUDIT)?;
        let mut out = Vec::new();
        for entry in table.iter()?.rev() {
            let (id, value) = entry?;
            let r = AuditRecord::decode(value.value())
                .map_err(|e| AccessError::Corrupt(e.to_string()))?;
            if r.unix_ms < since_unix.saturating_mul(1000) {
                break;
            }
            if device.is_some_and(|d| d != r.device) {
                continue;
            }
            out.push((id.value(), r));
            if out.len() >= limit {
                break;
            }
        }
        out.reverse();
        Ok(out)
    }
}

fn append_audit(tx: &redb::WriteTransaction, record: &AuditRecord) -> Result<(), AccessError> {
    let mut table = tx.open_table(AUDIT)?;
    let next = table.last()?.map_or(1, |(k, _)| k.value() + 1);
    table.insert(next, record.encode_to_vec().as_slice())?;
    Ok(())
}

fn to_device(name: &str, r: &DeviceRecord) -> Result<Device, AccessError> {
    Ok(Device {
        name: name.to_owned(),
        role: r.role.parse()?,
        scopes: r
            .scopes
            .iter()
            .map(|s| s.parse())
            .collect::<Result<_, _>>()?,
        created_unix: r.created_unix,
        revoked_unix: (r.revoked_unix != 0).then_some(r.revoked_unix),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_authenticate_until_revoked_and_are_never_stored() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("access.redb");
        let (device, token) = {
            let access = Access::open(&path).expect("open");
            let (device, token) = access
                .add("hp-ani", Role::Facilitator, &["18.01.05.2001".into()])
                .expect("add");
            assert_eq!(access.authenticate(&token.0).expect("valid").name, "hp-ani");
            assert_eq!(name_in_token(&token.0), Some("hp-ani"));
            assert_eq!(
                access.authenticate("bl1_hp-ani_00"),
                Err(AuthError::Unknown)
            );
            (device, token)
        };
        let raw = std::fs::read(&path).expect("read db");
        let needle = token.0.as_bytes();
        assert!(
            !raw.windows(needle.len()).any(|w| w == needle),
            "token stored in clear"
        );
        let secret = &token.0[token.0.len() - 64..];
        assert!(
            !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
            "secret stored in clear"
        );

        let access = Access::open(&path).expect("reopen");
        let rx = access.revocations();
        assert_eq!(
            access
                .authenticate(&token.0)
                .expect("still valid after reopen"),
            device
        );
        access.revoke("hp-ani").expect("revoke");
        assert!(rx.has_changed().expect("sender alive"));
        assert!(matches!(
            access.authenticate(&token.0),
            Err(AuthError::Revoked { .. })
        ));
        assert!(!access.is_active("hp-ani"));
        let kinds: Vec<String> = access
            .audit_log(None, 0, 10)
            .expect("audit")
            .into_iter()
            .map(|(_, r)| r.kind)
            .collect();
        assert_eq!(kinds, ["enroll", "revoke"]);
    }

    #[test]
    fn enrollment_validates_names_roles_and_scopes() {
        let access = Access::in_memory().expect("access");
        assert!(matches!(
            access.add("Bad Name", Role::Facilitator, &["18".into()]),
            Err(AccessError::BadName(_))
        ));
        assert!(matches!(
            access.add("a_b", Role::Facilitator, &["18".into()]),
            Err(AccessError::BadName(_))
        ));
        assert!(matches!(
            access.add("hp", Role::Facilitator, &[]),
            Err(AccessError::NoScope)
        ));
        assert!(matches!(
            access.add("hp", Role::Facilitator, &["18.1".into()]),
            Err(AccessError::BadScope(_))
        ));
        assert!("owner".parse::<Role>().is_err());
        access
            .add("hp", Role::Facilitator, &["18.01.05,18.02".into()])
            .expect("two prefixes in one flag");
        assert!(matches!(
            access.add("hp", Role::Facilitator, &["18".into()]),
            Err(AccessError::Exists(_))
        ));
        access.revoke("hp").expect("revoke");
        let (again, _) = access
            .add("hp", Role::Server, &["18".into()])
            .expect("re-enroll after revoke");
        assert_eq!(again.role, Role::Server);
        assert!(matches!(
            access.revoke("nobody"),
            Err(AccessError::NotFound(_))
        ));
    }
}
