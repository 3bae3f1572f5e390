//! `consent-capture sign-notice`: the controller's signature of a notice, for the element's notice-signature.

use crate::output::{read, read_json, say, Failure};
use clap::Args;
use consent_capture::jose::jws::{header, signing_input};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::notice::signature::{payload, TYP};
use consent_capture::Notice;
use std::path::PathBuf;

/// Prints the notice signature (a compact JWS) for the element's notice-signature attribute.
#[derive(Args)]
pub(crate) struct SignNotice {
    /// The notice.
    notice: PathBuf,
    /// The controller's private key (JWK).
    #[arg(long, value_name = "PRIVATE.jwk")]
    key: PathBuf,
}

impl SignNotice {
    pub(crate) fn run(self) -> Result<(), Failure> {
        let notice = Notice::from_json(&read(&self.notice)?)
            .map_err(|e| Failure::Usage(format!("{}:\n{e}", self.notice.display())))?;
        let key = PrivateKey::from_jwk(&read_json(&self.key)?)
            .map_err(|e| Failure::Usage(format!("{}: {e}", self.key.display())))?;
        let header = header(key.algorithm(), &key.public(), TYP);
        say!("{}", key.sign(&signing_input(&header, &payload(&notice))));
        Ok(())
    }
}
