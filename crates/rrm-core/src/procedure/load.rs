//! Loading procedure definition files: parse, merge fragments, resolve names, check everything.
//!
//! A malformed file is refused whole with an error that names the file, the line and the
//! problem, so a lawyer editing a rule sees exactly what to fix. Nothing here reads a file:
//! callers pass the text (the binary embeds the shipped definitions).

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;

use super::file::{RawClock, RawLength, RawProcedure, RawTransition, RawTrigger, RawValue};
use super::*;

/// The text of one definition file and the name to report it by.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// A definition file that cannot be loaded: where, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {problem}")]
pub struct ProcedureError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

/// Parses and validates every file; fragments are merged into the procedures that include them.
pub fn load_procedures(files: &[SourceFile]) -> Result<ProcedureSet, ProcedureError> {
    let mut parsed: BTreeMap<String, (Ctx<'_>, RawProcedure)> = BTreeMap::new();
    for file in files {
        let ctx = Ctx { file };
        let raw: RawProcedure = toml::from_str(&file.text).map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            ctx.error(span, e.message().trim().to_string())
        })?;
        if raw.format.get_ref() != "rrm-procedure/1" {
            return Err(ctx.at(&raw.format, "format must be \"rrm-procedure/1\""));
        }
        let id = raw.id.get_ref().clone();
        check_slug(&ctx, &raw.id)?;
        if parsed.contains_key(&id) {
            return Err(ctx.at(&raw.id, format!("procedure `{id}` is defined twice")));
        }
        parsed.insert(id, (ctx, raw));
    }
    let mut procedures = BTreeMap::new();
    for (id, (ctx, raw)) in &parsed {
        if raw.fragment {
            continue;
        }
        let mut parts = Vec::new();
        for include in &raw.includes {
            match parsed.get(include.get_ref()) {
                Some((fctx, fragment)) if fragment.fragment => parts.push((*fctx, fragment)),
                Some(_) => return Err(ctx.at(include, "only a fragment may be included")),
                None => return Err(ctx.at(include, "no procedure file has this id")),
            }
        }
        parts.push((*ctx, raw));
        procedures.insert(id.clone(), build(&parts)?);
    }
    Ok(ProcedureSet { procedures })
}

#[derive(Clone, Copy)]
struct Ctx<'a> {
    file: &'a SourceFile,
}

impl Ctx<'_> {
    fn error(&self, span: Range<usize>, problem: impl Into<String>) -> ProcedureError {
        let before = &self.file.text[..span.start.min(self.file.text.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
        ProcedureError {
            file: self.file.name.clone(),
            line,
            column,
            problem: problem.into(),
        }
    }

    fn at<T>(&self, value: &Spanned<T>, problem: impl Into<String>) -> ProcedureError {
        self.error(value.span(), problem)
    }
}

fn check_slug(ctx: &Ctx<'_>, id: &Spanned<String>) -> Result<(), ProcedureError> {
    let ok = !id.get_ref().is_empty()
        && id
            .get_ref()
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(ctx.at(id, "ids use lower-case letters, digits, `_` and `-`"))
    }
}

type Part<'a> = (Ctx<'a>, &'a RawProcedure);

/// Merges the parts (fragments first, the including file last; a later definition with the
/// same id replaces an earlier one) and resolves every name.
fn build(parts: &[Part<'_>]) -> Result<Procedure, ProcedureError> {
    let (main_ctx, main) = parts[parts.len() - 1];
    let stages = merge(parts, |r| &r.stages, |s| s.id.get_ref());
    let clocks = merge(parts, |r| &r.clocks, |c| c.id.get_ref());
    let transitions = merge(parts, |r| &r.transitions, |t| t.id.get_ref());
    let mut groups: HashMap<&str, (Ctx<'_>, &Vec<Spanned<String>>)> = HashMap::new();
    for (ctx, raw) in parts {
        for (name, members) in &raw.groups {
            groups.insert(name, (*ctx, members));
        }
    }
    let names = Names {
        stages: stages
            .iter()
            .map(|(_, s)| s.id.get_ref().as_str())
            .collect(),
        clocks: clocks
            .iter()
            .map(|(_, c)| c.id.get_ref().as_str())
            .collect(),
        groups,
    };
    let stage_defs = stages
        .iter()
        .map(|(ctx, s)| {
            check_slug(ctx, &s.id)?;
            Ok(Stage {
                id: s.id.get_ref().clone(),
                name: text(&s.name),
                terminal: s.terminal,
            })
        })
        .collect::<Result<Vec<_>, ProcedureError>>()?;
    let initial = single_initial(main_ctx, main, &stages)?;
    let clock_defs = clocks
        .iter()
        .map(|(ctx, c)| clock(ctx, c))
        .collect::<Result<Vec<_>, _>>()?;
    let transition_defs = transitions
        .iter()
        .map(|(ctx, t)| transition(ctx, t, &names))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Procedure {
        id: main.id.get_ref().clone(),
        version: main.version.clone(),
        annex: main.annex.clone(),
        complainant: party(&main_ctx, main.complainant.as_ref())?,
        respondent: party(&main_ctx, main.respondent.as_ref())?,
        name: text(&main.name),
        sources: parts.iter().flat_map(|(_, r)| r.sources.clone()).collect(),
        stages: stage_defs,
        transitions: transition_defs,
        clocks: clock_defs,
        initial,
    })
}

fn merge<'a, T>(
    parts: &[Part<'a>],
    items: impl Fn(&'a RawProcedure) -> &'a Vec<T>,
    id: impl Fn(&T) -> &String,
) -> Vec<(Ctx<'a>, &'a T)> {
    let mut merged: Vec<(Ctx<'a>, &'a T)> = Vec::new();
    for (ctx, raw) in parts {
        for item in items(raw) {
            match merged.iter().position(|(_, m)| id(m) == id(item)) {
                Some(i) => merged[i] = (*ctx, item),
                None => merged.push((*ctx, item)),
            }
        }
    }
    merged
}

struct Names<'a> {
    stages: Vec<&'a str>,
    clocks: Vec<&'a str>,
    groups: HashMap<&'a str, (Ctx<'a>, &'a Vec<Spanned<String>>)>,
}

fn text(raw: &super::file::RawText) -> Text {
    Text {
        en: raw.en.clone(),
        es: raw.es.clone(),
    }
}

fn single_initial(
    ctx: Ctx<'_>,
    main: &RawProcedure,
    stages: &[(Ctx<'_>, &super::file::RawStage)],
) -> Result<StageId, ProcedureError> {
    let initial: Vec<usize> = (0..stages.len()).filter(|&i| stages[i].1.initial).collect();
    match initial.as_slice() {
        [one] => Ok(StageId(*one as u16)),
        [] => Err(ctx.at(&main.id, "no stage is marked `initial = true`")),
        [_, second, ..] => {
            let (sctx, stage) = stages[*second];
            Err(sctx.at(&stage.id, "a second stage is marked `initial = true`"))
        }
    }
}

fn party(ctx: &Ctx<'_>, code: Option<&Spanned<String>>) -> Result<Option<Party>, ProcedureError> {
    code.map(|c| {
        Party::parse(c.get_ref()).ok_or_else(|| ctx.at(c, "a Party is \"US\", \"MX\" or \"CA\""))
    })
    .transpose()
}

fn status(ctx: &Ctx<'_>, raw: &Spanned<String>) -> Result<RuleStatus, ProcedureError> {
    RuleStatus::parse(raw.get_ref()).ok_or_else(|| {
        ctx.at(
            raw,
            format!(
                "unknown status `{}`: use verified, secondary or unverified",
                raw.get_ref()
            ),
        )
    })
}

fn event_kind(ctx: &Ctx<'_>, span: Range<usize>, name: &str) -> Result<EventKind, ProcedureError> {
    EventKind::parse(name).ok_or_else(|| ctx.error(span, format!("unknown event kind `{name}`")))
}

fn conditions(
    ctx: &Ctx<'_>,
    span: Range<usize>,
    kind: EventKind,
    when: &BTreeMap<String, RawValue>,
) -> Result<Vec<Condition>, ProcedureError> {
    let fields = EventBody::condition_fields(kind);
    when.iter()
        .map(|(field, value)| {
            let Some(&(_, is_bool)) = fields.iter().find(|(f, _)| f == field) else {
                let known: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
                return Err(ctx.error(
                    span.clone(),
                    format!("`{kind}` has no condition field `{field}` (it has: {known:?})"),
                ));
            };
            let accepts = match (value, is_bool) {
                (RawValue::Bool(b), true) => Accepts::Bool(*b),
                (RawValue::Text(t), false) => Accepts::OneOf(vec![t.clone()]),
                (RawValue::List(l), false) => Accepts::OneOf(l.clone()),
                _ => {
                    let want = if is_bool {
                        "true or false"
                    } else {
                        "a text or a list of texts"
                    };
                    return Err(ctx.error(span.clone(), format!("`{field}` takes {want}")));
                }
            };
            Ok(Condition {
                field: field.clone(),
                accepts,
            })
        })
        .collect()
}

fn trigger(ctx: &Ctx<'_>, raw: &Spanned<RawTrigger>) -> Result<Trigger, ProcedureError> {
    let span = raw.span();
    let (name, when) = match raw.get_ref() {
        RawTrigger::Event(name) => (name, None),
        RawTrigger::Conditional { event, when } => (event, Some(when)),
    };
    let event = event_kind(ctx, span.clone(), name)?;
    let when = match when {
        Some(w) => conditions(ctx, span, event, w)?,
        None => Vec::new(),
    };
    Ok(Trigger { event, when })
}

fn triggers(ctx: &Ctx<'_>, raw: &[Spanned<RawTrigger>]) -> Result<Vec<Trigger>, ProcedureError> {
    raw.iter().map(|t| trigger(ctx, t)).collect()
}

fn stage_ref(
    ctx: &Ctx<'_>,
    names: &Names<'_>,
    raw: &Spanned<String>,
) -> Result<StageId, ProcedureError> {
    names
        .stages
        .iter()
        .position(|s| s == raw.get_ref())
        .map(|i| StageId(i as u16))
        .ok_or_else(|| ctx.at(raw, format!("no stage is named `{}`", raw.get_ref())))
}

fn from_stages(
    ctx: &Ctx<'_>,
    names: &Names<'_>,
    from: &[Spanned<String>],
) -> Result<Vec<StageId>, ProcedureError> {
    let mut stages = Vec::new();
    for entry in from {
        if let Some(group) = entry.get_ref().strip_prefix('@') {
            let Some((gctx, members)) = names.groups.get(group) else {
                return Err(ctx.at(entry, format!("no stage group is named `{group}`")));
            };
            for member in members.iter() {
                stages.push(stage_ref(gctx, names, member)?);
            }
        } else {
            stages.push(stage_ref(ctx, names, entry)?);
        }
    }
    stages.sort();
    stages.dedup();
    Ok(stages)
}

fn transition(
    ctx: &Ctx<'_>,
    raw: &RawTransition,
    names: &Names<'_>,
) -> Result<Transition, ProcedureError> {
    check_slug(ctx, &raw.id)?;
    let event = event_kind(ctx, raw.event.span(), raw.event.get_ref())?;
    let when = match &raw.when {
        Some(w) => conditions(ctx, w.span(), event, w.get_ref())?,
        None => Vec::new(),
    };
    let requires = raw
        .requires
        .iter()
        .map(|g| {
            Guard::parse(g.get_ref()).ok_or_else(|| {
                let known: Vec<&str> = Guard::ALL.iter().map(|g| g.as_str()).collect();
                ctx.at(
                    g,
                    format!("unknown requirement `{}` (known: {known:?})", g.get_ref()),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let after_expiry_of = raw
        .after_expiry_of
        .as_ref()
        .map(|c| {
            names
                .clocks
                .iter()
                .position(|n| n == c.get_ref())
                .map(|i| ClockId(i as u16))
                .ok_or_else(|| ctx.at(c, format!("no clock is named `{}`", c.get_ref())))
        })
        .transpose()?;
    if raw.from.is_empty() {
        return Err(ctx.at(&raw.id, "`from` lists no stage"));
    }
    Ok(Transition {
        id: raw.id.get_ref().clone(),
        trigger: Trigger { event, when },
        from: from_stages(ctx, names, &raw.from)?,
        to: raw
            .to
            .as_ref()
            .map(|s| stage_ref(ctx, names, s))
            .transpose()?,
        requires,
        after_expiry_of,
        citation: raw.citation.clone(),
        status: status(ctx, &raw.status)?,
        note: raw.note.clone(),
    })
}

fn clock(ctx: &Ctx<'_>, raw: &RawClock) -> Result<ClockDef, ProcedureError> {
    check_slug(ctx, &raw.id)?;
    let starts_on = raw
        .starts_on
        .iter()
        .map(|t| trigger(ctx, t))
        .collect::<Result<Vec<_>, _>>()?;
    if starts_on.is_empty() {
        return Err(ctx.at(&raw.id, "`starts_on` lists no event"));
    }
    let length = clock_length(ctx, raw, &starts_on)?;
    Ok(ClockDef {
        id: raw.id.get_ref().clone(),
        name: text(&raw.name),
        kind: match raw.kind.as_ref().map(|k| k.get_ref().as_str()) {
            None | Some("deadline") => ClockKind::Deadline,
            Some("waiting_period") => ClockKind::WaitingPeriod,
            Some(other) => {
                let k = raw.kind.as_ref().expect("kind is present");
                return Err(ctx.at(
                    k,
                    format!("unknown clock kind `{other}`: use deadline or waiting_period"),
                ));
            }
        },
        length,
        unit: match raw.unit.get_ref().as_str() {
            "calendar_days" => DayUnit::CalendarDays,
            "business_days" => DayUnit::BusinessDays,
            other => {
                return Err(ctx.at(
                    &raw.unit,
                    format!("unknown unit `{other}`: use calendar_days or business_days"),
                ))
            }
        },
        calendar: CalendarId::parse(raw.calendar.get_ref())
            .ok_or_else(|| ctx.at(&raw.calendar, "a calendar is \"MX\", \"US\" or \"CA\""))?,
        starts_on,
        stops_on: triggers(ctx, &raw.stops_on)?,
        cancelled_on: triggers(ctx, &raw.cancelled_on)?,
        on_expiry: text(&raw.on_expiry),
        citation: raw.citation.clone(),
        status: status(ctx, &raw.status)?,
        note: raw.note.clone(),
    })
}

/// A length is a positive number of days, or `"agreed"`: the due date the Parties agreed,
/// read from a date field of the starting event (only `remediation_agreed.due` has one).
fn clock_length(
    ctx: &Ctx<'_>,
    raw: &RawClock,
    starts_on: &[Trigger],
) -> Result<ClockLength, ProcedureError> {
    match raw.length.get_ref() {
        RawLength::Days(n) if *n > 0 && *n <= 3650 => Ok(ClockLength::Days(*n as u32)),
        RawLength::Days(n) => Err(ctx.at(
            &raw.length,
            format!("length {n} is out of range: use 1 to 3650 days, or \"agreed\""),
        )),
        RawLength::Word(w) if w == "agreed" => {
            let Some(field) = &raw.agreed_field else {
                return Err(ctx.at(&raw.length, "an agreed length needs `agreed_field`"));
            };
            let all_remediation = starts_on
                .iter()
                .all(|t| t.event == EventKind::RemediationAgreed);
            if field.get_ref() != "due" || !all_remediation {
                return Err(ctx.at(
                    field,
                    "only `due` of `remediation_agreed` carries an agreed date",
                ));
            }
            Ok(ClockLength::Agreed {
                field: field.get_ref().clone(),
            })
        }
        RawLength::Word(w) => Err(ctx.at(
            &raw.length,
            format!("length `{w}` is not a number of days or \"agreed\""),
        )),
    }
}
