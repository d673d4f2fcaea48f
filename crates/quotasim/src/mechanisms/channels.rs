//! Arrest channels: the cost and reach of each (docs/model.md 7.5).
//!
//! An office's [`Market`] for one day offers twelve choices: a custodial transfer of a
//! person of each class handed over today by a cooperating jail; a targeted at-large
//! arrest of a person of each class; a collateral arrest of someone present at a
//! targeted arrest; and an arrest in a community or worksite operation. It quotes each
//! choice's officer-hours and carries it out by drawing the person arrested.
//!
//! | choice | reach today | hours per arrest | who |
//! |---|---|---|---|
//! | custodial(c) | handed over today | `custodial.hours_per_arrest` | a random handover of class c |
//! | targeted(c) | anyone of class c at large | `at_large.hours_per_arrest[c] x exp(sd x Z\[level\]) / findability[c]` | a random person at the easiest level left |
//! | collateral | floor(targeted today x `encounters_per_targeted_arrest`) - taken | `collateral.hours_per_arrest` | anyone at large, classes weighted by findability |
//! | community | the office's reach today ([`crate::mechanisms::operations`]: `reach_per_office_per_day` + `reach_per_officer_hour` x its officer-hours, raised when sensitive places are open and by broadening, + city operations' reach) - taken | `community.hours_per_arrest` | anyone at large, classes weighted by findability |
//!
//! Findability ([`crate::mechanisms::findability`]) is 1 for every class unless the scenario says
//! otherwise; with equal factors the indiscriminate draws are uniform.
//!
//! When sensitive places are not protected, each at-large, collateral and community
//! arrest happens at one with probability `share_of_arrests`.

use rand::RngExt;

use crate::mechanisms::docket::{LEVEL_Z, OfficeDocket, Taken};
use crate::mechanisms::findability;
use crate::rng;
use crate::setup::scenario::ChannelParams;
use crate::types::{Channel, Class};

/// One of the twelve choices open to a manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Custodial(Class),
    Targeted(Class),
    Collateral,
    Community,
}

impl Choice {
    /// Every choice, in the fixed order that breaks ties.
    pub const ALL: [Choice; 12] = [
        Choice::Custodial(Class::NationalSecurityGang),
        Choice::Custodial(Class::Violent),
        Choice::Custodial(Class::ConvictedOther),
        Choice::Custodial(Class::PendingCharges),
        Choice::Custodial(Class::Other),
        Choice::Targeted(Class::NationalSecurityGang),
        Choice::Targeted(Class::Violent),
        Choice::Targeted(Class::ConvictedOther),
        Choice::Targeted(Class::PendingCharges),
        Choice::Targeted(Class::Other),
        Choice::Collateral,
        Choice::Community,
    ];

    pub fn channel(self) -> Channel {
        match self {
            Choice::Custodial(_) => Channel::Custodial,
            Choice::Targeted(_) => Channel::AtLarge,
            Choice::Collateral => Channel::Collateral,
            Choice::Community => Channel::Community,
        }
    }
}

/// A choice's price today: its hours, and the class of the person it brings, if known
/// beforehand (collateral and community arrests bring whoever is there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quote {
    pub hours: f64,
    pub class: Option<Class>,
}

/// One arrest made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrest {
    /// The person arrested, with their attributes, now awaiting book-in.
    pub taken: Taken,
    pub class: Class,
    pub channel: Channel,
    pub at_sensitive_place: bool,
    pub hours: f64,
}

/// Difficulty multipliers of the levels, exp(sd x Z\[level\]).
pub fn level_multipliers(log_sd: f64) -> [f64; crate::mechanisms::docket::LEVELS] {
    LEVEL_Z.map(|z| (log_sd * z).exp())
}

/// One office's arrest options for one day.
pub struct Market<'a> {
    docket: &'a mut OfficeDocket,
    params: &'a ChannelParams,
    multipliers: &'a [f64; crate::mechanisms::docket::LEVELS],
    targeted_today: u32,
    collateral_taken: u32,
    community_taken: u32,
    community_reach: f64,
}

impl<'a> Market<'a> {
    pub fn open(
        docket: &'a mut OfficeDocket,
        params: &'a ChannelParams,
        multipliers: &'a [f64; crate::mechanisms::docket::LEVELS],
        community_reach: f64,
    ) -> Market<'a> {
        Market {
            docket,
            params,
            multipliers,
            targeted_today: 0,
            collateral_taken: 0,
            community_taken: 0,
            community_reach,
        }
    }

    /// Who an indiscriminate arrest brings: the share of each class among people at
    /// large, weighted by findability ([`crate::mechanisms::findability::arrest_mix`]).
    pub fn pool_composition(&self) -> [f64; Class::COUNT] {
        let case = self.params.findability_case.to_array();
        let at_large = std::array::from_fn(|c| self.docket.case_weighted_at_large(c, &case));
        findability::arrest_mix(&at_large, &self.params.findability.to_array())
    }

    /// The price of `choice` now, or `None` if it is out of reach.
    pub fn quote(&self, choice: Choice) -> Option<Quote> {
        let p = self.params;
        match choice {
            Choice::Custodial(c) => (self.docket.handover_count(c as usize) > 0).then_some(Quote {
                hours: p.custodial.hours_per_arrest,
                class: Some(c),
            }),
            Choice::Targeted(c) => self.docket.easiest_level(c as usize).map(|l| {
                let case = p.findability_case.to_array();
                Quote {
                    hours: p.at_large.hours_per_arrest.to_array()[c as usize] * self.multipliers[l]
                        / p.findability.to_array()[c as usize]
                        / self.docket.mean_case_weight(c as usize, l, &case),
                    class: Some(c),
                }
            }),
            Choice::Collateral => {
                let encountered = (f64::from(self.targeted_today)
                    * p.collateral.encounters_per_targeted_arrest)
                    .floor();
                (encountered > f64::from(self.collateral_taken) && self.docket.at_large_total() > 0)
                    .then_some(Quote {
                        hours: p.collateral.hours_per_arrest,
                        class: None,
                    })
            }
            Choice::Community => (f64::from(self.community_taken) + 1.0 <= self.community_reach
                && self.docket.at_large_total() > 0)
                .then_some(Quote {
                    hours: p.community.hours_per_arrest,
                    class: None,
                }),
        }
    }

    /// Makes the arrest `choice`, at the price `quote` gave.
    pub fn execute(&mut self, choice: Choice, quote: Quote, rng: &mut rng::Rng) -> Option<Arrest> {
        let taken = match choice {
            Choice::Custodial(c) => self.docket.arrest_handover(c as usize, rng),
            Choice::Targeted(c) => {
                self.targeted_today += 1;
                let case = self.params.findability_case.to_array();
                self.docket.arrest_easiest_weighted(c as usize, &case, rng)
            }
            Choice::Collateral => {
                self.collateral_taken += 1;
                let f = self.params.findability.to_array();
                let case = self.params.findability_case.to_array();
                self.docket.arrest_weighted(&f, &case, rng)
            }
            Choice::Community => {
                self.community_taken += 1;
                let f = self.params.findability.to_array();
                let case = self.params.findability_case.to_array();
                self.docket.arrest_weighted(&f, &case, rng)
            }
        }?;
        let channel = choice.channel();
        let sp = &self.params.sensitive_places;
        let at_sensitive_place = channel != Channel::Custodial
            && !sp.protected
            && sp.share_of_arrests > 0.0
            && rng.random_bool(sp.share_of_arrests);
        Some(Arrest {
            taken,
            class: taken.class(),
            channel,
            at_sensitive_place,
            hours: quote.hours,
        })
    }
}
