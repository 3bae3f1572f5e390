//! Key and signature encodings that every verifier must read alike. WebCrypto (BoringSSL, NSS, OpenSSL) and
//! ed25519-dalek's strict verification disagree at the edges: small-order Ed25519 keys (WebCrypto accepts the
//! identity point with a universal signature), small-order or non-canonical `R` and non-canonical encodings.
//! So these are refused here, before any of them sees the bytes, and the CLI, the browser and Node give one
//! verdict. ECDSA's two valid `S` for one message are told apart too, for receipts, which are identified by
//! their hash. (What every implementation already refuses alike, such as Ed25519 `S` ≥ L, P-256 coordinates
//! outside the field or `r`, `s` outside [1, n - 1], is left to them: the shared corpus of hostile receipts
//! shows that they agree.)
//!
//! Hand-written because these are byte comparisons against a handful of constants: the curve crates that know
//! them (curve25519-dalek, p256) would add tens of kilobytes to the browser's wasm, which does no curve
//! arithmetic at all. The tests check every constant against those crates natively.

/// The `y` (big-endian, sign bit cleared) of the four points of order 8, two for each sign of `x`. The other
/// small-order points have y = 0, 1 or p - 1.
const ED25519_ORDER_8_Y: [[u8; 32]; 2] = [
    [
        0x7a, 0x03, 0xac, 0x92, 0x77, 0xfd, 0xc7, 0x4e, 0xc6, 0xcc, 0x39, 0x2c, 0xfa, 0x53, 0x20, 0x2a, 0x0f,
        0x67, 0x10, 0x0d, 0x76, 0x0b, 0x3c, 0xba, 0x4f, 0xd8, 0x4d, 0x3d, 0x70, 0x6a, 0x17, 0xc7,
    ],
    [
        0x05, 0xfc, 0x53, 0x6d, 0x88, 0x02, 0x38, 0xb1, 0x39, 0x33, 0xc6, 0xd3, 0x05, 0xac, 0xdf, 0xd5, 0xf0,
        0x98, 0xef, 0xf2, 0x89, 0xf4, 0xc3, 0x45, 0xb0, 0x27, 0xb2, 0xc2, 0x8f, 0x95, 0xe8, 0x26,
    ],
];
/// ⌊n / 2⌋ for P-256's order n: the largest `S` of a low-S signature.
const P256_HALF_ORDER: [u8; 32] = [
    0x7f, 0xff, 0xff, 0xff, 0x80, 0, 0, 0, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xde, 0x73, 0x7d,
    0x56, 0xd3, 0x8b, 0xcf, 0x42, 0x79, 0xdc, 0xe5, 0x61, 0x7e, 0x31, 0x92, 0xa8,
];

/// Whether an encoded Ed25519 point (little-endian `y`, the sign of `x` in the top bit) is unusable as a key
/// or as a signature's `R`: of small order with either sign bit (which also covers `x` = 0 written with the
/// sign set: that happens only for y = ±1), or `y` ≥ p = 2^255 - 19 (a second spelling of a smaller `y`).
pub fn ed25519_point_is_weak(encoded: &[u8]) -> bool {
    let Ok(bytes) = <[u8; 32]>::try_from(encoded) else {
        return true;
    };
    let mut y = bytes;
    y.reverse();
    y[0] &= 0x7f;
    // y ≥ p - 1 (p - 1 has order 2): 0x7f, then 30 bytes of 0xff, then at least 0xec.
    let at_least_p_minus_1 = y[0] == 0x7f && y[1..31].iter().all(|&b| b == 0xff) && y[31] >= 0xec;
    let zero_or_one = y[..31].iter().all(|&b| b == 0) && y[31] <= 1;
    at_least_p_minus_1 || zero_or_one || ED25519_ORDER_8_Y.contains(&y)
}

/// Whether an ES256 signature's `s` is in the lower half (s ≤ n / 2). ECDSA accepts both `s` and `n - s`, so
/// a receipt that should be identified by its hash must use the low one.
pub fn es256_is_low_s(signature: &[u8]) -> bool {
    signature.get(32..64).is_some_and(|s| s <= &P256_HALF_ORDER[..])
}
