fn main() {
    let g = strive_core::guard::Guard::default();
    for a in std::env::args().skip(1) {
        println!("{a:?} -> {:?}", g.check(&a));
    }
}
