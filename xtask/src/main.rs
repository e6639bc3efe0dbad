//! Project commands. `cargo xtask run` builds the SPA and serves it on the sandbox backend;
//! `cargo xtask test` runs every test layer. Both install the tools they need first.

mod bench;
mod dev;
mod precompress;
mod redis;
mod summary;
mod system;
mod toolchain;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use summary::{LayerResult, Summary};

/// The first-load budget in gzip bytes (HTML + CSS + JS glue + wasm): 120 KB, KB of 1024
/// bytes as everywhere in the bench. The later screens' module is not part of it (fetched
/// once the first screen shows).
const FIRST_LOAD_CEILING: u64 = 120 * 1024;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  setup              install the toolchain (idempotent; prints what it installs)
  build              build the SPA (release) into dist/ with .br/.gz siblings
  run [--port N]     build, then serve the app on 127.0.0.1 (sandbox backend) and print the URL
  dev [--port N]     the edit loop: a debug build rebuilt on every change, served on the sandbox
  bundle             a deployable bundle: the server's release binary and dist/ (target/bundle/)
  test               every test layer: native, browser (wasm-bindgen-test), end to end
  bench              sizes, Lighthouse, latencies and memory, beside the incumbent (figures only)
  bench --load       customers at the app's pace over two replicas and Redis (figures only)
  bench --camera     the camera check's analysis of one 640x480 frame, native (figures only)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = project_root();
    let result = match args.first().map(String::as_str) {
        Some("setup") => toolchain::ensure_all(&root, true).map(|_| ExitCode::SUCCESS),
        Some("build") => build(&root).map(|_| ExitCode::SUCCESS),
        Some("run") => run(&root, &args[1..]),
        Some("dev") => dev::run(&root, &args[1..]),
        Some("bundle") => bundle(&root),
        Some("test") => test(&root),
        Some("bench") if args.get(1).map(String::as_str) == Some("--load") => {
            toolchain::ensure_all(&root, false).and_then(|(tools, browser)| {
                bench::load(&root, &tools, &browser, &system::redis_server()?)
            })
        }
        Some("bench") if args.get(1).map(String::as_str) == Some("--camera") => {
            toolchain::ensure_all(&root, false)
                .and_then(|(tools, browser)| camera_bench(&root, &tools, &browser))
        }
        Some("bench") => toolchain::ensure_all(&root, false)
            .and_then(|(tools, browser)| bench::run(&root, &tools, &browser)),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The camera check's figures: `examples/camera_frame.rs` built with the release profile
/// (native), then `tests/browser_camera_bench.rs` (an ignored wasm-bindgen test) built with
/// the release profile and run in headless Chromium; each prints the median time of one
/// frame.
fn camera_bench(
    root: &Path,
    tools: &toolchain::Tools,
    browser: &system::Browser,
) -> Result<ExitCode, String> {
    run_checked(Command::new(env!("CARGO")).current_dir(root).args([
        "run",
        "--quiet",
        "--release",
        "-p",
        "kyc-onboarding",
        "--example",
        "camera_frame",
    ]))?;
    run_checked(
        tools
            .command(env!("CARGO"))
            .current_dir(root)
            .args([
                // (No `--quiet`: cargo would pass it on to the test runner, which refuses it.)
                "test",
                "--release",
                "--package",
                "kyc-onboarding",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "browser_camera_bench",
                "--",
                "--include-ignored",
                "--nocapture",
            ])
            .env("CHROMEDRIVER", &browser.chromedriver)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120"),
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The workspace root (the parent of this crate's directory).
fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// Runs a command to completion, failing with a readable message.
pub fn run_checked(cmd: &mut Command) -> Result<(), String> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Builds the release SPA into `dist/` (std rebuilt for size, the later screens split off)
/// with precompressed siblings. (The catalogs the app fetches are the server's.)
pub(crate) fn build(root: &Path) -> Result<(), String> {
    let tools = toolchain::ensure_build_tools(root)?;
    let size = toolchain::size_build(root)?;
    println!("==> building the SPA (trunk build --release)");
    let mut trunk = tools.command("trunk");
    trunk.current_dir(root).args(["build", "--release"]);
    size.apply(&mut trunk, root, &tools.path)?;
    run_checked(&mut trunk)?;
    let written = precompress::dist(&root.join("dist"))?;
    println!("==> precompressed {written} assets (brotli + gzip)");
    Ok(())
}

/// Builds the server binary (dev profile, shared with the native tests) and returns its path.
pub(crate) fn build_server(root: &Path) -> Result<PathBuf, String> {
    println!("==> building the server");
    run_checked(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "--quiet",
        "--package",
        "kyc-server",
    ]))?;
    Ok(target_dir(root).join("debug").join(exe("kyc-server")))
}

/// A loopback port nobody is listening on right now.
pub(crate) fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

pub(crate) fn exe(name: &str) -> String {
    format!("{name}{}", std::env::consts::EXE_SUFFIX)
}

/// The `--port N` option of `run` and `dev` (else `$PORT`, else 8080).
pub(crate) fn port_option(command: &str, args: &[String]) -> Result<u16, String> {
    let mut port = std::env::var("PORT").unwrap_or_else(|_| "8080".to_owned());
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--port" => {
                port = rest
                    .next()
                    .ok_or("--port needs a value, e.g. --port 8080")?
                    .clone()
            }
            other => return Err(format!("unknown option for {command}: `{other}`")),
        }
    }
    port.parse::<u16>()
        .map_err(|_| format!("--port must be a number from 0 to 65535, got `{port}`"))
}

fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let port = port_option("run", args)?;
    build(root)?;
    let server = build_server(root)?;
    let status = Command::new(server)
        .current_dir(root)
        .args(["--addr", &format!("127.0.0.1:{port}"), "--dist"])
        .arg(root.join("dist"))
        .status()
        .map_err(|e| format!("could not start the server: {e}"))?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A deployable bundle in `target/bundle/`: the server built with its own release profile
/// (`[profile.server]`: speed, unwinding; the workspace's release profile is the wasm's,
/// size first) and the release `dist/`, as a folder and a `.tar.gz` of it.
fn bundle(root: &Path) -> Result<ExitCode, String> {
    build(root)?;
    println!("==> building the server (release, profile `server`)");
    run_checked(Command::new(env!("CARGO")).current_dir(root).args([
        "build",
        "--quiet",
        "--profile",
        "server",
        "--package",
        "kyc-server",
    ]))?;
    let out = target_dir(root).join("bundle");
    let name = format!("kyc-onboarding-{}", env!("CARGO_PKG_VERSION"));
    let folder = out.join(&name);
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let binary = target_dir(root).join("server").join(exe("kyc-server"));
    std::fs::copy(&binary, folder.join(exe("kyc-server")))
        .map_err(|e| format!("{}: {e}", binary.display()))?;
    run_checked(
        Command::new("cp")
            .arg("-R")
            .arg(root.join("dist"))
            .arg(&folder),
    )?;
    run_checked(Command::new("tar").current_dir(&out).args([
        "czf",
        &format!("{name}.tar.gz"),
        &name,
    ]))?;
    println!(
        "==> {} and {name}.tar.gz: run `kyc-server --dist dist` in it (kyc-server --help)",
        folder.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn test(root: &Path) -> Result<ExitCode, String> {
    let (tools, browser) = toolchain::ensure_all(root, false)?;
    // One Redis for the layers that need it (the store's contract tests, the replicas of
    // the end-to-end layer), stopped when this function returns.
    let redis_server = system::redis_server()?;
    let redis = redis::RedisServer::start(&redis_server)?;
    let mut summary = Summary::default();

    println!("\n==> layer 1/3: native tests (cargo test --workspace)");
    let mut native = Command::new(env!("CARGO"));
    native
        .current_dir(root)
        .args(["test", "--workspace", "--color", "never"])
        .env("KYC_TEST_REDIS_URL", &redis.url);
    summary.push(LayerResult::from_cargo("native", &mut native));

    println!("\n==> layer 2/3: browser tests (wasm-bindgen-test in headless Chromium)");
    let mut browser_tests = tools.command(env!("CARGO"));
    browser_tests
        .current_dir(root)
        .args([
            "test",
            "--package",
            "kyc-onboarding",
            "--target",
            "wasm32-unknown-unknown",
            "--color",
            "never",
        ])
        .env("CHROMEDRIVER", &browser.chromedriver)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    summary.push(LayerResult::from_cargo("browser", &mut browser_tests));

    println!("\n==> layer 3/3: end to end (Playwright, headless Chromium, phone + desktop)");
    let matrix = target_dir(root).join("fault-matrix");
    let _ = std::fs::remove_dir_all(&matrix);
    let built = build(root);
    let e2e = match built
        .clone()
        .and_then(|_| build_server(root))
        .and_then(|server| {
            let report = target_dir(root).join("e2e-results.json");
            let mut playwright = tools.command("playwright");
            // Two servers (the sandbox default and an integrator's configuration), each on
            // a port nobody is listening on.
            let port = free_port()?;
            let branded = std::iter::repeat_with(free_port)
                .take(10)
                .find(|p| p.as_ref().map_or(true, |p| *p != port))
                .unwrap_or_else(|| Err("no second free loopback port".to_owned()))?;
            playwright
                .current_dir(root)
                .args(["test"])
                .env("E2E_PORT", port.to_string())
                .env("E2E_BRANDED_PORT", branded.to_string())
                .env("KYC_SERVER_BIN", &server)
                .env("CHROMIUM_PATH", &browser.chromium)
                .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report)
                .env("FAULT_MATRIX_DIR", &matrix)
                .env("KYC_TEST_REDIS_URL", &redis.url)
                // replicas.spec.ts starts (and stops) Redis instances of its own.
                .env("REDIS_SERVER", &redis_server);
            Ok((playwright, report))
        }) {
        Ok((mut playwright, report)) => {
            LayerResult::from_playwright("end-to-end", &mut playwright, &report)
        }
        Err(message) => LayerResult::broken("end-to-end", message),
    };
    summary.push(e2e);

    // The first load must stay within its budget (the 120 KB).
    let budget = match built.and_then(|_| bench::first_load_gzip(&root.join("dist"))) {
        Ok(total) if total <= FIRST_LOAD_CEILING => {
            println!("\n==> first load: {total} bytes gzip, ceiling {FIRST_LOAD_CEILING}");
            LayerResult::single("size", true, String::new())
        }
        Ok(total) => LayerResult::single(
            "size",
            false,
            format!("first load is {total} bytes gzip, over the ceiling of {FIRST_LOAD_CEILING}"),
        ),
        Err(e) => LayerResult::broken("size", e),
    };
    summary.push(budget);

    summary::print_fault_matrix(&matrix);
    summary.print();
    Ok(if summary.all_passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
