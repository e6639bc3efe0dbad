//! Installs the tools the project needs, from registries only (rustup's components, crates.io,
//! npm; the operating system's programs are `system.rs`'s), and skips each one already present
//! at the right version. Nothing is downloaded from elsewhere: trunk runs `offline` with
//! wasm-bindgen and wasm-opt found on PATH.
//!
//! One Rust toolchain builds everything: the one `rust-toolchain.toml` pins, with the wasm
//! target and `rust-src` (the release wasm rebuilds std from it, [`SizeBuild`]).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run_checked, system};

/// trunk 0.22 needs a newer rustc than the project's toolchain.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Must match `[tools] wasm_opt` in Trunk.toml; Debian's binaryen is far older and breaks the wasm.
pub const BINARYEN_VERSION: &str = "132";
/// The wasm-bindgen whose output tools/compact-glue.mjs was written for (it rewrites the glue
/// and the wasm's import and export names): another version must be checked against it first.
pub const BINDGEN_VERSION: &str = "0.2.130";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where the tools live once installed.
pub struct Tools {
    /// PATH with `node_modules/.bin` and cargo's bin directory in front.
    pub path: OsString,
}

impl Tools {
    /// A command that sees the project's tools first on PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        cmd.env("PATH", &self.path);
        cmd
    }
}

/// Everything a build of the SPA needs.
pub fn ensure_build_tools(root: &Path) -> Result<Tools, String> {
    ensure_wasm_target(root)?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    let bindgen = wasm_bindgen_version(root)?;
    if bindgen != BINDGEN_VERSION {
        return Err(format!(
            "Cargo.lock has wasm-bindgen {bindgen}, but tools/compact-glue.mjs was written for \
             {BINDGEN_VERSION}: check the hook against the new glue (its build-hook tests), \
             then update BINDGEN_VERSION in xtask/src/toolchain.rs, the hook's own check and \
             Trunk.toml's wasm_bindgen"
        ));
    }
    // wasm-bindgen-cli's own lockfile pins a crate the registry lacks: no --locked.
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", &bindgen, false)?;
    ensure_npm_packages(root)?;
    let tools = Tools {
        path: tool_path(root)?,
    };
    check_wasm_opt(&tools)?;
    Ok(tools)
}

/// Build tools, the size build's parts and the programs the tests drive.
pub fn ensure_all(root: &Path, verbose: bool) -> Result<(Tools, system::Browser), String> {
    let tools = ensure_build_tools(root)?;
    size_build(root)?;
    let browser = system::browser()?;
    system::redis_server()?;
    if verbose {
        println!("all tools present");
    }
    Ok((tools, browser))
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

/// The wasm target of the project's toolchain (rust-toolchain.toml lists it, and rustup adds
/// it on first use; an older rustup or a toolchain installed without it gets it here).
fn ensure_wasm_target(root: &Path) -> Result<(), String> {
    let out = Command::new("rustup")
        .current_dir(root)
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
    run_checked(
        Command::new("rustup")
            .current_dir(root)
            .args(["target", "add", WASM_TARGET]),
    )
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

/// The `wasm_split_helpers` (Cargo.lock) whose split points [`SPLIT_TOOL_VERSION`]'s
/// `wasm-split-cli` was checked to cut: the macro writes the markers the tool looks for, so the
/// two change together or the release build splits nothing (or breaks).
pub const SPLIT_HELPERS_VERSION: &str = "0.2.3";

/// Fails with what to do when the lockfile's `wasm_split_helpers` is not the one the split
/// tool was checked with.
fn check_split_versions(lock: &str) -> Result<(), String> {
    match locked_version(lock, "wasm_split_helpers") {
        Some(v) if v == SPLIT_HELPERS_VERSION => Ok(()),
        Some(v) => Err(format!(
            "Cargo.lock has wasm_split_helpers {v}, but the release build's wasm-split-cli \
             (wasm_split_cli_support {SPLIT_TOOL_VERSION}) was checked with \
             {SPLIT_HELPERS_VERSION}: pick the matching wasm_split_cli_support, check the split \
             (e2e later.spec.ts, build-hook.spec.ts), then update SPLIT_HELPERS_VERSION and \
             SPLIT_TOOL_VERSION in xtask/src/toolchain.rs"
        )),
        None => {
            Err("Cargo.lock has no wasm_split_helpers: the later module cannot be split".into())
        }
    }
}

/// A package's version in a Cargo.lock's text (the first entry of that name).
fn locked_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            return lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
fn wasm_bindgen_version(root: &Path) -> Result<String, String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    locked_version(&lock, "wasm-bindgen")
        .ok_or_else(|| "Cargo.lock has no wasm-bindgen package".to_owned())
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

/// What the release wasm is compiled with, on top of the release profile:
/// - `erase_components`, as in `.cargo/config.toml` (cargo appends this setting to that
///   file's; repeated so the build does not depend on how the two are merged);
/// - panics abort at once: no message formatting, no location strings;
/// - `Debug` impls print nothing (the app never shows or sends one; only tests read them, and
///   tests do not use this build);
/// - `kyc_split`: the later screens go in a second wasm module, fetched after the first screen
///   (src/ui/later.rs); the linker keeps its relocations for the split (tools/split-link.sh).
///
/// With std rebuilt from the toolchain's own sources (`rust-src`, `-Zbuild-std`), these apply
/// to std too: about 16 KB gzip less than the precompiled std (measured, 10%).
const SIZE_RUSTFLAGS: &str = "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort \
                              -Zlocation-detail=none -Zfmt-debug=none \
                              --cfg kyc_split -Clink-arg=--emit-relocs";

/// Where tools/split-link.sh leaves the second wasm module and its loader for the post-build
/// hook to put in dist/.
pub fn split_dir(root: &Path) -> PathBuf {
    crate::target_dir(root).join("size").join("split")
}

/// The release wasm's build settings: the project's one toolchain (rust-toolchain.toml) with
/// std rebuilt from its `rust-src` for size, linked by its own `rust-lld` and split in two.
pub struct SizeBuild {
    /// A directory to put first on trunk's PATH: its `wasm-bindgen` is tools/split-bindgen.sh.
    shim: PathBuf,
    /// The toolchain's `rust-lld`, which tools/split-link.sh runs before the split.
    linker: PathBuf,
}

impl SizeBuild {
    /// Makes a `trunk build` compile for size: its own target directory (these flags differ
    /// from the tests' build, which must not be rebuilt after each release build), std rebuilt
    /// from source. `RUSTC_BOOTSTRAP` lets the stable compiler take the unstable flags above:
    /// they change how the wasm is compiled, never what the code means, and the end-to-end
    /// layer and the size check run against this build.
    pub fn apply(&self, cmd: &mut Command, root: &Path, path: &OsString) -> Result<(), String> {
        fetch_std(root)?;
        let mut dirs = vec![self.shim.clone()];
        dirs.extend(std::env::split_paths(path));
        let path = std::env::join_paths(dirs).map_err(|e| format!("cannot build PATH: {e}"))?;
        cmd.env("PATH", path)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_TARGET_DIR", crate::target_dir(root).join("size"))
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            // rust-lld, then the split into the app's two modules (see the script).
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

/// Downloads the crates std itself depends on (`dlmalloc`, `compiler_builtins`, ...) from
/// crates.io. trunk builds `--offline`, and on a fresh machine those crates are not in cargo's
/// cache yet: without this the first release build fails with "no matching package named
/// `dlmalloc`". A no-op once they are cached.
fn fetch_std(root: &Path) -> Result<(), String> {
    run_checked(
        Command::new(env!("CARGO"))
            .args(["fetch", "--quiet", "--target", WASM_TARGET])
            .current_dir(root)
            .env("RUSTC_BOOTSTRAP", "1")
            .env("CARGO_UNSTABLE_BUILD_STD", "std,panic_abort")
            .env("CARGO_TARGET_DIR", crate::target_dir(root).join("size")),
    )
    .map_err(|e| format!("cannot fetch the standard library's crates: {e}"))
}

/// The project's toolchain's std sources, added like the wasm target when missing (a rustup
/// older than the toolchain file's components, or a toolchain installed without them).
fn ensure_rust_src(root: &Path) -> Result<(), String> {
    let sysroot = rustc_print(root, "sysroot")?;
    let std_sources = Path::new(&sysroot).join("lib/rustlib/src/rust/library/std/Cargo.toml");
    if std_sources.exists() {
        return Ok(());
    }
    println!("==> installing the Rust component rust-src (std sources, for the size build)");
    run_checked(
        Command::new("rustup")
            .current_dir(root)
            .args(["component", "add", "rust-src"]),
    )
}

/// `rustc --print <what>` of the project's toolchain.
fn rustc_print(root: &Path, what: &str) -> Result<String, String> {
    let out = Command::new("rustc")
        .current_dir(root)
        .args(["--print", what])
        .output()
        .map_err(|e| format!("rustc did not start: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustc --print {what} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The toolchain's own wasm linker: `rust-lld` beside its host libraries (rustc passes it
/// `-flavor wasm`).
fn rust_lld(root: &Path) -> Result<PathBuf, String> {
    let libdir = PathBuf::from(rustc_print(root, "target-libdir")?);
    let lld = libdir
        .parent()
        .map(|host| host.join("bin").join(crate::exe("rust-lld")))
        .ok_or_else(|| format!("rustc's target-libdir {} has no parent", libdir.display()))?;
    if lld.exists() {
        Ok(lld)
    } else {
        Err(format!(
            "{} is missing: the toolchain should ship it (reinstall it with rustup)",
            lld.display()
        ))
    }
}

/// Everything the release wasm's size build needs, installed when missing.
pub fn size_build(root: &Path) -> Result<SizeBuild, String> {
    ensure_rust_src(root)?;
    check_split_versions(
        &std::fs::read_to_string(root.join("Cargo.lock"))
            .map_err(|e| format!("cannot read Cargo.lock: {e}"))?,
    )?;
    ensure_split_tool()?;
    let linker = rust_lld(root)?;
    let shim = crate::target_dir(root).join("size-toolchain-bin");
    // An older layout linked Debian's cargo here: trunk must run the project's own.
    let _ = std::fs::remove_file(shim.join("cargo"));
    shim_link(
        &shim,
        "wasm-bindgen",
        &root.join("tools").join("split-bindgen.sh"),
    )?;
    Ok(SizeBuild { shim, linker })
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
    Err("the split build's scripts are POSIX shell: unix only".to_owned())
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
    fn the_split_tool_is_the_one_checked_with_the_locked_helpers() {
        let lock = std::fs::read_to_string(crate::project_root().join("Cargo.lock")).unwrap();
        assert_eq!(check_split_versions(&lock), Ok(()));
        let bumped = lock.replace(
            &format!("name = \"wasm_split_helpers\"\nversion = \"{SPLIT_HELPERS_VERSION}\""),
            "name = \"wasm_split_helpers\"\nversion = \"9.9.9\"",
        );
        let refused = check_split_versions(&bumped).unwrap_err();
        assert!(
            refused.contains("9.9.9") && refused.contains(SPLIT_TOOL_VERSION),
            "{refused}"
        );
        assert!(check_split_versions("").is_err());
    }

    #[test]
    fn the_hook_and_the_lockfile_agree_on_wasm_bindgen() {
        let root = crate::project_root();
        assert_eq!(wasm_bindgen_version(&root).unwrap(), BINDGEN_VERSION);
        let hook = std::fs::read_to_string(root.join("tools/compact-glue.mjs")).unwrap();
        assert!(
            hook.contains(&format!("WRITTEN_FOR_BINDGEN = '{BINDGEN_VERSION}'")),
            "tools/compact-glue.mjs must check for the wasm-bindgen it was written for"
        );
    }

    #[test]
    fn one_toolchain_file_lists_what_the_builds_need() {
        let file =
            std::fs::read_to_string(crate::project_root().join("rust-toolchain.toml")).unwrap();
        for needed in ["rust-src", "clippy", "rustfmt", WASM_TARGET] {
            assert!(
                file.contains(&format!("\"{needed}\"")),
                "rust-toolchain.toml lacks {needed}"
            );
        }
    }
}
