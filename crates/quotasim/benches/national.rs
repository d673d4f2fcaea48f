//! Benchmarks of the national default (docs: README "Benchmarks").
//!
//! `cargo bench -p quotasim` times one 365-day run of the 7.8-million-person national
//! default, and drawing its docket alone. Run with RAYON_NUM_THREADS=1 for the
//! single-thread figure the speed target is stated in. Memory per person is reported by
//! `quotasim bench`, which reads the process's peak resident size.

use criterion::{Criterion, criterion_group, criterion_main};
use quotasim::{Plan, Scenario};

fn national(c: &mut Criterion) {
    let plan = Plan::new(&Scenario::national_default()).expect("default is valid");
    let mut group = c.benchmark_group("national_default");
    group.sample_size(10);
    group.bench_function("draw_docket_7.8M", |b| {
        b.iter(|| quotasim::population::build(&plan.scenario, &plan.docket_share, 1, 0))
    });
    group.bench_function("run_365_days", |b| b.iter(|| quotasim::run(&plan, 1, 0)));
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
