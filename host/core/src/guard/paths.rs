//! What a path names, as far as the guard cares: a temp location (deletion allowed), a
//! system location, a block device, a secret or a user credential store.
//!
//! Guarantee: classification is conservative. A dynamic path (unknown variable, command
//! substitution) is never "temp"; a path with a `..` component is never "temp".

use super::words::Arg;

/// Environment variables that name the temp directory. The guard trusts the environment's
/// value; a value the command itself assigns is substituted before paths are judged.
pub(crate) const TEMP_VARS: &[&str] = &["TMPDIR", "TMP", "TEMP", "TEMPDIR"];

/// Is `arg` inside a temp directory (`/tmp`, `/var/tmp`, `$TMPDIR`, ...)?
/// `tmpdir_reassigned` is true when the command itself assigns `TMPDIR` (then `$TMPDIR` has
/// already been substituted by its assigned value, or is unknown).
pub(crate) fn is_temp(arg: &Arg) -> bool {
    if arg.opaque || arg.obfuscated {
        return false;
    }
    let t = arg.text.as_str();
    if t.split(['/', '\\']).any(|c| c == "..") {
        return false;
    }
    let rest = if let Some(r) = TEMP_VARS
        .iter()
        .find_map(|v| t.strip_prefix(&format!("${{{v}}}")))
    {
        r
    } else {
        match [
            "/tmp",
            "/var/tmp",
            "/private/tmp",
            "/private/var/tmp",
            "/dev/shm",
        ]
        .iter()
        .find_map(|root| t.strip_prefix(root))
        {
            Some(r) => r,
            None => return false,
        }
    };
    // the remainder must be empty or a sub-path, and carry no unknowns other than
    // login-provided names that cannot contain `/` (`/tmp/build-$USER`)
    let mut rest = rest.to_string();
    // (`${$}` stands for `$$`, `$!`, `$#`, `$?`: a number)
    for safe in [
        "${USER}",
        "${LOGNAME}",
        "${UID}",
        "${EUID}",
        "${HOSTNAME}",
        "${$}",
    ] {
        rest = rest.replace(safe, "x");
    }
    (rest.is_empty() || rest.starts_with('/')) && !rest.contains('$')
}

const SYSTEM_PREFIXES: &[&str] = &[
    "/etc",
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/boot",
    "/sys",
    "/proc",
    "/root",
    "/var/log",
    "/var/lib",
    "/var/spool",
    "/var/db",
    "/System",
    "/Library",
    "/private/etc",
    "/private/var/db",
    "/dev",
    "/opt",
    "/srv",
    "/snap",
    "/Applications",
];

/// A location owned by the operating system (configuration, binaries, logs, boot).
pub(crate) fn is_system(text: &str) -> bool {
    let lower = text.to_ascii_lowercase().replace('\\', "/");
    if lower.starts_with("c:/windows") || lower.starts_with("c:/program files") {
        return true;
    }
    if text.starts_with("/dev/") && !is_harmless_device(text) {
        return true;
    }
    SYSTEM_PREFIXES.iter().any(|p| {
        *p != "/dev"
            && text
                .strip_prefix(p)
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
    })
}

/// A path whose removal would take out a whole machine, user or project: `/`, `/*`, `~`,
/// `$HOME`, `/home`, a drive root, a top-level directory, `.`/`..`/`*`.
pub(crate) fn is_critical(arg: &Arg) -> bool {
    let t = arg.text.trim_end_matches('/');
    let t = if t.is_empty() && arg.text.starts_with('/') {
        "/"
    } else {
        t
    };
    if matches!(
        t,
        "/" | "/*"
            | "~"
            | "~/*"
            | "~/.*"
            | "${HOME}"
            | "${HOME}/*"
            | "${HOME}/.*"
            | "."
            | ".."
            | "*"
            | "./*"
            | "../*"
    ) {
        return true;
    }
    let lower = t.to_ascii_lowercase().replace('\\', "/");
    if lower.len() <= 3 && lower.as_bytes().get(1) == Some(&b':') {
        return true; // C: C:/ C:\
    }
    if t.starts_with('~') && !t.contains('/') {
        return true; // ~user
    }
    // one component below the root: /home, /Users, /etc, /data ...
    if let Some(rest) = t.strip_prefix('/') {
        if !rest.is_empty() && !rest.contains('/') && !is_temp(arg) {
            return true;
        }
        if let Some(user) = rest.strip_prefix("home/").or(rest.strip_prefix("Users/")) {
            // a home directory, or every entry of it (`/home/u/*`, like `~/*`)
            return match user.split_once('/') {
                None => true,
                Some((_, below)) => below == "*" || below == ".*",
            };
        }
    }
    is_system(t)
}

fn is_harmless_device(text: &str) -> bool {
    matches!(
        text,
        "/dev/null"
            | "/dev/zero"
            | "/dev/stdout"
            | "/dev/stderr"
            | "/dev/stdin"
            | "/dev/tty"
            | "/dev/random"
            | "/dev/urandom"
            | "/dev/full"
    ) || text.starts_with("/dev/fd/")
        || text.starts_with("/dev/pts/")
        || text.starts_with("/dev/shm/")
}

/// Files and directories that make code run later, outside the command: shell start-up
/// files, service and scheduler definitions, login and desktop autostart entries, git hooks
/// and git's own config. Matched by name wherever they live (`~/.bashrc`, `$HOME/.zshrc`,
/// `/home/u/.profile`).
pub(crate) fn is_persistence(text: &str) -> bool {
    let t = text.replace('\\', "/");
    let lower = t.to_ascii_lowercase();
    let name = file_name(&lower);
    const STARTUP: &[&str] = &[
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".bash_aliases",
        ".profile",
        ".zshrc",
        ".zprofile",
        ".zshenv",
        ".zlogin",
        ".zlogout",
        ".kshrc",
        ".mkshrc",
        ".cshrc",
        ".tcshrc",
        ".login",
        ".xinitrc",
        ".xprofile",
        ".xsession",
        ".xsessionrc",
        "config.fish",
        "rc.local",
        "environment",
        ".pam_environment",
    ];
    let in_dir = |d: &str| lower.contains(d);
    STARTUP.contains(&name) && (name != "environment" || lower.starts_with("/etc/"))
        || in_dir("/profile.d/")
        || in_dir(".config/fish/")
        || in_dir("/environment.d/")
        || in_dir(".oh-my-zsh/custom/")
        || in_dir(".config/autostart")
        || in_dir("/xdg/autostart")
        || in_dir("launchagents")
        || in_dir("launchdaemons")
        || [
            "/etc/cron",
            "/var/spool/cron",
            "/var/cron",
            "/etc/anacrontab",
        ]
        .iter()
        .any(|d| lower.starts_with(d))
        || in_dir("systemd/user")
        || in_dir("/systemd/system")
        || (in_dir("/systemd/")
            && [".service", ".timer", ".socket", ".path", ".mount"]
                .iter()
                .any(|e| name.ends_with(e)))
        || in_dir("/init.d/")
        || in_dir(".git/hooks")
        // hook managers: husky's hook scripts run on every later commit or push
        || in_dir("/.husky/")
        || lower.starts_with(".husky/")
        || is_user_bin(&lower)
        || lower.ends_with(".git/config")
        || lower.ends_with(".gitconfig")
        || lower.ends_with(".config/git/config")
        || lower.ends_with(".ssh/rc")
        || lower.ends_with("/etc/sudoers")
        || in_dir("/sudoers.d")
}

/// A file in a directory on the user's `PATH` that the user owns (`~/.local/bin`, `~/bin`,
/// `~/.cargo/bin`, `~/go/bin`, version-manager shims, …): a program placed there shadows the
/// real one in every later shell, so writing one is persistence (a PATH hijack).
fn is_user_bin(lower: &str) -> bool {
    const DIRS: &[&str] = &[
        ".local/bin/",
        "bin/",
        ".cargo/bin/",
        "go/bin/",
        ".npm-global/bin/",
        ".deno/bin/",
        ".bun/bin/",
        ".volta/bin/",
        ".pyenv/shims/",
        ".rbenv/shims/",
        ".nix-profile/bin/",
        ".asdf/shims/",
        ".local/share/pnpm/",
    ];
    let home_relative = ["~/", "$home/", "${home}/"]
        .iter()
        .find_map(|h| lower.strip_prefix(h))
        .or_else(|| {
            ["/home/", "/users/"]
                .iter()
                .find_map(|h| lower.strip_prefix(h))
                .and_then(|r| r.split_once('/').map(|(_, rest)| rest))
        })
        .or_else(|| lower.strip_prefix("/root/"));
    home_relative.is_some_and(|r| {
        DIRS.iter()
            .any(|d| r.starts_with(d) && r.len() > d.len() && !r[d.len()..].contains('/'))
    }) || ["/usr/local/bin/", "/usr/local/sbin/"]
        .iter()
        .any(|d| lower.starts_with(d))
}

/// A directory that is a credential store as a whole (`~/.ssh`, `~/.gnupg`, ...): listing it
/// shows file names, not secrets.
pub(crate) fn is_store_dir(text: &str) -> bool {
    let t = text.replace('\\', "/");
    let t = t.trim_end_matches('/');
    matches!(
        file_name(t),
        ".ssh" | ".gnupg" | ".aws" | ".kube" | ".docker" | "gcloud" | ".azure" | ".password-store"
    )
}

/// A block or raw storage device: writing to it destroys a filesystem.
pub(crate) fn is_block_device(text: &str) -> bool {
    let Some(dev) = text.strip_prefix("/dev/") else {
        return text.to_ascii_lowercase().starts_with(r"\\.\physicaldrive");
    };
    [
        "sd", "hd", "vd", "xvd", "nvme", "mmcblk", "disk", "rdisk", "md", "dm-", "mapper/", "loop",
        "sr", "nbd", "zd", "mem", "kmem", "port",
    ]
    .iter()
    .any(|p| dev.starts_with(p))
}

fn file_name(text: &str) -> &str {
    text.rsplit(['/', '\\']).next().unwrap_or(text)
}

/// A file that holds secrets: dotenv files, private keys, credential files, the SSH/AWS/GnuPG
/// stores. Example/template dotenv files are not secrets.
pub(crate) fn is_secret(text: &str) -> bool {
    if is_credential_store(text) || text.contains(".ssh/") {
        return true;
    }
    // a process's environment (`/proc/self/environ`, `/proc/1/environ`): tokens and keys
    if text.starts_with("/proc/") && text.ends_with("/environ") {
        return true;
    }
    let name = file_name(text).to_ascii_lowercase();
    if name.ends_with(".example")
        || name.ends_with(".sample")
        || name.ends_with(".template")
        || name.ends_with(".dist")
        || name.ends_with(".md")
    {
        return false;
    }
    name == ".env"
        || name.starts_with(".env.")
        || name == ".envrc"
        || name.starts_with("id_rsa")
        || name.starts_with("id_dsa")
        || name.starts_with("id_ecdsa")
        || name.starts_with("id_ed25519")
        || matches!(
            name.as_str(),
            "authorized_keys"
                | "known_hosts"
                | "credentials"
                | ".netrc"
                | ".npmrc"
                | ".pypirc"
                | ".git-credentials"
                | ".htpasswd"
                | ".pgpass"
                | "shadow"
        )
        || name.starts_with("credentials.")
        || name.starts_with("secrets.")
        || name.starts_with("secret.")
        || [
            ".pem",
            ".key",
            ".p12",
            ".pfx",
            ".jks",
            ".keystore",
            ".kdbx",
            ".gpg",
            ".asc",
        ]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A store of the *user's or system's* credentials, outside any project: touching these at
/// all (even `ls`) is out of bounds for an unattended loop.
pub(crate) fn is_credential_store(text: &str) -> bool {
    // every store below names a dotted or nested path, or a keychain
    if !text.contains(['.', '/', '\\']) && !text.contains("keychain") {
        return false;
    }
    let t: std::borrow::Cow<'_, str> = if text.contains('\\') {
        text.replace('\\', "/").into()
    } else {
        text.into()
    };
    let in_ssh_dir = t.contains(".ssh/") || t.ends_with(".ssh");
    // the AWS and GnuPG directories as a whole (`grep -r key ~/.aws`, `rsync -a ~/.aws/ …`)
    if t.trim_end_matches('/').ends_with("/.aws") || t.trim_end_matches('/') == "~/.aws" {
        return true;
    }
    // package-registry and tool logins kept in the home directory itself (`~/.npmrc`); the
    // same names inside a project are the project's configuration
    if let Some(rest) = home_relative(&t)
        && [
            ".npmrc",
            ".yarnrc.yml",
            ".gem/credentials",
            ".config/hub",
            ".composer/auth.json",
            ".config/composer/auth.json",
            ".gradle/gradle.properties",
            ".m2/settings-security.xml",
            ".config/op",
            ".config/rclone/rclone.conf",
            ".s3cfg",
            ".boto",
        ]
        .iter()
        .any(|n| rest.trim_end_matches('/') == *n)
    {
        return true;
    }
    let ssh_public = t.ends_with(".pub") || t.ends_with("/config") || t.ends_with("known_hosts");
    (in_ssh_dir && !ssh_public)
        || [
            "/etc/shadow",
            "/etc/gshadow",
            "/etc/sudoers",
            "/etc/master.passwd",
            ".aws/credentials",
            ".aws/config",
            ".gnupg",
            ".kube/config",
            ".docker/config.json",
            ".config/gcloud",
            ".azure/",
            ".netrc",
            ".git-credentials",
            ".password-store",
            "keychain",
            ".config/gh/hosts.yml",
            ".pgpass",
            ".my.cnf",
            ".pypirc",
            ".vault-token",
            ".cargo/credentials",
            ".terraform.d/credentials",
            ".local/share/keyrings",
            "login.keychain",
            ".mozilla/firefox/",
            "/logins.json",
            "/key4.db",
            "/Login Data",
        ]
        .iter()
        .any(|p| t.contains(p))
}

/// The part of a path after the user's home directory (`~/`, `$HOME/`, `/home/USER/`,
/// `/Users/USER/`, `/root/`), if it names one.
fn home_relative(t: &str) -> Option<&str> {
    for prefix in ["~/", "$HOME/", "${HOME}/", "/root/"] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return Some(rest);
        }
    }
    ["/home/", "/Users/"].iter().find_map(|p| {
        let rest = t.strip_prefix(p)?;
        rest.split_once('/').map(|(_, r)| r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> Arg {
        Arg::literal(s)
    }

    #[test]
    fn temp_paths() {
        assert!(is_temp(&a("/tmp/build")));
        assert!(is_temp(&a("/var/tmp/*")));
        assert!(is_temp(&a("/tmp/foo..bar")));
        assert!(!is_temp(&a("/tmp/../etc")));
        assert!(!is_temp(&a("/tmp-malicious/x")));
        assert!(is_temp(&Arg::runtime("${TMPDIR}/x")));
        assert!(!is_temp(&Arg::runtime("${TMPDIR}/../etc")));
        assert!(!is_temp(&Arg::runtime("${HOME}/x")));
        assert!(is_temp(&Arg::runtime("/tmp/test-${USER}")));
        assert!(!is_temp(&Arg::runtime("/tmp/${DIR}")));
    }

    #[test]
    fn secrets_and_stores() {
        assert!(is_secret(".env"));
        assert!(is_secret("config/.env.production"));
        assert!(is_secret("~/.ssh/authorized_keys"));
        assert!(is_secret("server.key"));
        assert!(!is_secret("my.env"));
        assert!(!is_secret("docs/credentials/README.md"));
        assert!(!is_secret(".env.example"));
        assert!(is_credential_store("~/.ssh/id_rsa"));
        assert!(!is_credential_store("~/.ssh/id_rsa.pub"));
        assert!(is_store_dir("~/.ssh/") && is_store_dir("/root/.gnupg"));
        assert!(!is_store_dir("~/.ssh/id_rsa"));
    }

    #[test]
    fn persistence_locations() {
        for p in [
            "~/.bashrc",
            "${HOME}/.zshrc",
            "/home/u/.profile",
            "~/.config/systemd/user/x.service",
            ".git/hooks/pre-commit",
            "/etc/cron.d/job",
            "~/Library/LaunchAgents/x.plist",
            "~/.config/autostart/x.desktop",
            "repo/.git/config",
        ] {
            assert!(is_persistence(p), "{p}");
        }
        for p in [
            "src/profile.rs",
            "environment.yml",
            "docs/bashrc.md",
            "hooks/pre-commit",
        ] {
            assert!(!is_persistence(p), "{p}");
        }
    }

    #[test]
    fn critical_paths() {
        for p in ["/", "/*", "~", "/home", "/etc", "C:\\", ".", "/home/user"] {
            assert!(is_critical(&a(p)), "{p}");
        }
        for p in ["/tmp", "build", "/home/user/project/target"] {
            assert!(!is_critical(&a(p)), "{p}");
        }
    }
}
