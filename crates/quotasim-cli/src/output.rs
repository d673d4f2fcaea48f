//! Writing a run's outputs: daily.csv / daily.parquet, reps.csv / reps.parquet,
//! summary.json and scenario.toml. Everything is written into a temporary folder beside
//! the target and moved into place only when complete, so a run that fails or is killed
//! leaves the previous complete output folder, or none, never a partial one.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use quotasim::daily::{self, Cell, Column, ColumnKind};
use quotasim::summary::{self, Summary};
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

/// One row per replication ([`summary::reps_table`]).
fn reps_table(runs: &[(u32, Summary)]) -> Table {
    let refs: Vec<(u32, &Summary)> = runs.iter().map(|(r, s)| (*r, s)).collect();
    Table {
        columns: summary::reps_table(&refs),
    }
}

pub fn write_csv(path: &Path, t: &Table) -> Result<()> {
    let f = fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut w = BufWriter::new(f);
    (|| -> Result<()> {
        write_csv_header(&mut w, t)?;
        write_csv_rows(&mut w, t)?;
        w.flush()?;
        Ok(())
    })()
    .with_context(|| format!("cannot write {}", path.display()))
}

fn write_csv_header(w: &mut impl Write, t: &Table) -> Result<()> {
    let names: Vec<&str> = t.columns.iter().map(|(c, _)| c.name.as_str()).collect();
    writeln!(w, "{}", names.join(","))?;
    Ok(())
}

/// Appends the text of a finite float exactly as `Display` writes it (the shortest
/// decimal that reads back to the same number, no exponent, no ".0" on whole numbers),
/// through ryu, which finds the same shortest digits several times faster; where ryu
/// would write an exponent, through `Display` itself.
///
/// Whole numbers below 2^53 (counts, most days' hours) go through itoa, as their
/// digits are the integer's; -0 keeps its sign, as `Display` writes it.
fn float_text(line: &mut String, buf: &mut ryu::Buffer, x: f64) {
    use std::fmt::Write as _;
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        if x == 0.0 && x.is_sign_negative() {
            line.push('-');
        }
        line.push_str(itoa::Buffer::new().format(x as i64));
        return;
    }
    let s = buf.format_finite(x);
    if s.contains('e') {
        let _ = write!(line, "{x}");
    } else {
        line.push_str(s.strip_suffix(".0").unwrap_or(s));
    }
}

fn write_csv_rows(w: &mut impl Write, t: &Table) -> Result<()> {
    // One line buffer for the table, and no text made per cell: whole numbers through
    // itoa, floats through `float_text` written straight into the line.
    let mut line = String::new();
    let mut int = itoa::Buffer::new();
    let mut float = ryu::Buffer::new();
    for i in 0..t.rows() {
        line.clear();
        for (j, (_, cells)) in t.columns.iter().enumerate() {
            if j > 0 {
                line.push(',');
            }
            match &cells[i] {
                Cell::Int(x) => line.push_str(int.format(*x)),
                // Empty for undefined.
                Cell::Float(x) if x.is_finite() => float_text(&mut line, &mut float, *x),
                Cell::Float(_) => {}
                Cell::Text(s) => line.push_str(s),
            }
        }
        line.push('\n');
        w.write_all(line.as_bytes())?;
    }
    Ok(())
}

/// A Parquet file written a table at a time: each table added becomes one row group,
/// so a table never has to be held whole (docs/outputs.md).
#[cfg(feature = "parquet")]
pub struct ParquetWriter {
    writer: Option<parquet::arrow::ArrowWriter<fs::File>>,
    path: PathBuf,
    provenance: Vec<(String, String)>,
}

#[cfg(feature = "parquet")]
impl ParquetWriter {
    /// A file at `path` whose key-value metadata will hold `provenance` and each
    /// column's unit (`unit.<column>`).
    pub fn create(path: &Path, provenance: &[(String, String)]) -> Result<ParquetWriter> {
        Ok(ParquetWriter {
            writer: None,
            path: path.to_path_buf(),
            provenance: provenance.to_vec(),
        })
    }

    /// Appends `t` as one row group (the first table sets the schema).
    pub fn add(&mut self, t: &Table) -> Result<()> {
        use parquet::arrow::ArrowWriter;
        use parquet::basic::{Compression, ZstdLevel};
        use parquet::file::properties::{EnabledStatistics, WriterProperties};

        let batch = record_batch(t)?;
        if self.writer.is_none() {
            use parquet::file::metadata::KeyValue;
            let units = t
                .columns
                .iter()
                .filter(|(c, _)| !c.unit.is_empty())
                .map(|(c, _)| (format!("unit.{}", c.name), c.unit.to_string()));
            let kv = self
                .provenance
                .iter()
                .cloned()
                .chain(units)
                .map(|(k, v)| KeyValue::new(k, v))
                .collect();
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
                .set_key_value_metadata(Some(kv))
                // Statistics per row group, not per page: the writer keeps every row
                // group's page index until the file closes, and with one row group per
                // replication that grew by 0.2 MB a replication.
                .set_statistics_enabled(EnabledStatistics::Chunk)
                .build();
            let f = fs::File::create(&self.path)
                .with_context(|| format!("cannot create {}", self.path.display()))?;
            self.writer = Some(ArrowWriter::try_new(f, batch.schema(), Some(props))?);
        }
        let w = self.writer.as_mut().expect("made above");
        w.write(&batch)
            .and_then(|()| w.flush())
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    pub fn finish(self) -> Result<()> {
        if let Some(w) = self.writer {
            w.close()
                .with_context(|| format!("cannot write {}", self.path.display()))?;
        }
        Ok(())
    }
}

#[cfg(feature = "parquet")]
fn record_batch(t: &Table) -> Result<arrow_array::RecordBatch> {
    use std::sync::Arc;

    use arrow_array::types::Int8Type;
    use arrow_array::{
        ArrayRef, Date32Array, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray,
    };
    use arrow_schema::{DataType, Field, Schema};

    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (col, cells) in &t.columns {
        match col.kind {
            ColumnKind::Int => {
                fields.push(Field::new(&col.name, DataType::Int64, false));
                arrays.push(Arc::new(Int64Array::from_iter_values(cells.iter().map(
                    |c| match c {
                        Cell::Int(x) => *x,
                        _ => 0,
                    },
                ))));
            }
            ColumnKind::Float => {
                fields.push(Field::new(&col.name, DataType::Float64, true));
                arrays.push(Arc::new(Float64Array::from_iter(cells.iter().map(
                    |c| match c {
                        Cell::Float(x) if x.is_finite() => Some(*x),
                        _ => None,
                    },
                ))));
            }
            ColumnKind::Text => {
                fields.push(Field::new(&col.name, DataType::Utf8, false));
                arrays.push(Arc::new(StringArray::from_iter_values(cells.iter().map(
                    |c| match c {
                        Cell::Text(s) => s.as_str(),
                        _ => "",
                    },
                ))));
            }
            ColumnKind::Date => {
                // Days since 1970-01-01.
                let epoch = quotasim::scenario::Date::parse("1970-01-01").expect("a date");
                fields.push(Field::new(&col.name, DataType::Date32, false));
                arrays.push(Arc::new(Date32Array::from_iter_values(cells.iter().map(
                    |c| {
                        match c {
                            Cell::Text(s) => quotasim::scenario::Date::parse(s)
                                .map_or(0, |d| epoch.days_until(d) as i32),
                            _ => 0,
                        }
                    },
                ))));
            }
            ColumnKind::Category => {
                fields.push(Field::new(
                    &col.name,
                    DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)),
                    false,
                ));
                let codes: DictionaryArray<Int8Type> = cells
                    .iter()
                    .map(|c| match c {
                        Cell::Text(s) => s.as_str(),
                        _ => "",
                    })
                    .collect();
                arrays.push(Arc::new(codes));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    Ok(RecordBatch::try_new(schema, arrays)?)
}

#[cfg(feature = "parquet")]
pub fn write_parquet(path: &Path, t: &Table, provenance: &[(String, String)]) -> Result<()> {
    let mut w = ParquetWriter::create(path, provenance)?;
    w.add(t)?;
    w.finish()
}

/// Without the `parquet` feature: nothing is written.
#[cfg(not(feature = "parquet"))]
pub struct ParquetWriter;

#[cfg(not(feature = "parquet"))]
impl ParquetWriter {
    pub fn create(_path: &Path, _provenance: &[(String, String)]) -> Result<ParquetWriter> {
        Ok(ParquetWriter)
    }
    pub fn add(&mut self, _t: &Table) -> Result<()> {
        Ok(())
    }
    pub fn finish(self) -> Result<()> {
        Ok(())
    }
}

#[cfg(not(feature = "parquet"))]
pub fn write_parquet(_path: &Path, _t: &Table, _provenance: &[(String, String)]) -> Result<()> {
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

/// The file every output folder quotasim writes holds, so that `--out` can tell its
/// own folders (which it replaces whole) from a user's (which it refuses to touch).
pub const MARKER: &str = ".quotasim-output";

/// The files quotasim writes into its output folders. A folder of an older quotasim
/// (before the marker) is recognised by holding one of the first six and nothing
/// outside this list.
const OUTPUT_FILES: &[&str] = &[
    "summary.json",
    "sweep.toml",
    "compare.csv",
    "solve.json",
    "fit.toml",
    "backtest.csv",
    "summary.csv",
    "scenario.toml",
    "scenario-a.toml",
    "scenario-b.toml",
    "summary-a.json",
    "summary-b.json",
    "reps.csv",
    "reps.parquet",
    "daily.csv",
    "daily.parquet",
    "national.csv",
    "national.parquet",
    "report.html",
    "posterior.csv",
    "backtest.html",
    "solve.html",
    "fitted.toml",
    "fit-report.md",
    "design.parquet",
    "points.log",
    "results.csv",
    "results.parquet",
    "sobol.csv",
];

/// Why an output folder cannot be used; each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error(
        "names the current folder or one of its parents; quotasim replaces its output folder whole, so it must be a folder of its own (such as runs/mine)"
    )]
    Enclosing,
    #[error("exists and is not a folder")]
    NotAFolder,
    #[error(
        "holds files that quotasim did not write ({shown}); quotasim replaces its output folder whole, so it refuses a folder of yours: choose a new or empty folder, or give --force to replace it"
    )]
    NotOurs { shown: String },
    #[error(
        "is read-only, so quotasim cannot replace it; make it writable or choose another folder"
    )]
    ReadOnly,
    #[error(
        "another quotasim (process {pid}) is writing to this folder; wait for it to finish, or choose another folder"
    )]
    Busy { pid: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io<'p>(what: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> OutError + 'p {
    move |source| OutError::Io {
        what,
        path: path.to_path_buf(),
        source,
    }
}

/// Whether the existing folder `dir` is one quotasim wrote: it holds the marker, or
/// (from a version before the marker) only quotasim's own files. An empty folder
/// counts as ours.
fn is_ours(dir: &Path) -> Result<Result<(), String>, OutError> {
    if dir.join(MARKER).exists() {
        return Ok(Ok(()));
    }
    let mut names: Vec<String> = fs::read_dir(dir)
        .map_err(io("cannot list", dir))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let foreign: Vec<&String> = names
        .iter()
        .filter(|n| !OUTPUT_FILES.contains(&n.as_str()))
        .collect();
    let signed = names
        .iter()
        .any(|n| OUTPUT_FILES[..6].contains(&n.as_str()));
    if names.is_empty() || (foreign.is_empty() && signed) {
        return Ok(Ok(()));
    }
    let listed = if foreign.is_empty() {
        names.iter().collect()
    } else {
        foreign
    };
    let mut shown: Vec<String> = listed.iter().take(3).map(|n| n.to_string()).collect();
    if listed.len() > 3 {
        shown.push(format!("and {} more", listed.len() - 3));
    }
    Ok(Err(shown.join(", ")))
}

/// An output folder this process has claimed: checked, locked against every other
/// quotasim writing to it, and with what a killed run left behind recovered. The lock
/// is held until the claim is dropped.
pub struct OutDir {
    path: PathBuf,
    lock_path: PathBuf,
    _lock: fs::File,
}

impl OutDir {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutDir {
    fn drop(&mut self) {
        // Removed while still locked: a writer that opened it meanwhile finds, after
        // locking, that the path no longer names its file, and opens it again.
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Claims `out` for writing, before any work: refuses the current folder and its
/// parents, a file, a read-only folder, and (unless `force`) a folder quotasim did not
/// write; makes the parent folders; takes the folder's lock (refused while another
/// quotasim holds it); recovers what a killed run left (an output moved aside and
/// never replaced is put back; unfinished folders are removed); and checks that a
/// folder can be made beside it.
pub fn claim(out: &Path, force: bool) -> Result<OutDir, OutError> {
    let last = out.components().next_back();
    if !matches!(last, Some(std::path::Component::Normal(_))) {
        return Err(OutError::Enclosing);
    }
    if out.exists() {
        let here = std::env::current_dir().and_then(fs::canonicalize);
        let there = fs::canonicalize(out);
        if let (Ok(here), Ok(there)) = (here, there)
            && here.starts_with(&there)
        {
            return Err(OutError::Enclosing);
        }
        let meta = fs::metadata(out).map_err(io("cannot read", out))?;
        if !meta.is_dir() {
            return Err(OutError::NotAFolder);
        }
        if meta.permissions().readonly() {
            return Err(OutError::ReadOnly);
        }
        if !force && let Err(shown) = is_ours(out)? {
            return Err(OutError::NotOurs { shown });
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io("cannot create the folder", parent))?;
    }
    let (lock_path, lock) = lock(out)?;
    recover(out);
    let probe = sibling(out, "probe");
    fs::create_dir(&probe).map_err(io("cannot write beside it: tried", &probe))?;
    fs::remove_dir(&probe).map_err(io("cannot remove", &probe))?;
    Ok(OutDir {
        path: out.to_path_buf(),
        lock_path,
        _lock: lock,
    })
}

/// Takes the lock of `out` (the file `.NAME.lock` beside it), or says who holds it.
fn lock(out: &Path) -> Result<(PathBuf, fs::File), OutError> {
    let name = out.file_name().expect("checked").to_string_lossy();
    let path = out.with_file_name(format!(".{name}.lock"));
    loop {
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io("cannot create the lock file", &path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let pid = fs::read_to_string(&path).unwrap_or_default();
                let pid = pid.trim();
                return Err(OutError::Busy {
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid.into()
                    },
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(OutError::Io {
                    what: "cannot lock",
                    path,
                    source: e,
                });
            }
        }
        // The holder before us may have removed the file after we opened it: then
        // our lock is on a file nobody else will see, and we open the path again.
        if same_file(&file, &path) {
            let _ = file.set_len(0);
            let _ = write!(file, "{}", std::process::id());
            return Ok((path, file));
        }
    }
}

#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    path.exists()
}

/// With the lock held, puts back what a killed run left: an output folder moved aside
/// (`.NAME.old-PID`) whose replacement never came is restored; other left-overs of
/// ended processes (unfinished `.NAME.partial-PID`, an `.old` whose replacement
/// stands) are removed. A name whose suffix is not a process number is left alone.
/// (Where /proc does not exist, every process number counts as ended.)
fn recover(out: &Path) {
    let (Some(parent), Some(name)) = (out.parent(), out.file_name()) else {
        return;
    };
    let parent = if parent.as_os_str().is_empty() {
        Path::new(".")
    } else {
        parent
    };
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let name = name.to_string_lossy();
    let me = std::process::id().to_string();
    let mut left: Vec<(String, PathBuf)> = entries
        .flatten()
        .filter_map(|e| {
            let file = e.file_name().to_string_lossy().into_owned();
            ["partial", "old"].iter().find_map(|tag| {
                let pid = file.strip_prefix(&format!(".{name}.{tag}-"))?;
                // Only a quotasim's own left-over: a process number, of a process
                // that has ended (a quotasim from before the lock may still run).
                let ended = pid.parse::<u32>().is_ok()
                    && pid != me
                    && !Path::new(&format!("/proc/{pid}")).exists();
                ended.then(|| (tag.to_string(), e.path()))
            })
        })
        .collect();
    left.sort();
    for (tag, path) in left {
        if tag == "old" && !out.exists() && fs::rename(&path, out).is_ok() {
            eprintln!(
                "note: {} was moved aside by a run that was stopped; it is restored",
                out.display()
            );
            continue;
        }
        let _ = fs::remove_dir_all(&path);
    }
}

/// The daily outputs of a run (daily.csv and daily.parquet), written one replication
/// at a time as replications finish: a run's memory does not grow with its
/// replications. The bytes of daily.csv are those of the whole table written at once.
pub struct DailyWriter {
    office: Option<TableWriter>,
    national: Option<TableWriter>,
}

/// Which daily tables a run writes (`quotasim run --daily`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Daily {
    /// daily.* (office by day) and national.* (nation by day).
    Office,
    /// national.* only.
    National,
    /// Neither: the summary, replications and report only.
    None,
}

/// One table written as CSV and Parquet, a part at a time.
struct TableWriter {
    csv: BufWriter<fs::File>,
    parquet: ParquetWriter,
    header: bool,
    /// The CSV's path, for errors.
    path: PathBuf,
}

impl TableWriter {
    fn create(dir: &Path, name: &str, provenance: &[(String, String)]) -> Result<TableWriter> {
        let path = dir.join(format!("{name}.csv"));
        let f =
            fs::File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(TableWriter {
            csv: BufWriter::new(f),
            parquet: ParquetWriter::create(&dir.join(format!("{name}.parquet")), provenance)?,
            header: false,
            path,
        })
    }

    /// Appends `t` to both files: the CSV on a thread of its own while the Parquet is
    /// encoded here (the two take about as long, and the cores would otherwise wait).
    fn add(&mut self, t: &Table) -> Result<()> {
        let (csv, header) = (&mut self.csv, &mut self.header);
        let path = &self.path;
        std::thread::scope(|scope| {
            let text = scope.spawn(move || -> Result<()> {
                if !*header {
                    write_csv_header(csv, t)?;
                    *header = true;
                }
                write_csv_rows(csv, t).with_context(|| format!("cannot write {}", path.display()))
            });
            let columns = self.parquet.add(t);
            text.join()
                .unwrap_or_else(|_| Err(anyhow::anyhow!("the thread writing CSV failed")))?;
            columns
        })
    }

    fn finish(mut self) -> Result<()> {
        self.csv
            .flush()
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        self.parquet.finish()
    }
}

impl DailyWriter {
    /// daily.csv / daily.parquet (one row per replication, office and day) and
    /// national.csv / national.parquet (one row per replication and day) in `dir`.
    /// `which` says which of them.
    pub fn create(
        dir: &Path,
        provenance: &[(String, String)],
        which: Daily,
    ) -> Result<DailyWriter> {
        Ok(DailyWriter {
            office: (which == Daily::Office)
                .then(|| TableWriter::create(dir, "daily", provenance))
                .transpose()?,
            national: (which != Daily::None)
                .then(|| TableWriter::create(dir, "national", provenance))
                .transpose()?,
        })
    }

    /// Appends one replication's daily rows.
    pub fn add(&mut self, plan: &Plan, run: &Run) -> Result<()> {
        if let Some(w) = &mut self.office {
            w.add(&Table {
                columns: daily::daily_table(&run.daily, plan),
            })?;
        }
        if let Some(w) = &mut self.national {
            w.add(&Table {
                columns: daily::national_table(&run.daily, plan),
            })?;
        }
        Ok(())
    }

    pub fn finish(self) -> Result<()> {
        if let Some(w) = self.office {
            w.finish()?;
        }
        if let Some(w) = self.national {
            w.finish()?;
        }
        Ok(())
    }
}

/// What every Parquet file of a run says of where it came from: the quotasim version,
/// the scenario's fingerprint (SHA-256 of the scenario as run), the seed, the days and
/// the replications.
pub fn provenance(plan: &Plan, seed: u64, reps: u32) -> Vec<(String, String)> {
    vec![
        ("quotasim.version".into(), env!("CARGO_PKG_VERSION").into()),
        ("quotasim.scenario_sha256".into(), plan.fingerprint(seed)),
        ("quotasim.seed".into(), seed.to_string()),
        ("quotasim.days".into(), plan.days.to_string()),
        ("quotasim.reps".into(), reps.to_string()),
    ]
}

/// summary.csv: the summary as a long table (key, statistic, value, unit) with the same
/// rows whatever the replications ([`quotasim::ensemble::long`]).
fn summary_csv(summary: &Summary, reps: usize) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    let mut out = String::from("key,statistic,value,unit\n");
    for r in quotasim::ensemble::long(summary, reps) {
        out.push_str(&format!(
            "{},{},{},{}\n",
            quote(&r.key),
            r.statistic,
            quote(&r.value),
            quote(r.unit)
        ));
    }
    out
}

/// Writes the outputs of a run other than its daily rows into the folder `dir`:
/// reps.csv / reps.parquet (with several replications), summary.json, scenario.toml,
/// and `extra` text files (name, content), such as report.html.
pub fn write_run_files(
    dir: &Path,
    plan: &Plan,
    seed: u64,
    reps: &[(u32, Summary)],
    summary: &Summary,
    extra: &[(&str, String)],
) -> Result<()> {
    // Written for one replication too, so the set of files does not depend on --reps.
    let t = reps_table(reps);
    write_csv(&dir.join("reps.csv"), &t)?;
    write_parquet(
        &dir.join("reps.parquet"),
        &t,
        &provenance(plan, seed, reps.len() as u32),
    )?;
    let json = serde_json::to_string_pretty(summary)?;
    write_text(&dir.join("summary.json"), json + "\n")?;
    write_text(&dir.join("summary.csv"), summary_csv(summary, reps.len()))?;
    write_text(
        &dir.join("scenario.toml"),
        plan.effective_scenario(seed).to_toml(),
    )?;
    for (name, text) in extra {
        write_text(&dir.join(name), text)?;
    }
    Ok(())
}

/// Fills a temporary folder beside the claimed `out` with `fill`, then swaps it into
/// place: the old folder (if any) is moved aside first and removed only after the new
/// one stands. A failure or a kill leaves the previous complete folder, or none; a
/// later claim of the folder restores one moved aside and never replaced.
pub fn write_folder(out: &OutDir, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let out = out.path();
    let tmp = sibling(out, "partial");
    if tmp.exists() {
        fs::remove_dir_all(&tmp).with_context(|| format!("cannot remove {}", tmp.display()))?;
    }
    fs::create_dir(&tmp).with_context(|| format!("cannot create {}", tmp.display()))?;
    let filled = write_marker(&tmp).and_then(|()| fill(&tmp));
    if let Err(e) = filled {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e.context(format!("the outputs of {} were not written", out.display())));
    }
    let old = sibling(out, "old");
    let had_old = out.exists();
    if had_old {
        if !out.is_dir() {
            let _ = fs::remove_dir_all(&tmp);
            anyhow::bail!("{} exists and is not a folder", out.display());
        }
        if let Err(e) = fs::rename(out, &old) {
            let _ = fs::remove_dir_all(&tmp);
            return Err(e).with_context(|| {
                format!(
                    "cannot move the old {} aside to {}",
                    out.display(),
                    old.display()
                )
            });
        }
    }
    if let Err(e) = fs::rename(&tmp, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        let _ = fs::remove_dir_all(&tmp);
        return Err(e).with_context(|| format!("cannot move the outputs into {}", out.display()));
    }
    if had_old && let Err(e) = fs::remove_dir_all(&old) {
        // The new outputs stand: a previous folder that cannot be removed is only
        // reported (and removed by the next run into this folder).
        eprintln!(
            "warning: the outputs are in {}, but the previous outputs, moved aside to {}, could not be removed: {e}",
            out.display(),
            old.display()
        );
    }
    Ok(())
}

/// Writes a whole text file; an error names the file.
pub fn write_text(path: &Path, contents: impl AsRef<[u8]>) -> Result<()> {
    fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

/// Writes the marker that says a folder is quotasim's ([`MARKER`]).
pub fn write_marker(dir: &Path) -> Result<()> {
    let path = dir.join(MARKER);
    fs::write(
        &path,
        "This folder holds quotasim's outputs. A run given it as its output folder replaces it whole.\n",
    )
    .with_context(|| format!("cannot write {}", path.display()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_to_one_output_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        let first = claim(&out, false).unwrap();
        // A second open of the lock file conflicts even within one process.
        match claim(&out, false) {
            Err(OutError::Busy { pid }) => assert_eq!(pid, std::process::id().to_string()),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a second writer was let in"),
        }
        write_folder(&first, |d| write_text(&d.join("summary.json"), "{}")).unwrap();
        drop(first);
        // Free again once the first is done, and its lock file is gone.
        let second = claim(&out, false).unwrap();
        drop(second);
        let mut left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, ["o"]);
    }

    #[test]
    fn an_output_moved_aside_by_a_killed_run_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("o");
        // A run was killed between moving the old output aside and putting the new
        // one in place; a second was killed while filling its folder.
        let old = dir.path().join(".o.old-4000000");
        fs::create_dir(&old).unwrap();
        fs::write(old.join("summary.json"), "earlier").unwrap();
        fs::create_dir(dir.path().join(".o.partial-4000001")).unwrap();
        // A user's folder of a like name is not a left-over.
        fs::create_dir(dir.path().join(".o.old-backup")).unwrap();
        let claimed = claim(&out, false).unwrap();
        assert!(dir.path().join(".o.old-backup").exists());
        assert_eq!(
            fs::read_to_string(out.join("summary.json")).unwrap(),
            "earlier"
        );
        assert!(!old.exists());
        assert!(!dir.path().join(".o.partial-4000001").exists());
        // A failed fill leaves the restored folder as it was.
        let failed = write_folder(&claimed, |_| anyhow::bail!("disk full"));
        assert!(format!("{:#}", failed.unwrap_err()).contains("were not written"));
        assert_eq!(
            fs::read_to_string(out.join("summary.json")).unwrap(),
            "earlier"
        );
    }

    #[test]
    fn floats_are_written_as_display_writes_them() {
        let mut buf = ryu::Buffer::new();
        let mut cases = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.1,
            0.3,
            2.5,
            1234.5,
            1e15,
            1e16,
            1e17,
            1e21,
            1e-5,
            1e-7,
            123456789.125,
            0.000123,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            7.0e22,
            1.0 / 3.0,
        ];
        // And a spread of values like the daily tables' (hours, shares, costs).
        let mut x = 0.123456789_f64;
        for _ in 0..20_000 {
            x = (x * 7919.0 + 0.61803398875).fract() * 10f64.powi(((x * 1000.0) as i32 % 24) - 8);
            cases.push(x);
            cases.push(x.round());
        }
        for x in cases {
            let mut line = String::new();
            float_text(&mut line, &mut buf, x);
            assert_eq!(line, x.to_string(), "{x:e}");
        }
    }
}
