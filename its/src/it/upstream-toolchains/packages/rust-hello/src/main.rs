// A Rust program written for this test (not an upstream release): it shows that %cargo_prep and
// %cargo_build build it offline with the SDK's Rust.
fn main() {
    println!("hello from Rust on {}", std::env::consts::ARCH);
}
