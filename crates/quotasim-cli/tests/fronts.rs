//! Every front builds its run through the request layer (quotasim-request): the same
//! scenario, seed and replications give the same summary, cost bands included. Here the
//! command against the request run directly; the page's entry point against it in
//! crates/quotasim-wasm (`the_pages_run_is_the_request_layers_run`), and Python
//! against the command in python/tests/test_api.py.

use std::process::Command;

#[test]
fn the_commands_run_is_the_request_layers_run_cost_bands_included() {
    let dir = tempfile::tempdir().unwrap();
    let shipped = quotasim::overlay::run_default();
    std::fs::write(dir.path().join("s.toml"), &shipped.text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_quotasim"))
        .args([
            "run", "s.toml", "--reps", "3", "--seed", "5", "--days", "12", "--quiet", "--out", "o",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let command: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap())
            .unwrap();
    let plan = quotasim::Plan::from_resolved(&shipped, Some(12)).unwrap();
    let ens = quotasim_request::Ensemble::new(plan, Some(5), Some(3), quotasim_request::MAX_REPS)
        .unwrap();
    let runs = ens.run_all(&|_| {});
    let mut direct = quotasim::ensemble::summary_of(&runs);
    // The published figures inside the run, for the model's own error, as the command.
    let mut figures = quotasim_calibrate::observed::Figures::shipped_within(ens.plan());
    for r in &runs {
        figures.add(ens.plan(), r);
    }
    ens.finish(&mut direct, Some(&figures));
    // Both draw each replication's unit costs: the cost band is a band.
    let lo = command["cost_per_year_p05"].as_f64().unwrap();
    let hi = command["cost_per_year_p95"].as_f64().unwrap();
    assert!(lo < hi, "{lo} {hi}");
    assert_eq!(command, serde_json::to_value(&direct).unwrap());
}
