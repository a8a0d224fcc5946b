//! The figures every report is built from: counts by gender, ratios kept as numerator and
//! denominator, and the women's-share check.

use serde::Serialize;
use serde::ser::SerializeStruct;

use crate::model::Gender;

/// `numerator` of `denominator`, both counted. The JSON also carries `value`
/// (numerator / denominator, `null` when the denominator is 0) so a reader need not divide; the
/// counts are what a figure is checked against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: u32,
    pub denominator: u32,
}

impl Ratio {
    pub fn new(numerator: u32, denominator: u32) -> Self {
        Self {
            numerator,
            denominator,
        }
    }

    /// The quotient, or `None` for 0 of 0.
    pub fn value(self) -> Option<f64> {
        (self.denominator > 0).then(|| f64::from(self.numerator) / f64::from(self.denominator))
    }
}

impl Serialize for Ratio {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Ratio", 3)?;
        st.serialize_field("numerator", &self.numerator)?;
        st.serialize_field("denominator", &self.denominator)?;
        st.serialize_field("value", &self.value())?;
        st.end()
    }
}

/// The three gender buckets of a count. `NotRecorded` is a bucket of its own, never folded into
/// another: a facilitator who left the box empty did not say "man".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenderGroup {
    Women,
    Men,
    NotRecorded,
}

impl GenderGroup {
    pub const ALL: [GenderGroup; 3] = [
        GenderGroup::Women,
        GenderGroup::Men,
        GenderGroup::NotRecorded,
    ];

    /// The bucket of a person's recorded gender (`f`/`m` as the views give it). A value that is
    /// not a gender (only a faulty or foreign writer puts one there) is not recorded.
    pub fn of(recorded: Option<&str>) -> Self {
        match recorded.map(str::parse::<Gender>) {
            Some(Ok(Gender::F)) => GenderGroup::Women,
            Some(Ok(Gender::M)) => GenderGroup::Men,
            Some(Err(_)) | None => GenderGroup::NotRecorded,
        }
    }

    /// The key used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            GenderGroup::Women => "women",
            GenderGroup::Men => "men",
            GenderGroup::NotRecorded => "not_recorded",
        }
    }
}

/// One value per gender bucket; every bucket is always present, so a zero is visible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ByGender<T> {
    pub women: T,
    pub men: T,
    pub not_recorded: T,
}

impl<T> ByGender<T> {
    pub fn get(&self, group: GenderGroup) -> &T {
        match group {
            GenderGroup::Women => &self.women,
            GenderGroup::Men => &self.men,
            GenderGroup::NotRecorded => &self.not_recorded,
        }
    }

    pub fn get_mut(&mut self, group: GenderGroup) -> &mut T {
        match group {
            GenderGroup::Women => &mut self.women,
            GenderGroup::Men => &mut self.men,
            GenderGroup::NotRecorded => &mut self.not_recorded,
        }
    }
}

/// People counted by gender. The JSON also carries `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenderCounts {
    pub women: u32,
    pub men: u32,
    pub not_recorded: u32,
}

impl GenderCounts {
    /// Count one more person in `group`.
    pub fn add(&mut self, group: GenderGroup) {
        *self.get_mut(group) += 1;
    }

    pub fn get(&self, group: GenderGroup) -> u32 {
        match group {
            GenderGroup::Women => self.women,
            GenderGroup::Men => self.men,
            GenderGroup::NotRecorded => self.not_recorded,
        }
    }

    fn get_mut(&mut self, group: GenderGroup) -> &mut u32 {
        match group {
            GenderGroup::Women => &mut self.women,
            GenderGroup::Men => &mut self.men,
            GenderGroup::NotRecorded => &mut self.not_recorded,
        }
    }

    pub fn total(&self) -> u32 {
        self.women + self.men + self.not_recorded
    }

    /// Women among the people whose gender was recorded (`not_recorded` is outside both terms).
    pub fn women_share(&self) -> Ratio {
        Ratio::new(self.women, self.women + self.men)
    }
}

impl std::ops::AddAssign for GenderCounts {
    fn add_assign(&mut self, other: Self) {
        self.women += other.women;
        self.men += other.men;
        self.not_recorded += other.not_recorded;
    }
}

impl Serialize for GenderCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("GenderCounts", 4)?;
        st.serialize_field("women", &self.women)?;
        st.serialize_field("men", &self.men)?;
        st.serialize_field("not_recorded", &self.not_recorded)?;
        st.serialize_field("total", &self.total())?;
        st.end()
    }
}

/// Whether women made up at least a threshold share of a gathering, judged so that attendees
/// whose gender was not recorded can neither hide nor invent a shortfall.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareCheck {
    /// At least the threshold even if every attendee of unrecorded gender was a man.
    Met,
    /// Below the threshold even if every attendee of unrecorded gender was a woman.
    Below,
    /// Too many genders unrecorded to tell, or nobody recorded at all.
    Undetermined,
}

impl ShareCheck {
    /// Judge `counts` against `min_percent` % of all attendees, in integer arithmetic: met when
    /// `women × 100 ≥ min × total`, below when `(women + not_recorded) × 100 < min × total`.
    pub fn women(counts: &GenderCounts, min_percent: u32) -> Self {
        let total = u64::from(counts.total());
        if total == 0 {
            return ShareCheck::Undetermined;
        }
        let needed = u64::from(min_percent) * total;
        let at_least = u64::from(counts.women) * 100;
        let at_most = u64::from(counts.women + counts.not_recorded) * 100;
        if at_least >= needed {
            ShareCheck::Met
        } else if at_most < needed {
            ShareCheck::Below
        } else {
            ShareCheck::Undetermined
        }
    }

    /// The key used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareCheck::Met => "met",
            ShareCheck::Below => "below",
            ShareCheck::Undetermined => "undetermined",
        }
    }
}

/// A length as a count. Reports count people and sessions, far below `u32::MAX`; a length
/// beyond it saturates rather than wraps.
pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(women: u32, men: u32, not_recorded: u32) -> GenderCounts {
        GenderCounts {
            women,
            men,
            not_recorded,
        }
    }

    #[test]
    fn the_share_check_never_guesses_unrecorded_genders() {
        // 3 of 10 is exactly 30 %: met (300 ≥ 300).
        assert_eq!(ShareCheck::women(&counts(3, 7, 0), 30), ShareCheck::Met);
        // 2 of 10 is 20 %: below (200 < 300).
        assert_eq!(ShareCheck::women(&counts(2, 8, 0), 30), ShareCheck::Below);
        // 2 women, 5 men, 3 unknown: between 2/10 = 20 % and 5/10 = 50 %: cannot tell.
        assert_eq!(
            ShareCheck::women(&counts(2, 5, 3), 30),
            ShareCheck::Undetermined
        );
        // 3 women, 5 men, 2 unknown: at least 3/10 = 30 %: met whatever the 2 are.
        assert_eq!(ShareCheck::women(&counts(3, 5, 2), 30), ShareCheck::Met);
        // 1 woman, 8 men, 1 unknown: at most 2/10 = 20 %: below whatever the 1 is.
        assert_eq!(ShareCheck::women(&counts(1, 8, 1), 30), ShareCheck::Below);
        assert_eq!(
            ShareCheck::women(&counts(0, 0, 0), 30),
            ShareCheck::Undetermined
        );
    }

    #[test]
    fn women_share_leaves_unrecorded_out_of_both_terms() {
        // 2 women of 2 + 5 recorded; the 3 unrecorded are in neither term.
        assert_eq!(counts(2, 5, 3).women_share(), Ratio::new(2, 7));
        assert_eq!(Ratio::new(0, 0).value(), None);
        assert_eq!(Ratio::new(1, 4).value(), Some(0.25));
    }

    #[test]
    fn gender_buckets_take_only_real_genders() {
        assert_eq!(GenderGroup::of(Some("f")), GenderGroup::Women);
        assert_eq!(GenderGroup::of(Some("m")), GenderGroup::Men);
        assert_eq!(GenderGroup::of(Some("x")), GenderGroup::NotRecorded);
        assert_eq!(GenderGroup::of(None), GenderGroup::NotRecorded);
    }

    #[test]
    fn json_carries_counts_and_the_derived_values() {
        let json = serde_json::to_value(counts(1, 2, 3)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"women": 1, "men": 2, "not_recorded": 3, "total": 6})
        );
        let json = serde_json::to_value(Ratio::new(1, 4)).expect("json");
        assert_eq!(
            json,
            serde_json::json!({"numerator": 1, "denominator": 4, "value": 0.25})
        );
        let json = serde_json::to_value(Ratio::new(0, 0)).expect("json");
        assert_eq!(json["value"], serde_json::Value::Null);
    }
}
