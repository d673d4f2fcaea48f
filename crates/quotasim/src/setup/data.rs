//! Input data: the public aggregates the model is drawn from, embedded at build time
//! (docs/model.md 6, "Input data"). Parsing text is not I/O: the CSV files in `data/` are
//! compiled into the library, so every front (CLI, bindings, WebAssembly) sees the same
//! numbers. See `data/SOURCES.md` for where each file comes from.

use std::collections::BTreeMap;

/// `data/field_offices.csv`: the 25 ERO field offices with ACS 2024 population counts.
pub const FIELD_OFFICES_CSV: &str = include_str!("../../../../data/field_offices.csv");
/// `data/office_areas.csv`: which states (and counties) each office covers.
pub const OFFICE_AREAS_CSV: &str = include_str!("../../../../data/office_areas.csv");
/// `data/state_cooperation_2025-01.csv`: each state's stance on cooperation, January 2025.
pub const STATE_COOPERATION_CSV: &str =
    include_str!("../../../../data/state_cooperation_2025-01.csv");
/// `data/state_foreign_born_2006-2008.csv`: each state's foreign-born population, the
/// weight of a state among an office's states.
pub const STATE_FOREIGN_BORN_CSV: &str =
    include_str!("../../../../data/state_foreign_born_2006-2008.csv");
/// `data/SOURCES.md`.
pub const SOURCES_MD: &str = include_str!("../../../../data/SOURCES.md");

/// One field office (area of responsibility).
#[derive(Debug, Clone, PartialEq)]
pub struct FieldOffice {
    /// Three-letter code used in scenario files and outputs (e.g. `CHI`).
    pub code: String,
    pub name: String,
    /// Noncitizen population of the area, ACS 2024 5-year (persons).
    pub noncitizen_population: u64,
    pub total_population: u64,
}

/// A state's stance toward cooperation with ICE in force in January 2025.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    Requires,
    Neutral,
    Limits,
}

/// Splits one CSV line into fields, honouring double quotes (the data files quote
/// free-text fields that contain commas).
fn split_csv_line(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => {
                fields.push(cur.trim().to_string());
                cur.clear();
            }
            _ => cur.push(c),
        }
    }
    fields.push(cur.trim().to_string());
    fields
}

/// A located problem in an embedded or user-supplied CSV table.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct CsvError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A parsed CSV table: its header, and each row with its 1-based line number.
pub type Rows = (Vec<String>, Vec<(usize, Vec<String>)>);

/// Parses a CSV table with a header, checking the named columns exist and every row has
/// as many fields as the header.
pub fn parse_table(file: &str, text: &str, required: &[&str]) -> Result<Rows, CsvError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, head)) = lines.next() else {
        return Err(CsvError {
            file: file.into(),
            line: 1,
            message: "empty table: a header row is required".into(),
        });
    };
    let header = split_csv_line(head);
    for col in required {
        if !header.iter().any(|h| h == col) {
            return Err(CsvError {
                file: file.into(),
                line: 1,
                message: format!(
                    "missing column `{col}`; the header has: {}",
                    header.join(", ")
                ),
            });
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        let fields = split_csv_line(line);
        if fields.len() != header.len() {
            return Err(CsvError {
                file: file.into(),
                line: i + 1,
                message: format!(
                    "{} fields where the header has {}",
                    fields.len(),
                    header.len()
                ),
            });
        }
        rows.push((i + 1, fields));
    }
    Ok((header, rows))
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .expect("checked by parse_table")
}

/// Parses a field-office table in the format of `data/field_offices.csv`.
pub fn parse_field_offices(file: &str, text: &str) -> Result<Vec<FieldOffice>, CsvError> {
    let (header, rows) = parse_table(
        file,
        text,
        &[
            "code",
            "office",
            "total_population",
            "noncitizen_population",
        ],
    )?;
    let (c_code, c_name, c_total, c_nonc) = (
        column(&header, "code"),
        column(&header, "office"),
        column(&header, "total_population"),
        column(&header, "noncitizen_population"),
    );
    let mut out: Vec<FieldOffice> = Vec::with_capacity(rows.len());
    for (line, f) in rows {
        let num = |c: usize, what: &str| {
            f[c].parse::<u64>().map_err(|_| CsvError {
                file: file.into(),
                line,
                message: format!("{what} = {:?}: a whole number of persons is required", f[c]),
            })
        };
        let code = f[c_code].clone();
        if code.is_empty() || out.iter().any(|o| o.code == code) {
            return Err(CsvError {
                file: file.into(),
                line,
                message: format!("office code {code:?} is empty or repeated"),
            });
        }
        out.push(FieldOffice {
            code,
            name: f[c_name].clone(),
            total_population: num(c_total, "total_population")?,
            noncitizen_population: num(c_nonc, "noncitizen_population")?,
        });
    }
    Ok(out)
}

/// The 25 field offices embedded from `data/field_offices.csv`, in file order.
pub fn field_offices() -> Vec<FieldOffice> {
    static OFFICES: std::sync::LazyLock<Vec<FieldOffice>> = std::sync::LazyLock::new(|| {
        parse_field_offices("data/field_offices.csv", FIELD_OFFICES_CSV)
            .expect("embedded data/field_offices.csv is valid")
    });
    OFFICES.clone()
}

fn normalise_name(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Each state's stance from `data/state_cooperation_2025-01.csv`.
pub fn state_stances() -> Vec<(String, Stance)> {
    let (header, rows) = parse_table(
        "data/state_cooperation_2025-01.csv",
        STATE_COOPERATION_CSV,
        &["state", "stance"],
    )
    .expect("embedded state cooperation data is valid");
    let (c_state, c_stance) = (column(&header, "state"), column(&header, "stance"));
    rows.into_iter()
        .map(|(_, f)| {
            let stance = match f[c_stance].as_str() {
                "requires" => Stance::Requires,
                "limits" => Stance::Limits,
                _ => Stance::Neutral,
            };
            (f[c_state].clone(), stance)
        })
        .collect()
}

/// One state's part in a field office: its stance, and its weight among the office's
/// states.
#[derive(Debug, Clone, PartialEq)]
pub struct StatePart {
    pub state: String,
    pub stance: Stance,
    /// The state's foreign-born population (`data/state_foreign_born_2006-2008.csv`)
    /// times the share of its counties in the office (1 for a state wholly in one
    /// office; `data/office_areas.csv` lists counties only for split states). 0 for a
    /// territory without a figure (Puerto Rico).
    pub weight: f64,
}

/// Each state's foreign-born population.
fn state_foreign_born() -> Vec<(String, f64)> {
    let (header, rows) = parse_table(
        "data/state_foreign_born_2006-2008.csv",
        STATE_FOREIGN_BORN_CSV,
        &["state", "foreign_born_population"],
    )
    .expect("embedded state populations are valid");
    let (c_state, c_fb) = (
        column(&header, "state"),
        column(&header, "foreign_born_population"),
    );
    rows.into_iter()
        .map(|(_, f)| (f[c_state].clone(), f[c_fb].parse().unwrap_or(0.0)))
        .collect()
}

/// For each office code, the states it covers with their stances and weights (from
/// `office_areas.csv` joined to the state tables). Territories without a stance row
/// are left out.
pub fn office_state_stances() -> &'static [(String, Vec<StatePart>)] {
    // Worked out once: every scenario's offices are resolved from it, and the join
    // of the tables costs as much as reading a scenario.
    static STANCES: std::sync::LazyLock<Vec<(String, Vec<StatePart>)>> =
        std::sync::LazyLock::new(join_office_state_stances);
    &STANCES
}

fn join_office_state_stances() -> Vec<(String, Vec<StatePart>)> {
    let offices = field_offices();
    let stances = state_stances();
    let foreign_born = state_foreign_born();
    let (header, rows) = parse_table(
        "data/office_areas.csv",
        OFFICE_AREAS_CSV,
        &["office_name", "state_name"],
    )
    .expect("embedded office areas are valid");
    let (c_office, c_state) = (
        column(&header, "office_name"),
        column(&header, "state_name"),
    );
    // Each row's office name, normalised once.
    let row_office: Vec<String> = rows
        .iter()
        .map(|(_, f)| normalise_name(&f[c_office]))
        .collect();
    // Rows (counties, or the whole state) of each state, and of each (office, state).
    let mut of_state: BTreeMap<&str, u32> = BTreeMap::new();
    let mut of_office_state: BTreeMap<(&str, &str), u32> = BTreeMap::new();
    for ((_, f), office) in rows.iter().zip(&row_office) {
        *of_state.entry(f[c_state].as_str()).or_default() += 1;
        *of_office_state
            .entry((office.as_str(), f[c_state].as_str()))
            .or_default() += 1;
    }
    offices
        .iter()
        .map(|o| {
            let name = normalise_name(&o.name);
            let mut states: Vec<StatePart> = Vec::new();
            for ((_, f), office) in rows.iter().zip(&row_office) {
                if *office != name {
                    continue;
                }
                let state = f[c_state].as_str();
                if states.iter().any(|s| s.state == state) {
                    continue;
                }
                if let Some((_, st)) = stances.iter().find(|(s, _)| s == state) {
                    let fb = foreign_born
                        .iter()
                        .find(|(s, _)| s == state)
                        .map_or(0.0, |(_, n)| *n);
                    let share = f64::from(of_office_state[&(name.as_str(), state)])
                        / f64::from(of_state[state]);
                    states.push(StatePart {
                        state: state.to_string(),
                        stance: *st,
                        weight: fb * share,
                    });
                }
            }
            (o.code.clone(), states)
        })
        .collect()
}

/// The default share of releases from an office's jails and prisons that are handed to
/// ICE, from its states' stances: the mean over the office's states of `requires` ->
/// 0.90, `neutral` -> 0.60, `limits` -> 0.15 (state prisons in limiting states still
/// transfer some people), weighted by each state's foreign-born population in the
/// office ([`StatePart::weight`]; unweighted if every weight is 0). The three values
/// are assumptions; 287(g) jail agreements raise the share ([`crate::mechanisms::cooperation`]).
pub fn default_jail_cooperation(states: &[StatePart]) -> f64 {
    if states.is_empty() {
        return 0.60;
    }
    let value = |s: &StatePart| match s.stance {
        Stance::Requires => 0.90,
        Stance::Neutral => 0.60,
        Stance::Limits => 0.15,
    };
    let total: f64 = states.iter().map(|s| s.weight).sum();
    let mean = if total > 0.0 {
        states.iter().map(|s| value(s) * s.weight).sum::<f64>() / total
    } else {
        states.iter().map(value).sum::<f64>() / states.len() as f64
    };
    // Two decimals: the value is written into scenario files, where a short number reads better.
    (mean * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_offices_are_the_25_aors() {
        let offices = field_offices();
        assert_eq!(offices.len(), 25);
        assert_eq!(offices[4].code, "CHI");
        assert_eq!(offices[4].noncitizen_population, 1_693_436);
    }

    #[test]
    fn every_office_has_states_with_a_stance() {
        for (code, states) in office_state_stances() {
            assert!(!states.is_empty(), "{code} has no state");
        }
    }

    #[test]
    fn csv_with_missing_column_is_located() {
        let e = parse_field_offices("x.csv", "code,office\nA,B\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("total_population"));
    }

    #[test]
    fn csv_with_extra_field_is_located() {
        let text = "code,office,total_population,noncitizen_population\nA,B,1,2\nC,D,3,4,5\n";
        let e = parse_field_offices("x.csv", text).unwrap_err();
        assert_eq!(e.line, 3);
    }
}
