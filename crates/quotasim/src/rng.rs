//! Randomness (docs/model.md 7.9): every random number comes from a stream derived from
//! the run's seed, never from a global generator.
//!
//! A stream is a ChaCha8 generator keyed by the seed, with a 64-bit stream number made
//! of the replication, the purpose and the office. Streams never overlap, and each
//! office draws only from its own, so a run gives the same numbers whatever the number
//! of threads and whichever office is simulated first.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Binomial, Distribution, Poisson};

/// The generator type used throughout the model.
pub type Rng = ChaCha8Rng;

/// What a stream is used for; part of the stream number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Purpose {
    /// Drawing the synthetic docket.
    Population = 1,
    /// Daily events: jail flows, the person picked by each arrest.
    Dynamics = 2,
    /// National detention: stays, outcomes, book-ins of others.
    Detention = 3,
    /// Drawing a replication's parameters from a calibration's posterior.
    Posterior = 4,
    /// Drawing a replication's unit costs from their ranges.
    Costs = 5,
    /// Drawing a replication's assumptions from their ranges.
    Assumptions = 6,
}

/// The stream for (`seed`, replication `rep`, `purpose`, `office`).
pub fn stream(seed: u64, rep: u32, purpose: Purpose, office: usize) -> Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream((u64::from(rep) << 32) | ((purpose as u64) << 16) | (office as u64 & 0xFFFF));
    rng
}

/// A Poisson draw of mean `mean`; 0 when the mean is not positive.
pub fn poisson(mean: f64, rng: &mut Rng) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean)
        .map(|d| d.sample(rng) as u64)
        .unwrap_or(0)
}

/// Running sums of `shares`, for [`pick`].
pub fn cumulative<const N: usize>(shares: [f64; N]) -> [f64; N] {
    let mut acc = 0.0;
    std::array::from_fn(|i| {
        acc += shares[i];
        acc
    })
}

/// An index drawn in proportion to the shares whose running sums are `cumulative`
/// (one uniform draw; the last index when rounding runs past the end).
pub fn pick(cumulative: &[f64], rng: &mut Rng) -> usize {
    let last = cumulative.len() - 1;
    let u: f64 = rng.random::<f64>() * cumulative[last];
    cumulative.iter().position(|&x| u < x).unwrap_or(last)
}

/// A binomial draw that tolerates the edge cases (n = 0, p = 0 or 1).
pub fn binomial(n: u64, p: f64, rng: &mut Rng) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    Binomial::new(n, p).map(|b| b.sample(rng)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng as _;

    #[test]
    fn streams_differ_by_office_rep_and_purpose() {
        let a = stream(7, 0, Purpose::Dynamics, 0).next_u64();
        assert_ne!(a, stream(7, 0, Purpose::Dynamics, 1).next_u64());
        assert_ne!(a, stream(7, 1, Purpose::Dynamics, 0).next_u64());
        assert_ne!(a, stream(7, 0, Purpose::Population, 0).next_u64());
        assert_eq!(a, stream(7, 0, Purpose::Dynamics, 0).next_u64());
    }
}
