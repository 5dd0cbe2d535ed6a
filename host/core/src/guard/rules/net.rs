//! Network tools: HTTP deletions, download-and-execute bookkeeping, exfiltration.
//!
//! Guarantee: content fetched to stdout is marked as a download (a shell reading it blocks);
//! files a downloader writes are remembered so running them later in the command blocks;
//! secrets, secret-fed stdin and command-substitution output never leave by network tools;
//! no tunnel opens this machine to another (`ssh -R`, `ngrok`, `cloudflared tunnel`).

use super::super::opts::Opts;
use super::super::paths::{is_secret, is_system};
use super::super::walk::{Judged, Stdin, Walker};
use super::super::words::Arg;
use super::block;
use super::infra::{DESTRUCTIVE_VERBS, words_of};

// ---- network ------------------------------------------------------------------------------

/// An HTTP method option asking for a deletion, for any client (`curl -X DELETE`,
/// `gh api --method=delete`, `wget --method DELETE`, `http -X purge`, `curl -sX DELETE`).
pub(super) fn method_delete(args: &[Arg]) -> bool {
    let destructive = |m: &str| matches!(m.to_ascii_uppercase().as_str(), "DELETE" | "PURGE");
    args.iter().enumerate().any(|(i, a)| {
        let t = a.text.as_str();
        let next = args.get(i + 1).map(|n| n.text.as_str()).unwrap_or("");
        match t {
            "-X" | "--request" | "--method" | "-m" => destructive(next),
            // A cluster of short options with `X` in it (`curl -sX DELETE`, `-fsSXDELETE`):
            // the method is the rest of the word after `X`, or the next word.
            _ if t.len() > 2
                && t.starts_with('-')
                && !t.starts_with("--")
                && !t.starts_with("-X")
                && t[1..]
                    .find('X')
                    .is_some_and(|k| t[1..1 + k].bytes().all(|b| b.is_ascii_alphabetic())) =>
            {
                let rest = &t[1 + t[1..].find('X').unwrap_or(0) + 1..];
                destructive(if rest.is_empty() { next } else { rest })
            }
            _ if !(t.starts_with("--") || t.starts_with("-X")) => false,
            _ => {
                let lower = t.to_ascii_lowercase();
                lower
                    .strip_prefix("--request=")
                    .or(lower.strip_prefix("--method="))
                    .or(lower
                        .strip_prefix("-x")
                        .filter(|m| m.len() > 2 && t.starts_with("-X")))
                    .is_some_and(|m| destructive(m.trim_start_matches('=')))
            }
        }
    })
}

/// A request body or field that archives a hosted resource: `gh api -X PATCH repos/o/r -f
/// archived=true`, `curl -d '{"archived": true}'`, httpie's `archived:=true`.
pub(super) fn archives(args: &[Arg]) -> bool {
    args.iter().any(|a| {
        let t: String = a
            .text
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect();
        let t = t.replace(":=", "=").replace(':', "=");
        t.split(['{', ',', '&', '}'])
            .any(|kv| kv == "archived=true")
    })
}

pub(super) fn decodes(p: &str, args: &[Arg]) -> bool {
    let has = |s: &str| args.iter().any(|a| a.text == s);
    match p {
        "base64" => {
            has("-d")
                || has("--decode")
                || has("-D")
                || args.iter().any(|a| {
                    a.text.starts_with('-') && !a.text.starts_with("--") && a.text.contains('d')
                })
        }
        "xxd" => has("-r") || has("-revert"),
        "uudecode" => true,
        "openssl" => has("-d"),
        "gpg" => has("-d") || has("--decrypt"),
        _ => false,
    }
}

pub(super) fn net(w: &mut Walker, p: &str, args: &[Arg]) -> Judged<Stdin> {
    let lower = |a: &Arg| a.text.to_ascii_uppercase();
    let mut method: Option<String> = None;
    let mut to_file: Option<String> = None;
    let mut sends_data = false;
    let mut urls: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let t = args[i].text.as_str();
        let next = args.get(i + 1);
        match t {
            "-X" | "--request" | "--method" => {
                method = next.map(lower);
                i += 1;
            }
            "-o" | "--output" | "-O" | "--output-document"
                if next.is_some() && !(p == "curl" && t == "-O") =>
            {
                to_file = next.map(|a| a.text.clone());
                i += 1;
            }
            "-O" | "--remote-name" => to_file = Some("*".into()),
            // curl's short options in a cluster: `-sLo FILE` saves to FILE, `-sLO` under
            // the URL's name
            _ if p == "curl"
                && t.len() > 2
                && t.starts_with('-')
                && !t.starts_with("--")
                && (t.ends_with('o') || t.contains('O'))
                // flags without a value, then `o` or `O`
                && t[1..t.len() - 1].bytes().all(|b| b"sSLfkivIgGnqNlRJZO".contains(&b)) =>
            {
                if t.ends_with('o') && next.is_some() {
                    to_file = next.map(|a| a.text.clone());
                    i += 1;
                } else if t.contains('O') {
                    to_file = Some("*".into());
                }
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-urlencode" | "-F"
            | "--form" | "-T" | "--upload-file" | "--post-data" | "--post-file" | "--body-data"
            | "--body-file" => {
                sends_data = true;
                i += 1;
            }
            _ if t.starts_with("-X") && t.len() > 2 => method = Some(t[2..].to_ascii_uppercase()),
            _ if t.starts_with("--request=") || t.starts_with("--method=") => {
                method = t.split_once('=').map(|(_, m)| m.to_ascii_uppercase())
            }
            _ if t.starts_with("--output-document=") || t.starts_with("--output=") => {
                to_file = t.split_once('=').map(|(_, f)| f.to_string())
            }
            _ if p == "wget" && t.starts_with('-') && !t.starts_with("--") && t.contains('O') => {
                let f = &t[t.find('O').map_or(t.len(), |o| o + 1)..];
                to_file = Some(if f.is_empty() {
                    next.map_or("-".into(), |a| a.text.clone())
                } else {
                    f.to_string()
                });
                if f.is_empty() {
                    i += 1;
                }
            }
            _ if t.contains("://") => urls.push(t),
            _ if (p == "http" || p == "https" || p == "xh")
                && matches!(
                    t.to_ascii_uppercase().as_str(),
                    "DELETE" | "POST" | "PUT" | "PATCH" | "PURGE"
                ) =>
            {
                method = Some(t.to_ascii_uppercase())
            }
            _ => {}
        }
        i += 1;
    }
    let method = method.unwrap_or_else(|| {
        if sends_data {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    if method == "DELETE" || method == "PURGE" {
        return Err(block(
            "net.http-delete",
            format!("{p} sends an HTTP DELETE, removing a remote resource"),
            Some("have a person run deletions against live services"),
        ));
    }
    if matches!(method.as_str(), "POST" | "PUT" | "PATCH") {
        let destructive_url = urls.iter().any(|u| {
            let path = u.split_once("://").map_or(*u, |(_, r)| r);
            let path = path.split_once('/').map_or("", |(_, r)| r);
            words_of(path).any(|t| DESTRUCTIVE_VERBS.contains(&t.as_str()))
        });
        if destructive_url {
            return Err(block(
                "net.http-delete",
                format!("{p} {method} calls a deletion endpoint"),
                Some("have a person run deletions against live services"),
            ));
        }
    }
    match to_file.as_deref() {
        None | Some("-") | Some("/dev/stdout") if p != "wget" || to_file.is_some() => {
            Ok(Stdin::Download)
        }
        Some(f) => {
            // the saved file is a write like any other (`curl -o ~/.bashrc URL`)
            if f != "*" {
                super::write_target(&Arg::literal(f), p)?;
                w.downloads.push(f.to_string());
            } else {
                // `curl -O URL` saves under the URL's file name
                push_url_names(w, &urls);
            }
            Ok(Stdin::Opaque)
        }
        None => {
            // wget saves under the URL's file name
            push_url_names(w, &urls);
            Ok(Stdin::Opaque)
        }
    }
}

/// Records the file name each URL is saved under (its last path segment, query dropped).
fn push_url_names(w: &mut Walker, urls: &[&str]) {
    for u in urls {
        let path = u.split(['?', '#']).next().unwrap_or(u);
        if let Some(name) = path.rsplit('/').next().filter(|n| !n.is_empty()) {
            w.downloads.push(name.to_string());
        }
    }
}

/// A secret-looking environment variable the command does not set (`$GITHUB_TOKEN`,
/// `${AWS_SECRET_ACCESS_KEY}`), as the walker renders it: `${NAME}`.
fn secret_variable(text: &str) -> Option<&str> {
    text.match_indices("${").find_map(|(i, _)| {
        let name = text[i + 2..].split('}').next()?;
        let upper = name.to_ascii_uppercase();
        [
            "TOKEN",
            "SECRET",
            "PASSWORD",
            "PASSWD",
            "API_KEY",
            "APIKEY",
            "PRIVATE",
            "ACCESS_KEY",
            "CREDENTIAL",
        ]
        .iter()
        .any(|k| upper.contains(k))
        .then_some(name)
    })
}

pub(super) fn exfiltration(p: &str, args: &[Arg], stdin: &Stdin) -> Judged {
    // a secret variable in a URL's query, in posted data or on standard input goes to
    // whoever runs that host; in a header (`-H "Authorization: Bearer $TOKEN"`) it is the
    // credential of the request itself
    let data_flag = |t: &str| {
        matches!(
            t,
            "-d" | "--data"
                | "--data-raw"
                | "--data-binary"
                | "--data-urlencode"
                | "-F"
                | "--form"
                | "--post-data"
                | "--body-data"
        )
    };
    let sent = args.iter().enumerate().find_map(|(i, a)| {
        let name = secret_variable(&a.text)?;
        let in_query =
            a.text.contains("://") && a.text.find('?').is_some_and(|q| a.text[q..].contains("${"));
        let in_data = i > 0 && data_flag(&args[i - 1].text)
            || [
                "--data=",
                "--data-raw=",
                "--data-binary=",
                "--post-data=",
                "--body-data=",
                "--form=",
            ]
            .iter()
            .any(|f| a.text.starts_with(f));
        let dns = matches!(p, "dig" | "host" | "nslookup" | "ping");
        (in_query || in_data || dns).then_some(name)
    });
    let piped = match stdin {
        Stdin::Text { text, .. } => secret_variable(text),
        _ => None,
    };
    if let Some(name) = sent.or(piped) {
        return Err(block(
            "net.exfil",
            format!("{p} sends the secret variable ${name} to a network address"),
            Some("send credentials only in the request's own authentication header"),
        ));
    }
    if matches!(stdin, Stdin::Secret) {
        return Err(block(
            "net.exfil",
            format!("{p} sends the contents of a secret file over the network"),
            None,
        ));
    }
    if let Some(a) = args.iter().find(|a| {
        let value = a.text.split_once('=').map_or(a.text.as_str(), |(_, v)| v);
        is_secret(value) || is_secret(value.trim_start_matches('@'))
    }) {
        return Err(block(
            "net.exfil",
            format!(
                "{p} sends or fetches {}, a secret file, over the network",
                a.text
            ),
            None,
        ));
    }
    for a in args {
        let file = a.text.rsplit_once('@').map(|(_, f)| f).unwrap_or("");
        if (!file.is_empty() && (is_secret(file) || is_system(file)))
            || a.text.starts_with('@') && is_secret(&a.text[1..])
        {
            return Err(block(
                "net.exfil",
                format!("{p} uploads {file}, a secret or system file"),
                None,
            ));
        }
        if a.opaque && !a.remote_content {
            return Err(block(
                "net.exfil",
                format!(
                    "{p} sends data computed by a command substitution (a classic exfiltration channel)"
                ),
                Some("send only literal data"),
            ));
        }
    }
    if matches!(p, "rsync" | "scp") {
        let operands: Vec<&Arg> = args.iter().filter(|a| !a.text.starts_with('-')).collect();
        if let Some((dest, srcs)) = operands.split_last()
            && is_remote(&dest.text)
            && srcs.iter().any(|s| {
                let t = s.text.trim_end_matches('/');
                is_secret(&s.text)
                    || is_system(&s.text)
                    || matches!(t, "" | "/*" | "~" | "${HOME}")
                    || t.starts_with("/home")
                    || t.starts_with("/Users")
            })
        {
            return Err(block(
                "net.exfil",
                format!("{p} copies a home, system or secret location to a remote host"),
                None,
            ));
        }
    }
    Ok(())
}

fn is_remote(t: &str) -> bool {
    t.contains("::")
        || t.split_once(':')
            .is_some_and(|(host, _)| !host.is_empty() && !host.contains('/'))
}

/// A tunnel that exposes this machine to another one: `ssh -R` / `-o RemoteForward` (and
/// `autossh`), or a tunnelling service (`ngrok`, `cloudflared tunnel`, `bore local`,
/// `localtunnel`/`lt`, `chisel client … R:…`). A listener on the far side reaches the loop's
/// machine: its services, and through them its files and credentials. Judged before the
/// client is unwrapped (an `ssh` with a remote command is a wrapper).
pub(super) fn exposing_tunnel(p: &str, args: &[Arg]) -> Judged {
    let texts = || args.iter().map(|a| a.text.as_str());
    let hit = match p {
        "ssh" | "autossh" => {
            let o = Opts::parse(args, "BbcDEeFIiJLlmOoPpQRSWwM", &[], true);
            o.short('R')
                || o.shorts.iter().any(|(c, v)| {
                    *c == 'o'
                        && v.is_some_and(|v| v.to_ascii_lowercase().starts_with("remoteforward"))
                })
        }
        "ngrok" => texts().any(|t| matches!(t, "http" | "tcp" | "tls" | "start" | "tunnel")),
        "cloudflared" => {
            texts().any(|t| t == "tunnel")
                && !texts().any(|t| matches!(t, "list" | "info" | "--help" | "-h"))
        }
        "bore" => texts().any(|t| t == "local"),
        "lt" | "localtunnel" => texts().any(|t| t == "--port" || t == "-p"),
        "chisel" => texts().any(|t| t == "client") && texts().any(|t| t.starts_with("R:")),
        _ => false,
    };
    if hit {
        return Err(block(
            "net.tunnel-expose",
            format!("{p} opens a tunnel that lets another machine reach this one"),
            Some("leave tunnels and port exposure to a person"),
        ));
    }
    Ok(())
}
