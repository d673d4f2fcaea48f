//! Writing a run's outputs: daily.csv / daily.parquet, reps.csv / reps.parquet,
//! summary.json and scenario.toml. Everything is written into a temporary folder beside
//! the target and moved into place only when complete, so a run that fails or is killed
//! leaves the previous complete output folder, or none, never a partial one.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use quotasim::metrics::{self, Cell, Column, Kind, Stat, Summary};
use quotasim::{Plan, Run};

/// A table as named, typed columns.
pub struct Table {
    pub columns: Vec<(Column, Vec<Cell>)>,
}

impl Table {
    fn rows(&self) -> usize {
        self.columns.first().map_or(0, |(_, c)| c.len())
    }
}

fn daily_table(plan: &Plan, runs: &[Run]) -> Table {
    let rows: Vec<quotasim::DailyRow> = runs.iter().flat_map(|r| r.daily.iter().cloned()).collect();
    Table {
        columns: metrics::daily_table(&rows, plan),
    }
}

/// One row per replication: its seed and every numeric summary value.
fn reps_table(runs: &[Run]) -> Table {
    let mut columns: Vec<(Column, Vec<Cell>)> = vec![(
        Column {
            name: "rep".into(),
            kind: Kind::Int,
            unit: "index",
            doc: "replication".into(),
        },
        runs.iter().map(|r| Cell::Int(r.rep.into())).collect(),
    )];
    if let Some(first) = runs.first() {
        // Seeds, days and other whole numbers are the same for every replication.
        for key in first.summary.numeric_keys() {
            let cells = runs
                .iter()
                .map(|r| match r.summary.get(key) {
                    Some(Stat::Num(x)) => Cell::Float(*x),
                    _ => Cell::Float(f64::NAN),
                })
                .collect();
            columns.push((
                Column {
                    name: key.to_string(),
                    kind: Kind::Float,
                    unit: "",
                    doc: String::new(),
                },
                cells,
            ));
        }
    }
    Table { columns }
}

pub fn write_csv(path: &Path, t: &Table) -> Result<()> {
    let f = fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::new(f);
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| c.name.as_str()).collect();
    writeln!(w, "{}", names.join(","))?;
    let mut line = String::new();
    for i in 0..t.rows() {
        line.clear();
        for (j, (_, cells)) in t.columns.iter().enumerate() {
            if j > 0 {
                line.push(',');
            }
            match &cells[i] {
                Cell::Int(x) => line.push_str(&x.to_string()),
                // Shortest text that reads back to the same number; empty for undefined.
                Cell::Float(x) if x.is_finite() => line.push_str(&x.to_string()),
                Cell::Float(_) => {}
                Cell::Text(s) => line.push_str(s),
            }
        }
        writeln!(w, "{line}")?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(feature = "parquet")]
pub fn write_parquet(path: &Path, t: &Table) -> Result<()> {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;
    use parquet::basic::{Compression, ZstdLevel};
    use parquet::file::properties::WriterProperties;

    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (col, cells) in &t.columns {
        match col.kind {
            Kind::Int => {
                fields.push(Field::new(&col.name, DataType::Int64, false));
                arrays.push(Arc::new(Int64Array::from_iter_values(cells.iter().map(
                    |c| match c {
                        Cell::Int(x) => *x,
                        _ => 0,
                    },
                ))));
            }
            Kind::Float => {
                fields.push(Field::new(&col.name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from_iter(cells.iter().map(
                    |c| match c {
                        Cell::Float(x) if x.is_finite() => Some(*x),
                        _ => None,
                    },
                ))));
            }
            Kind::Text => {
                fields.push(Field::new(&col.name, DataType::Utf8, false));
                arrays.push(Arc::new(StringArray::from_iter_values(cells.iter().map(
                    |c| match c {
                        Cell::Text(s) => s.as_str(),
                        _ => "",
                    },
                ))));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let props = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
        .build();
    let f = fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = ArrowWriter::try_new(f, schema, Some(props))?;
    w.write(&batch)?;
    w.close()?;
    Ok(())
}

#[cfg(not(feature = "parquet"))]
pub fn write_parquet(_path: &Path, _t: &Table) -> Result<()> {
    Ok(())
}

/// A sibling path of `out` for temporary use.
fn sibling(out: &Path, tag: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

/// Removes temporary folders beside `out` left by runs that were killed (their process
/// no longer exists), so they do not pile up. On systems without /proc, nothing.
fn clean_stale(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        for tag in ["partial", "old"] {
            let prefix = format!(".{}.{tag}-", name.to_string_lossy());
            let Some(pid) = file.strip_prefix(&prefix) else {
                continue;
            };
            if pid.parse::<u32>().is_ok_and(|p| {
                p != std::process::id() && !Path::new(&format!("/proc/{p}")).exists()
            }) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

/// Writes every output of a run into `out`, atomically (see the module doc); `extra`
/// adds text files (name, content), such as the posterior draws.
pub fn write_run(
    out: &Path,
    plan: &Plan,
    seed: u64,
    runs: &[Run],
    summary: &Summary,
    extra: &[(&str, String)],
) -> Result<()> {
    write_folder(out, |tmp| {
        let daily = daily_table(plan, runs);
        write_csv(&tmp.join("daily.csv"), &daily)?;
        write_parquet(&tmp.join("daily.parquet"), &daily)?;
        if runs.len() > 1 {
            let reps = reps_table(runs);
            write_csv(&tmp.join("reps.csv"), &reps)?;
            write_parquet(&tmp.join("reps.parquet"), &reps)?;
        }
        let json = serde_json::to_string_pretty(summary)?;
        fs::write(tmp.join("summary.json"), json + "\n")?;
        fs::write(
            tmp.join("scenario.toml"),
            plan.effective_scenario(seed).to_toml(),
        )?;
        for (name, text) in extra {
            fs::write(tmp.join(name), text)?;
        }
        Ok(())
    })
}

/// Checks, before any work, that outputs can be written to `out`: it is a folder or
/// does not exist, and a folder can be made beside it (where the outputs are written
/// first). Makes `out`'s parent folders if they are missing.
pub fn check_writable(out: &Path) -> Result<()> {
    if out.exists() && !out.is_dir() {
        anyhow::bail!("exists and is not a folder");
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let probe = sibling(out, "probe");
    fs::create_dir(&probe)
        .with_context(|| format!("cannot write beside it (tried {})", probe.display()))?;
    fs::remove_dir(&probe).with_context(|| format!("cannot remove {}", probe.display()))?;
    Ok(())
}

/// Fills a temporary folder beside `out` with `fill`, then swaps it into place: the
/// old folder (if any) is moved aside first and removed only after the new one stands.
/// A failure or a kill leaves the previous complete folder, or none.
pub fn write_folder(out: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    clean_stale(out);
    let tmp = sibling(out, "partial");
    if tmp.exists() {
        fs::remove_dir_all(&tmp)?;
    }
    fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    if let Err(e) = fill(&tmp) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    let old = sibling(out, "old");
    let had_old = out.exists();
    if had_old {
        if !out.is_dir() {
            let _ = fs::remove_dir_all(&tmp);
            anyhow::bail!("{} exists and is not a folder", out.display());
        }
        fs::rename(out, &old)
            .with_context(|| format!("cannot move the old {} aside", out.display()))?;
    }
    fs::rename(&tmp, out).with_context(|| format!("cannot move outputs into {}", out.display()))?;
    if had_old {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Writes one file atomically: into a temporary name beside it, then renamed over it.
pub fn write_file_atomic(path: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    if let Err(e) = fill(&tmp) {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    fs::rename(&tmp, path).with_context(|| format!("cannot move {} into place", path.display()))
}
