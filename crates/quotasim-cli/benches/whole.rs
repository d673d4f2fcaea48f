//! The whole `quotasim run` process, every output written (docs/performance.md).
//!
//! `cargo bench -p quotasim-cli` runs the command on `benches/fitted-780k.toml` (the
//! fitted default with a docket of 780,000 people) into a temporary folder: parsing the
//! scenario, the run, daily.csv / daily.parquet, national.*, reps.*, summary.json and
//! report.html. Run with RAYON_NUM_THREADS=1 for the single-thread figure the goal is
//! stated in. `quotasim bench --whole` times the same from the command line.

use std::path::Path;
use std::process::Command;

use criterion::{Criterion, criterion_group, criterion_main};

fn whole(c: &mut Criterion) {
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/fitted-780k.toml");
    let out = tempfile::tempdir().expect("a temporary folder");
    let dir = out.path().join("run");
    let mut group = c.benchmark_group("whole_run");
    group.sample_size(10);
    group.bench_function("fitted_780k_people_all_outputs", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_quotasim"))
                .arg("run")
                .arg(&scenario)
                .args(["--quiet", "--out"])
                .arg(&dir)
                .output()
                .expect("quotasim runs");
            assert!(
                status.status.success(),
                "{}",
                String::from_utf8_lossy(&status.stderr)
            );
        })
    });
    group.finish();
}

criterion_group!(benches, whole);
criterion_main!(benches);
