//! `consent-capture keygen` and `consent-capture public-key`: the controller's keys.

use crate::output::{read_json, say, Failure};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use std::path::Path;

/// Prints a new private Ed25519 controller key (JWK) and, on stderr, its thumbprint.
pub(crate) fn keygen() -> Result<(), Failure> {
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| Failure::Usage(format!("no randomness: {e}")))?;
    let key = PrivateKey::ed25519_from_seed(seed);
    say!("{}", to_canonical_string(&Value::Object(key.to_jwk())));
    eprintln!(
        "thumbprint (the element's controller-key): {}",
        key.public().thumbprint()
    );
    Ok(())
}

/// Prints the public part of the private JWK at `path`.
pub(crate) fn public_key(path: &Path) -> Result<(), Failure> {
    let key = PrivateKey::from_jwk(&read_json(path)?)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    say!("{}", to_canonical_string(&Value::Object(key.public().to_json())));
    Ok(())
}
