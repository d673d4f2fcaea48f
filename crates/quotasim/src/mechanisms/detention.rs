//! Downstream: detention, release and removal (docs/model.md 7.8).
//!
//! Detention is national: every office's arrests compete for the same funded beds.
//! Each day, after the offices have made their arrests:
//!
//! 1. stays that end today end: a docket member is released (at large again, and can
//!    be arrested again), granted relief (leaves the docket), or joins the queue for
//!    removal (still detained);
//! 2. removals: up to the day's transport capacity ([`crate::mechanisms::removal::capacity_per_day`])
//!    people leave the queue, first come first served, and are removed (never arrested
//!    again);
//! 3. book-ins: people arrested by others (Border Patrol, ports) first, then the day's
//!    arrests, office by office in the fixed order. Funded beds (`detention.beds`), beds
//!    under contract (`detention.contracted_beds`, reported) and what ICE can
//!    physically hold (`detention.capacity`; 0 for the funded beds) are separate:
//!    people are held above the funded beds up to the capacity, as before 2025
//!    (FY2019). A book-in finding the capacity
//!    full is released at once (`over_capacity = "release"`) or held over it ("hold").
//!    With "release", people held above the capacity (from the start, or after an event
//!    cut it) are first released down to it: people booked in by others, then the
//!    offices' arrests, each with the longest stays left first; those waiting for
//!    removal stay. A person
//!    placed in expedited removal ([`crate::mechanisms::removal::expedited`]) is booked in whatever
//!    the book-in share, for a stay of mean `removal.expedited_stay_days` ending in
//!    removal. Any other docket member booked in draws a stay, gamma distributed with
//!    mean `stay_days[class] x stay_factor[case state]` and shape `stay_shape` (at least
//!    one day), and an outcome from `outcome_<case state>`; a person with an open case
//!    (pending, or protection or a claim pending) leaves by the pathways of
//!    [`crate::mechanisms::pathways`] (their stay's factor and outcome) where the detained docket is
//!    on.
//!
//! Removals of people never held in ICE detention (`removal.without_detention_per_day`:
//! people removed from Border Patrol custody or straight from a prison) take transport
//! first and are counted in the day's removals; they are not on the docket.
//!
//! Capacity opens over weeks: a rise in `detention.capacity` is reached in equal steps
//! over `detention.opening_days` days (the beds of a facility fill as it opens and is
//! staffed); a cut applies at once. The funded and contracted beds are reported as
//! the scenario gives them.
//!
//! People held at the start and people booked in by other agencies (Border Patrol,
//! ports) are people too, with a class and a case state: each joins an office's docket
//! (drawn by docket share), detained, with a pending case and a class drawn from the
//! convicted and pending shares (the convicted split like the docket's). Their stay is
//! geometric (a constant daily rate of leaving, 1 / mean stay) and ends in removal with
//! probability `others_removal_share`, release otherwise, as bond hearings for everyone
//! leave them; the bond policy slows their release as it slows an open case's
//! ([`crate::mechanisms::pathways`]), also for those already held; released, they are at large
//! on the office's docket like anyone else. Those booked in by others and finding
//! detention full are released at once, onto the docket. Office flows (book-ins,
//! releases, removals) count the office's own arrests; `national_others_detained`
//! counts the others held.

use std::collections::VecDeque;

use rand::RngExt;
use rand_distr::{Distribution, Gamma};

use crate::mechanisms::docket::{CaseState, Custody, OfficeDocket, Taken};
use crate::mechanisms::pathways::{ByRecord, record};
use crate::mechanisms::removal;
use crate::rng;
use crate::setup::scenario::{DetentionParams, OverCapacity, RemovalParams};
use crate::types::Class;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exit {
    Removal,
    Release,
    Relief,
}

/// A stay, filed under the day it ends. The person's attributes are kept with it, so
/// that ending the stay reads nothing from their record. `others`: booked in by
/// another agency (or held at the start), not arrested by the office.
#[derive(Debug, Clone, Copy)]
struct Stay {
    office: u8,
    others: bool,
    /// Drawn by the pathways of an open case (not expedited, not booked in by others):
    /// a change of those pathways reaches the rest of the stay.
    open_case: bool,
    who: Taken,
    exit: Exit,
}

/// Someone waiting for removal transport.
#[derive(Debug, Clone, Copy)]
struct Waiting {
    office: u8,
    others: bool,
    who: Taken,
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
    /// People arrested by other agencies who joined the office's docket today: booked
    /// in, or released at once for lack of room.
    pub others_joined: u64,
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
    /// Of everyone detained, with neither conviction nor pending charge.
    pub detained_no_record: u64,
    /// Detainees not on the docket.
    pub others_detained: u64,
    /// Of them, with a conviction, and with neither conviction nor pending charge.
    pub others_detained_convicted: u64,
    pub others_detained_no_record: u64,
    pub beds: u64,
    /// Beds under contract.
    pub contracted_beds: u64,
    /// People ICE can physically hold.
    pub capacity: u64,
    /// Detained beyond the funded beds.
    pub over_capacity: u64,
    /// Removals today, docket members and others, and people never held
    /// (`removals_without_detention`).
    pub removals: u64,
    /// Of the removals, people never held in ICE detention.
    pub removals_without_detention: u64,
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

/// Beds under contract: `detention.contracted_beds`, or the funded beds where it is 0.
pub fn contracted_beds(p: &DetentionParams) -> u64 {
    if p.contracted_beds > 0 {
        p.contracted_beds
    } else {
        p.beds
    }
}

/// The national detention system.
#[derive(Debug, Clone)]
pub struct Detention {
    /// calendar[d]: stays ending d + 1 days after today.
    calendar: VecDeque<Vec<Stay>>,
    queue: VecDeque<Waiting>,
    /// People detained with a conviction, by office.
    convicted_by_office: Vec<u64>,
    /// People detained by class (indexed by [`Class`]), split by whether the offices
    /// arrested them (`[0]`) or they were booked in by other agencies or held at the
    /// start (`[1]`, the others).
    held_by_class: [[u64; Class::COUNT]; 2],
    /// Cumulative docket shares of the offices, for drawing the office of a person
    /// booked in by another agency.
    office_cumulative: Vec<f64>,
    /// Shares of the three convicted classes among the docket's convicted.
    convicted_split: [f64; 3],
    carry_bookins: f64,
    carry_removals: f64,
    carry_without_detention: f64,
    /// The capacity open today (persons), and the step a day by which it opens
    /// towards the scenario's capacity.
    open: f64,
    opening_step: f64,
    /// The scenario's capacity when the current opening began.
    opening_to: u64,
    /// The pathways of open cases in force yesterday (none before the first day).
    pathways_then: Option<ByRecord>,
}

/// Capacity that opens over `days` days: today's open capacity and step, given the
/// scenario's capacity `target`. A new target above what is open starts an opening
/// of equal steps; a target below it applies at once.
fn open_capacity(open: f64, step: f64, opening_to: u64, target: u64, days: f64) -> (f64, f64) {
    let t = target as f64;
    if t <= open || days <= 0.0 {
        return (t, 0.0);
    }
    let step = if target != opening_to {
        (t - open) / days
    } else {
        step
    };
    ((open + step).min(t), step)
}

/// The way out of a person booked in by another agency: removal with probability
/// `removal_share`, release otherwise (never relief, whatever the rounding of the two
/// shares' sum), for a uniform draw `u`.
fn removal_or_release(removal_share: f64, u: f64) -> Exit {
    if u < removal_share {
        Exit::Removal
    } else {
        Exit::Release
    }
}

/// The way out of a stay whose outcome shares are `probs` (removal, release, relief),
/// for a uniform draw `u`.
fn exit_of(probs: [f64; 3], u: f64) -> Exit {
    if u < probs[0] {
        Exit::Removal
    } else if u < probs[0] + probs[1] {
        Exit::Release
    } else {
        Exit::Relief
    }
}

/// A stay of geometric length with mean `mean` days (a constant daily rate of leaving,
/// 1 / mean), at least one day.
fn geometric_days(mean: f64, rng: &mut rng::Rng) -> usize {
    if mean <= 1.0 {
        return 1;
    }
    let u: f64 = rng.random::<f64>().max(f64::MIN_POSITIVE);
    let days = (u.ln() / (1.0 - 1.0 / mean).ln()).ceil();
    (days as usize).clamp(1, 36_500)
}

impl Detention {
    /// The system at the start: `initial_detained` people held, each with a class (a
    /// share `initial_convicted_share` convicted, split like the docket's convicted,
    /// `initial_pending_share` with pending charges, the rest with neither), a pending
    /// case, an office drawn by docket share, and a stay left of geometric length with
    /// mean `initial_remaining_days`, ending in removal with `open.others`'s share for
    /// their record (the bond policy in force on the first day). They join their
    /// office's docket, detained.
    pub fn new(
        p: &DetentionParams,
        open: &ByRecord,
        convicted_split: [f64; 3],
        docket_share: &[f64],
        dockets: &mut [OfficeDocket],
        rng: &mut rng::Rng,
    ) -> Detention {
        let total: f64 = docket_share.iter().sum::<f64>().max(f64::MIN_POSITIVE);
        let mut acc = 0.0;
        let mut d = Detention {
            calendar: VecDeque::new(),
            queue: VecDeque::new(),
            convicted_by_office: vec![0; dockets.len()],
            held_by_class: [[0; Class::COUNT]; 2],
            office_cumulative: docket_share
                .iter()
                .map(|w| {
                    acc += w / total;
                    acc
                })
                .collect(),
            convicted_split,
            carry_bookins: 0.0,
            carry_removals: 0.0,
            carry_without_detention: 0.0,
            open: capacity(p) as f64,
            opening_step: 0.0,
            opening_to: capacity(p),
            pathways_then: None,
        };
        for _ in 0..p.initial_detained {
            d.book_in_other(
                p.initial_convicted_share,
                p.initial_pending_share,
                [p.initial_remaining_days; 2],
                open.0.map(|o| o.others.outcome[0]),
                dockets,
                rng,
            );
        }
        for doc in dockets.iter_mut() {
            // Held at the start: among the people at the start, not people who joined.
            doc.start += doc.joined;
            doc.joined = 0;
        }
        d
    }

    /// The class of a person booked in by another agency: convicted with probability
    /// `convicted` (split like the docket's convicted), pending charges with
    /// probability `pending`, neither otherwise.
    fn other_class(&self, convicted: f64, pending: f64, rng: &mut rng::Rng) -> usize {
        let u: f64 = rng.random();
        if u < convicted {
            let v = u / convicted;
            let [ns, violent, _] = self.convicted_split;
            if v < ns {
                Class::NationalSecurityGang as usize
            } else if v < ns + violent {
                Class::Violent as usize
            } else {
                Class::ConvictedOther as usize
            }
        } else if u < convicted + pending {
            Class::PendingCharges as usize
        } else {
            Class::Other as usize
        }
    }

    /// The office of a person booked in by another agency, drawn by docket share.
    fn other_office(&self, rng: &mut rng::Rng) -> usize {
        let u: f64 = rng.random();
        self.office_cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.office_cumulative.len() - 1)
    }

    /// Books in one person arrested by another agency (or held at the start): they join
    /// an office's docket, detained, with a pending case, for a geometric stay of mean
    /// `mean_days` that ends in removal with probability `removal_share`, release
    /// otherwise (each indexed by [`record`]). Returns their office.
    #[allow(clippy::too_many_arguments)]
    fn book_in_other(
        &mut self,
        convicted: f64,
        pending: f64,
        mean_days: [f64; 2],
        removal_share: [f64; 2],
        dockets: &mut [OfficeDocket],
        rng: &mut rng::Rng,
    ) -> usize {
        let o = self.other_office(rng);
        let c = self.other_class(convicted, pending, rng);
        let person = dockets[o].admit_to(c, Custody::Detained, rng);
        let who = dockets[o].taken_detained(person);
        let record = record(who.class());
        let exit = removal_or_release(removal_share[record], rng.random());
        self.convicted_by_office[o] += u64::from(who.class().is_convicted());
        self.held_by_class[1][who.class() as usize] += 1;
        let stay = Stay {
            office: o as u8,
            others: true,
            open_case: false,
            who,
            exit,
        };
        self.file(geometric_days(mean_days[record], rng), stay);
        o
    }

    /// A person arrested by another agency and released at once for lack of room: they
    /// join an office's docket at large. Returns their office.
    fn release_other_at_once(
        &self,
        convicted: f64,
        pending: f64,
        dockets: &mut [OfficeDocket],
        rng: &mut rng::Rng,
    ) -> usize {
        let o = self.other_office(rng);
        let c = self.other_class(convicted, pending, rng);
        dockets[o].admit_to(c, Custody::AtLarge, rng);
        o
    }

    /// Files a stay of `days` days.
    fn file(&mut self, days: usize, stay: Stay) {
        while self.calendar.len() < days {
            self.calendar.push_back(Vec::new());
        }
        self.calendar[days - 1].push(stay);
    }

    /// The pathways of open cases changed overnight (`then` -> `now`: a bond ruling, a
    /// slower docket): everyone held with an open case, and everyone booked in by
    /// other agencies, faces the new clocks for the rest of their stay. Each such
    /// stay's days left are scaled by the ratio of the mean stays, `now.stay_factor /
    /// then.stay_factor` (at least one day), and its way out is drawn again from
    /// `now`'s outcome. Clocks that ring at constant rates have no memory, so this is
    /// the stay a person booked in under `now` would have left. Stays are taken in
    /// calendar order and filed again in that order: the draws do not depend on the
    /// number of threads.
    fn follow_pathways(&mut self, then: &ByRecord, now: &ByRecord, rng: &mut rng::Rng) {
        let changed = |s: &Stay| {
            let (then, now) = (then.of(s.who.class()), now.of(s.who.class()));
            if s.others {
                then.others != now.others
            } else {
                then.pending != now.pending || then.protected != now.protected
            }
        };
        let follows = |s: &Stay| (s.open_case || s.others) && changed(s);
        let mut moved = Vec::new();
        for (day, list) in self.calendar.iter_mut().enumerate() {
            let (open, rest): (Vec<Stay>, Vec<Stay>) =
                std::mem::take(list).into_iter().partition(follows);
            *list = rest;
            moved.extend(open.into_iter().map(|s| (day + 1, s)));
        }
        for (days, mut stay) in moved {
            let (then, now) = (then.of(stay.who.class()), now.of(stay.who.class()));
            let (was, is) = if stay.others {
                (then.others, now.others)
            } else if stay.who.case == CaseState::Pending as u8 {
                (then.pending, now.pending)
            } else {
                (then.protected, now.protected)
            };
            let left = days as f64 * is.stay_factor / was.stay_factor.max(f64::MIN_POSITIVE);
            let left = (left.round() as usize).clamp(1, 36_500);
            let u: f64 = rng.random();
            stay.exit = if stay.others {
                removal_or_release(is.outcome[0], u)
            } else {
                exit_of(is.outcome, u)
            };
            self.file(left, stay);
        }
    }

    /// A person leaves detention: the counters that hold them are brought down.
    fn leave(
        &mut self,
        dockets: &mut [OfficeDocket],
        o: usize,
        others: bool,
        who: Taken,
        to: Custody,
    ) {
        dockets[o].leave_detention(who, to);
        self.convicted_by_office[o] -= u64::from(who.class().is_convicted());
        self.held_by_class[usize::from(others)][who.class() as usize] -= 1;
    }

    /// Everyone detained now.
    fn detained(&self, dockets: &[OfficeDocket]) -> u64 {
        dockets.iter().map(|d| d.n_detained).sum::<u64>()
    }

    /// With `over_capacity = "release"`, people held above the capacity (`held` of
    /// them; after an event cut it, or from the start) are released until it holds
    /// them: first people booked in by other agencies, then people the offices arrested,
    /// each with the longest stays left first. People waiting for removal transport
    /// stay. No random draw: runs that never exceed their capacity keep their numbers.
    fn release_down_to(
        &mut self,
        limit: u64,
        held: u64,
        dockets: &mut [OfficeDocket],
        flows: &mut [OfficeFlows],
        nat: &mut National,
    ) {
        let mut excess = held.saturating_sub(limit);
        if excess == 0 {
            return;
        }
        for others_first in [true, false] {
            for day in (0..self.calendar.len()).rev() {
                let mut i = self.calendar[day].len();
                while excess > 0 && i > 0 {
                    i -= 1;
                    let stay = self.calendar[day][i];
                    if stay.others != others_first {
                        continue;
                    }
                    self.calendar[day].swap_remove(i);
                    let o = stay.office as usize;
                    self.leave(dockets, o, stay.others, stay.who, Custody::AtLarge);
                    if stay.others {
                        nat.others_released_over_capacity += 1;
                    } else {
                        flows[o].released_over_capacity += 1;
                    }
                    excess -= 1;
                }
            }
        }
        while self.calendar.back().is_some_and(Vec::is_empty) {
            self.calendar.pop_back();
        }
    }

    /// One day of detention (steps 1-3 of the module doc). `arrested[o]` lists the
    /// people office o arrested today, in order; they are detained until booked in here.
    #[allow(clippy::too_many_arguments)]
    pub fn day(
        &mut self,
        p: &DetentionParams,
        rp: &RemovalParams,
        open: &ByRecord,
        dockets: &mut [OfficeDocket],
        arrested: &[Vec<Taken>],
        rng: &mut rng::Rng,
    ) -> (Vec<OfficeFlows>, National) {
        let mut flows = vec![OfficeFlows::default(); dockets.len()];
        let target = capacity(p);
        (self.open, self.opening_step) = open_capacity(
            self.open,
            self.opening_step,
            self.opening_to,
            target,
            p.opening_days,
        );
        self.opening_to = target;
        let limit = self.open.floor() as u64;
        if let Some(then) = self.pathways_then.replace(*open)
            && then != *open
        {
            self.follow_pathways(&then, open, rng);
        }
        let mut nat = National {
            beds: p.beds,
            contracted_beds: contracted_beds(p),
            capacity: limit,
            ..National::default()
        };

        // 1. Stays that end today.
        for stay in self.calendar.pop_front().unwrap_or_default() {
            let o = stay.office as usize;
            match stay.exit {
                Exit::Removal => {
                    self.queue.push_back(Waiting {
                        office: stay.office,
                        others: stay.others,
                        who: stay.who,
                    });
                }
                Exit::Release => {
                    self.leave(dockets, o, stay.others, stay.who, Custody::AtLarge);
                    if !stay.others {
                        flows[o].released += 1;
                    }
                }
                Exit::Relief => {
                    self.leave(dockets, o, stay.others, stay.who, Custody::Left);
                    if !stay.others {
                        flows[o].relief += 1;
                    }
                }
            }
        }

        // 2. Removals of people never held, then of those waiting, first come first
        // served, up to the day's transport capacity.
        let slots = removal::capacity_per_day(rp) + self.carry_removals;
        let mut left = slots.floor() as u64;
        self.carry_removals = slots - slots.floor();
        let direct = rp.without_detention_per_day + self.carry_without_detention;
        let direct_today = (direct.floor() as u64).min(left);
        self.carry_without_detention = direct - direct.floor();
        left -= direct_today;
        nat.removals_without_detention = direct_today;
        nat.removals += direct_today;
        while left > 0 {
            let Some(w) = self.queue.pop_front() else {
                break;
            };
            let o = w.office as usize;
            self.leave(dockets, o, w.others, w.who, Custody::Removed);
            if !w.others {
                flows[o].removals += 1;
                flows[o].removals_recent += u64::from(dockets[o].is_recent(w.who.person));
            }
            left -= 1;
            nat.removals += 1;
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
        for _ in admitted..others_in {
            let o = self.release_other_at_once(
                p.others_convicted_share,
                p.others_pending_share,
                dockets,
                rng,
            );
            flows[o].others_joined += 1;
        }
        let others_days = open.0.map(|o| p.others_stay_days * o.others.stay_factor);
        let others_removal = open.0.map(|o| o.others.outcome[0]);
        for _ in 0..admitted {
            let o = self.book_in_other(
                p.others_convicted_share,
                p.others_pending_share,
                others_days,
                others_removal,
                dockets,
                rng,
            );
            flows[o].others_joined += 1;
        }
        detained += admitted;

        // Open cases end by their pathways (the outcome tables where the detained docket
        // is off: crate::mechanisms::pathways::open).
        // Indexed by record (pathways::record), then case state.
        let outcome = open.0.map(|open| {
            [
                p.outcome_final_order.to_array(),
                open.pending.outcome,
                open.protected.outcome,
            ]
        });
        let stays = p.stay_days.to_array();
        let case_factor = open.0.map(|open| {
            let mut f = p.stay_factor.to_array();
            f[CaseState::Pending as usize] *= open.pending.stay_factor;
            f[CaseState::Protected as usize] *= open.protected.stay_factor;
            f
        });
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
                    stays[class as usize] * case_factor[record(class)][who.case as usize]
                };
                let days = Gamma::new(p.stay_shape, mean / p.stay_shape)
                    .map(|g| g.sample(rng))
                    .unwrap_or(mean);
                let days = (days.round() as usize).clamp(1, 36_500);
                let u: f64 = rng.random();
                let exit = if expedited {
                    Exit::Removal
                } else {
                    exit_of(outcome[record(class)][who.case as usize], u)
                };
                self.convicted_by_office[o] += u64::from(class.is_convicted());
                self.held_by_class[0][class as usize] += 1;
                let open_case = !expedited && who.case != CaseState::FinalOrder as u8;
                self.file(
                    days,
                    Stay {
                        office: o as u8,
                        others: false,
                        open_case,
                        who,
                        exit,
                    },
                );
            }
        }

        // Midnight.
        for (o, d) in dockets.iter().enumerate() {
            flows[o].detained = d.n_detained;
            flows[o].detained_convicted = self.convicted_by_office[o];
        }
        nat.detained = flows.iter().map(|f| f.detained).sum::<u64>();
        nat.detained_convicted = flows.iter().map(|f| f.detained_convicted).sum::<u64>();
        let [own, others] = &self.held_by_class;
        nat.others_detained = others.iter().sum();
        let convicted = |held: &[u64; Class::COUNT]| held[..3].iter().sum::<u64>();
        let no_record = Class::Other as usize;
        nat.detained_no_record = own[no_record] + others[no_record];
        nat.others_detained_convicted = convicted(others);
        nat.others_detained_no_record = others[no_record];
        debug_assert_eq!(convicted(own) + convicted(others), nat.detained_convicted);
        nat.over_capacity = nat.detained.saturating_sub(p.beds);
        debug_assert!(
            p.over_capacity == OverCapacity::Hold || nat.detained <= limit.max(before_bookins),
            "{} detained with a capacity of {} and no holding over it",
            nat.detained,
            limit
        );
        nat.removal_queue = self.queue.len() as u64;
        (flows, nat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rise_in_capacity_opens_in_equal_steps_and_a_cut_at_once() {
        let (mut open, mut step, mut to) = (1_000.0, 0.0, 1_000);
        let mut seen = Vec::new();
        for _ in 0..6 {
            (open, step) = open_capacity(open, step, to, 1_400, 4.0);
            to = 1_400;
            seen.push(open);
        }
        assert_eq!(seen, [1_100.0, 1_200.0, 1_300.0, 1_400.0, 1_400.0, 1_400.0]);
        (open, _) = open_capacity(open, step, to, 900, 4.0);
        assert_eq!(open, 900.0);
        // No opening time: at once.
        assert_eq!(open_capacity(900.0, 0.0, 900, 2_000, 0.0).0, 2_000.0);
    }
}
