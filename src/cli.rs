//! The command line: clap types only. Values are checked by the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::render::{Format, ReportFormat};

/// gongyu (共育) — compliance ledger for a district's family–school–community
/// co-education action plan (家校社共育三年行动计划).
#[derive(Debug, Parser)]
#[command(name = "gongyu", version, about, long_about = None, after_help = AFTER_HELP)]
pub struct Cli {
    /// The ledger file [default: $GONGYU_DB, else gongyu.db in the current folder; for demo, gongyu-demo.db in the temporary folder]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The plan to measure against, a TOML file [default: $GONGYU_PLAN, else the built-in Mentougou 2019–2021 plan; see `gongyu plan show`]
    #[arg(long, global = true, value_name = "FILE")]
    pub plan: Option<PathBuf>,

    /// The language of tables, workbooks and pages: zh (Chinese) or en [default: $GONGYU_LANG, else zh]; CSV and JSON keys never change
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::lang::Lang>,

    #[command(subcommand)]
    pub command: Command,
}

const AFTER_HELP: &str = "\
Start with `gongyu demo` to see a report built from the bundled Mentougou fixtures.
A clerk's term: gongyu init; gongyu import communities FILE --term 2020-2021-1;
gongyu import schools FILE --term 2020-2021-1; gongyu import bodies FILE --term 2020-2021-1;
gongyu import key-students FILE --school-year 2020-2021; gongyu import activities FILE;
gongyu import registry FILE;
gongyu coverage report --by township; gongyu coverage gaps.

Exit codes: 0 done; 1 error (bad input, missing ledger, database failure);
2 usage error; 3 `coverage report --check` found a gap.";

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the ledger (does nothing if it exists)
    Init,
    /// Validate and record returns (CSV/text in UTF-8, GB18030 or UTF-16, or .xlsx/.xls/.ods); all files or none
    Import(ImportArgs),
    /// Coverage of the plan's targets
    #[command(subcommand)]
    Coverage(CoverageCommand),
    /// Build a fresh demo ledger from the bundled fixtures and print its report
    /// (--db defaults to gongyu-demo.db in the temporary folder; $GONGYU_DB is not used)
    Demo,
    /// List the import batches, newest first
    Log(LogArgs),
    /// Undo one import batch (a roster restores the one it replaced)
    Revert(RevertArgs),
    /// Check the ledger's integrity and invariants (exit 1 if anything is wrong)
    Check,
    /// Copy the ledger to FILE consistently, even while an import runs
    Backup(BackupArgs),
    /// Write a blank return with the canonical Chinese headers (CSV, or xlsx with dropdowns)
    Template(TemplateArgs),
    /// The plan in force (its targets, thresholds, periods, bodies), and checking plan files
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Which returns are in for a term, and who has not reported
    Returns(ReturnsArgs),
    /// Lock a term's results after inspection (close), reopen it with a reason, or list both
    #[command(subcommand)]
    Term(TermCommand),
    /// Data quality: checks over the activity rows of a term, and reviews of findings
    Quality(QualityArgs),
    /// Print a shell completion script (e.g. `gongyu completions bash > /etc/bash_completion.d/gongyu`)
    Completions(CompletionsArgs),
    /// Print the manual page (e.g. `gongyu man > gongyu.1; man ./gongyu.1`), or write a page for every command with --dir
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ReturnsArgs {
    /// The term [default: the term containing today]
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// List only what is missing: rosters, units without activities, registries not filed
    #[arg(long)]
    pub missing: bool,
    /// Timeliness by township (the default; with the district), or also by unit
    #[arg(long, value_enum, value_name = "BY", default_value_t = ReturnsBy::Township)]
    pub by: ReturnsBy,
    #[command(flatten)]
    pub out: ReportOutput,
}

/// How `returns` breaks timeliness down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReturnsBy {
    Township,
    Unit,
}

#[derive(Debug, Subcommand)]
pub enum TermCommand {
    /// Close a term: imports and reverts that would change its report are refused from now on
    Close(TermCloseArgs),
    /// Reopen a closed term; the reason is kept in the ledger
    Reopen(TermReopenArgs),
    /// Every close and reopen: who, when, and the note or reason
    List(TermListArgs),
}

#[derive(Debug, Args)]
pub struct TermCloseArgs {
    /// The term, e.g. 2020-2021-1
    #[arg(value_name = "TERM")]
    pub term: String,
    /// A note kept with the close (e.g. "reported to the municipal board on 2021-02-05")
    #[arg(long, value_name = "NOTE")]
    pub note: Option<String>,
    /// Close a term that has not ended yet or lies outside the plan's terms
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TermReopenArgs {
    /// The term, e.g. 2020-2021-1
    #[arg(value_name = "TERM")]
    pub term: String,
    /// Why the term is reopened (required; kept in the ledger)
    #[arg(long, value_name = "REASON")]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct TermListArgs {
    /// Output format; csv and json are stable for scripts
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: start with a UTF-8 BOM so Excel shows Chinese correctly
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write gongyu.1 and a page for each command (gongyu-import.1, …) into this folder
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Print the plan in force as a plan file (edit it and pass it to --plan to write a new plan)
    Show(PlanShowArgs),
    /// Validate a plan file: every mistake as FILE:LINE (exit 1 if any)
    Check(PlanCheckArgs),
}

/// The formats of `plan show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Toml,
    Json,
}

#[derive(Debug, Args)]
pub struct PlanShowArgs {
    /// toml (a valid plan file) or json
    #[arg(long, value_enum, default_value_t = PlanFormat::Toml)]
    pub format: PlanFormat,
}

#[derive(Debug, Args)]
pub struct PlanCheckArgs {
    /// The plan file to check
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// The formats of a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TemplateFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Args)]
pub struct TemplateArgs {
    /// Which return
    #[arg(value_enum)]
    pub kind: KindArg,
    /// csv (UTF-8 with BOM) or xlsx (dropdown lists and a sheet explaining each column)
    #[arg(long, value_enum, default_value_t = TemplateFormat::Csv)]
    pub format: TemplateFormat,
    /// Where to write it [default: standard output for csv; required for xlsx]
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (never the ledger, never through a symbolic link)
    #[arg(long, requires = "output")]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Show only the newest N batches
    #[arg(long, value_name = "N")]
    pub limit: Option<u64>,
    /// Output format; csv and json are stable for scripts
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// With --format csv: start with a UTF-8 BOM so Excel shows Chinese correctly
    #[arg(long)]
    pub excel: bool,
}

#[derive(Debug, Args)]
pub struct RevertArgs {
    /// The batch id, as `gongyu log` shows it
    #[arg(value_name = "BATCH")]
    pub batch: i64,
    /// Revert a roster even if activities of its units are then in no roster
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (must not exist)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// The kind of return: the command line's names come from each kind's spec.
pub type KindArg = crate::returns::ReturnKind;

impl ValueEnum for crate::returns::ReturnKind {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::returns::ReturnKind::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        let spec = self.spec();
        Some(clap::builder::PossibleValue::new(spec.name).help(spec.about))
    }
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the files hold
    #[arg(value_enum)]
    pub kind: KindArg,
    /// One or more returns (CSV/text, or .xlsx/.xls/.ods workbooks); a bad row in any of them rejects them all
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The roster's term, e.g. 2020-2021-1 or 2020-2021学年第一学期 (needed unless the file has a term column)
    #[arg(long, value_name = "TERM", conflicts_with = "school_year")]
    pub term: Option<String>,
    /// A key-students roster's school year, e.g. 2020-2021 (needed unless the file has a school_year column)
    #[arg(long, value_name = "YEAR")]
    pub school_year: Option<String>,
    /// Check the files and report what would be imported, without writing anything
    #[arg(long)]
    pub dry_run: bool,
    /// When the return was received, e.g. 2021-01-15 [default: today]; not after today, not before its period starts
    #[arg(long, value_name = "DATE")]
    pub received: Option<String>,
    /// For a workbook: the sheet to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// If rejected, write the return back to FILE with an added error column on the bad rows (.xlsx for a workbook, else text in the input's encoding)
    #[arg(long, value_name = "FILE")]
    pub rejects: Option<PathBuf>,
    /// With --rejects: replace FILE if it exists (never the ledger, never through a symbolic link)
    #[arg(long, requires = "rejects")]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum CoverageCommand {
    /// The targets table, for the district and (with --by township) each township
    Report(ReportArgs),
    /// One row per failing unit: who is short, why, and who is responsible
    Gaps(GapsArgs),
    /// The plan's progress term by term: every target from the plan's first term
    Trend(TrendArgs),
}

#[derive(Debug, Args)]
pub struct TrendArgs {
    /// The first term [default: the plan's first_term]
    #[arg(long, value_name = "TERM")]
    pub from: Option<String>,
    /// The last term [default: the plan's last_term, or the term containing today if earlier]
    #[arg(long, value_name = "TERM")]
    pub to: Option<String>,
    /// Only this target, e.g. parent-school-activities
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
    /// Add a series per township and target (JSON always has them)
    #[arg(long, value_enum, value_name = "BY")]
    pub by: Option<By>,
    /// Only this township (by name or code), instead of the district
    #[arg(long, value_name = "TOWNSHIP")]
    pub township: Option<String>,
    #[command(flatten)]
    pub out: ReportOutput,
}

/// Where and how the coverage commands write.
#[derive(Debug, Args)]
pub struct ReportOutput {
    /// Output format; csv and json are stable for scripts; xlsx and html are the inspector's workbook and web page
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Write to FILE instead of standard output (required for xlsx); an existing FILE is kept unless --force
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Replace FILE if it exists (never the ledger, never through a symbolic link)
    #[arg(long, requires = "output")]
    pub force: bool,
    /// With --format csv: start with a UTF-8 BOM so Excel shows Chinese correctly
    #[arg(long)]
    pub excel: bool,
}

/// How to break a report down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Township,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The term to report [default: the term containing today]
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// Add a row per township and target (JSON always has them)
    #[arg(long, value_enum, value_name = "BY")]
    pub by: Option<By>,
    /// Exit 3 if any target, district or township, has a gap
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub out: ReportOutput,
}

#[derive(Debug, Args)]
pub struct GapsArgs {
    /// The term to report [default: the term containing today]
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// Only this target, e.g. parent-school-activities
    #[arg(long, value_name = "ID")]
    pub target: Option<String>,
    /// Only this township, by name or code
    #[arg(long, value_name = "TOWNSHIP")]
    pub township: Option<String>,
    #[command(flatten)]
    pub out: ReportOutput,
}

/// `gongyu quality [--term T] [--format …] [--check]`, or `gongyu quality review ID`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct QualityArgs {
    #[command(subcommand)]
    pub command: Option<QualityCommand>,
    /// The term to check [default: the term containing today]
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// Exit 3 if a high-severity finding is not reviewed
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub out: ReportOutput,
}

#[derive(Debug, Subcommand)]
pub enum QualityCommand {
    /// Mark a finding reviewed (kept with who and when), or undo that with --undo
    Review(QualityReviewArgs),
}

#[derive(Debug, Args)]
pub struct QualityReviewArgs {
    /// The finding's id, as `gongyu quality` lists it (e.g. Q1a2b3c4d5e)
    #[arg(value_name = "ID")]
    pub id: String,
    /// The term of the finding [default: the term containing today]
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// What the review found (required unless --undo)
    #[arg(long, value_name = "NOTE", required_unless_present = "undo")]
    pub note: Option<String>,
    /// Undo the finding's review: it is unreviewed again
    #[arg(long)]
    pub undo: bool,
}

/// The command line with every help text from the message catalogue, in the output
/// language: commands (`cmd-PATH`), flags (`arg-PATH-ID`, else the shared `arg-ID`), their
/// values (`value-ID-VALUE`) and clap's own headings. The doc comments above are the
/// developers' notes; what a person reads comes from `locales/`.
pub fn command() -> clap::Command {
    use clap::CommandFactory;
    let cmd = localize(Cli::command(), "");
    let version = crate::t!("help-flag-version");
    cmd.disable_version_flag(true).arg(
        clap::Arg::new("version")
            .short('V')
            .long("version")
            .action(clap::ArgAction::Version)
            .help(version)
            .help_heading(crate::t!("help-options")),
    )
}

/// The catalogue's text for `key`, if it has one.
fn lookup(key: &str) -> Option<String> {
    let text = crate::messages::text(key, &[]);
    (text != key).then_some(text)
}

fn localize(mut cmd: clap::Command, path: &str) -> clap::Command {
    let key = if path.is_empty() { "cmd".to_string() } else { format!("cmd-{path}") };
    if let Some(about) = lookup(&key) {
        cmd = cmd.about(about.clone()).long_about(about);
    }
    if let Some(after) = lookup(&format!("{key}-after")) {
        cmd = cmd.after_help(after);
    }
    let (options, arguments) = (crate::t!("help-options"), crate::t!("help-arguments"));
    cmd = cmd
        .help_template(format!("{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}", crate::t!("help-usage")))
        .subcommand_help_heading(crate::t!("help-commands"))
        .disable_help_subcommand(true)
        .disable_help_flag(true);
    let ids: Vec<clap::Id> = cmd.get_arguments().map(|a| a.get_id().clone()).collect();
    for (order, id) in ids.iter().enumerate() {
        cmd = cmd.mut_arg(id, |a| {
            let values: Vec<String> = a.get_possible_values().iter().map(|v| v.get_name().to_string()).collect();
            let shared = match id.as_str() {
                "format" if values.iter().any(|v| v == "xlsx") => "arg-report-format".to_string(),
                other => format!("arg-{other}"),
            };
            let help = lookup(&format!("arg-{path}-{id}")).or_else(|| lookup(&shared));
            let heading = if a.is_positional() { arguments.clone() } else { options.clone() };
            let mut a = a.help_heading(heading).display_order(order);
            if let Some(help) = help.as_ref().filter(|_| !a.get_action().takes_values()) {
                a = a.help(help.clone());
            } else if let Some(mut help) = help {
                // The default and the values in the catalogue's words, not clap's.
                let default: Vec<String> = a.get_default_values().iter().map(|v| v.to_string_lossy().into_owned()).collect();
                if !default.is_empty() {
                    help = format!("{help}{}", crate::t!("help-default", value = default.join(", ")));
                }
                let kind = if id == "kind" { "kind" } else { id.as_str() };
                let described: Vec<String> =
                    values.iter().filter_map(|v| lookup(&format!("value-{kind}-{v}")).map(|d| format!("  {v}: {d}"))).collect();
                let long = if values.is_empty() {
                    help.clone()
                } else if described.len() == values.len() {
                    format!("{help}\n\n{}", described.join("\n"))
                } else {
                    format!(
                        "{help}\n{}",
                        crate::t!("usage-possible-values", values = values.join(&crate::t!("help-list-separator")))
                    )
                };
                a = a.help(help).long_help(long).hide_possible_values(true).hide_default_value(true);
            }
            a
        });
    }
    cmd = cmd.arg(
        clap::Arg::new("help")
            .short('h')
            .long("help")
            .action(clap::ArgAction::Help)
            .help(crate::t!("help-flag-help"))
            .help_heading(options)
            .display_order(ids.len()),
    );
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = if path.is_empty() { name.clone() } else { format!("{path}-{name}") };
        cmd = cmd.mut_subcommand(&name, |s| localize(s, &sub));
    }
    cmd
}
