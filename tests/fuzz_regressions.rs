//! Every input a fuzzer found (`fuzz/regressions/<target>/`, kept with a name saying what it found) replayed
//! through the same checks the fuzz targets run (`fuzz/src/lib.rs`), each within a second: a crash, a broken
//! property or a slow input found once stays found.
// Native only: the checks use the native verifier.
#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code, unreachable_pub)]
#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::time::{Duration, Instant};

/// A fuzz target's check.
type Check = fn(&[u8]);

const TARGETS: [(&str, Check); 7] = [
    ("json", checks::json),
    ("notice", checks::notice),
    ("receipt", checks::receipt),
    ("jws", checks::jws),
    ("transform", checks::transform),
    ("adapter", checks::adapter),
    ("destination", checks::destination),
];

#[test]
fn every_input_the_fuzzers_found_passes_its_check_in_time() {
    let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/fuzz/regressions");
    let mut replayed = 0;
    for (target, check) in TARGETS {
        let Ok(entries) = std::fs::read_dir(format!("{folder}/{target}")) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("a regression file").path();
            let input = std::fs::read(&path).expect("readable");
            let started = Instant::now();
            check(&input);
            let took = started.elapsed();
            assert!(took < Duration::from_secs(1), "{} took {took:?}", path.display());
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found under {folder}");
}
