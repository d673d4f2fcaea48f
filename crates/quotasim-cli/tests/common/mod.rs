//! What the command's test files share: starting `quotasim dashboard`.

use std::process::{Child, Command, Stdio};

/// Starts `quotasim dashboard --port 0`, limited to `descriptors` open files where
/// given; stdout and stderr are piped.
pub fn spawn_dashboard(descriptors: Option<u32>) -> Child {
    let exe = env!("CARGO_BIN_EXE_quotasim");
    let limit = descriptors.map_or(String::new(), |n| format!("ulimit -n {n} && "));
    Command::new("sh")
        .args(["-c", &format!("{limit}exec {exe} dashboard --port 0")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The address the dashboard prints once it listens (host:port).
pub fn dashboard_address(child: &mut Child) -> String {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    line.trim()
        .strip_prefix("quotasim dashboard: http://")
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("address line: {line:?}"))
        .to_string()
}
