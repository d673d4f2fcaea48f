//! Replays inputs the fuzzer generated (`fuzz/`, `cargo +nightly fuzz run scenario`):
//! 50 of the 1,430 it kept in a 12-minute run, so that every test run, on the stable
//! toolchain, checks that the parser, the validator and small runs still answer them
//! without a panic. Crash inputs the fuzzer finds belong here too.

use std::path::Path;

#[test]
fn fuzzer_inputs_are_answered_without_a_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 50, "{} inputs", files.len());
    let (mut valid, mut refused) = (0, 0);
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        match quotasim::Plan::from_toml("fuzz.toml", text, None) {
            Err(e) => {
                assert!(
                    e.to_string().starts_with("error: fuzz.toml"),
                    "{}: {e}",
                    f.display()
                );
                refused += 1;
            }
            Ok(plan) => {
                valid += 1;
                if plan.scenario.docket.total <= 20_000 && plan.days <= 30 {
                    let run = quotasim::run(&plan, 1, 0);
                    assert_eq!(run.daily.len(), plan.days as usize * plan.offices.len());
                }
            }
        }
    }
    assert!(
        refused > 0,
        "the replay should hold refused inputs ({valid} valid)"
    );
}
