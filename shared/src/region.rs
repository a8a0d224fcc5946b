//! Kemendagri region codes (`18.01.05.2001`) and the prefix scopes that grant access to them.

use std::fmt;
use std::str::FromStr;

/// Why a region code or prefix did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegionError {
    #[error("region code is empty")]
    Empty,
    #[error(
        "region code `{code}` is malformed: expected digits in the form PP.RR.DD.VVVV \
         (province.regency.district.village, e.g. 18.01.05.2001)"
    )]
    Malformed { code: String },
    #[error(
        "`{code}` is a {level} code, but a village code (PP.RR.DD.VVVV, e.g. 18.01.05.2001) is needed"
    )]
    NotAVillage { code: String, level: &'static str },
}

/// Digits per level: province `18`, regency `01`, district `05`, village `2001`.
const LEVEL_WIDTHS: [usize; 4] = [2, 2, 2, 4];
const LEVEL_NAMES: [&str; 4] = ["province", "regency", "district", "village"];

/// A region prefix of one to four levels, e.g. `18.01` (Lampung Selatan) or `18.01.05.2001`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RegionPrefix {
    /// Canonical dotted form; always valid.
    code: String,
    levels: usize,
}

impl RegionPrefix {
    /// The dotted code, e.g. `18.01.05`.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// How many levels the prefix has (1 = province … 4 = village).
    pub fn levels(&self) -> usize {
        self.levels
    }

    /// Whether `village` lies inside this region.
    pub fn covers(&self, village: &VillageCode) -> bool {
        let v = village.as_str();
        v == self.code
            || (v.starts_with(&self.code) && v.as_bytes().get(self.code.len()) == Some(&b'.'))
    }

    /// Whether `other` is this region or lies below it (`18.01` includes `18.01` and
    /// `18.01.05.2001`, but not `18.02` or `18`).
    pub fn includes(&self, other: &RegionPrefix) -> bool {
        let o = other.code.as_str();
        o == self.code
            || (o.starts_with(&self.code) && o.as_bytes().get(self.code.len()) == Some(&b'.'))
    }
}

impl FromStr for RegionPrefix {
    type Err = RegionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim();
        if code.is_empty() {
            return Err(RegionError::Empty);
        }
        let malformed = || RegionError::Malformed {
            code: code.to_owned(),
        };
        let parts: Vec<&str> = code.split('.').collect();
        if parts.len() > LEVEL_WIDTHS.len() {
            return Err(malformed());
        }
        for (part, width) in parts.iter().zip(LEVEL_WIDTHS) {
            if part.len() != width || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
        }
        Ok(Self {
            code: code.to_owned(),
            levels: parts.len(),
        })
    }
}

impl fmt::Display for RegionPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl fmt::Debug for RegionPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionPrefix({})", self.code)
    }
}

/// A full four-level village code: the region every document belongs to.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VillageCode(String);

impl VillageCode {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code of the region `levels` deep that holds this village: 1 the province (`18`), 2
    /// the regency (`18.01`), 3 the district (`18.01.05`), 4 (or more) the village itself.
    pub fn level(&self, levels: usize) -> &str {
        let end = self
            .0
            .match_indices('.')
            .nth(levels.saturating_sub(1))
            .map_or(self.0.len(), |(i, _)| i);
        &self.0[..end]
    }

    /// The district (`kecamatan`) this village belongs to, e.g. `18.01.05`.
    pub fn district(&self) -> &str {
        // A valid village code always has three dots; the district is everything before the last.
        self.0
            .rsplit_once('.')
            .map_or(self.0.as_str(), |(district, _)| district)
    }
}

impl FromStr for VillageCode {
    type Err = RegionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let prefix: RegionPrefix = s.parse()?;
        if prefix.levels != LEVEL_WIDTHS.len() {
            return Err(RegionError::NotAVillage {
                code: prefix.code,
                level: LEVEL_NAMES[prefix.levels - 1],
            });
        }
        Ok(Self(prefix.code))
    }
}

impl fmt::Display for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for VillageCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VillageCode({})", self.0)
    }
}

/// The set of regions a peer may read and write. Empty prefixes list = nothing; use
/// [`Scope::everything`] for an unrestricted peer (a root server, or a device before access
/// control is configured).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    prefixes: Option<Vec<RegionPrefix>>,
}

impl Scope {
    /// Every region.
    pub fn everything() -> Self {
        Self { prefixes: None }
    }

    /// Exactly the given regions.
    pub fn regions(prefixes: impl IntoIterator<Item = RegionPrefix>) -> Self {
        Self {
            prefixes: Some(prefixes.into_iter().collect()),
        }
    }

    pub fn covers(&self, village: &VillageCode) -> bool {
        match &self.prefixes {
            None => true,
            Some(prefixes) => prefixes.iter().any(|p| p.covers(village)),
        }
    }

    /// The prefixes, or `None` for everything.
    pub fn prefixes(&self) -> Option<&[RegionPrefix]> {
        self.prefixes.as_deref()
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.prefixes {
            None => f.write_str("*"),
            Some(p) => {
                let codes: Vec<&str> = p.iter().map(RegionPrefix::as_str).collect();
                f.write_str(&codes.join(","))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village(s: &str) -> VillageCode {
        s.parse().expect("valid village")
    }

    #[test]
    fn parses_each_level() {
        for (code, levels) in [
            ("18", 1),
            ("18.01", 2),
            ("18.01.05", 3),
            ("18.01.05.2001", 4),
        ] {
            let p: RegionPrefix = code.parse().expect("valid prefix");
            assert_eq!(p.levels(), levels);
            assert_eq!(p.to_string(), code);
        }
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "",
            "1",
            "18.1",
            "18.01.05.201",
            "18.01.05.2001.1",
            "18.0a",
            "18..05",
            "18.01.05.2001.",
        ] {
            assert!(
                bad.parse::<RegionPrefix>().is_err(),
                "{bad:?} should not parse"
            );
        }
        let err = "18.01.05"
            .parse::<VillageCode>()
            .expect_err("district is not a village");
        assert!(err.to_string().contains("district"), "{err}");
    }

    #[test]
    fn a_village_names_the_regions_above_it() {
        let v = village("18.01.05.2001");
        assert_eq!(
            [v.level(1), v.level(2), v.level(3), v.level(4), v.level(9)],
            ["18", "18.01", "18.01.05", "18.01.05.2001", "18.01.05.2001"]
        );
        assert_eq!(v.level(3), v.district());
    }

    #[test]
    fn prefix_covers_only_its_own_subtree() {
        let kalianda: RegionPrefix = "18.01.05".parse().expect("valid");
        assert!(kalianda.covers(&village("18.01.05.2001")));
        assert!(kalianda.covers(&village("18.01.05.2017")));
        assert!(!kalianda.covers(&village("18.01.06.2001")));
        // `18.01.0` is not a valid prefix, but make sure textual prefixes never leak across a dot.
        let one_village: RegionPrefix = "18.01.05.2001".parse().expect("valid");
        assert!(one_village.covers(&village("18.01.05.2001")));
        assert!(!one_village.covers(&village("18.01.05.2002")));
    }

    #[test]
    fn scope_is_union_of_prefixes() {
        let scope = Scope::regions(["18.01.05.2001", "18.02"].map(|p| p.parse().expect("valid")));
        assert!(scope.covers(&village("18.01.05.2001")));
        assert!(scope.covers(&village("18.02.11.2004")));
        assert!(!scope.covers(&village("18.01.05.2002")));
        assert!(Scope::everything().covers(&village("11.01.01.2001")));
        assert!(!Scope::regions([]).covers(&village("18.01.05.2001")));
        assert_eq!(village("18.01.05.2001").district(), "18.01.05");
    }

    #[test]
    fn prefix_includes_itself_and_what_lies_below() {
        let p = |s: &str| s.parse::<RegionPrefix>().expect("valid");
        let regency = p("18.01");
        assert!(regency.includes(&p("18.01")));
        assert!(regency.includes(&p("18.01.05")));
        assert!(regency.includes(&p("18.01.05.2001")));
        assert!(!regency.includes(&p("18")), "a wider region is not inside");
        assert!(!regency.includes(&p("18.02")));
        assert!(!regency.includes(&p("18.02.01")));
        assert!(!regency.includes(&p("11.01")));
        assert!(!p("18.01.05").includes(&p("18.01.06.2001")));
        assert!(p("18").includes(&p("18.04")));
    }
}
