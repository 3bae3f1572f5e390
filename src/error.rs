//! One error type for the whole crate: what went wrong (a small `Copy` kind with a static message), where
//! (a JSON path such as `purposes[2].id`, or a line and column for malformed JSON), and, where it helps, the
//! offending notice value. Field values typed by a person never appear in an error.

use crate::prelude::*;
use core::fmt;

/// What went wrong, with a static message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The text is not JSON (RFC 8259).
    Syntax,
    /// JSON nests deeper than we accept.
    TooDeep,
    /// An object has the same key twice (I-JSON, RFC 7493).
    DuplicateKey,
    /// A number with a fraction or exponent where this build accepts only integers.
    NonIntegerNumber,
    /// A number that cannot be represented exactly (beyond ±2^53, or overflowing a double).
    NumberOutOfRange,
    /// A value of the wrong JSON type.
    WrongType,
    /// A required key is absent.
    Missing,
    /// A key that the format does not define (typos must not pass silently).
    UnknownKey,
    /// A string that must not be empty is empty.
    Empty,
    /// A value is not one of the allowed words.
    NotAllowed,
    /// An identifier is used twice.
    Duplicate,
    /// A reference to a purpose that the notice does not declare.
    UnknownPurpose,
    /// A text lacks a translation for a declared language.
    MissingTranslation,
    /// A URL that is not absolute http(s).
    NotHttpUrl,
    /// A consent-based purpose was made required or pre-ticked.
    ConsentNotFree,
    /// Not three base64url segments of a compact JWS.
    NotCompactJws,
    /// Not strict, unpadded base64url.
    NotBase64Url,
    /// An algorithm we do not accept (`none`, HMAC, anything but EdDSA, Ed25519 and ES256).
    UnsupportedAlgorithm,
    /// The header names critical extensions; we understand none, so RFC 7515 §4.1.11 says reject.
    CriticalHeader,
    /// A key in a header carries private material.
    PrivateKey,
    /// The key does not fit the algorithm, or is not the key that was expected.
    KeyMismatch,
    /// The signature does not verify.
    BadSignature,
    /// The payload is not RFC 8785 canonical JSON.
    NotCanonical,
    /// A receipt does not follow the previous one it names.
    ChainBroken,
    /// An input longer than its format ever needs.
    TooLarge,
    /// An Ed25519 key of small order or in a non-canonical encoding.
    WeakKey,
    /// A signature that not every verifier reads alike: an Ed25519 `R` of small order or in a non-canonical
    /// encoding, or an ECDSA high `S` (the twin of the low one) in a receipt.
    MalleableSignature,
    /// A number outside the range that the format allows (a time in milliseconds where seconds belong).
    OutOfRange,
    /// A member whose value is not what the signed material says it must be.
    NotBound,
    /// An identifier with characters outside plain ASCII letters, digits and `_ - . : [ ]`.
    NotPlainIdentifier,
}

impl ErrorKind {
    /// The static, human-readable message for this kind.
    pub fn message(self) -> &'static str {
        match self {
            Self::Syntax => "is not valid JSON here",
            Self::TooDeep => "nests too deeply",
            Self::DuplicateKey => "repeats a key",
            Self::NonIntegerNumber => "must be a whole number without fraction or exponent",
            Self::NumberOutOfRange => "is a number that cannot be represented exactly",
            Self::WrongType => "has the wrong type",
            Self::Missing => "is required",
            Self::UnknownKey => "is not a known key",
            Self::Empty => "must not be empty",
            Self::NotAllowed => "is not one of the allowed values",
            Self::Duplicate => "is used twice",
            Self::UnknownPurpose => "names no declared purpose",
            Self::MissingTranslation => "has no text for a declared language",
            Self::NotHttpUrl => "must be an absolute http:// or https:// URL",
            Self::ConsentNotFree => "rests on consent, so it can be neither required nor pre-ticked",
            Self::NotCompactJws => "is not a compact JWS (three base64url parts separated by dots)",
            Self::NotBase64Url => "is not strict unpadded base64url",
            Self::UnsupportedAlgorithm => "names an algorithm that is not accepted (EdDSA, Ed25519 or ES256)",
            Self::CriticalHeader => "lists critical extensions, which are not understood",
            Self::PrivateKey => "carries a private key",
            Self::KeyMismatch => "does not match the expected key",
            Self::BadSignature => "does not verify",
            Self::NotCanonical => "is not RFC 8785 canonical JSON",
            Self::ChainBroken => "does not match the previous receipt",
            Self::TooLarge => "is too large",
            Self::WeakKey => "is a weak key",
            Self::MalleableSignature => "is not in canonical form",
            Self::OutOfRange => "is out of range",
            Self::NotBound => "is not bound to what was signed",
            Self::NotPlainIdentifier => "must be plain ASCII: letters, digits and _ - . : [ ]",
        }
    }
}

/// An error with its kind, its place and (optionally) the notice value it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    at: String,
    detail: Option<String>,
}

impl Error {
    /// An error of `kind` at `at` (a JSON path or a text position).
    pub fn new(kind: ErrorKind, at: impl Into<String>) -> Self {
        Self {
            kind,
            at: at.into(),
            detail: None,
        }
    }

    /// Adds the notice value or expectation this error concerns, shown in brackets after the message.
    ///
    /// The element's browser bundle keeps only the place and the message: every page carries it, and the
    /// details' texts and the code that writes them measured 741 bytes brotli of its wasm. What was found is at
    /// that place of the notice, and `consent-capture check` says it. Every other build keeps the details,
    /// the browser's receipt verifier among them (its reasons are the native verifier's, word for word), and its
    /// destination module (a description's problems say what is wrong there).
    #[must_use]
    pub fn with_detail(self, detail: impl Into<String>) -> Self {
        #[cfg(all(
            target_arch = "wasm32",
            feature = "bundle",
            not(feature = "browser-verifier"),
            not(feature = "browser-destinations")
        ))]
        {
            let _ = detail;
            self
        }
        #[cfg(not(all(
            target_arch = "wasm32",
            feature = "bundle",
            not(feature = "browser-verifier"),
            not(feature = "browser-destinations")
        )))]
        {
            Self {
                detail: Some(detail.into()),
                ..self
            }
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// Where it went wrong: a JSON path like `fields[0].purposes[1]`, or `line 3, column 7`.
    pub fn at(&self) -> &str {
        &self.at
    }

    /// `at: message (detail)`. Written without `core::fmt`, which the browser build leaves out.
    pub fn text(&self) -> String {
        let at = if self.at.is_empty() {
            "(document)"
        } else {
            &self.at
        };
        let mut out = concat(&[at, ": ", self.kind.message()]);
        if let Some(detail) = &self.detail {
            out.push_str(" (");
            out.push_str(detail);
            out.push(')');
        }
        out
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl core::error::Error for Error {}

/// Every problem found in one pass over an input, in document order. Never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Errors(Vec<Error>);

impl Errors {
    /// Wraps the problems found; `None` when there are none.
    pub fn from_vec(errors: Vec<Error>) -> Option<Self> {
        if errors.is_empty() {
            None
        } else {
            Some(Self(errors))
        }
    }

    /// The problems, in document order.
    pub fn as_slice(&self) -> &[Error] {
        &self.0
    }

    /// One line per problem, as [`Error::text`] writes it.
    pub fn text(&self) -> String {
        let lines: Vec<String> = self.0.iter().map(Error::text).collect();
        join(&lines, "\n")
    }
}

impl From<Error> for Errors {
    fn from(error: Error) -> Self {
        Self(vec![error])
    }
}

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl core::error::Error for Errors {}
