//! `rrm user add|unlock|reset-2fa` and `rrm token add`: accounts, their sign-in lockouts and
//! second factors, and API tokens for the web workspace.
//!
//! A new account has no authenticator: its owner sets one up at the first sign-in (the
//! password alone opens nothing else), so no TOTP secret ever passes through an operator's
//! terminal.
//!
//! A password is never taken on the command line (it would stay in the shell's history and
//! show in the process list): it is read from standard input when that is not a terminal, or
//! asked for twice without echo. A weak one is refused naming the rule it breaks.

use std::io::{BufRead, IsTerminal};

use anyhow::Context;

use rrm_app::{Actor, Rrm};
use rrm_store::{Confidential, TokenScope};

use crate::exit::Failure;

pub fn add(
    rrm: &Rrm,
    email: &str,
    name: &str,
    role: &str,
    teams: &[String],
) -> Result<(), Failure> {
    let role = super::access::parse_role(role)?;
    if !role.is_staff() && !teams.is_empty() {
        return Err(Failure::bad_input(format!(
            "team: a {} account cannot be on a team (rule access.team); grant it cases",
            role.as_str()
        )));
    }
    for team in teams {
        rrm.team(team)?;
    }
    let password = read_password()?;
    let user = rrm.add_user(email, name, role, &password, crate::clock::now())?;
    for team in teams {
        rrm.set_team_member(Actor::Operator, team, &user, true, crate::clock::now())?;
    }
    println!(
        "added {} ({}) as {}",
        user.email,
        user.display_name,
        user.role.as_str()
    );
    if role.is_staff() && teams.is_empty() {
        eprintln!(
            "note: {} is on no team and reaches no case yet: `rrm team join intake --email {}`",
            user.email, user.email
        );
    }
    eprintln!(
        "they set up an authenticator app at their first sign-in, at /staff/login; \
         until then their password alone can do that, so ask them to sign in soon"
    );
    Ok(())
}

pub fn unlock(rrm: &Rrm, email: &str) -> Result<(), Failure> {
    match rrm.unlock_account(email)? {
        true => println!("unlocked sign-in for {email}"),
        false => println!("sign-in for {email} was not locked"),
    }
    Ok(())
}

pub fn reset_second_factor(rrm: &Rrm, email: &str) -> Result<(), Failure> {
    let had = rrm.reset_second_factor(email)?;
    let what = if had {
        "removed the authenticator of"
    } else {
        "no authenticator was set up for"
    };
    println!("{what} {email}; signed out everywhere; the next sign-in sets up a new one");
    Ok(())
}

fn read_password() -> Result<Confidential<String>, Failure> {
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .context("cannot read the password from stdin")?;
        return Ok(Confidential::new(
            line.trim_end_matches(['\r', '\n']).to_string(),
        ));
    }
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let again =
        rpassword::prompt_password("Password again: ").context("cannot read the password")?;
    if first != again {
        return Err(Failure::bad_input("password: the two entries differ"));
    }
    Ok(Confidential::new(first))
}

pub fn add_token(rrm: &Rrm, email: &str, label: &str) -> Result<(), Failure> {
    let (record, token) = rrm.add_token(email, label, TokenScope::Api, crate::clock::now())?;
    eprintln!(
        "API token {} for {email} (\"{}\"); it is shown only now:",
        record.id.0, record.label
    );
    println!("{}", token.expose());
    Ok(())
}
