//! The command line: every subcommand and flag, with `--help` text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// rrm: the USMCA Rapid Response Labor Mechanism case system.
///
/// Exit codes: 0 success; 1 storage or internal error; 2 bad input; 3 an event refused by the
/// procedure; 4 integrity failure; 5 no such case; 6 conflicting write; 7 not permitted.
#[derive(Debug, Parser)]
#[command(name = "rrm", version, about, long_about)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The data directory (created on first use and loaded with the public RRM record).
    #[arg(long, global = true, env = "RRM_DATA", default_value = "./rrm-data")]
    pub data: PathBuf,
    /// Read procedure definitions (*.toml) from this directory instead of the built-in ones.
    #[arg(long, global = true, env = "RRM_PROCEDURES")]
    pub procedures: Option<PathBuf>,
    /// Do not load the public RRM record into a new data directory.
    #[arg(long, global = true)]
    pub no_default_data: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import case files (rrm-case/1: one case, an array of cases, or .jsonl with one per line).
    Import {
        /// Case files to import; every file is checked before any is stored.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Cases per transaction.
        #[arg(long, default_value_t = 1000)]
        batch: usize,
    },
    /// Export cases as rrm-case/1 files.
    Export {
        /// Cases to export (default: all).
        ids: Vec<String>,
        /// Write one file per case into this directory instead of a JSON array to stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// List or show cases.
    #[command(subcommand)]
    Case(CaseCommand),
    /// Record one event (a JSON object in the case file format; `-` reads stdin) on a case.
    Record {
        id: String,
        event: PathBuf,
        /// Treat this date as today (events after it are refused).
        #[arg(long)]
        today: Option<NaiveDate>,
    },
    /// Running deadlines across all cases, earliest first.
    Deadlines(DeadlinesArgs),
    /// Check every case's hash chain; names the first broken event of each broken case.
    Verify,
    /// Serve the public portal and the JSON API until Ctrl-C or SIGTERM.
    Serve {
        /// Address to listen on.
        #[arg(long, env = "RRM_LISTEN", default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// Mark every cookie Secure (HTTPS only), also for requests to localhost. Without it,
        /// cookies are Secure except on a loopback host.
        #[arg(long, env = "RRM_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Staff accounts of the web workspace.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens of staff accounts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Rebuild the search indexes (DATA/search-index/public and .../staff) from the store.
    Reindex,
    /// Full-text search of the published cases, English and Spanish ("..." for a phrase).
    /// Run `rrm reindex` (or `rrm serve`) once first; writes keep the index up to date.
    Search {
        query: String,
        /// Only cases in this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only cases of this year.
        #[arg(long)]
        year: Option<i32>,
        /// Only cases with this outcome.
        #[arg(long)]
        outcome: Option<String>,
        /// Only cases in this state (as written in the case, e.g. "San Luis Potosí").
        #[arg(long)]
        state: Option<String>,
        /// Only cases in this sector.
        #[arg(long)]
        sector: Option<String>,
        /// Search the staff index (unpublished cases and staff documents too).
        #[arg(long)]
        staff: bool,
        /// At most this many hits (1 to 100).
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[arg(long)]
        json: bool,
    },
    /// Counts by stage and outcome, and the size of the store.
    Stats {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff user. The password is read from standard input when it is not a terminal,
    /// else asked for twice without echo. At least 12 characters, at most 128, not a common one.
    Add {
        #[arg(long)]
        email: String,
        /// The name shown in the workspace.
        #[arg(long)]
        name: String,
        /// analyst, supervisor (may also publish cases) or admin.
        #[arg(long, value_parser = ["analyst", "supervisor", "admin"])]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a staff user and print it, once.
    Add {
        #[arg(long)]
        email: String,
        /// What the token is for ("case-tracking script").
        #[arg(long)]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// One line per case.
    List {
        /// Only cases in this stage.
        #[arg(long)]
        stage: Option<String>,
        /// Only open (true) or ended (false) cases.
        #[arg(long)]
        open: Option<bool>,
        #[arg(long)]
        json: bool,
    },
    /// A case's facility, timeline, clocks and what may come next.
    Show {
        id: String,
        /// Compute clocks as of this date (default: today).
        #[arg(long)]
        as_of: Option<NaiveDate>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct DeadlinesArgs {
    /// Compute as of this date (default: today).
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// Only deadlines already past due.
    #[arg(long, conflicts_with = "within")]
    pub overdue: bool,
    /// Only deadlines due from today to this many days ahead.
    #[arg(long)]
    pub within: Option<u32>,
    /// At most this many lines.
    #[arg(long, default_value_t = 10_000)]
    pub limit: u64,
    /// Print a JSON array.
    #[arg(long)]
    pub json: bool,
}
