//! Population: the synthetic docket and its own flows (docs/model.md 7.1, 7.5).
//!
//! Each field office holds its own people as columns (struct of arrays, one byte per
//! attribute): priority class, immigration-case state, difficulty level and custody
//! state. Membership lists give O(1) draws: the people at large are kept by class,
//! difficulty level and case state (so that everyone in a list is alike in every
//! attribute the model reads), those in a local jail or prison by class. Each person is
//! in exactly one list or none (detained, removed, gone), and `pos` says where, so a
//! person moves between lists by swap-remove in constant time. About 14 bytes a person
//! in all, with room reserved for the people expected to join.
//!
//! No real person's record is read or produced: counts come from published aggregates
//! and every individual is drawn at random.

use rand::RngExt;
use rand_distr::{Binomial, Distribution};

use crate::Class;
use crate::rng::{self, Purpose};
use crate::scenario::Scenario;

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

/// Standard-normal quantiles at the midpoints of the 16 equal-probability buckets,
/// Phi^-1((k + 0.5) / 16). A person's difficulty multiplier is exp(sd * Z[level]).
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
enum List {
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
    /// Position of each person in the list they are in.
    pos: Vec<u32>,
    /// People at large, by class and slot (difficulty level and case state).
    at_large: [[Vec<u32>; SLOTS]; Class::COUNT],
    /// People in local jails and prisons, by class.
    in_jail: [Vec<u32>; Class::COUNT],
    /// People handed over today by cooperating jails, by class.
    handover: [Vec<u32>; Class::COUNT],
    /// How many are at large, by class (the sum of the `at_large` list lengths, kept
    /// so that the daily loop need not add them up).
    n_at_large: [u64; Class::COUNT],
    /// How many are at large with a pending case (the court's pool).
    n_pending_at_large: u64,
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
}

/// National counts of each class, and how they are split over offices.
pub fn class_totals(s: &Scenario) -> [u64; Class::COUNT] {
    let d = &s.docket;
    let ns = (d.convicted as f64 * d.share_convicted_national_security_gang).round() as u64;
    let violent =
        ((d.convicted as f64 * d.share_convicted_violent).round() as u64).min(d.convicted - ns);
    [
        ns,
        violent,
        d.convicted - ns - violent,
        d.pending_charges,
        d.total - d.convicted - d.pending_charges,
    ]
}

/// Splits `total` into whole parts proportional to `shares` (largest remainder; ties to
/// the lower index), so the parts add up exactly.
pub fn apportion(total: u64, shares: &[f64]) -> Vec<u64> {
    let sum: f64 = shares.iter().sum();
    let raw: Vec<f64> = shares.iter().map(|s| total as f64 * s / sum).collect();
    let mut parts: Vec<u64> = raw.iter().map(|r| r.floor() as u64).collect();
    let mut left = total - parts.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        (raw[b] - raw[b].floor())
            .total_cmp(&(raw[a] - raw[a].floor()))
            .then(a.cmp(&b))
    });
    for &i in order.iter().cycle() {
        if left == 0 {
            break;
        }
        parts[i] += 1;
        left -= 1;
    }
    parts
}

impl OfficeDocket {
    /// Draws one office's people: `counts[c]` of each class, each person's custody,
    /// difficulty level and case state drawn independently (custody with the class's
    /// `share_in_custody`, level uniform over the 16 levels, case with
    /// `share_final_order` and `share_protected`).
    ///
    /// Person numbers carry no meaning, so instead of drawing person by person this
    /// draws how many fall in each (custody, level, case) cell of a class (a
    /// multinomial, by conditional binomials) and lays each cell out as a run of
    /// consecutive people. The distribution is the same; the lists fill sequentially.
    pub fn draw(counts: [u64; Class::COUNT], s: &Scenario, rng: &mut rng::Rng) -> OfficeDocket {
        let n: usize = counts.iter().sum::<u64>() as usize;
        let d = &s.docket;
        let custody_share = d.share_in_custody.to_array();
        let p_final = d.share_final_order;
        // Protected, given not under a final order.
        let p_protected = if p_final < 1.0 {
            (d.share_protected / (1.0 - p_final)).min(1.0)
        } else {
            0.0
        };
        let mut doc = OfficeDocket {
            class: Vec::with_capacity(n),
            case: Vec::with_capacity(n),
            level: Vec::with_capacity(n),
            custody: Vec::with_capacity(n),
            pos: Vec::with_capacity(n),
            at_large: std::array::from_fn(|_| std::array::from_fn(|_| Vec::new())),
            in_jail: std::array::from_fn(|_| Vec::new()),
            handover: std::array::from_fn(|_| Vec::new()),
            n_at_large: [0; Class::COUNT],
            n_pending_at_large: 0,
            arrests: [0; Class::COUNT],
            n_detained: 0,
            n_removed: 0,
            n_left: 0,
            n_case_pending: 0,
            start: n as u64,
            joined: 0,
        };
        for (c, &count) in counts.iter().enumerate() {
            let jailed = binomial(count, custody_share[c], rng);
            // Room for the jail population to fluctuate without reallocating.
            doc.in_jail[c].reserve_exact(jailed as usize + jailed as usize / 8 + 16);
            for (custody, m) in [
                (Custody::InJail, jailed),
                (Custody::AtLarge, count - jailed),
            ] {
                let mut left = m;
                for level in 0..LEVELS {
                    // Uniform over levels: the next level takes 1 / (levels left) of the rest.
                    let k = binomial(left, 1.0 / (LEVELS - level) as f64, rng);
                    left -= k;
                    let finals = binomial(k, p_final, rng);
                    let protected = binomial(k - finals, p_protected, rng);
                    let pending = k - finals - protected;
                    doc.n_case_pending += pending;
                    let first = doc.class.len();
                    let k = k as usize;
                    doc.class.resize(first + k, c as u8);
                    doc.level.resize(first + k, level as u8);
                    doc.custody.resize(first + k, custody as u8);
                    let mut id = first;
                    for (state, m) in [
                        (CaseState::FinalOrder, finals),
                        (CaseState::Protected, protected),
                        (CaseState::Pending, pending),
                    ] {
                        let m = m as usize;
                        doc.case.resize(doc.case.len() + m, state as u8);
                        let list = match custody {
                            Custody::InJail => &mut doc.in_jail[c],
                            _ => {
                                doc.n_at_large[c] += m as u64;
                                if state == CaseState::Pending {
                                    doc.n_pending_at_large += m as u64;
                                }
                                let list = &mut doc.at_large[c][slot(level, state as usize)];
                                // Room for the pool to grow a little (releases from jails and
                                // detention) without doubling its capacity.
                                list.reserve_exact(m + m / 32 + 16);
                                list
                            }
                        };
                        let at = list.len();
                        doc.pos.extend((at..at + m).map(|p| p as u32));
                        list.extend((id..id + m).map(|i| i as u32));
                        id += m;
                    }
                }
            }
        }
        doc
    }

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
            + 4 * (self.pos.capacity() + lists)
    }

    fn list_mut(&mut self, at: List) -> &mut Vec<u32> {
        match at {
            List::AtLarge(c, l) => &mut self.at_large[c][l],
            List::InJail(c) => &mut self.in_jail[c],
            List::Handover(c) => &mut self.handover[c],
        }
    }

    /// Takes the person at index `i` of list `at` out of it (swap-remove) and returns
    /// them. The caller names the list, so no attribute of the person is read: on a
    /// docket of millions, each such read is a cache miss.
    fn take(&mut self, at: List, i: usize) -> u32 {
        if let List::AtLarge(c, s) = at {
            self.n_at_large[c] -= 1;
            if s % CASES == CaseState::Pending as usize {
                self.n_pending_at_large -= 1;
            }
        }
        let list = self.list_mut(at);
        let person = list.swap_remove(i);
        if let Some(&moved) = list.get(i) {
            self.pos[moved as usize] = i as u32;
        }
        person
    }

    /// Puts a person of class `c`, taken out of their list, into the state `to`,
    /// reading their level and case state only where the destination needs them.
    fn put(&mut self, person: u32, c: usize, to: Custody) {
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
    fn taken(&self, at: List, person: u32) -> Taken {
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
    fn put_known(&mut self, t: Taken, to: Custody) {
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
                if case == CaseState::Pending as usize {
                    self.n_pending_at_large += 1;
                }
                List::AtLarge(c, slot(t.level as usize, case))
            }
            Custody::InJail => List::InJail(c),
            Custody::Handover => List::Handover(c),
        };
        let list = self.list_mut(at);
        let p = list.len() as u32;
        list.push(person);
        self.pos[person as usize] = p;
    }

    /// Someone at large of class `c`, uniformly at random: a list drawn in proportion
    /// to its size, and in it the last person (see [`OfficeDocket::last_of`]).
    fn random_at_large(&self, c: usize, rng: &mut rng::Rng) -> Option<(List, usize)> {
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
    fn last_of(&self, at: List) -> (List, usize) {
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
    fn arrest(&mut self, at: List, i: usize) -> Taken {
        let person = self.take(at, i);
        let t = self.taken(at, person);
        self.arrests[t.class as usize] += 1;
        self.put_known(t, Custody::Detained);
        t
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

    /// Makes room for `n` more people to join, of classes in the proportions
    /// `class_share`, without reallocating the columns or the at-large lists: a
    /// reallocation doubles a vector's capacity, and briefly holds two copies.
    pub fn reserve_joins(&mut self, n: usize, class_share: &[f64; Class::COUNT]) {
        self.class.reserve_exact(n);
        self.case.reserve_exact(n);
        self.level.reserve_exact(n);
        self.custody.reserve_exact(n);
        self.pos.reserve_exact(n);
        for (c, share) in class_share.iter().enumerate() {
            // They join with a pending case, at a uniform level.
            let per_level = (n as f64 * share / LEVELS as f64 * 1.1) as usize + 8;
            for l in 0..LEVELS {
                self.at_large[c][slot(l, CaseState::Pending as usize)].reserve_exact(per_level);
            }
        }
    }

    /// Makes room in the final-order lists for `n` court removal orders, which move
    /// people there from the pending-case lists, spread like the pending cases at large.
    pub fn reserve_court_orders(&mut self, n: usize) {
        let pend = CaseState::Pending as usize;
        let fin = CaseState::FinalOrder as usize;
        let total = self.n_pending_at_large.max(1) as f64;
        for c in 0..Class::COUNT {
            for l in 0..LEVELS {
                let share = self.at_large[c][slot(l, pend)].len() as f64 / total;
                self.at_large[c][slot(l, fin)].reserve_exact((n as f64 * share * 1.1) as usize + 8);
            }
        }
    }

    /// A detained person leaves detention to `to` (at large, removed, or gone).
    pub fn leave_detention(&mut self, t: Taken, to: Custody) {
        debug_assert_eq!(self.custody[t.person as usize], Custody::Detained as u8);
        self.n_detained -= 1;
        self.put_known(t, to);
    }

    /// A new person joins the docket, at large with a pending case (a new notice to
    /// appear); their difficulty level is drawn uniformly. Returns them.
    pub fn admit(&mut self, c: usize, rng: &mut rng::Rng) -> u32 {
        let person = self.class.len() as u32;
        let level = rng.random_range(0..LEVELS as u8);
        self.class.push(c as u8);
        self.case.push(CaseState::Pending as u8);
        self.level.push(level);
        self.custody.push(Custody::Left as u8);
        self.pos.push(0);
        self.joined += 1;
        self.n_case_pending += 1;
        self.put(person, c, Custody::AtLarge);
        person
    }

    /// Departures: each person at large of class `c` leaves the docket (emigrates,
    /// adjusts status outside court) with probability `p`. Returns how many left.
    pub fn depart(&mut self, p: f64, rng: &mut rng::Rng) -> u64 {
        let mut gone = 0;
        for c in 0..Class::COUNT {
            let k = binomial(self.at_large_count(c) as u64, p, rng);
            for _ in 0..k {
                if let Some((at, i)) = self.random_at_large(c, rng) {
                    let person = self.take(at, i);
                    self.put_known(self.taken(at, person), Custody::Left);
                    gone += 1;
                }
            }
        }
        gone
    }

    /// The immigration court decides up to `n` pending cases of people at large: a
    /// removal order with probability `p_order` (the case becomes a final order),
    /// otherwise relief or closure (the person leaves the docket). Returns (orders,
    /// reliefs or closures).
    ///
    /// Deciding n cases one after another, each uniform among the pending cases left,
    /// picks a uniform random n-subset of them; so the subset is drawn at once, as n
    /// distinct positions over the pending-case lists laid end to end, and the lists are
    /// walked once to count how many fall in each. Everyone in a list is alike in every
    /// attribute the model reads, so the decided people are taken from the end of their
    /// list: no record is read at random (on a docket of millions each such read is a
    /// cache miss).
    pub fn decide_cases(&mut self, n: u64, p_order: f64, rng: &mut rng::Rng) -> (u64, u64) {
        let pend = CaseState::Pending as usize;
        let total = self.n_pending_at_large as usize;
        let n = (n as usize).min(total);
        if n == 0 {
            return (0, 0);
        }
        let mut picks: Vec<usize> = Vec::with_capacity(n);
        while picks.len() < n {
            let more = n - picks.len();
            picks.extend((0..more).map(|_| rng.random_range(0..total)));
            picks.sort_unstable();
            picks.dedup();
        }
        let (mut orders, mut closed) = (0, 0);
        let (mut offset, mut p) = (0, 0);
        for k in 0..Class::COUNT * LEVELS {
            let at = List::AtLarge(k / LEVELS, slot(k % LEVELS, pend));
            let len = self.list_mut(at).len();
            let first = p;
            while p < n && picks[p] < offset + len {
                p += 1;
            }
            offset += len;
            for _ in first..p {
                let last = self.list_mut(at).len() - 1;
                let person = self.take(at, last);
                let who = self.taken(at, person);
                if rng.random_bool(p_order.clamp(0.0, 1.0)) {
                    // Same class and level, now a final order: back at large in that list.
                    self.case[person as usize] = CaseState::FinalOrder as u8;
                    self.n_case_pending -= 1;
                    self.put_known(
                        Taken {
                            case: CaseState::FinalOrder as u8,
                            ..who
                        },
                        Custody::AtLarge,
                    );
                    orders += 1;
                } else {
                    self.put_known(who, Custody::Left);
                    closed += 1;
                }
            }
            if p == n {
                break;
            }
        }
        (orders, closed)
    }

    /// The day's releases from local jails and prisons: each person of class `c` leaves
    /// with probability `release_p[c]`; a cooperating jail (probability `cooperation`)
    /// hands them to ICE for today, otherwise they are at large. Returns (released,
    /// handed over).
    pub fn release_from_jails(
        &mut self,
        release_p: &[f64; Class::COUNT],
        cooperation: f64,
        rng: &mut rng::Rng,
    ) -> (u64, u64) {
        let (mut released, mut offered) = (0, 0);
        for (c, &p) in release_p.iter().enumerate() {
            let n = self.in_jail[c].len() as u64;
            let r = binomial(n, p, rng);
            let k = binomial(r, cooperation, rng);
            for i in 0..r {
                let n = self.in_jail[c].len();
                let person = self.take(List::InJail(c), rng.random_range(0..n));
                self.put(
                    person,
                    c,
                    if i < k {
                        Custody::Handover
                    } else {
                        Custody::AtLarge
                    },
                );
            }
            released += r;
            offered += k;
        }
        (released, offered)
    }

    /// People handed over but not taken today go free.
    pub fn end_handovers(&mut self) -> u64 {
        let mut n = 0;
        for c in 0..Class::COUNT {
            while let Some(last) = self.handover[c].len().checked_sub(1) {
                let person = self.take(List::Handover(c), last);
                self.put(person, c, Custody::AtLarge);
                n += 1;
            }
        }
        n
    }

    /// The day's bookings into local jails: each person at large of class `c` is booked
    /// with probability `booking_p[c]`. Returns the number booked.
    pub fn book_into_jails(&mut self, booking_p: &[f64; Class::COUNT], rng: &mut rng::Rng) -> u64 {
        let mut booked = 0;
        for (c, &p) in booking_p.iter().enumerate() {
            let b = binomial(self.at_large_count(c) as u64, p, rng);
            for _ in 0..b {
                if let Some((at, i)) = self.random_at_large(c, rng) {
                    let person = self.take(at, i);
                    self.put_known(self.taken(at, person), Custody::InJail);
                }
            }
            booked += b;
        }
        booked
    }

    /// Checks that every person is in the list their custody state names, at the
    /// position `pos` says, and counts add up. Used by debug builds and tests.
    pub fn check_consistency(&self) -> Result<(), String> {
        let mut seen = 0usize;
        let lists = self
            .at_large
            .iter()
            .flatten()
            .map(|l| (l, Custody::AtLarge))
            .chain(self.in_jail.iter().map(|l| (l, Custody::InJail)))
            .chain(self.handover.iter().map(|l| (l, Custody::Handover)));
        for (list, state) in lists {
            for (p, &person) in list.iter().enumerate() {
                let i = person as usize;
                if self.custody[i] != state as u8 || self.pos[i] as usize != p {
                    return Err(format!("person {i} misplaced"));
                }
                seen += 1;
            }
        }
        for c in 0..Class::COUNT {
            for (s, list) in self.at_large[c].iter().enumerate() {
                for &p in list {
                    let p = p as usize;
                    if self.class[p] as usize != c
                        || slot(self.level[p] as usize, self.case[p] as usize) != s
                    {
                        return Err(format!("person {p} in the wrong at-large list"));
                    }
                }
            }
            let n: usize = self.at_large[c].iter().map(Vec::len).sum();
            if n as u64 != self.n_at_large[c] {
                return Err(format!(
                    "class {c}: {n} at large in lists, counter says {}",
                    self.n_at_large[c]
                ));
            }
        }
        let pending_at_large: usize = (0..Class::COUNT)
            .flat_map(|c| (0..LEVELS).map(move |l| (c, l)))
            .map(|(c, l)| self.at_large[c][slot(l, CaseState::Pending as usize)].len())
            .sum();
        if pending_at_large as u64 != self.n_pending_at_large {
            return Err(format!(
                "{pending_at_large} pending at large, counter says {}",
                self.n_pending_at_large
            ));
        }
        let out = self.n_detained + self.n_removed + self.n_left;
        if seen as u64 + out != self.len() as u64 || self.len() as u64 != self.start + self.joined {
            return Err(format!(
                "{seen} in lists + {out} detained, removed or gone != {} people (start {} + joined {})",
                self.len(),
                self.start,
                self.joined
            ));
        }
        let pending = (0..self.len())
            .filter(|&i| {
                self.case[i] == CaseState::Pending as u8
                    && self.custody[i] <= Custody::Detained as u8
            })
            .count() as u64;
        if pending != self.n_case_pending {
            return Err(format!(
                "{pending} pending cases, counter says {}",
                self.n_case_pending
            ));
        }
        Ok(())
    }
}

/// Where the `u`-th item falls when parts of the given sizes are laid end to end: the
/// part's index and the position within it. The weighted choice behind every uniform
/// draw across lists.
fn locate(sizes: impl IntoIterator<Item = usize>, mut u: usize) -> Option<(usize, usize)> {
    for (i, n) in sizes.into_iter().enumerate() {
        if u < n {
            return Some((i, u));
        }
        u -= n;
    }
    None
}

/// A binomial draw that tolerates the edge cases (n = 0, p = 0 or 1).
pub fn binomial(n: u64, p: f64, rng: &mut rng::Rng) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map(|b| b.sample(rng)).unwrap_or(0)
}

/// The whole docket: one [`OfficeDocket`] per field office, in office order.
pub fn build(s: &Scenario, docket_share: &[f64], seed: u64, rep: u32) -> Vec<OfficeDocket> {
    let totals = class_totals(s);
    let per_class: Vec<Vec<u64>> = totals.iter().map(|&t| apportion(t, docket_share)).collect();
    let counts = |o: usize| -> [u64; Class::COUNT] { std::array::from_fn(|c| per_class[c][o]) };
    let draw = |o: usize| {
        OfficeDocket::draw(
            counts(o),
            s,
            &mut rng::stream(seed, rep, Purpose::Population, o),
        )
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        (0..docket_share.len()).into_par_iter().map(draw).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        (0..docket_share.len()).map(draw).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_adds_up_exactly() {
        let parts = apportion(7_800_000, &[0.1, 0.2, 0.3, 0.4000001]);
        assert_eq!(parts.iter().sum::<u64>(), 7_800_000);
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
    }

    #[test]
    fn class_totals_match_the_docket() {
        let s = Scenario::national_default();
        let t = class_totals(&s);
        assert_eq!(t.iter().sum::<u64>(), s.docket.total);
        assert_eq!(t[0] + t[1] + t[2], s.docket.convicted);
        assert_eq!(t[3], s.docket.pending_charges);
    }

    #[test]
    fn moves_keep_lists_consistent() {
        let s = Scenario::national_default();
        let mut rng = rng::stream(1, 0, Purpose::Population, 0);
        let mut d = OfficeDocket::draw([50, 200, 500, 400, 5000], &s, &mut rng);
        d.check_consistency().unwrap();
        for _ in 0..30 {
            d.release_from_jails(&[0.1; 5], 0.5, &mut rng);
            d.arrest_handover(3, &mut rng);
            d.arrest_easiest(1, &mut rng);
            d.arrest_anyone(&mut rng);
            d.end_handovers();
            d.book_into_jails(&[0.01; 5], &mut rng);
            d.check_consistency().unwrap();
        }
        assert_eq!(
            d.n_detained as usize
                + d.at_large_total()
                + (0..5).map(|c| d.in_jail_count(c)).sum::<usize>(),
            6150
        );
    }

    #[test]
    fn easiest_are_taken_first() {
        let s = Scenario::national_default();
        let mut rng = rng::stream(2, 0, Purpose::Population, 0);
        let mut d = OfficeDocket::draw([0, 0, 0, 0, 1600], &s, &mut rng);
        let lowest_before = d.easiest_level(4).unwrap();
        let n0: usize = (0..CASES)
            .map(|k| d.at_large[4][slot(lowest_before, k)].len())
            .sum();
        for _ in 0..n0 {
            assert_eq!(d.easiest_level(4), Some(lowest_before));
            d.arrest_easiest(4, &mut rng).unwrap();
        }
        assert!(d.easiest_level(4).unwrap() > lowest_before);
    }
}
