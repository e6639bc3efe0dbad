//! Installs the tools the project needs, from registries only (crates.io, npm, Debian), and
//! skips each one already present at the right version. Nothing is downloaded from elsewhere:
//! trunk runs `offline` with wasm-bindgen and wasm-opt found on PATH.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run_checked;

/// trunk 0.22 needs a newer rustc than the machines have.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Must match `[tools] wasm_opt` in Trunk.toml; Debian's binaryen is far older and breaks the wasm.
pub const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where the tools live once installed.
pub struct Tools {
    /// PATH with `node_modules/.bin` and cargo's bin directory in front.
    pub path: OsString,
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Tools {
    /// A command that sees the project's tools first on PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }
}

/// Everything a release build of the SPA needs.
pub fn ensure_build_tools(root: &Path) -> Result<Tools, String> {
    ensure_wasm_target()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    let bindgen = wasm_bindgen_version(root)?;
    // wasm-bindgen-cli's own lockfile pins a crate the registry lacks: no --locked.
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &bindgen, false)?;
    ensure_npm_packages(root)?;
    let tools = Tools {
        path: tool_path(root)?,
        chromium: PathBuf::from("/usr/bin/chromium"),
        chromedriver: PathBuf::from("/usr/bin/chromedriver"),
    };
    check_wasm_opt(&tools)?;
    Ok(tools)
}

/// Build tools plus the browsers the tests drive.
pub fn ensure_all(root: &Path, verbose: bool) -> Result<Tools, String> {
    let tools = ensure_build_tools(root)?;
    ensure_chromium(&tools)?;
    // Installed here when it can be; where it cannot, the end-to-end layer (which builds with
    // it) says why, and the other layers still run.
    size_toolchain(root, false)?;
    if verbose {
        println!("all tools present");
    }
    Ok(tools)
}

fn cargo_bin_dir() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
        .join("bin")
}

fn tool_path(root: &Path) -> Result<OsString, String> {
    let mut dirs = vec![root.join("node_modules").join(".bin"), cargo_bin_dir()];
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))
}

/// The first line a program prints for `--version`, if it runs at all.
fn version_line(program: &Path, arg: &str) -> Option<String> {
    let out = Command::new(program).arg(arg).output().ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout)
        .ok()?
        .lines()
        .next()
        .map(|line| line.trim().to_owned())
}

fn ensure_wasm_target() -> Result<(), String> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|e| format!("rustup is needed to add the {WASM_TARGET} target: {e}"))?;
    if String::from_utf8_lossy(&out.stdout)
        .lines()
        .any(|t| t.trim() == WASM_TARGET)
    {
        return Ok(());
    }
    println!("==> installing the Rust target {WASM_TARGET}");
    run_checked(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// `cargo install <krate> --version <version>` unless `<bin> --version` already reports it.
fn ensure_cargo_tool(krate: &str, bin: &str, version: &str, locked: bool) -> Result<(), String> {
    let installed = cargo_bin_dir().join(crate::exe(bin));
    if let Some(line) = version_line(&installed, "--version") {
        if line.split_whitespace().nth(1) == Some(version) {
            return Ok(());
        }
        println!("==> {bin} reports `{line}`, the project needs {version}");
    }
    println!("==> installing {krate} {version} from crates.io (a few minutes, once)");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["install", krate, "--version", version]);
    if locked {
        cmd.arg("--locked");
    }
    run_checked(&mut cmd)
}

/// crates.io's `wasm_split_cli_support`, whose `wasm-split-cli` splits the release wasm
/// (tools/split-link.sh). The tool prints no version, so cargo's record of what it installed
/// says which one is there.
pub const SPLIT_TOOL_VERSION: &str = "0.2.4";

fn ensure_split_tool() -> Result<(), String> {
    let krate = "wasm_split_cli_support";
    let record = cargo_bin_dir().with_file_name(".crates.toml");
    let installed = std::fs::read_to_string(&record)
        .is_ok_and(|text| text.contains(&format!("\"{krate} {SPLIT_TOOL_VERSION} ")))
        && cargo_bin_dir().join(crate::exe("wasm-split-cli")).exists();
    if installed {
        return Ok(());
    }
    println!("==> installing {krate} {SPLIT_TOOL_VERSION} from crates.io (a few minutes, once)");
    run_checked(Command::new(env!("CARGO")).args([
        "install",
        krate,
        "--version",
        SPLIT_TOOL_VERSION,
        "--features",
        "build-binary",
        "--locked",
    ]))
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_owned());
            }
        }
    }
    Err("Cargo.lock has no wasm-bindgen package".to_owned())
}

/// `npm ci` when node_modules is missing or older than package-lock.json.
fn ensure_npm_packages(root: &Path) -> Result<(), String> {
    let lock = root.join("package-lock.json");
    let installed = root.join("node_modules").join(".package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&lock), modified(&installed)) {
        (Some(want), Some(have)) if have >= want => return Ok(()),
        (None, _) => return Err("package-lock.json is missing".to_owned()),
        _ => {}
    }
    println!(
        "==> installing npm packages (npm ci: persona SDK, binaryen, terser, Playwright, axe-core)"
    );
    run_checked(
        Command::new("npm")
            .current_dir(root)
            .args(["ci", "--no-audit", "--no-fund"])
            // Playwright drives Debian's Chromium; it must never fetch a browser of its own.
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

fn check_wasm_opt(tools: &Tools) -> Result<(), String> {
    let out = tools
        .command("wasm-opt")
        .arg("--version")
        .output()
        .map_err(|e| format!("wasm-opt (npm binaryen) did not start: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if text.contains(&format!("version_{BINARYEN_VERSION}")) {
        Ok(())
    } else {
        Err(format!(
            "wasm-opt must be binaryen {BINARYEN_VERSION} from npm (node_modules/.bin), found `{}`",
            text.trim()
        ))
    }
}

fn ensure_chromium(tools: &Tools) -> Result<(), String> {
    if tools.chromium.exists() && tools.chromedriver.exists() {
        return Ok(());
    }
    if !is_root() {
        return Err(
            "Chromium and ChromeDriver are missing and this user cannot run apt-get.\n\
             Install them once with: sudo apt-get install -y chromium chromium-driver"
                .to_owned(),
        );
    }
    println!("==> installing chromium and chromium-driver from Debian (apt-get)");
    apt_install(&["chromium", "chromium-driver"])
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Debian's Rust toolchain, with its standard library's sources (`rust-web-src`). The rustup
/// toolchain has no `rust-src` here and cannot get one (registries only), so it cannot rebuild
/// std; this one can, and the release wasm is rebuilt with std compiled for size and panics
/// that abort at once without formatting a message: about 16 KB gzip less (measured, 10%).
const SIZE_PACKAGES: [&str; 3] = ["rustc-web", "cargo-web", "rust-web-src"];
const SIZE_RUSTC: &str = "/usr/bin/rustc";
const SIZE_CARGO: &str = "/usr/bin/cargo";
const SIZE_STD_SOURCES: &str = "/usr/lib/rustlib/src/rust/library/std/Cargo.toml";
/// What the release wasm is compiled with, on top of the release profile:
/// - `erase_components`, as in `.cargo/config.toml` (cargo appends this setting to that
///   file's; repeated so the build does not depend on how the two are merged);
/// - panics abort at once: no message formatting, no location strings;
/// - `Debug` impls print nothing (the app never shows or sends one; only tests read them, and
///   tests do not use this build);
/// - `kyc_split`: the later screens go in a second wasm module, fetched after the first screen
///   (src/ui/later.rs); the linker keeps its relocations for the split (tools/split-link.sh).
const SIZE_RUSTFLAGS: &str = "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort \
                              -Zlocation-detail=none -Zfmt-debug=none \
                              --cfg kyc_split -Clink-arg=--emit-relocs";

/// Where tools/split-link.sh leaves the second wasm module and its loader for the post-build
/// hook to put in dist/.
pub fn split_dir(root: &Path) -> PathBuf {
    crate::target_dir(root).join("size").join("split")
}

/// The toolchain the release wasm is built with when it is present (see [`SIZE_PACKAGES`]).
pub struct SizeToolchain {
    /// A directory whose `cargo` is Debian's, to put first on trunk's PATH (trunk runs `cargo`).
    shim: PathBuf,
    /// `wasm-ld` of the LLVM that Debian's rustc uses.
    linker: PathBuf,
}

impl SizeToolchain {
    /// Makes a `trunk build` compile with this toolchain: its own target directory (the two
    /// toolchains' artifacts never overwrite each other), std rebuilt from source.
    /// `RUSTC_BOOTSTRAP` lets this stable toolchain accept the unstable flags: they only change
    /// how the wasm is compiled, never what the code means.
    pub fn apply(&self, cmd: &mut Command, root: &Path, path: &OsString) -> Result<(), String> {
        self.fetch_std(root)?;
        let mut dirs = vec![self.shim.clone()];
        dirs.extend(std::env::split_paths(path));
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        // `CARGO` too: trunk asks `cargo metadata` through $CARGO before PATH, and `cargo run`
        // set it to rustup's cargo for this process.
        cmd.env("PATH", path)
            .env("CARGO", SIZE_CARGO)
            .env("RUSTC", SIZE_RUSTC)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", crate::target_dir(root).join("size"))
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            // wasm-ld, then the split into the app's two modules (see the script).
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER",
                root.join("tools").join("split-link.sh"),
            )
            .env("KYC_WASM_LD", &self.linker)
            .env(
                "KYC_WASM_BINDGEN",
                cargo_bin_dir().join(crate::exe("wasm-bindgen")),
            )
            .env("KYC_SPLIT_DIR", split_dir(root))
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                SIZE_RUSTFLAGS,
            )
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTC_WRAPPER");
        Ok(())
    }
}

impl SizeToolchain {
    /// Downloads the crates std itself depends on (`dlmalloc`, `compiler_builtins`, ...) from
    /// crates.io. trunk builds `--offline`, and on a fresh machine those crates are not in
    /// cargo's cache yet: without this the first release build fails with "no matching
    /// package named `dlmalloc`". A no-op once they are cached.
    fn fetch_std(&self, root: &Path) -> Result<(), String> {
        run_checked(
            Command::new(SIZE_CARGO)
                .args(["fetch", "--quiet", "--target", WASM_TARGET])
                .current_dir(root)
                .env("RUSTC", SIZE_RUSTC)
                .env("RUSTC_BOOTSTRAP", "1")
                .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
                .env("CARGO_TARGET_DIR", crate::target_dir(root).join("size")),
        )
        .map_err(|e| format!("cannot fetch the standard library's crates: {e}"))
    }
}

/// The LLVM major version a rustc reports (`LLVM version: 22.1.8` -> 22).
fn llvm_major(rustc_verbose_version: &str) -> Option<u32> {
    rustc_verbose_version
        .lines()
        .find_map(|l| l.strip_prefix("LLVM version: "))?
        .split('.')
        .next()?
        .trim()
        .parse()
        .ok()
}

fn debian_packages_installed(packages: &[&str]) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}\n"])
        .args(packages)
        .output()
        .map(|o| {
            o.status.success()
                && String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .all(|l| l.ends_with(" installed"))
        })
        .unwrap_or(false)
}

/// Installs without removing anything: `rustc-web` and `cargo-web` conflict with Debian's
/// `rustc` and `cargo`, which an install must never take away from the machine.
fn apt_install(packages: &[&str]) -> Result<(), String> {
    run_checked(Command::new("apt-get").args(["update", "-qq"]))?;
    run_checked(
        Command::new("apt-get")
            .args(["install", "-y", "-qq", "--no-remove"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

/// Set once an install of the size toolchain failed: one process tries apt-get only once.
static INSTALL_FAILED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn apt_install_once(packages: &[&str]) -> Result<(), String> {
    use std::sync::atomic::Ordering;
    if INSTALL_FAILED.load(Ordering::Relaxed) {
        return Err(format!("installing {} failed earlier", packages.join(" ")));
    }
    apt_install(packages).inspect_err(|_| INSTALL_FAILED.store(true, Ordering::Relaxed))
}

/// The size toolchain, installed from Debian when missing and this user may (root). `None`
/// when it cannot be had here: the build then uses the rustup toolchain, a larger wasm, and
/// says so. `required` (the test command and the bench, which measure the size) makes that
/// an error instead.
pub fn size_toolchain(root: &Path, required: bool) -> Result<Option<SizeToolchain>, String> {
    let missing = |why: String| {
        let advice = format!(
            "{why}\nInstall it once with: sudo apt-get install -y --no-remove {} \
             lld-<LLVM major of rustc-web> (Debian 12; they cannot sit beside Debian's own \
             rustc and cargo packages)",
            SIZE_PACKAGES.join(" ")
        );
        if required {
            Err(advice)
        } else {
            println!(
                "==> note: without the size toolchain the release wasm is built with rustup's \
                 stable, larger; the test and bench commands need it. {advice}"
            );
            Ok(None)
        }
    };
    if !debian_packages_installed(&SIZE_PACKAGES) {
        if !is_root() || !Path::new("/usr/bin/apt-get").exists() {
            return missing("Debian's Rust toolchain with std sources is not installed.".into());
        }
        println!(
            "==> installing Debian's Rust toolchain with std sources ({}), to build the wasm for size",
            SIZE_PACKAGES.join(", ")
        );
        // A distribution without these packages (not Debian 12) is a machine without them.
        if let Err(e) = apt_install_once(&SIZE_PACKAGES) {
            return missing(e);
        }
    }
    let verbose = match Command::new(SIZE_RUSTC).arg("-vV").output() {
        Ok(out) => out,
        Err(e) => return missing(format!("{SIZE_RUSTC} did not start: {e}")),
    };
    let Some(llvm) = llvm_major(&String::from_utf8_lossy(&verbose.stdout)) else {
        return missing(format!("{SIZE_RUSTC} -vV names no LLVM version."));
    };
    let linker = PathBuf::from(format!("/usr/lib/llvm-{llvm}/bin/wasm-ld"));
    if !linker.exists() {
        let lld = format!("lld-{llvm}");
        if !is_root() {
            return missing(format!("{} is missing.", linker.display()));
        }
        println!("==> installing {lld} from Debian (the wasm linker of rustc-web's LLVM)");
        if let Err(e) = apt_install_once(&[&lld]) {
            return missing(e);
        }
    }
    if !Path::new(SIZE_STD_SOURCES).exists() {
        return missing(format!("{SIZE_STD_SOURCES} is missing."));
    }
    if let Err(e) = ensure_split_tool() {
        return missing(e);
    }
    let shim = crate::target_dir(root).join("size-toolchain-bin");
    match cargo_shim(root, &shim) {
        Ok(()) => Ok(Some(SizeToolchain { shim, linker })),
        Err(e) => missing(e),
    }
}

/// The size toolchain's PATH directory: `cargo` as a link to Debian's cargo, and
/// `wasm-bindgen` as a link to tools/split-bindgen.sh.
fn cargo_shim(root: &Path, shim: &Path) -> Result<(), String> {
    shim_link(shim, "cargo", Path::new(SIZE_CARGO))?;
    shim_link(
        shim,
        "wasm-bindgen",
        &root.join("tools").join("split-bindgen.sh"),
    )
}

/// `<shim>/<name>` as a link to `to`, replacing whatever else is there (a dangling or stale
/// link from an older layout).
fn shim_link(shim: &Path, name: &str, to: &Path) -> Result<(), String> {
    let path = shim.join(name);
    if std::fs::read_link(&path).is_ok_and(|linked| linked == to) {
        return Ok(());
    }
    let failed = |e: std::io::Error| format!("{}: {e}", path.display());
    std::fs::create_dir_all(shim).map_err(failed)?;
    if std::fs::symlink_metadata(&path).is_ok() {
        std::fs::remove_file(&path).map_err(failed)?;
    }
    link(to, &path)
}

#[cfg(unix)]
fn link(original: &Path, link: &Path) -> Result<(), String> {
    std::os::unix::fs::symlink(original, link).map_err(|e| format!("{}: {e}", link.display()))
}

#[cfg(not(unix))]
fn link(_original: &Path, _link: &Path) -> Result<(), String> {
    Err("the size toolchain is Debian's: unix only".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_wasm_bindgen_version_from_the_lockfile() {
        let root = crate::project_root();
        let version = wasm_bindgen_version(&root).expect("lockfile has wasm-bindgen");
        assert!(version.starts_with("0.2."), "unexpected version {version}");
        let trunk_toml = std::fs::read_to_string(root.join("Trunk.toml")).unwrap();
        assert!(
            trunk_toml.contains(&format!("wasm_bindgen = \"{version}\"")),
            "Trunk.toml must pin wasm-bindgen {version}, the lockfile's version"
        );
        assert!(trunk_toml.contains(&format!("wasm_opt = \"version_{BINARYEN_VERSION}\"")));
    }

    #[test]
    fn reads_the_llvm_major_version_of_a_rustc() {
        let debian = "rustc 1.96.0 (ac68faa20 2026-05-25) (built from a source tarball)\n\
                      binary: rustc\nhost: x86_64-unknown-linux-gnu\nrelease: 1.96.0\n\
                      LLVM version: 22.1.8\n";
        assert_eq!(llvm_major(debian), Some(22));
        assert_eq!(llvm_major("rustc 1.95.0\nrelease: 1.95.0\n"), None);
        assert_eq!(llvm_major("LLVM version: x.1\n"), None);
    }
}
