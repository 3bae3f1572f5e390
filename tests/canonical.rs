//! RFC 8785 conformance: every official vector (cyberphone/json-canonicalization) gives its exact bytes.

use consent_capture::canonical::to_canonical_string;
use consent_capture::json::parse;
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
