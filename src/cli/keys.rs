//! `consent-capture keygen` and `consent-capture public-key`: the controller's keys, and the log's and
//! witnesses' note keys.

use crate::output::{read_json, say, Failure};
use consent_capture::jose::sign::PrivateKey;
use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::Value;
use consent_capture::tlog::note::is_key_name;
use consent_capture::tlog::signer::NoteSigner;
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

/// Prints a new private note key of type `kind` named `name` (a log's, or a witness's) and, on stderr, its
/// verifier key.
pub(crate) fn note_keygen(name: &str, kind: u8) -> Result<(), Failure> {
    if !is_key_name(name) {
        return Err(Failure::Usage(format!(
            "{name:?}: a key name is not empty and holds no space or +"
        )));
    }
    let mut seed = [0u8; 32];
    getrandom::getrandom(&mut seed).map_err(|e| Failure::Usage(format!("no randomness: {e}")))?;
    let key = NoteSigner::from_seed(name, kind, seed);
    seed.fill(0);
    say!("{}", key.to_private_text());
    eprintln!("verifier key (for policies): {}", key.verifier().to_text());
    Ok(())
}

/// Prints the public part of the private JWK at `path`.
pub(crate) fn public_key(path: &Path) -> Result<(), Failure> {
    let key = PrivateKey::from_jwk(&read_json(path)?)
        .map_err(|e| Failure::Usage(format!("{}: {e}", path.display())))?;
    say!("{}", to_canonical_string(&Value::Object(key.public().to_json())));
    Ok(())
}
