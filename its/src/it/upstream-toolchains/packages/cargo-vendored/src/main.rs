// A Rust program written for this test (not an upstream release): it uses each crate it depends on,
// real upstream releases vendored from a Cargo registry, and prints one line for each.
fn main() {
    println!("hex: {}", hex::encode("cargo-vendored"));
    let words = shlex::split("build --name 'cargo vendored' \"1.0.0\"").expect("balanced quotes");
    println!("shlex: {} words: {:?}", words.len(), words);
    println!(
        "strsim: levenshtein(\"kitten\", \"sitting\") = {}",
        strsim::levenshtein("kitten", "sitting")
    );
}
