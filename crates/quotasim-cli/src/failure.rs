//! A command's failure and its exit code (2 bad input, 130 stopped by Ctrl-C, 1 anything
//! else), and the library's typed errors in the command's words (its flags).

use quotasim::ScenarioErrors;

/// A failure with its exit code: 2 for bad input, 130 for work stopped by Ctrl-C (what
/// it kept, if anything, is written), 1 otherwise.
pub(crate) enum Failure {
    Input(String),
    Other(anyhow::Error),
    Interrupted(String),
}

impl From<ScenarioErrors> for Failure {
    fn from(e: ScenarioErrors) -> Self {
        Failure::Input(e.to_string())
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Other(e)
    }
}

/// A request error in the command's words (its flags).
pub(crate) fn request_error(e: quotasim_request::RequestError) -> Failure {
    use quotasim_request::RequestError as E;
    Failure::Input(match e {
        E::Reps { value, max } => format!("error: --reps {value}: must lie in [1, {max}]"),
        E::Seed { value, max } => format!("error: --seed {value}: must lie in [0, {max}]"),
        E::Draws { plans, reps } => {
            format!("error: --posterior: {plans} draws for {reps} replications")
        }
        e @ E::Assumptions { .. } => format!("error: {e}"),
        e @ E::Bands { .. } => format!("error: --bands: {e}"),
    })
}

/// A calibration error in the command's words.
pub(crate) fn calibrate_error(e: quotasim_request::calibrate::CalibrateError) -> Failure {
    use quotasim_request::calibrate::CalibrateError as E;
    match e {
        E::Input(e) => Failure::from(e),
        E::Request(e) => request_error(e),
        E::Search { ref error, .. } if **error == quotasim_calibrate::FitError::Interrupted => {
            Failure::Interrupted(
                "interrupted (Ctrl-C twice): the calibration was abandoned and nothing written"
                    .into(),
            )
        }
        E::Search { .. } => Failure::Input(format!("error: {e}")),
        E::Origin { .. } | E::NothingBefore { .. } => {
            Failure::Input(format!("error: --origin {e}"))
        }
        E::Edit(_) => Failure::Other(anyhow::anyhow!("{e}")),
        E::Text(e) => Failure::Other(anyhow::anyhow!(e)),
    }
}
