//! Budget: the money appropriated for ICE's costed work, as stocks drawn down by the
//! simulated daily costs (docs/model.md 7.19, "Budget").
//!
//! Two accounts, as the One Big Beautiful Bill Act (P.L. 119-21) splits ICE's money:
//! *detention* pays for beds (the cost component `detention`), *enforcement* for
//! officers, removals and 287(g) reimbursement (`officers` + `removal` +
//! `task_force`). Alternatives to detention, deputized agents (paid by their own
//! agencies) and immigration courts (the Justice Department's) draw on neither.
//!
//! Each account has a yearly appropriation (`budget.<account>_per_year`, the regular
//! annual money, spent as it comes and not carried over) and multi-year money
//! (`budget.<account>_multiyear`, everything appropriated to date that stays available
//! through the act's end; events raise it on the day an act is signed). For account k
//! on day d, with S = the day's spending on its components:
//!
//! ```text
//! annual_k(d) = min(S_k(d), <account>_per_year / 365.25)      paid by the year's money
//! drawn_k(d)  = S_k(d) - annual_k(d)                           if multi-year money exists
//! beyond_k(d) = S_k(d) - annual_k(d)                           if none does yet
//! left_k(d)   = <account>_multiyear(d) - sum of drawn_k up to d (may go below 0: a shortfall)
//! ```
//!
//! so that annual + drawn + beyond = S every day: the spending by component over the
//! run is the daily cost columns summed. The budget follows the costs and does not act
//! back on them: an account that runs out does not stop a bed or a flight (what the
//! money could buy is `quotasim solve`'s question). What the multi-year money bought is
//! each day's detained, removals and arrests times the share of that day's spending it
//! paid.

use crate::mechanisms::costs::DayCosts;
use crate::setup::scenario::BudgetParams;

/// The accounts, named as in the daily columns (`national_budget_<name>_left`) and
/// the summary keys.
pub const ACCOUNTS: [&str; 2] = ["detention", "enforcement"];

/// One day of the accounts, US dollars, in the order of [`ACCOUNTS`].
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DayBudget {
    /// Spent today on the account's cost components.
    pub spent: [f64; 2],
    /// Drawn today from the multi-year money.
    pub drawn: [f64; 2],
    /// Spent today beyond the year's money before any multi-year money existed.
    pub beyond: [f64; 2],
    /// Multi-year money left at the end of the day (below 0: spent beyond it).
    pub left: [f64; 2],
}

impl DayBudget {
    /// The share of the day's spending on account `k` that its multi-year money paid
    /// (0 on a day with no spending).
    pub fn drawn_share(&self, k: usize) -> f64 {
        if self.spent[k] > 0.0 {
            self.drawn[k] / self.spent[k]
        } else {
            0.0
        }
    }
}

/// A day's spending on each account's cost components.
pub fn spending(c: &DayCosts) -> [f64; 2] {
    [c.detention, c.officers + c.removal + c.task_force]
}

/// The running draw on each account over a run.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    drawn: [f64; 2],
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger::default()
    }

    /// Books a day's costs under the day's appropriations `b`.
    pub fn day(&mut self, b: &BudgetParams, c: &DayCosts) -> DayBudget {
        let spent = spending(c);
        let yearly = [b.detention_per_year, b.enforcement_per_year];
        let multiyear = [b.detention_multiyear, b.enforcement_multiyear];
        let mut day = DayBudget {
            spent,
            ..DayBudget::default()
        };
        for k in 0..ACCOUNTS.len() {
            let annual = spent[k].min(yearly[k] / crate::mechanisms::costs::DAYS_PER_YEAR);
            let rest = spent[k] - annual;
            if multiyear[k] > 0.0 {
                day.drawn[k] = rest;
                self.drawn[k] += rest;
            } else {
                day.beyond[k] = rest;
            }
            day.left[k] = multiyear[k] - self.drawn[k];
        }
        day
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn costs(detention: f64, officers: f64) -> DayCosts {
        DayCosts {
            detention,
            officers,
            atd: 7.0,
            court: 11.0,
            deputized: 13.0,
            ..DayCosts::default()
        }
    }

    fn budget(per_year: f64, multiyear: f64) -> BudgetParams {
        BudgetParams {
            detention_per_year: per_year,
            enforcement_per_year: per_year,
            detention_multiyear: multiyear,
            enforcement_multiyear: multiyear,
        }
    }

    #[test]
    fn the_years_money_pays_first_and_the_multiyear_money_the_rest() {
        let mut l = Ledger::new();
        // 365.25 a year is 1 a day.
        let d = l.day(&budget(365.25, 100.0), &costs(5.0, 3.0));
        assert_eq!(d.spent, [5.0, 3.0]);
        assert_eq!(d.drawn, [4.0, 2.0]);
        assert_eq!(d.left, [96.0, 98.0]);
        let d = l.day(&budget(365.25, 100.0), &costs(5.0, 3.0));
        assert_eq!(d.left, [92.0, 96.0]);
        assert_eq!(d.drawn_share(0), 0.8);
    }

    #[test]
    fn spending_before_any_multiyear_money_is_beyond_the_appropriations() {
        let mut l = Ledger::new();
        let d = l.day(&budget(365.25, 0.0), &costs(5.0, 0.5));
        assert_eq!(d.beyond, [4.0, 0.0]);
        assert_eq!(d.drawn, [0.0, 0.0]);
        assert_eq!(d.left, [0.0, 0.0]);
        // The act's money arrives: the draw starts from it, the past shortfall apart.
        let d = l.day(&budget(365.25, 10.0), &costs(5.0, 0.5));
        assert_eq!(d.left, [6.0, 10.0]);
    }

    #[test]
    fn an_account_spent_past_its_money_shows_the_shortfall() {
        let mut l = Ledger::new();
        for _ in 0..3 {
            l.day(&budget(0.0, 10.0), &costs(5.0, 0.0));
        }
        let d = l.day(&budget(0.0, 10.0), &costs(5.0, 0.0));
        assert_eq!(d.left[0], -10.0);
    }

    #[test]
    fn courts_deputized_agents_and_alternatives_draw_on_neither_account() {
        let d = Ledger::new().day(&budget(0.0, 100.0), &costs(0.0, 0.0));
        assert_eq!(d.spent, [0.0, 0.0]);
        assert_eq!(d.left, [100.0, 100.0]);
    }
}
