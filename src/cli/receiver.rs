//! `consent-capture audit` and `consent-capture records`, run by the receiver's binary.

use std::process::ExitCode;

/// `audit` and `records`, as `git` and `cargo` run their external commands: the receiver's binary does it (its
/// exit status is this one's), so that this command carries no database driver. It is looked for beside this
/// one, then where docs/controllers.md's build puts it (`target/server/` beside `target/release/`), then on the PATH.
pub(crate) fn receiver_command(command: &str, args: &[String]) -> ExitCode {
    let found = std::env::current_exe().ok().and_then(|exe| {
        let folder = exe.parent()?;
        [folder.to_path_buf(), folder.parent()?.join("server")]
            .into_iter()
            .map(|folder| folder.join("consent-capture-receiver"))
            .find(|path| path.is_file())
    });
    let receiver = found.unwrap_or_else(|| "consent-capture-receiver".into());
    match std::process::Command::new(&receiver)
        .arg(command)
        .args(args)
        .status()
    {
        Ok(status) => ExitCode::from(status.code().map_or(2, |code| u8::try_from(code).unwrap_or(2))),
        Err(error) => {
            eprintln!(
                "consent-capture: {command} needs consent-capture-receiver (cargo build --profile server -p \
                 consent-capture-receiver), beside this command or on the PATH: {error}"
            );
            ExitCode::from(2)
        }
    }
}
