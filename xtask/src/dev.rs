//! `cargo xtask dev`: the edit loop. trunk rebuilds a debug build of the SPA on every change
//! under `src/`, `style/`, `public/` or `index.html` (no LTO, no size passes, no split: seconds,
//! not minutes), and the real server serves it on the sandbox, re-reading the build each time
//! one lands (`--watch-dist`), so a reload shows the edit and the sandbox's customers stay.

use std::path::Path;
use std::process::{Command, ExitCode};

use crate::{build_server, port_option, run_checked, target_dir, toolchain};

pub fn run(root: &Path, args: &[String]) -> Result<ExitCode, String> {
    let port = port_option("dev", args)?;
    let tools = toolchain::ensure_build_tools(root)?;
    let dist = target_dir(root).join("dev").join("dist");
    println!("==> first debug build of the SPA (trunk build)");
    run_checked(&mut trunk(&tools, root, "build", &dist))?;
    let server = build_server(root)?;
    let mut server = Command::new(server)
        .current_dir(root)
        .args([
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--watch-dist",
            "--dist",
        ])
        .arg(&dist)
        .spawn()
        .map_err(|e| format!("could not start the server: {e}"))?;
    println!(
        "==> watching: edit a screen under src/ and reload http://127.0.0.1:{port}/ \
         (the server's own code and locales/ need a restart of this command)"
    );
    let watched = trunk(&tools, root, "watch", &dist).status();
    let _ = server.kill();
    let _ = server.wait();
    match watched {
        Ok(status) if status.success() => Ok(ExitCode::SUCCESS),
        Ok(status) => Err(format!("trunk watch ended with {status}")),
        Err(e) => Err(format!("could not start trunk watch: {e}")),
    }
}

/// `trunk <verb>` for a debug build into `dist`: the project's toolchain as the tests use it.
fn trunk(tools: &toolchain::Tools, root: &Path, verb: &str, dist: &Path) -> Command {
    let mut cmd = tools.command("trunk");
    cmd.current_dir(root).arg(verb).arg("--dist").arg(dist);
    cmd
}
