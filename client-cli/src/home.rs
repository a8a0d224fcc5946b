//! A device's home directory: `balai.toml` (server, device name, actor id) and its redb store.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, anyhow, bail};
use automerge::ActorId;
use balai_shared::ids::{DocId, StoreId};
use balai_shared::store::Store;
use serde::{Deserialize, Serialize};

use crate::exit::Usage;
use crate::i18n::Lang;
use crate::tr;

const CONFIG_FILE: &str = "balai.toml";
const STORE_FILE: &str = "balai.redb";

/// What `balai init` writes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Config {
    /// The server to sync with, e.g. `http://10.0.0.5:7420`.
    pub server: String,
    /// This device's name, shown on the server and in check-ins.
    pub device: String,
    /// Hex automerge actor id: every change made here is attributed to it.
    pub actor: String,
    /// The server's store id, learned on the first sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_store: Option<String>,
    /// This device's bearer token, from `balai-server device add`. The file is kept private
    /// (mode 0600) because the token is the device's credential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// A private CA certificate (PEM file) to trust for `https://` servers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca: Option<PathBuf>,
    /// The regions this device may sync, as the server last said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<Vec<String>>,
    /// The language `balai` speaks on this device (`balai lang`), unless `--lang`, `BALAI_LANG`
    /// or the locale says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<Lang>,
}

/// What `balai init` was given.
#[derive(Clone, Debug, Default)]
pub struct InitOptions<'a> {
    pub server: &'a str,
    /// Defaults to the name the token was issued to.
    pub device: Option<&'a str>,
    pub token: Option<&'a str>,
    pub ca: Option<&'a Path>,
    pub force: bool,
}

impl Config {
    pub fn actor_id(&self) -> anyhow::Result<ActorId> {
        let bytes = hex_decode(&self.actor).ok_or_else(|| anyhow!(tr!("err-home-bad-actor")))?;
        Ok(ActorId::from(bytes.as_slice()))
    }

    pub fn server_store_id(&self) -> Option<StoreId> {
        let bytes = hex_decode(self.server_store.as_deref()?)?;
        StoreId::from_slice(&bytes).ok()
    }
}

/// An opened device home.
#[derive(Debug)]
pub struct Home {
    pub dir: PathBuf,
    pub config: Config,
    pub store: Arc<Store>,
}

impl Home {
    /// Create a new home (or, with `force`, re-point an existing one at another server, name or
    /// token; records are kept).
    pub fn init(dir: &Path, opts: &InitOptions<'_>) -> anyhow::Result<Home> {
        validate_server_url(opts.server)?;
        let token = opts.token.map(str::trim).filter(|t| !t.is_empty());
        let device = match (opts.device, token.and_then(balai_net::token::name_in_token)) {
            (Some(d), _) => d.trim().to_owned(),
            (None, Some(from_token)) => from_token.to_owned(),
            (None, None) => bail!(Usage(tr!("err-home-need-device"))),
        };
        if device.is_empty() || device.len() > 64 {
            bail!(Usage(tr!("err-home-device-name-length")));
        }
        let ca = match opts.ca {
            Some(path) => {
                let cannot_read =
                    || tr!("err-home-cannot-read-ca", path = path.display().to_string());
                let pem = std::fs::read_to_string(path).with_context(cannot_read)?;
                if !pem.contains("BEGIN CERTIFICATE") {
                    bail!(tr!("err-home-not-pem", path = path.display().to_string()));
                }
                Some(std::fs::canonicalize(path).with_context(cannot_read)?)
            }
            None => None,
        };
        std::fs::create_dir_all(dir)
            .with_context(|| tr!("err-home-cannot-create", dir = dir.display().to_string()))?;
        let path = dir.join(CONFIG_FILE);
        let config = if path.exists() {
            let mut existing = read_config(&path)?;
            if !opts.force {
                bail!(tr!(
                    "err-home-already-set-up",
                    dir = dir.display().to_string(),
                    device = &existing.device,
                    server = &existing.server
                ));
            }
            if existing.server != opts.server {
                existing.server_store = None;
            }
            existing.server = opts.server.to_owned();
            existing.device = device;
            if token.is_some() {
                existing.token = token.map(str::to_owned);
                existing.scopes = None;
            }
            if ca.is_some() {
                existing.ca = ca;
            }
            existing
        } else {
            let actor: [u8; 16] = rand::random();
            Config {
                server: opts.server.to_owned(),
                device,
                actor: hex_encode(&actor),
                server_store: None,
                token: token.map(str::to_owned),
                ca,
                scopes: None,
                lang: None,
            }
        };
        write_config(&path, &config)?;
        Self::open(dir)
    }

    /// How to reach the server, as configured.
    pub fn connection(&self) -> anyhow::Result<balai_net::client::Connection> {
        let ca_pem = match &self.config.ca {
            Some(path) => Some(std::fs::read(path).with_context(|| {
                tr!("err-home-cannot-read-ca", path = path.display().to_string())
            })?),
            None => None,
        };
        Ok(balai_net::client::Connection {
            scopes: self.config.scopes.clone(),
            url: self.config.server.clone(),
            token: self.config.token.clone(),
            ca_pem,
            compression: balai_net::client::Compression::default(),
            list_out_of_scope: true,
        })
    }

    /// Open an existing home.
    pub fn open(dir: &Path) -> anyhow::Result<Home> {
        let path = dir.join(CONFIG_FILE);
        if !path.exists() {
            bail!(tr!("err-home-missing", dir = dir.display().to_string()));
        }
        let config = read_config(&path)?;
        let store =
            Store::open(&dir.join(STORE_FILE), Some(config.actor_id()?)).with_context(|| {
                tr!(
                    "err-home-cannot-open-store",
                    dir = dir.display().to_string()
                )
            })?;
        Ok(Home {
            dir: dir.to_owned(),
            config,
            store: Arc::new(store),
        })
    }

    /// Remember the server's store id and this device's regions after a sync.
    pub fn remember_server(&mut self, id: StoreId, scopes: &[String]) -> anyhow::Result<()> {
        let hex = id.to_string();
        if self.config.server_store.as_deref() != Some(hex.as_str())
            || self.config.scopes.as_deref() != Some(scopes)
        {
            self.config.server_store = Some(hex);
            self.config.scopes = Some(scopes.to_vec());
            write_config(&self.dir.join(CONFIG_FILE), &self.config)?;
        }
        Ok(())
    }

    /// Remember the language this device speaks (`None`: follow the locale again).
    pub fn set_lang(&mut self, lang: Option<Lang>) -> anyhow::Result<()> {
        if self.config.lang != lang {
            self.config.lang = lang;
            write_config(&self.dir.join(CONFIG_FILE), &self.config)?;
        }
        Ok(())
    }

    /// Refuse to create a document this device could never sync, once its regions are known.
    pub fn check_in_scope(
        &self,
        village: &balai_shared::region::VillageCode,
    ) -> anyhow::Result<()> {
        let Some(scopes) = &self.config.scopes else {
            return Ok(());
        };
        let covered = scopes
            .iter()
            .filter_map(|s| s.parse::<balai_shared::region::RegionPrefix>().ok())
            .any(|p| p.covers(village));
        if !covered {
            bail!(tr!(
                "err-home-outside-regions",
                village = village.to_string(),
                scopes = scopes.join(",")
            ));
        }
        Ok(())
    }

    /// Resolve what a person typed to a document id: the full id, or any unique tail of it
    /// (the last characters of the ULID are enough in practice).
    pub fn resolve(&self, typed: &str) -> anyhow::Result<DocId> {
        let typed = typed.trim();
        if let Ok(id) = typed.parse::<DocId>() {
            return Ok(id);
        }
        if typed.len() < 4 {
            bail!(Usage(tr!("err-home-id-too-short", typed = typed)));
        }
        let needle = typed.to_ascii_uppercase();
        let mut matches: Vec<DocId> = self
            .store
            .docs()?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| id.key().ends_with(&needle) || id.key().starts_with(&needle))
            .collect();
        match matches.len() {
            0 => bail!(tr!("err-home-id-no-match", typed = typed)),
            1 => Ok(matches.swap_remove(0)),
            n => bail!(tr!("err-home-id-ambiguous", typed = typed, n = n)),
        }
    }
}

fn read_config(path: &Path) -> anyhow::Result<Config> {
    let shown = || path.display().to_string();
    let text = std::fs::read_to_string(path)
        .with_context(|| tr!("err-home-cannot-read", path = shown()))?;
    toml::from_str(&text).with_context(|| tr!("err-home-bad-config", path = shown()))
}

/// The config file of the home at `dir`.
pub fn config_path(dir: &Path) -> PathBuf {
    dir.join(CONFIG_FILE)
}

/// The language set in the home at `dir` (`balai lang`), read before the command line is parsed
/// so that help and usage errors speak it too. A home that is missing or unreadable says nothing
/// here; opening it reports the problem.
pub fn configured_lang(dir: &Path) -> Option<Lang> {
    #[derive(Deserialize)]
    struct LangOnly {
        lang: Option<Lang>,
    }
    let text = std::fs::read_to_string(dir.join(CONFIG_FILE)).ok()?;
    toml::from_str::<LangOnly>(&text).ok()?.lang
}

fn write_config(path: &Path, config: &Config) -> anyhow::Result<()> {
    let text = toml::to_string(config)?;
    // Write then rename, so a crash never leaves a half-written config.
    let tmp = path.with_extension("toml.tmp");
    let cannot_write = |p: &Path| tr!("err-home-cannot-write", path = p.display().to_string());
    std::fs::write(&tmp, text).with_context(|| cannot_write(&tmp))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
            .with_context(|| tr!("err-home-cannot-restrict", path = tmp.display().to_string()))?;
    }
    std::fs::rename(&tmp, path).with_context(|| cannot_write(path))?;
    Ok(())
}

/// Check a server URL early, so a typo is reported at `init`, not at the first sync in the field.
pub fn validate_server_url(url: &str) -> anyhow::Result<()> {
    let ok = (url.starts_with("http://") || url.starts_with("https://"))
        && url
            .parse::<tonic::transport::Uri>()
            .is_ok_and(|u| u.host().is_some());
    if !ok {
        bail!(Usage(tr!("err-home-bad-url", url = url)));
    }
    Ok(())
}

/// The default home: `$BALAI_HOME`, else `~/.balai`.
pub fn default_home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".balai"),
        |h| PathBuf::from(h).join(".balai"),
    )
}

fn hex_encode(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}
