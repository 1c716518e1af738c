//! Faults: bad files never stop the build; a build that fails (unwritable folder, full disk) or
//! is interrupted (SIGINT) leaves the previous output complete, and the next build cleans up
//! after it; two builds of the same input are byte-identical.

use crate::hostile_util::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A small good site in `dir`: five seeds, default settings.
fn small_site(dir: &Path) {
    let files: Vec<(String, Vec<u8>)> = (0..5)
        .map(|k| (format!("seed{k}.txt"), seed(k).into_bytes()))
        .collect();
    write_cables(dir, &files);
}

/// The staging folders (`.public.tmp-<pid>`) an interrupted build of `dir/public` left.
pub fn stale_folders(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        // The build cache (`.public.cache`) is meant to stay; its unfinished generations
        // (`.public.cache.tmp-<pid>`) are not.
        .filter(|n| n.starts_with(".public.") && n != ".public.cache")
        .collect()
}

#[test]
fn bad_files_are_reported_once_and_never_stop_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let good: Vec<(String, Vec<u8>)> = (0..5)
        .map(|k| (format!("good{k}.txt"), seed(k).into_bytes()))
        .collect();
    let s1 = seed(1).into_bytes();
    let mut binary: Vec<u8> = (0..=255u8).cycle().take(8192).collect();
    binary[0] = 0x7f;
    let mut bad: Vec<(String, Vec<u8>)> = vec![
        ("empty.txt".into(), Vec::new()),
        ("blank.txt".into(), b"\n \n\t\n".to_vec()),
        ("binary.bin".into(), binary),
        ("png.txt".into(), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec()),
        (
            "prose.txt".into(),
            b"Dear diary, nothing happened today.\n".to_vec(),
        ),
        (
            "html.html".into(),
            b"<html><body><script>alert(1)</script></body></html>".to_vec(),
        ),
        ("truncated-header.txt".into(), s1[..60].to_vec()),
        ("utf16.txt".into(), {
            let mut v = vec![0xff, 0xfe];
            v.extend(
                "Identifier\n07X1\n"
                    .encode_utf16()
                    .flat_map(|u| u.to_le_bytes()),
            );
            v
        }),
    ];
    // A cable cut in the middle of a UTF-8 character and one in Windows-1252 still publish.
    let mut cut = seed(4).into_bytes();
    let at = (1..cut.len()).find(|&i| cut[i] & 0xc0 == 0x80).unwrap();
    cut.truncate(at);
    let latin = seed(1)
        .replace("07USNATO536", "07LATIN1")
        .replace("MISSILE", "MISSIL\u{c9}");
    let latin: Vec<u8> = latin
        .chars()
        .map(|c| {
            if c == '\u{c9}' {
                0xc9
            } else if c == '\u{a0}' {
                0xa0
            } else {
                c as u8
            }
        })
        .collect();
    bad.push(("cut-in-char.txt".into(), cut));
    bad.push(("latin1.txt".into(), latin));
    let mut files = good.clone();
    files.extend(bad.iter().cloned());
    let content = write_cables(dir.path(), &files);
    let cables = content.join("cables");
    // A folder named like a file, a dangling link, a FIFO (reading it would hang the build).
    std::fs::create_dir_all(cables.join("folder.txt")).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(cables.join("nowhere.txt"), cables.join("dangling.txt"))
            .unwrap();
        let fifo = std::ffi::CString::new(cables.join("fifo.txt").to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    }

    let started = Instant::now();
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(started.elapsed() < Duration::from_secs(60), "hung?");
    // Seeds 0–4, the cut and Windows-1252 cables, and two files with just enough of a header
    // table to be cables (with warnings).
    assert!(err.contains("built 9 cables"), "{err}");
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(": error: ") || l.contains(": warning: "))
        .collect();
    for name in [
        "empty.txt",
        "blank.txt",
        "binary.bin",
        "png.txt",
        "prose.txt",
        "html.html",
        "dangling.txt",
    ] {
        let named: Vec<&&str> = lines
            .iter()
            .filter(|l| l.starts_with(&format!("content/cables/{name}:")))
            .collect();
        assert!(!named.is_empty(), "{name} not reported:\n{err}");
        let errors = named.iter().filter(|l| l.contains(": error: ")).count();
        assert_eq!(
            errors, 1,
            "{name} reported {errors} times as an error:\n{err}"
        );
    }
    for name in ["truncated-header.txt", "utf16.txt", "fifo.txt"] {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("content/cables/{name}"))
                    && l.contains(": warning: ")),
            "{name} not reported:\n{err}"
        );
    }
    let mut sorted = lines.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), lines.len(), "a problem printed twice:\n{err}");

    // `check` says the same; `--strict` fails the build but still writes it.
    assert_eq!(build(dir.path(), &["--strict"]).status.code(), Some(1));
    assert!(dir.path().join("public/index.html").exists());
}

#[test]
fn a_folder_of_only_bad_files_fails_and_lists_each_file() {
    let dir = tempfile::tempdir().unwrap();
    let files: Vec<(String, Vec<u8>)> = (0..50)
        .map(|k| {
            (
                format!("{k:03}.txt"),
                if k % 2 == 0 { Vec::new() } else { vec![0; 64] },
            )
        })
        .collect();
    write_cables(dir.path(), &files);
    let out = build(dir.path(), &[]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("nothing to build"), "{err}");
    for k in 0..50 {
        assert_eq!(
            err.matches(&format!("content/cables/{k:03}.txt: error:"))
                .count(),
            1,
            "{err}"
        );
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn an_output_whose_parent_is_a_file_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    std::fs::write(dir.path().join("blocker"), "a file, not a folder").unwrap();
    let out = build(dir.path(), &["--output", "blocker/public"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error: ") && err.contains("blocker"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blocker")).unwrap(),
        "a file, not a folder"
    );
    // An output path that is itself a file: the file is not replaced by a half site.
    std::fs::write(dir.path().join("public"), "keep me").unwrap();
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("public")).unwrap(),
        "keep me"
    );
    // An output folder that a build did not write (here: the content itself) is not replaced.
    let cables = tree(&dir.path().join("content"));
    let out = build(dir.path(), &["--output", "content"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("which a build would delete"), "{err}");
    assert_eq!(tree(&dir.path().join("content")), cables);
    assert!(
        stale_folders(dir.path()).is_empty(),
        "{:?}",
        stale_folders(dir.path())
    );
}

/// A user without write permission on the output's folder (root ignores permissions, so the
/// build runs as `nobody` through `setpriv` when that is possible).
#[cfg(unix)]
#[test]
#[ignore = "needs root and setpriv (util-linux); scripts/test.sh runs it as root"]
fn as_root_a_read_only_output_folder_leaves_the_previous_site() {
    use std::os::unix::fs::PermissionsExt;
    let root = unsafe { libc::geteuid() } == 0;
    assert!(root, "this test runs the build as `nobody`: run it as root");
    let setpriv = Command::new("setpriv").arg("--version").output().is_ok();
    assert!(setpriv, "this test needs setpriv: install util-linux");
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    small_site(dir.path());
    let site = dir.path().join("site");
    std::fs::create_dir(&site).unwrap();
    let first = archive(dir.path(), &["build", "--output", "site/public"]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&site.join("public"));
    // Everything readable, nothing writable by others.
    for entry in walkdir::WalkDir::new(dir.path()) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_archive"))
        .args(["build", "--output", "site/public"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("Permission denied"), "{err}");
    assert_eq!(tree(&site.join("public")), before);
    assert!(stale_folders(&site).is_empty());
}

/// A full disk: the child may write no file bigger than 16 KB (`RLIMIT_FSIZE`; writes fail with
/// EFBIG, the same path as ENOSPC). The previous output stays whole; the next build works.
#[cfg(unix)]
#[test]
fn a_full_disk_leaves_the_previous_site() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let first = build(dir.path(), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&dir.path().join("public"));
    let mut command = Command::new(env!("CARGO_BIN_EXE_archive"));
    command.arg("build").current_dir(dir.path());
    unsafe {
        command.pre_exec(|| {
            // Writing past the limit raises SIGXFSZ, which kills by default; ignored, the write
            // returns EFBIG instead, as a full disk returns ENOSPC.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 16 * 1024,
                rlim_max: 16 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let out = command.output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: ") && err.contains("too large"),
        "{err}"
    );
    assert_eq!(tree(&dir.path().join("public")), before);
    assert!(
        stale_folders(dir.path()).is_empty(),
        "{:?}",
        stale_folders(dir.path())
    );
    assert!(build(dir.path(), &[]).status.success());
}

/// A tiny tmpfs really fills up (ENOSPC), when this sandbox lets us mount one (in a private
/// mount namespace, so nothing outlives the test).
#[cfg(unix)]
#[test]
#[ignore = "needs root and unshare (util-linux) to mount a tmpfs; scripts/test.sh runs it as root"]
fn as_root_a_really_full_tmpfs_leaves_the_previous_site() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let bin = env!("CARGO_BIN_EXE_archive");
    let script = format!(
        r#"set -e
mount -t tmpfs -o size=1m tmpfs mnt
"{bin}" build --quiet --output mnt/public
find mnt/public -type f | sort | xargs md5sum > before.txt
avail=$(df --output=avail -B1 mnt | tail -1)
head -c $((avail - 40000)) /dev/zero > mnt/filler
if "{bin}" build --quiet --output mnt/public 2> err.txt; then echo "second build succeeded"; exit 3; fi
find mnt/public -type f | sort | xargs md5sum > after.txt
ls -a mnt > left.txt
"#
    );
    std::fs::create_dir(dir.path().join("mnt")).unwrap();
    let out = Command::new("unshare")
        .args(["-m", "sh", "-c", &script])
        .current_dir(dir.path())
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) => panic!(
            "the tmpfs could not be mounted or the script failed (this test needs root and \
             `unshare -m`):\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            stderr(&o)
        ),
        Err(e) => panic!("this test needs unshare: install util-linux ({e})"),
    };
    let _ = out;
    let read = |n: &str| std::fs::read_to_string(dir.path().join(n)).unwrap();
    assert!(
        read("err.txt").contains("No space left"),
        "{}",
        read("err.txt")
    );
    assert!(read("before.txt").lines().count() > 20);
    assert_eq!(read("before.txt"), read("after.txt"));
    assert_eq!(
        read("left.txt").split_whitespace().collect::<Vec<_>>(),
        // The build cache of the first build stays; the failed build's generation does not.
        [".", "..", ".public.cache", "filler", "public"]
    );
}

/// Ctrl-C in the middle of a build: the previous output is untouched, and the temporary folder
/// the killed build left is removed by the next build.
#[cfg(unix)]
#[test]
fn an_interrupted_build_leaves_the_previous_site_and_is_cleaned_up() {
    use std::os::unix::process::CommandExt;
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let first = build(dir.path(), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&dir.path().join("public"));

    // A second content folder big enough to take a while.
    let big = tempfile::tempdir().unwrap();
    let big_content = generated(big.path(), 600, 3);
    let mut interrupted = 0;
    // The signal is sent once the build is writing pages into its staging folder, then a
    // little later each time: a fixed delay from the start raced the build (a faster build
    // finished before the first signal and the test saw no interruption at all).
    for delay in [0u64, 20, 80] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_archive"));
        command
            .args(["build", "--quiet", "--content"])
            .arg(&big_content)
            .current_dir(dir.path())
            .stderr(Stdio::null());
        // A shell runs background jobs with SIGINT ignored, and the child would inherit
        // that (the suite run as `bash scripts/test.sh &` then saw no build interrupted):
        // the build gets Ctrl-C's default action, as at a terminal.
        // SAFETY: between fork and exec only `signal`, which is async-signal-safe.
        unsafe {
            command.pre_exec(|| {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
                Ok(())
            });
        }
        let mut child = command.spawn().unwrap();
        let staging = dir.path().join(format!(".public.tmp-{}/cable", child.id()));
        let waiting = std::time::Instant::now();
        while !staging.exists()
            && child.try_wait().unwrap().is_none()
            && waiting.elapsed() < Duration::from_secs(60)
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(Duration::from_millis(delay));
        // Only a child not yet reaped: until `wait` collects it, its pid stays its own (a
        // reaped child's pid may already be another process's).
        if child.try_wait().unwrap().is_none() {
            unsafe {
                libc::kill(child.id() as i32, libc::SIGINT);
            }
        }
        let status = child.wait().unwrap();
        if status.success() {
            // Finished before the signal: then the output is the new, complete site.
            assert!(dir.path().join("public/index.html").exists());
            break;
        }
        interrupted += 1;
        let now = tree(&dir.path().join("public"));
        if now != before {
            // The signal came after the new site was swapped in (the build was deleting the
            // old one): then the output is the new site, whole, as a finished build makes it.
            let reference = tempfile::tempdir().unwrap();
            let built = Command::new(env!("CARGO_BIN_EXE_archive"))
                .args(["build", "--quiet", "--content"])
                .arg(&big_content)
                .arg("--output")
                .arg(reference.path().join("public"))
                .current_dir(dir.path())
                .status()
                .unwrap();
            assert!(built.success());
            assert!(
                now == tree(&reference.path().join("public")),
                "after {delay} ms the output is neither the previous site nor the new one"
            );
            break;
        }
    }
    assert!(interrupted > 0, "the build was never interrupted");
    // What the killed builds left behind (if anything) goes with the next build.
    let fake_dead = dir.path().join(".public.tmp-4194999");
    std::fs::create_dir_all(fake_dead.join("cable")).unwrap();
    std::fs::write(fake_dead.join("cable/x.html"), "half").unwrap();
    let again = build(dir.path(), &[]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stale_folders(dir.path()).is_empty(),
        "{:?}",
        stale_folders(dir.path())
    );
    assert_eq!(tree(&dir.path().join("public")), before);
}

/// A build killed between its two renames leaves the previous output as `.public.old-<pid>`
/// and no `public`: the next build puts it back before anything else, so even when that build
/// fails the previous site is where it was.
#[test]
fn a_build_killed_between_its_renames_is_repaired() {
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    assert!(build(dir.path(), &[]).status.success());
    let before = tree(&dir.path().join("public"));
    std::fs::rename(
        dir.path().join("public"),
        dir.path().join(".public.old-4194998"),
    )
    .unwrap();
    std::fs::create_dir_all(dir.path().join(".public.tmp-4194998/cable")).unwrap();
    // This build fails while rendering cable pages (a broken template of the site).
    std::fs::create_dir_all(dir.path().join("templates")).unwrap();
    std::fs::write(
        dir.path().join("templates/cable.html"),
        "{{ c.nothing.here }}",
    )
    .unwrap();
    let out = build(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(tree(&dir.path().join("public")), before);
    assert!(
        stale_folders(dir.path()).is_empty(),
        "{:?}",
        stale_folders(dir.path())
    );
}

/// Two builds of the same input are byte-identical, whatever the thread count, the output
/// folder's name, or the files' modification times.
#[test]
fn builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let content = generated(dir.path(), 120, 11);
    for k in 0..5 {
        std::fs::write(content.join(format!("cables/seed{k}.txt")), seed(k)).unwrap();
    }
    std::fs::create_dir_all(content.join("pages")).unwrap();
    std::fs::copy(
        repo().join("content/pages/about.md"),
        content.join("pages/about.md"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "base_url = \"https://example.org/\"\nraw_text = true\npage_size = 7\n",
    )
    .unwrap();
    let run = |out: &str, threads: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_archive"))
            .args(["build", "--quiet", "--output", out])
            .env("RAYON_NUM_THREADS", threads)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        tree(&dir.path().join(out))
    };
    let one = run("one", "1");
    // Touch every input: times must not reach the output.
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let f = std::fs::File::options()
                .append(true)
                .open(entry.path())
                .unwrap();
            f.set_modified(std::time::SystemTime::now() + Duration::from_secs(3600))
                .unwrap();
        }
    }
    let two = run("two", "4");
    assert!(one.len() > 150);
    let differ: Vec<&String> = one
        .iter()
        .filter(|(p, b)| two.get(*p) != Some(*b))
        .map(|(p, _)| p)
        .collect();
    assert!(differ.is_empty(), "{differ:?}");
    assert_eq!(
        one.keys().collect::<Vec<_>>(),
        two.keys().collect::<Vec<_>>()
    );
    let _: BTreeMap<_, _> = one;
}

/// An old output that cannot be deleted after the swap (here a file made immutable with
/// `chattr +i`, which only root may do) does not fail a build whose new site is in place: the
/// build succeeds with a warning naming the folder left behind, and the next build removes it.
#[cfg(unix)]
#[test]
#[ignore = "needs root and chattr (e2fsprogs); scripts/test.sh runs it as root"]
fn as_root_an_old_output_that_cannot_be_deleted_is_a_warning_not_a_failure() {
    let root = unsafe { libc::geteuid() } == 0;
    assert!(
        root,
        "this test makes a file immutable with chattr +i: run it as root"
    );
    let dir = tempfile::tempdir().unwrap();
    small_site(dir.path());
    let first = build(dir.path(), &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let stuck = dir.path().join("public/index.html");
    let chattr = |flag: &str| {
        let out = Command::new("chattr").arg(flag).arg(&stuck).output();
        let out = out.expect("this test needs chattr: install e2fsprogs");
        assert!(out.status.success(), "chattr {flag}: {}", stderr(&out));
    };
    chattr("+i");
    // Another cable, so that the new site differs from the old one.
    write_cables(
        dir.path(),
        &[(
            "another.txt".into(),
            table_cable("09PARIS99", "Embassy Paris", "Another cable").into_bytes(),
        )],
    );
    let second = build(dir.path(), &[]);
    let err = stderr(&second);
    let left: Vec<String> = stale_folders(dir.path());
    // Undo before asserting, so that the temporary folder can be removed whatever happens.
    let old = left.iter().find(|n| n.starts_with(".public.old-")).cloned();
    if let Some(old) = &old {
        let moved = dir.path().join(old).join("index.html");
        let _ = Command::new("chattr").arg("-i").arg(&moved).output();
    }
    let _ = Command::new("chattr").arg("-i").arg(&stuck).output();
    assert!(second.status.success(), "{err}");
    let old = old.unwrap_or_else(|| panic!("no .public.old- folder left: {left:?}\n{err}"));
    assert!(
        err.contains("could not be deleted") && err.contains(&old),
        "the warning names the folder left behind: {err}"
    );
    let new_index = std::fs::read(dir.path().join("public/index.html")).unwrap();
    let old_index = std::fs::read(dir.path().join(&old).join("index.html")).unwrap();
    assert_ne!(new_index, old_index, "the new site is in place");
    let third = build(dir.path(), &[]);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        stale_folders(dir.path()).is_empty(),
        "{:?}",
        stale_folders(dir.path())
    );
}
