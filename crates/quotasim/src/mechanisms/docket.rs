//! The docket store: each office's people as columns, and the moves between custody
//! states (docs/model.md 2, "Entities, state variables and scales").
//!
//! Each field office holds its own people as columns (struct of arrays, one byte per
//! attribute): priority class, immigration-case state, difficulty level and custody
//! state. Membership lists give O(1) draws: the people at large are kept by class,
//! difficulty level and case state (so that everyone in a list is alike in every
//! attribute the model reads), those in a local jail or prison by class. Each person is
//! in exactly one list or none (detained, removed, gone). Every move takes a person at
//! an index the draw chose (swap-remove) and pushes them onto another list, in constant
//! time; nobody is looked up by number, so no column records where a person is in
//! their list. About 10 bytes a person in all: four one-byte columns and the list
//! entry, with room reserved for the people expected to join.
//!
//! This module holds the store and its primitive moves only. The mechanisms that move
//! people live in their own modules, each as methods on [`OfficeDocket`]:
//! [`crate::mechanisms::population`] draws the docket, [`crate::mechanisms::jails`] books and releases,
//! [`crate::mechanisms::court`] decides cases, [`crate::mechanisms::flows`] admits and removes people from the
//! docket, [`crate::mechanisms::channels`] arrests and [`crate::mechanisms::detention`] holds and removes.
//!
//! No real person's record is read or produced: counts come from published aggregates
//! and every individual is drawn at random.

use rand::RngExt;

use crate::rng;
use crate::types::Class;

/// Difficulty levels: quantile buckets of a log-normal difficulty.
pub const LEVELS: usize = 16;

/// Immigration-case states (see [`CaseState`]).
pub const CASES: usize = 3;

/// At-large lists per class: one per (difficulty level, case state), so that everyone in
/// a list is alike in every attribute the model reads.
pub const SLOTS: usize = LEVELS * CASES;

/// The at-large list of a difficulty level and case state.
pub const fn slot(level: usize, case: usize) -> usize {
    level * CASES + case
}

/// A list's length as f64, through u32: one instruction where usize to f64 takes
/// several, and the same value (a list holds fewer than 2^32 people; debug builds
/// check).
#[inline]
fn len_f64(list: &[u32]) -> f64 {
    debug_assert!(u32::try_from(list.len()).is_ok());
    f64::from(list.len() as u32)
}

/// Standard-normal quantiles at the midpoints of the 16 equal-probability buckets,
/// Phi^-1((k + 0.5) / 16). A person's difficulty multiplier is exp(sd * Z\[level\]).
pub const LEVEL_Z: [f64; LEVELS] = [
    -1.862732, -1.318011, -1.009990, -0.776422, -0.579132, -0.402250, -0.237202, -0.078412,
    0.078412, 0.237202, 0.402250, 0.579132, 0.776422, 1.009990, 1.318011, 1.862732,
];

/// A person's immigration-case state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CaseState {
    FinalOrder = 0,
    Pending = 1,
    Protected = 2,
}

/// Where a person is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Custody {
    /// At large in the community.
    AtLarge = 0,
    /// Held in a local jail or prison.
    InJail = 1,
    /// Released today from a cooperating jail: ICE can take them by custodial transfer.
    Handover = 2,
    /// Arrested by ICE and held in detention (see `detention.rs`).
    Detained = 3,
    /// Removed from the country: never arrested again.
    Removed = 4,
    /// Left the docket another way (relief granted, case closed, departure).
    Left = 5,
}

/// A person taken out of a list, with the attributes the model reads: who they are
/// (office-local number), class, difficulty level and case state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Taken {
    pub person: u32,
    pub class: u8,
    pub level: u8,
    pub case: u8,
}

impl Taken {
    pub fn class(self) -> Class {
        Class::from_index(self.class as usize)
    }
}

/// Which membership list: at large (class, level), in jail (class) or handed over (class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum List {
    AtLarge(usize, usize),
    InJail(usize),
    Handover(usize),
}

/// One office's people.
#[derive(Debug, Clone)]
pub struct OfficeDocket {
    pub class: Vec<u8>,
    pub case: Vec<u8>,
    pub level: Vec<u8>,
    pub custody: Vec<u8>,
    /// People at large, by class and slot (difficulty level and case state).
    pub(crate) at_large: [[Vec<u32>; SLOTS]; Class::COUNT],
    /// People in local jails and prisons, by class.
    pub(crate) in_jail: [Vec<u32>; Class::COUNT],
    /// People handed over today by cooperating jails, by class.
    pub(crate) handover: [Vec<u32>; Class::COUNT],
    /// How many are at large, by class (the sum of the `at_large` list lengths, kept
    /// so that the daily loop need not add them up).
    pub(crate) n_at_large: [u64; Class::COUNT],
    /// How many are at large with a pending case (the court's pool).
    pub(crate) n_pending_at_large: u64,
    /// Arrests made so far, by class (a person released and arrested again counts twice).
    pub arrests: [u64; Class::COUNT],
    /// People detained, removed, or gone from the docket another way, now.
    pub n_detained: u64,
    pub n_removed: u64,
    pub n_left: u64,
    /// People whose immigration case is pending and who are still on the docket
    /// (at large, in a jail or detained): the office's share of the court backlog.
    pub n_case_pending: u64,
    /// People drawn at the start, and people who joined the docket since.
    pub start: u64,
    pub joined: u64,
    /// Who has been present under two years (see [`Recent`]).
    pub recent: Recent,
    /// [`OfficeDocket::case_weighted_at_large`] of each class, kept between arrests for
    /// the case weights `weighted_for`; a class's value is worked out again, the same
    /// way, once its at-large lists change (`weighted_stale`).
    pub(crate) weighted: WeightedCache,
}

/// Room to make in an office's docket as it is drawn, so that no column or list
/// reallocates during the run (a reallocation doubles a vector's capacity, copies it
/// and briefly holds both). Only memory depends on it: a list that outgrows its room
/// still grows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Room {
    /// People expected to join during the run (they join with a pending case, at a
    /// uniform level).
    pub joins: usize,
    /// Their classes' shares.
    pub join_share: [f64; Class::COUNT],
    /// Removal orders the court is expected to issue per person with a pending case at
    /// the start (orders move people from the pending-case lists to the final-order
    /// lists).
    pub orders_per_pending: f64,
}

impl Room {
    /// Room for the joiners of class `c` in one pending-case list of a level.
    pub(crate) fn joins_per_level(&self, c: usize) -> usize {
        (self.joins as f64 * self.join_share[c] / LEVELS as f64 * 1.1) as usize + 8
    }

    /// Room for the court's orders in a final-order list whose pending-case
    /// counterpart starts with `pending` people.
    pub(crate) fn orders_for(&self, pending: usize) -> usize {
        (pending as f64 * self.orders_per_pending * 1.1) as usize + 8
    }
}

/// The cache of case-weighted counts at large (a speed device: the values are those
/// [`OfficeDocket::case_weighted_at_large`] gives, bit for bit).
#[derive(Debug, Clone, Default)]
pub(crate) struct WeightedCache {
    for_weights: Option<[f64; CASES]>,
    value: [f64; Class::COUNT],
    stale: [bool; Class::COUNT],
}

/// Who on an office's docket has been present in the country under two years (open to
/// expedited removal while it is in force, [`crate::mechanisms::removal`]), held without a column:
/// everyone who joined during the run is; of the people drawn at the start, a person is
/// when a hash of their number and a salt drawn with the docket falls below the share
/// `docket.share_recent`. Person numbers carry no meaning and the salt differs from one
/// replication to the next, so this is a draw independent of every other attribute,
/// at no byte per person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recent {
    threshold: u64,
    salt: u64,
}

impl Recent {
    /// Nobody drawn at the start is recent.
    pub const fn none() -> Recent {
        Recent {
            threshold: 0,
            salt: 0,
        }
    }

    /// A share `share` of the people drawn at the start are recent.
    pub fn drawn(share: f64, rng: &mut rng::Rng) -> Recent {
        Recent {
            // share x 2^64, saturating at 1.
            threshold: if share >= 1.0 {
                u64::MAX
            } else {
                (share.max(0.0) * 18_446_744_073_709_551_616.0) as u64
            },
            salt: rng.random(),
        }
    }

    /// Whether `person`, of an office whose docket started with `start` people, is recent.
    pub fn of(self, person: u32, start: u64) -> bool {
        u64::from(person) >= start || splitmix(u64::from(person) ^ self.salt) < self.threshold
    }
}

/// The SplitMix64 finaliser: a bijective mix of 64 bits.
fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl OfficeDocket {
    pub fn len(&self) -> usize {
        self.class.len()
    }

    pub fn is_empty(&self) -> bool {
        self.class.is_empty()
    }

    /// People at large of class `c`.
    pub fn at_large_count(&self, c: usize) -> usize {
        self.n_at_large[c] as usize
    }

    /// People at large, all classes.
    pub fn at_large_total(&self) -> usize {
        self.n_at_large.iter().sum::<u64>() as usize
    }

    /// People in local jails and prisons of class `c`.
    pub fn in_jail_count(&self, c: usize) -> usize {
        self.in_jail[c].len()
    }

    /// People handed over today of class `c`, not yet taken.
    pub fn handover_count(&self, c: usize) -> usize {
        self.handover[c].len()
    }

    /// The lowest difficulty level with anyone of class `c` at large.
    pub fn easiest_level(&self, c: usize) -> Option<usize> {
        self.at_large[c]
            .iter()
            .position(|l| !l.is_empty())
            .map(|s| s / CASES)
    }

    /// Bytes held by the columns and lists (capacity, not length).
    pub fn heap_bytes(&self) -> usize {
        // Columns grow as people join: count capacity, which is what is held.
        let lists: usize = self
            .at_large
            .iter()
            .flatten()
            .map(Vec::capacity)
            .sum::<usize>()
            + self
                .in_jail
                .iter()
                .chain(self.handover.iter())
                .map(Vec::capacity)
                .sum::<usize>();
        self.class.capacity()
            + self.case.capacity()
            + self.level.capacity()
            + self.custody.capacity()
            + 4 * lists
    }

    pub(crate) fn list_mut(&mut self, at: List) -> &mut Vec<u32> {
        match at {
            List::AtLarge(c, l) => &mut self.at_large[c][l],
            List::InJail(c) => &mut self.in_jail[c],
            List::Handover(c) => &mut self.handover[c],
        }
    }

    /// Takes the person at index `i` of list `at` out of it (swap-remove) and returns
    /// them. The caller names the list, so no attribute of the person is read: on a
    /// docket of millions, each such read is a cache miss.
    pub(crate) fn take(&mut self, at: List, i: usize) -> u32 {
        if let List::AtLarge(c, s) = at {
            self.n_at_large[c] -= 1;
            self.weighted.stale[c] = true;
            if s % CASES == CaseState::Pending as usize {
                self.n_pending_at_large -= 1;
            }
        }
        self.list_mut(at).swap_remove(i)
    }

    /// Puts a person of class `c`, taken out of their list, into the state `to`,
    /// reading their level and case state only where the destination needs them.
    pub(crate) fn put(&mut self, person: u32, c: usize, to: Custody) {
        let p = person as usize;
        let level = if to == Custody::AtLarge {
            self.level[p]
        } else {
            0
        };
        let case = if matches!(to, Custody::AtLarge | Custody::Removed | Custody::Left) {
            self.case[p]
        } else {
            0
        };
        self.put_known(
            Taken {
                person,
                class: c as u8,
                level,
                case,
            },
            to,
        );
    }

    /// What a person taken from list `at` is: known from the list where it is keyed by
    /// their attributes (at large), read from their record otherwise.
    pub(crate) fn taken(&self, at: List, person: u32) -> Taken {
        match at {
            List::AtLarge(c, s) => Taken {
                person,
                class: c as u8,
                level: (s / CASES) as u8,
                case: (s % CASES) as u8,
            },
            List::InJail(c) | List::Handover(c) => Taken {
                person,
                class: c as u8,
                level: self.level[person as usize],
                case: self.case[person as usize],
            },
        }
    }

    /// Puts a person whose attributes are known (`t`) into the state `to`, reading
    /// nothing from their record.
    pub(crate) fn put_known(&mut self, t: Taken, to: Custody) {
        let (person, c) = (t.person, t.class as usize);
        self.custody[person as usize] = to as u8;
        let at = match to {
            Custody::Detained => {
                self.n_detained += 1;
                return;
            }
            Custody::Removed | Custody::Left => {
                if to == Custody::Removed {
                    self.n_removed += 1;
                } else {
                    self.n_left += 1;
                }
                if t.case == CaseState::Pending as u8 {
                    self.n_case_pending -= 1;
                }
                return;
            }
            Custody::AtLarge => {
                let case = t.case as usize;
                self.n_at_large[c] += 1;
                self.weighted.stale[c] = true;
                if case == CaseState::Pending as usize {
                    self.n_pending_at_large += 1;
                }
                List::AtLarge(c, slot(t.level as usize, case))
            }
            Custody::InJail => List::InJail(c),
            Custody::Handover => List::Handover(c),
        };
        self.list_mut(at).push(person);
    }

    /// Someone at large of class `c`, uniformly at random: a list drawn in proportion
    /// to its size, and in it the last person (see [`OfficeDocket::last_of`]).
    pub(crate) fn random_at_large(&self, c: usize, rng: &mut rng::Rng) -> Option<(List, usize)> {
        let total = self.at_large_count(c);
        if total == 0 {
            return None;
        }
        let u = rng.random_range(0..total);
        let (s, _) = locate(self.at_large[c].iter().map(Vec::len), u)?;
        Some(self.last_of(List::AtLarge(c, s)))
    }

    /// The last position of an at-large list. Everyone in an at-large list is alike in
    /// every attribute the model reads (class, difficulty level, case state, custody),
    /// so once a list is drawn in proportion to its size, taking its last person is a
    /// uniform draw in distribution; and it reads no entry at random and moves no one
    /// (on a docket of millions, each random read is a cache miss). Who exactly is
    /// arrested carries no meaning in the model, which outputs no individual history.
    pub(crate) fn last_of(&self, at: List) -> (List, usize) {
        let List::AtLarge(c, s) = at else {
            unreachable!("only at-large lists are alike throughout")
        };
        (at, self.at_large[c][s].len() - 1)
    }

    /// Arrests a person of class `c` at the easiest level at large (targeted arrest).
    /// Returns the person arrested, now detained, and their class.
    pub fn arrest_easiest(&mut self, c: usize, rng: &mut rng::Rng) -> Option<Taken> {
        let l = self.easiest_level(c)?;
        // Uniformly among everyone at that level, whatever their case state.
        let slots = slot(l, 0)..slot(l, CASES);
        let total: usize = self.at_large[c][slots.clone()].iter().map(Vec::len).sum();
        let u = rng.random_range(0..total);
        let (k, _) = locate(self.at_large[c][slots.clone()].iter().map(Vec::len), u)?;
        let (at, i) = self.last_of(List::AtLarge(c, slots.start + k));
        Some(self.arrest(at, i))
    }

    /// The person at index `i` of list `at` is arrested: counted, and detained until
    /// the day's book-in decides (`detention.rs`).
    pub(crate) fn arrest(&mut self, at: List, i: usize) -> Taken {
        let person = self.take(at, i);
        let t = self.taken(at, person);
        self.arrests[t.class as usize] += 1;
        self.put_known(t, Custody::Detained);
        t
    }

    /// What a detained person is, read from their record (detained people are in no
    /// list that would say).
    pub(crate) fn taken_detained(&self, person: u32) -> Taken {
        let p = person as usize;
        Taken {
            person,
            class: self.class[p],
            level: self.level[p],
            case: self.case[p],
        }
    }

    /// Whether `person` has been present under two years ([`Recent`]).
    pub fn is_recent(&self, person: u32) -> bool {
        self.recent.of(person, self.start)
    }

    /// People of class `c` at large, each counted with the findability factor of their
    /// case state (`case_weight`, in the order of [`CaseState`]).
    pub fn case_weighted_at_large(&self, c: usize, case_weight: &[f64; CASES]) -> f64 {
        if case_weight.iter().all(|&w| w == 1.0) {
            return self.at_large_count(c) as f64;
        }
        // Added up one after another, in slot order, as `Iterator::sum` does.
        self.slot_masses(c, case_weight).fold(0.0, |sum, m| sum + m)
    }

    /// Each at-large slot's mass for class `c`, in slot order: its people times their
    /// case weight. Level by level, the cases within, with no remainder per slot; a
    /// list's length goes through u32, which converts to f64 in one instruction and gives
    /// the same value.
    fn slot_masses<'a>(
        &'a self,
        c: usize,
        case_weight: &'a [f64; CASES],
    ) -> impl Iterator<Item = f64> + 'a {
        self.at_large[c]
            .chunks_exact(CASES)
            .flat_map(move |level| level.iter().zip(case_weight).map(|(l, w)| len_f64(l) * w))
    }

    /// [`OfficeDocket::case_weighted_at_large`] of every class, worked out again only
    /// for the classes whose at-large lists changed since the last call with these
    /// weights (the same sums, so the same bits).
    fn case_weighted_at_large_cached(&mut self, case_weight: &[f64; CASES]) -> [f64; Class::COUNT] {
        if self.weighted.for_weights != Some(*case_weight) {
            self.weighted.for_weights = Some(*case_weight);
            self.weighted.stale = [true; Class::COUNT];
        }
        for c in 0..Class::COUNT {
            if self.weighted.stale[c] {
                self.weighted.value[c] = self.case_weighted_at_large(c, case_weight);
                self.weighted.stale[c] = false;
            }
        }
        self.weighted.value
    }

    /// The mean case findability of the people of class `c` at level `level`.
    pub fn mean_case_weight(&self, c: usize, level: usize, case_weight: &[f64; CASES]) -> f64 {
        if case_weight.iter().all(|&w| w == 1.0) {
            return 1.0;
        }
        let (n, w) = (0..CASES).fold((0.0, 0.0), |(n, w), k| {
            let len = len_f64(&self.at_large[c][slot(level, k)]);
            (n + len, w + len * case_weight[k])
        });
        if n > 0.0 { w / n } else { 1.0 }
    }

    /// One draw in proportion to `mass`: the index (the last with any mass when
    /// rounding runs past the end), or `None` with no mass.
    fn draw_by_mass(mass: &[f64], rng: &mut rng::Rng) -> Option<usize> {
        let total: f64 = mass.iter().sum();
        if total <= 0.0 {
            return None;
        }
        let mut u = rng.random::<f64>() * total;
        for (k, &m) in mass.iter().enumerate() {
            if u < m {
                return Some(k);
            }
            u -= m;
        }
        mass.iter().rposition(|&m| m > 0.0)
    }

    /// Arrests someone at large, a class drawn in proportion to its people at large
    /// weighted by `weight[c]` and their case states' `case_weight` (findability,
    /// [`crate::mechanisms::findability`]), then a person of that class in proportion to their case
    /// weight. With equal weights this is [`OfficeDocket::arrest_anyone`].
    pub fn arrest_weighted(
        &mut self,
        weight: &[f64; Class::COUNT],
        case_weight: &[f64; CASES],
        rng: &mut rng::Rng,
    ) -> Option<Taken> {
        let equal_cases = case_weight.iter().all(|&w| w == case_weight[0]);
        if equal_cases && weight.iter().all(|&w| w == weight[0]) {
            return self.arrest_anyone(rng);
        }
        let weighted = self.case_weighted_at_large_cached(case_weight);
        let mass: [f64; Class::COUNT] = std::array::from_fn(|c| weighted[c] * weight[c]);
        let c = Self::draw_by_mass(&mass, rng)?;
        let (at, i) = if equal_cases {
            self.random_at_large(c, rng)?
        } else {
            // A slot in proportion to its people times their case weight: the draw of
            // `draw_by_mass` over the slots, whose total is the class's case-weighted
            // count (the same sum), each slot's mass worked out only as far as needed.
            let total = weighted[c];
            if total <= 0.0 {
                return None;
            }
            let mut u = rng.random::<f64>() * total;
            let s = self
                .slot_masses(c, case_weight)
                .position(|m| {
                    if u < m {
                        return true;
                    }
                    u -= m;
                    false
                })
                .or_else(|| {
                    // Rounding ran past the end: the last slot with any mass.
                    let masses = self.slot_masses(c, case_weight).enumerate();
                    masses.filter(|&(_, m)| m > 0.0).last().map(|(s, _)| s)
                })?;
            self.last_of(List::AtLarge(c, s))
        };
        Some(self.arrest(at, i))
    }

    /// As [`OfficeDocket::arrest_easiest`], the person drawn among the easiest level in
    /// proportion to their case state's findability `case_weight`.
    pub fn arrest_easiest_weighted(
        &mut self,
        c: usize,
        case_weight: &[f64; CASES],
        rng: &mut rng::Rng,
    ) -> Option<Taken> {
        if case_weight.iter().all(|&w| w == case_weight[0]) {
            return self.arrest_easiest(c, rng);
        }
        let l = self.easiest_level(c)?;
        let mass: [f64; CASES] =
            std::array::from_fn(|k| len_f64(&self.at_large[c][slot(l, k)]) * case_weight[k]);
        let k = Self::draw_by_mass(&mass, rng)?;
        let (at, i) = self.last_of(List::AtLarge(c, slot(l, k)));
        Some(self.arrest(at, i))
    }

    /// Arrests someone at large drawn uniformly from the whole pool (indiscriminate).
    /// Returns the person arrested, now detained, and their class.
    pub fn arrest_anyone(&mut self, rng: &mut rng::Rng) -> Option<Taken> {
        let total = self.at_large_total();
        if total == 0 {
            return None;
        }
        let u = rng.random_range(0..total);
        let (c, u) = locate((0..Class::COUNT).map(|c| self.at_large_count(c)), u)?;
        let (s, _) = locate(self.at_large[c].iter().map(Vec::len), u)?;
        let (at, i) = self.last_of(List::AtLarge(c, s));
        Some(self.arrest(at, i))
    }

    /// Takes a person of class `c` handed over today (custodial transfer).
    pub fn arrest_handover(&mut self, c: usize, rng: &mut rng::Rng) -> Option<Taken> {
        let n = self.handover[c].len();
        if n == 0 {
            return None;
        }
        Some(self.arrest(List::Handover(c), rng.random_range(0..n)))
    }

    /// A detained person leaves detention to `to` (at large, removed, or gone).
    pub fn leave_detention(&mut self, t: Taken, to: Custody) {
        debug_assert_eq!(self.custody[t.person as usize], Custody::Detained as u8);
        self.n_detained -= 1;
        self.put_known(t, to);
    }

    /// Checks that every person is in the list their custody state names, once, or in
    /// none when detained, removed or gone, and that counts add up. Used by debug builds
    /// and tests.
    pub fn check_consistency(&self) -> Result<(), Inconsistency> {
        let mut seen = 0usize;
        let mut listed = vec![false; self.len()];
        let lists = self
            .at_large
            .iter()
            .flatten()
            .map(|l| (l, Custody::AtLarge))
            .chain(self.in_jail.iter().map(|l| (l, Custody::InJail)))
            .chain(self.handover.iter().map(|l| (l, Custody::Handover)));
        for (list, state) in lists {
            for &person in list {
                let i = person as usize;
                if self.custody[i] != state as u8 {
                    return Err(Inconsistency::Misplaced { person: i });
                }
                if std::mem::replace(&mut listed[i], true) {
                    return Err(Inconsistency::ListedTwice { person: i });
                }
                seen += 1;
            }
        }
        if let Some(i) =
            (0..self.len()).find(|&i| !listed[i] && self.custody[i] < Custody::Detained as u8)
        {
            return Err(Inconsistency::Unlisted { person: i });
        }
        for c in 0..Class::COUNT {
            for (s, list) in self.at_large[c].iter().enumerate() {
                for &p in list {
                    let p = p as usize;
                    if self.class[p] as usize != c
                        || slot(self.level[p] as usize, self.case[p] as usize) != s
                    {
                        return Err(Inconsistency::WrongList { person: p });
                    }
                }
            }
            let n: usize = self.at_large[c].iter().map(Vec::len).sum();
            if n as u64 != self.n_at_large[c] {
                return Err(Inconsistency::Counter {
                    what: "at large",
                    class: Some(c),
                    listed: n as u64,
                    counter: self.n_at_large[c],
                });
            }
        }
        let pending_at_large: usize = (0..Class::COUNT)
            .flat_map(|c| (0..LEVELS).map(move |l| (c, l)))
            .map(|(c, l)| self.at_large[c][slot(l, CaseState::Pending as usize)].len())
            .sum();
        if pending_at_large as u64 != self.n_pending_at_large {
            return Err(Inconsistency::Counter {
                what: "pending at large",
                class: None,
                listed: pending_at_large as u64,
                counter: self.n_pending_at_large,
            });
        }
        let out = self.n_detained + self.n_removed + self.n_left;
        if seen as u64 + out != self.len() as u64 || self.len() as u64 != self.start + self.joined {
            return Err(Inconsistency::NotConserved {
                listed: seen as u64,
                out,
                people: self.len() as u64,
                start: self.start,
                joined: self.joined,
            });
        }
        let pending = (0..self.len())
            .filter(|&i| {
                self.case[i] == CaseState::Pending as u8
                    && self.custody[i] <= Custody::Detained as u8
            })
            .count() as u64;
        if pending != self.n_case_pending {
            return Err(Inconsistency::Counter {
                what: "pending cases",
                class: None,
                listed: pending,
                counter: self.n_case_pending,
            });
        }
        Ok(())
    }
}
/// How the docket's lists and counters disagree ([`Docket::check_consistency`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inconsistency {
    /// A person in a list their custody state does not name.
    Misplaced { person: usize },
    /// A person in two lists, or twice in one.
    ListedTwice { person: usize },
    /// A person at large, in jail or handed over, in no list.
    Unlisted { person: usize },
    /// A person in the at-large list of another class, level or case state.
    WrongList { person: usize },
    /// A counter (of a class, where `class` is given) that differs from its lists.
    Counter {
        what: &'static str,
        class: Option<usize>,
        listed: u64,
        counter: u64,
    },
    /// People in lists plus those out of them differ from everyone who was on the
    /// docket.
    NotConserved {
        listed: u64,
        out: u64,
        people: u64,
        start: u64,
        joined: u64,
    },
}

impl std::fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Inconsistency::Misplaced { person } => write!(f, "person {person} misplaced"),
            Inconsistency::ListedTwice { person } => write!(f, "person {person} in two places"),
            Inconsistency::Unlisted { person } => write!(f, "person {person} is in no list"),
            Inconsistency::WrongList { person } => {
                write!(f, "person {person} in the wrong at-large list")
            }
            Inconsistency::Counter {
                what,
                class,
                listed,
                counter,
            } => {
                if let Some(c) = class {
                    write!(f, "class {c}: ")?;
                }
                write!(f, "{listed} {what} in lists, counter says {counter}")
            }
            Inconsistency::NotConserved {
                listed,
                out,
                people,
                start,
                joined,
            } => write!(
                f,
                "{listed} in lists + {out} detained, removed or gone != {people} people (start {start} + joined {joined})"
            ),
        }
    }
}

impl std::error::Error for Inconsistency {}

/// Where the `u`-th item falls when parts of the given sizes are laid end to end: the
/// part's index and the position within it. The weighted choice behind every uniform
/// draw across lists.
pub(crate) fn locate(
    sizes: impl IntoIterator<Item = usize>,
    mut u: usize,
) -> Option<(usize, usize)> {
    for (i, n) in sizes.into_iter().enumerate() {
        if u < n {
            return Some((i, u));
        }
        u -= n;
    }
    None
}
