//! One module per command: parse its input, call the application, print the result.

mod access;
mod blobs;
mod case;
mod deadlines;
mod export;
mod import;
mod keys;
mod record;
mod reindex;
mod reminders;
mod serve;
mod stats;
mod transfer;

pub use transfer::Movable;
mod user;
mod verify;

use crate::cli::{CaseCommand, Cli, Command, KeysCommand, TokenCommand, UserCommand};
use crate::exit::Failure;
use crate::open::open;

pub fn run(cli: Cli) -> Result<(), Failure> {
    // Making a key file needs no store (and must not create a data directory).
    if let Command::Keys(KeysCommand::Init { out }) = &cli.command {
        return keys::init(out);
    }
    // Looking after file bytes needs the store alone, of an existing data directory.
    if let Command::Blobs(command) = &cli.command {
        return blobs::run(&cli.global, command);
    }
    // Moving a whole store works on the raw store: no public record, no intake team first.
    if matches!(
        cli.command,
        Command::Migrate { .. } | Command::Backup { .. } | Command::Restore { .. }
    ) {
        return transfer::run(&cli.global, cli.command);
    }
    let (rrm, files) = open(&cli.global)?;
    let rrm = match cli.command {
        Command::Import { .. } | Command::Record { .. } => {
            reindex::follow_writes(rrm, &cli.global.data)?
        }
        _ => rrm,
    };
    match cli.command {
        Command::Import { files, batch } => import::run(&rrm, &files, batch),
        Command::Export {
            ids,
            out,
            include_confidential,
        } => export::run(&rrm, &ids, out.as_deref(), include_confidential),
        Command::Case(CaseCommand::List { stage, open, json }) => {
            case::list(&rrm, stage, open, json)
        }
        Command::Case(CaseCommand::Show { id, as_of, json }) => case::show(&rrm, &id, as_of, json),
        Command::Case(command) => access::case(&rrm, command),
        Command::Team(command) => access::team(&rrm, command),
        Command::Keys(command) => keys::run(&rrm, command),
        Command::Record { id, event, today } => record::run(&rrm, &id, &event, today),
        Command::Deadlines(args) => deadlines::run(&rrm, &args),
        Command::Verify => verify::run(&rrm, &files),
        Command::Stats { json } => stats::run(&rrm, json),
        Command::Reindex => reindex::reindex(&rrm, &cli.global.data),
        Command::Search {
            query,
            stage,
            year,
            outcome,
            state,
            sector,
            staff,
            limit,
            json,
        } => {
            let filters = rrm_search::SearchFilters {
                stage,
                year,
                outcome,
                state,
                sector,
            };
            reindex::search(&cli.global.data, &query, filters, limit, staff, json)
        }
        Command::Serve {
            listen,
            secure_cookies,
            trusted_proxies,
            reminders_every,
            instance,
        } => serve::run(
            rrm,
            &cli.global.data,
            crate::open::database_url(&cli.global)?.is_some(),
            &files,
            serve::Listening {
                listen,
                secure_cookies,
                trusted_proxies,
            },
            serve::ReminderJob::new(reminders_every, instance),
        ),
        Command::Reminders { send, limit, json } => reminders::run(&rrm, send, limit, json),
        Command::User(UserCommand::Add {
            email,
            name,
            role,
            team,
        }) => user::add(&rrm, &email, &name, &role, &team),
        Command::User(UserCommand::Unlock { email }) => user::unlock(&rrm, &email),
        Command::User(UserCommand::Reset2fa { email }) => user::reset_second_factor(&rrm, &email),
        Command::User(command) => access::user(&rrm, command),
        Command::Token(TokenCommand::Add { email, label }) => user::add_token(&rrm, &email, &label),
        Command::Blobs(_) => unreachable!("handled before the data directory is opened"),
        Command::Migrate { .. } | Command::Backup { .. } | Command::Restore { .. } => {
            unreachable!("handled before the data directory is opened")
        }
    }
}

/// A progress bar on stderr that hides itself when stderr is not a terminal.
pub(crate) fn progress(len: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(len);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg:>9} [{bar:40}] {pos}/{len} ({per_sec}, {eta})",
        )
        .expect("a valid template")
        .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}
