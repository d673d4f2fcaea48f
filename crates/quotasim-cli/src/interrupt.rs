//! Ctrl-C during long work that can keep what it has (a calibration): the first press
//! asks the work to stop there and keep it, the second to abandon it, and a third ends
//! the process at once.

use std::sync::Once;
use std::sync::atomic::{AtomicU8, Ordering};

static PRESSES: AtomicU8 = AtomicU8::new(0);
static INSTALL: Once = Once::new();

/// Counts Ctrl-C presses from now on instead of ending the process. Where the handler
/// cannot be set, Ctrl-C ends the process, as it does by default, and no press is
/// counted.
pub(crate) fn watch() {
    INSTALL.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if PRESSES.fetch_add(1, Ordering::SeqCst) >= 2 {
                // Asked three times: the work has not stopped, so the process does.
                std::process::exit(130);
            }
        });
    });
}

/// How many times Ctrl-C was pressed since [`watch`].
pub(crate) fn presses() -> u8 {
    PRESSES.load(Ordering::SeqCst)
}
