//! `ddlc completions SHELL` and `ddlc man [COMMAND]`: generated from the same
//! clap definition as `--help`, so they cannot drift from it. Both are
//! byte-identical across runs (no dates, no paths).

use super::{command, print_stdout, Failure};
use crate::diag::Error;

/// What `ddlc completions --help` adds.
pub(super) const COMPLETIONS_HELP: &str = "\
Install, e.g.:
  bash  ddlc completions bash > ~/.local/share/bash-completion/completions/ddlc
  zsh   ddlc completions zsh > \"${fpath[1]}/_ddlc\"
  fish  ddlc completions fish > ~/.config/fish/completions/ddlc.fish";

/// Prints the completion script for `shell`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "ddlc", &mut out);
    print_stdout(&String::from_utf8_lossy(&out))
}

/// Prints ddlc(1), or ddlc-COMMAND(1) for one command.
pub(super) fn man(topic: Option<String>) -> Result<(), Failure> {
    let mut cmd = command();
    cmd.build();
    let (page, title) = match topic.as_deref() {
        None => (cmd, "ddlc".to_string()),
        Some(name) => {
            let Some(sub) = cmd.find_subcommand(name) else {
                let names: Vec<String> = cmd
                    .get_subcommands()
                    .map(|s| s.get_name().to_string())
                    .collect();
                return Err(Failure::Error(Error::Message(format!(
                    "no command `{name}`: the commands are {}",
                    names.join(", ")
                ))));
            };
            let title = format!("ddlc-{}", sub.get_name());
            let page = sub
                .clone()
                .display_name(title.clone())
                .bin_name(format!("ddlc {}", sub.get_name()));
            (page, title)
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page)
        .title(title)
        .source(format!("ddlc {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)
        .map_err(|source| Error::Io {
            path: "<man page>".into(),
            source,
        })?;
    print_stdout(&String::from_utf8_lossy(&out))
}
