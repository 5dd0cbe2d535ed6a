//! `cargo bench --manifest-path plugins/Cargo.toml -p commit-triage --bench labelled`: the
//! classifier's scores on the labelled set (development and held-out splits, each source) and
//! its speed per commit.

#[path = "../tests/support/labelled.rs"]
#[allow(dead_code)] // the test reads the fields the table does not
mod labelled;

fn main() {
    let started = std::time::Instant::now();
    let rows = labelled::score();
    let took = started.elapsed();
    println!(
        "commit-triage on the labelled set ({} commits, 3 repositories)",
        rows.len()
    );
    print!("{}", labelled::table(&rows));
    println!(
        "classify: {:.1} µs per commit (including fixture parsing)",
        took.as_secs_f64() * 1e6 / rows.len() as f64
    );
}
