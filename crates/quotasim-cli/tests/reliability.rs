//! The command under hostile use: paths that must stay where the user meant them,
//! outputs that are never lost, input that must not hang, crash or be merged silently.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn quotasim(args: &[&str], cwd: &Path) -> Output {
    quotasim_env(args, cwd, &[])
}

fn quotasim_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_quotasim"));
    cmd.args(args).current_dir(cwd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("quotasim runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts that the command's message holds `want`.
fn says(o: &Output, want: &str) {
    assert!(
        stderr(o).contains(want),
        "wanted {want:?} in: {}",
        stderr(o)
    );
}

fn repo_file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// An overlay on the shipped default (copied beside it) with `body` added.
fn overlay(dir: &Path, name: &str, body: &str) -> PathBuf {
    for f in std::fs::read_dir(repo_file("scenarios")).unwrap() {
        let f = f.unwrap().path();
        std::fs::copy(&f, dir.join(f.file_name().unwrap())).unwrap();
    }
    let path = dir.join(name);
    std::fs::write(&path, format!("base = \"quota-2025-fitted.toml\"\n{body}")).unwrap();
    path
}

#[test]
fn a_run_name_with_a_path_separator_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("important");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("thesis.txt"), "years of work").unwrap();
    let cases = [
        victim.display().to_string(),
        "../../x".to_string(),
        "..".to_string(),
        "a\\\\b".to_string(),
    ];
    for name in cases {
        let file = overlay(dir.path(), "n.toml", &format!("[run]\nname = {name:?}\n"));
        let o = quotasim(
            &["run", file.to_str().unwrap(), "--days", "2", "--quiet"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        // Located at its line, with the key.
        says(&o, "n.toml:3: run.name");
        says(&o, "no path separator");
    }
    assert_eq!(entries(&victim), ["thesis.txt"]);
    assert!(!dir.path().join("runs").exists());
}

#[test]
fn out_refuses_a_folder_quotasim_did_not_write_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("scenario-i-wrote.toml"), "x").unwrap();
    // Refused before any work: ten years would take seconds.
    for cmd in [
        vec!["run", "--days", "3650"],
        vec!["compare", "a.toml", "a.toml"],
        vec![
            "solve",
            "--target",
            "arrests_per_day_mean>=1",
            "--lever",
            "quota.per_office_per_day=1..2",
        ],
    ] {
        if cmd[0] == "compare" {
            std::fs::write(
                dir.path().join("a.toml"),
                quotasim::overlay::run_default().text,
            )
            .unwrap();
        }
        let mut args = cmd.clone();
        args.extend(["--quiet", "--out", "mine"]);
        let o = quotasim(&args, dir.path());
        assert_eq!(o.status.code(), Some(2), "{cmd:?}: {}", stderr(&o));
        says(
            &o,
            "--out mine: holds files that quotasim did not write (scenario-i-wrote.toml)",
        );
        assert_eq!(entries(&mine), ["scenario-i-wrote.toml"]);
    }
    // Its own folder it replaces; with --force, the user's too.
    let o = quotasim(
        &["run", "--days", "2", "--quiet", "--out", "ours"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = quotasim(
        &["run", "--days", "2", "--quiet", "--out", "ours"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let o = quotasim(
        &["run", "--days", "2", "--quiet", "--force", "--out", "mine"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!mine.join("scenario-i-wrote.toml").exists());
    assert!(mine.join("summary.json").exists());
}

#[test]
fn out_refuses_the_current_folder_and_its_parents_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
    for out in [".", "..", "d/..", "./", dir.path().to_str().unwrap()] {
        let o = quotasim(
            &["run", "--days", "3650", "--quiet", "--force", "--out", out],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{out}: {}", stderr(&o));
        says(&o, "names the current folder or one of its parents");
    }
    // Nothing was written or left behind.
    assert_eq!(entries(dir.path()), ["d", "keep.txt"]);
}

#[test]
fn a_read_only_output_folder_is_refused_before_the_run() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &["run", "--days", "2", "--quiet", "--out", "ro"],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let ro = dir.path().join("ro");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    let o = quotasim(
        &["run", "--days", "2", "--quiet", "--out", "ro"],
        dir.path(),
    );
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    says(&o, "--out ro: is read-only");
    assert_eq!(entries(dir.path()), ["ro"]);
}

#[test]
fn a_sweep_that_fails_before_its_first_point_leaves_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    // At 1,000 ERO officers the default's events surge more officers than half of them.
    let bad = [
        "sweep",
        "--vary",
        "capacity.agencies.ero.agents=1000..6000:2",
        "--days",
        "400",
        "--quiet",
        "--out",
        "s",
    ];
    let o = quotasim(&bad, dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    says(
        &o,
        "error: --vary capacity.agencies.ero.agents = 1000: the scenario's events cannot run with it",
    );
    assert!(!stderr(&o).contains("error: error:"), "{}", stderr(&o));
    assert_eq!(entries(dir.path()), Vec::<String>::new());
    // The corrected request runs into the same folder.
    let good = [
        "sweep",
        "--vary",
        "capacity.agencies.ero.agents=5000..6000:2",
        "--days",
        "3",
        "--quiet",
        "--out",
        "s",
    ];
    let o = quotasim(&good, dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn repeated_or_conflicting_keys_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let v = "quota.per_office_per_day=1..2:2";
    let cases: [(&[&str], &str); 5] = [
        (
            &["sweep", "--vary", v, "--vary", v],
            "--vary names it twice",
        ),
        (
            &["sweep", "--vary", v, "--set", "quota.per_office_per_day=5"],
            "given to both --vary and --set",
        ),
        (
            &[
                "sweep",
                "--vary",
                "quota.national_per_day=1..2",
                "--set",
                "quota.per_office_per_day=5",
                "--set",
                "quota.per_office_per_day=6",
            ],
            "--set names it twice",
        ),
        (
            &["sweep", "--vary", "run.seed=1..5"],
            "the seed is not a parameter to vary",
        ),
        (
            &[
                "solve",
                "--target",
                "arrests_per_day_mean>=1",
                "--lever",
                "quota.per_office_per_day=1..2",
                "--lever",
                "quota.per_office_per_day=3..4",
            ],
            "--lever names it twice",
        ),
    ];
    for (args, want) in cases {
        let mut a = args.to_vec();
        a.extend(["--days", "2", "--quiet", "--out", "x"]);
        let o = quotasim(&a, dir.path());
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        says(&o, want);
    }
    assert_eq!(entries(dir.path()), Vec::<String>::new());
}

#[test]
fn a_broken_pipe_ends_quietly_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["scenario", "params"],
        vec!["scenario", "show"],
        vec!["run", "--days", "2", "--quiet", "--out", "o"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_quotasim"))
            .args(&args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is read, as `| head -0` would.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}

#[test]
fn a_device_or_pipe_given_as_a_scenario_is_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let base = overlay(dir.path(), "b.toml", "");
    std::fs::write(&base, "base = \"/dev/zero\"\n").unwrap();
    for file in ["/dev/zero", fifo.to_str().unwrap(), base.to_str().unwrap()] {
        let o = quotasim(&["scenario", "check", file], dir.path());
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        says(&o, "is not a regular file");
    }
}

#[test]
fn the_court_deciding_every_case_in_a_day_runs_and_conserves_people() {
    let dir = tempfile::tempdir().unwrap();
    let file = overlay(
        dir.path(),
        "c.toml",
        "[court]\ndecisions_per_day = 1000000\n",
    );
    let o = quotasim(
        &[
            "run",
            file.to_str().unwrap(),
            "--days",
            "4",
            "--quiet",
            "--out",
            "o",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/summary.json")).unwrap())
            .unwrap();
    assert!(
        summary["arrests_total"].as_f64().unwrap() > 0.0,
        "{summary}"
    );
}

#[test]
fn a_run_that_cannot_fit_in_memory_is_refused_with_the_figure() {
    let dir = tempfile::tempdir().unwrap();
    let file = overlay(dir.path(), "f.toml", "[flows]\ninflow_per_day = 1000000\n");
    let limit = [("QUOTASIM_MAX_MEMORY_MB", "4096")];
    for args in [
        vec![
            "run",
            file.to_str().unwrap(),
            "--days",
            "3650",
            "--quiet",
            "--out",
            "o",
        ],
        vec!["scenario", "check", file.to_str().unwrap()],
        vec![
            "sweep",
            file.to_str().unwrap(),
            "--vary",
            "quota.per_office_per_day=1..2",
            "--days",
            "3650",
            "--quiet",
            "--out",
            "s",
        ],
        vec![
            "solve",
            file.to_str().unwrap(),
            "--target",
            "arrests_total>=1",
            "--lever",
            "quota.per_office_per_day=1..2",
            "--days",
            "3650",
            "--quiet",
            "--out",
            "v",
        ],
    ] {
        let o = quotasim_env(&args, dir.path(), &limit);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        // About 1e6 people a day for the run, at 16 bytes each.
        says(&o, "GB of memory at its peak");
        says(&o, "more than the 4.0 GB");
    }
    // The default fits.
    let o = quotasim_env(
        &["run", "--days", "2", "--quiet", "--out", "o"],
        dir.path(),
        &limit,
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn zero_hours_or_shifts_are_refused_like_zero_agents() {
    let dir = tempfile::tempdir().unwrap();
    for (key, line) in [("hours_per_shift", 3), ("shifts_per_week", 3)] {
        let file = overlay(dir.path(), "h.toml", &format!("[capacity]\n{key} = 0\n"));
        let o = quotasim(&["scenario", "check", file.to_str().unwrap()], dir.path());
        assert_eq!(o.status.code(), Some(2), "{key}: {}", stderr(&o));
        says(&o, &format!("h.toml:{line}: capacity.{key} = 0"));
    }
}

#[test]
fn calibrate_with_an_objective_past_the_largest_float_names_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = repo_file("scenarios/baseline-fy2024.toml");
    let targets = std::fs::read_to_string(repo_file("scenarios/targets-fy2024.toml")).unwrap();
    for (old, new) in [
        ("sd = 15.0", "sd = 1e-160"),
        ("value = 309.9", "value = 1e200"),
    ] {
        assert!(targets.contains(old));
        std::fs::write(dir.path().join("t.toml"), targets.replacen(old, new, 1)).unwrap();
        let o = quotasim(
            &[
                "calibrate",
                scenario.to_str().unwrap(),
                "--targets",
                "t.toml",
                "--quiet",
                "--out",
                "c",
            ],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2), "{new}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
        says(&o, "is not a finite number");
        says(&o, "`arrests_per_day_mean`");
    }
}

#[test]
fn a_fit_with_a_non_finite_mean_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fit = std::fs::read_to_string(repo_file("scenarios/fit-2025.toml")).unwrap();
    let start = fit.find("unit_mean = [").unwrap() + "unit_mean = [".len();
    let end = start + fit[start..].find([',', ']']).unwrap();
    let bad = format!("{}inf{}", &fit[..start], &fit[end..]);
    std::fs::write(dir.path().join("fit.toml"), bad).unwrap();
    let o = quotasim(
        &[
            "run",
            "--days",
            "2",
            "--reps",
            "2",
            "--quiet",
            "--posterior",
            "fit.toml",
            "--out",
            "o",
        ],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    says(&o, "posterior.unit_mean");
    says(&o, "must be finite");
}

/// Starts `quotasim dashboard` on a free port: the child and its address, or None
/// where this binary was built without the page (then, in CI, the test fails: the
/// test script builds dist/ first).
fn dashboard() -> Option<(std::process::Child, String)> {
    dashboard_with_descriptors(None)
}

/// As [`dashboard`], the server limited to `descriptors` open files where given.
fn dashboard_with_descriptors(descriptors: Option<u32>) -> Option<(std::process::Child, String)> {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist/index.html");
    if !dist.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "dist/ is not built: scripts/test.sh builds it before the tests"
        );
        eprintln!("skipped: dist/ is not built (scripts/build-web.sh)");
        return None;
    }
    let mut child = common::spawn_dashboard(descriptors);
    let addr = common::dashboard_address(&mut child);
    Some((child, addr))
}

/// One request (`method` on `path`, connection closed after): the status code.
fn request(addr: &str, method: &str, path: &str) -> u16 {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).expect("the dashboard accepts connections");
    s.set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).unwrap();
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(12)]).into_owned();
    head.get(9..12)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("status line: {head:?}"))
}

#[test]
fn the_dashboard_serves_a_load_with_slow_clients_and_stops_on_ctrl_c() {
    use std::io::Write;
    let Some((mut child, addr)) = dashboard() else {
        return;
    };
    // 200 connections that send half a request and wait.
    let slow: Vec<std::net::TcpStream> = (0..200)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(&addr).unwrap();
            write!(s, "GET / HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
            s
        })
        .collect();
    // 1,000 requests, 50 at a time, all served meanwhile.
    let served: Vec<u16> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..50)
            .map(|_| {
                scope.spawn(|| {
                    (0..20)
                        .map(|_| request(&addr, "GET", "/"))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(served.len(), 1000);
    assert!(
        served.iter().all(|&c| c == 200),
        "{:?}",
        served.iter().find(|&&c| c != 200)
    );
    // Files only: other methods are not allowed.
    assert_eq!(request(&addr, "HEAD", "/"), 200);
    for method in ["POST", "PUT", "DELETE", "BREW"] {
        assert_eq!(request(&addr, method, "/"), 405, "{method}");
    }
    // Ctrl-C, with the slow connections still open: the server exits within 5 s.
    let asked = std::time::Instant::now();
    assert!(
        Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if asked.elapsed() > std::time::Duration::from_secs(5) {
            child.kill().unwrap();
            panic!("the server was still running 5 s after Ctrl-C");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    drop(slow);
}

#[test]
fn a_base_reached_through_a_linked_folder_resolves_beside_the_folder_linked_to() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real");
    std::fs::create_dir_all(real.join("sub")).unwrap();
    std::fs::write(real.join("b.toml"), quotasim::overlay::run_default().text).unwrap();
    std::fs::write(
        real.join("sub/s.toml"),
        "base = \"../b.toml\"\n[run]\nname = \"linked\"\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(real.join("sub"), dir.path().join("link")).unwrap();
    let o = quotasim(&["scenario", "check", "link/s.toml"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("valid scenario \"linked\""));
}

#[test]
fn errors_are_located_in_the_users_file_with_values_as_written() {
    let dir = tempfile::tempdir().unwrap();
    // The overlay lowers the officers; the event that breaks with it is in a base.
    let file = overlay(
        dir.path(),
        "o.toml",
        "[capacity.agencies.ero]\nagents = 1500\n",
    );
    let o = quotasim(&["scenario", "check", file.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    says(&o, "o.toml:3: capacity.agencies.ero.agents = 1500");
    says(&o, "(set at ");
    says(&o, "quota-2025.toml:");
    // An unknown key shows its value; a share as written.
    let file = overlay(
        dir.path(),
        "u.toml",
        "[run]\nfoo = 3\n[docket]\nshare_protected = 9e-1\nshare_final_order = 0.5\n",
    );
    let o = quotasim(&["scenario", "check", file.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    says(&o, "u.toml:3: run.foo = 3\n");
    // Many problems: the first 50, then a count, at once.
    let events: String = (0..400)
        .map(|i| format!("[[events]]\ndate = 2025-06-{:02}\nnote = \"x\"\nsource = \"y\"\nset = {{ \"quota.per_office_per_day\" = 10 }}\n", 28 - i % 27))
        .collect();
    let file = overlay(dir.path(), "e.toml", &events);
    let o = quotasim(&["scenario", "check", file.to_str().unwrap()], dir.path());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    // 50 problems and the line that counts the rest.
    assert_eq!(stderr(&o).matches("error: ").count(), 51, "{}", stderr(&o));
    says(&o, "more problems (the first 50 are shown");
}

#[test]
fn solve_takes_a_target_on_a_figure_that_describes_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let o = quotasim(
        &[
            "solve",
            "--target",
            "docket_total>=1",
            "--lever",
            "quota.per_office_per_day=1..2",
            "--days",
            "2",
            "--quiet",
            "--out",
            "s",
        ],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("docket_total>=1 is met"));
}

#[test]
fn the_dashboard_out_of_file_descriptors_keeps_serving() {
    // 64 descriptors: the clients below take them all for a while.
    let Some((mut child, addr)) = dashboard_with_descriptors(Some(64)) else {
        return;
    };
    let held: Vec<std::net::TcpStream> = (0..100)
        .filter_map(|_| std::net::TcpStream::connect(&addr).ok())
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(held);
    // Still up, and serving.
    assert_eq!(request(&addr, "GET", "/"), 200);
    assert!(child.try_wait().unwrap().is_none(), "the server exited");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
}

#[test]
fn an_assumption_range_that_would_change_nothing_is_refused_at_its_line() {
    // An analyst's range on a path no later event sets would leave every replication
    // as it was: refused, with the file, line and entry, and no output folder.
    let dir = tempfile::tempdir().unwrap();
    let file = overlay(
        dir.path(),
        "a.toml",
        "\n[[assumptions]]\npath = \"removal.flights_per_day\"\nfrom = 2027-01-01\nlow = 1.0\nhigh = 2.0\n",
    );
    let o = quotasim(
        &["run", file.to_str().unwrap(), "--reps", "2", "--out", "o"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("a.toml:4: assumptions[0].path")
            && e.contains("no event on or after 2027-01-01"),
        "{e}"
    );
    assert!(!dir.path().join("o").exists());
}
