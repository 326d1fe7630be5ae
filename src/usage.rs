//! Usage errors (clap's) in the output language: what was wrong, the usage line of the
//! command, and where to read more. Help and version are printed as clap renders them,
//! from the catalogue's texts (see [`crate::cli::command`]).

use clap::error::{ContextKind, ContextValue, ErrorKind};

fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(&crate::t!("help-list-separator")),
        Some(ContextValue::StyledStr(s)) => s.to_string(),
        Some(ContextValue::StyledStrs(v)) => {
            v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(&crate::t!("help-list-separator"))
        }
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

/// The sentence for a usage error, from the catalogue.
pub fn message(e: &clap::Error) -> String {
    let arg = || context(e, ContextKind::InvalidArg);
    let value = || context(e, ContextKind::InvalidValue);
    let mut text = match e.kind() {
        ErrorKind::UnknownArgument => crate::t!("usage-unknown-argument", arg = arg()),
        ErrorKind::InvalidValue if value().is_empty() => crate::t!("usage-value-needed", arg = arg()),
        ErrorKind::InvalidValue => crate::t!("usage-invalid-value", value = value(), arg = arg()),
        ErrorKind::MissingRequiredArgument => crate::t!("usage-missing-argument", arg = arg()),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            crate::t!("usage-missing-command", commands = context(e, ContextKind::ValidSubcommand))
        }
        ErrorKind::InvalidSubcommand => crate::t!("usage-unknown-command", command = context(e, ContextKind::InvalidSubcommand)),
        ErrorKind::NoEquals | ErrorKind::WrongNumberOfValues | ErrorKind::TooManyValues => {
            crate::t!("usage-value-needed", arg = arg())
        }
        ErrorKind::ArgumentConflict => {
            crate::t!("usage-conflict", arg = arg(), other = context(e, ContextKind::PriorArg))
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(e).map(|s| s.to_string()).unwrap_or_default();
            crate::t!("usage-bad-value", value = value(), arg = arg(), reason = reason)
        }
        _ => {
            // What clap says, without its own "error: " and usage lines.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            crate::t!("usage-other", message = first.strip_prefix("error: ").unwrap_or(first).to_string())
        }
    };
    let valid = context(e, ContextKind::ValidValue);
    if !valid.is_empty() && e.kind() == ErrorKind::InvalidValue {
        text.push_str(crate::lang::Lang::pick(crate::messages::lang(), "；", "; "));
        text.push_str(&crate::t!("usage-possible-values", values = valid));
    }
    text
}

/// Prints a clap error: help and version to stdout as rendered; a usage error to stderr
/// as `gongyu: 错误：…`, then the usage line and the hint, in the output language.
pub fn print(e: &clap::Error) {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return;
    }
    let rendered = e.render().to_string();
    // clap's usage line, under the catalogue's heading; the command is its leading words,
    // before the first argument or flag (`gongyu coverage gaps`, not `… gaps --term`).
    let usage = rendered.lines().find_map(|l| l.trim_start().strip_prefix("Usage:")).map(str::trim);
    let command = usage.map_or_else(
        || "gongyu".to_string(),
        |u| u.split(' ').take_while(|w| !w.starts_with(['[', '<', '-'])).collect::<Vec<_>>().join(" "),
    );
    eprintln!("gongyu: {}{}", crate::t!("error-prefix"), message(e));
    if let Some(usage) = usage {
        eprintln!("\n{} {usage}", crate::t!("help-usage"));
    }
    eprintln!("\n{}", crate::t!("usage-help-hint", command = command));
}
