//! Benchmarks of the national default (docs: README "Benchmarks").
//!
//! `cargo bench -p quotasim` times one 365-day run of the 7.8-million-person national
//! default (the blind 2025 prediction), drawing its docket alone, building its plan
//! (validation and the schedule of its events), and an ensemble of
//! 100 replications streamed as `quotasim run --reps 100 --daily none` streams them
//! (each replication's summary kept, its daily rows dropped). Run the first two with
//! RAYON_NUM_THREADS=1 for the single-thread figure the speed target is stated in; the
//! ensemble on every core. Memory per person is reported by `quotasim bench`, which
//! reads the process's peak resident size; the whole process with its outputs is timed
//! by `cargo bench -p quotasim-cli` and `quotasim bench --whole` (docs/performance.md).

use criterion::{Criterion, criterion_group, criterion_main};
use quotasim::{Plan, Scenario};

fn national(c: &mut Criterion) {
    let plan = Plan::new(&Scenario::national_default()).expect("default is valid");
    let mut group = c.benchmark_group("national_default");
    group.sample_size(10);
    group.bench_function("draw_docket_7.8M", |b| {
        b.iter(|| quotasim::population::build(&plan.scenario, &plan.docket_share, 1, 0, &[]))
    });
    group.bench_function("run_365_days", |b| b.iter(|| quotasim::run(&plan, 1, 0)));
    // Validating the scenario and building its schedule of events (every point of a
    // sweep, fit or solve does this once).
    let scenario = Scenario::national_default();
    group.bench_function("plan", |b| b.iter(|| Plan::new(&scenario)));
    group.finish();
    let mut group = c.benchmark_group("national_default_ensemble");
    group.sample_size(10);
    group.bench_function("100_replications_streamed", |b| {
        b.iter(|| {
            let mut summaries = Vec::with_capacity(100);
            quotasim::ensemble::replicate_each(
                &|_| std::borrow::Cow::Borrowed(&plan),
                1,
                100,
                &|_| {},
                &mut |run| {
                    summaries.push(run.summary);
                    std::ops::ControlFlow::Continue(())
                },
            );
            summaries
        })
    });
    group.finish();
}

criterion_group!(benches, national);
criterion_main!(benches);
