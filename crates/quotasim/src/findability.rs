//! Findability: how easily officers find a person, by priority class (docs/model.md
//! 7.12, "Findability").
//!
//! People ICE knows more about (a known address, check-ins, a prior contact, a record)
//! are found in fewer hours than people it knows little about. Each class has a factor
//! `f[c] = channels.findability[c]` (1 = as fitted for FY2024):
//!
//! ```text
//! hours of a targeted arrest of class c   = at_large.hours_per_arrest[c] x difficulty / f[c]
//! P(an indiscriminate arrest is of class c) = n[c] x f[c] / sum_k n[k] x f[k]
//! ```
//!
//! where `n[c]` is the office's people of class c at large: community and collateral
//! arrests draw from the office's own mix, weighted by findability, not from the
//! national make-up of the docket. With every factor equal the draw is uniform over the
//! people at large.

use crate::types::Class;

/// The factors of the five classes.
pub fn factors(f: &crate::types::ByClass<f64>) -> [f64; Class::COUNT] {
    f.to_array()
}

/// The class mix of an indiscriminate arrest among `at_large[c]` people at large of
/// each class, with findability factors `f`. Zero everywhere when no one is at large.
pub fn arrest_mix(
    at_large: &[usize; Class::COUNT],
    f: &[f64; Class::COUNT],
) -> [f64; Class::COUNT] {
    let mass: [f64; Class::COUNT] = std::array::from_fn(|c| at_large[c] as f64 * f[c]);
    let total: f64 = mass.iter().sum();
    std::array::from_fn(|c| if total > 0.0 { mass[c] / total } else { 0.0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_factors_give_the_mix_at_large() {
        let mix = arrest_mix(&[1, 1, 2, 0, 6], &[2.0; 5]);
        assert_eq!(mix, [0.1, 0.1, 0.2, 0.0, 0.6]);
    }

    #[test]
    fn a_more_findable_class_is_drawn_more_often() {
        let mix = arrest_mix(&[0, 0, 1, 0, 1], &[1.0, 1.0, 3.0, 1.0, 1.0]);
        assert_eq!(mix[2], 0.75);
        assert_eq!(mix[4], 0.25);
    }
}
