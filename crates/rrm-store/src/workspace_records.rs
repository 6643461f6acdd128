//! The records of the staff workspace: users, sessions, API tokens, petition submissions,
//! evidence files, internal notes and staff documents. Times are UTC instants, stored to the
//! second; hashes are SHA-256.
//!
//! Invariant: nothing here holds a secret in a form that could be replayed. Sessions and API
//! tokens are kept as the SHA-256 of the token, passwords and petition secrets as Argon2id
//! hashes; confidential text is wrapped in [`Confidential`] so it cannot be logged by accident.

use chrono::{DateTime, Utc};

use crate::{Confidential, Hash, Sealed};

/// A government whose officials may be given access to what a case shares with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Government {
    Mexico,
    Canada,
}

impl Government {
    pub fn code(self) -> &'static str {
        match self {
            Government::Mexico => "mx",
            Government::Canada => "ca",
        }
    }
}

/// What an account is. ILC staff (analyst, supervisor, admin) work on the cases of the teams
/// they are on; a government counterpart or a company respondent sees only the cases granted
/// to them, and in those only what is shared with their kind of account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// Records events, writes notes, uploads documents on their teams' cases.
    Analyst,
    /// An analyst who may also publish cases, manage who reaches them, and read their audit.
    Supervisor,
    /// Manages accounts and teams; on cases, a supervisor of the teams they are on.
    Admin,
    /// An official of Mexico's or Canada's government (what is shared with them).
    Counterpart(Government),
    /// The company operating a facility (the remediation items of their facility).
    Respondent,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Analyst,
        Role::Supervisor,
        Role::Admin,
        Role::Counterpart(Government::Mexico),
        Role::Counterpart(Government::Canada),
        Role::Respondent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Counterpart(Government::Mexico) => "counterpart-mx",
            Role::Counterpart(Government::Canada) => "counterpart-ca",
            Role::Respondent => "respondent",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// ILC staff: analysts, supervisors and admins, who work in the staff workspace.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Analyst | Role::Supervisor | Role::Admin)
    }

    /// Outside the ILC: counterparts and respondents, who see only what is shared with them.
    pub fn is_external(self) -> bool {
        !self.is_staff()
    }

    /// Whether this role may publish a case, manage its access and read its audit trail
    /// (on cases it reaches).
    pub fn may_publish(self) -> bool {
        matches!(self, Role::Supervisor | Role::Admin)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub i64);

/// A staff member to create. `email` is compared as given: callers normalize it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    /// The Argon2id PHC string of the password.
    pub password_hash: Confidential<String>,
    pub role: Role,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: Confidential<String>,
    pub role: Role,
    pub created: DateTime<Utc>,
    /// Set when an admin disabled the account: it can no longer sign in or use a token.
    pub disabled: Option<DateTime<Utc>>,
}

/// A signed-in browser. The cookie holds the token; the store holds only its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub token_hash: Hash,
    pub user: UserId,
    /// The synchronizer token every staff form of this session must carry.
    pub csrf_token: Confidential<String>,
    pub created: DateTime<Utc>,
    /// When the session was last used (to the minute or so: it is written at most once a
    /// minute), for the idle timeout.
    pub last_seen: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenScope {
    /// `Authorization: Bearer` on the API's write routes.
    Api,
    /// The read-only deadline calendar feed, whose URL carries the token.
    Calendar,
}

impl TokenScope {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Api => "api",
            TokenScope::Calendar => "calendar",
        }
    }

    pub fn parse(name: &str) -> Option<TokenScope> {
        [TokenScope::Api, TokenScope::Calendar]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TokenId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub token_hash: Hash,
    pub user: UserId,
    pub label: String,
    pub scope: TokenScope,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub token_hash: Hash,
    pub user: UserId,
    pub label: String,
    pub scope: TokenScope,
    pub created: DateTime<Utc>,
    pub revoked: Option<DateTime<Utc>>,
}

/// A petition as received, kept apart from the case it opened: the case holds only what may
/// one day be published (facility, allegation codes), the submission everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSubmission {
    /// `RRM-XXXX-XXXX`, unique.
    pub receipt: String,
    /// The Argon2id PHC string of the status secret.
    pub secret_hash: Confidential<String>,
    pub case_id: String,
    /// The confidential content (a JSON document, the caller's format), sealed with the
    /// case's data key.
    pub content: Sealed,
    pub created: DateTime<Utc>,
}

pub type Submission = NewSubmission;

/// Whose an evidence file is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EvidenceOwner {
    /// Filed with a petition, by receipt code.
    Submission(String),
    /// Added to a case later.
    Case(String),
}

/// How widely a piece of data may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Classification {
    /// May be published (once staff publish it).
    Public,
    /// Staff of the case's teams, and whom it is shared with; kept sealed at rest.
    Restricted,
    /// Staff of the case's teams only, every view audited; kept sealed at rest.
    Confidential,
}

impl Classification {
    pub const ALL: [Classification; 3] = [
        Classification::Public,
        Classification::Restricted,
        Classification::Confidential,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Public => "public",
            Classification::Restricted => "restricted",
            Classification::Confidential => "confidential",
        }
    }

    pub fn parse(name: &str) -> Option<Classification> {
        Classification::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// A text the store keeps either in clear (public data, readable without the master key) or
/// sealed by the application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protected {
    Clear(String),
    Sealed(Sealed),
}

/// A file to store. The bytes are as stored (sealed unless public); `content_sha256` and
/// `size` describe the file as it was received, which is what chain of custody records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub file_name: Sealed,
    /// The type the client declared (for the record only; never trusted).
    pub declared_type: String,
    /// The type found by reading the file's first bytes.
    pub sniffed_type: String,
    pub content_sha256: Hash,
    pub size: u64,
    pub bytes: Vec<u8>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub i64);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub id: FileId,
    pub owner: EvidenceOwner,
    pub file_name: Sealed,
    pub declared_type: String,
    pub sniffed_type: String,
    /// Size and SHA-256 of the file as received.
    pub size: u64,
    pub sha256: Hash,
    /// SHA-256 of the bytes as stored: the blob's key.
    pub stored_sha256: Hash,
    pub created: DateTime<Utc>,
}

/// An internal note on a case: staff only, never published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub case_id: String,
    pub author: UserId,
    pub text: Sealed,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub id: i64,
    pub case_id: String,
    pub author: UserId,
    pub text: Sealed,
    pub created: DateTime<Utc>,
}

/// Who besides the case's teams a document is shared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sharing {
    /// The government counterparts granted the case.
    pub counterparts: bool,
    /// The company respondent granted the case.
    pub respondent: bool,
}

/// A document attached to a case: a report, a letter, minutes, a redacted copy for
/// publication, or a respondent's evidence of a remediation action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDocument {
    pub case_id: String,
    pub uploader: UserId,
    /// In clear only when `classification` is public.
    pub name: Protected,
    pub content_type: String,
    pub classification: Classification,
    pub sharing: Sharing,
    /// For a redacted copy: the document it was made from (which stays as classified).
    pub redacted_from: Option<FileId>,
    /// For a respondent's answer: the remediation action item it answers.
    pub action_item: Option<String>,
    pub content_sha256: Hash,
    pub size: u64,
    /// As stored: sealed unless public.
    pub bytes: Vec<u8>,
    pub created: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub id: FileId,
    pub case_id: String,
    pub uploader: UserId,
    pub name: Protected,
    pub content_type: String,
    pub classification: Classification,
    pub sharing: Sharing,
    pub redacted_from: Option<FileId>,
    pub action_item: Option<String>,
    /// Shown on the public case page (only a public document can be).
    pub published: bool,
    pub size: u64,
    pub sha256: Hash,
    pub stored_sha256: Hash,
    pub created: DateTime<Utc>,
}

/// What checking every stored file found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlobReport {
    pub blobs: u64,
    pub bytes: u64,
    /// Stored files whose bytes no longer hash to their key, by key.
    pub broken: Vec<Hash>,
    /// File records whose bytes are missing.
    pub missing: Vec<Hash>,
    /// Objects in an external blob store that no file record names: left by a write that
    /// stopped between storing the bytes and committing the record. Harmless, but space.
    pub orphans: Vec<Hash>,
}

/// The SHA-256 of some bytes: how files are keyed and tokens are stored.
pub fn sha256(bytes: &[u8]) -> Hash {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).into()
}
