//! Local cooperation: 287(g) agreements, by office and over time (docs/model.md 7.11,
//! "Local cooperation and 287(g)").
//!
//! Two kinds of agreement act differently, and both are dated, per-office inputs
//! (`offices.X.agreements_jail`, `offices.X.agreements_task_force`, moved by events;
//! state laws that mandate or ban agreements act through them on their dates).
//!
//! *Jail agreements* (jail enforcement and warrant service officer models) put ICE into
//! a local jail. They cover a share of the office's jail releases,
//!
//! ```text
//! coverage_o = 1 - exp(-agreements_jail_o / (jail_agreements_per_million x noncitizens_o / 10^6))
//! ```
//!
//! and a release from a covered jail is handed to ICE with probability
//! `covered_handover_share`; elsewhere the state's stance holds
//! (`offices.X.jail_cooperation`). The share handed over is
//!
//! ```text
//! handover_o = cooperation_o + coverage_o x max(0, covered_handover_share - cooperation_o)
//! ```
//!
//! *Task-force agreements* give local officers immigration powers in their own street
//! policing. Each agreement trains `task_force_officers_per_agreement` officers, each of
//! whom brings `task_force_referrals_per_officer_day` docket members a day into local
//! custody for ICE: a Poisson number a day, each of a class drawn from
//! `task_force_class_share` (a traffic stop finds people with pending charges, and many
//! with none), taken at random from the people of that class at large in the office.
//! Reimbursement of the local agencies (an input, `reimbursement_share` of a trained
//! officer's salary and benefits, from 2025-10-01) raises the rate by the factor
//! `1 + referral_gain_at_full_reimbursement x reimbursement_share`.
//! With `task_force_agreements_per_million` above 0, an office's agreements fill its
//! area as jail agreements cover its jails, and count
//!
//! ```text
//! effective_o = scale_o x (1 - exp(-agreements_task_force_o / scale_o)),
//! scale_o = task_force_agreements_per_million x noncitizens_o / 10^6
//! ```
//!
//! (near the agreements while they are few, never above `scale_o`); at 0 each counts in
//! full.
//! They wait in the jail's hand-over list, where ICE takes them by custodial transfer
//! (at `channels.custodial.hours_per_arrest`) or they go free at the end of the day.

use crate::mechanisms::docket::{Custody, OfficeDocket};
use crate::rng;
use crate::setup::scenario::{CooperationParams, OfficeParams};
use crate::types::Class;

/// Share of an office's jail releases in jails under a jail agreement.
pub fn coverage(agreements_jail: u32, noncitizens: u64, p: &CooperationParams) -> f64 {
    let scale = p.jail_agreements_per_million * noncitizens as f64 / 1e6;
    if agreements_jail == 0 || scale <= 0.0 {
        return 0.0;
    }
    1.0 - (-f64::from(agreements_jail) / scale).exp()
}

/// Share of an office's jail releases handed to ICE.
pub fn handover_share(office: &OfficeParams, noncitizens: u64, p: &CooperationParams) -> f64 {
    let base = office.jail_cooperation;
    let gain = (p.covered_handover_share - base).max(0.0);
    (base + coverage(office.agreements_jail, noncitizens, p) * gain).min(1.0)
}

/// How many task-force agreements an office's referrals count: all of them with
/// `task_force_agreements_per_million` = 0, else fewer as they fill its area (module
/// docs).
pub fn effective_task_force_agreements(
    agreements: u32,
    noncitizens: u64,
    p: &CooperationParams,
) -> f64 {
    let n = f64::from(agreements);
    let scale = p.task_force_agreements_per_million * noncitizens as f64 / 1e6;
    if p.task_force_agreements_per_million <= 0.0 {
        return n;
    }
    if scale <= 0.0 {
        return 0.0;
    }
    scale * (1.0 - (-n / scale).exp())
}

/// People task-force policing brings into custody for ICE in an office, a day (mean).
pub fn referrals_per_day(office: &OfficeParams, noncitizens: u64, p: &CooperationParams) -> f64 {
    effective_task_force_agreements(office.agreements_task_force, noncitizens, p)
        * p.task_force_officers_per_agreement
        * p.task_force_referrals_per_officer_day
        * (1.0 + p.referral_gain_at_full_reimbursement * p.reimbursement_share)
}

/// The cumulative class shares of the referrals, for one uniform draw each.
pub fn cumulative_mix(p: &CooperationParams) -> [f64; Class::COUNT] {
    rng::cumulative(p.task_force_class_share.to_array())
}

impl OfficeDocket {
    /// The day's task-force referrals: a Poisson number of mean `per_day`, each of a
    /// class drawn from `cumulative`, moved from at large into the hand-over list. A
    /// class with no one at large refers no one. Returns how many were referred.
    pub fn refer_from_task_force(
        &mut self,
        per_day: f64,
        cumulative: &[f64; Class::COUNT],
        rng: &mut rng::Rng,
    ) -> u64 {
        if per_day <= 0.0 {
            return 0;
        }
        let n = rng::poisson(per_day, rng);
        let mut referred = 0;
        for _ in 0..n {
            let c = rng::pick(cumulative, rng);
            if let Some((at, i)) = self.random_at_large(c, rng) {
                let person = self.take(at, i);
                self.put_known(self.taken(at, person), Custody::Handover);
                referred += 1;
            }
        }
        referred
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::setup::scenario::Scenario;

    fn params() -> CooperationParams {
        CooperationParams {
            covered_handover_share: 0.95,
            jail_agreements_per_million: 10.0,
            task_force_officers_per_agreement: 20.0,
            task_force_referrals_per_officer_day: 0.05,
            task_force_agreements_per_million: 0.0,
            task_force_class_share: Scenario::national_default()
                .cooperation
                .task_force_class_share,
            reimbursement_share: 0.0,
            referral_gain_at_full_reimbursement: 0.0,
        }
    }

    #[test]
    fn coverage_rises_with_agreements_and_falls_with_population() {
        let p = params();
        assert_eq!(coverage(0, 1_000_000, &p), 0.0);
        // 10 agreements per million noncitizens cover 1 - 1/e of releases.
        assert!((coverage(10, 1_000_000, &p) - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert!(coverage(10, 2_000_000, &p) < coverage(10, 1_000_000, &p));
        assert!(coverage(30, 1_000_000, &p) > coverage(10, 1_000_000, &p));
    }

    #[test]
    fn agreements_never_lower_cooperation_above_the_covered_share() {
        let p = params();
        let mut office = Scenario::national_default().offices["ATL"].clone();
        office.jail_cooperation = 0.98;
        office.agreements_jail = 1_000;
        assert_eq!(handover_share(&office, 1_000_000, &p), 0.98);
        office.jail_cooperation = 0.15;
        let h = handover_share(&office, 1_000_000, &p);
        assert!(h > 0.94 && h <= 0.95, "{h}");
    }

    #[test]
    fn task_force_agreements_count_less_as_they_fill_an_office_area() {
        let mut p = params();
        // At 0 every agreement counts in full.
        assert_eq!(effective_task_force_agreements(342, 2_130_405, &p), 342.0);
        // 277.5 per million over Miami's 2,130,405 noncitizens: a scale of 591.2, and
        // 342 agreements count 591.2 x (1 - exp(-342 / 591.2)) = 259.7.
        p.task_force_agreements_per_million = 277.5;
        let miami = effective_task_force_agreements(342, 2_130_405, &p);
        assert!((miami - 259.7).abs() < 0.05, "{miami}");
        // A few count nearly in full; many never pass the scale; none and no one, none.
        let few = effective_task_force_agreements(5, 2_130_405, &p);
        assert!(few > 4.97 && few < 5.0, "{few}");
        let many = effective_task_force_agreements(100_000, 2_130_405, &p);
        assert!(many < 591.2 && many > 591.1, "{many}");
        assert_eq!(effective_task_force_agreements(0, 2_130_405, &p), 0.0);
        assert_eq!(effective_task_force_agreements(10, 0, &p), 0.0);
        // Referrals follow the count.
        let mut office = Scenario::national_default().offices["MIA"].clone();
        office.agreements_task_force = 342;
        let filled = referrals_per_day(&office, 2_130_405, &p);
        p.task_force_agreements_per_million = 0.0;
        let full = referrals_per_day(&office, 2_130_405, &p);
        assert!(
            (filled / full - 259.7 / 342.0).abs() < 1e-3,
            "{filled} {full}"
        );
    }

    #[test]
    fn task_force_referrals_follow_their_class_mix() {
        let s = Scenario::national_default();
        let mut rng = rng::stream(2, 0, rng::Purpose::Dynamics, 0);
        let mut doc = OfficeDocket::draw([20_000; Class::COUNT], &s, &Default::default(), &mut rng);
        let mix = params().task_force_class_share.to_array();
        let referred = doc.refer_from_task_force(10_000.0, &cumulative_mix(&params()), &mut rng);
        assert!((9_700..10_300).contains(&referred), "{referred}");
        for (c, share) in mix.iter().enumerate() {
            let got = doc.handover_count(c) as f64 / referred as f64;
            assert!((got - share).abs() < 0.015, "class {c}: {got} vs {share}");
        }
        doc.check_consistency().unwrap();
    }

    #[test]
    fn task_force_referrals_scale_with_agreements() {
        let p = params();
        let mut office = Scenario::national_default().offices["ATL"].clone();
        office.agreements_task_force = 10;
        assert!((referrals_per_day(&office, 1_000_000, &p) - 10.0).abs() < 1e-12);
        let paid = CooperationParams {
            reimbursement_share: 1.0,
            referral_gain_at_full_reimbursement: 0.25,
            ..p
        };
        assert!((referrals_per_day(&office, 1_000_000, &paid) - 12.5).abs() < 1e-12);
    }
}
