//! Inline code for interpreters (`python -c`, `node -e`, `ruby -e`, `perl -e`, `php -r`, code
//! on stdin or in a here-document) and SQL/NoSQL clients (`psql -c`, `mysql -e`, ...).
//!
//! Guarantees: a shell-out (`os.system`, `subprocess`, `child_process`, backticks, `system`,
//! ...) whose command is a string literal is judged as a shell command; a shell-out with no
//! literal command blocks (the guard cannot see what runs); destructive library calls
//! (`shutil.rmtree`, `fs.rmSync`, `FileUtils.rm_rf`, `unlink`, ...) block wherever they point;
//! code that decodes and evaluates hidden text blocks.

use std::sync::LazyLock;

use regex::Regex;

use super::Block;
use super::rules::stdin_code;
use super::walk::{Judged, Stdin, Walker};
use super::words::Arg;

/// The interpreter family of a (normalised) program name.
pub(crate) fn language(p: &str) -> Option<&'static str> {
    Some(match p {
        "python" | "pypy" | "pypy3" => "python",
        "node" | "deno" | "bun" => "node",
        "ruby" | "irb" => "ruby",
        "perl" => "perl",
        "php" => "php",
        "lua" | "luajit" => "lua",
        "tclsh" | "wish" | "jimsh" | "expect" => "tcl",
        "rscript" | "r" => "r",
        "julia" => "julia",
        "osascript" => "applescript",
        _ => return None,
    })
}

pub(crate) fn is_db_client(p: &str) -> bool {
    matches!(
        p,
        "psql"
            | "mysql"
            | "mariadb"
            | "sqlite3"
            | "mongo"
            | "mongosh"
            | "redis-cli"
            | "cqlsh"
            | "clickhouse-client"
            | "sqlcmd"
            | "duckdb"
            | "cockroach"
    )
}

/// Names of calls that run a command line (Python, Node, Ruby, Perl, PHP, Lua, AppleScript).
static SHELL_OUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \bos\s*\.\s*(?:system|popen|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)\b
      | \bsubprocess\s*\.\s*\w+ | \bcommands\s*\.\s*getoutput | \bpty\s*\.\s*spawn
      | \bexecSync\b | \bspawnSync\b | \bexecFile(?:Sync)?\b | \bexeca\b | \bBun\s*\.\s*spawn(?:Sync)?
      | \bDeno\s*\.\s*(?:run|Command) | \bIO\s*\.\s*popen | \bOpen3\s*\.\s*\w+ | \bos\s*\.\s*execute\b
      | \bio\s*\.\s*popen\b | \bshell_exec\b | \bpassthru\b | \bproc_open\b | \bdo\s+shell\s+script\b
      | \bsystem\b | \bexec\b | \bspawn\b | \bpopen\b",
    )
    .expect("shell-out pattern compiles")
});

/// Tcl's `exec WORDS`: the words up to the end of the command (newline, `;` or `]`).
static TCL_EXEC: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[\s;\[{])exec\s+([^\n;\]]+)").expect("tcl exec pattern compiles")
});

static DESTRUCTIVE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        \bshutil\s*\.\s*rmtree | \bos\s*\.\s*(?:remove|unlink|rmdir|removedirs|truncate)\s*\(
      | \.\s*(?:unlink|rmdir|rmtree)\s*\( | \bsend2trash\b
      | \bfs(?:Promises|\.promises)?\s*\.\s*(?:rm|rmSync|rmdir|rmdirSync|unlink|unlinkSync|truncate|truncateSync)\b
      | \.\s*(?:rmSync|rmdirSync|unlinkSync|rm_rf|rm_r|rmtree)\b | \brimraf\b | \bremoveSync\b | \bemptyDir(?:Sync)?\b
      | \bFileUtils\s*\.\s*(?:rm|rm_r|rm_rf|rm_f|remove|remove_dir|remove_entry|remove_entry_secure|rmtree|rmdir)\b
      | \bFile\s*\.\s*(?:delete|unlink)\b | \bDir\s*\.\s*(?:delete|rmdir|unlink)\b
      | \bunlink\s*[\(\s'\x22$@] | \brmtree\b | \bremove_tree\b | \brmdir\s*[\(\s'\x22$]
      | \bos\s*\.\s*remove\b",
    )
    .expect("destructive-call pattern compiles")
});

static HIDDEN_EVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:b64decode|base64|fromhex|unhexlify|codecs\s*\.\s*decode|atob|fromCharCode|from_base64|decode64|unpack|chr\s*\()")
        .expect("decoder pattern compiles")
});

static EVALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:exec|eval|compile|__import__|Function|instance_eval|class_eval)\s*\(|\beval\s",
    )
    .expect("eval pattern compiles")
});

static STRING_LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`]*)`"#)
        .expect("literal pattern compiles")
});

/// Words of inline code that write, copy or open a file (the target is a string literal).
static WRITES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)write|append|print|puts|copy|symlink|rename|move|dump|save|open|>")
        .expect("write pattern compiles")
});

/// An HTTP request with the DELETE method from library code (`requests.delete(URL)`,
/// `fetch(URL, {method: 'DELETE'})`, `Request(URL, method='DELETE')`, `Net::HTTP::Delete`).
static HTTP_DELETE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?x)
        \b(?:requests|httpx|session|client|axios|got|ky|superagent|urllib3|http)\s*\.\s*(?:delete|del)\s*\(
      | \.\s*(?:delete|del)\s*\(\s*['"`]https?://
      | ['"](?i:delete|purge)['"] | \bHTTP\s*::\s*Delete\b | \bDELETE\b"#,
    )
    .expect("http delete pattern compiles")
});

/// An evaluation whose argument fetches from the network (`eval(file_get_contents('https://…'))`,
/// `exec(urlopen(u).read())`, `eval(await (await fetch(u)).text())`, `eval(URI.open(u).read)`).
static REMOTE_EVAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)\b(?:eval|exec|execfile|Function|instance_eval|class_eval|assert|include|require)\s*\(?\s*[^;]{0,80}?(?:file_get_contents\s*\(\s*['"]https?:|urlopen\s*\(|requests\.get\s*\(|\bfetch\s*\(|curl_exec\s*\(|URI\.open\s*\(|open-uri|Net::HTTP\.get|httpx\.get\s*\(|LWP::Simple|\bget\s*\(\s*['"]https?:|\bdownload\s*\(\s*['"]https?:|\burl\s*\(\s*['"]https?:)|\b(?:source|sys\.source|source_url|source_gist)\s*\(\s*['"]https?:"#,
    )
    .expect("remote eval pattern compiles")
});

/// Fetched code evaluated by other spellings: a promise chain that ends in `eval`
/// (`fetch(u).then(r => r.text()).then(eval)`), Lua `load(io.popen('curl …'):read('*a'))()`.
static REMOTE_EVAL_CHAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"\bfetch\s*\([^;]*\.then\s*\(\s*(?:eval|Function|new\s+Function)\b|\bload(?:string)?\s*\(\s*(?:io\.popen|assert\s*\(\s*io\.popen)\s*\(\s*['"][^'"]*\b(?:curl|wget|fetch)\b"#,
    )
    .expect("remote eval chain pattern compiles")
});

/// A process that forks without end (`fork while fork`, `[os.fork() for _ in iter(int, 1)]`,
/// `loop { fork { … } }`, `while(1) fork();`, `for(;;) pcntl_fork();`).
static CODE_FORK_BOMB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bfork\s+while\s+fork\b|\bwhile\s*\(?\s*(?:1|true|True)\s*\)?\s*:?\s*\{?\s*(?:os\.|Process\.|pcntl_)?fork\b|\[\s*os\.fork\(\)\s+for\b|\bfor\s+\w+\s+in\s+iter\([^)]*\)\s*:\s*os\.fork|\bloop\s*(?:do|\{)\s*(?:Process\.)?fork\b|\bfor\s*\(\s*;\s*;\s*\)\s*\{?\s*(?:pcntl_)?fork\b|\bfork\s*\{\s*loop\b",
    )
    .expect("code fork bomb pattern compiles")
});

static LOGIN_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bmake\s+(?:new\s+)?login\s+item\b").expect("login item pattern compiles")
});

/// The whole environment as a value (`dict(os.environ)`, `JSON.stringify(process.env)`,
/// `ENV.to_h`, Perl `%ENV`): with a network call in the same code it is sent away.
static ENV_DUMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\bdict\s*\(\s*os\.environ\s*\)|\bos\.environ\s*\)|\bos\.environ\.(?:items|copy)\s*\(|\bJSON\.stringify\s*\(\s*process\.env\s*\)|\bprocess\.env\s*\)|\bENV\.(?:to_h|to_hash|inspect)\b|%ENV\b",
    )
    .expect("environment dump pattern compiles")
});

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\bhttps?://|\bfetch\s*\(|\burlopen\b|\brequests\b|\bhttpx\b|\baxios\b|\bNet::HTTP\b",
    )
    .expect("url pattern compiles")
});

/// An HTTP client library by name; with one, any `.delete(`/`->delete(` call is a request
/// (`Net::HTTP.new(host).delete(path)`, `HTTP::Tiny->new->delete($url)`).
static HTTP_LIB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b(?:Net::HTTP|HTTParty|Faraday|RestClient|HTTP::Tiny|LWP|Mojo::UserAgent|requests|httpx|aiohttp|urllib3|http\.client|HTTPS?Connection|axios|superagent|undici|Guzzle)\b",
    )
    .expect("http library pattern compiles")
});

static LIB_DELETE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:\.|->)\s*(?:delete|del)\s*\(").expect("delete call pattern compiles")
});

static LIST_LITERAL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([^\[\]]*)\]").expect("list pattern compiles"));

static SQL_DESTRUCTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \bdrop\s+(?:database|table|schema|index|view|user|role|keyspace|collection|owned)\b
      | \btruncate\s+(?:table\s+)?\w | \bdelete\s+from\s+[\w.\x22`]+\s*(?:;|$)
      | \balter\s+table\s+\S+\s+drop\b | \bdropDatabase\s*\( | \.\s*drop\s*\(\s*\)
      | \bdeleteMany\s*\(\s*\{\s*\}\s*\) | \bremove\s*\(\s*\{\s*\}\s*\)
      | \bflushall\b | \bflushdb\b",
    )
    .expect("sql pattern compiles")
});

fn block(rule: &'static str, reason: String) -> Block {
    Block::new(rule, reason, None)
}

/// Judge `python|node|ruby|perl|... ARGS`.
pub(crate) fn interpreter(w: &mut Walker, p: &str, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let lang = language(p).unwrap_or("unknown");
    let (code_flags, value_flags, long_code): (&str, &str, &[&str]) = match lang {
        "python" => ("c", "mWXQ", &[]),
        "node" => ("ep", "r", &["eval", "print"]),
        "ruby" => ("e", "rICFEKTWx", &[]),
        "perl" => ("eE", "IMmxCdDV", &[]),
        "php" => ("rBRFE", "cdfz", &[]),
        _ => ("e", "", &[]),
    };
    let mut codes: Vec<&Arg> = Vec::new();
    let mut i = 0;
    let mut module = false;
    let mut codes_seen = false;
    let mut in_place = false;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        i += 1;
        if a.dynamic || !t.starts_with('-') || t == "-" || t == "--" {
            i -= 1;
            break;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v)));
            if long_code.contains(&name) {
                match value {
                    Some(v) => {
                        let mut c = a.clone();
                        c.text = v.to_string();
                        scan(w, lang, p, &c)?;
                        codes_seen = true;
                    }
                    None => {
                        if let Some(c) = args.get(i) {
                            codes.push(c);
                            i += 1;
                        }
                    }
                }
            }
            continue;
        }
        for (pos, c) in t[1..].char_indices() {
            let rest = &t[1 + pos + c.len_utf8()..];
            if code_flags.contains(c) {
                if rest.is_empty() {
                    if let Some(code) = args.get(i) {
                        codes.push(code);
                        i += 1;
                    }
                } else {
                    let mut code = a.clone();
                    code.text = rest.to_string();
                    scan(w, lang, p, &code)?;
                    codes_seen = true;
                }
                break;
            }
            if c == 'm' && lang == "python" {
                module = true;
                // `python -m pip install …`: the module runs as its command would
                let name = if rest.is_empty() {
                    args.get(i).cloned()
                } else {
                    let mut m = a.clone();
                    m.text = rest.to_string();
                    Some(m)
                };
                if let Some(name) = name {
                    let tail = &args[(i + usize::from(rest.is_empty())).min(args.len())..];
                    let mut argv = vec![name];
                    argv.extend(tail.iter().cloned());
                    return w.run(&argv, stdin).map(|_| Stdin::Opaque);
                }
            }
            if c == 'i' && matches!(lang, "perl" | "ruby") {
                in_place = true;
            }
            if value_flags.contains(c) {
                if rest.is_empty() {
                    i += 1;
                }
                break;
            }
        }
    }
    // `deno run -A https://…`, `bun run https://…`: a program fetched and run in one step
    if matches!(p, "deno" | "bun")
        && args
            .iter()
            .any(|a| a.text.starts_with("https://") || a.text.starts_with("http://"))
        && !args
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .is_some_and(|a| {
                matches!(
                    a.text.as_str(),
                    "cache" | "info" | "doc" | "check" | "fmt" | "lint" | "help" | "types"
                )
            })
    {
        return Err(block(
            "rce.download-exec",
            format!("{p} runs a program straight from a URL"),
        ));
    }
    if p == "deno"
        && args.first().is_some_and(|a| a.text == "eval")
        && let Some(c) = args.get(1)
    {
        codes.push(c);
    }
    for code in &codes {
        scan(w, lang, p, code)?;
    }
    if in_place && (!codes.is_empty() || codes_seen) {
        // `perl -i -pe CODE FILES`, `ruby -i -pe`: every file operand is rewritten in place
        for f in args[i.min(args.len())..].iter().filter(|a| a.text != "--") {
            super::rules::write_target(f, &format!("{p} -i"))?;
        }
    }
    if !codes.is_empty() || codes_seen || module {
        return Ok(Stdin::Opaque);
    }
    let operands = &args[i.min(args.len())..];
    match operands.first() {
        Some(script) if script.text != "-" && script.text != "/dev/stdin" => {
            if script.remote_content
                || script.text.contains("://")
                || w.downloads
                    .iter()
                    .any(|d| super::rules::same_file(d, &script.text))
            {
                return Err(block(
                    "rce.download-exec",
                    format!("{p} runs a script fetched from the network"),
                ));
            }
            if script.opaque || script.listing || script.placeholder {
                return Err(block(
                    "shell.dynamic-code",
                    format!("{p} runs a script whose name is computed at run time"),
                ));
            }
            if let Some(content) = w.written_file(&script.text) {
                super::rules::run_written(w, &script.text, content, Some(lang))?;
            } else if w.elevated {
                return Err(super::rules::elevated_unseen(&script.text));
            }
            Ok(Stdin::Opaque)
        }
        _ => stdin_code(w, p, stdin, |w, text| {
            scan(w, lang, p, &Arg::literal(text)).map(drop)
        }),
    }
}

/// Judge one piece of inline code in `lang`.
pub(crate) fn scan(w: &mut Walker, lang: &str, p: &str, code: &Arg) -> Judged {
    if code.dynamic {
        return Err(block(
            if code.remote_content {
                "rce.download-exec"
            } else {
                "shell.dynamic-code"
            },
            format!("{p} runs inline code that is only known at run time"),
        ));
    }
    let text = code.text.as_str();
    if let Some(m) = DESTRUCTIVE_CALL.find(text) {
        return Err(Block::new(
            "code.destructive-call",
            format!(
                "{lang} code calls `{}`, which deletes files",
                m.as_str().trim()
            ),
            Some(
                "delete only explicit paths under a temp directory, from a reviewed script".into(),
            ),
        ));
    }
    literal_targets(lang, text)?;
    // a script file the code writes (`open('x.py','w')`) has content the guard cannot see
    // when a later part of the line runs it
    if WRITES.is_match(text) {
        for c in STRING_LITERAL.captures_iter(text) {
            if let Some(m) = c.get(1).or(c.get(2)) {
                let lit = m.as_str();
                if SCRIPT_EXTS.iter().any(|e| lit.ends_with(e))
                    && !lit.contains(char::is_whitespace)
                {
                    w.record_write(lit, None, false);
                }
            }
        }
    }
    if (URL.is_match(text) && HTTP_DELETE.is_match(text))
        || (HTTP_LIB.is_match(text) && LIB_DELETE_CALL.is_match(text))
    {
        return Err(block(
            "net.http-delete",
            format!("{lang} code sends an HTTP DELETE, removing a remote resource"),
        ));
    }
    // AppleScript that adds a login item: it runs at every login, outside this command
    if LOGIN_ITEM.is_match(text) {
        return Err(block(
            "persist.login-item",
            format!("{lang} code adds a login item that runs at every login"),
        ));
    }
    if CODE_FORK_BOMB.is_match(text) {
        return Err(block(
            "shell.fork-bomb",
            format!("{lang} code forks without end and exhausts the machine"),
        ));
    }
    if URL.is_match(text) && ENV_DUMP.is_match(text) {
        return Err(block(
            "net.exfil",
            format!(
                "{lang} code sends the whole environment (tokens and keys included) over the network"
            ),
        ));
    }
    if REMOTE_EVAL.is_match(text) || REMOTE_EVAL_CHAIN.is_match(text) {
        return Err(block(
            "rce.download-exec",
            format!("{lang} code evaluates code it fetches from the network"),
        ));
    }
    if EVALS.is_match(text) && HIDDEN_EVAL.is_match(text) {
        return Err(block(
            "code.obfuscated",
            format!("{lang} code decodes hidden text and evaluates it"),
        ));
    }
    // Tcl runs a command line with `exec WORDS` (up to the end of the command)
    if lang == "tcl" {
        for c in TCL_EXEC.captures_iter(text) {
            judge_command_literal(w, &c[1])?;
        }
    }
    let mut shell_out = false;
    for m in SHELL_OUT.find_iter(text) {
        shell_out = true;
        // the call's first argument: a string literal is judged as a command line; anything
        // else in call position (a variable, an expression) cannot be read
        let after = text[m.end()..].trim_start();
        let (called, after) = match after.strip_prefix('(') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, after),
        };
        match after.chars().next() {
            Some('"' | '\'' | '`') => {
                // `system("rm -rf x")` is a command line; `system("rm", "-rf", "x")` (Ruby,
                // Perl, PHP, `os.execlp`) is an argv of literals, judged as that command
                let literals = literal_run(after);
                match literals.as_slice() {
                    [] => {}
                    [line] => judge_command_literal(w, line)?,
                    argv => {
                        let argv: Vec<Arg> = argv.iter().map(Arg::literal).collect();
                        match w.run(&argv, &Stdin::Opaque) {
                            Err(b) if b.rule != "parse.error" => return Err(b),
                            _ => {}
                        }
                    }
                }
            }
            Some('[') | None => {}
            Some(_) if called => {
                return Err(block(
                    "code.dynamic-shell-out",
                    format!(
                        "{lang} code runs a command the guard cannot read (`{}`)",
                        m.as_str()
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    // Ruby/Perl backquotes run their content as a command line
    if matches!(lang, "ruby" | "perl") {
        for c in STRING_LITERAL.captures_iter(text) {
            if let Some(cmd) = c.get(3) {
                judge_command_literal(w, cmd.as_str())?;
            }
        }
    }
    if shell_out {
        // list form: subprocess.run(["rm", "-rf", "/"]) — the literals of each `[...]`
        for list in LIST_LITERAL.captures_iter(text) {
            let argv: Vec<Arg> = STRING_LITERAL
                .captures_iter(&list[1])
                .filter_map(|c| c.get(1).or(c.get(2)).map(|m| Arg::literal(m.as_str())))
                .collect();
            if argv.is_empty() {
                continue;
            }
            match w.run(&argv, &Stdin::Opaque) {
                Err(b) if b.rule != "parse.error" => return Err(b),
                _ => {}
            }
        }
    }
    // code that is also a valid shell command line is judged as one (`node -e "rm -rf /"`)
    match w.check_script(text) {
        Err(b)
            if !matches!(
                b.rule.as_ref(),
                "parse.error"
                    | "shell.dynamic-program"
                    | "shell.obfuscated-program"
                    | "shell.opaque-stdin"
                    | "shell.dynamic-code"
                    | "net.exfil"
                    | "shell.shadowing"
            ) =>
        {
            Err(b)
        }
        _ => Ok(()),
    }
}

/// Files named by string literals of inline code (any language, `awk` programs included)
/// that the code writes: a block device (any mention: code that opens a disk), or a start-up
/// file, unit, hook or git config when the code writes, copies or opens files. A leading
/// open mode (`">/dev/sda"`, `"+<..."`) is not part of the name; a literal such as
/// `'/.bashrc'` appended to a home expression names the start-up file it ends in.
/// File names that are scripts when an interpreter or a shell is given them.
const SCRIPT_EXTS: &[&str] = &[
    ".sh", ".bash", ".zsh", ".py", ".pl", ".rb", ".js", ".mjs", ".php",
];

pub(crate) fn literal_targets(lang: &str, text: &str) -> Judged {
    let writes = WRITES.is_match(text);
    for c in STRING_LITERAL.captures_iter(text) {
        let Some(m) = c.get(1).or(c.get(2)) else {
            continue;
        };
        let lit = m
            .as_str()
            .trim_start_matches(['>', '<', '+', '|', ' '])
            .trim_end();
        if lit.is_empty() {
            continue;
        }
        if super::paths::is_block_device(lit) || (writes && super::paths::is_persistence(lit)) {
            super::rules::write_target(&Arg::literal(lit), &format!("{lang} code"))?;
        }
    }
    Ok(())
}

static AWK_RUNS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\bsystem\s*\(|\|\s*&?\s*"|"((?:[^"\\]|\\.)*)"\s*\|\s*&?\s*getline\b"#)
        .expect("awk command pattern compiles")
});

static AWK_STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"^"((?:[^"\\]|\\.)*)""#).expect("awk string pattern compiles"));

/// Command lines an `awk` program runs: `system("...")`, `print | "cmd"`, `"cmd" | getline`
/// are judged as shell command lines; `system(expr)` with no literal command cannot be read;
/// a shell at the end of a pipe (`print | "sh"`) runs the program's output as code.
pub(crate) fn awk_commands(w: &mut Walker, text: &str) -> Judged {
    for m in AWK_RUNS.captures_iter(text) {
        let whole = m.get(0).map_or("", |g| g.as_str());
        let (literal, dynamic) = if let Some(cmd) = m.get(1) {
            (Some(cmd.as_str().replace("\\\"", "\"")), false)
        } else {
            let at = m.get(0).map_or(0, |g| g.end());
            // back up to the opening quote of a `| "cmd"` match
            let from = if whole.ends_with('"') { at - 1 } else { at };
            let after = text[from..].trim_start();
            match AWK_STRING.captures(after) {
                Some(c) => {
                    let raw = c.get(0).map_or("", |g| g.as_str());
                    // `system("rm " $1)`: a literal followed by more of an expression
                    let tail = after[raw.len()..].trim_start();
                    let more = whole.starts_with("system") && !tail.starts_with(')');
                    let lit = c.get(1).map_or("", |g| g.as_str()).replace("\\\"", "\"");
                    (Some(lit), more)
                }
                None => (None, true),
            }
        };
        if dynamic {
            return Err(block(
                "code.dynamic-shell-out",
                "awk code runs a command the guard cannot read".into(),
            ));
        }
        let Some(cmd) = literal else { continue };
        let piped_into = whole.starts_with('|');
        let first = cmd.split_whitespace().next().unwrap_or("");
        let shell = super::rules::normalize_program(first);
        if piped_into
            && matches!(
                shell.as_str(),
                "sh" | "bash" | "zsh" | "dash" | "ksh" | "ash"
            )
        {
            return Err(block(
                "shell.dynamic-code",
                "awk pipes its output into a shell, which runs it as code".into(),
            ));
        }
        judge_command_literal(w, &cmd)?;
    }
    Ok(())
}

/// The body of the string literal opening `text` with quote `q` (backslash escapes undone).
/// The string literals at the start of `text` separated by commas (`"rm", "-rf", "x")`):
/// each one's content, up to the first thing that is not a literal or a comma.
fn literal_run(mut text: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(q @ ('"' | '\'' | '`')) = text.chars().next() {
        let Some(literal) = quoted_prefix(text, q) else {
            break;
        };
        // skip the opening quote, the content (escapes included) and the closing quote
        let mut end = 1;
        let mut chars = text[1..].char_indices();
        while let Some((k, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            } else if c == q {
                end = 1 + k + c.len_utf8();
                break;
            }
        }
        out.push(literal);
        let rest = text[end..].trim_start();
        match rest.strip_prefix(',') {
            Some(more) if out.len() < 64 => text = more.trim_start(),
            _ => break,
        }
    }
    out
}

fn quoted_prefix(text: &str, q: char) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars().skip(1);
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            c if c == q => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// A literal handed to a shell is judged as a command line; one that is not valid shell is
/// not a command bash would run.
fn judge_command_literal(w: &mut Walker, literal: &str) -> Judged {
    match w.check_script(literal) {
        Err(b) if b.rule != "parse.error" => Err(b),
        _ => Ok(()),
    }
}

/// Judge a database client: destructive SQL/commands in `-c`/`-e`/`--eval`, positional
/// statements, or here-documents.
pub(crate) fn db_client(p: &str, args: &[Arg], stdin: &Stdin) -> Judged {
    let mut texts: Vec<&str> = args.iter().map(|a| a.text.as_str()).collect();
    if p == "redis-cli" {
        let joined = texts.join(" ");
        if SQL_DESTRUCTIVE.is_match(&joined) {
            return Err(destructive_sql(p));
        }
    }
    if let Stdin::Text { text, .. } = stdin {
        texts.push(text);
    }
    // a statement inside a SQL string literal is data (`SELECT 'DROP TABLE ' || name …`)
    if texts
        .iter()
        .any(|t| SQL_DESTRUCTIVE.is_match(&SQL_STRING.replace_all(t, "''")))
    {
        return Err(destructive_sql(p));
    }
    Ok(())
}

/// A single-quoted SQL string literal (`''` inside is an escaped quote).
static SQL_STRING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"'(?:[^']|'')*'").expect("sql string pattern compiles"));

fn destructive_sql(p: &str) -> Block {
    Block::new(
        "db.destructive",
        format!("{p} is asked to drop, truncate or wipe data"),
        Some("have a person run destructive database statements".into()),
    )
}
