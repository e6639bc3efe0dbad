//! Programs the tests drive that come from the operating system, not from a registry of
//! Rust or JavaScript packages: Chromium with its ChromeDriver, and `redis-server`.
//!
//! Each is found first through its environment variable, then under its usual names on PATH.
//! A missing one is installed with apt-get on Debian when this user may (root); anywhere else
//! the command stops and names what to install.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run_checked;

/// A program found (or installed) for the tests.
struct Wanted {
    /// What the message calls it.
    what: &'static str,
    /// The environment variable that names it, checked first.
    env: &'static str,
    /// Its usual names on PATH, in order of preference.
    names: &'static [&'static str],
    /// Debian's packages that bring it.
    debian: &'static [&'static str],
}

const CHROMIUM: Wanted = Wanted {
    what: "Chromium (or Chrome)",
    env: "CHROMIUM_PATH",
    names: &[
        "chromium",
        "chromium-browser",
        "google-chrome-stable",
        "google-chrome",
    ],
    debian: &["chromium", "chromium-driver"],
};

const CHROMEDRIVER: Wanted = Wanted {
    what: "ChromeDriver (the same version as the browser)",
    env: "CHROMEDRIVER",
    names: &["chromedriver"],
    debian: &["chromium", "chromium-driver"],
};

const REDIS: Wanted = Wanted {
    what: "Redis (redis-server)",
    env: "REDIS_SERVER",
    names: &["redis-server"],
    debian: &["redis-server"],
};

/// The browser and its driver.
pub struct Browser {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

/// Chromium and ChromeDriver, installed on Debian when missing.
pub fn browser() -> Result<Browser, String> {
    Ok(Browser {
        chromium: ensure(&CHROMIUM)?,
        chromedriver: ensure(&CHROMEDRIVER)?,
    })
}

/// `redis-server`, installed on Debian when missing.
pub fn redis_server() -> Result<PathBuf, String> {
    ensure(&REDIS)
}

fn ensure(wanted: &Wanted) -> Result<PathBuf, String> {
    if let Some(found) = find(wanted, std::env::var_os("PATH").as_deref())? {
        return Ok(found);
    }
    if !is_debian() || !is_root() {
        return Err(format!(
            "{} is needed and was not found (set {} or put one of `{}` on PATH).\n\
             On Debian or Ubuntu: sudo apt-get install -y {}",
            wanted.what,
            wanted.env,
            wanted.names.join("`, `"),
            wanted.debian.join(" ")
        ));
    }
    println!(
        "==> installing {} from Debian (apt-get)",
        wanted.debian.join(" ")
    );
    apt_install(wanted.debian)?;
    find(wanted, std::env::var_os("PATH").as_deref())?.ok_or_else(|| {
        format!(
            "{} is still missing after installing {}",
            wanted.what,
            wanted.debian.join(" ")
        )
    })
}

/// The program named by its variable (which must exist when set), else the first of its
/// names on `path`.
fn find(wanted: &Wanted, path: Option<&std::ffi::OsStr>) -> Result<Option<PathBuf>, String> {
    if let Some(named) = std::env::var_os(wanted.env).filter(|v| !v.is_empty()) {
        let named = PathBuf::from(named);
        return if named.is_file() {
            Ok(Some(named))
        } else {
            Err(format!("{}={} names no file", wanted.env, named.display()))
        };
    }
    Ok(on_path(wanted.names, path))
}

/// The first of `names` found in the directories of `path`.
fn on_path(names: &[&str], path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let dirs: Vec<PathBuf> = path
        .map(std::env::split_paths)
        .into_iter()
        .flatten()
        .collect();
    names.iter().find_map(|name| {
        dirs.iter()
            .map(|dir| dir.join(crate::exe(name)))
            .find(|candidate| is_executable(candidate))
    })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

fn is_debian() -> bool {
    Path::new("/etc/debian_version").exists() && Path::new("/usr/bin/apt-get").exists()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Installs without removing anything the machine has.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    run_checked(Command::new("apt-get").args(["update", "-qq"]))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-remove"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn finds_the_first_usual_name_on_path_and_skips_what_cannot_run() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempdir();
        let write = |name: &str, mode: u32| {
            let path = dir.join(name);
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            path
        };
        write("chromium", 0o644);
        let chrome = write("google-chrome", 0o755);
        let path = std::env::join_paths([dir.join("missing"), dir.clone()]).unwrap();
        assert_eq!(
            on_path(CHROMIUM.names, Some(&path)),
            Some(chrome),
            "chromium there is not executable: the next name is taken"
        );
        assert_eq!(on_path(REDIS.names, Some(&path)), None);
        assert_eq!(on_path(REDIS.names, None), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-system-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
