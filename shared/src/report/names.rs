//! Dusun and role names as facilitators typed them: compared folded (case, spacing and
//! punctuation ignored, as in person keys), shown in their most common spelling.

use std::collections::BTreeMap;

use crate::model::PersonKey;
use crate::region::VillageCode;

use super::corpus::{Content, Corpus};

/// A name folded for comparison: "Dusun  II", "dusun ii" and "Dusun-II" are one.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Folded(String);

impl Folded {
    /// `None` for a name with no letters or digits (nothing to compare).
    pub(crate) fn of(name: &str) -> Option<Self> {
        // The name part of a person key is exactly this folding; using it keeps a dusun in a
        // report equal to the dusun inside the person keys of the same documents.
        let key = PersonKey::of(name, None);
        (!key.as_str().is_empty()).then(|| Self(key.as_str().to_owned()))
    }

    pub(crate) fn into_string(self) -> String {
        self.0
    }
}

/// The spellings seen of each folded name, with how often each was written.
#[derive(Clone, Debug, Default)]
pub(crate) struct Spellings(BTreeMap<Folded, BTreeMap<String, u32>>);

impl Spellings {
    /// Count one record of `name`; returns its folded form.
    pub(crate) fn record(&mut self, name: &str) -> Option<Folded> {
        self.insert(name, 1)
    }

    /// Know `name` without a record of it: its spelling is shown only if no record spells it.
    pub(crate) fn know(&mut self, name: &str) -> Option<Folded> {
        self.insert(name, 0)
    }

    fn insert(&mut self, name: &str, count: u32) -> Option<Folded> {
        let name = name.trim();
        let folded = Folded::of(name)?;
        *self
            .0
            .entry(folded.clone())
            .or_default()
            .entry(name.to_owned())
            .or_default() += count;
        Some(folded)
    }

    /// Every folded name, in order.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &Folded> {
        self.0.keys()
    }

    /// The most common spelling of `folded` (ties: the first in byte order). A name never seen
    /// shows as its folded form.
    pub(crate) fn name(&self, folded: &Folded) -> String {
        self.0
            .get(folded)
            .and_then(|spellings| {
                // `max_by_key` keeps the last maximum; iterating in reverse makes that the
                // first spelling in byte order.
                spellings
                    .iter()
                    .rev()
                    .max_by_key(|(_, count)| **count)
                    .map(|(spelling, _)| spelling.clone())
            })
            .unwrap_or_else(|| folded.0.clone())
    }
}

/// Rows of a figure per name (`None`: not recorded): named ones in folded order, each shown in
/// its common spelling, then "not recorded" if present.
pub(crate) fn named_rows<T, R>(
    mut by_name: BTreeMap<Option<Folded>, T>,
    names: &Spellings,
    row: impl Fn(Option<String>, T) -> R,
) -> Vec<R> {
    let not_recorded = by_name.remove(&None);
    by_name
        .into_iter()
        .map(|(name, t)| row(name.map(|n| names.name(&n)), t))
        .chain(not_recorded.map(|t| row(None, t)))
        .collect()
}

/// The dusun and roles recorded anywhere in one village's documents (every readable document,
/// whatever period is reported), plus the dusun the caller named. The keys of `dusun` are the
/// village's *known dusun*: those a report expects to see present.
#[derive(Debug, Default)]
pub(crate) struct VillageNames {
    pub(crate) dusun: Spellings,
    pub(crate) roles: Spellings,
}

/// [`VillageNames`] for every village of a corpus.
#[derive(Debug)]
pub(crate) struct Names(BTreeMap<VillageCode, VillageNames>);

static NO_NAMES: VillageNames = VillageNames {
    dusun: Spellings(BTreeMap::new()),
    roles: Spellings(BTreeMap::new()),
};

impl Names {
    pub(crate) fn of(corpus: &Corpus) -> Self {
        let mut villages: BTreeMap<VillageCode, VillageNames> = BTreeMap::new();
        for (id, content) in corpus.all_content() {
            let names = villages.entry(id.village().clone()).or_default();
            match content {
                Content::Forum(f) => {
                    for a in &f.attendees {
                        if let Some(d) = &a.dusun {
                            names.dusun.record(d);
                        }
                        if let Some(r) = &a.role {
                            names.roles.record(r);
                        }
                    }
                }
                Content::Training(t) => {
                    for p in &t.participants {
                        if let Some(d) = &p.dusun {
                            names.dusun.record(d);
                        }
                    }
                }
            }
        }
        for (village, extra) in corpus.extra_dusun() {
            let names = villages.entry(village.clone()).or_default();
            for d in extra {
                names.dusun.know(d);
            }
        }
        Self(villages)
    }

    pub(crate) fn village(&self, village: &VillageCode) -> &VillageNames {
        self.0.get(village).unwrap_or(&NO_NAMES)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_like_person_keys_and_show_the_common_spelling() {
        let mut s = Spellings::default();
        let a = s.record("Dusun II");
        assert_eq!(s.record(" dusun  ii "), a);
        assert_eq!(s.record("Dusun-II"), a);
        s.record("Dusun II");
        assert_eq!(s.keys().count(), 1);
        let key = a.expect("a name");
        // "Dusun II" twice, "dusun  ii" and "Dusun-II" once each.
        assert_eq!(s.name(&key), "Dusun II");
        assert_eq!(Folded::of(" - "), None);
    }

    #[test]
    fn ties_and_known_names_are_deterministic() {
        let mut s = Spellings::default();
        let key = s.record("dusun i").expect("a name");
        s.record("Dusun I");
        // One each: the first in byte order ("D" < "d").
        assert_eq!(s.name(&key), "Dusun I");
        // A name known without a record never outvotes a recorded spelling.
        s.know("DUSUN I");
        assert_eq!(s.name(&key), "Dusun I");
        let only_known = s.know("Dusun Tengah").expect("a name");
        assert_eq!(s.name(&only_known), "Dusun Tengah");
    }
}
