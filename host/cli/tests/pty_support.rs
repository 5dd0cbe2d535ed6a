//! `strive` on a real pseudo-terminal: stdin, stdout and stderr are the terminal's slave side,
//! the process leads its own session with the terminal as its controlling tty — as at a
//! person's shell — so prompts, colour and progress spinners behave as they do for people.
//! The terminal's echo is off: what the test types is not part of what it sees.
//!
//! Built on libc's POSIX pty calls (`posix_openpt`, `grantpt`, `unlockpt`, `ptsname_r`)
//! rather than a pty crate: every pty crate pulls `nix` or new `rustix` features, which
//! changes the feature set of `libc`/`rustix` for the whole workspace and rebuilds wasmtime.

use std::ffi::CStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How long one expectation may wait (a cold precompile of a component takes a while in CI).
const TIMEOUT: Duration = Duration::from_secs(120);

/// What the terminal showed so far, and whether the slave side is closed (the process ended).
#[derive(Default)]
struct Screen {
    bytes: Vec<u8>,
    closed: bool,
}

/// A process on a pseudo-terminal, and everything the terminal showed.
pub struct Tty {
    child: Child,
    master: File,
    screen: Arc<(Mutex<Screen>, Condvar)>,
    /// How much of the screen earlier expectations consumed.
    seen: usize,
}

fn check(rc: libc::c_int, what: &str) {
    assert!(
        rc >= 0,
        "{what} failed: {}",
        std::io::Error::last_os_error()
    );
}

/// Start `cmd` on a fresh pseudo-terminal (80×24, echo off).
pub fn spawn(mut cmd: Command) -> Tty {
    // SAFETY: plain POSIX calls on a descriptor this function owns; results are checked.
    let (master, slave) = unsafe {
        let fd = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC);
        check(fd, "posix_openpt");
        let master = OwnedFd::from_raw_fd(fd);
        check(libc::grantpt(fd), "grantpt");
        check(libc::unlockpt(fd), "unlockpt");
        let mut name = [0 as libc::c_char; 128];
        check(
            libc::ptsname_r(fd, name.as_mut_ptr(), name.len()),
            "ptsname_r",
        );
        let slave = libc::open(
            CStr::from_ptr(name.as_ptr()).as_ptr(),
            libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC,
        );
        check(slave, "open the pty slave");
        let slave = OwnedFd::from_raw_fd(slave);
        let mut attrs: libc::termios = std::mem::zeroed();
        check(libc::tcgetattr(slave.as_raw_fd(), &mut attrs), "tcgetattr");
        attrs.c_lflag &= !(libc::ECHO | libc::ECHONL);
        check(
            libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &attrs),
            "tcsetattr",
        );
        let size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        check(
            libc::ioctl(
                slave.as_raw_fd(),
                libc::TIOCSWINSZ,
                &size as *const libc::winsize,
            ),
            "TIOCSWINSZ",
        );
        (File::from(master), slave)
    };
    let io = |fd: &OwnedFd| Stdio::from(fd.try_clone().expect("dup the pty slave"));
    cmd.stdin(io(&slave)).stdout(io(&slave)).stderr(io(&slave));
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let what = format!("{cmd:?}");
    let child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what} on a pty: {e}"));
    // Only the child holds the slave now: its exit closes the terminal and ends the reader.
    drop(slave);
    drop(cmd);
    let screen = Arc::new((Mutex::new(Screen::default()), Condvar::new()));
    let reader = master.try_clone().expect("dup the pty master");
    let sink = screen.clone();
    std::thread::spawn(move || {
        let mut reader = reader;
        let mut buf = [0u8; 4096];
        loop {
            // EIO once the slave side is closed everywhere: the process ended.
            let n = reader.read(&mut buf).unwrap_or(0);
            let (lock, cvar) = &*sink;
            let mut screen = lock.lock().unwrap();
            if n == 0 {
                screen.closed = true;
                cvar.notify_all();
                return;
            }
            screen.bytes.extend_from_slice(&buf[..n]);
            cvar.notify_all();
        }
    });
    Tty {
        child,
        master,
        screen,
        seen: 0,
    }
}

impl Tty {
    /// Wait until the terminal shows `needle` after what earlier expectations matched; panics
    /// with everything shown if it never does.
    pub fn expect(&mut self, needle: &str) {
        let deadline = Instant::now() + TIMEOUT;
        let (lock, cvar) = &*self.screen;
        let mut screen = lock.lock().unwrap();
        loop {
            let found = screen.bytes[self.seen..]
                .windows(needle.len())
                .position(|w| w == needle.as_bytes());
            if let Some(at) = found {
                self.seen += at + needle.len();
                return;
            }
            let now = Instant::now();
            assert!(
                !screen.closed && now < deadline,
                "the terminal never showed {needle:?} ({}); it showed:\n{}",
                if screen.closed {
                    "the process ended"
                } else {
                    "timed out"
                },
                String::from_utf8_lossy(&screen.bytes)
            );
            screen = cvar.wait_timeout(screen, deadline - now).unwrap().0;
        }
    }

    /// Type `line` and Enter.
    pub fn type_line(&mut self, line: &str) {
        self.master
            .write_all(format!("{line}\n").as_bytes())
            .expect("typing at the pty");
    }

    /// Type Ctrl-D (end of input at the start of a line).
    pub fn type_eof(&mut self) {
        self.master.write_all(&[4]).expect("typing Ctrl-D");
    }

    /// Wait for the process to end: (exit code, everything the terminal showed).
    pub fn finish(mut self) -> (Option<i32>, String) {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("waiting for the child") {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "the process did not end in {TIMEOUT:?}; it showed:\n{}",
                    self.shown()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        // The last output is read once the terminal reports the slave closed.
        let (lock, cvar) = &*self.screen;
        let mut screen = lock.lock().unwrap();
        while !screen.closed && Instant::now() < deadline {
            screen = cvar
                .wait_timeout(screen, Duration::from_millis(200))
                .unwrap()
                .0;
        }
        drop(screen);
        (status.code(), self.shown())
    }

    fn shown(&self) -> String {
        String::from_utf8_lossy(&self.screen.0.lock().unwrap().bytes).into_owned()
    }
}
