//! What a command says and how it ends: a usage problem exits 2, an invalid receipt or notice 1; output goes
//! to a reader that may go away.

use consent_capture::json::{parse, Value};
use std::io::Write as _;
use std::path::Path;

/// What went wrong: a usage problem (exit 2) or an invalid receipt or notice (exit 1).
pub(crate) enum Failure {
    Usage(String),
    Invalid(String),
}

/// `println!`, through [`write_out`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::output::write_out(&format!("{}\n", format_args!($($arg)*)))
    };
}
pub(crate) use say;

/// Writes `text` to standard output. A reader that went away (`consent-capture verify … | head -1`) ends the
/// program as it ends any writer to a pipe (exit 141, as after SIGPIPE), where `println!` would panic; any
/// other failure to write is said, with exit 1.
pub(crate) fn write_out(text: &str) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if error.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(141);
        }
        eprintln!("consent-capture: standard output: {error}");
        std::process::exit(1);
    }
}

/// The text of the file at `path`.
pub(crate) fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))
}

/// The JSON of the file at `path`.
pub(crate) fn read_json(path: &Path) -> Result<Value, Failure> {
    parse(&read(path)?).map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))
}
