//! Reading what the user gives: scenario and TOML files (refused before parsing when
//! they are not what they claim), overlays resolved onto their bases, `--set` values.

use std::path::Path;

use quotasim::Plan;
use quotasim::overlay::{self, Resolved};
use quotasim::scenario::Scenario;

use crate::failure::Failure;

/// Largest scenario file read (bytes): a scenario is a few kilobytes.
pub(crate) const MAX_SCENARIO_BYTES: u64 = 1 << 20;

/// Reads a scenario file, refusing what is not a scenario before parsing it.
pub(crate) fn read_scenario_text(path: &Path) -> Result<String, Failure> {
    read_toml_text(path, "scenario")
}

/// Reads a TOML input file (`what` names it in errors), refusing what is not a
/// regular file (a folder, a device such as /dev/zero, a pipe) before opening it, and
/// reading at most 1 MiB whatever the file claims, then refusing text that is not
/// UTF-8.
pub(crate) fn read_toml_text(path: &Path, what: &str) -> Result<String, Failure> {
    use std::io::Read;
    let shown = path.display();
    let meta = std::fs::metadata(path)
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the {what}: {e}")))?;
    if meta.is_dir() {
        return Err(Failure::Input(format!(
            "error: {shown}: is a folder; a {what} is a TOML file"
        )));
    }
    if !meta.is_file() {
        return Err(Failure::Input(format!(
            "error: {shown}: is not a regular file (a device, pipe or socket); a {what} is a TOML file"
        )));
    }
    let too_big = |len: u64| {
        Failure::Input(format!(
            "error: {shown}: {len} bytes or more; a {what} file is at most {MAX_SCENARIO_BYTES} bytes (1 MiB)"
        ))
    };
    if meta.len() > MAX_SCENARIO_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_SCENARIO_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| Failure::Input(format!("error: {shown}: cannot read the {what}: {e}")))?;
    if bytes.len() as u64 > MAX_SCENARIO_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
        Failure::Input(format!("error: {shown}:{line}\n       the file is not UTF-8 text (invalid byte at offset {at}); save it as UTF-8"))
    })
}

/// Reads a scenario file and merges it onto its bases (`base = ...`), each read from
/// beside the file that names it.
pub(crate) fn resolve_file(path: &Path) -> Result<Resolved, Failure> {
    let text = read_scenario_text(path)?;
    let read = |base: &str| -> std::io::Result<String> {
        read_scenario_text(Path::new(base)).map_err(|f| {
            let text = match f {
                Failure::Input(m) | Failure::Interrupted(m) => m,
                Failure::Other(e) => format!("{e:#}"),
            };
            // The error names the file and line of `base`; keep only the reason.
            let reason = text
                .strip_prefix(&format!("error: {base}: "))
                .unwrap_or(&text);
            std::io::Error::other(reason.split_whitespace().collect::<Vec<_>>().join(" "))
        })
    };
    Ok(overlay::resolve(&path.display().to_string(), &text, &read)?)
}

/// A scenario file (or the built-in default, `None`), resolved.
pub(crate) fn resolve_scenario(path: Option<&Path>) -> Result<Resolved, Failure> {
    match path {
        None => Ok(overlay::run_default()),
        Some(p) => resolve_file(p),
    }
}

/// A scenario file (or the built-in default, `None`), resolved and validated.
pub(crate) fn load_scenario(path: Option<&Path>) -> Result<(Resolved, Scenario), Failure> {
    let resolved = resolve_scenario(path)?;
    let scenario = Scenario::from_resolved(&resolved)?;
    Ok((resolved, scenario))
}

/// Loads a scenario (or the default) and plans it (validated, its events scheduled
/// once).
pub(crate) fn load_plan(path: Option<&Path>, days: Option<u32>) -> Result<Plan, Failure> {
    Ok(Plan::from_resolved(&resolve_scenario(path)?, days)?)
}

/// Refuses a parameter named twice among (flag, key) pairs: a second `--vary`,
/// `--set` or `--lever` of one key, or one key both varied and set, would otherwise
/// be merged silently (one of them ignored, or two columns of one name).
pub(crate) fn refuse_repeated_keys(named: &[(&str, &str)]) -> Result<(), Failure> {
    for (i, (flag, key)) in named.iter().enumerate() {
        if let Some((first, _)) = named[..i].iter().find(|(_, k)| k == key) {
            let how = if first == flag {
                format!("{flag} names it twice")
            } else {
                format!("it is given to both {first} and {flag}")
            };
            return Err(Failure::Input(format!(
                "error: {flag} {key}: {how}; name each parameter once"
            )));
        }
    }
    Ok(())
}

/// Parses `KEY=VALUE` of `--set`: a number, or `true`/`false` for a switch (1 or 0).
pub(crate) fn parse_set(text: &str) -> Result<(String, f64), Failure> {
    let bad = || {
        Failure::Input(format!(
            "error: --set `{text}`: expected KEY=VALUE with a finite number (or true/false for a switch), such as quota.national_per_day=0"
        ))
    };
    let (k, v) = text.split_once('=').ok_or_else(bad)?;
    let v: f64 = match v.trim() {
        flag @ ("true" | "false") if quotasim::parameters::is_switch(k.trim()) => {
            f64::from(u8::from(flag == "true"))
        }
        "true" | "false" => {
            return Err(Failure::Input(format!(
                "error: --set `{text}`: `{}` is not a switch; true and false are for switches, give it a number",
                k.trim()
            )));
        }
        v => v.replace('_', "").parse().map_err(|_| bad())?,
    };
    if k.trim().is_empty() || !v.is_finite() {
        return Err(bad());
    }
    Ok((k.trim().to_string(), v))
}
