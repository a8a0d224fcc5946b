//! Who may talk to this server: enrolled devices, their roles and region scopes, their tokens
//! (stored only as SHA-256 hashes), and the audit log. Kept in its own redb file beside the
//! document store, so access data never travels with replicated documents.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, RwLock};

use balai_net::token::{format_token, valid_device_name};
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

    /// The scope as people read it: the prefixes, or `none` for an unscoped device.
    fn scope_label(&self) -> String {
        if self.scopes.is_empty() {
            "none".to_owned()
        } else {
            self.scopes_text()
        }
    }
}

/// Whether a device with region prefixes `scopes` lies inside `admin`'s regions: every one of
/// its prefixes equal to or below one of the admin's. An unscoped admin (the root admin) contains
/// every device; an unscoped device (such as a root admin) lies inside no scoped admin.
pub fn within(admin: &Device, scopes: &[RegionPrefix]) -> bool {
    admin.scopes.is_empty()
        || (!scopes.is_empty()
            && scopes
                .iter()
                .all(|s| admin.scopes.iter().any(|a| a.includes(s))))
}

/// Who asks for a change to (or a look at) the access database.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// The operator on the server's own data directory (`balai-server device …`): may do
    /// anything, including enrolling a root (unscoped) admin.
    Offline,
    /// An admin device over gRPC. A scoped admin acts only on devices inside its regions; an
    /// unscoped (root) admin on every device, but it cannot make another root admin.
    Admin(&'a Device),
}

impl Actor<'_> {
    /// Whether a device with `scopes` is this actor's to see and manage.
    fn reaches(&self, scopes: &[RegionPrefix]) -> bool {
        match self {
            Actor::Offline => true,
            Actor::Admin(admin) => within(admin, scopes),
        }
    }

    /// The admin's regions, when it has any (a scoped admin).
    pub(crate) fn limited_to(&self) -> Option<&Device> {
        match self {
            Actor::Admin(admin) if !admin.scopes.is_empty() => Some(admin),
            _ => None,
        }
    }

    /// `by NAME` for the audit details of changes made over gRPC (empty offline).
    pub(crate) fn by(&self) -> String {
        match self {
            Actor::Offline => String::new(),
            Actor::Admin(admin) => format!("by {}", admin.name),
        }
    }

    /// Refuse to grant `scopes` (to a device of `role`) beyond this actor's powers.
    fn check_grant(&self, role: Role, scopes: &[RegionPrefix]) -> Result<(), AccessError> {
        let Actor::Admin(admin) = self else {
            return Ok(());
        };
        if scopes.is_empty() && role == Role::Admin {
            return Err(AccessError::RootAdminOffline);
        }
        if admin.scopes.is_empty() {
            return Ok(());
        }
        match scopes
            .iter()
            .find(|s| !admin.scopes.iter().any(|a| a.includes(s)))
        {
            Some(outside) => Err(AccessError::OutsideScope {
                prefix: outside.as_str().to_owned(),
                admin: admin.scopes_text(),
            }),
            None => Ok(()),
        }
    }

    /// The error for a device this actor may not reach or that does not exist: the same for
    /// both when the actor is a scoped admin, so it cannot learn what lies outside its regions.
    fn not_reachable(&self, name: &str) -> AccessError {
        match self.limited_to() {
            Some(admin) => AccessError::DeviceOutsideScope {
                name: name.to_owned(),
                admin: admin.scopes_text(),
            },
            None => AccessError::NotFound(name.to_owned()),
        }
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
    #[error(
        "{given} region prefixes is too many (at most {}); give a district (18.01.05) instead of its villages one by one",
        balai_shared::proto::MAX_HELLO_SCOPES
    )]
    TooManyPrefixes { given: usize },
    #[error("a device named `{0}` is already enrolled; revoke it first or choose another name")]
    Exists(String),
    #[error("no device named `{0}` is enrolled")]
    NotFound(String),
    #[error(
        "root admins (role admin without --scope) are created offline only, on the server: `balai-server device add --role admin --name NAME`; over the admin API an admin needs --scope"
    )]
    RootAdminOffline,
    #[error(
        "region {prefix} is outside your regions ({admin}); you may grant only regions equal to or inside them"
    )]
    OutsideScope { prefix: String, admin: String },
    #[error(
        "no device named `{name}` is enrolled within your regions ({admin}); you may manage only devices inside them"
    )]
    DeviceOutsideScope { name: String, admin: String },
    #[error("device `{0}` is revoked; enroll it again (`device add`) instead")]
    Revoked(String),
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
    /// enroll, revoke, rescope, session, rejected
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
    pub(crate) db: Database,
    /// token hash → device, for the per-request check without touching the disk.
    by_token: RwLock<HashMap<[u8; 32], Device>>,
    /// Bumped on every revocation, so open sessions re-check their device.
    revocations: tokio::sync::watch::Sender<u64>,
    /// Per device, how often (and how) the server forgot its sync bookkeeping since it started
    /// (see `resync.rs`).
    pub(crate) resets: Mutex<HashMap<String, crate::resync::Resets>>,
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

/// The device name a token was issued to (tokens read `bl1_<name>_<secret>`), so `balai init`
/// can name the device without asking. The name in a token is not trusted by the server: it
/// looks up the whole token's hash.
pub use balai_net::token::name_in_token;

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
            resets: Mutex::default(),
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

    /// Enroll a device and issue its token (offline, by the operator: no limits).
    pub fn add(
        &self,
        name: &str,
        role: Role,
        scopes: &[String],
    ) -> Result<(Device, Token), AccessError> {
        self.add_as(Actor::Offline, name, role, scopes)
    }

    /// Enroll a device on behalf of `actor` and issue its token. An admin may grant only regions
    /// inside its own and never create a root (unscoped) admin.
    pub fn add_as(
        &self,
        actor: Actor<'_>,
        name: &str,
        role: Role,
        scopes: &[String],
    ) -> Result<(Device, Token), AccessError> {
        if !valid_device_name(name) {
            return Err(AccessError::BadName(name.to_owned()));
        }
        let scopes = parse_scopes(scopes)?;
        if scopes.is_empty() && role != Role::Admin {
            return Err(AccessError::NoScope);
        }
        actor.check_grant(role, &scopes)?;
        let secret: [u8; 32] = rand::random();
        let token = format_token(name, &secret);
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
                // A revoked name outside the actor's regions stays taken: re-enrolling it would
                // hand the old device's audit history to this admin.
                if r.revoked_unix == 0 || !actor.reaches(&to_device(name, &r)?.scopes) {
                    return Err(AccessError::Exists(name.to_owned()));
                }
            }
            table.insert(name, record.encode_to_vec().as_slice())?;
            let mut detail = format!("role {role}, scope {}", record.scopes.join(","));
            if let Actor::Admin(_) = actor {
                detail = format!("{detail}, {}", actor.by());
            }
            append_audit(&tx, &AuditRecord::new(name, "enroll", "ok", detail))?;
        }
        tx.commit()?;
        self.reload()?;
        Ok((to_device(name, &record)?, Token(token)))
    }

    /// Every enrolled device, revoked ones included.
    pub fn list(&self) -> Result<Vec<Device>, AccessError> {
        self.list_as(Actor::Offline)
    }

    /// The enrolled devices `actor` may see (revoked ones included): for a scoped admin, those
    /// inside its regions.
    pub fn list_as(&self, actor: Actor<'_>) -> Result<Vec<Device>, AccessError> {
        Ok(self
            .records()?
            .into_iter()
            .map(|(d, _)| d)
            .filter(|d| actor.reaches(&d.scopes))
            .collect())
    }

    /// An enrolled device (revoked ones included) that `actor` may reach (see [`within`]).
    pub fn device_as(&self, actor: Actor<'_>, name: &str) -> Result<Device, AccessError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DEVICES)?;
        let Some(v) = table.get(name)? else {
            return Err(actor.not_reachable(name));
        };
        let record =
            DeviceRecord::decode(v.value()).map_err(|e| AccessError::Corrupt(e.to_string()))?;
        let device = to_device(name, &record)?;
        if !actor.reaches(&device.scopes) {
            return Err(actor.not_reachable(name));
        }
        Ok(device)
    }

    /// Revoke a device: its token stops working at once, open sessions included.
    pub fn revoke(&self, name: &str) -> Result<Device, AccessError> {
        self.revoke_as(Actor::Offline, name)
    }

    /// Revoke a device on behalf of `actor`, which must reach it (see [`within`]).
    pub fn revoke_as(&self, actor: Actor<'_>, name: &str) -> Result<Device, AccessError> {
        let tx = self.db.begin_write()?;
        let device = {
            let mut table = tx.open_table(DEVICES)?;
            let mut record = match table.get(name)? {
                Some(v) => DeviceRecord::decode(v.value())
                    .map_err(|e| AccessError::Corrupt(e.to_string()))?,
                None => return Err(actor.not_reachable(name)),
            };
            if !actor.reaches(&to_device(name, &record)?.scopes) {
                return Err(actor.not_reachable(name));
            }
            if record.revoked_unix == 0 {
                record.revoked_unix = now();
            }
            table.insert(name, record.encode_to_vec().as_slice())?;
            append_audit(&tx, &AuditRecord::new(name, "revoke", "ok", actor.by()))?;
            to_device(name, &record)?
        };
        tx.commit()?;
        self.reload()?;
        self.revocations.send_modify(|g| *g += 1);
        Ok(device)
    }

    /// Change the regions of an enrolled device (offline, by the operator: no limits). Its token
    /// stays valid; its next request sees the new regions.
    pub fn rescope(&self, name: &str, scopes: &[String]) -> Result<Device, AccessError> {
        self.rescope_as(Actor::Offline, name, scopes)
    }

    /// Change the regions of an enrolled device on behalf of `actor`: both the device's current
    /// regions and the new ones must lie inside a scoped admin's; nobody but the operator
    /// offline may make an admin unscoped (root). Durable and audited (`rescope`).
    pub fn rescope_as(
        &self,
        actor: Actor<'_>,
        name: &str,
        scopes: &[String],
    ) -> Result<Device, AccessError> {
        let scopes = parse_scopes(scopes)?;
        let tx = self.db.begin_write()?;
        let device = {
            let mut table = tx.open_table(DEVICES)?;
            let mut record = match table.get(name)? {
                Some(v) => DeviceRecord::decode(v.value())
                    .map_err(|e| AccessError::Corrupt(e.to_string()))?,
                None => return Err(actor.not_reachable(name)),
            };
            let before = to_device(name, &record)?;
            if !actor.reaches(&before.scopes) {
                return Err(actor.not_reachable(name));
            }
            if before.revoked_unix.is_some() {
                return Err(AccessError::Revoked(name.to_owned()));
            }
            if scopes.is_empty() && before.role != Role::Admin {
                return Err(AccessError::NoScope);
            }
            actor.check_grant(before.role, &scopes)?;
            record.scopes = scopes.iter().map(|s| s.as_str().to_owned()).collect();
            table.insert(name, record.encode_to_vec().as_slice())?;
            let after = to_device(name, &record)?;
            let mut detail = format!("scope {} -> {}", before.scope_label(), after.scope_label());
            if let Actor::Admin(_) = actor {
                detail = format!("{detail}, {}", actor.by());
            }
            append_audit(&tx, &AuditRecord::new(name, "rescope", "ok", detail))?;
            after
        };
        tx.commit()?;
        self.reload()?;
        // Open sessions re-check their device, as after a revocation.
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

    /// The enrolled, unrevoked device called `name`, as it is now (open sessions compare its
    /// scope with the one they started with).
    pub fn active_device(&self, name: &str) -> Option<Device> {
        let map = self
            .by_token
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.values()
            .find(|d| d.name == name && d.revoked_unix.is_none())
            .cloned()
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

    /// Make open sessions re-check their device (revoked, rescoped, reset).
    pub(crate) fn wake_sessions(&self) {
        self.revocations.send_modify(|g| *g += 1);
    }

    /// A receiver that changes whenever a device is revoked or rescoped.
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
        self.audit_log_as(Actor::Offline, device, since_unix, limit)
    }

    /// The newest `limit` audit entries matching the filters that `actor` may read, oldest
    /// first. A scoped admin reads only entries of enrolled devices inside its regions; entries
    /// of unknown devices (refused tokens) are for the root admin and the operator.
    pub fn audit_log_as(
        &self,
        actor: Actor<'_>,
        device: Option<&str>,
        since_unix: i64,
        limit: usize,
    ) -> Result<Vec<(u64, AuditRecord)>, AccessError> {
        let tx = self.db.begin_read()?;
        let visible: Option<std::collections::HashSet<String>> = match actor.limited_to() {
            None => None,
            Some(_) => {
                let devices = tx.open_table(DEVICES)?;
                let mut names = std::collections::HashSet::new();
                for entry in devices.iter()? {
                    let (name, value) = entry?;
                    let r = DeviceRecord::decode(value.value())
                        .map_err(|e| AccessError::Corrupt(e.to_string()))?;
                    if actor.reaches(&to_device(name.value(), &r)?.scopes) {
                        names.insert(name.value().to_owned());
                    }
                }
                Some(names)
            }
        };
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
            if visible.as_ref().is_some_and(|v| !v.contains(&r.device)) {
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

/// Region prefixes as given on a command line or in a request: each may hold several,
/// separated by commas.
fn parse_scopes(scopes: &[String]) -> Result<Vec<RegionPrefix>, AccessError> {
    let prefixes = scopes
        .iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::parse::<RegionPrefix>)
        .collect::<Result<Vec<_>, _>>()?;
    // Every session's Hello announces them, and a Hello carries at most this many.
    if prefixes.len() > balai_shared::proto::MAX_HELLO_SCOPES {
        return Err(AccessError::TooManyPrefixes {
            given: prefixes.len(),
        });
    }
    Ok(prefixes)
}

pub(crate) fn append_audit(
    tx: &redb::WriteTransaction,
    record: &AuditRecord,
) -> Result<(), AccessError> {
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

    fn prefixes(list: &[&str]) -> Vec<RegionPrefix> {
        list.iter()
            .map(|s| s.parse().expect("valid prefix"))
            .collect()
    }

    fn admin_of(scopes: &[&str]) -> Device {
        Device {
            name: "admin".into(),
            role: Role::Admin,
            scopes: prefixes(scopes),
            created_unix: 0,
            revoked_unix: None,
        }
    }

    #[test]
    fn within_needs_every_prefix_equal_or_below_one_of_the_admins() {
        let regency = admin_of(&["18.01"]);
        assert!(within(&regency, &prefixes(&["18.01"])));
        assert!(within(&regency, &prefixes(&["18.01.05", "18.01.06.2001"])));
        for outside in [
            &["18"][..],
            &["18.02"],
            &["18.04"],
            &["11"],
            &["18.01.05", "18.02"],
            &[],
        ] {
            assert!(
                !within(&regency, &prefixes(outside)),
                "{outside:?} is not inside 18.01"
            );
        }
        let two = admin_of(&["18.01", "11.02.03"]);
        assert!(within(&two, &prefixes(&["18.01.05", "11.02.03.2001"])));
        assert!(!within(&two, &prefixes(&["11.02"])));
        let root = admin_of(&[]);
        assert!(within(&root, &prefixes(&["11"])));
        assert!(
            within(&root, &[]),
            "the root admin reaches other root admins"
        );
    }

    /// The security finding, at the access layer: an admin scoped to 18.01 minted wider tokens.
    #[test]
    fn a_scoped_admin_enrolls_only_inside_its_regions_and_never_a_root_admin() {
        let access = Access::in_memory().expect("access");
        let (regency, _) = access
            .add("admin-1801", Role::Admin, &["18.01".into()])
            .expect("add scoped admin");
        let by = Actor::Admin(&regency);
        for (name, role, scope, outside) in [
            ("hp-province", Role::Facilitator, "18", "18"),
            ("hp-1802", Role::Facilitator, "18.02", "18.02"),
            ("hp-1804", Role::Facilitator, "18.01.05,18.04", "18.04"),
            ("srv-aceh", Role::Server, "11", "11"),
        ] {
            match access.add_as(by, name, role, &[scope.into()]) {
                Err(e @ AccessError::OutsideScope { .. }) => {
                    assert!(e.to_string().contains(outside), "{e}");
                }
                other => panic!("{name} ({scope}) must be refused: {other:?}"),
            }
        }
        assert!(matches!(
            access.add_as(by, "admin-root-2", Role::Admin, &[]),
            Err(AccessError::RootAdminOffline)
        ));
        let (root, _) = access.add("root", Role::Admin, &[]).expect("offline root");
        assert!(
            matches!(
                access.add_as(Actor::Admin(&root), "root-2", Role::Admin, &[]),
                Err(AccessError::RootAdminOffline)
            ),
            "not even the root admin makes root admins over the API"
        );
        access
            .add_as(by, "hp-kalianda", Role::Facilitator, &["18.01.05".into()])
            .expect("inside its regions");
        access
            .add_as(by, "admin-kalianda", Role::Admin, &["18.01.05".into()])
            .expect("a narrower admin");
        let names: Vec<String> = access
            .list()
            .expect("list")
            .into_iter()
            .map(|d| d.name)
            .collect();
        assert_eq!(names.len(), 4, "nothing else was enrolled: {names:?}");

        // A revoked name outside its regions stays taken (its history is not this admin's).
        access
            .add("srv-aceh", Role::Server, &["11".into()])
            .expect("offline");
        access.revoke("srv-aceh").expect("revoke");
        assert!(matches!(
            access.add_as(by, "srv-aceh", Role::Server, &["18.01".into()]),
            Err(AccessError::Exists(_))
        ));
    }

    #[test]
    fn a_scoped_admin_sees_revokes_and_audits_only_inside_its_regions() {
        let access = Access::in_memory().expect("access");
        access.add("root", Role::Admin, &[]).expect("root");
        let (regency, _) = access
            .add("admin-1801", Role::Admin, &["18.01".into()])
            .expect("admin");
        access
            .add("hp-in", Role::Facilitator, &["18.01.05.2001".into()])
            .expect("in");
        access
            .add("hp-out", Role::Facilitator, &["18.02".into()])
            .expect("out");
        access
            .add("hp-both", Role::Facilitator, &["18.01,18.02".into()])
            .expect("straddling");
        access
            .audit(
                &AuditRecord::new("?", "rejected", "unknown token", ""),
                false,
            )
            .expect("audit");
        let by = Actor::Admin(&regency);

        let mut seen: Vec<String> = access
            .list_as(by)
            .expect("list")
            .into_iter()
            .map(|d| d.name)
            .collect();
        seen.sort();
        assert_eq!(seen, ["admin-1801", "hp-in"]);

        for name in ["root", "hp-out", "hp-both", "nobody"] {
            match access.revoke_as(by, name) {
                Err(e @ AccessError::DeviceOutsideScope { .. }) => assert_eq!(
                    e.to_string(),
                    format!(
                        "no device named `{name}` is enrolled within your regions (18.01); you may manage only devices inside them"
                    ),
                    "existing or not, the answer is the same"
                ),
                other => panic!("revoking {name} must be refused: {other:?}"),
            }
        }
        assert!(access.is_active("root"));
        access.revoke_as(by, "hp-in").expect("inside");

        let devices: Vec<String> = access
            .audit_log_as(by, None, 0, 100)
            .expect("audit")
            .into_iter()
            .map(|(_, r)| r.device)
            .collect();
        assert!(!devices.is_empty());
        assert!(
            devices.iter().all(|d| d == "admin-1801" || d == "hp-in"),
            "{devices:?}"
        );
        assert!(
            access
                .audit_log_as(by, Some("hp-out"), 0, 100)
                .expect("audit")
                .is_empty()
        );
        let all = access.audit_log(None, 0, 100).expect("audit");
        assert!(all.iter().any(|(_, r)| r.device == "?"));
        assert!(
            access.audit_log_as(by, None, 0, 2).expect("audit").len() == 2,
            "the limit counts visible entries only"
        );
        let (root, _) = access.add("root-b", Role::Admin, &[]).expect("root b");
        assert_eq!(
            access
                .audit_log_as(Actor::Admin(&root), None, 0, 1000)
                .expect("audit")
                .len(),
            access.audit_log(None, 0, 1000).expect("audit").len(),
            "the root admin reads everything"
        );
        assert!(matches!(
            access.revoke_as(Actor::Admin(&root), "nobody"),
            Err(AccessError::NotFound(_))
        ));
    }

    #[test]
    fn rescope_is_durable_audited_checked_both_ways_and_wakes_sessions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("access.redb");
        let token = {
            let access = Access::open(&path).expect("open");
            let (regency, _) = access
                .add("admin-1801", Role::Admin, &["18.01".into()])
                .expect("admin");
            let (root, _) = access.add("root", Role::Admin, &[]).expect("root");
            let (_, token) = access
                .add("hp", Role::Facilitator, &["18.01.05".into()])
                .expect("hp");
            access
                .add("hp-out", Role::Facilitator, &["18.02".into()])
                .expect("hp-out");
            let by = Actor::Admin(&regency);
            let rx = access.revocations();

            // The new scope must lie inside the admin's …
            assert!(matches!(
                access.rescope_as(by, "hp", &["18.02".into()]),
                Err(AccessError::OutsideScope { ref prefix, .. }) if prefix == "18.02"
            ));
            // … and so must the device's current one.
            assert!(matches!(
                access.rescope_as(by, "hp-out", &["18.01.05".into()]),
                Err(AccessError::DeviceOutsideScope { .. })
            ));
            assert!(matches!(
                access.rescope_as(by, "root", &["18.01".into()]),
                Err(AccessError::DeviceOutsideScope { .. })
            ));
            assert!(matches!(
                access.rescope_as(by, "hp", &[]),
                Err(AccessError::NoScope)
            ));
            assert!(matches!(
                access.rescope_as(Actor::Admin(&root), "admin-1801", &[]),
                Err(AccessError::RootAdminOffline)
            ));
            assert!(matches!(
                access.rescope_as(by, "hp", &["18.1".into()]),
                Err(AccessError::BadScope(_))
            ));
            assert!(
                !rx.has_changed().expect("sender alive"),
                "nothing changed yet"
            );

            let moved = access
                .rescope_as(by, "hp", &["18.01.06,18.01.07.2001".into()])
                .expect("inside to inside");
            assert_eq!(moved.scopes, prefixes(&["18.01.06", "18.01.07.2001"]));
            assert!(rx.has_changed().expect("sender alive"), "sessions re-check");
            let authed = access.authenticate(&token.0).expect("token still valid");
            assert_eq!(authed.scopes, moved.scopes, "the token map is reloaded");

            let outside = access
                .rescope_as(Actor::Admin(&root), "hp-out", &["11.01".into()])
                .expect("the root admin rescopes anywhere");
            assert_eq!(outside.scopes, prefixes(&["11.01"]));
            access.revoke("hp-out").expect("revoke");
            assert!(matches!(
                access.rescope("hp-out", &["11".into()]),
                Err(AccessError::Revoked(_))
            ));
            assert!(matches!(
                access.rescope("nobody", &["11".into()]),
                Err(AccessError::NotFound(_))
            ));
            let root = access
                .rescope("admin-1801", &[])
                .expect("offline, an admin may become root");
            assert!(root.scopes.is_empty());
            token
        };
        let access = Access::open(&path).expect("reopen");
        assert_eq!(
            access.authenticate(&token.0).expect("valid").scopes,
            prefixes(&["18.01.06", "18.01.07.2001"]),
            "the new scope is durable"
        );
        let rescopes: Vec<(String, String)> = access
            .audit_log(None, 0, 100)
            .expect("audit")
            .into_iter()
            .filter(|(_, r)| r.kind == "rescope")
            .map(|(_, r)| (r.device, r.detail))
            .collect();
        assert_eq!(
            rescopes,
            [
                (
                    "hp".to_owned(),
                    "scope 18.01.05 -> 18.01.06,18.01.07.2001, by admin-1801".to_owned()
                ),
                (
                    "hp-out".to_owned(),
                    "scope 18.02 -> 11.01, by root".to_owned()
                ),
                ("admin-1801".to_owned(), "scope 18.01 -> none".to_owned()),
            ]
        );
    }
}
