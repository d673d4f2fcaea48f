//! Downstream: detention, release and removal (docs/model.md 7.8).
//!
//! Detention is national: every office's arrests compete for the same funded beds.
//! Each day, after the offices have made their arrests:
//!
//! 1. stays that end today end: a docket member is released (at large again, and can
//!    be arrested again), granted relief (leaves the docket), or joins the queue for
//!    removal (still detained);
//! 2. removals: up to the day's transport capacity ([`crate::removal::capacity_per_day`])
//!    people leave the queue, first come first served, and are removed (never arrested
//!    again);
//! 3. book-ins: people arrested by others (Border Patrol, ports) first, then the day's
//!    arrests, office by office in the fixed order. Funded beds (`detention.beds`) and
//!    what ICE can physically hold (`detention.capacity`, contracted and physical
//!    capacity; 0 for the funded beds) are separate: people are held above the funded
//!    beds up to the capacity, as before 2025 (FY2019). A book-in finding the capacity
//!    full is released at once (`over_capacity = "release"`) or held over it ("hold").
//!    With "release", people held above the capacity (from the start, or after an event
//!    cut it) are first released down to it: people not on the docket, then docket
//!    members with the longest stays left; those waiting for removal stay. A person
//!    placed in expedited removal ([`crate::removal::expedited`]) is booked in whatever
//!    the book-in share, for a stay of mean `removal.expedited_stay_days` ending in
//!    removal. Any other docket member booked in draws a stay, gamma distributed with
//!    mean `stay_days[class] x stay_factor[case state]` and shape `stay_shape` (at least
//!    one day), and an outcome from `outcome_<case state>`.
//!
//! People held who are not on the synthetic docket (those held at the start, and
//! book-ins by other agencies) are tracked as counts: each leaves at a constant daily
//! rate (1 / mean stay), a share `others_removal_share` into the removal queue.

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, Gamma};

use crate::docket::{Custody, OfficeDocket, Taken};
use crate::removal;
use crate::rng;
use crate::rng::binomial;
use crate::scenario::{DetentionParams, OverCapacity, RemovalParams};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Removal,
    Release,
    Relief,
}

/// A docket member's stay, filed under the day it ends. The person's attributes are
/// kept with it, so that ending the stay reads nothing from their record.
#[derive(Debug, Clone, Copy)]
struct Stay {
    office: u8,
    who: Taken,
    exit: Exit,
}

/// Someone waiting for removal transport.
#[derive(Debug, Clone, Copy)]
enum Waiting {
    Person {
        office: u8,
        who: Taken,
    },
    /// People not on the docket, as counts.
    Others {
        n: u64,
        convicted: u64,
    },
}

/// Detainees not on the docket, as counts.
#[derive(Debug, Clone, Copy, Default)]
struct Pool {
    n: u64,
    convicted: u64,
}

/// One office's detention flows for a day (docket members arrested by that office).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct OfficeFlows {
    pub bookins: u64,
    /// Released when their stay ended (bond, parole, alternatives to detention).
    pub released: u64,
    /// Released at book-in because every bed was full.
    pub released_over_capacity: u64,
    /// Processed and released at once, never booked in (`detention.bookin_share`).
    pub released_at_processing: u64,
    /// Relief granted or case closed in detention.
    pub relief: u64,
    pub removals: u64,
    /// Of the removals, people present under two years.
    pub removals_recent: u64,
    /// Placed in expedited removal at book-in.
    pub expedited: u64,
    /// Detained at midnight, and of whom with a conviction.
    pub detained: u64,
    pub detained_convicted: u64,
}

/// The national picture at midnight.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct National {
    /// Everyone detained: docket members and others.
    pub detained: u64,
    pub detained_convicted: u64,
    /// Detainees not on the docket.
    pub others_detained: u64,
    pub beds: u64,
    /// People ICE can hold (contracted and physical capacity).
    pub capacity: u64,
    /// Detained beyond the funded beds.
    pub over_capacity: u64,
    /// Removals today, docket members and others.
    pub removals: u64,
    /// Waiting for removal transport.
    pub removal_queue: u64,
    /// People not on the docket released for lack of beds: book-ins by other agencies
    /// released at once, and (with "release") people held above the beds.
    pub others_released_over_capacity: u64,
}

/// The most people ICE can hold: `detention.capacity`, or the funded beds where it is 0.
pub fn capacity(p: &DetentionParams) -> u64 {
    if p.capacity > 0 { p.capacity } else { p.beds }
}

/// The national detention system.
#[derive(Debug, Clone)]
pub struct Detention {
    /// calendar[d]: stays ending d + 1 days after today.
    calendar: VecDeque<Vec<Stay>>,
    queue: VecDeque<Waiting>,
    initial: Pool,
    others: Pool,
    others_waiting: Pool,
    /// Docket members detained with a conviction, by office.
    convicted_by_office: Vec<u64>,
    /// Docket members in the removal queue.
    persons_waiting: u64,
    carry_bookins: f64,
    carry_removals: f64,
}

impl Detention {
    /// The system at the start: `initial_detained` people not on the docket.
    pub fn new(p: &DetentionParams, offices: usize) -> Detention {
        let convicted = (p.initial_detained as f64 * p.initial_convicted_share).round() as u64;
        Detention {
            calendar: VecDeque::new(),
            queue: VecDeque::new(),
            initial: Pool {
                n: p.initial_detained,
                convicted: convicted.min(p.initial_detained),
            },
            others: Pool::default(),
            others_waiting: Pool::default(),
            convicted_by_office: vec![0; offices],
            persons_waiting: 0,
            carry_bookins: 0.0,
            carry_removals: 0.0,
        }
    }

    fn others_detained(&self) -> Pool {
        Pool {
            n: self.initial.n + self.others.n + self.others_waiting.n,
            convicted: self.initial.convicted
                + self.others.convicted
                + self.others_waiting.convicted,
        }
    }

    /// Everyone detained now.
    fn detained(&self, dockets: &[OfficeDocket]) -> u64 {
        self.others_detained().n + dockets.iter().map(|d| d.n_detained).sum::<u64>()
    }

    /// Some of a pool leave today (each with probability `rate`); a share go to the
    /// removal queue, the rest are released. Returns how many were released.
    fn pool_exits(
        pool: &mut Pool,
        rate: f64,
        removal_share: f64,
        queue: &mut VecDeque<Waiting>,
        waiting: &mut Pool,
        rng: &mut rng::Rng,
    ) -> u64 {
        let k = binomial(pool.n, rate, rng);
        if k == 0 {
            return 0;
        }
        let kc = binomial(k, pool.convicted as f64 / pool.n as f64, rng).min(pool.convicted);
        pool.n -= k;
        pool.convicted -= kc;
        let r = binomial(k, removal_share, rng);
        let rc = binomial(kc, removal_share, rng).min(r);
        if r > 0 {
            queue.push_back(Waiting::Others {
                n: r,
                convicted: rc,
            });
            waiting.n += r;
            waiting.convicted += rc;
        }
        k - r
    }

    /// With `over_capacity = "release"`, people held above the beds (`held` of them;
    /// after beds were cut by an event, or from the start) are released until the beds
    /// hold them: first people not on the docket (counts, the convicted in proportion),
    /// then docket members with the longest stays left. People waiting for removal
    /// transport stay. No random draw: runs that never exceed their beds keep their
    /// numbers.
    fn release_down_to(
        &mut self,
        beds: u64,
        held: u64,
        dockets: &mut [OfficeDocket],
        flows: &mut [OfficeFlows],
        nat: &mut National,
    ) {
        let mut excess = held.saturating_sub(beds);
        for pool in [&mut self.initial, &mut self.others] {
            let k = excess.min(pool.n);
            if k == 0 {
                continue;
            }
            let kc = (pool.convicted as u128 * k as u128 / pool.n as u128) as u64;
            pool.n -= k;
            pool.convicted -= kc;
            excess -= k;
            nat.others_released_over_capacity += k;
        }
        while excess > 0 {
            let Some(last) = self.calendar.back_mut() else {
                break;
            };
            match last.pop() {
                Some(stay) => {
                    let o = stay.office as usize;
                    dockets[o].leave_detention(stay.who, Custody::AtLarge);
                    self.convicted_by_office[o] -= u64::from(stay.who.class().is_convicted());
                    flows[o].released_over_capacity += 1;
                    excess -= 1;
                }
                None => {
                    self.calendar.pop_back();
                }
            }
        }
    }

    /// One day of detention (steps 1-3 of the module doc). `arrested[o]` lists the
    /// people office o arrested today, in order; they are detained until booked in here.
    pub fn day(
        &mut self,
        p: &DetentionParams,
        rp: &RemovalParams,
        dockets: &mut [OfficeDocket],
        arrested: &[Vec<Taken>],
        rng: &mut rng::Rng,
    ) -> (Vec<OfficeFlows>, National) {
        let mut flows = vec![OfficeFlows::default(); dockets.len()];
        let limit = capacity(p);
        let mut nat = National {
            beds: p.beds,
            capacity: limit,
            ..National::default()
        };

        // 1. Stays that end today.
        for stay in self.calendar.pop_front().unwrap_or_default() {
            let o = stay.office as usize;
            match stay.exit {
                Exit::Removal => {
                    self.queue.push_back(Waiting::Person {
                        office: stay.office,
                        who: stay.who,
                    });
                    self.persons_waiting += 1;
                    continue;
                }
                Exit::Release => {
                    dockets[o].leave_detention(stay.who, Custody::AtLarge);
                    flows[o].released += 1;
                }
                Exit::Relief => {
                    dockets[o].leave_detention(stay.who, Custody::Left);
                    flows[o].relief += 1;
                }
            }
            self.convicted_by_office[o] -= u64::from(stay.who.class().is_convicted());
        }
        Self::pool_exits(
            &mut self.initial,
            1.0 / p.initial_remaining_days,
            p.others_removal_share,
            &mut self.queue,
            &mut self.others_waiting,
            rng,
        );
        Self::pool_exits(
            &mut self.others,
            1.0 / p.others_stay_days,
            p.others_removal_share,
            &mut self.queue,
            &mut self.others_waiting,
            rng,
        );

        // 2. Removals, first come first served, up to the day's transport capacity.
        let slots = removal::capacity_per_day(rp) + self.carry_removals;
        let mut left = slots.floor() as u64;
        self.carry_removals = slots - slots.floor();
        while left > 0 {
            let Some(front) = self.queue.front_mut() else {
                break;
            };
            match front {
                Waiting::Person { office, who } => {
                    let o = *office as usize;
                    dockets[o].leave_detention(*who, Custody::Removed);
                    self.convicted_by_office[o] -= u64::from(who.class().is_convicted());
                    flows[o].removals += 1;
                    flows[o].removals_recent += u64::from(dockets[o].is_recent(who.person));
                    self.persons_waiting -= 1;
                    self.queue.pop_front();
                    left -= 1;
                    nat.removals += 1;
                }
                Waiting::Others { n, convicted } => {
                    let k = (*n).min(left);
                    let kc = if k == *n {
                        *convicted
                    } else {
                        binomial(k, *convicted as f64 / *n as f64, rng).min(*convicted)
                    };
                    *n -= k;
                    *convicted -= kc;
                    self.others_waiting.n -= k;
                    self.others_waiting.convicted -= kc;
                    if *n == 0 {
                        self.queue.pop_front();
                    }
                    left -= k;
                    nat.removals += k;
                }
            }
        }
        if self.carry_removals > 0.0 && self.queue.is_empty() {
            // Unused transport does not pile up.
            self.carry_removals = 0.0;
        }

        let hold = p.over_capacity == OverCapacity::Hold;
        if !hold {
            let arrested_today: u64 = arrested.iter().map(|l| l.len() as u64).sum();
            let held = self.detained(dockets) - arrested_today;
            self.release_down_to(limit, held, dockets, &mut flows, &mut nat);
        }

        // 3. Book-ins: other agencies' first, then the day's arrests.
        let mut detained = self.detained(dockets);
        // Book-ins never take detention above its capacity unless the scenario holds
        // people over it (it may start above it).
        let before_bookins = detained - arrested.iter().map(|l| l.len() as u64).sum::<u64>();
        let want = p.others_bookins_per_day + self.carry_bookins;
        let others_in = want.floor() as u64;
        self.carry_bookins = want - want.floor();
        let admitted = if hold {
            others_in
        } else {
            others_in.min(limit.saturating_sub(detained))
        };
        nat.others_released_over_capacity += others_in - admitted;
        let conv = binomial(admitted, p.others_convicted_share, rng);
        self.others.n += admitted;
        self.others.convicted += conv;
        detained += admitted;

        let outcome = [
            p.outcome_final_order.to_array(),
            p.outcome_pending.to_array(),
            p.outcome_protected.to_array(),
        ];
        let stays = p.stay_days.to_array();
        let case_factor = p.stay_factor.to_array();
        let bookin_share = p.bookin_share.to_array();
        for (o, list) in arrested.iter().enumerate() {
            // Arrested people are already counted as detained by their office.
            detained -= list.len() as u64;
            for &who in list {
                let class = who.class();
                let expedited = removal::expedited(rp, who, dockets[o].is_recent(who.person), rng);
                // No draw where everyone is booked in, so such runs keep their numbers.
                let share = bookin_share[class as usize];
                if !expedited && share < 1.0 && rng.random::<f64>() >= share {
                    dockets[o].leave_detention(who, Custody::AtLarge);
                    flows[o].released_at_processing += 1;
                    continue;
                }
                if !hold && detained >= limit {
                    dockets[o].leave_detention(who, Custody::AtLarge);
                    flows[o].released_over_capacity += 1;
                    continue;
                }
                detained += 1;
                flows[o].bookins += 1;
                let mean = if expedited {
                    flows[o].expedited += 1;
                    rp.expedited_stay_days
                } else {
                    stays[class as usize] * case_factor[who.case as usize]
                };
                let days = Gamma::new(p.stay_shape, mean / p.stay_shape)
                    .map(|g| g.sample(rng))
                    .unwrap_or(mean);
                let days = (days.round() as usize).clamp(1, 36_500);
                let probs = outcome[who.case as usize];
                let u: f64 = rng.random();
                let exit = if expedited || u < probs[0] {
                    Exit::Removal
                } else if u < probs[0] + probs[1] {
                    Exit::Release
                } else {
                    Exit::Relief
                };
                let convicted = class.is_convicted();
                self.convicted_by_office[o] += u64::from(convicted);
                while self.calendar.len() < days {
                    self.calendar.push_back(Vec::new());
                }
                self.calendar[days - 1].push(Stay {
                    office: o as u8,
                    who,
                    exit,
                });
            }
        }

        // Midnight.
        let others = self.others_detained();
        for (o, d) in dockets.iter().enumerate() {
            flows[o].detained = d.n_detained;
            flows[o].detained_convicted = self.convicted_by_office[o];
        }
        nat.others_detained = others.n;
        nat.detained = others.n + flows.iter().map(|f| f.detained).sum::<u64>();
        nat.detained_convicted =
            others.convicted + flows.iter().map(|f| f.detained_convicted).sum::<u64>();
        nat.over_capacity = nat.detained.saturating_sub(p.beds);
        debug_assert!(
            p.over_capacity == OverCapacity::Hold || nat.detained <= limit.max(before_bookins),
            "{} detained with a capacity of {} and no holding over it",
            nat.detained,
            limit
        );
        nat.removal_queue = self.others_waiting.n + self.persons_waiting;
        (flows, nat)
    }
}
