//! Runs each test layer, echoes its output, and counts what passed and failed.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

/// The outcome of one test layer.
pub struct LayerResult {
    name: &'static str,
    passed: u64,
    failed: u64,
    skipped: u64,
    /// Set when the layer did not finish cleanly (build error, crash, non-zero exit).
    problem: Option<String>,
}

impl LayerResult {
    /// A layer that could not run at all.
    pub fn broken(name: &'static str, problem: String) -> Self {
        eprintln!("{name}: {problem}");
        LayerResult {
            name,
            passed: 0,
            failed: 0,
            skipped: 0,
            problem: Some(problem),
        }
    }

    /// A check that passes or fails as a whole.
    pub fn single(name: &'static str, passed: bool, problem: String) -> Self {
        if !passed {
            eprintln!("{name}: {problem}");
        }
        LayerResult {
            name,
            passed: u64::from(passed),
            failed: u64::from(!passed),
            skipped: 0,
            problem: None,
        }
    }

    /// Runs a `cargo test` invocation, adding up its `test result:` lines.
    pub fn from_cargo(name: &'static str, cmd: &mut Command) -> Self {
        let mut result = LayerResult {
            name,
            passed: 0,
            failed: 0,
            skipped: 0,
            problem: None,
        };
        let status = stream(cmd, |line| {
            if let Some(rest) = line.trim().strip_prefix("test result: ") {
                result.passed += count(rest, "passed");
                result.failed += count(rest, "failed");
                result.skipped += count(rest, "ignored");
            }
        });
        match status {
            Ok(true) => {}
            Ok(false) => result.problem = Some("exited with a failure".to_owned()),
            Err(e) => result.problem = Some(e),
        }
        result
    }

    /// Runs Playwright and reads the counts from its JSON report.
    pub fn from_playwright(name: &'static str, cmd: &mut Command, report: &Path) -> Self {
        let _ = std::fs::remove_file(report);
        let mut result = LayerResult {
            name,
            passed: 0,
            failed: 0,
            skipped: 0,
            problem: None,
        };
        match stream(cmd, |_| {}) {
            Ok(true) => {}
            Ok(false) => result.problem = Some("exited with a failure".to_owned()),
            Err(e) => result.problem = Some(e),
        }
        match std::fs::read_to_string(report)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        {
            Some(json) => {
                let stat = |key: &str| json["stats"][key].as_u64().unwrap_or(0);
                result.passed = stat("expected") + stat("flaky");
                result.failed = stat("unexpected");
                result.skipped = stat("skipped");
            }
            None => {
                result
                    .problem
                    .get_or_insert_with(|| "no JSON report was written".to_owned());
            }
        }
        result
    }
}

/// `"12 passed"` inside a cargo `test result:` line.
fn count(text: &str, what: &str) -> u64 {
    text.split(';')
        .filter_map(|part| {
            part.trim()
                .trim_start_matches("ok. ")
                .trim_start_matches("FAILED. ")
                .strip_suffix(what)
        })
        .filter_map(|n| n.trim().parse::<u64>().ok())
        .sum()
}

/// Runs `cmd`, printing its stdout line by line through `on_line`; true when it succeeded.
fn stream(cmd: &mut Command, mut on_line: impl FnMut(&str)) -> Result<bool, String> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start {cmd:?}: {e}"))?;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.unwrap_or_default();
            println!("{line}");
            on_line(&line);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    Ok(status.success())
}

/// Every layer's result, printed as a table at the end of the run.
#[derive(Default)]
pub struct Summary {
    layers: Vec<LayerResult>,
}

impl Summary {
    pub fn push(&mut self, layer: LayerResult) {
        self.layers.push(layer);
    }

    pub fn all_passed(&self) -> bool {
        !self.layers.is_empty()
            && self
                .layers
                .iter()
                .all(|l| l.problem.is_none() && l.failed == 0 && l.passed > 0)
    }

    pub fn print(&self) {
        println!("\n==> test summary");
        println!(
            "{:<12} {:>7} {:>7} {:>8}  status",
            "layer", "passed", "failed", "skipped"
        );
        for l in &self.layers {
            let status = match (&l.problem, l.failed, l.passed) {
                (Some(p), _, _) => format!("FAIL ({p})"),
                (None, 0, 0) => "FAIL (no tests ran)".to_owned(),
                (None, 0, _) => "ok".to_owned(),
                (None, _, _) => "FAIL".to_owned(),
            };
            println!(
                "{:<12} {:>7} {:>7} {:>8}  {status}",
                l.name, l.passed, l.failed, l.skipped
            );
        }
        println!(
            "overall: {}",
            if self.all_passed() { "PASS" } else { "FAIL" }
        );
    }
}

/// Prints the fault matrix the end-to-end layer wrote (one JSON file per cell), if any.
pub fn print_fault_matrix(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut cells: Vec<serde_json::Value> = entries
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
        .filter_map(|text| serde_json::from_str(&text).ok())
        .collect();
    if cells.is_empty() {
        return;
    }
    let mut endpoints: Vec<String> = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    cells.sort_by_key(|c| (c["endpoint"].to_string(), c["kind"].to_string()));
    for c in &cells {
        let e = c["endpoint"].as_str().unwrap_or_default().to_owned();
        let k = c["kind"].as_str().unwrap_or_default().to_owned();
        if !endpoints.contains(&e) {
            endpoints.push(e);
        }
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    println!("\n==> fault matrix (each cell: outcome reached, one verification, no page error)");
    print!("{:<16}", "call \\ fault");
    for k in &kinds {
        print!(" {:>18}", k);
    }
    println!();
    let mut failed = 0;
    for e in &endpoints {
        print!("{e:<16}");
        for k in &kinds {
            let cell = cells
                .iter()
                .find(|c| c["endpoint"] == e.as_str() && c["kind"] == k.as_str());
            let mark = match cell {
                Some(c) if c["pass"] == true => "pass".to_owned(),
                Some(c) => {
                    failed += 1;
                    format!("FAIL ({})", c["outcome"].as_str().unwrap_or("?"))
                }
                None => "-".to_owned(),
            };
            print!(" {mark:>18}");
        }
        println!();
    }
    println!("{} cells, {} failed", cells.len(), failed);
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn counts_cargo_result_lines() {
        let line =
            "ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(count(line, "passed"), 12);
        assert_eq!(count(line, "failed"), 0);
        assert_eq!(count(line, "ignored"), 3);
        let line = "FAILED. 4 passed; 2 failed; 0 ignored";
        assert_eq!(count(line, "passed"), 4);
        assert_eq!(count(line, "failed"), 2);
    }
}
