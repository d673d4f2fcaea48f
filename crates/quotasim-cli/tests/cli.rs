//! The `quotasim` command, run as a user would.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn quotasim(args: &[&str], cwd: &Path, threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quotasim"));
    cmd.args(args).current_dir(cwd);
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.output().expect("quotasim runs")
}

/// The built-in default merged onto its base: a whole scenario, to copy and edit.
fn default_text() -> String {
    quotasim::overlay::run_default().text
}

fn read_lines(p: &Path) -> usize {
    std::fs::read_to_string(p).unwrap().lines().count()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The corpus of bad scenarios in `tests/corpus/`: each file holds one defect, and its
/// header says what the message must contain (`# expect: ...`) and, where the defect has
/// one, its line (`# line: N`).
struct Case {
    name: String,
    bytes: Vec<u8>,
    expected: Vec<String>,
    line: Option<usize>,
}

fn corpus() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let expects = text
                .lines()
                .filter_map(|l| l.strip_prefix("# expect: "))
                .map(str::to_string)
                .collect();
            let line = text
                .lines()
                .find_map(|l| l.strip_prefix("# line: "))
                .map(|n| n.trim().parse().unwrap());
            Case {
                name: p.file_name().unwrap().to_string_lossy().into_owned(),
                bytes,
                expected: expects,
                line,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.name.cmp(&b.name));
    cases
}

#[test]
fn bad_scenarios_exit_2_with_a_located_message_and_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let cases = corpus();
    assert!(cases.len() >= 30, "the corpus has {} cases", cases.len());
    for Case {
        name,
        bytes,
        expected,
        line,
    } in cases
    {
        assert!(!expected.is_empty(), "{name} says nothing to expect");
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let o = quotasim(
            &["run", &name, "--quiet", "--out", out.to_str().unwrap()],
            dir.path(),
            None,
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.starts_with("error: "), "{name}: {err}");
        for e in &expected {
            assert!(
                err.contains(e.as_str()),
                "{name}: expected {e:?} in:\n{err}"
            );
        }
        if let Some(line) = line {
            assert!(
                err.contains(&format!("{name}:{line}")),
                "{name}: expected line {line} in:\n{err}"
            );
        }
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(!out.exists(), "{name}: an output folder was left behind");
        let c = quotasim(&["scenario", "check", &name], dir.path(), None);
        assert_eq!(c.status.code(), Some(2), "check {name}");
    }
    // Nothing half-written anywhere in the folder either.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    // 100 MB: a sparse file, so the test writes almost nothing.
    let f = std::fs::File::create(dir.path().join("huge.toml")).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap();
    let o = quotasim(
        &["run", "huge.toml", "--quiet", "--out", "o"],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("at most 1048576 bytes"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("o").exists());
}

#[test]
fn missing_file_and_bad_arguments_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(&["run", "nowhere.toml"], dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nowhere.toml"));
    let o = quotasim(&["run", "--reps", "0"], dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
    let o = quotasim(&["run", "--days", "0", "--quiet"], dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--days"), "{}", stderr(&o));
}

fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn same_seed_same_bytes_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let run = |out: &str, threads: &str| {
        let o = quotasim(
            &[
                "run", "--days", "20", "--reps", "3", "--seed", "5", "--quiet", "--out", out,
            ],
            dir.path(),
            Some(threads),
        );
        assert!(o.status.success(), "{}", stderr(&o));
        files_of(&dir.path().join(out))
    };
    let one = run("t1", "1");
    let two = run("t2", "2");
    let again = run("t2b", "8");
    let names: Vec<&str> = one.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            ".quotasim-output",
            "daily.csv",
            "daily.parquet",
            "national.csv",
            "national.parquet",
            "report.html",
            "reps.csv",
            "reps.parquet",
            "scenario.toml",
            "summary.csv",
            "summary.json"
        ]
    );
    for ((name, a), ((_, b), (_, c))) in one.iter().zip(two.iter().zip(&again)) {
        assert!(a == b, "{name} differs between 1 and 2 threads");
        assert!(b == c, "{name} differs between 2 and 8 threads");
    }
}

#[test]
fn replications_give_bands_and_a_row_each() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "run", "--days", "10", "--reps", "4", "--quiet", "--out", "r",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r/summary.json")).unwrap()).unwrap();
    let mean = summary["arrests_per_day_mean"].as_f64().unwrap();
    let lo = summary["arrests_per_day_mean_p05"].as_f64().unwrap();
    let hi = summary["arrests_per_day_mean_p95"].as_f64().unwrap();
    assert!(lo <= mean && mean <= hi && lo < hi, "{lo} {mean} {hi}");
    assert_eq!(summary["replications"].as_f64(), Some(4.0));
    assert!(summary["arrests_by_office_p95"]["CHI"].as_f64().is_some());
    let reps = std::fs::read_to_string(dir.path().join("r/reps.csv")).unwrap();
    assert_eq!(reps.lines().count(), 5);
    let daily = std::fs::read_to_string(dir.path().join("r/daily.csv")).unwrap();
    assert_eq!(daily.lines().count(), 1 + 4 * 10 * 25);
}

#[test]
fn single_run_writes_every_output_with_the_documented_keys() {
    let dir = tempfile::tempdir().unwrap();
    // Ten days: the quota starts on the seventh (2025-01-26), so every key has a value.
    let o = quotasim(&["run", "--days", "10", "--quiet"], dir.path(), None);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Arrests a day") && stdout.contains("Share of the national target met"),
        "{stdout}"
    );
    // The table says where the fit's window ends: ten days lie within it.
    assert!(
        stdout.contains("fitted to outcomes through 2026-01-31: the whole run lies within"),
        "{stdout}"
    );
    let out: PathBuf = dir.path().join("runs/quota-2026-20250120");
    for f in [
        "daily.csv",
        "daily.parquet",
        "summary.json",
        "scenario.toml",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    for key in quotasim::summary::HEADLINE_KEYS {
        assert!(summary[key].as_f64().is_some(), "{key}");
    }
    assert_eq!(summary["arrests_by_office"].as_object().unwrap().len(), 25);
    // The documented daily columns, in order.
    let header = std::fs::read_to_string(out.join("daily.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let expected: Vec<String> = quotasim::daily::daily_columns()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(header, expected.join(","));
    // The scenario written beside the outputs runs again to the same numbers.
    let again = quotasim(
        &[
            "run",
            out.join("scenario.toml").to_str().unwrap(),
            "--quiet",
            "--out",
            "again",
        ],
        dir.path(),
        None,
    );
    assert!(again.status.success(), "{}", stderr(&again));
    let first = std::fs::read(out.join("daily.csv")).unwrap();
    let second = std::fs::read(dir.path().join("again/daily.csv")).unwrap();
    assert!(first == second, "scenario.toml did not reproduce the run");
}

#[test]
fn rerun_replaces_the_output_folder_whole() {
    let dir = tempfile::tempdir().unwrap();
    let a = quotasim(
        &["run", "--days", "3", "--reps", "2", "--quiet", "--out", "o"],
        dir.path(),
        None,
    );
    assert!(a.status.success());
    assert_eq!(read_lines(&dir.path().join("o/reps.csv")), 3);
    std::fs::write(dir.path().join("o/left-by-hand.txt"), "x").unwrap();
    let b = quotasim(
        &["run", "--days", "3", "--quiet", "--out", "o"],
        dir.path(),
        None,
    );
    assert!(b.status.success());
    // The new folder replaces the old whole: one replication's row, nothing left over.
    assert_eq!(read_lines(&dir.path().join("o/reps.csv")), 2);
    assert!(!dir.path().join("o/left-by-hand.txt").exists());
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["o"]);
}

#[test]
fn scenario_show_prints_the_default_ready_to_edit() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(&["scenario", "show"], dir.path(), None);
    assert!(o.status.success());
    // The default is an overlay of the FY2024 baseline: it is shown merged, so that a
    // copy runs on its own.
    let shown = String::from_utf8(o.stdout.clone()).unwrap();
    assert_eq!(shown, default_text());
    assert!(
        !shown.contains("\nbase = "),
        "the shown default names no base"
    );
    assert!(
        shown.contains("# docket_nondetained_total"),
        "comments and sources are kept"
    );
    std::fs::write(dir.path().join("mine.toml"), &o.stdout).unwrap();
    let c = quotasim(&["scenario", "check", "mine.toml"], dir.path(), None);
    assert!(c.status.success(), "{}", stderr(&c));
    assert!(String::from_utf8_lossy(&c.stdout).contains("valid scenario"));
}

#[test]
fn killed_run_leaves_the_previous_output_whole() {
    let dir = tempfile::tempdir().unwrap();
    let first = quotasim(
        &["run", "--days", "5", "--quiet", "--out", "o"],
        dir.path(),
        None,
    );
    assert!(first.status.success(), "{}", stderr(&first));
    let before = files_of(&dir.path().join("o"));
    // What the longer run writes when it is not killed (in a folder of its own).
    let elsewhere = tempfile::tempdir().unwrap();
    let longer = [
        "run", "--days", "40", "--reps", "4", "--quiet", "--out", "o",
    ];
    let whole = quotasim(&longer, elsewhere.path(), None);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let names = |files: &[(String, Vec<u8>)]| -> Vec<String> {
        files.iter().map(|(n, _)| n.clone()).collect()
    };
    let whole_names = names(&files_of(&elsewhere.path().join("o")));
    // Kill longer runs into the same folder at several points, SIGKILL, no warning.
    for delay_ms in [5u64, 50, 200, 400, 700, 1000] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quotasim"))
            .args(longer)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let o = dir.path().join("o");
        if status.success() {
            // Finished before the kill: a complete new output, with its reps table.
            assert!(
                files_of(&o).iter().any(|(n, _)| n == "reps.csv"),
                "after {delay_ms} ms"
            );
        } else if o.exists() {
            // Killed: the previous output, untouched (or, between the two renames that
            // swap folders, none at all; or, killed after the new folder was moved in
            // while the old one was being removed, the whole new output; never a
            // partial one).
            let now = files_of(&o);
            assert!(
                now == before || names(&now) == whole_names,
                "a run killed after {delay_ms} ms left a partial output folder: {:?}",
                names(&now)
            );
        }
    }
    // The next run cleans up what killed runs left beside the folder.
    let last = quotasim(
        &["run", "--days", "5", "--quiet", "--out", "o"],
        dir.path(),
        None,
    );
    assert!(last.status.success());
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["o"], "leftovers: {names:?}");
    assert!(
        files_of(&dir.path().join("o")) == before,
        "same scenario and seed, same bytes"
    );
}

/// FNV-1a, 64 bits: a checksum for comparing files, not for security.
fn fnv64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The outputs of a short national run are the same bytes in every build: the golden
/// files were written by a release build (`QUOTASIM_BLESS=1 cargo test --release -p
/// quotasim-cli golden`), and the test suite runs a debug build. A deliberate change to
/// the model's results means blessing them again, and saying so in the commit.
#[test]
fn golden_outputs_are_the_same_in_debug_and_release_builds() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "run", "--days", "10", "--seed", "1", "--quiet", "--out", "g",
        ],
        dir.path(),
        Some("2"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary = std::fs::read_to_string(dir.path().join("g/summary.json")).unwrap();
    let daily = format!(
        "{:016x}\n",
        fnv64(&std::fs::read(dir.path().join("g/daily.csv")).unwrap())
    );
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    if std::env::var_os("QUOTASIM_BLESS").is_some() {
        std::fs::write(golden.join("summary-10d-seed1.json"), &summary).unwrap();
        std::fs::write(golden.join("daily-10d-seed1.fnv64"), &daily).unwrap();
        return;
    }
    let want_summary = std::fs::read_to_string(golden.join("summary-10d-seed1.json")).unwrap();
    let want_daily = std::fs::read_to_string(golden.join("daily-10d-seed1.fnv64")).unwrap();
    assert!(
        summary == want_summary,
        "summary.json differs from the golden one (run with QUOTASIM_BLESS=1 after a deliberate change)"
    );
    assert_eq!(
        daily, want_daily,
        "daily.csv differs from the golden checksum"
    );
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn posterior_draws_widen_the_intervals_and_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let fit = repo_file("scenarios/fit-fy2024.toml");
    let fit = fit.to_str().unwrap();
    // The model's own error left out of both: it would widen both alike.
    let args = [
        "run",
        "--days",
        "15",
        "--reps",
        "6",
        "--seed",
        "3",
        "--quiet",
        "--bands",
        "chance,costs,assumptions",
    ];
    let plain = quotasim(&[&args[..], &["--out", "plain"]].concat(), dir.path(), None);
    assert!(plain.status.success(), "{}", stderr(&plain));
    let post = quotasim(
        &[&args[..], &["--out", "post", "--posterior", fit]].concat(),
        dir.path(),
        None,
    );
    assert!(post.status.success(), "{}", stderr(&post));
    let read = |d: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(d).join("summary.json")).unwrap())
            .unwrap()
    };
    let (a, b) = (read("plain"), read("post"));
    let width = |s: &serde_json::Value, k: &str| {
        s[format!("{k}_p95")].as_f64().unwrap() - s[format!("{k}_p05")].as_f64().unwrap()
    };
    // The fit's uncertainty adds to chance: the band of arrests a day is wider.
    let (wa, wb) = (
        width(&a, "arrests_per_day_mean"),
        width(&b, "arrests_per_day_mean"),
    );
    assert!(wb > 2.0 * wa, "width without {wa}, with the posterior {wb}");
    assert_eq!(b["posterior_fit"].as_str(), Some(fit));
    // One row of drawn parameters per replication, inside the fit's bounds.
    let csv = std::fs::read_to_string(dir.path().join("post/posterior.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7, "{csv}");
    assert!(
        lines[0].starts_with("rep,manager.hour_value,"),
        "{}",
        lines[0]
    );
    let hour: Vec<f64> = lines[1..]
        .iter()
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(hour.iter().all(|h| (0.005..=1.0).contains(h)), "{hour:?}");
    assert!(hour.windows(2).any(|w| w[0] != w[1]));
    // The default sets Border Patrol book-ins (2025's fit) away from FY2024's: it keeps
    // its value in every draw, and says so.
    let shipped = quotasim::scenario::Scenario::fitted_2025()
        .detention
        .others_bookins_per_day;
    assert!(
        stderr(&post).contains(&format!(
            "sets detention.others_bookins_per_day = {shipped} where the fit has 587.6: it keeps its value, not drawn"
        )),
        "{}",
        stderr(&post)
    );
    let column = lines[0]
        .split(',')
        .position(|c| c == "detention.others_bookins_per_day")
        .unwrap();
    for l in &lines[1..] {
        assert_eq!(
            l.split(',').nth(column),
            Some(shipped.to_string().as_str()),
            "{l}"
        );
    }
}

#[test]
fn calibrate_refuses_bad_targets_with_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_file("scenarios/baseline-fy2024.toml");
    let targets = std::fs::read_to_string(repo_file("scenarios/targets-fy2024.toml")).unwrap();
    let cases = [
        (
            targets.replacen("key = \"share_other\"", "key = \"share_others\"", 1),
            "share_others",
            "not a numeric key of summary.json",
        ),
        (
            targets.replacen(
                "path = \"manager.hour_value\"",
                "path = \"manager.hour_vale\"",
                1,
            ),
            "manager.hour_vale",
            "no `hour_vale`",
        ),
        (
            targets.replacen("sd = 0.02", "sd = -1.0", 1),
            "target[1].sd",
            "must be a positive number",
        ),
        (
            targets.replacen("seeds = 4 ", "seeds = 0 ", 1),
            "calibration.seeds",
            "[1, 1000]",
        ),
        (
            targets.replacen("seeds = 4 ", "starts = 0\nseeds = 4 ", 1),
            "calibration.starts",
            "[1, 50]",
        ),
        (
            targets.replacen("seeds = 4 ", "start_spread = 2.0\nseeds = 4 ", 1),
            "calibration.start_spread",
            "(0, 1]",
        ),
    ];
    for (text, key, message) in cases {
        let path = dir.path().join("t.toml");
        std::fs::write(&path, &text).unwrap();
        let o = quotasim(
            &[
                "calibrate",
                scenario.to_str().unwrap(),
                "--targets",
                path.to_str().unwrap(),
                "--out",
                "cal",
                "--quiet",
            ],
            dir.path(),
            None,
        );
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(key) && err.contains(message), "{err}");
        assert!(err.contains("t.toml:"), "no line in: {err}");
        assert!(!dir.path().join("cal").exists());
    }
}

#[test]
fn quota_2025_starts_from_the_fitted_baseline() {
    use quotasim::adjust::parameter_numbers;
    use quotasim::scenario::Scenario;
    let read = |rel: &str| std::fs::read_to_string(repo_file(rel)).unwrap();
    let baseline = Scenario::from_toml("b", &read("scenarios/baseline-fy2024.toml")).unwrap();
    let quota = Scenario::from_toml(
        "scenarios/quota-2025.toml",
        &read("scenarios/quota-2025.toml"),
    )
    .unwrap();
    assert_eq!(quota, Scenario::national_default());
    let fit = quotasim_calibrate::Fit::from_toml("f", &read("scenarios/fit-fy2024.toml")).unwrap();
    // Inputs of 2025 that replace a value FY2024 fitted, each for a stated reason.
    let inputs_of_2025 = [
        // Border Patrol book-ins fell with border crossings from late January 2025 (an
        // input from outside the model, as removal flights are).
        "detention.others_bookins_per_day",
    ];
    for p in fit
        .parameters
        .iter()
        .filter(|p| !inputs_of_2025.contains(&p.path.as_str()))
    {
        assert_eq!(
            parameter_numbers(&quota, &p.path).unwrap(),
            parameter_numbers(&baseline, &p.path).unwrap(),
            "{}",
            p.path
        );
    }
    // The fit's set values are the baseline's.
    for p in fit
        .parameters
        .iter()
        .filter(|p| p.mode == quotasim_calibrate::Mode::Set)
    {
        let v = parameter_numbers(&baseline, &p.path).unwrap()[0].1;
        assert!(
            (v - p.estimate).abs() <= 0.5 + 1e-9 * v.abs(),
            "{} {v}",
            p.path
        );
    }
    // Policy comes in as events from 2025-01-20 on, each with its source.
    let first = quotasim::scenario::Date::parse("2025-01-20").unwrap();
    assert!(!quota.events.is_empty());
    for e in &quota.events {
        assert!(e.date >= first, "{:?}", e.date);
        assert!(!e.source.is_empty(), "{:?}", e.note);
    }
    // Before the events: no quota, ERO alone.
    assert_eq!(quota.quota.per_office_per_day, 0.0);
    assert_eq!(quota.capacity.agencies.hsi.agents, 0);
}

/// The values marked in a report's captions: (key, value).
fn marked_numbers(html: &str) -> Vec<(String, f64)> {
    let mut out = Vec::new();
    for part in html.split("data-key=\"").skip(1) {
        let key = part.split('"').next().unwrap().to_string();
        let value = part
            .split("data-value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap();
        out.push((key, value.parse().unwrap()));
    }
    out
}

#[test]
fn report_holds_a_chart_per_figure_and_captions_match_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "run", "--days", "30", "--reps", "3", "--quiet", "--out", "r",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(dir.path().join("r/report.html")).unwrap();
    // Self-contained: nothing to fetch.
    for banned in ["http://", "https://", "<script", "<link", "src="] {
        let outside_svg_ns = html.replace("http://www.w3.org/2000/svg", "");
        assert!(
            !outside_svg_ns.contains(banned),
            "report refers to {banned}"
        );
    }
    let figures: Vec<&str> = html.split("<figure").skip(1).collect();
    // Six charts of the model, and the costs by component; then one of the four
    // backtest charts for each that has a published figure inside these 30 days
    // (January's detained, the first weeks' shares).
    let observed = html.matches("<h2 id=\"observed-").count();
    assert!((1..=4).contains(&observed), "{observed}");
    assert_eq!(figures.len(), 7 + observed);
    for f in &figures {
        let f = f.split("</figure>").next().unwrap();
        assert!(
            f.contains("<svg role=\"img\" aria-label=\""),
            "no accessible svg"
        );
        // A drawn series: a path, polyline or polygon with points, or filled rectangles.
        let drawn = f.matches("<polyline").count()
            + f.matches("<polygon").count()
            + f.matches("<path").count()
            + f.matches("<rect").count();
        assert!(drawn > 3, "a chart with nothing drawn: {drawn}");
        assert!(f.contains("<figcaption>") && f.contains("</figcaption>"));
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("r/summary.json")).unwrap()).unwrap();
    let marked = marked_numbers(&html);
    assert!(marked.len() >= 15, "{marked:?}");
    for (key, value) in marked {
        assert_eq!(summary[&key].as_f64(), Some(value), "{key}");
    }
}

fn sweep_args<'a>(out: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut a = vec![
        "sweep",
        "--vary",
        "quota.per_office_per_day=25..150:3",
        "--vary",
        "capacity.agencies.hsi.agents=0..4000:3",
        "--set",
        "quota.national_per_day=0",
        "--reps",
        "2",
        "--days",
        "8",
        "--quiet",
        "--out",
        out,
    ];
    a.extend_from_slice(extra);
    a
}

#[test]
fn killed_sweep_completes_on_rerun_with_every_point_once() {
    let dir = tempfile::tempdir().unwrap();
    // Stopped (aborted, as by a kill) after 4 of the 9 points.
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quotasim"));
    cmd.args(sweep_args("s", &[]))
        .current_dir(dir.path())
        .env("QUOTASIM_SWEEP_STOP_AFTER", "4");
    let killed = cmd.output().unwrap();
    assert!(!killed.status.success());
    let log = std::fs::read_to_string(dir.path().join("s/points.log")).unwrap();
    let before = log.lines().count() - 1;
    assert!((8..18).contains(&before), "{before} lines before the rerun");
    assert!(!dir.path().join("s/results.parquet").exists());
    // The rerun skips the finished points and completes the rest.
    let o = quotasim(&sweep_args("s", &[]), dir.path(), None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("done before"), "{}", stderr(&o));
    let csv = std::fs::read_to_string(dir.path().join("s/results.csv")).unwrap();
    let mut seen: Vec<(u32, u32)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let mut f = l.split(',');
            (
                f.next().unwrap().parse().unwrap(),
                f.next().unwrap().parse().unwrap(),
            )
        })
        .collect();
    assert_eq!(seen.len(), 18);
    seen.dedup();
    assert_eq!(
        seen,
        (0..9).flat_map(|p| [(p, 0), (p, 1)]).collect::<Vec<_>>()
    );
    // The same sweep run whole in one go gives the same results.
    let whole = quotasim(&sweep_args("w", &[]), dir.path(), None);
    assert!(whole.status.success());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("w/results.csv")).unwrap(),
        csv
    );
    assert!(dir.path().join("s/design.parquet").is_file());
    let html = std::fs::read_to_string(dir.path().join("s/report.html")).unwrap();
    assert!(html.contains("<svg role=\"img\""));
    // Per-office quota 150 with no national target: attainment falls as the quota rises.
    let attainment = |point: u32| -> f64 {
        let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
        let col = header
            .iter()
            .position(|h| *h == "quota_attainment")
            .unwrap();
        let row = csv.lines().nth(1 + 2 * point as usize).unwrap();
        row.split(',').nth(col).unwrap().parse().unwrap()
    };
    assert!(
        attainment(0) > attainment(6),
        "{} {}",
        attainment(0),
        attainment(6)
    );
}

#[test]
fn sweep_refuses_bad_requests() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &["sweep", "--vary", "quota.per_ofice_per_day=1..2", "--quiet"],
            "per_ofice_per_day",
        ),
        (
            &[
                "sweep",
                "--vary",
                "quota.per_office_per_day=5..1",
                "--quiet",
            ],
            "above HI",
        ),
        (
            &[
                "sweep",
                "--vary",
                "channels.at_large.hours_per_arrest=1..2",
                "--quiet",
            ],
            "names 5 numbers",
        ),
        (
            &[
                "sweep",
                "--vary",
                "docket.share_final_order=0..1.5",
                "--quiet",
            ],
            "share",
        ),
    ];
    for (args, expected) in cases {
        let o = quotasim(args, dir.path(), None);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expected), "{args:?}: {}", stderr(&o));
    }
    assert!(!dir.path().join("runs").exists());
    // Another request into a folder that holds a sweep.
    assert!(
        quotasim(&sweep_args("s", &[]), dir.path(), None)
            .status
            .success()
    );
    let mut other = sweep_args("s", &[]);
    other[2] = "quota.per_office_per_day=25..150:4";
    let o = quotasim(&other, dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("holds a different sweep"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn compare_gives_paired_differences_of_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.toml");
    std::fs::write(&a, default_text()).unwrap();
    // B: sensitive-places protection never revoked.
    let b = dir.path().join("b.toml");
    std::fs::write(
        &b,
        default_text().replace(
            "set = { \"channels.sensitive_places.protected\" = false }",
            "set = { \"channels.sensitive_places.protected\" = true }",
        ),
    )
    .unwrap();
    let o = quotasim(
        &[
            "compare",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--reps",
            "3",
            "--days",
            "20",
            "--quiet",
            "--out",
            "c",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("arrests_per_day_mean"));
    let csv = std::fs::read_to_string(dir.path().join("c/compare.csv")).unwrap();
    let row = |key: &str| -> Vec<f64> {
        csv.lines()
            .find(|l| l.starts_with(&format!("{key},")))
            .unwrap()
            .split(',')
            .skip(1)
            .map(|x| x.parse().unwrap_or(f64::NAN))
            .collect()
    };
    let sens = row("arrests_at_sensitive_places");
    assert!(sens[0] > 0.0 && sens[1] == 0.0, "{sens:?}");
    assert!((sens[2] - (sens[1] - sens[0])).abs() < 1e-9);
    assert!(sens[3] <= sens[2] && sens[2] <= sens[4]);
    // Same seeds: a key the change cannot move differs by exactly zero.
    assert_eq!(row("hsi_hours_diverted")[2..], [0.0, 0.0, 0.0]);
    let html = std::fs::read_to_string(dir.path().join("c/report.html")).unwrap();
    assert_eq!(html.matches("<figure").count(), 4);
}

/// One HTTP/1.1 GET on 127.0.0.1: (status line, headers and body as text, body bytes).
fn http_get(addr: &str, path: &str) -> (String, Vec<u8>) {
    http_get_with(addr, path, "")
}

/// As [`http_get`], with `extra` request header lines (each ending in \r\n).
fn http_get_with(addr: &str, path: &str, extra: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the dashboard accepts connections");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("headers end");
    (
        String::from_utf8_lossy(&bytes[..split]).to_string(),
        bytes[split + 4..].to_vec(),
    )
}

#[test]
fn dashboard_serves_the_embedded_page_or_says_how_to_build_it() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    let mut child = common::spawn_dashboard(None);
    if !dist.join("index.html").exists() {
        // Built without dist/: a clear error, not an empty page.
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("scripts/build-web.sh"),
            "{}",
            stderr(&out)
        );
        return;
    }
    let addr = common::dashboard_address(&mut child);
    assert!(
        addr.starts_with("127.0.0.1:"),
        "listens on this machine only: {addr}"
    );
    let (head, body) = http_get(&addr, "/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/html"), "{head}");
    assert_eq!(body, std::fs::read(dist.join("index.html")).unwrap());
    let (head, body) = http_get(&addr, "/quotasim_wasm_bg.wasm");
    assert!(head.contains("content-type: application/wasm"), "{head}");
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(&body[..4], b"\0asm");
    // A browser that takes gzip gets the same bytes gzipped, far fewer of them.
    let (head, gz) = http_get_with(
        &addr,
        "/quotasim_wasm_bg.wasm",
        "Accept-Encoding: gzip, br\r\n",
    );
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("vary: accept-encoding"), "{head}");
    assert!(
        gz.len() * 2 < body.len(),
        "{} gzipped against {}",
        gz.len(),
        body.len()
    );
    let mut plain = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut plain).unwrap();
    assert_eq!(plain, body);
    let (head, _) = http_get_with(
        &addr,
        "/quotasim_wasm_bg.wasm",
        "Accept-Encoding: gzip;q=0\r\n",
    );
    assert!(!head.contains("content-encoding"), "{head}");
    let (head, _) = http_get(&addr, "/no-such-file.js");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn out_that_cannot_be_written_is_refused_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("taken"), "a file").unwrap();
    // Ten years: refused at once, before any simulation.
    let o = quotasim(
        &["run", "--days", "3650", "--quiet", "--out", "taken"],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("error: --out taken: exists and is not a folder"),
        "{}",
        stderr(&o)
    );
    let o = quotasim(
        &[
            "run",
            "--days",
            "3650",
            "--quiet",
            "--out",
            "/proc/quotasim-x",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot create the lock file /proc/.quotasim-x.lock"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(dir.path().join("taken")).unwrap(), b"a file");
}

#[test]
fn seed_beyond_two_to_the_63_is_refused_with_its_range() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "run",
            "--days",
            "2",
            "--seed",
            "9223372036854775808",
            "--quiet",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("0..=9223372036854775807"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("runs").exists());
}

#[test]
fn an_overlay_runs_and_its_written_scenario_reruns_to_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("s")).unwrap();
    std::fs::write(dir.path().join("s/whole.toml"), default_text()).unwrap();
    std::fs::write(
        dir.path().join("s/more-flights.toml"),
        "# more removal flights\nbase = \"whole.toml\"\n\n[removal]\ncapacity_per_day = 1_400   # assumption for this test\n",
    )
    .unwrap();
    let shown = quotasim(
        &["scenario", "show", "--resolved", "s/more-flights.toml"],
        dir.path(),
        None,
    );
    let shown = String::from_utf8_lossy(&shown.stdout).into_owned();
    assert!(shown.contains("capacity_per_day = 1_400   # assumption for this test"));
    assert!(!shown.contains("\nbase = "), "{shown}");
    let args = ["--days", "12", "--seed", "5", "--quiet"];
    let a = quotasim(
        &[&["run", "s/more-flights.toml"][..], &args, &["--out", "a"]].concat(),
        dir.path(),
        None,
    );
    assert!(a.status.success(), "{}", stderr(&a));
    let b = quotasim(
        &[&["run", "a/scenario.toml"][..], &args, &["--out", "b"]].concat(),
        dir.path(),
        None,
    );
    assert!(b.status.success(), "{}", stderr(&b));
    for f in ["daily.csv", "summary.json", "scenario.toml"] {
        assert_eq!(
            std::fs::read(dir.path().join("a").join(f)).unwrap(),
            std::fs::read(dir.path().join("b").join(f)).unwrap(),
            "{f}"
        );
    }
    // A base that is not there is named at the line of `base`.
    std::fs::write(dir.path().join("s/lost.toml"), "\nbase = \"gone.toml\"\n").unwrap();
    let o = quotasim(&["run", "s/lost.toml"], dir.path(), None);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: s/lost.toml:2: base = \"gone.toml\"\n       cannot read the base scenario s/gone.toml"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn summary_csv_has_the_same_keys_and_statistics_whatever_the_reps() {
    let dir = tempfile::tempdir().unwrap();
    let rows = |reps: &str, out: &str| -> Vec<(String, String)> {
        let o = quotasim(
            &[
                "run", "--days", "12", "--reps", reps, "--quiet", "--out", out,
            ],
            dir.path(),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let text = std::fs::read_to_string(dir.path().join(out).join("summary.csv")).unwrap();
        assert!(text.starts_with("key,statistic,value,unit\n"));
        text.lines()
            .skip(1)
            .map(|l| {
                let mut parts = l.splitn(3, ',');
                (
                    parts.next().unwrap().to_string(),
                    parts.next().unwrap().to_string(),
                )
            })
            .collect()
    };
    let one = rows("1", "one");
    let five = rows("5", "five");
    assert_eq!(one, five);
    assert!(one.len() > 150, "{} rows", one.len());
    assert!(one.contains(&("arrests_per_day_mean".to_string(), "p95".to_string())));
    assert!(one.contains(&("replications".to_string(), "value".to_string())));
}

#[test]
fn backtest_against_another_scenario_pairs_their_replications() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.toml");
    std::fs::write(
        &obs,
        "[[observation]]\nmetric = \"arrests_per_day\"\nfrom = 2025-01-20\nto = 2025-01-24\nvalue = 700.0\nsd = 50.0\nsource = \"a test figure\"\n\n[[observation]]\nmetric = \"share_other\"\nfrom = 2025-01-20\nto = 2025-01-25\nvalue = 0.4\nsd = 0.05\nsource = \"another\"\n",
    )
    .unwrap();
    let blind = repo_file("scenarios/quota-2025.toml");
    let fitted = repo_file("scenarios/quota-2025-fitted.toml");
    let backtest = |vs: &Path, out: &str, extra: &[&str]| {
        let mut args = vec![
            "backtest",
            blind.to_str().unwrap(),
            "--observed",
            obs.to_str().unwrap(),
            "--vs",
            vs.to_str().unwrap(),
            "--days",
            "6",
            "--reps",
            "3",
            "--quiet",
            "--out",
            out,
        ];
        args.extend_from_slice(extra);
        quotasim(&args, dir.path(), None)
    };
    let o = backtest(&fitted, "a", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    // The paired difference is the sum over vs.csv of each figure's change in z².
    let csv = std::fs::read_to_string(dir.path().join("a/vs.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 2, "{csv}");
    let change: f64 = rows.iter().map(|r| r[8].parse::<f64>().unwrap()).sum();
    let z2 = |i: usize| -> f64 {
        rows.iter()
            .map(|r| r[i].parse::<f64>().unwrap().powi(2))
            .sum()
    };
    assert!((change - (z2(7) - z2(5))).abs() < 1e-9, "{csv}");
    assert!(change.abs() > 0.01, "the two scenarios differ: {csv}");
    assert!(
        stdout.contains(&format!("a difference of {change:+.2} ± "))
            && stdout.contains("on the same 3 replications"),
        "{stdout}"
    );
    // A scenario against itself: the same replications, no difference and no noise.
    let o = backtest(&blind, "b", &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("a difference of +0.00 ± 0.00"), "{stdout}");
    // Against a posterior's draws the replications would not be paired: refused.
    let o = backtest(
        &fitted,
        "c",
        &[
            "--posterior",
            repo_file("scenarios/fit-2025.toml").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--posterior"), "{}", stderr(&o));
    assert!(!dir.path().join("c").exists());
}

#[test]
fn backtest_scores_observations_over_their_windows_and_refuses_a_window_outside_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let obs = dir.path().join("obs.toml");
    std::fs::write(
        &obs,
        "[[observation]]\nmetric = \"arrests_per_day\"\nfrom = 2025-01-20\nto = 2025-01-24\nvalue = 700.0\nsd = 50.0\nsource = \"a test figure\"\n\n[[observation]]\nmetric = \"share_other\"\nfrom = 2025-01-22\nto = 2025-01-25\nmin = 0.0\nmax = 1.0\nsd = 0.05\nsource = \"a range that holds everything\"\n\n[[observation]]\nmetric = \"summary\"\nkey = \"arrests_total\"\nvalue = 1.0\nsd = 1.0\nsource = \"a summary key\"\n",
    )
    .unwrap();
    let scenario = repo_file("scenarios/quota-2025.toml");
    let out = dir.path().join("bt");
    let o = quotasim(
        &[
            "backtest",
            scenario.to_str().unwrap(),
            "--observed",
            obs.to_str().unwrap(),
            "--days",
            "6",
            "--reps",
            "2",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][1], "2025-01-20 .. 2025-01-24");
    let (mean, z): (f64, f64) = (rows[0][4].parse().unwrap(), rows[0][7].parse().unwrap());
    assert!((z - (mean - 700.0) / 50.0).abs() < 1e-9, "{csv}");
    // A range holding every share scores 0 and meets any band.
    assert_eq!(rows[1][7], "0");
    assert_eq!(rows[1][8], "true");
    assert!(rows[2][4].parse::<f64>().unwrap() > 100.0);
    let html = std::fs::read_to_string(out.join("backtest.html")).unwrap();
    assert!(html.contains("Verdict") && html.contains("Arrests a day"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("observations lie within one stated sd"));
    // The sum of the squared z of backtest.csv, with its error over the 2 replications.
    let sum: f64 = rows
        .iter()
        .map(|r| r[7].parse::<f64>().unwrap().powi(2))
        .sum();
    assert!(
        stdout.contains(&format!("The sum of squared z is {sum:.1} ± "))
            && stdout.contains("over the 2 replications"),
        "{stdout}"
    );
    // Two values and a range: a right model leaves 2 x 0.683 + 0.841 = 2.2 ± 0.75 of the
    // three within one sd.
    assert!(
        stdout.contains("about 2 ± 1 of the 3 would lie within one sd")
            && stdout.contains("the one bound on its edge"),
        "{stdout}"
    );

    // A window beyond the run's days is refused before any run, at its line.
    let late =
        std::fs::read_to_string(&obs)
            .unwrap()
            .replacen("to = 2025-01-24", "to = 2025-03-01", 1);
    std::fs::write(&obs, late).unwrap();
    let o = quotasim(
        &[
            "backtest",
            scenario.to_str().unwrap(),
            "--observed",
            obs.to_str().unwrap(),
            "--days",
            "6",
            "--quiet",
            "--out",
            dir.path().join("bt2").to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("obs.toml:3") && e.contains("2025-01-20 .. 2025-01-25"),
        "{e}"
    );
}

#[test]
fn solve_out_of_reach_says_infeasible_exits_2_and_writes_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    let o = quotasim(
        &[
            "solve",
            "--target",
            "removals_per_day_mean>=100000",
            "--lever",
            "removal.flights_per_day=1..3",
            "--days",
            "8",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("infeasible within these bounds"), "{said}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("solve.json")).unwrap()).unwrap();
    assert_eq!(json["feasible"], false);
    // The lower and upper corners, and a cut below the upper one.
    assert_eq!(json["path"].as_array().unwrap().len(), 3);
    assert!(
        std::fs::read_to_string(out.join("solve.html"))
            .unwrap()
            .contains("infeasible")
    );

    // A lever that is not a parameter is refused before any search, with its path.
    let o = quotasim(
        &[
            "solve",
            "--target",
            "removals_per_year>=1",
            "--lever",
            "removal.wings=1..3",
            "--quiet",
            "--out",
            dir.path().join("t").to_str().unwrap(),
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("removal.wings"), "{}", stderr(&o));
    assert!(!dir.path().join("t").exists());
}

#[test]
fn daily_none_writes_the_summary_and_report_without_daily_tables() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "run", "--reps", "2", "--days", "4", "--daily", "none", "--quiet", "--out", "n",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut files: Vec<String> = std::fs::read_dir(dir.path().join("n"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".quotasim-output",
            "report.html",
            "reps.csv",
            "reps.parquet",
            "scenario.toml",
            "summary.csv",
            "summary.json"
        ]
    );
    let o = quotasim(
        &[
            "run", "--days", "4", "--daily", "some", "--quiet", "--out", "m",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--daily"), "{}", stderr(&o));
}

#[test]
fn set_takes_true_or_false_for_a_switch_and_refuses_them_for_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = |set: &str, out: &str| {
        quotasim(
            &[
                "sweep",
                "--vary",
                "quota.penalty_per_missed_arrest=1..3:2",
                "--set",
                set,
                "--days",
                "5",
                "--quiet",
                "--out",
                out,
            ],
            dir.path(),
            None,
        )
    };
    let on = sweep("quota.ranking=true", "on");
    assert!(on.status.success(), "{}", stderr(&on));
    let beds = sweep("detention.beds=true", "beds");
    assert_eq!(beds.status.code(), Some(2), "{}", stderr(&beds));
    assert!(
        stderr(&beds).contains("`detention.beds` is not a switch"),
        "{}",
        stderr(&beds)
    );
    assert!(!dir.path().join("beds").exists());
}

#[test]
fn the_default_runs_to_the_end_of_2026_and_its_table_marks_where_the_prediction_starts() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(&["scenario", "show"], dir.path(), None);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown = String::from_utf8_lossy(&o.stdout);
    assert!(
        shown.contains("days = 711") && shown.contains("fitted_through = 2026-01-31"),
        "{shown}"
    );
    let o = quotasim(
        &["run", "--days", "400", "--quiet", "--daily", "none"],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(
            "fitted to outcomes through 2026-01-31; 2026-02-01 .. 2026-02-23 (23 days) is a prediction"
        ),
        "{stdout}"
    );
    // The report draws the mark and says what it means.
    let report =
        std::fs::read_to_string(dir.path().join("runs/quota-2026-20250120/report.html")).unwrap();
    assert!(
        report.contains("prediction from 2026-02-01"),
        "no mark in the report"
    );
    assert!(
        stdout.contains("Detention money left at the end"),
        "{stdout}"
    );
}

#[test]
fn a_rolling_origin_backtest_fits_before_the_origin_and_scores_after_it() {
    // A small fit (one free parameter, a few iterations) on the figures that end before
    // 2025-06-30; then only the figures from 2025-06-30 on are scored.
    let dir = tempfile::tempdir().unwrap();
    for f in [
        "quota-2025.toml",
        "baseline-fy2024.toml",
        "observed-2025.toml",
    ] {
        std::fs::copy(repo_file(&format!("scenarios/{f}")), dir.path().join(f)).unwrap();
    }
    std::fs::write(
        dir.path().join("t.toml"),
        "[calibration]\nseeds = 1\nmax_iterations = 3\ndays = 377\nobserved = \"observed-2025.toml\"\n\n[[free]]\npath = \"channels.findability.other\"\nlo = 0.02\nhi = 1.5\nlog = true\n",
    )
    .unwrap();
    let o = quotasim(
        &[
            "backtest",
            "quota-2025.toml",
            "--observed",
            "observed-2025.toml",
            "--targets",
            "t.toml",
            "--origin",
            "2025-06-30",
            "--days",
            "377",
            "--reps",
            "2",
            "--quiet",
            "--out",
            "b",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Origin 2025-06-30: fitted on the ")
            && stdout.contains("meet the model's 5-95 % band"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(dir.path().join("b/backtest.csv")).unwrap();
    // Every window scored starts on or after the origin.
    for line in csv.lines().skip(1) {
        let window = line.split(',').nth(1).unwrap();
        assert!(&window[..10] >= "2025-06-30", "{window}");
    }
    for f in ["fit.toml", "coverage.txt", "posterior.csv", "backtest.html"] {
        assert!(dir.path().join("b").join(f).is_file(), "{f}");
    }
    // The forecast draws around the fit: each replication its own value, none kept at
    // the blind scenario's (1, which the fit left).
    assert!(!stderr(&o).contains("keeps its value"), "{}", stderr(&o));
    let draws = std::fs::read_to_string(dir.path().join("b/posterior.csv")).unwrap();
    let drawn: Vec<f64> = draws
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(drawn.len(), 2);
    assert!(
        drawn[0] != drawn[1] && drawn.iter().all(|x| *x != 1.0),
        "{draws}"
    );
    // Without a targets file an origin is refused before anything runs.
    let o = quotasim(
        &[
            "backtest",
            "quota-2025.toml",
            "--observed",
            "observed-2025.toml",
            "--origin",
            "2025-06-30",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

/// The quota against everything else: two groups, four subsets.
const TWO_GROUPS: &str = r#"
[[group]]
name = "quota"
label = "the quota and its pressure"
keys = ["quota.*", "channels.community.broadened"]

[[group]]
name = "rest"
label = "everything else"
keys = ["*"]
"#;

/// `attribute` with TWO_GROUPS (as two.toml), 2 replications of 20 days, seed 5, the
/// `metrics`, into `out`.
fn two_group_attribution(out: &str, metrics: &str) -> Vec<String> {
    [
        "attribute",
        "--groups",
        "two.toml",
        "--reps",
        "2",
        "--days",
        "20",
        "--seed",
        "5",
        "--metrics",
        metrics,
        "--out",
        out,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn killed_attribution_resumes_from_its_log_and_gives_the_same_answer() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.toml"), TWO_GROUPS).unwrap();
    let args = |out: &str| two_group_attribution(out, "arrests_per_day_mean,share_other");
    let run = |out: &str, stop: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_quotasim"));
        cmd.args(args(out)).current_dir(dir.path());
        if let Some(n) = stop {
            cmd.env("QUOTASIM_ATTRIBUTE_STOP_AFTER", n);
        }
        cmd.output().unwrap()
    };
    // Stopped (aborted, as by a kill) once two of the four subsets are logged.
    let killed = run("a", Some("2"));
    assert!(!killed.status.success());
    assert!(
        !dir.path().join("a").exists(),
        "a killed attribution wrote its folder"
    );
    let log = std::fs::read_to_string(dir.path().join(".a.attribute-log")).unwrap();
    assert!(log.lines().count() >= 3, "{log}");
    // The rerun runs only the rest, then removes the log.
    let resumed = run("a", None);
    assert!(resumed.status.success(), "{}", stderr(&resumed));
    assert!(
        stderr(&resumed).contains("subsets already done"),
        "{}",
        stderr(&resumed)
    );
    assert!(!dir.path().join(".a.attribute-log").exists());
    // The same attribution run whole gives the same file.
    let whole = run("b", None);
    assert!(whole.status.success(), "{}", stderr(&whole));
    let csv =
        |d: &str| std::fs::read_to_string(dir.path().join(d).join("attribution.csv")).unwrap();
    assert_eq!(csv("a"), csv("b"));
    assert_eq!(csv("a").lines().count(), 1 + 2 * 2);
    // A log of another request is not used: the run starts again.
    std::fs::write(
        dir.path().join(".c.attribute-log"),
        "# quotasim attribute log 0\n0,1,2,3,4\n",
    )
    .unwrap();
    let other = run("c", None);
    assert!(
        !stderr(&other).contains("already done"),
        "{}",
        stderr(&other)
    );
    assert_eq!(csv("c"), csv("b"));
}

#[test]
fn attribution_with_a_posterior_runs_a_draw_a_replication_and_writes_the_draws() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("two.toml"), TWO_GROUPS).unwrap();
    let fit = repo_file("scenarios/fit-2025.toml");
    let run = |out: &str, posterior: bool| {
        let mut args = two_group_attribution(out, "arrests_per_day_mean");
        if posterior {
            args.extend(["--posterior".into(), fit.display().to_string()]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        quotasim(&args, dir.path(), None)
    };
    let read = |d: &str, f: &str| std::fs::read_to_string(dir.path().join(d).join(f)).unwrap();
    let a = run("a", true);
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(
        stderr(&a).contains("own draw of the fit's posterior"),
        "{}",
        stderr(&a)
    );
    // One row of draws a replication, one column a fitted parameter.
    let draws = read("a", "posterior.csv");
    assert_eq!(draws.lines().count(), 1 + 2, "{draws}");
    assert!(
        draws
            .lines()
            .next()
            .unwrap()
            .contains("channels.community.broadened_reach_gain")
    );
    assert!(read("a", "attribution.html").contains("own draw of the fit's posterior"));
    // The same seed draws the same; without the posterior the runs differ.
    let b = run("b", true);
    assert!(b.status.success(), "{}", stderr(&b));
    assert_eq!(read("a", "attribution.csv"), read("b", "attribution.csv"));
    assert_eq!(draws, read("b", "posterior.csv"));
    let c = run("c", false);
    assert!(c.status.success(), "{}", stderr(&c));
    assert_ne!(read("a", "attribution.csv"), read("c", "attribution.csv"));
    assert!(!dir.path().join("c/posterior.csv").exists());
    // scenario.toml is the scenario the draws are made around, not one of them.
    assert_eq!(read("a", "scenario.toml"), read("c", "scenario.toml"));
    // A missing fit file is named, and nothing is written.
    let o = quotasim(
        &[
            "attribute",
            "--posterior",
            "nofit.toml",
            "--days",
            "5",
            "--out",
            "d",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("nofit.toml"), "{}", stderr(&o));
    assert!(!dir.path().join("d").exists());
}

#[test]
fn report_and_table_of_the_default_set_what_happened_beside_the_model() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(&["run", "--out", "r"], dir.path(), None);
    assert!(o.status.success(), "{}", stderr(&o));
    // report.html draws every published figure of a charted kind inside the run.
    let html = std::fs::read_to_string(dir.path().join("r/report.html")).unwrap();
    let drawn: usize = html
        .split("published figures over their windows")
        .filter_map(|part| part.rsplit("and ").next()?.trim().parse::<usize>().ok())
        .sum();
    let plan = quotasim::Plan::new(&quotasim::Scenario::run_default()).unwrap();
    let inside = quotasim_calibrate::observed::Observations::shipped_within(&plan);
    assert!(
        inside.list.len() > 40,
        "{} figures inside",
        inside.list.len()
    );
    assert_eq!(drawn, quotasim_report::charted_count(&inside));
    assert!(html.contains("What happened, beside the model."));
    // The table gives the latest figure of each kind beside the model's.
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    let kinds: std::collections::BTreeSet<_> =
        inside.list.iter().map(|ob| ob.metric.key()).collect();
    let beside: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": observed ") && l.contains("; model "))
        .collect();
    assert_eq!(beside.len(), kinds.len(), "{out}");
}

#[test]
fn bands_widen_by_the_model_error_unless_switched_off_and_an_unknown_source_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let summary = |name: &str, bands: &str| -> serde_json::Value {
        let o = quotasim(
            &[
                "run", "--days", "60", "--reps", "2", "--seed", "4", "--daily", "none", "--quiet",
                "--bands", bands, "--out", name,
            ],
            dir.path(),
            None,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice(&std::fs::read(dir.path().join(name).join("summary.json")).unwrap())
            .unwrap()
    };
    let all = summary("all", "all");
    let plain = summary("plain", "chance,costs,assumptions");
    let num = |s: &serde_json::Value, k: &str| s[k].as_f64().unwrap();
    // The same replications; the widened band holds the plain one, and is wider.
    assert_eq!(
        num(&all, "arrests_per_day_mean"),
        num(&plain, "arrests_per_day_mean")
    );
    assert!(num(&all, "arrests_per_day_mean_p05") < num(&plain, "arrests_per_day_mean_p05"));
    assert!(num(&all, "arrests_per_day_mean_p95") > num(&plain, "arrests_per_day_mean_p95"));
    let carry = all["bands_carry"].as_str().unwrap();
    assert!(
        carry.starts_with("chance, unit costs, the model's own error, as the published figures of its fit window (to 2026-01-31) measure it: arrests a day "),
        "{carry}"
    );
    assert_eq!(plain["bands_carry"], "chance, unit costs");
    // Keys without a published kind keep their band.
    assert_eq!(
        num(&all, "cost_per_year_p05"),
        num(&plain, "cost_per_year_p05")
    );
    let o = quotasim(
        &[
            "run",
            "--days",
            "5",
            "--bands",
            "chance,cost",
            "--out",
            "bad",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("error: --bands: band source \"cost\": must be among chance, costs, assumptions, model-error, all, none"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("bad").exists(), "nothing written");
}

#[test]
fn a_rolling_origin_outside_the_run_is_refused_naming_the_flag_and_the_runs_dates() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_file("scenarios/quota-2025-fitted.toml");
    let observed = repo_file("scenarios/observed-2025.toml");
    let targets = repo_file("scenarios/targets-2025.toml");
    for (origin, says) in [
        (
            "2030-01-01",
            "error: --origin 2030-01-01: must lie after the run's first day (2025-01-20) and within its 377 days",
        ),
        (
            "2025-01-25",
            "error: --origin 2025-01-25: no observation ends before it, so nothing is left to fit",
        ),
    ] {
        let o = quotasim(
            &[
                "backtest",
                scenario.to_str().unwrap(),
                "--observed",
                observed.to_str().unwrap(),
                "--targets",
                targets.to_str().unwrap(),
                "--origin",
                origin,
                "--quiet",
                "--out",
                "bt",
            ],
            dir.path(),
            None,
        );
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).starts_with(says), "{}", stderr(&o));
        assert!(!dir.path().join("bt").exists(), "nothing written");
    }
}

#[test]
fn run_set_holds_a_value_for_the_whole_run_as_an_overlays_hold_does() {
    let dir = tempfile::tempdir().unwrap();
    // The command's --set, and an overlay that holds the same value: the same run.
    let o = quotasim(
        &[
            "run",
            "--days",
            "40",
            "--seed",
            "3",
            "--daily",
            "none",
            "--quiet",
            "--set",
            "quota.national_per_day=0",
            "--set",
            "quota.per_office_per_day=0",
            "--out",
            "set",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let base = repo_file("scenarios/quota-2026.toml");
    std::fs::write(
        dir.path().join("held.toml"),
        format!(
            "base = {:?}\nhold = [\"quota.national_per_day\", \"quota.per_office_per_day\"]\n[quota]\nnational_per_day = 0\nper_office_per_day = 0\n",
            base.to_str().unwrap()
        ),
    )
    .unwrap();
    let o = quotasim(
        &[
            "run",
            "held.toml",
            "--days",
            "40",
            "--seed",
            "3",
            "--daily",
            "none",
            "--quiet",
            "--out",
            "held",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let read = |d: &str| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(dir.path().join(d).join("summary.json")).unwrap())
            .unwrap()
    };
    let (set, held) = (read("set"), read("held"));
    assert_eq!(set["arrests_total"], held["arrests_total"]);
    assert_eq!(
        set["quota_national_per_day_in_force"],
        serde_json::Value::Null
    );
    // Without the hold the quota of 2025-01-26 raises arrests.
    let o = quotasim(
        &[
            "run", "--days", "40", "--seed", "3", "--daily", "none", "--quiet", "--out", "plain",
        ],
        dir.path(),
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(read("plain")["arrests_total"].as_f64() > set["arrests_total"].as_f64());
    // A key that is no parameter, or given twice, is refused naming --set.
    let o = quotasim(
        &[
            "run",
            "--days",
            "5",
            "--set",
            "quota.nope=1",
            "--out",
            "bad",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("error: --set quota.nope: "),
        "{}",
        stderr(&o)
    );
    let o = quotasim(
        &[
            "run",
            "--days",
            "5",
            "--set",
            "quota.ranking=true",
            "--set",
            "quota.ranking=false",
            "--out",
            "bad",
        ],
        dir.path(),
        None,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("quota.ranking"), "{}", stderr(&o));
    assert!(!dir.path().join("bad").exists());
}
