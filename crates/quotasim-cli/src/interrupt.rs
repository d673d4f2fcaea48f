//! Ctrl-C during long work that can keep what it has (a calibration): the first press
//! asks the work to stop there and keep it, the second to abandon it, and a third ends
//! the process at once.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

static PRESSES: AtomicU8 = AtomicU8::new(0);
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Counts Ctrl-C presses from now on instead of ending the process; false where the
/// handler cannot be set (Ctrl-C then ends the process, as it does by default).
pub(crate) fn watch() -> bool {
    *INSTALLED.get_or_init(|| {
        ctrlc::set_handler(|| {
            if PRESSES.fetch_add(1, Ordering::SeqCst) >= 2 {
                // Asked three times: the work has not stopped, so the process does.
                std::process::exit(130);
            }
        })
        .is_ok()
    })
}

/// How many times Ctrl-C was pressed since [`watch`].
pub(crate) fn presses() -> u8 {
    PRESSES.load(Ordering::SeqCst)
}
