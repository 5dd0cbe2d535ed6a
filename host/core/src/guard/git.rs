//! git: history and ref destruction, discarded work, config that runs programs.
//!
//! Guarantee: global options (`-C dir`, `-c k=v`, `--git-dir`, `--no-pager`, `--`) are read
//! before the subcommand, flags are read in any order and in combined form (`-uf`, `-Dv`),
//! and the subcommand and long options are compared case-insensitively.

use super::Block;
use super::opts::Opts;
use super::walk::{Judged, Walker};
use super::words::Arg;

fn block(rule: &'static str, reason: impl Into<String>, alternative: &str) -> Block {
    Block::new(rule, reason.into(), Some(alternative.to_string()))
}

/// Config keys whose value is a program git runs (or that pull in other config).
fn executes(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "core.pager",
        "core.editor",
        "core.sshcommand",
        "core.fsmonitor",
        "core.hookspath",
        "core.askpass",
        "sequence.editor",
        "diff.external",
        "credential.helper",
        "gpg.program",
        "include.path",
        "uploadpack.packobjectshook",
        "pager.",
    ]
    .iter()
    .any(|p| k.starts_with(p))
        || k.starts_with("alias.")
        || k.starts_with("includeif.")
        || k.starts_with("filter.")
        || (k.starts_with("diff.") && (k.ends_with(".textconv") || k.ends_with(".command")))
        || (k.starts_with("merge.") && k.ends_with(".driver"))
        || (k.starts_with("remote.") && (k.ends_with(".uploadpack") || k.ends_with(".receivepack")))
        || (k.starts_with("gpg.") && k.ends_with(".program"))
}

fn config_exec(key: &str) -> Judged {
    if executes(key) {
        return Err(block(
            "git.config-exec",
            format!("setting git config `{key}` makes git run another program"),
            "leave program-running git config to a person",
        ));
    }
    Ok(())
}

const PROTECTED: &[&str] = &["main", "master", "trunk", "production", "prod", "release"];

/// Judge `git ARGS...`.
pub(crate) fn judge(w: &mut Walker, args: &[Arg]) -> Judged {
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        match t {
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--super-prefix"
            | "--exec-path" => i += 2,
            "-c" | "--config-env" => {
                if let Some(kv) = args.get(i + 1) {
                    config_exec(kv.text.split('=').next().unwrap_or(""))?;
                }
                i += 2;
            }
            "--" => i += 1,
            _ if t.starts_with("-c") && t.len() > 2 => {
                config_exec(t[2..].split('=').next().unwrap_or(""))?;
                i += 1;
            }
            _ if t.starts_with("--config-env=") => {
                config_exec(t["--config-env=".len()..].split('=').next().unwrap_or(""))?;
                i += 1;
            }
            _ if t.starts_with('-') => i += 1,
            _ => break,
        }
    }
    let Some(sub) = args.get(i) else {
        return Ok(());
    };
    if sub.dynamic {
        return Err(Block::new(
            "shell.dynamic-program",
            "the git subcommand is only known at run time".into(),
            None,
        ));
    }
    let sub = sub.text.to_ascii_lowercase();
    let rest = &args[i + 1..];
    if rest
        .first()
        .is_some_and(|a| a.text == "-h" || a.text == "--help")
    {
        return Ok(());
    }
    match sub.as_str() {
        // `git credential fill` prints the stored password or token for a host
        "credential" if rest.first().is_some_and(|a| a.text == "fill") => Err(block(
            "secrets.credential-store",
            "git credential fill prints a stored password or token",
            "credentials outside the project are off limits to an unattended loop",
        )),
        "push" => push(w, rest),
        // `git remote add NAME URL`, `git remote set-url NAME URL`: a later push to NAME in
        // this command line goes to a destination the loop was not given
        "remote" => {
            let o = Opts::parse(rest, "t", &["track", "master", "mirror"], false);
            if let [verb, name, _url, ..] = o.operands.as_slice()
                && matches!(verb.text.as_str(), "add" | "set-url")
            {
                w.remotes_added.push(name.text.clone());
            }
            Ok(())
        }
        "reset" => reset(rest),
        "clean" => {
            let o = Opts::parse(rest, "eX", &["exclude"], false);
            if o.has('f', "force") && !o.has('n', "dry-run") {
                return Err(block(
                    "git.clean-force",
                    "git clean -f deletes untracked files for good",
                    "preview first: the same clean with -n lists what it would delete",
                ));
            }
            Ok(())
        }
        "branch" => {
            let o = Opts::parse(rest, "tu", &["set-upstream-to", "track"], false);
            let delete = o.has('d', "delete");
            let force = o.has('f', "force");
            if o.short('D') || (delete && force) {
                return Err(block(
                    "git.branch-force-delete",
                    "git branch -D deletes a branch even if it is not merged",
                    "use `git branch -d`, which refuses to drop unmerged work",
                ));
            }
            if force && !o.operands.is_empty() {
                return Err(block(
                    "git.branch-force",
                    "git branch -f moves an existing branch, dropping its commits",
                    "create a new branch instead",
                ));
            }
            Ok(())
        }
        "checkout" => checkout(rest),
        "restore" => {
            let o = Opts::parse(
                rest,
                "sU",
                &["source", "pathspec-from-file", "inter-hunk-context"],
                false,
            );
            let worktree = o.has('W', "worktree") || !o.has('S', "staged");
            if worktree && (!o.operands.is_empty() || o.long("pathspec-from-file")) {
                return Err(block(
                    "git.discard-changes",
                    "git restore overwrites uncommitted changes in the working tree",
                    "use `git stash` to set changes aside, or `git restore --staged` to unstage",
                ));
            }
            Ok(())
        }
        "switch" => {
            let o = Opts::parse(
                rest,
                "cC",
                &["create", "force-create", "orphan", "conflict"],
                false,
            );
            // `-C`/`--force-create` moves a branch like `checkout -B`; it keeps the worktree
            if o.has('f', "force") || o.long("discard-changes") {
                return Err(block(
                    "git.discard-changes",
                    "git switch --force/--discard-changes throws away local changes",
                    "commit or stash first",
                ));
            }
            Ok(())
        }
        "stash" => match rest
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .map(|a| a.text.as_str())
        {
            Some("drop" | "clear") => Err(block(
                "git.stash-drop",
                "git stash drop/clear deletes stashed work",
                "leave stashes in place",
            )),
            _ => Ok(()),
        },
        "update-ref" | "filter-branch" | "filter-repo" | "replace" | "prune" => Err(block(
            "git.history-rewrite",
            format!("git {sub} rewrites or deletes refs/history"),
            "make new commits instead of rewriting history",
        )),
        "reflog" => match rest.first().map(|a| a.text.as_str()) {
            Some("expire" | "delete") => Err(block(
                "git.history-rewrite",
                "git reflog expire/delete removes the safety net for lost commits",
                "leave the reflog alone",
            )),
            _ => Ok(()),
        },
        "gc" => {
            if rest.iter().any(|a| a.text.starts_with("--prune")) {
                return Err(block(
                    "git.history-rewrite",
                    "git gc --prune deletes unreachable commits now",
                    "run plain `git gc`",
                ));
            }
            Ok(())
        }
        "commit" => {
            let o = Opts::parse(
                rest,
                "mFCcto",
                &[
                    "message",
                    "file",
                    "reuse-message",
                    "reedit-message",
                    "template",
                    "author",
                    "date",
                    "fixup",
                    "squash",
                    "trailer",
                    "cleanup",
                ],
                false,
            );
            if o.long("amend") {
                return Err(block(
                    "git.history-rewrite",
                    "git commit --amend rewrites the last commit",
                    "make a new commit",
                ));
            }
            Ok(())
        }
        "tag" => {
            let o = Opts::parse(rest, "mFu", &["message", "file", "local-user"], false);
            if o.has('d', "delete") || o.has('f', "force") {
                return Err(block(
                    "git.ref-delete",
                    "git tag -d/-f deletes or moves a tag",
                    "create a new tag",
                ));
            }
            Ok(())
        }
        "worktree" => {
            let o = Opts::parse(rest, "", &[], false);
            if o.operands.first().is_some_and(|a| a.text == "remove") && o.has('f', "force") {
                return Err(block(
                    "git.discard-changes",
                    "git worktree remove --force deletes a worktree with uncommitted changes",
                    "remove it without --force",
                ));
            }
            Ok(())
        }
        "symbolic-ref" => {
            if rest.iter().any(|a| a.text == "-d" || a.text == "--delete") {
                return Err(block(
                    "git.ref-delete",
                    "git symbolic-ref -d deletes a ref",
                    "leave refs alone",
                ));
            }
            Ok(())
        }
        "diff" | "log" | "show" | "format-patch" | "whatchanged" => {
            for (i, a) in rest.iter().enumerate() {
                let target = match a.text.as_str() {
                    "--output" | "-o" | "--output-directory" => rest.get(i + 1).cloned(),
                    t => t
                        .strip_prefix("--output=")
                        .or(t.strip_prefix("--output-directory="))
                        .map(|v| {
                            let mut v2 = a.clone();
                            v2.text = v.to_string();
                            v2
                        }),
                };
                if let Some(t) = target {
                    super::rules::write_target(&t, "git --output")?;
                }
            }
            Ok(())
        }
        "config" => {
            let o = Opts::parse(rest, "f", &["file", "blob", "type", "default"], false);
            let unset = o.long_prefix("unset") || o.long_prefix("remove-section");
            if let Some(key) = o.operands.first()
                && (o.operands.len() >= 2 || unset)
            {
                config_exec(&key.text)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn push(w: &Walker, rest: &[Arg]) -> Judged {
    let o = Opts::parse(
        rest,
        "o",
        &["repo", "receive-pack", "exec", "push-option"],
        false,
    );
    if o.has('n', "dry-run") {
        return Ok(()); // git reports what it would push and changes nothing
    }
    // the destination: a URL or `host:path` typed on the line, or a remote this line added
    // or re-pointed, is somewhere the loop was not configured to push (the code leaves)
    let repo = o
        .long_value("repo")
        .or_else(|| o.operands.first().map(|a| a.text.as_str()));
    if let Some(repo) = repo
        && (is_remote_address(repo) || w.remotes_added.iter().any(|r| r == repo))
    {
        return Err(block(
            "exfil.git-push-foreign",
            format!(
                "git push sends the repository to {repo}, a destination this command line names or adds itself"
            ),
            "push to the remote the loop was configured with",
        ));
    }
    // a lease (`--force-with-lease`, with or without `--force`) refuses to overwrite work
    // the pusher has not seen; `--force-if-includes` does nothing without one
    let lease = o.long("force-with-lease");
    // `--force-if-includes` only refines a lease; alone it is a force push that forgot one
    // (git ignores it there, but the intent is to overwrite), so it is judged as one
    let force = !lease
        && (o.short('f')
            || o.longs
                .iter()
                .any(|(n, _)| n == "force" || n == "force-if-includes")
            || o.long("mirror"));
    if force {
        return Err(block(
            "git.force-push",
            "force-pushing rewrites a shared branch",
            "push a new branch and open a merge request",
        ));
    }
    if o.has('d', "delete") || o.long("prune") {
        return Err(block(
            "git.push-delete",
            "git push --delete/--prune deletes remote branches",
            "leave remote branches to a person",
        ));
    }
    for refspec in o.operands.iter().skip(1) {
        let r = refspec.text.as_str();
        if r.starts_with('+') && !lease {
            return Err(block(
                "git.force-push",
                format!("the refspec {r} force-pushes (leading +)"),
                "push without `+` to a new branch",
            ));
        }
        if r.starts_with(':') {
            return Err(block(
                "git.push-delete",
                format!("the refspec {r} deletes a remote branch"),
                "leave remote branches to a person",
            ));
        }
        let dest = r.rsplit(':').next().unwrap_or(r);
        let dest = dest.strip_prefix("refs/heads/").unwrap_or(dest);
        if PROTECTED.contains(&dest) {
            return Err(block(
                "git.push-protected",
                format!("pushing straight to the protected branch {dest}"),
                "push a feature branch and open a merge request",
            ));
        }
    }
    Ok(())
}

/// A repository address rather than a remote's name: `https://…`, `ssh://…`, `git@host:path`,
/// `host:path` (scp syntax; a remote's name has no colon).
fn is_remote_address(t: &str) -> bool {
    t.contains("://")
        || t.split_once(':')
            .is_some_and(|(host, path)| !host.is_empty() && !host.contains('/') && !path.is_empty())
}

fn reset(rest: &[Arg]) -> Judged {
    let o = Opts::parse(rest, "", &["pathspec-from-file"], false);
    for mode in ["hard", "keep", "merge", "soft"] {
        if o.long(mode) {
            return Err(block(
                "git.reset",
                format!("git reset --{mode} moves the branch and can discard commits or changes"),
                "make a new commit that reverts (`git revert`), or stash changes",
            ));
        }
    }
    if !o.double_dash
        && let Some(rev) = o.operands.first()
        && rev.text.contains(['~', '^', '@'])
    {
        return Err(block(
            "git.reset",
            format!(
                "git reset {} moves the branch back, dropping commits from it",
                rev.text
            ),
            "use `git revert` to undo a commit",
        ));
    }
    Ok(())
}

/// Options whose value is optional and attached with `=` in git, but which other parsers (and
/// people) also write with the value as the next word: the next word is taken as the value
/// only when it is one of the option's values.
fn optional_value(args: &[Arg]) -> Vec<Arg> {
    let mut out = Vec::with_capacity(args.len());
    let mut i = 0;
    while i < args.len() {
        out.push(args[i].clone());
        let takes: &[&str] = match args[i].text.as_str() {
            "--track" | "-t" => &["direct", "inherit"],
            "--recurse-submodules" => &["checkout", "on-demand", "yes", "no", "true", "false"],
            _ => &[],
        };
        if args
            .get(i + 1)
            .is_some_and(|n| takes.contains(&n.text.as_str()))
        {
            i += 1;
        }
        i += 1;
    }
    out
}

fn checkout(rest: &[Arg]) -> Judged {
    let rest = &optional_value(rest)[..];
    let o = Opts::parse(
        rest,
        "bBU",
        &[
            "orphan",
            "inter-hunk-context",
            "conflict",
            "pathspec-from-file",
            "unified",
        ],
        false,
    );
    let discard = || {
        Err(block(
            "git.discard-changes",
            "git checkout with paths (or --force) overwrites uncommitted changes",
            "use `git stash`, or `git switch` to change branches",
        ))
    };
    if o.has('f', "force") || o.long("pathspec-from-file") {
        return discard();
    }
    if o.double_dash {
        let after = rest
            .iter()
            .position(|a| a.text == "--")
            .map_or(0, |p| rest.len() - p - 1);
        if after > 0 {
            return discard();
        }
    }
    let creates = o.short('b') || o.short('B') || o.long("orphan");
    // one operand is a branch or start point; a second one is a path to overwrite
    if o.operands.len() > 1 {
        return discard();
    }
    if let Some(only) = o.operands.first()
        && !creates
        && (only.text == "."
            || only.text.starts_with("./")
            || only.glob
            || only.text.starts_with(":("))
    {
        return discard();
    }
    Ok(())
}
