//! `rrm team ...`, `rrm case access|assign|unassign|grant|revoke` and `rrm user
//! list|role|disable|enable`: who reaches which case. The operator at the server's command line
//! acts with full rights ([`Actor::Operator`]); every change is audited as the operator's.

use serde_json::json;

use rrm_app::{Actor, Rrm};
use rrm_store::{Role, User};

use crate::cli::{CaseCommand, TeamCommand, UserCommand};
use crate::exit::Failure;

pub fn parse_role(role: &str) -> Result<Role, Failure> {
    Role::parse(role).ok_or_else(|| {
        Failure::bad_input(format!(
            "role: `{role}` is not one of {}",
            crate::cli::ROLES.join(", ")
        ))
    })
}

pub fn team(rrm: &Rrm, command: TeamCommand) -> Result<(), Failure> {
    let now = crate::clock::now();
    match command {
        TeamCommand::Add { name, intake } => {
            let team = rrm.add_team(Actor::Operator, &name, intake, now)?;
            let kind = if team.intake { "intake team" } else { "team" };
            println!("added {kind} {}", team.name);
        }
        TeamCommand::List => {
            for team in rrm.access.teams().map_err(rrm_app::AppError::from)? {
                let members = rrm
                    .access
                    .team_members(team.id)
                    .map_err(rrm_app::AppError::from)?;
                let mut emails = Vec::new();
                for id in members {
                    if let Some(u) = rrm.workspace.user(id).map_err(rrm_app::AppError::from)? {
                        emails.push(u.email);
                    }
                }
                let intake = if team.intake { " (intake)" } else { "" };
                println!("{}{intake}: {}", team.name, emails.join(", "));
            }
        }
        TeamCommand::Join { team, email } => {
            rrm.set_team_member(Actor::Operator, &team, &rrm.account(&email)?, true, now)?;
            println!("{email} is on team {team}");
        }
        TeamCommand::Leave { team, email } => {
            rrm.set_team_member(Actor::Operator, &team, &rrm.account(&email)?, false, now)?;
            println!("{email} left team {team}");
        }
    }
    Ok(())
}

pub fn case(rrm: &Rrm, command: CaseCommand) -> Result<(), Failure> {
    let (op, now) = (Actor::Operator, crate::clock::now());
    let id = match command {
        CaseCommand::Access { id } => id,
        CaseCommand::Assign { id, team } => {
            rrm.assign_case(op, &id, &team, true, now)?;
            id
        }
        CaseCommand::Unassign { id, team } => {
            rrm.assign_case(op, &id, &team, false, now)?;
            id
        }
        CaseCommand::Grant { id, email } => {
            rrm.set_grant(op, &id, &rrm.account(&email)?, true, now)?;
            id
        }
        CaseCommand::Revoke { id, email } => {
            rrm.set_grant(op, &id, &rrm.account(&email)?, false, now)?;
            id
        }
        CaseCommand::List { .. } | CaseCommand::Show { .. } => {
            unreachable!("listed and shown by the case command")
        }
    };
    show_access(rrm, &id)
}

fn show_access(rrm: &Rrm, id: &str) -> Result<(), Failure> {
    let (teams, grants) = rrm.case_access(Actor::Operator, id)?;
    let teams: Vec<String> = teams.into_iter().map(|t| t.name).collect();
    let grants: Vec<String> = grants.into_iter().map(|u| u.email).collect();
    let teams = match teams.is_empty() {
        true => "intake (no team assigned)".to_string(),
        false => teams.join(", "),
    };
    println!("{id}: teams {teams}; granted {}", grants.join(", "));
    Ok(())
}

pub fn user(rrm: &Rrm, command: UserCommand) -> Result<(), Failure> {
    let (op, now) = (Actor::Operator, crate::clock::now());
    match command {
        UserCommand::List { json } => return list_users(rrm, json),
        UserCommand::Role { email, role } => {
            rrm.set_role(op, &rrm.account(&email)?, parse_role(&role)?, now)?;
            println!("{email} is now {role}");
        }
        UserCommand::Disable { email } => {
            rrm.set_disabled(op, &rrm.account(&email)?, true, now)?;
            println!("{email} is disabled: its sessions ended and its tokens are revoked");
        }
        UserCommand::Enable { email } => {
            rrm.set_disabled(op, &rrm.account(&email)?, false, now)?;
            println!("{email} is enabled");
        }
        UserCommand::Add { .. } | UserCommand::Unlock { .. } | UserCommand::Reset2fa { .. } => {
            unreachable!("handled by the user command")
        }
    }
    Ok(())
}

fn list_users(rrm: &Rrm, as_json: bool) -> Result<(), Failure> {
    let users: Vec<User> = rrm.access.users().map_err(rrm_app::AppError::from)?;
    let mut lines = Vec::new();
    for u in users {
        let teams: Vec<String> = rrm
            .access
            .teams_of(u.id)
            .map_err(rrm_app::AppError::from)?
            .into_iter()
            .map(|t| t.name)
            .collect();
        lines.push((u, teams));
    }
    if as_json {
        let rows: Vec<_> = lines
            .iter()
            .map(|(u, teams)| {
                json!({"email": u.email, "name": u.display_name, "role": u.role.as_str(),
                       "teams": teams, "disabled": u.disabled.map(|d| d.to_rfc3339())})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows).expect("json"));
        return Ok(());
    }
    for (u, teams) in lines {
        let disabled = if u.disabled.is_some() {
            " DISABLED"
        } else {
            ""
        };
        println!(
            "{} ({}) {} teams: {}{disabled}",
            u.email,
            u.display_name,
            u.role.as_str(),
            teams.join(", ")
        );
    }
    Ok(())
}
