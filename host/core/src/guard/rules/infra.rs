//! Service and infrastructure CLIs, secret stores and package managers.
//!
//! Guarantee: a destructive subcommand word (delete, purge, destroy, drop, ...) in the first
//! positional words of a non-exempt CLI blocks, as do secret-store writes and installs of
//! named packages from a registry.

use super::super::opts::Opts;
use super::super::walk::Judged;
use super::super::words::Arg;
use super::super::wrappers::NODE_PM_VALUE_OPTIONS;
use super::block;

/// Words that make a subcommand destructive for remote/infra CLIs (`aws s3 rb`,
/// `gh release delete`, `restic forget`, `heroku apps:destroy`).
pub(super) const DESTRUCTIVE_VERBS: &[&str] = &[
    "delete",
    "del",
    "remove",
    "rm",
    "rmi",
    "rb",
    "purge",
    "destroy",
    "drop",
    "prune",
    "forget",
    "compact",
    "unregister",
    "deregister",
    "unsubscribe",
    "wipe",
    "erase",
    "flushall",
    "flushdb",
    "truncate",
    "terminate",
    "uninstall",
    "nuke",
    "revoke",
    "disable",
    "reset",
    "shred",
    "dropdb",
    "drain",
    "dropuser",
    "unpublish",
    "yank",
    "deprovision",
    "decommission",
    "teardown",
    "expunge",
    "obliterate",
    "evict",
    "unprotect",
    "deactivate",
];

/// Verbs that are destructive only as a whole word (`gh repo archive`), never inside a file,
/// ref or repository name that merely contains the word.
const WHOLE_WORD_VERBS: &[&str] = &["archive"];

/// Verbs that are destructive only as part of a compound admin verb (`clear_permissions`,
/// `flush-queue`, `empty-trash`), not alone (`clear` a screen, `flush` a buffer).
const COMPOUND_VERBS: &[&str] = &["clear", "flush", "empty", "kill", "cancel", "overwrite"];

/// Does the command ask only for a preview? `--dry-run` (not `=none`/`=false`), `--dryrun`,
/// `--what-if`, `--simulate`, `--preview-only`; `-n` for tools where it means a dry run;
/// `terraform plan` and its siblings.
pub(crate) fn has_dry_run(p: &str, args: &[Arg]) -> bool {
    let short_n = matches!(
        p,
        "rsync"
            | "rclone"
            | "restic"
            | "borg"
            | "modprobe"
            | "make"
            | "gsutil"
            | "ansible-playbook"
    );
    let plan = matches!(p, "terraform" | "tofu" | "terragrunt")
        && args
            .iter()
            .find(|a| !a.text.starts_with('-'))
            .is_some_and(|a| a.text == "plan");
    plan || args.iter().any(|a| {
        if !a.text.starts_with('-') {
            return false;
        }
        let t = a.text.to_ascii_lowercase();
        match t.split_once('=') {
            Some(("--dry-run" | "--dryrun", v)) => !matches!(v, "none" | "false" | "0" | "no"),
            Some(_) => false,
            None => {
                matches!(
                    t.as_str(),
                    "--dry-run"
                        | "--dryrun"
                        | "--what-if"
                        | "--whatif"
                        | "-whatif"
                        | "--simulate"
                        | "--preview-only"
                ) || (short_n
                    && (t == "-n"
                        || (t.starts_with('-')
                            && !t.starts_with("--")
                            && t.contains('n')
                            && p == "rsync")))
            }
        }
    })
}

// ---- infra CLIs ----------------------------------------------------------------------------

/// Lower-case words of an identifier: `delete-secret`, `doDelete`, `_delete_by_query`,
/// `apps:destroy` give `delete`, `do`/`delete`, `delete`/`by`/`query`, `apps`/`destroy`.
pub(super) fn words_of(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .flat_map(|part| {
            let mut out = Vec::new();
            let mut cur = String::new();
            for c in part.chars() {
                if c.is_ascii_uppercase()
                    && !cur.is_empty()
                    && !cur.chars().last().is_some_and(|l| l.is_ascii_uppercase())
                {
                    out.push(std::mem::take(&mut cur));
                }
                cur.push(c.to_ascii_lowercase());
            }
            if !cur.is_empty() {
                out.push(cur);
            }
            out
        })
}

/// Subcommands that ask about the words after them instead of running them.
const QUERY_VERBS: &[&str] = &["can-i", "explain", "help"];

/// Does the command print a credential (a token, a secret key, a raw kubeconfig) to its
/// output? `gh auth token`, `gcloud auth print-access-token`, `aws configure get
/// aws_secret_access_key`, `az account get-access-token`, `kubectl config view --raw`.
pub(super) fn prints_credential(p: &str, args: &[Arg]) -> bool {
    let pos: Vec<String> = args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let flag = |f: &[&str]| {
        args.iter().any(|a| {
            f.iter()
                .any(|f| a.text == *f || a.text.starts_with(&format!("{f}=")))
        })
    };
    let verb = |i: usize, v: &[&str]| pos.get(i).is_some_and(|w| v.contains(&w.as_str()));
    let secretish = |w: &str| {
        ["secret", "token", "password", "access_key", "private"]
            .iter()
            .any(|k| w.contains(k))
    };
    match p {
        "gh" | "glab" => {
            verb(0, &["auth"])
                && (verb(1, &["token"]) || (verb(1, &["status"]) && flag(&["--show-token", "-t"])))
        }
        "gcloud" => {
            pos.iter()
                .any(|w| w.starts_with("print-") && w.ends_with("-token") || w == "config-helper")
                || (verb(0, &["secrets"]) && verb(1, &["versions"]) && verb(2, &["access"]))
        }
        "aws" => {
            (verb(0, &["configure"])
                && (verb(1, &["export-credentials"])
                    || verb(1, &["get"]) && pos.get(2).is_some_and(|k| secretish(k))))
                || pos.iter().any(|w| {
                    w == "get-login-password"
                        || w == "get-authorization-token"
                        || w == "get-session-token"
                        || w == "get-secret-value"
                })
                || (verb(0, &["ssm"])
                    && pos.iter().any(|w| w.starts_with("get-parameter"))
                    && flag(&["--with-decryption"]))
        }
        "az" => {
            pos.iter().any(|w| w == "get-access-token")
                || (verb(0, &["keyvault"])
                    && verb(1, &["secret", "key", "certificate"])
                    && verb(2, &["show", "download", "backup"]))
        }
        "kubectl" | "oc" => {
            (verb(0, &["config"]) && verb(1, &["view"]) && flag(&["--raw", "--flatten"]))
                || (p == "oc" && verb(0, &["whoami"]) && flag(&["-t", "--show-token"]))
                // `get secret(s) -o yaml|json|jsonpath=…` prints the values (a plain `get`
                // lists names)
                || (verb(0, &["get"])
                    && pos
                        .get(1)
                        .is_some_and(|k| k.split(['/', ',']).any(|k| k == "secret" || k == "secrets"))
                    && args.iter().enumerate().any(|(i, a)| {
                        let v = a
                            .text
                            .strip_prefix("-o")
                            .or_else(|| a.text.strip_prefix("--output"))
                            .map(|v| v.trim_start_matches('='))
                            .filter(|v| !v.is_empty())
                            .or_else(|| {
                                matches!(a.text.as_str(), "-o" | "--output")
                                    .then(|| args.get(i + 1).map(|n| n.text.as_str()))
                                    .flatten()
                            });
                        v.is_some_and(|v| !matches!(v, "name" | "wide"))
                    }))
        }
        "heroku" => verb(0, &["auth:token"]),
        "vault" => {
            (verb(0, &["print"]) && verb(1, &["token"])) || (verb(0, &["kv"]) && verb(1, &["get"]))
        }
        "op" => verb(0, &["read"]) || (verb(1, &["get"]) && flag(&["--reveal"])),
        "pass" | "gopass" => verb(0, &["show"]) || pos.len() == 1 && !verb(0, &["ls", "list"]),
        "bw" => verb(0, &["get"]),
        "secret-tool" => verb(0, &["lookup"]),
        _ => p.starts_with("docker-credential-") && verb(0, &["get"]),
    }
}

pub(super) fn generic_destructive_verb(p: &str, args: &[Arg]) -> Judged {
    let is_word = |t: &str| {
        t.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_:.".contains(c))
    };
    if let Some(verb) = words_of(p).find(|t| DESTRUCTIVE_VERBS.contains(&t.as_str())) {
        return Err(block(
            "infra.destructive",
            format!("`{p}` is a destructive tool ({verb})"),
            Some("have a person run deletions"),
        ));
    }
    let positional_words = args
        .iter()
        .filter(|a| !a.dynamic && !a.text.starts_with('-'))
        .map(|a| a.text.as_str())
        .filter(|t| is_word(t))
        .take(3);
    for w in positional_words {
        // a question about an operation runs none (`kubectl auth can-i delete pods`,
        // `kubectl explain`, `gcloud help … delete`)
        if QUERY_VERBS.contains(&w) {
            break;
        }
        let parts: Vec<String> = words_of(w).collect();
        let compound = parts.len() > 1
            && parts
                .first()
                .is_some_and(|f| COMPOUND_VERBS.contains(&f.as_str()));
        let whole = WHOLE_WORD_VERBS
            .iter()
            .find(|v| w.eq_ignore_ascii_case(v))
            .map(|v| v.to_string());
        if let Some(verb) = parts
            .iter()
            .find(|t| DESTRUCTIVE_VERBS.contains(&t.as_str()))
            .or(compound.then(|| &parts[0]))
            .or(whole.as_ref())
        {
            return Err(block(
                "infra.destructive",
                format!(
                    "`{p} ... {w}` is a destructive operation ({verb}) on a service, store or resource"
                ),
                Some("have a person run deletions; an unattended loop may only read or create"),
            ));
        }
    }
    // Making a private repository or resource public (`gh repo edit --visibility public`,
    // `glab repo edit --visibility=internal`) exposes it: hosted-service destruction.
    let exposes = args.iter().enumerate().any(|(i, a)| {
        let t = a.text.to_ascii_lowercase();
        let value = t
            .strip_prefix("--visibility=")
            .map(str::to_string)
            .or_else(|| {
                (t == "--visibility")
                    .then(|| args.get(i + 1).map(|v| v.text.to_ascii_lowercase()))
                    .flatten()
            });
        value.is_some_and(|v| matches!(v.as_str(), "public" | "internal"))
    });
    if exposes
        && args
            .iter()
            .any(|a| matches!(a.text.as_str(), "edit" | "update"))
    {
        return Err(block(
            "infra.destructive",
            format!("{p} makes a repository or resource public, exposing what was private"),
            Some("have a person change visibility"),
        ));
    }
    if args.iter().any(|a| {
        let t = a.text.to_ascii_lowercase();
        let off = t
            .split_once('=')
            .is_some_and(|(_, v)| matches!(v, "false" | "no" | "0" | "none" | "off"));
        // Go-flag CLIs (nomad, terraform, consul, vault) spell long options with one dash:
        // `-purge` is `--purge`; a one-letter option (`-d`, `-r`) is never one of these
        let name = t.split_once('=').map_or(t.as_str(), |(n, _)| n);
        let name = name
            .strip_prefix("--")
            .or_else(|| name.strip_prefix('-').filter(|n| n.len() > 2))
            .unwrap_or("");
        !off && (name == "destroy"
            || name.starts_with("delete")
            || name.starts_with("remove")
            || name == "purge"
            || name == "prune"
            || name.starts_with("force-delete"))
    }) {
        return Err(block(
            "infra.destructive",
            format!("{p} is asked to delete or remove data"),
            Some("have a person run deletions"),
        ));
    }
    Ok(())
}

/// Does a subcommand CLI's argv ask for help (`docker system prune --help`)? Service CLIs
/// (cobra, click, clap, argparse subcommands) print help for `--help` anywhere before `--`
/// and run nothing; a literal `--help` after `--` is an operand.
pub(crate) fn asks_help(args: &[Arg]) -> bool {
    args.iter()
        .take_while(|a| a.text != "--")
        // `-help`: Go-flag CLIs (terraform, packer, vault, consul, nomad) take one dash
        .any(|a| !a.dynamic && (a.text == "--help" || a.text == "-help"))
}

/// Registry-side destruction by a package manager (which is otherwise exempt from the
/// generic verb check because `npm rm x` only edits the project): removing or retiring a
/// published package or version, or an owner.
pub(super) fn registry_destructive(p: &str, args: &[Arg]) -> Judged {
    let pos: Vec<&str> = if matches!(p, "npm" | "pnpm" | "yarn" | "bun") {
        Opts::parse(args, "Cw", NODE_PM_VALUE_OPTIONS, false)
            .operands
            .iter()
            .map(|a| a.text.as_str())
            .collect()
    } else {
        args.iter()
            .filter(|a| !a.text.starts_with('-'))
            .map(|a| a.text.as_str())
            .collect()
    };
    let first = pos.first().copied().unwrap_or("");
    let second = pos.get(1).copied().unwrap_or("");
    let owner_removal = first == "owner"
        && (matches!(second, "rm" | "remove")
            || args
                .iter()
                .any(|a| matches!(a.text.as_str(), "--remove" | "-r")));
    let hit = match p {
        "npm" | "pnpm" | "yarn" | "bun" => {
            matches!(first, "unpublish" | "deprecate")
                || owner_removal
                || (first == "dist-tag" && matches!(second, "rm" | "remove"))
                || (first == "access" && matches!(second, "revoke"))
        }
        "cargo" | "gem" => first == "yank" || owner_removal,
        "dotnet" => first == "nuget" && second == "delete",
        _ => false,
    };
    if hit && !asks_help(args) && !has_dry_run(p, args) {
        return Err(block(
            "infra.destructive",
            format!(
                "`{p} {first}` removes or retires a published package on the registry, which users depend on"
            ),
            Some("have a person retire published packages"),
        ));
    }
    Ok(())
}

pub(super) fn secret_store_write(p: &str, args: &[Arg]) -> Judged {
    let pos: Vec<String> = args
        .iter()
        .filter(|a| !a.text.starts_with('-'))
        .map(|a| a.text.to_ascii_lowercase())
        .collect();
    let writes = |w: &str| {
        let first = w.split(['-', '_']).next().unwrap_or("");
        matches!(
            first,
            "put"
                | "update"
                | "set"
                | "write"
                | "patch"
                | "rotate"
                | "restore"
                | "import"
                | "upload"
                | "edit"
        )
    };
    let hit = match p {
        "aws" => {
            pos.first()
                .is_some_and(|s| matches!(s.as_str(), "secretsmanager" | "ssm" | "kms" | "iam"))
                && pos.get(1).is_some_and(|op| {
                    writes(op)
                        || op.starts_with("schedule-key-deletion")
                        || op.starts_with("disable")
                })
        }
        "vault" | "op" | "doppler" | "infisical" | "bw" | "sops" => {
            pos.iter().take(3).any(|w| writes(w))
        }
        "gh" | "glab" => {
            pos.first().is_some_and(|s| s == "secret") && pos.get(1).is_some_and(|w| writes(w))
        }
        _ => false,
    };
    if hit {
        return Err(block(
            "secrets.store-write",
            format!("{p} changes secrets in a secret store"),
            Some("ask a person to change secrets"),
        ));
    }
    Ok(())
}

/// A package spec that is fetched from outside any registry: a URL, a git remote
/// (`git+https://…`, `github:owner/repo`) or a tarball address.
fn remote_spec(t: &str) -> bool {
    let t = t.split_once('=').map_or(t, |(_, v)| v);
    t.contains("://")
        || ["git+", "github:", "gitlab:", "bitbucket:", "gist:"]
            .iter()
            .any(|p| t.starts_with(p))
}

/// Package runners told to fetch and run a package from a URL or a git remote (`npx -p
/// https://…tgz tool`, `uvx --from git+https://… tool`, `pipx run --spec git+…`, `npm exec
/// -- https://…`, `pnpm dlx URL`), and `go run MODULE@VERSION`, which downloads a module and
/// runs it: code nobody reviewed runs at once. Judged before the runner is unwrapped, so the
/// option that names the source is still visible.
pub(super) fn run_remote_package(p: &str, args: &[Arg]) -> Judged {
    let o = Opts::parse(
        args,
        "pcCw",
        &["package", "call", "from", "with", "spec", "index-url"],
        false,
    );
    let first = o.operands.first().map(|a| a.text.as_str());
    let second = o.operands.get(1).map(|a| a.text.as_str());
    let runner = match p {
        "npx" | "pnpx" | "bunx" | "uvx" => true,
        "npm" => matches!(first, Some("exec" | "x")),
        "pnpm" | "yarn" => matches!(first, Some("dlx" | "exec")),
        "bun" => matches!(first, Some("x")),
        "pipx" => matches!(first, Some("run")),
        "uv" => matches!(
            (first, second),
            (Some("run"), _) | (Some("tool"), Some("run"))
        ),
        _ => false,
    };
    let fetched = runner
        && (o.operands.iter().take(3).any(|a| remote_spec(&a.text))
            || ["package", "from", "with", "spec"]
                .iter()
                .any(|n| o.long_value(n).is_some_and(remote_spec))
            || o.short_value('p').is_some_and(remote_spec));
    // `go run example.com/tool@v1.2.3`: a module path with a version is fetched, not local
    let go_fetch = p == "go"
        && first == Some("run")
        && o.operands[1..].iter().any(|a| {
            let t = a.text.as_str();
            !t.starts_with(['.', '/', '-']) && t.contains('@') && t.contains('/')
        });
    if fetched || go_fetch {
        return Err(block(
            "rce.download-exec",
            format!(
                "{p} fetches a package from a URL, a git remote or a module proxy and runs it at once"
            ),
            Some("add the tool to the project's manifest for review, then run it from there"),
        ));
    }
    Ok(())
}

pub(super) fn pkg_install(p: &str, args: &[Arg]) -> Judged {
    let pos: Vec<&Arg> = args.iter().filter(|a| !a.text.starts_with('-')).collect();
    let named_after = |verbs: &[&str]| -> bool {
        let Some(i) = pos.iter().position(|a| verbs.contains(&a.text.as_str())) else {
            return false;
        };
        let value_opts = [
            "-r",
            "--requirement",
            "-c",
            "--constraint",
            "-e",
            "--editable",
            "--path",
            "-t",
            "--target",
            "--prefix",
            "-i",
            "--index-url",
        ];
        // operands after the verb that are not option values and not local paths
        let verb_idx = args
            .iter()
            .position(|a| std::ptr::eq(a, pos[i]))
            .unwrap_or(0);
        let mut j = verb_idx + 1;
        while j < args.len() {
            let t = args[j].text.as_str();
            if value_opts.contains(&t) {
                j += 2;
                continue;
            }
            let local = !t.contains("://")
                && (t.starts_with('.')
                    || t.starts_with('/')
                    || t.ends_with(".txt")
                    || t.ends_with(".whl")
                    || t.ends_with(".tgz")
                    || t.contains("=./"));
            if !t.starts_with('-') && !local {
                return true;
            }
            j += 1;
        }
        false
    };
    let hit = match p {
        "npm" | "pnpm" | "bun" => named_after(&["install", "i", "add", "isntall"]),
        "yarn" => named_after(&["add"]),
        "pip" | "pipx" | "uv" | "easy_install" => named_after(&["install"]),
        "gem" | "cargo" | "brew" | "port" | "apt" | "apt-get" | "dnf" | "yum" | "zypper"
        | "snap" | "flatpak" | "choco" | "winget" | "scoop" => {
            named_after(&["install", "reinstall"])
        }
        "apk" => named_after(&["add"]),
        "pacman" => args.iter().any(|a| a.text.starts_with("-S")) && !pos.is_empty(),
        "pkg_add" | "pkg" => !pos.is_empty(),
        "go" => {
            pos.first().is_some_and(|a| a.text == "install")
                && pos.iter().any(|a| a.text.contains('@'))
        }
        _ => false,
    };
    if hit {
        return Err(block(
            "pkg.install-named",
            format!(
                "{p} installs a named package from a registry (supply-chain risk in an unattended loop)"
            ),
            Some("add the dependency to the manifest for review, then install from the lockfile"),
        ));
    }
    Ok(())
}
