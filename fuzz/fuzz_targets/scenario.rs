//! Fuzzes the scenario parser and validator with arbitrary text, and runs every small
//! valid scenario it finds (debug assertions on: the daily invariant checks run too).
//! Run: `cd fuzz && cargo +nightly fuzz run scenario -- -dict=scenario.dict`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match quotasim::Plan::from_toml("fuzz.toml", text, None) {
        // Every message must render; none may panic.
        Err(e) => drop(e.to_string()),
        Ok(plan) => {
            if plan.scenario.docket.total <= 20_000 && plan.days <= 30 {
                let run = quotasim::run(&plan, 1, 0);
                assert_eq!(run.daily.len(), plan.days as usize * plan.offices.len());
            }
        }
    }
});
