//! Key and signature encodings that every verifier must read alike. WebCrypto (BoringSSL, NSS, OpenSSL) and
//! ed25519-dalek's strict verification disagree at the edges: small-order Ed25519 keys (WebCrypto accepts the
//! identity point with a universal signature), small-order or non-canonical `R`, non-canonical encodings, and
//! ECDSA's two valid `S` for one message. So these are refused here, before any of them sees the bytes, and the
//! CLI, the browser and Node give one verdict.
//!
//! Hand-written because these are byte comparisons against a handful of constants: the curve crates that know
//! them (curve25519-dalek, p256) would add tens of kilobytes to the browser's wasm, which does no curve
//! arithmetic at all. The tests check every constant against those crates natively.

/// A 256-bit number, big-endian.
type Be256 = [u8; 32];

/// 2^255 - 19, the field of Curve25519.
const ED25519_FIELD: Be256 = be(0x7f, 0xff, 0xed);
/// The `y` of every point of small order (1, 2, 4 or 8), either sign of `x`: 0, 1, p - 1, and the two of order 8.
const ED25519_SMALL_ORDER_Y: [Be256; 5] = [
    [0; 32],
    one(),
    be(0x7f, 0xff, 0xec),
    [
        0x7a, 0x03, 0xac, 0x92, 0x77, 0xfd, 0xc7, 0x4e, 0xc6, 0xcc, 0x39, 0x2c, 0xfa, 0x53, 0x20, 0x2a, 0x0f,
        0x67, 0x10, 0x0d, 0x76, 0x0b, 0x3c, 0xba, 0x4f, 0xd8, 0x4d, 0x3d, 0x70, 0x6a, 0x17, 0xc7,
    ],
    [
        0x05, 0xfc, 0x53, 0x6d, 0x88, 0x02, 0x38, 0xb1, 0x39, 0x33, 0xc6, 0xd3, 0x05, 0xac, 0xdf, 0xd5, 0xf0,
        0x98, 0xef, 0xf2, 0x89, 0xf4, 0xc3, 0x45, 0xb0, 0x27, 0xb2, 0xc2, 0x8f, 0x95, 0xe8, 0x26,
    ],
];
/// The order of Ed25519's prime subgroup, 2^252 + 27742317777372353535851937790883648493.
const ED25519_ORDER: Be256 = [
    0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x14, 0xde, 0xf9, 0xde, 0xa2, 0xf7, 0x9c, 0xd6, 0x58,
    0x12, 0x63, 0x1a, 0x5c, 0xf5, 0xd3, 0xed,
];
/// The field of P-256.
const P256_FIELD: Be256 = [
    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
];
/// The order of P-256's group.
const P256_ORDER: Be256 = [
    0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa,
    0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
];
/// ⌊n / 2⌋ for P-256's order n: the largest `S` of a low-S signature.
const P256_HALF_ORDER: Be256 = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d,
    0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

/// The big-endian number `top, fill × 30, bottom` (2^255 - 19 is `be(0x7f, 0xff, 0xed)`).
const fn be(top: u8, fill: u8, bottom: u8) -> Be256 {
    let mut out = [fill; 32];
    out[0] = top;
    out[31] = bottom;
    out
}

const fn one() -> Be256 {
    let mut out = [0; 32];
    out[31] = 1;
    out
}

/// Little-endian bytes (as Ed25519 writes numbers) as a big-endian number, with the top bit (the sign of
/// `x` in a point encoding) cleared when `clear_sign` says so.
fn from_little_endian(bytes: &[u8], clear_sign: bool) -> Option<Be256> {
    let bytes: &[u8; 32] = bytes.try_into().ok()?;
    let mut out = *bytes;
    out.reverse();
    if clear_sign {
        out[0] &= 0x7f;
    }
    Some(out)
}

/// Whether an encoded Ed25519 point is unusable as a key or as a signature's `R`: of small order (with either
/// sign bit, which also covers `x` = 0 written with the sign set: that happens only for y = ±1), or `y` ≥ p
/// (a second spelling of a smaller `y`).
pub fn ed25519_point_is_weak(encoded: &[u8]) -> bool {
    let Some(y) = from_little_endian(encoded, true) else {
        return true;
    };
    y >= ED25519_FIELD || ED25519_SMALL_ORDER_Y.contains(&y)
}

/// Whether an Ed25519 signature's `S` (its last 32 bytes, little-endian) is below the group order, as RFC 8032
/// §5.1.7 requires; otherwise `S + L` would be a second signature for the same message.
pub fn ed25519_scalar_is_canonical(s: &[u8]) -> bool {
    from_little_endian(s, false).is_some_and(|s| s < ED25519_ORDER)
}

/// Whether a P-256 coordinate (big-endian) is an element of the field.
pub fn p256_coordinate_in_field(coordinate: &[u8; 32]) -> bool {
    *coordinate < P256_FIELD
}

/// Whether an ES256 signature's `r` and `s` (raw, 32 bytes each) are both in [1, n - 1].
pub fn es256_in_range(signature: &[u8]) -> bool {
    signature.len() == 64
        && signature
            .chunks(32)
            .all(|half| half.iter().any(|&b| b != 0) && half < &P256_ORDER[..])
}

/// Whether an ES256 signature's `s` is in the lower half (s ≤ n / 2). ECDSA accepts both `s` and `n - s`, so
/// a receipt that should be identified by its hash must use the low one.
pub fn es256_is_low_s(signature: &[u8]) -> bool {
    signature.get(32..64).is_some_and(|s| s <= &P256_HALF_ORDER[..])
}
