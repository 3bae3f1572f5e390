//! The databases the receiver's tests run on, both real: an SQLite file in a temporary folder, and a
//! PostgreSQL server from Debian's packages that a test starts on a free loopback port, with its data in a
//! temporary folder, and stops (and removes) when it is dropped, even when the test fails.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A folder of its own for one test, removed when dropped.
pub(crate) struct Scratch(PathBuf);

impl Scratch {
    pub(crate) fn new(name: &str) -> Self {
        let path = unique_temporary(&format!("receiver-{name}"));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a temporary folder");
        Self(path)
    }

    /// An SQLite database in this folder.
    pub(crate) fn sqlite(&self) -> String {
        format!("sqlite:{}", self.0.join("receiver.sqlite").display())
    }

    /// Writes `contents` to a file called `name` in this folder and returns its path.
    pub(crate) fn file(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).expect("a file in the temporary folder");
        path.to_str().expect("a UTF-8 temporary path").to_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A PostgreSQL server of its own, trusting loopback connections (it listens on nothing else).
pub(crate) struct Postgres {
    data: PathBuf,
    port: u16,
}

impl Postgres {
    /// Initialises a cluster in a new temporary folder and starts it. PostgreSQL refuses to run as root: as
    /// root, the server runs as the `postgres` user that Debian's package creates.
    pub(crate) fn start() -> Self {
        let data = unique_temporary("postgres");
        let _ = std::fs::remove_dir_all(&data);
        let port = free_port();
        let server = Self { data, port };
        server.run(
            "initdb",
            &[
                "-D",
                path(&server.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        server.restart();
        server
    }

    /// Starts the server (again, after [`Postgres::stop`]), on its port.
    pub(crate) fn restart(&self) {
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {}",
            self.port,
            path(&self.data)
        );
        let log = self.data.join("server.log");
        let data = path(&self.data);
        self.run(
            "pg_ctl",
            &["-D", data, "-o", &options, "-l", path(&log), "-w", "start"],
        );
    }

    /// Stops the server, as an outage would (its data stays).
    pub(crate) fn stop(&self) {
        self.run("pg_ctl", &["-D", path(&self.data), "-m", "fast", "-w", "stop"]);
    }

    /// The URL of a new, empty database called `name` on this server.
    pub(crate) async fn database(&self, name: &str) -> String {
        use sqlx::Executor as _;
        let admin = format!("postgres://postgres@127.0.0.1:{}/postgres", self.port);
        let mut connection = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
            .await
            .expect("the test server answers");
        connection
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("a database");
        format!("postgres://postgres@127.0.0.1:{}/{name}", self.port)
    }

    fn run(&self, tool: &str, arguments: &[&str]) {
        let output = postgres_tool(tool)
            .args(arguments)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{tool} cannot run: {e}"));
        assert!(
            output.status.success(),
            "{tool} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let _ = postgres_tool("pg_ctl")
            .args(["-D", path(&self.data), "-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// One of Debian's PostgreSQL tools, to run as the `postgres` user when this test runs as root (PostgreSQL
/// refuses to run as root).
fn postgres_tool(tool: &str) -> Command {
    let tool = bin_dir().join(tool);
    if is_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(tool);
        command
    } else {
        Command::new(tool)
    }
}

/// Debian's PostgreSQL binaries (`/usr/lib/postgresql/<version>/bin`, the newest installed).
fn bin_dir() -> PathBuf {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (tools/setup.sh test installs it)")
        .filter_map(|entry| entry.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort_by_key(|bin| {
        bin.parent()
            .and_then(Path::file_name)
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
    });
    versions.pop().expect("an initdb under /usr/lib/postgresql")
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

/// A temporary path no other test of this process (nor any other process) uses.
fn unique_temporary(name: &str) -> PathBuf {
    static MADE: AtomicUsize = AtomicUsize::new(0);
    let made = MADE.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("consent-capture-{name}-{}-{made}", std::process::id()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

fn path(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}
