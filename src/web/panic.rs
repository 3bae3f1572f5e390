//! The bundle's panic handler. The core never panics on input (clippy denies `unwrap`, `expect` and `panic!` in
//! library code), so a panic is a bug: it traps, and the page sees a `RuntimeError` that the element reports like
//! any other error. Saying more would ship Rust's formatting machinery to every page.

#[panic_handler]
fn trap(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}
