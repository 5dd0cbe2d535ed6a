//! Deletion, truncation, copies and moves, permissions, processes, system services and
//! archive extraction.
//!
//! Guarantees: recursive forced deletion is allowed only when every target is inside a temp
//! directory or strictly inside the worktree (see [`Walker::deletable`]); critical and system
//! paths are never deleted, overwritten or re-permissioned; deleting a list of files produced
//! at run time by another command (`ls | xargs rm`, `rm $(find ...)`) blocks with or without
//! `-r`.

use super::super::context::Stage;
use super::super::opts::Opts;
use super::super::paths::{is_critical, is_secret, is_system, is_temp};
use super::super::walk::{Judged, Stdin, Walker};
use super::super::words::Arg;
use super::block;
use super::{passthrough, write_target};

// ---- deletion ---------------------------------------------------------------------------

pub(super) fn rm(w: &Walker, args: &[Arg]) -> Judged {
    let o = Opts::parse(args, "", &[], false);
    let recursive = o.short('r') || o.short('R') || o.long("recursive");
    let force = o.short('f') || o.long("force");
    if o.operands.iter().any(|a| a.listing) {
        return Err(block(
            "fs.mass-delete",
            "rm deletes every path another command lists at run time (a listing, find or xargs input), which the guard cannot see",
            Some("delete explicit paths, or let find select and delete with a reviewed expression"),
        ));
    }
    if let Some(t) = o.operands.iter().find(|a| is_critical(a)) {
        return Err(block(
            "fs.rm-critical",
            format!(
                "rm would delete {}, a system, home or project root location",
                t.text
            ),
            None,
        ));
    }
    if recursive && force {
        let outside: Vec<&str> = o
            .operands
            .iter()
            .filter(|a| !w.deletable(a))
            .map(|a| a.text.as_str())
            .collect();
        if o.operands.is_empty() || !outside.is_empty() {
            let what = if outside.is_empty() {
                "targets supplied at run time".to_string()
            } else {
                outside.join(", ")
            };
            return Err(block(
                "fs.rm-recursive-force",
                format!(
                    "recursive forced deletion outside the worktree and temp directories ({what})"
                ),
                Some(
                    "delete only inside the worktree (relative to a known working directory) or under /tmp or $TMPDIR",
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn system_delete(p: &str, args: &[Arg]) -> Judged {
    if args.iter().any(|a| a.listing) {
        return Err(block(
            "fs.mass-delete",
            format!("{p} deletes paths another command lists at run time"),
            None,
        ));
    }
    if let Some(t) = args.iter().find(|a| is_critical(a)) {
        return Err(block(
            "fs.rm-critical",
            format!("{p} would delete {}", t.text),
            None,
        ));
    }
    Ok(())
}

pub(super) fn windows_delete(p: &str, args: &[Arg]) -> Judged {
    let recursive = args.iter().any(|a| {
        matches!(
            a.text.to_ascii_lowercase().as_str(),
            "/s" | "/q" | "-recurse" | "-r"
        )
    });
    if recursive {
        return Err(block(
            "fs.rm-recursive-force",
            format!("{p} /s deletes a directory tree"),
            None,
        ));
    }
    system_delete(p, args)
}

pub(super) fn truncate(args: &[Arg]) -> Judged {
    let o = Opts::parse(args, "sr", &["size", "reference"], false);
    let size = o.short_value('s').or(o.long_value("size")).unwrap_or("");
    if (size == "0" || size.starts_with('-')) && o.operands.iter().any(|a| !is_temp(a)) {
        return Err(block(
            "fs.truncate",
            "truncating files to zero destroys their contents",
            None,
        ));
    }
    Ok(())
}

pub(super) fn find(w: &mut Walker, args: &[Arg]) -> Judged<Stdin> {
    const VALUE_PREDICATES: &[&str] = &[
        "-name",
        "-iname",
        "-path",
        "-ipath",
        "-wholename",
        "-iwholename",
        "-regex",
        "-iregex",
        "-type",
        "-xtype",
        "-size",
        "-user",
        "-group",
        "-uid",
        "-gid",
        "-perm",
        "-newer",
        "-anewer",
        "-cnewer",
        "-mtime",
        "-atime",
        "-ctime",
        "-mmin",
        "-amin",
        "-cmin",
        "-maxdepth",
        "-mindepth",
        "-fstype",
        "-inum",
        "-links",
        "-samefile",
        "-lname",
        "-ilname",
        "-printf",
        "-fprint",
        "-fprint0",
        "-fls",
        "-context",
        "-used",
        "-regextype",
        "-files0-from",
        "-newermt",
        "-D",
        "-O",
    ];
    // the search roots: after the leading -H/-L/-P/-D x/-O options, up to the expression
    let mut i = 0;
    while i < args.len() {
        match args[i].text.as_str() {
            "-H" | "-L" | "-P" => i += 1,
            "-D" => i += 2,
            t if t.starts_with("-O") => i += 1,
            _ => break,
        }
    }
    let roots_start = i;
    while i < args.len() && !is_expression_start(&args[i].text) {
        i += 1;
    }
    let roots = &args[roots_start..i];
    // A deletion by find acts on its whole selection: outside the worktree and temp dirs
    // (or under an unknown root) that is deletion outside, a listing for the deletion rules.
    // Under roots inside the worktree, `{}` is a path inside that nobody listed: `rm -r {}` or
    // `rm -f {}` are deletion inside the worktree (allowed, as `rm -r build` is), `rm -rf {}`
    // is forced recursive deletion of run-time targets (blocked by `rm`'s own rule). Whether
    // a name predicate narrows the selection does not decide (the development corpus allows
    // `find . -exec rm -r {} \;` and `find . -exec rm -f {} \;` in a project).
    let outside = if roots.is_empty() {
        None
    } else {
        roots
            .iter()
            .find(|r| find_root_outside(w, r))
            .map(|r| r.text.clone())
    };
    while i < args.len() {
        let t = args[i].text.as_str();
        if VALUE_PREDICATES.contains(&t) {
            i += 2;
            continue;
        }
        if t == "-fprintf" {
            i += 3;
            continue;
        }
        if t == "-delete" {
            return Err(block(
                "fs.find-delete",
                "find -delete removes every file the expression matches",
                Some("list the matches first (`find ... -print`) and delete explicit paths"),
            ));
        }
        if matches!(t, "-exec" | "-execdir" | "-ok" | "-okdir") {
            let start = i + 1;
            let end = args[start..]
                .iter()
                .position(|a| a.text == ";" || a.text == "+")
                .map_or(args.len(), |p| start + p);
            // every match of a selection outside is a listing for the deletion rules (`rm`,
            // `unlink`, `shred` of `{}` block as mass deletion)
            let mass = outside.is_some();
            // a permission change run on every match is a recursive one on the root
            // (`find ~ -type f -exec chmod 000 {} \;` is `chmod -R 000 ~`)
            if let Some(root) = &outside
                && args.get(start).is_some_and(|a| {
                    matches!(
                        a.text.rsplit('/').next().unwrap_or_default(),
                        "chmod" | "chown" | "chgrp" | "setfacl" | "chattr"
                    )
                })
                && super::wide_tree(root)
            {
                return Err(block(
                    "perm.system",
                    format!(
                        "find {root} -exec {} changes the permissions of every file of a home or system tree",
                        args[start].text
                    ),
                    None,
                ));
            }
            let cmd = with_placeholders(&args[start..end], |t| t.contains("{}"), mass);
            if !cmd.is_empty() {
                w.run(&cmd, &Stdin::Opaque)?;
            }
            i = end + 1;
            continue;
        }
        i += 1;
    }
    Ok(Stdin::Opaque)
}

/// Does a word start find's expression (a predicate, an operator, a bracket)?
fn is_expression_start(t: &str) -> bool {
    (t.starts_with('-') && t.len() > 1) || matches!(t, "(" | "!" | ",")
}

/// `fd [OPTIONS] [PATTERN] [ROOT...] -x|-X CMD...`: like `find -exec`, the command runs on
/// every match. Under roots inside the worktree (the working directory by default) a
/// selection narrowed by a pattern or an extension gives paths inside that nobody listed
/// (`fd -e pyc -x rm`, allowed like `rm x.pyc`); an unnarrowed selection (every file of the
/// tree) or a root outside is a listing for the deletion rules (`fs.mass-delete`).
pub(super) fn fd(w: &mut Walker, args: &[Arg]) -> Judged<Stdin> {
    const SHORT_VALUES: &str = "etEdSojcC";
    const LONG_VALUES: &[&str] = &[
        "extension",
        "type",
        "exclude",
        "max-depth",
        "min-depth",
        "exact-depth",
        "size",
        "owner",
        "threads",
        "max-results",
        "changed-within",
        "changed-before",
        "color",
        "ignore-file",
        "path-separator",
        "batch-size",
        "format",
        "and",
    ];
    let mut positional: Vec<&Arg> = Vec::new();
    let mut roots_opt: Vec<Arg> = Vec::new();
    let mut narrowed = false;
    let mut exec: Option<&[Arg]> = None;
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let t = a.text.as_str();
        if matches!(t, "-x" | "--exec" | "-X" | "--exec-batch") {
            let rest = &args[i + 1..];
            let end = rest
                .iter()
                .position(|a| a.text == ";")
                .unwrap_or(rest.len());
            exec = Some(&rest[..end]);
            i += 1 + end + 1;
            continue;
        }
        if let Some(long) = t.strip_prefix("--") {
            let (name, value) = long
                .split_once('=')
                .map_or((long, None), |(n, v)| (n, Some(v)));
            let takes = LONG_VALUES.contains(&name)
                || matches!(name, "search-path" | "base-directory" | "glob");
            if matches!(name, "extension" | "and") {
                narrowed = true;
            }
            if matches!(name, "search-path" | "base-directory") {
                match value {
                    None => roots_opt.extend(args.get(i + 1).cloned()),
                    Some(v) => {
                        let mut r = a.clone();
                        r.text = v.to_string();
                        roots_opt.push(r);
                    }
                }
            }
            i += if takes && value.is_none() && name != "glob" {
                2
            } else {
                1
            };
            continue;
        }
        if t.starts_with('-') && t.len() > 1 && !a.dynamic {
            let flags = &t[1..];
            if flags.contains('e') {
                narrowed = true;
            }
            let last = flags.chars().last().unwrap_or(' ');
            i += if SHORT_VALUES.contains(last) { 2 } else { 1 };
            continue;
        }
        positional.push(a);
        i += 1;
    }
    if let Some(pattern) = positional.first()
        && !matches!(pattern.text.as_str(), "" | "." | "^" | ".*" | "*" | "^.*$")
    {
        narrowed = true;
    }
    let mut roots: Vec<&Arg> = positional.iter().skip(1).copied().collect();
    roots.extend(roots_opt.iter());
    fd_exec(w, &roots, narrowed, exec)
}

fn fd_exec(w: &mut Walker, roots: &[&Arg], narrowed: bool, exec: Option<&[Arg]>) -> Judged<Stdin> {
    let Some(cmd) = exec else {
        return Ok(Stdin::Opaque);
    };
    let outside = if roots.is_empty() {
        w.cwd.is_none()
    } else {
        roots.iter().any(|r| find_root_outside(w, r))
    };
    let mass = outside || !narrowed;
    let mut argv = with_placeholders(cmd, |t| t.contains('{') && t.contains('}'), mass);
    if argv.is_empty() {
        return Ok(Stdin::Opaque);
    }
    if !argv.iter().any(|a| a.placeholder) {
        // fd appends the match when the command names no placeholder
        argv.push(Arg {
            placeholder: true,
            listing: mass,
            ..Arg::runtime("{}")
        });
    }
    w.run(&argv, &Stdin::Opaque)?;
    Ok(Stdin::Opaque)
}

/// PowerShell's `Remove-Item [-Path] P[,P] [-LiteralPath P] [-Recurse] [-Force] [-WhatIf]`,
/// judged as `rm` (`-r`/`-f` as given) on its paths; with no path it deletes what the
/// pipeline feeds it (a listing); `-WhatIf` is a dry run.
pub(super) fn remove_item(w: &Walker, args: &[Arg]) -> Judged {
    let (mut recursive, mut force) = (false, false);
    let mut paths: Vec<Arg> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        let lower = a.text.to_ascii_lowercase();
        if lower.starts_with('-') && lower.len() > 1 && !a.dynamic {
            let name = lower.trim_end_matches(':');
            match name {
                "-whatif" => return Ok(()),
                "-recurse" | "-r" | "-rec" => recursive = true,
                "-force" | "-fo" | "-f" => force = true,
                "-path" | "-literalpath" | "-lp" | "-pspath" => {
                    if let Some(v) = args.get(i + 1) {
                        paths.push(v.clone());
                    }
                    i += 1;
                }
                "-include" | "-exclude" | "-filter" | "-erroraction" | "-ea" | "-credential"
                | "-stream" | "-warningaction" | "-wa" => i += 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        paths.push(a.clone());
        i += 1;
    }
    if paths.is_empty() {
        return Err(block(
            "fs.mass-delete",
            "Remove-Item without a path deletes whatever the pipeline lists at run time",
            Some("delete explicit paths"),
        ));
    }
    let windows_absolute = |t: &str| {
        let b = t.as_bytes();
        (b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':')
            || t.starts_with('\\')
            || t.starts_with('$')
            || t.starts_with('%')
    };
    if recursive && let Some(p) = paths.iter().find(|p| windows_absolute(&p.text)) {
        return Err(block(
            "fs.rm-recursive-force",
            format!(
                "Remove-Item -Recurse deletes the tree {}, outside the worktree",
                p.text
            ),
            None,
        ));
    }
    let mut argv = Vec::new();
    if recursive {
        argv.push(Arg::literal("-r"));
    }
    if force {
        argv.push(Arg::literal("-f"));
    }
    argv.push(Arg::literal("--"));
    for p in paths {
        for part in p.text.split(',') {
            let mut one = p.clone();
            one.text = part.to_string();
            argv.push(one);
        }
    }
    rm(w, &argv)
}

/// Is a search root of a deleting `find` outside what may be deleted: the home directory or
/// a system location, an unknown value, or (resolved from a known working directory) a path
/// outside the worktree and temp directories; the worktree root itself counts as inside
/// (find deletes what lies below it). Elevated or in the `verify` phase, nothing is inside.
/// A relative root with no working directory is judged like `rm -f` of a relative path.
fn find_root_outside(w: &Walker, root: &Arg) -> bool {
    let t = root.text.as_str();
    if is_temp(root) {
        return false;
    }
    if t.starts_with('~') || root.dynamic || root.opaque || root.listing || root.obfuscated {
        return true;
    }
    match w.resolve(root) {
        Some(abs) if w.ctx.in_temp_dir(&abs) => false,
        Some(abs) => {
            let at_root = w.ctx.stage != Stage::Verify && w.ctx.root().as_deref() == Some(&abs);
            w.elevated || !(at_root || w.inside_worktree(&abs))
        }
        None => t.starts_with('/') || w.cwd.is_some(),
    }
}

// ---- writes, copies, permissions --------------------------------------------------------

pub(super) fn dd(args: &[Arg]) -> Judged {
    for a in args {
        if let Some(of) = a.text.strip_prefix("of=") {
            let mut t = a.clone();
            t.text = of.to_string();
            write_target(&t, "dd")?;
        }
    }
    Ok(())
}

pub(super) fn copy(p: &str, args: &[Arg]) -> Judged {
    let o = Opts::parse(args, "tSm", &["target-directory", "suffix", "mode"], false);
    let dest = o
        .short_value('t')
        .or(o.long_value("target-directory"))
        .map(Arg::literal)
        .or_else(|| (o.operands.len() >= 2).then(|| o.operands[o.operands.len() - 1].clone()));
    // `cp .env.example .env`: a project's dotenv file made from its own template, in the
    // worktree (a routine setup step; the template holds no secrets)
    let template = |a: &Arg| {
        let name = a.text.rsplit('/').next().unwrap_or_default();
        name.starts_with(".env")
            && [".example", ".sample", ".template", ".dist"]
                .iter()
                .any(|e| name.ends_with(e))
    };
    let from_template = p == "cp"
        && o.operands.len() == 2
        && template(o.operands[0])
        && dest.as_ref().is_some_and(|d| {
            !d.dynamic
                && !d.text.starts_with(['/', '~', '$'])
                && !d.text.contains("..")
                && d.text
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .starts_with(".env")
        });
    if let Some(d) = dest
        && !from_template
    {
        write_target(&d, p)?;
    }
    if p == "mv" {
        let n = o.operands.len().saturating_sub(1);
        for src in &o.operands[..n] {
            if is_critical(src) || is_system(&src.text) {
                return Err(block(
                    "fs.system-write",
                    format!("mv moves {} out of a system location", src.text),
                    None,
                ));
            }
        }
    }
    Ok(())
}

pub(super) fn transfer(p: &str, args: &[Arg]) -> Judged {
    let o = Opts::parse(
        args,
        "eBcDFiJlLoPS",
        &[
            "rsh",
            "exclude",
            "include",
            "filter",
            "password-file",
            "backup-dir",
            "suffix",
            "temp-dir",
            "config",
        ],
        false,
    );
    let dry = o.long("dry-run") || o.short('n') || o.long("list-only");
    if !dry
        && o.longs.iter().any(|(n, _)| {
            n.starts_with("delete")
                || n == "del"
                || n == "remove-source-files"
                || n == "remove-sent-files"
        })
    {
        return Err(block(
            "fs.sync-delete",
            format!("{p} with --delete/--remove-source-files deletes files"),
            Some("sync without deletion, or review with --dry-run first"),
        ));
    }
    if p == "rclone" {
        let sub = o.operands.first().map(|a| a.text.as_str());
        // rclone is a subcommand CLI: `rclone purge --help` prints help and runs nothing
        let dry = o.long("dry-run") || o.short('n') || super::asks_help(args);
        if matches!(
            sub,
            Some(
                "sync"
                    | "move"
                    | "purge"
                    | "delete"
                    | "deletefile"
                    | "rmdir"
                    | "rmdirs"
                    | "cleanup"
                    | "dedupe"
            )
        ) && !dry
        {
            return Err(block(
                "fs.sync-delete",
                format!(
                    "rclone {} deletes files at the destination",
                    sub.unwrap_or("")
                ),
                Some("run it with --dry-run and have a person apply it"),
            ));
        }
        return Ok(());
    }
    // a dry run (`rsync -an`) writes nothing at the destination
    if let Some(dest) = o.operands.last()
        && o.operands.len() >= 2
        && !(dry && p == "rsync")
    {
        write_target(dest, p)?;
    }
    Ok(())
}

pub(super) fn sed(w: &mut Walker, args: &[Arg], stdin: &Stdin) -> Judged<Stdin> {
    let o = Opts::parse(args, "ef", &["expression", "file"], false);
    // the script: every `-e`/`--expression`, or else the first operand
    let mut scripts: Vec<&str> = o
        .shorts
        .iter()
        .filter(|(c, _)| *c == 'e')
        .filter_map(|(_, v)| *v)
        .chain(
            o.longs
                .iter()
                .filter(|(n, _)| n == "expression")
                .filter_map(|(_, v)| *v),
        )
        .collect();
    let script_given = !scripts.is_empty() || o.short('f') || o.long("file");
    if !script_given && let Some(first) = o.operands.first() {
        if first.dynamic {
            return Err(block(
                "shell.dynamic-code",
                "the sed script is only known at run time (GNU sed scripts can run commands)",
                Some("pass the sed script literally"),
            ));
        }
        scripts.push(&first.text);
    }
    for script in scripts {
        sed_script_effects(w, script)?;
    }
    if o.short('i') || o.long_prefix("in-place") || args.iter().any(|a| a.text.starts_with("-i")) {
        let files = if o.short_value('e').is_some() || o.long("expression") {
            &o.operands[..]
        } else {
            o.operands.get(1..).unwrap_or(&[])
        };
        for f in files {
            write_target(f, "sed -i")?;
        }
    }
    Ok(passthrough(stdin))
}

/// The effects of a GNU sed script beyond editing text: `e COMMAND` runs a command line (judged
/// as one), `e` alone and the `s///e` flag run text from the input (unseen: blocks), `w FILE`
/// and the `s///w FILE` flag write a file (judged as a write). Commands are read one by one:
/// optional address (`1`, `$`, `/re/`, `\cREc`, `a,b`, `a~b`, `!`), then the command letter.
fn sed_script_effects(w: &mut Walker, script: &str) -> Judged {
    let b: Vec<char> = script.chars().collect();
    let mut i = 0;
    // the rest of the line from `i` (commands such as `e`, `w`, `a` take it whole)
    let rest_of_line = |i: &mut usize| -> String {
        let start = *i;
        while *i < b.len() && b[*i] != '\n' {
            *i += 1;
        }
        b[start..*i].iter().collect::<String>().trim().to_string()
    };
    // a delimited part (`/re/`, the halves of `s/a/b/`): index after the closing delimiter
    let delimited = |mut i: usize, d: char| -> usize {
        while i < b.len() && b[i] != d {
            i += if b[i] == '\\' { 2 } else { 1 };
        }
        (i + 1).min(b.len())
    };
    let unseen = || {
        block(
            "shell.dynamic-code",
            "the sed script runs text from its input as a command (`e`, `s///e`)",
            Some("edit text with sed; run commands directly"),
        )
    };
    while i < b.len() {
        let c = b[i];
        if c.is_whitespace() || c == ';' || c == '{' || c == '}' || c == '!' || c == ',' {
            i += 1;
            continue;
        }
        // an address
        if c.is_ascii_digit() || c == '$' || c == '~' || c == '+' {
            i += 1;
            continue;
        }
        if c == '/' {
            i = delimited(i + 1, '/');
            while i < b.len() && matches!(b[i], 'I' | 'M') {
                i += 1;
            }
            continue;
        }
        if c == '\\' {
            let d = b.get(i + 1).copied().unwrap_or('\\');
            i = delimited(i + 2, d);
            continue;
        }
        i += 1;
        match c {
            'e' => {
                let command = rest_of_line(&mut i);
                if command.is_empty() {
                    return Err(unseen());
                }
                match w.check_script(&command) {
                    Err(blocked) if blocked.rule != "parse.error" => return Err(blocked),
                    _ => {}
                }
            }
            'w' | 'W' => {
                let file = rest_of_line(&mut i);
                if !file.is_empty() && !file.starts_with("/dev/std") {
                    write_target(&Arg::literal(&file), "sed w")?;
                }
            }
            'r' | 'R' | 'a' | 'i' | 'c' | ':' | 'b' | 't' | 'T' | 'v' | 'L' | 'q' | 'Q' | 'l' => {
                // text, a file to read, a label or an exit code: to the end of the line (labels
                // and codes end at `;` too)
                if matches!(c, ':' | 'b' | 't' | 'T' | 'v' | 'q' | 'Q' | 'l') {
                    while i < b.len() && b[i] != '\n' && b[i] != ';' {
                        i += 1;
                    }
                } else {
                    rest_of_line(&mut i);
                }
            }
            's' | 'y' => {
                let Some(&d) = b.get(i) else { break };
                i = delimited(i + 1, d);
                i = delimited(i, d);
                if c == 'y' {
                    continue;
                }
                // flags: `g`, `p`, digits, `i`, `m`, `e`, then `w FILE` to the end of the line
                while i < b.len() && !matches!(b[i], ';' | '\n' | '}') {
                    match b[i] {
                        'e' => return Err(unseen()),
                        'w' => {
                            i += 1;
                            let file = rest_of_line(&mut i);
                            if !file.is_empty() && !file.starts_with("/dev/std") {
                                write_target(&Arg::literal(&file), "sed s///w")?;
                            }
                            break;
                        }
                        _ => i += 1,
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

pub(super) fn perms(w: &Walker, p: &str, args: &[Arg]) -> Judged {
    // `chattr -R +i DIR`: the mode is an operand that starts with `+`, `-` or `=`
    let chattr_mode = |a: &&Arg| {
        p == "chattr" && a.text.len() > 1 && a.text.starts_with(['+', '-', '=']) && a.text != "-R"
    };
    let mode_arg = args.iter().find(chattr_mode).cloned();
    let rest: Vec<Arg> = args.iter().filter(|a| !chattr_mode(a)).cloned().collect();
    let o = Opts::parse(&rest, "", &["reference", "from"], false);
    let recursive = o.short('R') || o.long("recursive");
    let (mode, targets): (&Arg, &[&Arg]) = match (&mode_arg, o.operands.split_first()) {
        (Some(m), _) => (m, &o.operands[..]),
        (None, Some((m, t))) => (*m, t),
        (None, None) => return Ok(()),
    };
    // a recursive change, or any `chattr`, on a tree outside the worktree and temp dirs
    // (`chmod -R 700 /work/main`, `chattr -R +i ~/.config`)
    if (recursive || p == "chattr")
        && w.ctx.root().is_some()
        && let Some(t) = targets
            .iter()
            .find(|a| !a.dynamic && find_root_outside(w, a))
    {
        return Err(block(
            "perm.system",
            format!(
                "{p} {} changes permissions or attributes of {}, outside the worktree",
                mode.text, t.text
            ),
            Some("change permissions only inside the worktree"),
        ));
    }
    let root_or_system = |a: &Arg| {
        let t = a.text.trim_end_matches('/');
        let home = t.starts_with("/home/") || t.starts_with("/Users/") || t.starts_with('~');
        is_system(&a.text) || (is_critical(a) && !home)
    };
    // a recursive owner or mode change of a whole home directory (`chown -R nobody ~`)
    if recursive
        && let Some(t) = targets.iter().find(|a| {
            let t = a.text.trim_end_matches('/');
            t == "~" || t == "$HOME" || super::super::rules::home_root(t)
        })
    {
        return Err(block(
            "perm.system",
            format!(
                "{p} -R {} changes permissions or ownership of the whole home directory {}",
                mode.text, t.text
            ),
            None,
        ));
    }
    if let Some(t) = targets.iter().find(|a| root_or_system(a)) {
        return Err(block(
            "perm.system",
            format!(
                "{p} {} changes permissions or ownership of {}",
                mode.text, t.text
            ),
            None,
        ));
    }
    let m = mode.text.as_str();
    if p == "chmod" {
        let world_writable =
            m.ends_with('7') && m.len() >= 3 && m.chars().all(|c| c.is_ascii_digit())
                || m.ends_with('6') && m.len() >= 3 && m.chars().all(|c| c.is_ascii_digit())
                || m.contains("o+w")
                || m.contains("a+w")
                || m.contains("+rwx") && !m.starts_with('u');
        let setuid = m.contains("+s") || (m.len() == 4 && m.starts_with(['2', '4', '6']));
        let zeroed = m.chars().all(|c| c == '0');
        if setuid {
            return Err(block(
                "perm.setuid",
                "setting setuid/setgid bits grants privilege",
                None,
            ));
        }
        if recursive && (world_writable || zeroed) {
            return Err(block(
                "perm.recursive-wreck",
                format!("chmod -R {m} makes a whole tree world-writable or unreadable"),
                Some("set the narrowest mode on the specific files"),
            ));
        }
        if targets.iter().any(|t| is_secret(&t.text)) && world_writable {
            return Err(block(
                "perm.secret-exposed",
                "making a secret file world-accessible",
                None,
            ));
        }
    } else {
        let owner = m.split([':', '.']).next().unwrap_or("");
        if owner == "root" || owner == "0" || (p == "chgrp" && matches!(m, "root" | "wheel" | "0"))
        {
            return Err(block(
                "perm.chown-root",
                format!("{p} hands files to root"),
                None,
            ));
        }
    }
    Ok(())
}

pub(super) fn kill(p: &str, args: &[Arg]) -> Judged {
    let lower: Vec<String> = args.iter().map(|a| a.text.to_ascii_lowercase()).collect();
    let forceful = lower
        .iter()
        .any(|t| matches!(t.as_str(), "-9" | "-kill" | "-sigkill" | "/f" | "-s9"))
        || lower
            .windows(2)
            .any(|w| w[0] == "-s" && matches!(w[1].as_str(), "9" | "kill" | "sigkill"));
    let everything = lower.iter().any(|t| t == "-1" || t == "0");
    if p == "killall" || p == "pkill" || forceful || everything {
        return Err(block(
            "process.kill",
            format!("{p} forcefully or broadly kills processes"),
            Some("stop the specific process you started, with SIGTERM (kill PID)"),
        ));
    }
    Ok(())
}

pub(super) fn system_service(p: &str, args: &[Arg]) -> Judged {
    let words: Vec<String> = args.iter().map(|a| a.text.to_ascii_lowercase()).collect();
    let any = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let persists = match p {
        "systemctl" => any(&[
            "enable",
            "reenable",
            "link",
            "preset",
            "preset-all",
            "edit",
            "set-default",
            "add-wants",
            "add-requires",
            "set-property",
            "revert",
            // the service manager starts the unit's process outside this command (and outside
            // the sandbox): `systemctl --user start x`, `systemctl restart x`
            "start",
            "restart",
            "try-restart",
            "reload-or-restart",
            "try-reload-or-restart",
            "condrestart",
            "force-reload",
        ]),
        "launchctl" => any(&[
            "load",
            "bootstrap",
            "submit",
            "enable",
            "start",
            "kickstart",
        ]),
        // only `crontab -l [-u USER]` looks; anything else (a file, `-`, no operand at all,
        // which reads the new table from standard input) installs, edits or removes a table
        "crontab" => {
            let user_value = |i: usize| i > 0 && words[i - 1] == "-u";
            !(words.iter().any(|w| w == "-l")
                && words
                    .iter()
                    .enumerate()
                    .all(|(i, w)| w == "-l" || w.starts_with("-u") || user_value(i)))
        }
        _ => false,
    };
    if persists {
        return Err(block(
            "persist.scheduler",
            format!(
                "{p} installs or starts services or scheduled jobs that run outside this command"
            ),
            Some("leave services and schedules to a person"),
        ));
    }
    let hit = match p {
        "systemctl" | "service" => any(&[
            "stop",
            "disable",
            "mask",
            "kill",
            "reboot",
            "poweroff",
            "halt",
            "kexec",
            "suspend",
            "hibernate",
            "isolate",
        ]),
        "launchctl" => any(&["unload", "remove", "bootout", "disable"]),
        "sysctl" => words.iter().any(|w| w == "-w" || w.contains('=')),
        "crontab" => false,
        // a firewall is changed by anything but a listing (`-P INPUT DROP` locks the machine
        // out as surely as `-F` opens it)
        "iptables" | "ip6tables" => !firewall_look_only(args),
        "nft" => words
            .iter()
            .find(|w| !w.starts_with('-'))
            .is_none_or(|w| w != "list"),
        _ => any(&["-f", "--flush", "-x", "--delete-chain", "flush", "delete"]),
    };
    if hit {
        return Err(block(
            "system.config",
            format!("{p} stops services or changes system state"),
            None,
        ));
    }
    Ok(())
}

/// `iptables -L`, `-S`, `-C` (check) with their modifiers: commands that only look.
fn firewall_look_only(args: &[Arg]) -> bool {
    let mut looks = false;
    let mut i = 0;
    while i < args.len() {
        match args[i].text.as_str() {
            "-L" | "--list" | "-S" | "--list-rules" => looks = true,
            // `-C CHAIN RULE…` checks a rule exists: what follows is the rule, not a command
            "-C" | "--check" => return true,
            "-t" | "--table" => i += 1,
            "-n" | "--numeric" | "-v" | "--verbose" | "--line-numbers" | "-x" | "--exact" => {}
            w if w.starts_with('-') && !w.starts_with("--") && w.len() > 2 => {
                // a cluster such as `-nvL`: only look-only letters
                if !w[1..].chars().all(|c| "nvLSx".contains(c)) {
                    return false;
                }
                looks |= w.contains('L') || w.contains('S');
            }
            w if w.starts_with('-') => return false,
            _ => {} // a chain name
        }
        i += 1;
    }
    looks
}

/// Where an archive tool unpacks (`tar -C DIR`, `--directory=DIR`, `unzip -d DIR`, `7z -oDIR`),
/// when it is extracting (`tar x…`, `unzip` without `-l`/`-t`/`-Z`, `7z x|e`) and says so.
pub(super) fn extract_destination(p: &str, args: &[Arg]) -> Option<String> {
    let extracting = match p {
        "tar" | "bsdtar" => args.iter().enumerate().any(|(i, a)| {
            let t = a.text.as_str();
            t == "--extract"
                || t == "--get"
                || (t.starts_with('-') && !t.starts_with("--") && t.contains('x'))
                || (i == 0 && !t.starts_with('-') && t.contains('x'))
        }),
        "unzip" => !args
            .iter()
            .any(|a| matches!(a.text.as_str(), "-l" | "-t" | "-Z" | "-v")),
        "7z" | "7za" => args
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .is_some_and(|a| matches!(a.text.as_str(), "x" | "e")),
        _ => false,
    };
    if !extracting {
        return None;
    }
    named_directory(p, args)
}

/// The directory an archive tool works in (`-C DIR`, `--directory[=]DIR`, `-d DIR`, `7z -oDIR`).
fn named_directory(p: &str, args: &[Arg]) -> Option<String> {
    args.iter().enumerate().find_map(|(i, a)| {
        let t = a.text.as_str();
        if t == "-C" || t == "--directory" || t == "-d" {
            args.get(i + 1).map(|a| a.text.clone())
        } else {
            t.strip_prefix("--directory=")
                .or_else(|| t.strip_prefix("-o").filter(|_| p.starts_with("7z")))
                .or_else(|| t.strip_prefix("-C").filter(|r| !r.is_empty()))
                .map(str::to_string)
        }
    })
}

pub(super) fn extract(p: &str, args: &[Arg]) -> Judged {
    if let Some(d) = named_directory(p, args)
        && (is_system(&d) || is_critical(&Arg::literal(d.clone())))
    {
        return Err(block(
            "fs.system-write",
            format!("{p} extracts into the system location {d}"),
            Some("extract into the project or a temp directory"),
        ));
    }
    if args.iter().any(|a| {
        a.text.starts_with("--to-command")
            || a.text.starts_with("--checkpoint-action")
            || a.text.starts_with("--use-compress-program")
    }) {
        return Err(block(
            "exec.option",
            format!("{p} option runs another program"),
            None,
        ));
    }
    Ok(())
}

/// The command a `find -exec`/`fd -x` runs per match: each word `is_placeholder` names stands for
/// a path known only at run time (a listing of many when `mass`).
fn with_placeholders(args: &[Arg], is_placeholder: impl Fn(&str) -> bool, mass: bool) -> Vec<Arg> {
    args.iter()
        .map(|a| {
            if is_placeholder(&a.text) {
                Arg {
                    placeholder: true,
                    listing: mass,
                    ..Arg::runtime(a.text.clone())
                }
            } else {
                a.clone()
            }
        })
        .collect()
}
