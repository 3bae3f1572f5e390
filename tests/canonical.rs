//! RFC 8785 conformance: every official vector (cyberphone/json-canonicalization) gives its exact bytes.
// Native only: the vectors have numbers with fractions, which only native builds read (as doubles).
#![cfg(not(target_arch = "wasm32"))]

use consent_capture::json::canonical::to_canonical_string;
use consent_capture::json::parse_with_doubles as parse;
use std::fs;
use std::path::Path;

const VECTORS: &str = "../shared/vectors/jcs";

#[test]
fn every_official_vector_canonicalises_to_its_expected_bytes() {
    let inputs = fs::read_dir(Path::new(VECTORS).join("input")).expect("the JCS vectors sit beside the repo");
    let mut names: Vec<_> = inputs.map(|e| e.expect("readable entry").file_name()).collect();
    names.sort();
    assert_eq!(names.len(), 6, "all six official vectors are present");
    for name in names {
        let input = fs::read_to_string(Path::new(VECTORS).join("input").join(&name)).expect("input");
        let expected = fs::read_to_string(Path::new(VECTORS).join("output").join(&name)).expect("output");
        let value = parse(&input).unwrap_or_else(|e| panic!("{name:?} parses: {e}"));
        assert_eq!(
            to_canonical_string(&value),
            expected.trim_end_matches('\n'),
            "vector {name:?}"
        );
    }
}

#[test]
fn the_kantara_example_canonicalises_like_four_independent_implementations() {
    let example = fs::read_to_string("../shared/vectors/kantara/kantara-consent-receipt-v1_1-example.json")
        .expect("example");
    let expected =
        fs::read_to_string("../shared/vectors/jws/kantara-example.jcs.json").expect("canonical example");
    assert_eq!(to_canonical_string(&parse(&example).expect("parses")), expected);
}

#[test]
fn canonical_output_is_a_fixed_point() {
    for name in ["arrays", "french", "structures", "unicode", "values", "weird"] {
        let expected = fs::read_to_string(Path::new(VECTORS).join("output").join(format!("{name}.json")))
            .expect("output");
        let again = to_canonical_string(&parse(&expected).expect("canonical output parses"));
        assert_eq!(again, expected.trim_end_matches('\n'), "{name}");
    }
}

#[test]
fn members_sort_by_utf16_code_units_at_every_size() {
    // Keys mix ASCII, Latin, a BMP character above the surrogates and an astral one, whose UTF-16 order differs
    // from its code point order; sizes cover the merge sort's uneven runs.
    const ALPHABET: [char; 8] = ['a', 'B', 'z', '0', 'é', '\u{ff61}', '\u{1f600}', '\u{e000}'];
    let mut seed = 0x2545_f491_u64;
    let mut next = move |bound: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from(seed >> 33).expect("31 bits fit") % bound
    };
    for size in (0..40).chain([257, 1000]) {
        let mut keys: Vec<String> = Vec::new();
        while keys.len() < size {
            let key: String = (0..1 + next(4)).map(|_| ALPHABET[next(ALPHABET.len())]).collect();
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        let members: Vec<String> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| format!("\"{k}\":{i}"))
            .collect();
        let value = parse(&format!("{{{}}}", members.join(","))).expect("generated object parses");
        let mut sorted: Vec<(usize, &String)> = keys.iter().enumerate().collect();
        sorted.sort_by(|a, b| a.1.encode_utf16().cmp(b.1.encode_utf16()));
        let expected: Vec<String> = sorted.iter().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        assert_eq!(
            to_canonical_string(&value),
            format!("{{{}}}", expected.join(",")),
            "{size} members"
        );
    }
}
