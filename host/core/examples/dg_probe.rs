fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap();
        match strive_core::integrity::scan_diff(&text) {
            Ok(r) => {
                println!("== {} clean={}", path.rsplit('/').next().unwrap(), r.clean);
                for f in r.findings.iter().take(6) {
                    println!("   {} {}:{:?} {:.70} | {:.60}", f.rule.id(), f.file, f.line, f.text, f.message);
                }
            }
            Err(e) => println!("== {path} ERR {e}"),
        }
    }
}
