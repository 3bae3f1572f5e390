//! `consent-capture check`: a notice's every problem, with what was found where.

use crate::output::{read, say, Failure};
use clap::Args;
use consent_capture::notice::signature::notice_hash;
use consent_capture::Notice;
use std::path::PathBuf;

/// Checks a notice.
///
/// Exits 0 for a valid notice (with what it declares and its hash, which receipts name), 1 for an invalid one
/// with every problem: where it is, what is wrong and what was found there (the element in the browser says
/// where and what, to keep every page small).
#[derive(Args)]
pub(crate) struct Check {
    /// The notice.
    notice: PathBuf,
}

impl Check {
    pub(crate) fn run(self) -> Result<(), Failure> {
        let path = self.notice.display();
        let notice =
            Notice::from_json(&read(&self.notice)?).map_err(|e| Failure::Invalid(format!("{path}:\n{e}")))?;
        say!(
            "VALID: {path}: revision {}; languages {}; {} purposes; {} fields; noticeSha256 {}",
            notice.revision,
            notice.languages.join(", "),
            notice.purposes.len(),
            notice.fields.len(),
            notice_hash(&notice)
        );
        Ok(())
    }
}
