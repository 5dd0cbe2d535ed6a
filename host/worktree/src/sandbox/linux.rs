//! The Linux mechanism: namespaces, Landlock, seccomp, rlimits and a pids cgroup.
//!
//! Everything that allocates or can fail in an interesting way happens in the host before the
//! fork ([`prepare`]): the Landlock ruleset is created and filled there (its file descriptor is
//! inherited), the seccomp program is compiled there, every path is a ready `CString`. The code
//! that runs between fork and exec ([`Plan::enter`]) makes raw system calls only, as required in
//! a child of a multi-threaded process.
//!
//! Process shape: the child `std` forks (the *supervisor*) joins the cgroup, unshares user,
//! mount, PID, IPC, UTS (and network) namespaces, maps its own uid/gid, and forks the *init* of
//! the new PID namespace. The supervisor closes every descriptor, waits for init and exits with
//! its status; init sets up mounts, limits and the Landlock/seccomp restrictions and becomes the
//! command. Both die with their parent (`PR_SET_PDEATHSIG`), and when init dies the kernel kills
//! everything left in its PID namespace.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};

use landlock::{
    ABI, Access, AccessFs, CompatLevel, Compatible, PathBeneath, PathFd, Ruleset, RulesetAttr,
    RulesetCreatedAttr, Scope,
};
use seccompiler::{
    BpfProgram, SeccompAction, SeccompCmpArgLen, SeccompCmpOp, SeccompCondition, SeccompFilter,
    SeccompRule,
};

use super::{Confinement, Network, SandboxError, SandboxGuard, SandboxReport};

/// Files under `/etc` that hold secrets; each is hidden behind `/dev/null` when present.
const MASKED_FILES: &[&str] = &[
    "/etc/shadow",
    "/etc/shadow-",
    "/etc/gshadow",
    "/etc/gshadow-",
    "/etc/sudoers",
    "/etc/master.passwd",
];
/// Directories under `/etc` that hold secrets; each is hidden behind an empty read-only tmpfs.
const MASKED_DIRS: &[&str] = &["/etc/ssh", "/etc/sudoers.d", "/etc/ssl/private"];
/// Device files a command may read and write.
const DEVICE_FILES: &[&str] = &[
    "/dev/null",
    "/dev/zero",
    "/dev/full",
    "/dev/random",
    "/dev/urandom",
    "/dev/tty",
    "/dev/ptmx",
];
/// Device directories a command may read and write beneath (pseudo-terminals, shared memory).
const DEVICE_DIRS: &[&str] = &["/dev/pts", "/dev/shm"];

/// What the sandbox needs from the kernel, probed once per process.
pub(super) fn probe() -> Result<SandboxReport, SandboxError> {
    static PROBE: OnceLock<Result<SandboxReport, (&'static str, String)>> = OnceLock::new();
    PROBE
        .get_or_init(|| {
            let abi = landlock_abi();
            if abi < 1 {
                return Err(("Landlock", format!("landlock_create_ruleset gave {abi}")));
            }
            probe_namespaces()?;
            let process_cap = if pids_cgroup_root().is_some() {
                "pids cgroup"
            } else if rustix::process::getuid().is_root() {
                return Err((
                    "a pids cgroup",
                    "the host runs as root, for which RLIMIT_NPROC does not apply, and no \
                     writable pids cgroup (v1 `pids` or v2 with the pids controller) was found"
                        .to_owned(),
                ));
            } else {
                "RLIMIT_NPROC"
            };
            Ok(SandboxReport {
                landlock_abi: abi,
                process_cap,
            })
        })
        .clone()
        .map_err(|(feature, detail)| SandboxError::Unavailable { feature, detail })
}

fn landlock_abi() -> i32 {
    const LANDLOCK_CREATE_RULESET_VERSION: libc::c_uint = 1;
    // SAFETY: the documented version query: null attribute, size 0.
    let v = unsafe {
        libc::syscall(
            libc::SYS_landlock_create_ruleset,
            std::ptr::null::<u8>(),
            0usize,
            LANDLOCK_CREATE_RULESET_VERSION,
        )
    };
    i32::try_from(v).unwrap_or(-1)
}

/// Forks a child that creates the namespaces and mounts a `/proc` the way a real command's
/// sandbox does; its exit code names the step that failed.
fn probe_namespaces() -> Result<(), (&'static str, String)> {
    let steps: [&'static str; 4] = [
        "user namespaces",
        "uid/gid mapping in a user namespace",
        "PID and mount namespaces",
        "mounting /proc in a PID namespace",
    ];
    let maps = IdMaps::current();
    let mut cmd = std::process::Command::new("/bin/sh");
    cmd.arg("-c").arg("exit 0");
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    // SAFETY: raw system calls only; no allocation between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let fail = |code: i32| -> ! { libc::_exit(100 + code) };
            if libc::unshare(
                libc::CLONE_NEWUSER | libc::CLONE_NEWNS | libc::CLONE_NEWPID | libc::CLONE_NEWNET,
            ) != 0
            {
                fail(0);
            }
            if !maps.write() {
                fail(1);
            }
            let pid = libc::fork();
            if pid < 0 {
                fail(2);
            }
            if pid > 0 {
                let mut status = 0;
                while libc::waitpid(pid, &mut status, 0) < 0 {}
                libc::_exit(if libc::WIFEXITED(status) {
                    libc::WEXITSTATUS(status)
                } else {
                    103
                });
            }
            if libc::mount(
                std::ptr::null(),
                c"/".as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ) != 0
            {
                fail(2);
            }
            if libc::mount(
                c"proc".as_ptr(),
                c"/proc".as_ptr(),
                c"proc".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                std::ptr::null(),
            ) != 0
            {
                fail(3);
            }
            libc::_exit(0);
        });
    }
    let status = cmd
        .status()
        .map_err(|e| ("process creation", e.to_string()))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(c @ 100..=103) => Err((
            steps[(c - 100) as usize],
            "the probe failed at this step (kernel.unprivileged_userns_clone, \
             user.max_user_namespaces or a container policy may forbid it)"
                .to_string(),
        )),
        other => Err(("namespaces", format!("the probe exited with {other:?}"))),
    }
}

/// `/proc/self/{setgroups,uid_map,gid_map}` contents that map the host's uid and gid to
/// themselves inside the new user namespace.
#[derive(Clone)]
struct IdMaps {
    uid_map: CString,
    gid_map: CString,
}

impl IdMaps {
    fn current() -> Self {
        let uid = rustix::process::getuid().as_raw();
        let gid = rustix::process::getgid().as_raw();
        Self {
            uid_map: CString::new(format!("{uid} {uid} 1")).expect("digits"),
            gid_map: CString::new(format!("{gid} {gid} 1")).expect("digits"),
        }
    }

    /// Between fork and exec: raw calls only.
    fn write(&self) -> bool {
        write_file(c"/proc/self/setgroups", b"deny")
            && write_file(c"/proc/self/uid_map", self.uid_map.as_bytes())
            && write_file(c"/proc/self/gid_map", self.gid_map.as_bytes())
    }
}

fn write_file(path: &std::ffi::CStr, bytes: &[u8]) -> bool {
    // SAFETY: plain system calls on a NUL-terminated path and a valid buffer.
    unsafe {
        let fd = libc::open(path.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return false;
        }
        let n = libc::write(fd, bytes.as_ptr().cast(), bytes.len());
        libc::close(fd);
        n == bytes.len() as isize
    }
}

/// A bind mount made read-only in the sandbox's mount namespace.
struct ReadOnlyBind {
    path: CString,
    /// Flags the kernel requires to be kept on a remount inside a user namespace.
    locked_flags: libc::c_ulong,
}

/// Everything the child needs, ready before the fork.
struct Plan {
    maps: IdMaps,
    unshare_flags: libc::c_int,
    cgroup_procs: Option<OwnedFd>,
    read_only: Vec<ReadOnlyBind>,
    masked_files: Vec<CString>,
    masked_dirs: Vec<CString>,
    loopback_up: bool,
    rlimits: Vec<(libc::__rlimit_resource_t, libc::rlim_t)>,
    landlock: OwnedFd,
    /// Landlock read rights for the sandbox's own `/proc`, granted by init after it mounts it
    /// (a rule made before the fork would name the host's `/proc`, hidden under the new one).
    proc_access: u64,
    seccomp: Vec<BpfProgram>,
}

/// `struct landlock_path_beneath_attr` (packed, as in the kernel's UAPI).
#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// Resolves `confinement` and installs the sandbox on `cmd` (a `pre_exec` hook).
pub(super) fn prepare(
    cmd: &mut std::process::Command,
    confinement: &Confinement,
) -> Result<SandboxGuard, SandboxError> {
    let report = probe()?;
    let abi = ABI::from(report.landlock_abi);
    let landlock = build_ruleset(abi, confinement)?;
    let seccomp = seccomp_programs()?;

    let limits = confinement.limits;
    let mut rlimits = vec![
        (libc::RLIMIT_CPU, limits.cpu_secs),
        (libc::RLIMIT_DATA, limits.memory_bytes),
        (libc::RLIMIT_FSIZE, limits.file_size_bytes),
        (libc::RLIMIT_NOFILE, limits.open_files),
        (libc::RLIMIT_CORE, 0),
    ];
    let (cgroup, cgroup_procs) = match pids_cgroup_root() {
        Some(root) => {
            let (dir, procs) = make_cgroup(&root, limits.processes)?;
            (Some(dir), Some(procs))
        }
        None => {
            rlimits.push((libc::RLIMIT_NPROC, limits.processes));
            (None, None)
        }
    };
    // A limit cannot be raised past the host's own hard limit without privileges.
    for (resource, value) in &mut rlimits {
        let mut cur = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit fills the struct.
        if unsafe { libc::getrlimit(*resource, &mut cur) } == 0 {
            *value = (*value).min(cur.rlim_max);
        }
    }

    let mut unshare_flags = libc::CLONE_NEWUSER
        | libc::CLONE_NEWNS
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWUTS;
    let loopback_up = matches!(confinement.network, Network::None);
    if loopback_up {
        unshare_flags |= libc::CLONE_NEWNET;
    }

    let mut read_only = Vec::new();
    for file in &confinement.read_only_files {
        if file.exists() {
            read_only.push(ReadOnlyBind {
                path: c_path(file)?,
                locked_flags: mount_flags_of(file)?,
            });
        }
    }
    let existing = |list: &[&str], dirs: bool| -> Vec<CString> {
        list.iter()
            .map(Path::new)
            .filter(|p| if dirs { p.is_dir() } else { p.is_file() })
            .filter_map(|p| CString::new(p.as_os_str().as_bytes()).ok())
            .collect()
    };
    let plan = Plan {
        maps: IdMaps::current(),
        unshare_flags,
        cgroup_procs,
        read_only,
        masked_files: existing(MASKED_FILES, false),
        masked_dirs: existing(MASKED_DIRS, true),
        loopback_up,
        rlimits,
        landlock,
        proc_access: AccessFs::from_read(abi).bits(),
        seccomp,
    };
    // SAFETY: `Plan::enter` makes raw system calls only (see the module docs).
    unsafe {
        cmd.pre_exec(move || plan.enter());
    }
    Ok(SandboxGuard { cgroup })
}

fn c_path(path: &Path) -> Result<CString, SandboxError> {
    CString::new(path.as_os_str().as_bytes()).map_err(|_| SandboxError::Setup {
        op: "naming a path",
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "NUL byte in a path"),
    })
}

/// The flags of the mount holding `path` that a bind remount must keep (`nosuid`, `nodev`,
/// `noexec`, atime flags).
fn mount_flags_of(path: &Path) -> Result<libc::c_ulong, SandboxError> {
    let c = c_path(path)?;
    // SAFETY: statvfs fills the zeroed struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
        return Err(SandboxError::Setup {
            op: "reading mount flags",
            source: std::io::Error::last_os_error(),
        });
    }
    let mut flags = 0;
    for (st_flag, ms_flag) in [
        (libc::ST_NOSUID, libc::MS_NOSUID),
        (libc::ST_NODEV, libc::MS_NODEV),
        (libc::ST_NOEXEC, libc::MS_NOEXEC),
        (libc::ST_NOATIME, libc::MS_NOATIME),
        (libc::ST_NODIRATIME, libc::MS_NODIRATIME),
        (libc::ST_RELATIME, libc::MS_RELATIME),
    ] {
        if st.f_flag & st_flag != 0 {
            flags |= ms_flag;
        }
    }
    Ok(flags)
}

fn build_ruleset(abi: ABI, c: &Confinement) -> Result<OwnedFd, SandboxError> {
    let err = |e: landlock::RulesetError| SandboxError::Setup {
        op: "building the Landlock ruleset",
        source: std::io::Error::other(e.to_string()),
    };
    let all = AccessFs::from_all(abi);
    let read = AccessFs::from_read(abi);
    let file_rw = AccessFs::from_file(abi) & !AccessFs::Execute;
    let mut ruleset = Ruleset::default()
        .set_compatibility(CompatLevel::HardRequirement)
        .handle_access(all)
        .map_err(err)?;
    if abi >= ABI::V6 {
        ruleset = ruleset
            .scope(Scope::AbstractUnixSocket | Scope::Signal)
            .map_err(err)?;
    }
    let mut rules: Vec<(&Path, landlock::BitFlags<AccessFs>)> = Vec::new();
    rules.extend(c.read.iter().map(|p| (p.as_path(), read)));
    rules.extend(c.write.iter().map(|p| (p.as_path(), all)));
    rules.extend(
        DEVICE_FILES
            .iter()
            .map(Path::new)
            .map(|p| (p, file_rw | AccessFs::IoctlDev)),
    );
    rules.extend(
        DEVICE_DIRS
            .iter()
            .map(Path::new)
            .map(|p| (p, read | file_rw | AccessFs::IoctlDev)),
    );
    let mut created = ruleset.create().map_err(err)?;
    for (path, access) in rules {
        let Ok(fd) = PathFd::new(path) else {
            continue; // absent on this machine: nothing to grant
        };
        let access = if path.is_dir() {
            access
        } else {
            access & AccessFs::from_file(abi)
        };
        created = created
            .add_rule(PathBeneath::new(fd, access))
            .map_err(err)?;
    }
    let fd: Option<OwnedFd> = created.into();
    fd.ok_or_else(|| SandboxError::Unavailable {
        feature: "Landlock",
        detail: "the kernel gave no ruleset".into(),
    })
}

/// System calls a sandboxed command never needs and that could widen what it reaches.
fn denied_syscalls() -> Vec<i64> {
    vec![
        libc::SYS_mount,
        libc::SYS_umount2,
        libc::SYS_pivot_root,
        libc::SYS_chroot,
        libc::SYS_unshare,
        libc::SYS_setns,
        libc::SYS_ptrace,
        libc::SYS_process_vm_readv,
        libc::SYS_process_vm_writev,
        libc::SYS_kexec_load,
        libc::SYS_kexec_file_load,
        libc::SYS_init_module,
        libc::SYS_finit_module,
        libc::SYS_delete_module,
        libc::SYS_bpf,
        libc::SYS_perf_event_open,
        libc::SYS_keyctl,
        libc::SYS_add_key,
        libc::SYS_request_key,
        libc::SYS_reboot,
        libc::SYS_swapon,
        libc::SYS_swapoff,
        libc::SYS_open_by_handle_at,
        libc::SYS_name_to_handle_at,
        libc::SYS_userfaultfd,
        libc::SYS_io_uring_setup,
        libc::SYS_io_uring_enter,
        libc::SYS_io_uring_register,
        libc::SYS_fsopen,
        libc::SYS_fsmount,
        libc::SYS_fsconfig,
        libc::SYS_move_mount,
        libc::SYS_open_tree,
        libc::SYS_mount_setattr,
        libc::SYS_acct,
        libc::SYS_settimeofday,
        libc::SYS_clock_settime,
        libc::SYS_adjtimex,
        libc::SYS_quotactl,
        libc::SYS_syslog,
        libc::SYS_vhangup,
    ]
}

/// The seccomp programs, compiled once per process (they do not depend on the command).
fn seccomp_programs() -> Result<Vec<BpfProgram>, SandboxError> {
    static PROGRAMS: OnceLock<Result<Vec<BpfProgram>, String>> = OnceLock::new();
    PROGRAMS
        .get_or_init(|| build_seccomp().map_err(|e| e.to_string()))
        .clone()
        .map_err(|detail| SandboxError::Unavailable {
            feature: "seccomp filters",
            detail,
        })
}

fn build_seccomp() -> Result<Vec<BpfProgram>, SandboxError> {
    let err = |e: seccompiler::BackendError| SandboxError::Setup {
        op: "building the seccomp filter",
        source: std::io::Error::other(e.to_string()),
    };
    let arch = std::env::consts::ARCH
        .try_into()
        .map_err(|e: seccompiler::BackendError| SandboxError::Unavailable {
            feature: "seccomp for this architecture",
            detail: e.to_string(),
        })?;
    let mut eperm: std::collections::BTreeMap<i64, Vec<SeccompRule>> =
        denied_syscalls().into_iter().map(|s| (s, vec![])).collect();
    // `clone` asking for new namespaces: refused (plain fork/thread creation passes).
    let ns_flags = (libc::CLONE_NEWUSER
        | libc::CLONE_NEWNS
        | libc::CLONE_NEWPID
        | libc::CLONE_NEWNET
        | libc::CLONE_NEWIPC
        | libc::CLONE_NEWUTS
        | libc::CLONE_NEWCGROUP) as u64;
    let mut clone_rules = Vec::new();
    for flag in [
        libc::CLONE_NEWUSER,
        libc::CLONE_NEWNS,
        libc::CLONE_NEWPID,
        libc::CLONE_NEWNET,
        libc::CLONE_NEWIPC,
        libc::CLONE_NEWUTS,
        libc::CLONE_NEWCGROUP,
    ] {
        let flag = flag as u64;
        debug_assert!(ns_flags & flag != 0);
        clone_rules.push(
            SeccompRule::new(vec![
                SeccompCondition::new(
                    0,
                    SeccompCmpArgLen::Qword,
                    SeccompCmpOp::MaskedEq(flag),
                    flag,
                )
                .map_err(err)?,
            ])
            .map_err(err)?,
        );
    }
    eperm.insert(libc::SYS_clone, clone_rules);
    let first: BpfProgram = SeccompFilter::new(
        eperm,
        SeccompAction::Allow,
        SeccompAction::Errno(libc::EPERM as u32),
        arch,
    )
    .map_err(err)?
    .try_into()
    .map_err(err)?;
    // `clone3` passes its flags in memory, where a filter cannot look: ENOSYS makes libc fall
    // back to `clone`, which the first filter checks.
    let second: BpfProgram = SeccompFilter::new(
        [(libc::SYS_clone3, vec![])].into_iter().collect(),
        SeccompAction::Allow,
        SeccompAction::Errno(libc::ENOSYS as u32),
        arch,
    )
    .map_err(err)?
    .try_into()
    .map_err(err)?;
    Ok(vec![first, second])
}

/// The directory under which sandbox cgroups are made, if this host can make them.
fn pids_cgroup_root() -> Option<PathBuf> {
    static ROOT: OnceLock<Option<PathBuf>> = OnceLock::new();
    ROOT.get_or_init(|| {
        let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        let own = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
        let mut candidates = Vec::new();
        for line in mountinfo.lines() {
            let (_, post) = line.split_once(" - ")?;
            let mut post = post.split(' ');
            let fstype = post.next()?;
            let _source = post.next();
            let super_opts = post.next().unwrap_or("");
            let mount_point = line.split(' ').nth(4)?;
            if fstype == "cgroup" && super_opts.split(',').any(|o| o == "pids") {
                let rel = own
                    .lines()
                    .find_map(|l| {
                        let mut parts = l.splitn(3, ':');
                        let _id = parts.next();
                        let ctrls = parts.next()?;
                        let path = parts.next()?;
                        ctrls.split(',').any(|c| c == "pids").then_some(path)
                    })
                    .unwrap_or("/");
                candidates.push(Path::new(mount_point).join(rel.trim_start_matches('/')));
            } else if fstype == "cgroup2" {
                let rel = own
                    .lines()
                    .find_map(|l| l.strip_prefix("0::"))
                    .unwrap_or("/");
                let base = Path::new(mount_point).join(rel.trim_start_matches('/'));
                let controllers = std::fs::read_to_string(base.join("cgroup.subtree_control"))
                    .unwrap_or_default();
                if controllers.split_whitespace().any(|c| c == "pids") {
                    candidates.push(base);
                }
            }
        }
        candidates.into_iter().find_map(|base| {
            let root = base.join("strive-sandbox");
            if std::fs::create_dir_all(&root).is_err() {
                return None;
            }
            // v2 needs the controller enabled for the children of our directory.
            if root.join("cgroup.subtree_control").exists() {
                let _ = std::fs::write(root.join("cgroup.subtree_control"), "+pids");
            }
            let probe = root.join(format!("probe-{}", std::process::id()));
            let ok = std::fs::create_dir(&probe).is_ok() && probe.join("pids.max").exists();
            let _ = std::fs::remove_dir(&probe);
            ok.then_some(root)
        })
    })
    .clone()
}

/// A fresh cgroup capped at `processes` tasks, and its `cgroup.procs` opened for the child.
fn make_cgroup(root: &Path, processes: u64) -> Result<(PathBuf, OwnedFd), SandboxError> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let setup = |op: &'static str| move |source| SandboxError::Setup { op, source };
    // A killed host leaves its cgroups behind, and a later process can get its PID: a name
    // taken already is tried again under the next number (a stale, empty one is removed).
    let mut tries = 0;
    let dir = loop {
        let dir = root.join(format!(
            "{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        match std::fs::create_dir(&dir) {
            Ok(()) => break dir,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 64 => {
                let _ = std::fs::remove_dir(&dir);
                tries += 1;
            }
            Err(e) => return Err(setup("creating the sandbox cgroup")(e)),
        }
    };
    std::fs::write(dir.join("pids.max"), processes.to_string())
        .map_err(setup("setting pids.max"))?;
    let procs = std::fs::OpenOptions::new()
        .write(true)
        .open(dir.join("cgroup.procs"))
        .map_err(setup("opening cgroup.procs"))?;
    Ok((dir, procs.into()))
}

impl Plan {
    /// Runs in the child between fork and exec. Raw system calls only.
    fn enter(&self) -> std::io::Result<()> {
        // SAFETY: every call below is a plain system call on memory owned by `self`, which
        // outlives the call; nothing allocates.
        unsafe {
            // The supervisor never execs, so it would run the host's signal handlers (a SIGCHLD
            // handler writing to a descriptor it no longer has): restore the defaults.
            for sig in 1..libc::SIGRTMIN() {
                if sig != libc::SIGKILL && sig != libc::SIGSTOP {
                    libc::signal(sig, libc::SIG_DFL);
                }
            }
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            if let Some(fd) = &self.cgroup_procs {
                let mut digits = [0u8; 20];
                let text = format_u32(libc::getpid() as u32, &mut digits);
                if libc::write(fd.as_raw_fd(), text.as_ptr().cast(), text.len()) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
            }
            check(libc::unshare(self.unshare_flags))?;
            if !self.maps.write() {
                return Err(std::io::Error::last_os_error());
            }
            let pid = libc::fork();
            if pid < 0 {
                return Err(std::io::Error::last_os_error());
            }
            if pid > 0 {
                supervise(pid);
            }
            // The init of the new PID namespace.
            check(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            self.mounts()?;
            self.grant_proc()?;
            if self.loopback_up {
                loopback_up();
            }
            for &(resource, value) in &self.rlimits {
                let lim = libc::rlimit {
                    rlim_cur: value,
                    rlim_max: value,
                };
                check(libc::setrlimit(resource, &lim))?;
            }
            drop_capability_bounding_set();
            check(libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))?;
            check(libc::syscall(
                libc::SYS_landlock_restrict_self,
                self.landlock.as_raw_fd(),
                0u32,
            ) as libc::c_int)?;
            for prog in &self.seccomp {
                seccompiler::apply_filter(prog)
                    .map_err(|_| std::io::Error::from_raw_os_error(libc::EPERM))?;
            }
            clear_capabilities()?;
            close_fd(self.landlock.as_raw_fd());
        }
        Ok(())
    }

    /// Adds the read rule for the freshly mounted `/proc` to the (not yet enforced) ruleset.
    unsafe fn grant_proc(&self) -> std::io::Result<()> {
        const LANDLOCK_RULE_PATH_BENEATH: libc::c_int = 1;
        // SAFETY: see `enter`.
        unsafe {
            let fd = libc::open(c"/proc".as_ptr(), libc::O_PATH | libc::O_CLOEXEC);
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let attr = PathBeneathAttr {
                allowed_access: self.proc_access,
                parent_fd: fd,
            };
            let rc = libc::syscall(
                libc::SYS_landlock_add_rule,
                self.landlock.as_raw_fd(),
                LANDLOCK_RULE_PATH_BENEATH,
                &attr as *const PathBeneathAttr,
                0u32,
            );
            libc::close(fd);
            check(rc as libc::c_int)
        }
    }

    unsafe fn mounts(&self) -> std::io::Result<()> {
        let null = std::ptr::null::<libc::c_char>();
        // SAFETY: see `enter`.
        unsafe {
            check(libc::mount(
                null,
                c"/".as_ptr(),
                null,
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ))?;
            check(libc::mount(
                c"proc".as_ptr(),
                c"/proc".as_ptr(),
                c"proc".as_ptr(),
                libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                std::ptr::null(),
            ))?;
            for bind in &self.read_only {
                check(libc::mount(
                    bind.path.as_ptr(),
                    bind.path.as_ptr(),
                    null,
                    libc::MS_BIND,
                    std::ptr::null(),
                ))?;
                check(libc::mount(
                    null,
                    bind.path.as_ptr(),
                    null,
                    libc::MS_BIND | libc::MS_REMOUNT | libc::MS_RDONLY | bind.locked_flags,
                    std::ptr::null(),
                ))?;
            }
            for file in &self.masked_files {
                check(libc::mount(
                    c"/dev/null".as_ptr(),
                    file.as_ptr(),
                    null,
                    libc::MS_BIND,
                    std::ptr::null(),
                ))?;
            }
            for dir in &self.masked_dirs {
                check(libc::mount(
                    c"tmpfs".as_ptr(),
                    dir.as_ptr(),
                    c"tmpfs".as_ptr(),
                    libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                    c"size=4k,mode=0555".as_ptr().cast(),
                ))?;
            }
        }
        Ok(())
    }
}

fn check(rc: libc::c_int) -> std::io::Result<()> {
    if rc < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// The supervisor: drop every descriptor (so the host sees end-of-file when the sandbox's
/// processes are gone and `spawn` returns once init has exec'd), wait for init, exit like it.
fn supervise(init: libc::pid_t) -> ! {
    // SAFETY: raw system calls; this process never returns to Rust code.
    unsafe {
        libc::syscall(libc::SYS_close_range, 0u32, u32::MAX, 0u32);
        let mut status = 0;
        loop {
            let r = libc::waitpid(init, &mut status, 0);
            if r == init {
                break;
            }
            if r < 0 && *libc::__errno_location() != libc::EINTR {
                libc::_exit(127);
            }
        }
        if libc::WIFEXITED(status) {
            libc::_exit(libc::WEXITSTATUS(status));
        }
        let sig = libc::WTERMSIG(status);
        libc::signal(sig, libc::SIG_DFL);
        libc::prctl(libc::PR_SET_PDEATHSIG, 0);
        libc::kill(libc::getpid(), sig);
        libc::_exit(128 + sig);
    }
}

fn close_fd(fd: RawFd) {
    // SAFETY: closing a descriptor this process owns.
    unsafe {
        libc::close(fd);
    }
}

/// Brings up the loopback interface of a fresh network namespace (best effort: tests that
/// listen on 127.0.0.1 need it; failure only means no loopback).
fn loopback_up() {
    // SAFETY: a socket and an ioctl on a zeroed, filled `ifreq`.
    unsafe {
        let sock = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
        if sock < 0 {
            return;
        }
        let mut req: libc::ifreq = std::mem::zeroed();
        req.ifr_name[0] = b'l' as libc::c_char;
        req.ifr_name[1] = b'o' as libc::c_char;
        req.ifr_ifru.ifru_flags = (libc::IFF_UP | libc::IFF_RUNNING) as libc::c_short;
        libc::ioctl(sock, libc::SIOCSIFFLAGS, &req);
        libc::close(sock);
    }
}

fn drop_capability_bounding_set() {
    // SAFETY: prctl with integer arguments; unknown capabilities give EINVAL, ignored.
    unsafe {
        for cap in 0..64 {
            libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0);
        }
        libc::prctl(
            libc::PR_CAP_AMBIENT,
            libc::PR_CAP_AMBIENT_CLEAR_ALL,
            0,
            0,
            0,
        );
        // The command must not regain capabilities by executing as uid 0 of its namespace.
        const SECBIT_NOROOT: libc::c_ulong = 1 << 0;
        const SECBIT_NOROOT_LOCKED: libc::c_ulong = 1 << 1;
        const SECBIT_NO_SETUID_FIXUP: libc::c_ulong = 1 << 2;
        const SECBIT_NO_SETUID_FIXUP_LOCKED: libc::c_ulong = 1 << 3;
        const SECBIT_NO_CAP_AMBIENT_RAISE: libc::c_ulong = 1 << 6;
        const SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED: libc::c_ulong = 1 << 7;
        libc::prctl(
            libc::PR_SET_SECUREBITS,
            SECBIT_NOROOT
                | SECBIT_NOROOT_LOCKED
                | SECBIT_NO_SETUID_FIXUP
                | SECBIT_NO_SETUID_FIXUP_LOCKED
                | SECBIT_NO_CAP_AMBIENT_RAISE
                | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
            0,
            0,
            0,
        );
    }
}

fn clear_capabilities() -> std::io::Result<()> {
    #[repr(C)]
    struct Header {
        version: u32,
        pid: i32,
    }
    #[repr(C)]
    #[derive(Clone, Copy)]
    struct Data {
        effective: u32,
        permitted: u32,
        inheritable: u32,
    }
    const LINUX_CAPABILITY_VERSION_3: u32 = 0x2008_0522;
    let header = Header {
        version: LINUX_CAPABILITY_VERSION_3,
        pid: 0,
    };
    let data = [Data {
        effective: 0,
        permitted: 0,
        inheritable: 0,
    }; 2];
    // SAFETY: capset with a v3 header and two data words, as the ABI defines.
    check(unsafe { libc::syscall(libc::SYS_capset, &header, data.as_ptr()) } as libc::c_int)
}

/// Decimal digits of `n` into `buf`, without allocating.
fn format_u32(mut n: u32, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_without_allocation() {
        let mut buf = [0u8; 20];
        assert_eq!(format_u32(0, &mut buf), b"0");
        assert_eq!(format_u32(4_294_967_295, &mut buf), b"4294967295");
        assert_eq!(format_u32(1203, &mut buf), b"1203");
    }

    #[test]
    fn seccomp_programs_compile() {
        let progs = build_seccomp().expect("filters");
        assert_eq!(progs.len(), 2);
        assert!(progs.iter().all(|p| !p.is_empty()));
    }
}
