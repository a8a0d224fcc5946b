//! Reports over the documents as merged: training attendance, forum participation, a district
//! summary and facilitators' activity, made to show who took part and who was left out.
//!
//! Pure computation: a [`Corpus`] of documents, a [`Filter`] and "today" in, plain figures out.
//! Nothing here reads the clock, a file or the store, and no figure carries a label in any
//! language: the types hold counts, dates, enum keys and the names people recorded, and the CLI
//! renders them (or writes their JSON, or the rows of [`Table`] as CSV).
//!
//! Every figure can be redone by hand from the documents: counts are integers, and a rate is a
//! [`Ratio`] that keeps its numerator and denominator. Output order is deterministic (villages
//! by code, documents by date then id, names by their folded form). What a report could not read
//! is listed in its `excluded`, never dropped silently. The definitions of every figure are in
//! ARCHITECTURE.md ("Reports").
//!
//! - [`attendance`]: per training and session, enrolled, present and rates by gender and dusun,
//!   and who missed every session.
//! - [`forums`]: per village and forum, attendees by gender, dusun and role, absent dusun, the
//!   women's-share check, proposals, decisions and follow-ups.
//! - [`district`]: per village, forums and trainings held, attendance, dusun coverage,
//!   follow-ups, last activity and staleness.
//! - [`activity`]: records and edits per device and ISO week, from the change history.
//! - [`rows`]: one document as rows of the analytics tables, with the facts these definitions
//!   rest on, for SQL that computes the same figures.

pub mod activity;
pub mod attendance;
mod corpus;
pub mod district;
mod figures;
pub mod forums;
mod names;
pub mod rows;
mod table;

#[cfg(test)]
mod fixture;

use jiff::civil::Date;
use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::region::{RegionPrefix, VillageCode};

pub use corpus::{Corpus, Excluded, ExclusionReason};
pub use figures::{ByGender, GenderCounts, GenderGroup, Ratio, ShareCheck};
pub use table::Table;

/// Which documents a report covers: a region and a period (both ends inclusive). What "in the
/// period" means is each report's: a forum's date, a training session's date, a change's day.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    village: Option<RegionPrefix>,
    from: Option<Date>,
    to: Option<Date>,
}

/// Why a filter was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("the period starts on {from}, after it ends on {to}")]
    Reversed { from: Date, to: Date },
}

impl Filter {
    /// Everything: every village, every date.
    pub fn everything() -> Self {
        Self::default()
    }

    /// Documents of villages under `village` (all: `None`) dated from `from` to `to` inclusive
    /// (open-ended: `None`).
    pub fn new(
        village: Option<RegionPrefix>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Self, FilterError> {
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(FilterError::Reversed { from, to });
        }
        Ok(Self { village, from, to })
    }

    pub fn village(&self) -> Option<&RegionPrefix> {
        self.village.as_ref()
    }

    pub fn from(&self) -> Option<Date> {
        self.from
    }

    pub fn to(&self) -> Option<Date> {
        self.to
    }

    pub fn covers_village(&self, village: &VillageCode) -> bool {
        self.village.as_ref().is_none_or(|p| p.covers(village))
    }

    pub fn covers_date(&self, date: Date) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

/// `{"village": "18.01.05" | null, "from": "2026-11-01" | null, "to": … }`, so a saved report
/// says what it covers.
impl Serialize for Filter {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Filter", 3)?;
        st.serialize_field("village", &self.village.as_ref().map(RegionPrefix::as_str))?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_filter_is_inclusive_and_refuses_a_reversed_period() {
        let f = Filter::new(
            Some("18.01.05".parse().expect("valid")),
            Some(date(2026, 11, 1)),
            Some(date(2026, 11, 30)),
        )
        .expect("valid period");
        assert!(f.covers_date(date(2026, 11, 1)) && f.covers_date(date(2026, 11, 30)));
        assert!(!f.covers_date(date(2026, 10, 31)) && !f.covers_date(date(2026, 12, 1)));
        assert!(f.covers_village(&"18.01.05.2001".parse().expect("valid")));
        assert!(!f.covers_village(&"18.01.06.2001".parse().expect("valid")));
        assert_eq!(
            Filter::new(None, Some(date(2026, 12, 2)), Some(date(2026, 12, 1))),
            Err(FilterError::Reversed {
                from: date(2026, 12, 2),
                to: date(2026, 12, 1)
            })
        );
        let json = serde_json::to_value(&f).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"village": "18.01.05", "from": "2026-11-01", "to": "2026-11-30"})
        );
    }
}
