//! What a right model would score: the reference a backtest's or a fit's scores are
//! read against (docs/calibration.md, "What a right model scores").
//!
//! Suppose the model were right, and each published figure missed the truth by an
//! error its stated sd describes (normal, mean 0). Then a figure with a value scores
//! z ~ N(0, 1):
//!
//! ```text
//! P(|z| <= 1) = 0.6827   P(|z| <= 2) = 0.9545   E z² = 1     Var z² = 2
//! ```
//!
//! A bound ("over", "under", a range) scores 0 on its side. Where the truth lies on
//! the bound's edge, half the errors fall on the scored side, and z is 0 or a
//! half-normal:
//!
//! ```text
//! P(|z| <= 1) = Φ(1) = 0.8413   P(|z| <= 2) = Φ(2) = 0.9772   E z² = 1/2   Var z² = 5/4
//! ```
//!
//! (E z⁴ = 3/2). Where the truth lies beyond it, z is 0 nearly always. The edge is the
//! case that scores worst, so a right model's counts within one and two sd are at least
//! these, and its sum of squared z at most this. Over n figures the counts are sums of
//! independent Bernoulli draws (mean Σ p, variance Σ p (1 - p)) and the sum of squared z
//! has mean Σ E z² and variance Σ Var z².
//!
//! A scenario fitted to the same figures scores less: at the best fit, each of p free
//! parameters takes up about one unit of the sum (the χ² of a least-squares fit has
//! n - p degrees of freedom, mean n - p and variance 2 (n - p), for figures with values
//! and a model near linear in its parameters). So the sum of squared z of a right model
//! fitted by p parameters is about Σ E z² - p.

/// P(|z| <= 1) for z ~ N(0, 1): erf(1 / sqrt 2).
const WITHIN_ONE: f64 = 0.682_689_492_137_086;
/// P(|z| <= 2) for z ~ N(0, 1): erf(2 / sqrt 2).
const WITHIN_TWO: f64 = 0.954_499_736_103_642;
/// Φ(1): P(|z| <= 1) for a bound whose truth lies on its edge.
const BOUND_WITHIN_ONE: f64 = 0.841_344_746_068_543;
/// Φ(2): P(|z| <= 2) for such a bound.
const BOUND_WITHIN_TWO: f64 = 0.977_249_868_051_821;

/// A mean and its standard deviation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
}

/// What a right model scores on a set of figures (module docs).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reference {
    /// How many figures: those with a value, and the bounds.
    pub values: usize,
    pub bounds: usize,
    /// How many lie within one stated sd of the model, and within two.
    pub within: Spread,
    pub within2: Spread,
    /// The sum of squared z.
    pub sum: Spread,
}

impl Reference {
    /// The reference over `values` figures with a value and `bounds` bounds or ranges,
    /// each bound on its edge.
    pub fn of(values: usize, bounds: usize) -> Reference {
        let (v, b) = (values as f64, bounds as f64);
        let count = |p: f64, q: f64| Spread {
            mean: v * p + b * q,
            sd: (v * p * (1.0 - p) + b * q * (1.0 - q)).sqrt(),
        };
        Reference {
            values,
            bounds,
            within: count(WITHIN_ONE, BOUND_WITHIN_ONE),
            within2: count(WITHIN_TWO, BOUND_WITHIN_TWO),
            sum: Spread {
                mean: v + 0.5 * b,
                sd: (2.0 * v + 1.25 * b).sqrt(),
            },
        }
    }

    /// How many figures.
    pub fn figures(&self) -> usize {
        self.values + self.bounds
    }

    /// The sum of squared z at the best fit of `parameters` free parameters to these
    /// figures: a unit less, and a variance 2 less, for each (module docs); `None` when
    /// they are as many as the figures or more.
    pub fn fitted_sum(&self, parameters: usize) -> Option<Spread> {
        let p = parameters as f64;
        (p < self.sum.mean).then(|| Spread {
            mean: self.sum.mean - p,
            sd: (self.sum.sd.powi(2) - 2.0 * p).max(0.0).sqrt(),
        })
    }

    /// A sentence for a backtest's verdict: the counts and the sum a right model would
    /// give.
    pub fn sentence(&self) -> String {
        format!(
            "Were the model right and each figure's error as its sd states, about {:.0} ± {:.0} of the {} would lie within one sd and {:.0} ± {:.0} within two, and the sum of squared z would be about {:.0} ± {:.0}, less about one for each parameter fitted to these figures ({}; docs/calibration.md, \"What a right model scores\").",
            self.within.mean,
            self.within.sd,
            self.figures(),
            self.within2.mean,
            self.within2.sd,
            self.sum.mean,
            self.sum.sd,
            self.bounds_said(),
        )
    }

    /// [`Reference::sentence`] in a reader's words, for the dashboard.
    pub fn plain_sentence(&self) -> String {
        format!(
            "Published figures carry errors of their own: were the model right, it would lie within the stated uncertainty for about {:.0} of the {} and within twice it for about {:.0}.",
            self.within.mean,
            self.figures(),
            self.within2.mean
        )
    }

    /// A sentence for a fit's report: the objective a right model would end at, fitted
    /// by `parameters`.
    pub fn fit_sentence(&self, parameters: usize) -> String {
        match self.fitted_sum(parameters) {
            Some(s) => format!(
                "Were the model right and each figure's error as its sd states, a fit of {parameters} parameters to these {} figures would end near {:.1} ± {:.1} ({}; docs/calibration.md, \"What a right model scores\").",
                self.figures(),
                s.mean,
                s.sd,
                self.bounds_said()
            ),
            None => format!(
                "With {parameters} parameters for {} figures, a fit may match every figure whatever the model: its objective is no test of the model.",
                self.figures()
            ),
        }
    }

    fn bounds_said(&self) -> String {
        match self.bounds {
            0 => "every figure a value".into(),
            1 => "the one bound on its edge, where it scores worst".into(),
            _ => format!(
                "the {} bounds on their edge, where they score worst",
                self.bounds
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_distr::{Distribution, StandardNormal};

    #[test]
    fn one_figure_with_a_value_scores_as_a_standard_normal() {
        let r = Reference::of(1, 0);
        assert!((r.within.mean - 0.6827).abs() < 1e-4);
        assert!((r.within2.mean - 0.9545).abs() < 1e-4);
        assert_eq!(r.sum.mean, 1.0);
        assert!((r.sum.sd - 2f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn a_right_model_scores_as_the_reference_says_over_many_draws() {
        // 60 values and 10 bounds on their edge, drawn 20,000 times: the counts and
        // sums a right model gives agree with the reference's means and sds.
        let r = Reference::of(60, 10);
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let trials = 20_000;
        let (mut w1, mut w2, mut sums, mut sums2) = (0.0, 0.0, 0.0, 0.0);
        for _ in 0..trials {
            let (mut within, mut within2, mut sum) = (0.0, 0.0, 0.0);
            for i in 0..70 {
                let e: f64 = StandardNormal.sample(&mut rng);
                // A bound ("over" its edge): the model's error below it scores.
                let z = if i < 60 { e } else { e.min(0.0) };
                within += f64::from(u8::from(z.abs() <= 1.0));
                within2 += f64::from(u8::from(z.abs() <= 2.0));
                sum += z * z;
            }
            w1 += within;
            w2 += within2;
            sums += sum;
            sums2 += sum * sum;
        }
        let n = f64::from(trials);
        let sum_mean = sums / n;
        let sum_sd = (sums2 / n - sum_mean * sum_mean).sqrt();
        assert!(
            (w1 / n - r.within.mean).abs() < 0.1,
            "{} {}",
            w1 / n,
            r.within.mean
        );
        assert!(
            (w2 / n - r.within2.mean).abs() < 0.05,
            "{} {}",
            w2 / n,
            r.within2.mean
        );
        assert!(
            (sum_mean - r.sum.mean).abs() < 0.2,
            "{sum_mean} {}",
            r.sum.mean
        );
        assert!((sum_sd - r.sum.sd).abs() < 0.2, "{sum_sd} {}", r.sum.sd);
        // 65 and 11.5 by the formulas.
        assert!((r.sum.mean - 65.0).abs() < 1e-12);
        assert!((r.sum.sd - 132.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn each_fitted_parameter_takes_a_unit_off_the_sum() {
        let r = Reference::of(74, 0);
        let s = r.fitted_sum(22).unwrap();
        assert_eq!(s.mean, 52.0);
        assert!((s.sd - 104f64.sqrt()).abs() < 1e-12);
        assert_eq!(r.fitted_sum(74), None);
        assert!(
            r.fit_sentence(80)
                .contains("its objective is no test of the model")
        );
        let said = r.fit_sentence(22);
        assert!(said.contains("would end near 52.0 ± 10.2"), "{said}");
    }

    #[test]
    fn the_sentence_gives_the_counts_and_the_sum_of_a_right_model() {
        let said = Reference::of(68, 6).sentence();
        // 68 x 0.6827 + 6 x 0.8413 = 51.5 (sd 3.9); 68 x 0.9545 + 6 x 0.9772 = 70.8
        // (sd 1.8); 68 + 3 = 71, sd sqrt(136 + 7.5) = 12.0.
        assert!(
            said.contains("about 51 ± 4 of the 74 would lie within one sd and 71 ± 2 within two"),
            "{said}"
        );
        assert!(
            said.contains("would be about 71 ± 12, less about one for each parameter"),
            "{said}"
        );
        assert!(said.contains("the 6 bounds on their edge"), "{said}");
        let reader = Reference::of(68, 6).plain_sentence();
        assert!(
            reader.contains("for about 51 of the 74 and within twice it for about 71"),
            "{reader}"
        );
        let plain = Reference::of(3, 0).sentence();
        assert!(plain.contains("(every figure a value;"), "{plain}");
    }
}
