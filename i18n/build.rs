//! The message files are read at compile time (`static_loader!`), by a
//! macro that cargo cannot see read them: a changed or added file must
//! rebuild the crate.

fn main() {
    println!("cargo:rerun-if-changed=locales");
}
