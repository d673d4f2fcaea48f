//! Designs: which parameter values each point of a sweep runs.

use rand::RngExt;
use rand::SeedableRng;
use rand::seq::SliceRandom;

/// How to write a varied key.
pub const RANGE_USAGE: &str =
    "expected KEY=LO..HI or KEY=LO..HI:STEPS, such as quota.per_office_per_day=25..150:6";

/// Why a varied key or a design cannot be made: the text given and what is wrong. A
/// front puts its own name for the argument (`--vary`, `vary=`) before it.
#[derive(Debug, Clone, PartialEq)]
pub enum DesignError {
    Form { text: String },
    StepsNotWhole { text: String, steps: String },
    NotANumber { text: String, value: String },
    EmptyPath { text: String },
    Order { text: String, lo: f64, hi: f64 },
    Steps { text: String },
    UnknownKind { name: String },
    NoRange,
    GridSteps { path: String, steps: u32 },
    GridTooLarge,
    Samples,
    SobolSamples,
    SobolKeys,
}

impl DesignError {
    /// The varied key's text the error is about, where it is about one.
    fn text(&self) -> Option<&str> {
        match self {
            DesignError::Form { text }
            | DesignError::StepsNotWhole { text, .. }
            | DesignError::NotANumber { text, .. }
            | DesignError::EmptyPath { text }
            | DesignError::Order { text, .. }
            | DesignError::Steps { text } => Some(text),
            _ => None,
        }
    }

    /// What is wrong, without the key's text: for a front that names the text itself.
    pub fn reason(&self) -> String {
        match self {
            DesignError::Form { .. } => RANGE_USAGE.to_string(),
            DesignError::StepsNotWhole { steps, .. } => {
                format!("STEPS `{steps}` is not a whole number")
            }
            DesignError::NotANumber { value, .. } => format!("`{value}` is not a finite number"),
            DesignError::EmptyPath { .. } => {
                format!("the parameter path is empty; {RANGE_USAGE}")
            }
            DesignError::Order { lo, hi, .. } => format!("LO {lo} is above HI {hi}"),
            DesignError::Steps { .. } => "STEPS must lie in [1, 10000]".to_string(),
            DesignError::UnknownKind { name } => {
                format!("unknown design `{name}`: use grid, lhs or sobol")
            }
            DesignError::NoRange => "no parameter to vary: name at least one".to_string(),
            DesignError::GridSteps { path, steps } => {
                format!("{path}: steps {steps} must lie in [1, 10000]")
            }
            DesignError::GridTooLarge => format!("the grid has more than {MAX_POINTS} points"),
            DesignError::Samples => format!("samples must lie in [1, {MAX_POINTS}]"),
            DesignError::SobolSamples => {
                format!("samples x (varied keys + 2) must lie in [1, {MAX_POINTS}]")
            }
            DesignError::SobolKeys => "a Sobol design varies at most 128 keys".to_string(),
        }
    }
}

impl std::fmt::Display for DesignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.text() {
            Some(text) => write!(f, "`{text}`: {}", self.reason()),
            None => write!(f, "{}", self.reason()),
        }
    }
}

impl std::error::Error for DesignError {}

/// One varied parameter: a dotted path and its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub path: String,
    pub lo: f64,
    pub hi: f64,
    /// Grid steps (values from lo to hi inclusive); ignored by other designs.
    pub steps: u32,
}

impl Range {
    /// Parses `KEY=LO..HI[:STEPS]`, as given to `--vary`.
    pub fn parse(text: &str) -> Result<Range, DesignError> {
        let form = || DesignError::Form { text: text.into() };
        let (path, range) = text.split_once('=').ok_or_else(form)?;
        let (range, steps) = match range.split_once(':') {
            Some((r, s)) => (
                r,
                s.trim()
                    .parse::<u32>()
                    .map_err(|_| DesignError::StepsNotWhole {
                        text: text.into(),
                        steps: s.into(),
                    })?,
            ),
            None => (range, 5),
        };
        let (lo, hi) = range.split_once("..").ok_or_else(form)?;
        let num = |s: &str| {
            s.trim()
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| DesignError::NotANumber {
                    text: text.into(),
                    value: s.into(),
                })
        };
        let (lo, hi) = (num(lo)?, num(hi)?);
        if path.trim().is_empty() {
            return Err(DesignError::EmptyPath { text: text.into() });
        }
        if lo > hi {
            return Err(DesignError::Order {
                text: text.into(),
                lo,
                hi,
            });
        }
        if !(1..=10_000).contains(&steps) {
            return Err(DesignError::Steps { text: text.into() });
        }
        Ok(Range {
            path: path.trim().to_string(),
            lo,
            hi,
            steps,
        })
    }

    fn at(&self, u: f64) -> f64 {
        self.lo + u * (self.hi - self.lo)
    }
}

/// The kind of design.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DesignKind {
    /// Every combination of each range's steps.
    Grid,
    /// A Latin hypercube of `samples` points: each range cut into `samples` equal
    /// strata, one point in each, strata paired at random.
    Lhs,
    /// Saltelli's design for first-order and total Sobol indices: `samples` base
    /// points, each giving k + 2 runs (A, the k mixes AB_j, B), in SALib's order.
    Sobol,
}

impl DesignKind {
    pub fn parse(s: &str) -> Result<DesignKind, DesignError> {
        match s {
            "grid" => Ok(DesignKind::Grid),
            "lhs" => Ok(DesignKind::Lhs),
            "sobol" => Ok(DesignKind::Sobol),
            _ => Err(DesignError::UnknownKind { name: s.into() }),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Grid => "grid",
            DesignKind::Lhs => "lhs",
            DesignKind::Sobol => "sobol",
        }
    }
}

/// A design: the value of every varied parameter at every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub kind: DesignKind,
    pub ranges: Vec<Range>,
    /// Points, each one value per range.
    pub points: Vec<Vec<f64>>,
    /// For Sobol designs: the number of base samples N.
    pub base_samples: usize,
}

/// Most points a design may have.
pub const MAX_POINTS: usize = 1_000_000;

impl Design {
    /// Builds a design; `samples` is the number of points (lhs) or base samples
    /// (sobol), unused by grids; `seed` fixes the random parts.
    pub fn new(
        kind: DesignKind,
        ranges: Vec<Range>,
        samples: u32,
        seed: u64,
    ) -> Result<Design, DesignError> {
        if ranges.is_empty() {
            return Err(DesignError::NoRange);
        }
        let k = ranges.len();
        let n = samples as usize;
        let points: Vec<Vec<f64>> = match kind {
            DesignKind::Grid => {
                if let Some(r) = ranges.iter().find(|r| !(1..=10_000).contains(&r.steps)) {
                    return Err(DesignError::GridSteps {
                        path: r.path.clone(),
                        steps: r.steps,
                    });
                }
                let total = ranges
                    .iter()
                    .try_fold(1usize, |acc, r| acc.checked_mul(r.steps as usize))
                    .filter(|t| *t <= MAX_POINTS)
                    .ok_or(DesignError::GridTooLarge)?;
                (0..total)
                    .map(|mut i| {
                        // The last range varies fastest.
                        let mut p = vec![0.0; k];
                        for (j, r) in ranges.iter().enumerate().rev() {
                            let s = r.steps as usize;
                            let step = i % s;
                            i /= s;
                            p[j] = if s == 1 {
                                r.lo
                            } else {
                                r.at(step as f64 / (s - 1) as f64)
                            };
                        }
                        p
                    })
                    .collect()
            }
            DesignKind::Lhs => {
                if n == 0 || n > MAX_POINTS {
                    return Err(DesignError::Samples);
                }
                let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
                let mut columns: Vec<Vec<f64>> = Vec::with_capacity(k);
                for r in &ranges {
                    let mut strata: Vec<usize> = (0..n).collect();
                    strata.shuffle(&mut rng);
                    columns.push(
                        strata
                            .into_iter()
                            .map(|s| r.at((s as f64 + rng.random::<f64>()) / n as f64))
                            .collect(),
                    );
                }
                (0..n)
                    .map(|i| columns.iter().map(|c| c[i]).collect())
                    .collect()
            }
            DesignKind::Sobol => {
                if n == 0 || n.saturating_mul(k + 2) > MAX_POINTS {
                    return Err(DesignError::SobolSamples);
                }
                if 2 * k > 256 {
                    return Err(DesignError::SobolKeys);
                }
                let seed = seed as u32;
                let mut points = Vec::with_capacity(n * (k + 2));
                for i in 0..n {
                    // The point of the 2k-dimensional scrambled Sobol sequence; A is its
                    // first k coordinates, B the last k.
                    let u: Vec<f64> = (0..2 * k)
                        .map(|d| f64::from(sobol_burley::sample(i as u32, d as u32, seed)))
                        .collect();
                    let a: Vec<f64> = ranges.iter().enumerate().map(|(j, r)| r.at(u[j])).collect();
                    let b: Vec<f64> = ranges
                        .iter()
                        .enumerate()
                        .map(|(j, r)| r.at(u[k + j]))
                        .collect();
                    points.push(a.clone());
                    for j in 0..k {
                        let mut ab = a.clone();
                        ab[j] = b[j];
                        points.push(ab);
                    }
                    points.push(b);
                }
                points
            }
        };
        Ok(Design {
            kind,
            ranges,
            points,
            base_samples: if kind == DesignKind::Sobol { n } else { 0 },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(path: &str, lo: f64, hi: f64, steps: u32) -> Range {
        Range {
            path: path.into(),
            lo,
            hi,
            steps,
        }
    }

    #[test]
    fn vary_arguments_parse_with_their_errors() {
        assert_eq!(
            Range::parse("quota.per_office_per_day=25..150:6").unwrap(),
            r("quota.per_office_per_day", 25.0, 150.0, 6)
        );
        assert_eq!(Range::parse("a.b=1_000..2_000").unwrap().steps, 5);
        for bad in [
            "a.b",
            "a.b=1..",
            "a.b=3..1",
            "a.b=1..2:0",
            "=1..2",
            "a=x..2",
        ] {
            assert!(Range::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn grid_holds_every_combination_last_key_fastest() {
        let d = Design::new(
            DesignKind::Grid,
            vec![r("a", 0.0, 1.0, 2), r("b", 10.0, 30.0, 3)],
            0,
            0,
        )
        .unwrap();
        assert_eq!(
            d.points,
            vec![
                vec![0.0, 10.0],
                vec![0.0, 20.0],
                vec![0.0, 30.0],
                vec![1.0, 10.0],
                vec![1.0, 20.0],
                vec![1.0, 30.0]
            ]
        );
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_each_stratum() {
        let d = Design::new(
            DesignKind::Lhs,
            vec![r("a", 0.0, 10.0, 0), r("b", -1.0, 1.0, 0)],
            10,
            3,
        )
        .unwrap();
        for (j, range) in d.ranges.iter().enumerate() {
            let mut strata: Vec<usize> = d
                .points
                .iter()
                .map(|p| ((p[j] - range.lo) / (range.hi - range.lo) * 10.0) as usize)
                .collect();
            strata.sort();
            assert_eq!(strata, (0..10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn saltelli_rows_mix_a_and_b_one_column_at_a_time() {
        let d = Design::new(
            DesignKind::Sobol,
            vec![
                r("a", 0.0, 1.0, 0),
                r("b", 0.0, 1.0, 0),
                r("c", 0.0, 1.0, 0),
            ],
            8,
            1,
        )
        .unwrap();
        assert_eq!(d.points.len(), 8 * 5);
        for block in d.points.chunks(5) {
            let (a, b) = (&block[0], &block[4]);
            for j in 0..3 {
                for c in 0..3 {
                    assert_eq!(block[1 + j][c], if c == j { b[c] } else { a[c] });
                }
            }
        }
    }
}
