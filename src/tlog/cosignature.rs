//! Witnesses' cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`): an Ed25519 signature, with the time
//! it was made, over `cosignature/v1`, `time <seconds>` and the checkpoint's text. A witness cosigns a
//! checkpoint only after checking that it extends the last one it cosigned for that log.

use super::note::{Note, VerifierKey, COSIGNATURE_V1};
use crate::error::{Error, ErrorKind};
use crate::jose::ed25519;
use crate::prelude::*;
use crate::text::decimal;

/// What a witness signs for the checkpoint whose text is `checkpoint` at `time` (seconds since 1970).
pub fn message(checkpoint: &str, time: u64) -> String {
    concat(&["cosignature/v1\ntime ", &decimal(time as i64), "\n", checkpoint])
}

/// The time of `witness`'s cosignature of the checkpoint `note`, verified; `None` when it carries none.
///
/// # Errors
/// `UnsupportedAlgorithm` when `witness` is not a cosignature/v1 key; `BadSignature` when a cosignature with its
/// name and key ID is not 8 bytes of time and 64 of signature, has a time past 2^63 − 1, or does not verify.
pub fn cosigned_at(note: &Note, witness: &VerifierKey) -> Result<Option<u64>, Error> {
    let at = || concat(&["cosignature by ", &witness.name]);
    if witness.kind != COSIGNATURE_V1 {
        return Err(Error::new(ErrorKind::UnsupportedAlgorithm, at())
            .with_detail("a witness's key is of type 0x04 (cosignature/v1)"));
    }
    let mut verified = None;
    for signature in note.by(witness) {
        let bad = || Error::new(ErrorKind::BadSignature, at());
        let (time, signed) = signature.bytes.split_at_checked(8).ok_or_else(bad)?;
        let time = u64::from_be_bytes(time.try_into().map_err(|_| bad())?);
        if time > i64::MAX as u64 {
            return Err(bad().with_detail("the time is past 2^63 - 1"));
        }
        ed25519::verify(&witness.key, message(&note.text, time).as_bytes(), signed).map_err(|_| bad())?;
        verified.get_or_insert(time);
    }
    Ok(verified)
}
