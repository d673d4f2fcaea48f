//! Population: the synthetic docket at the start of a run (docs/model.md 5,
//! "Initialization").
//!
//! Splits the docket's classes over the field offices by their noncitizen population,
//! and draws each office's people into the store of [`crate::mechanisms::docket`]: custody, case
//! state and difficulty level, independently by class. No real person's record is read
//! or produced: counts come from published aggregates and every individual is drawn at
//! random.

use crate::mechanisms::docket::{CaseState, Custody, LEVELS, OfficeDocket, Room, slot};
use crate::rng::{self, Purpose, binomial};
use crate::setup::scenario::Scenario;
use crate::types::Class;

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

/// The people at large with a pending case that [`OfficeDocket::draw`] is expected to
/// draw nationally: each class's people not in custody, of whom neither under a final
/// order nor protected.
pub fn expected_pending_at_large(s: &Scenario) -> f64 {
    let d = &s.docket;
    let at_large: f64 = class_totals(s)
        .iter()
        .zip(d.share_in_custody.to_array())
        .map(|(&n, jailed)| n as f64 * (1.0 - jailed))
        .sum();
    at_large * (1.0 - d.share_final_order - d.share_protected).max(0.0)
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
    ///
    /// The columns and lists are made with `room` to grow (memory only; no draw
    /// depends on it).
    pub fn draw(
        counts: [u64; Class::COUNT],
        s: &Scenario,
        room: &Room,
        rng: &mut rng::Rng,
    ) -> OfficeDocket {
        let n: usize = counts.iter().sum::<u64>() as usize;
        let columns = n + room.joins;
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
            class: Vec::with_capacity(columns),
            case: Vec::with_capacity(columns),
            level: Vec::with_capacity(columns),
            custody: Vec::with_capacity(columns),
            at_large: std::array::from_fn(|_| std::array::from_fn(|_| Vec::new())),
            in_jail: std::array::from_fn(|_| Vec::new()),
            // Room for a day's handovers (the list is emptied every day).
            handover: std::array::from_fn(|_| Vec::with_capacity(256)),
            n_at_large: [0; Class::COUNT],
            n_pending_at_large: 0,
            arrests: [0; Class::COUNT],
            n_detained: 0,
            n_removed: 0,
            n_left: 0,
            n_case_pending: 0,
            start: n as u64,
            joined: 0,
            recent: crate::mechanisms::docket::Recent::none(),
            weighted: Default::default(),
        };
        for (c, &count) in counts.iter().enumerate() {
            let jailed = binomial(count, custody_share[c], rng);
            // Room for the jail population to fluctuate and grow (people ICE did not know
            // join the docket in jail) without reallocating.
            doc.in_jail[c].reserve_exact(jailed as usize + jailed as usize / 4 + 256);
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
                                // Room for the pool to grow a little (releases from jails and
                                // detention) without doubling its capacity, and for joiners
                                // and court orders.
                                let grow = match state {
                                    CaseState::Pending => room.joins_per_level(c),
                                    CaseState::FinalOrder => room.orders_for(pending as usize),
                                    CaseState::Protected => 0,
                                };
                                let list = &mut doc.at_large[c][slot(level, state as usize)];
                                list.reserve_exact(m + m / 32 + 16 + grow);
                                list
                            }
                        };
                        list.extend((id..id + m).map(|i| i as u32));
                        id += m;
                    }
                }
            }
        }
        // Drawn last, so that the draws above do not depend on it.
        doc.recent = crate::mechanisms::docket::Recent::drawn(d.share_recent, rng);
        doc
    }
}

/// The whole docket: one [`OfficeDocket`] per field office, in office order, office
/// `o` drawn with `rooms[o]` to grow (none where `rooms` is shorter).
pub fn build(
    s: &Scenario,
    docket_share: &[f64],
    seed: u64,
    rep: u32,
    rooms: &[Room],
) -> Vec<OfficeDocket> {
    let totals = class_totals(s);
    let per_class: Vec<Vec<u64>> = totals.iter().map(|&t| apportion(t, docket_share)).collect();
    let counts = |o: usize| -> [u64; Class::COUNT] { std::array::from_fn(|c| per_class[c][o]) };
    let draw = |o: usize| {
        OfficeDocket::draw(
            counts(o),
            s,
            &rooms.get(o).copied().unwrap_or_default(),
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
    use crate::mechanisms::docket::{CASES, Inconsistency, SLOTS};

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
        let mut d = OfficeDocket::draw([50, 200, 500, 400, 5000], &s, &Room::default(), &mut rng);
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
    fn consistency_check_finds_a_person_listed_twice_or_in_no_list() {
        let s = Scenario::national_default();
        let mut rng = rng::stream(3, 0, Purpose::Population, 0);
        let d = OfficeDocket::draw([0, 0, 0, 0, 400], &s, &Room::default(), &mut rng);
        d.check_consistency().unwrap();
        let other = Class::Other as usize;
        let at = (0..SLOTS)
            .find(|&l| d.at_large[other][l].len() >= 2)
            .unwrap();
        // Listed twice, in place of another: the list keeps its length, so the counters
        // agree and only the lists say it.
        let mut twice = d.clone();
        let person = twice.at_large[other][at][0];
        twice.at_large[other][at].push(person);
        twice.at_large[other][at].swap_remove(1);
        assert_eq!(
            twice.check_consistency().unwrap_err(),
            Inconsistency::ListedTwice {
                person: person as usize
            }
        );
        // At large, and in no list.
        let mut lost = d.clone();
        let missing = lost.at_large[other][at].swap_remove(0);
        assert_eq!(
            lost.check_consistency().unwrap_err(),
            Inconsistency::Unlisted {
                person: missing as usize
            }
        );
    }

    #[test]
    fn easiest_are_taken_first() {
        let s = Scenario::national_default();
        let mut rng = rng::stream(2, 0, Purpose::Population, 0);
        let mut d = OfficeDocket::draw([0, 0, 0, 0, 1600], &s, &Room::default(), &mut rng);
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
