//! The command line: every subcommand and flag, with `--help` text.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

/// rrm: the USMCA Rapid Response Labor Mechanism case system.
///
/// Exit codes: 0 success; 1 storage or internal error; 2 bad input; 3 an event refused by the
/// procedure; 4 integrity failure; 5 no such case; 6 conflicting write; 7 not permitted;
/// 8 confidential data unavailable (no master key).
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
    /// The master key file (from `rrm keys init`) that opens confidential data. Without it
    /// (or RRM_MASTER_KEY holding the key itself), confidential data can be neither stored
    /// nor read; public data still can. Never keep it in the data directory.
    #[arg(long, global = true, env = "RRM_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,
    /// Do not load the public RRM record into a new data directory.
    #[arg(long, global = true)]
    pub no_default_data: bool,
    /// Where file bytes (evidence, documents) are kept: `database` (the default: a backup is
    /// one file), `dir:PATH`, or `s3://BUCKET/PREFIX` (endpoint from RRM_S3_ENDPOINT, an extra
    /// certificate authority from RRM_S3_CA_FILE, region and keys from AWS_REGION,
    /// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY). Needed only when a
    /// data directory is created or its file store has moved: the data directory remembers
    /// where its files are, and refuses another place (`rrm blobs migrate` moves them).
    #[arg(long, global = true, env = "RRM_BLOBS")]
    pub blobs: Option<String>,
    /// Keep cases and everything else in this PostgreSQL database
    /// (`postgres://USER:PASSWORD@HOST:PORT/DATABASE`, or `postgresql://`) instead of the SQLite
    /// file in the data directory, so that several servers can share it. The data directory
    /// still holds what is per server: the search indexes and the default master key file.
    /// An empty database is loaded with the public RRM record, as a new data directory is.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true,
        value_name = "URL",
        value_parser = crate::database_url::DatabaseUrl::from_arg
    )]
    pub database_url: Option<crate::database_url::DatabaseUrl>,
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
        /// Include petitioners who are not public, opened with the master key (the export is
        /// then confidential; the export is recorded in the audit log). Without it they are
        /// left out, and the export can be shared.
        #[arg(long)]
        include_confidential: bool,
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
        /// A reverse proxy (address or CIDR range; repeat for several) whose X-Forwarded-For
        /// header names the client, for login throttling. Without it, the connection's peer is
        /// the client and X-Forwarded-For is ignored.
        #[arg(
            long = "trusted-proxy",
            env = "RRM_TRUSTED_PROXIES",
            value_delimiter = ','
        )]
        trusted_proxies: Vec<String>,
        /// How often, in seconds, this server looks for deadline reminders to send (0: never).
        /// Every server may run the job: the store lets each reminder be sent by one only.
        #[arg(long, env = "RRM_REMINDERS_EVERY", default_value_t = 300)]
        reminders_every: u64,
        /// This server's name in the reminders it sends (default: host name and process id).
        #[arg(long, env = "RRM_INSTANCE")]
        instance: Option<String>,
    },
    /// Deadline reminders: list those sent, or send the due ones now (for a cron job).
    Reminders {
        /// Send the reminders due today (each once across every server), then list them.
        #[arg(long)]
        send: bool,
        /// How many of the latest to list.
        #[arg(long, default_value_t = 50)]
        limit: u64,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Staff accounts of the web workspace.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens of staff accounts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Teams of ILC staff, who work the cases assigned to them.
    #[command(subcommand)]
    Team(TeamCommand),
    /// The master key that wraps every case's data key: make one, rotate it, see its state.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Where file bytes are kept: see it, move them, delete orphans.
    #[command(subcommand)]
    Blobs(BlobsCommand),
    /// Copy this installation's whole store into a new, empty one (a PostgreSQL database, or
    /// a new data directory) and verify every table, hash chain, audit entry and file there.
    Migrate {
        /// `postgres://...` (also `postgresql://`), or the path of a new data directory.
        #[arg(long)]
        to: String,
    },
    /// Write the whole store (files included, master key never) to an rrm-backup/1 archive,
    /// then read it back and check it.
    Backup {
        /// The archive to write; refused if it exists.
        out: std::path::PathBuf,
    },
    /// Restore an rrm-backup/1 archive into this installation's store, which must be empty,
    /// and verify everything restored.
    Restore {
        /// The archive made by `rrm backup`.
        archive: std::path::PathBuf,
    },
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

/// The roles an account may have, as `--role` takes them.
pub const ROLES: [&str; 6] = [
    "analyst",
    "supervisor",
    "admin",
    "counterpart-mx",
    "counterpart-ca",
    "respondent",
];

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add an account. The password is read from standard input when it is not a terminal,
    /// else asked for twice without echo. At least 15 characters, at most 128, not a common or
    /// breached one. The user sets up an authenticator app (TOTP) at their first sign-in.
    Add {
        #[arg(long)]
        email: String,
        /// The name shown in the workspace.
        #[arg(long)]
        name: String,
        /// analyst, supervisor (may also publish cases), admin (manages accounts), counterpart-mx
        /// or counterpart-ca (a government official: sees what granted cases share with them),
        /// respondent (a company: the remediation items of granted cases).
        #[arg(long, value_parser = ROLES)]
        role: String,
        /// Put a staff account on this team (repeatable); staff reach only their teams' cases.
        #[arg(long)]
        team: Vec<String>,
    },
    /// Every account with its role, teams and whether it is disabled.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Change an account's role.
    Role {
        #[arg(long)]
        email: String,
        #[arg(long, value_parser = ROLES)]
        role: String,
    },
    /// Disable an account: it cannot sign in, its sessions end and its tokens are revoked.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again (its old tokens stay revoked).
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Lift a sign-in lockout after too many failed attempts, and forget the failures.
    Unlock {
        #[arg(long)]
        email: String,
    },
    /// Remove a user's authenticator (a lost phone) and sign them out everywhere; their next
    /// sign-in sets up a new one.
    #[command(name = "reset-2fa")]
    Reset2fa {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Write a new master key to a file (mode 0600; never overwrites). Keep it outside the
    /// data directory and its backups, and start rrm with --master-key-file pointing at it.
    Init {
        #[arg(long)]
        out: PathBuf,
    },
    /// Re-wrap every case's data key with a new master key (from `rrm keys init`), in one
    /// transaction; the current key comes from --master-key-file or RRM_MASTER_KEY. Then
    /// start rrm with the new key and destroy the old one.
    Rotate {
        #[arg(long)]
        new_key_file: PathBuf,
    },
    /// Whether a master key is configured, and which master key wraps the stored data keys.
    Status,
}

#[derive(Debug, Subcommand)]
pub enum BlobsCommand {
    /// Where the files are, how many and how large, and any orphans.
    Status,
    /// Copy every file to another place (`database`, `dir:PATH`, `s3://BUCKET/PREFIX`), read
    /// each back and check its hash, then switch the data directory to it, all under the
    /// database's write lock (stop `rrm serve` first). The old copies are left in place.
    Migrate {
        #[arg(long)]
        to: String,
    },
    /// Delete orphans: stored files no record names, left by writes interrupted between
    /// storing the bytes and committing the record. Only those older than the grace period,
    /// since a younger one may belong to a write still under way.
    Sweep {
        /// Hours an orphan must have been left before it is deleted.
        #[arg(long, default_value_t = 24)]
        older_than_hours: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Create a team. An intake team reaches every case not assigned to a team.
    Add {
        name: String,
        #[arg(long)]
        intake: bool,
    },
    /// Every team with its members.
    List,
    /// Put a staff account on a team.
    Join {
        team: String,
        #[arg(long)]
        email: String,
    },
    /// Take an account off a team.
    Leave {
        team: String,
        #[arg(long)]
        email: String,
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
    /// Who reaches a case: its teams (none: intake) and the accounts granted it.
    Access { id: String },
    /// Assign a case to a team (it leaves intake).
    Assign {
        id: String,
        #[arg(long)]
        team: String,
    },
    /// Take a case from a team (with no team left, it returns to intake).
    Unassign {
        id: String,
        #[arg(long)]
        team: String,
    },
    /// Grant a counterpart or respondent account a case.
    Grant {
        id: String,
        #[arg(long)]
        email: String,
    },
    /// Revoke an account's grant of a case.
    Revoke {
        id: String,
        #[arg(long)]
        email: String,
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
