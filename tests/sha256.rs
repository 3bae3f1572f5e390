//! Our SHA-256 against the NIST examples and, at every length across the padding boundaries, the sha2 crate.

use consent_capture::jose::sha256::{sha256, to_hex};
use sha2::Digest;

#[test]
fn nist_examples() {
    let cases: [(&[u8], &str); 3] = [
        (
            b"",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        (
            b"abc",
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        ),
        (
            b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(to_hex(&sha256(input)), expected);
    }
    assert_eq!(
        to_hex(&sha256(&vec![b'a'; 1_000_000])),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

#[test]
fn agrees_with_the_sha2_crate_at_every_length_up_to_300() {
    let data: Vec<u8> = (0..300u32).map(|i| (i * 31 + 7) as u8).collect();
    for len in 0..=data.len() {
        assert_eq!(
            sha256(&data[..len]).as_slice(),
            &sha2::Sha256::digest(&data[..len])[..],
            "length {len}"
        );
    }
}
