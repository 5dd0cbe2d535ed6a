//! Print the guard's decision for each argument, or for each line of a TSV corpus given with
//! `--tsv FILE` (label, category, escaped command). Handy while writing rules.
fn main() {
    let g = strive_core::guard::Guard::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--tsv") {
        let text = std::fs::read_to_string(&args[1]).expect("read tsv");
        for line in text.lines().filter(|l| !l.starts_with('#') && !l.starts_with("label")) {
            let mut f = line.split('\t');
            let (label, _cat, cmd) = (f.next().unwrap_or(""), f.next(), f.next().unwrap_or(""));
            let cmd = cmd.replace("\\n", "\n").replace("\\t", "\t").replace("\\\\", "\\");
            let d = g.check(&cmd);
            println!("{label}\t{}\t{}\t{:?}", if d.is_allowed() { "ALLOW" } else { "BLOCK" }, d.rule, cmd);
        }
        return;
    }
    for a in args {
        let d = g.check(&a);
        println!("{a:?} -> {} {} ({})", if d.is_allowed() { "ALLOW" } else { "BLOCK" }, d.rule, d.reason);
    }
}
