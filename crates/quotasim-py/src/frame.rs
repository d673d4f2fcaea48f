//! Tables handed to Python as typed buffers, built a part at a time.
//!
//! A run's daily table is millions of cells. Handing it over as Python lists of Python
//! numbers cost about 40 bytes a cell and most of the time of an ensemble; here each
//! column is one buffer of its type (8 bytes a number, 4 a date, 4 a category code),
//! which NumPy reads in place (`np.frombuffer` on a bytearray: writable). Parts (one replication's rows) are
//! appended as they finish, so a run never holds more than one replication's cells.

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyDict, PyList};
use quotasim::daily::{Cell, Column, ColumnKind};

/// One column's values.
enum Data {
    Int(Vec<i64>),
    Float(Vec<f64>),
    /// Days since 1970-01-01.
    Date(Vec<i32>),
    /// Codes into `names`, in order of first appearance.
    Category(Vec<u32>, Vec<String>),
    Text(Vec<String>),
}

/// A table: named, typed columns with their units.
pub struct Frame {
    columns: Vec<(String, &'static str, Data)>,
}

fn epoch() -> quotasim::scenario::Date {
    quotasim::scenario::Date::parse("1970-01-01").expect("a date")
}

impl Frame {
    /// A table with these columns and no rows.
    pub fn new(columns: &[Column]) -> Frame {
        Frame {
            columns: columns
                .iter()
                .map(|c| {
                    let data = match c.kind {
                        ColumnKind::Int => Data::Int(Vec::new()),
                        ColumnKind::Float => Data::Float(Vec::new()),
                        ColumnKind::Date => Data::Date(Vec::new()),
                        ColumnKind::Category => Data::Category(Vec::new(), Vec::new()),
                        ColumnKind::Text => Data::Text(Vec::new()),
                    };
                    (c.name.clone(), c.unit, data)
                })
                .collect(),
        }
    }

    /// A table of these columns and cells.
    pub fn of(table: Vec<(Column, Vec<Cell>)>) -> Frame {
        let columns: Vec<Column> = table.iter().map(|(c, _)| c.clone()).collect();
        let mut f = Frame::new(&columns);
        f.add(table.into_iter().map(|(_, cells)| cells));
        f
    }

    /// Appends rows: one list of cells per column, in the table's column order.
    pub fn add(&mut self, part: impl IntoIterator<Item = Vec<Cell>>) {
        let epoch = epoch();
        for ((_, _, data), cells) in self.columns.iter_mut().zip(part) {
            match data {
                Data::Int(v) => v.extend(cells.iter().map(|c| match c {
                    Cell::Int(x) => *x,
                    Cell::Float(x) => *x as i64,
                    Cell::Text(_) => 0,
                })),
                Data::Float(v) => v.extend(cells.iter().map(|c| match c {
                    Cell::Float(x) => *x,
                    Cell::Int(x) => *x as f64,
                    Cell::Text(_) => f64::NAN,
                })),
                Data::Date(v) => v.extend(cells.iter().map(|c| match c {
                    Cell::Text(s) => {
                        quotasim::scenario::Date::parse(s).map_or(0, |d| epoch.days_until(d) as i32)
                    }
                    _ => 0,
                })),
                Data::Category(codes, names) => {
                    for c in cells {
                        let name = match c {
                            Cell::Text(s) => s,
                            Cell::Int(x) => x.to_string(),
                            Cell::Float(x) => x.to_string(),
                        };
                        let code = match names.iter().position(|n| *n == name) {
                            Some(i) => i,
                            None => {
                                names.push(name);
                                names.len() - 1
                            }
                        };
                        codes.push(code as u32);
                    }
                }
                Data::Text(v) => v.extend(cells.into_iter().map(|c| match c {
                    Cell::Text(s) => s,
                    Cell::Int(x) => x.to_string(),
                    Cell::Float(x) => x.to_string(),
                })),
            }
        }
    }

    /// The columns as a dict: name -> (kind, buffer, categories, unit). `kind` is
    /// `"i8"`, `"f8"` (little-endian bytes), `"date"` (days since 1970-01-01, 4-byte),
    /// `"category"` (4-byte codes into `categories`) or `"text"` (a list).
    pub fn into_py(self, py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
        fn bytes<'py, T: Copy, const N: usize>(
            py: Python<'py>,
            v: &[T],
            le: impl Fn(T) -> [u8; N],
        ) -> Bound<'py, PyByteArray> {
            let mut b = Vec::with_capacity(v.len() * N);
            for x in v {
                b.extend_from_slice(&le(*x));
            }
            PyByteArray::new(py, &b)
        }
        let d = PyDict::new(py);
        for (name, unit, data) in self.columns {
            let none = py.None().into_bound(py);
            let (kind, buf, cats): (&str, Bound<'_, PyAny>, Bound<'_, PyAny>) = match data {
                Data::Int(v) => ("i8", bytes(py, &v, i64::to_le_bytes).into_any(), none),
                Data::Float(v) => ("f8", bytes(py, &v, f64::to_le_bytes).into_any(), none),
                Data::Date(v) => ("date", bytes(py, &v, i32::to_le_bytes).into_any(), none),
                Data::Category(codes, names) => (
                    "category",
                    bytes(py, &codes, u32::to_le_bytes).into_any(),
                    PyList::new(py, names)?.into_any(),
                ),
                Data::Text(v) => ("text", PyList::new(py, v)?.into_any(), none),
            };
            d.set_item(name, (kind, buf, cats, unit))?;
        }
        Ok(d)
    }
}
