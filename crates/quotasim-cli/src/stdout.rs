//! Standard output that a closed pipe cannot crash.
//!
//! `quotasim run | head -1` closes the pipe while quotasim still writes to it; std's
//! `print!` then panics. The crate's `print!` and `println!` (defined in `main.rs`,
//! shadowing std's in every module) come here: a closed pipe ends the program quietly
//! with exit 0, as it does for the tools it is piped into. Every output file has been
//! written before anything is printed, so nothing is lost.

use std::io::Write;

/// Writes `args` to standard output; on a closed pipe, exits with 0.
pub fn write(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
