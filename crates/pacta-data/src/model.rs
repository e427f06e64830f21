//! The canonical model of `docs/spec/data-model.md`.
//!
//! Instants are UTC milliseconds since the Unix epoch (`i64`), durations are milliseconds:
//! integers keep threshold comparisons exact (a wait of 20 s is `20_000`, and `≤ T` never
//! suffers from float rounding) and map directly onto Parquet `INT64` columns.

use pacta_contract::Channel;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How a contact left the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Reached an agent.
    Answered,
    /// The customer hung up while queued.
    Abandoned,
    /// Left the queue on a timeout.
    Timeout,
    /// Left because no agent was logged in.
    QueueEmpty,
    /// Overflowed to another queue or provider.
    OverflowOut,
    /// Left the queue for a callback.
    Callback,
    /// Transferred out before an agent answered.
    TransferredOut,
    /// Still open at the end of the source data.
    InProgress,
}

impl Outcome {
    /// All outcomes, in code order.
    pub const ALL: [Outcome; 8] = [
        Outcome::Answered,
        Outcome::Abandoned,
        Outcome::Timeout,
        Outcome::QueueEmpty,
        Outcome::OverflowOut,
        Outcome::Callback,
        Outcome::TransferredOut,
        Outcome::InProgress,
    ];

    /// Stable small code for columnar storage.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Inverse of [`Outcome::code`].
    pub fn from_code(c: u8) -> Option<Self> {
        Self::ALL.get(usize::from(c)).copied()
    }

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::Abandoned => "abandoned",
            Outcome::Timeout => "timeout",
            Outcome::QueueEmpty => "queue_empty",
            Outcome::OverflowOut => "overflow_out",
            Outcome::Callback => "callback",
            Outcome::TransferredOut => "transferred_out",
            Outcome::InProgress => "in_progress",
        }
    }

    /// The "other exits" X of `docs/spec/kpi-definitions.md`.
    pub fn is_other_exit(self) -> bool {
        matches!(
            self,
            Outcome::Timeout
                | Outcome::QueueEmpty
                | Outcome::OverflowOut
                | Outcome::Callback
                | Outcome::TransferredOut
        )
    }
}

/// How a disposition is compared with the one a contract names (a conversion's `sale`, an
/// outcome price's, FCR's `resolved`): trimmed of whitespace and lowercased, so `" Sale"` from
/// one export and `"sale"` from the contract are the same outcome. Every comparison of
/// dispositions goes through this one definition, the SQL an engine runs included
/// ([`DISPOSITION_WHITESPACE`]).
pub fn disposition_key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// The characters [`disposition_key`] trims (Rust's `char::is_whitespace`, Unicode's
/// White_Space), listed for SQL that must trim exactly the same ones: an engine's `TRIM`
/// alone removes spaces only.
pub const DISPOSITION_WHITESPACE: [char; 25] = [
    '\u{9}', '\u{a}', '\u{b}', '\u{c}', '\u{d}', ' ', '\u{85}', '\u{a0}', '\u{1680}', '\u{2000}',
    '\u{2001}', '\u{2002}', '\u{2003}', '\u{2004}', '\u{2005}', '\u{2006}', '\u{2007}', '\u{2008}',
    '\u{2009}', '\u{200a}', '\u{2028}', '\u{2029}', '\u{202f}', '\u{205f}', '\u{3000}',
];

/// Stable code of a channel for columnar storage.
pub fn channel_code(c: Channel) -> u8 {
    match c {
        Channel::VoiceIn => 0,
        Channel::VoiceOut => 1,
        Channel::Chat => 2,
        Channel::Email => 3,
        Channel::Social => 4,
        Channel::Sms => 5,
        Channel::BackOffice => 6,
        Channel::Surveys => 7,
    }
}

/// Inverse of [`channel_code`].
pub fn channel_from_code(c: u8) -> Option<Channel> {
    Some(match c {
        0 => Channel::VoiceIn,
        1 => Channel::VoiceOut,
        2 => Channel::Chat,
        3 => Channel::Email,
        4 => Channel::Social,
        5 => Channel::Sms,
        6 => Channel::BackOffice,
        7 => Channel::Surveys,
        _ => return None,
    })
}

/// One contact offered to the provider, per queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Interaction {
    /// The source's own id (call id + queue for Asterisk, ContactId for Amazon Connect).
    pub source_id: String,
    /// Channel.
    pub channel: Channel,
    /// Queue, skill or line of business.
    pub queue: String,
    /// Delivery site.
    pub site: Option<String>,
    /// Language (ISO 639-1).
    pub language: Option<String>,
    /// Keyed-hash pseudonym of the customer identifier; the raw identifier is never stored.
    pub customer_key: Option<String>,
    /// Entered the queue (outbound: dial time), UTC ms.
    pub arrived_at_ms: i64,
    /// Reached an agent, UTC ms.
    pub answered_at_ms: Option<i64>,
    /// Left the queue or finished with the agent, UTC ms.
    pub ended_at_ms: Option<i64>,
    /// How it left the queue.
    pub outcome: Outcome,
    /// Talk time, ms (absent when the source lacks it).
    pub talk_ms: Option<i64>,
    /// Hold time, ms.
    pub hold_ms: Option<i64>,
    /// After-contact work, ms.
    pub wrap_ms: Option<i64>,
    /// Agent identifier.
    pub agent_key: Option<String>,
    /// Disposition (resolved, escalated, sale…).
    pub disposition: Option<String>,
    /// First agent reply for written channels, UTC ms.
    pub first_response_at_ms: Option<i64>,
}

impl Interaction {
    /// Time spent waiting in queue, ms: until answer, or until leaving the queue otherwise.
    pub fn wait_ms(&self) -> Option<i64> {
        match self.outcome {
            Outcome::Answered => self.answered_at_ms.map(|a| a - self.arrived_at_ms),
            _ => self.ended_at_ms.map(|e| e - self.arrived_at_ms),
        }
    }
}

/// Interactions as columns: what the store reads and the KPI engine scans.
///
/// The columns are read through accessors that say absent with `Option`: `answered_at_ms(i)`,
/// `talk_ms(i)`, `site(i)`… Strings that repeat (queue, site, language, agent, disposition)
/// are dictionary-encoded: [`InteractionTable::queue`] is an index into
/// [`InteractionTable::queue_dict`]. A table is built by an [`crate::batch::InteractionBatch`]
/// ([`crate::batch::InteractionBatch::to_table`]) or read from the store, where a projection
/// may leave columns unloaded ([`crate::store::Store::load_interactions_columns`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InteractionTable {
    // Flat vectors with in-band markers for absent values (NO_INSTANT, NO_DURATION,
    // NO_VALUE, customer 0): compact and fast to scan, and only this crate sees the markers.
    pub(crate) source_id: Vec<String>,
    pub(crate) channel: Vec<u8>,
    pub(crate) queue: Vec<u32>,
    pub(crate) queue_dict: Vec<String>,
    pub(crate) site: Vec<u32>,
    pub(crate) site_dict: Vec<String>,
    pub(crate) language: Vec<u32>,
    pub(crate) language_dict: Vec<String>,
    pub(crate) customer: Vec<u64>,
    pub(crate) arrived_at_ms: Vec<i64>,
    pub(crate) answered_at_ms: Vec<i64>,
    pub(crate) ended_at_ms: Vec<i64>,
    pub(crate) outcome: Vec<u8>,
    pub(crate) talk_ms: Vec<i64>,
    pub(crate) hold_ms: Vec<i64>,
    pub(crate) wrap_ms: Vec<i64>,
    pub(crate) agent: Vec<u32>,
    pub(crate) agent_dict: Vec<String>,
    pub(crate) disposition: Vec<u32>,
    pub(crate) disposition_dict: Vec<String>,
    pub(crate) first_response_at_ms: Vec<i64>,
}

/// Marker for an absent instant in [`InteractionTable`]'s storage.
pub(crate) const NO_INSTANT: i64 = i64::MIN;
/// Marker for an absent duration in [`InteractionTable`]'s storage.
pub(crate) const NO_DURATION: i64 = -1;
/// Marker for an absent dictionary value in the columns.
pub(crate) const NO_VALUE: u32 = u32::MAX;

/// The handle time of an answered contact, by part (see [`InteractionTable::handle_time`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandleTime {
    /// Talk, ms.
    pub talk_ms: i64,
    /// Hold, ms (`None` when the source does not carry it).
    pub hold_ms: Option<i64>,
    /// After-contact work, ms (`None` when the source does not carry it).
    pub wrap_ms: Option<i64>,
}

impl HandleTime {
    /// Talk + hold + wrap, ms; a missing hold or wrap counts as zero.
    pub fn total_ms(&self) -> i64 {
        self.talk_ms + self.hold_ms.unwrap_or(0) + self.wrap_ms.unwrap_or(0)
    }
}

/// An instant stored as `v`, `None` when absent.
fn instant(v: i64) -> Option<i64> {
    (v != NO_INSTANT).then_some(v)
}

/// A duration stored as `v`, `None` when absent.
fn duration(v: i64) -> Option<i64> {
    (v != NO_DURATION).then_some(v)
}

/// A dictionary code stored as `v`, `None` when absent.
fn code(v: u32) -> Option<u32> {
    (v != NO_VALUE).then_some(v)
}

/// The accessors. Row indices run over `0..row_count()`; a column a projection left unloaded
/// panics when read by row, except source ids and first responses, which answer `None`
/// (see [`InteractionTable::source_ids_loaded`], [`InteractionTable::first_responses_loaded`]).
impl InteractionTable {
    /// An estimate of the heap the table holds, in bytes: every column buffer at its
    /// capacity, and the text of source ids and dictionaries.
    pub fn estimated_bytes(&self) -> usize {
        fn buffer<T>(v: &Vec<T>) -> usize {
            v.capacity() * std::mem::size_of::<T>()
        }
        fn texts(v: &Vec<String>) -> usize {
            buffer(v) + v.iter().map(String::capacity).sum::<usize>()
        }
        texts(&self.source_id)
            + buffer(&self.channel)
            + buffer(&self.queue)
            + texts(&self.queue_dict)
            + buffer(&self.site)
            + texts(&self.site_dict)
            + buffer(&self.language)
            + texts(&self.language_dict)
            + buffer(&self.customer)
            + buffer(&self.arrived_at_ms)
            + buffer(&self.answered_at_ms)
            + buffer(&self.ended_at_ms)
            + buffer(&self.outcome)
            + buffer(&self.talk_ms)
            + buffer(&self.hold_ms)
            + buffer(&self.wrap_ms)
            + buffer(&self.agent)
            + texts(&self.agent_dict)
            + buffer(&self.disposition)
            + texts(&self.disposition_dict)
            + buffer(&self.first_response_at_ms)
    }

    /// Source id of row `i` (`None` when source ids were not loaded).
    pub fn source_id(&self, i: usize) -> Option<&str> {
        self.source_id.get(i).map(String::as_str)
    }

    /// Whether source ids were loaded (always true of an empty table).
    pub fn source_ids_loaded(&self) -> bool {
        !self.source_id.is_empty() || self.row_count() == 0
    }

    /// Drops the source ids, as a projection that does not read them leaves the table.
    pub fn drop_source_ids(&mut self) {
        self.source_id = Vec::new();
    }

    /// Channel code of row `i` ([`channel_code`]; a channel the reader did not know reads
    /// as a code no channel has).
    pub fn channel_code(&self, i: usize) -> u8 {
        self.channel[i]
    }

    /// Channel of row `i`.
    pub fn channel(&self, i: usize) -> Option<Channel> {
        channel_from_code(self.channel[i])
    }

    /// Queue of row `i`: an index into [`InteractionTable::queue_dict`].
    pub fn queue(&self, i: usize) -> u32 {
        self.queue[i]
    }

    /// Queue names, indexed by [`InteractionTable::queue`].
    pub fn queue_dict(&self) -> &[String] {
        &self.queue_dict
    }

    /// Site of row `i`: an index into [`InteractionTable::site_dict`].
    pub fn site(&self, i: usize) -> Option<u32> {
        code(self.site[i])
    }

    /// Site names, indexed by [`InteractionTable::site`].
    pub fn site_dict(&self) -> &[String] {
        &self.site_dict
    }

    /// Language of row `i`: an index into [`InteractionTable::language_dict`].
    pub fn language(&self, i: usize) -> Option<u32> {
        code(self.language[i])
    }

    /// Language codes, indexed by [`InteractionTable::language`].
    pub fn language_dict(&self) -> &[String] {
        &self.language_dict
    }

    /// Customer pseudonym of row `i` as a 64-bit key (`None`: customer unknown).
    pub fn customer(&self, i: usize) -> Option<u64> {
        let c = self.customer[i];
        (c != 0).then_some(c)
    }

    /// Arrival of row `i`, UTC ms.
    pub fn arrived_at_ms(&self, i: usize) -> i64 {
        self.arrived_at_ms[i]
    }

    /// Answer of row `i`, UTC ms.
    pub fn answered_at_ms(&self, i: usize) -> Option<i64> {
        instant(self.answered_at_ms[i])
    }

    /// End of row `i`, UTC ms.
    pub fn ended_at_ms(&self, i: usize) -> Option<i64> {
        instant(self.ended_at_ms[i])
    }

    /// Outcome code of row `i` ([`Outcome::code`]; an outcome the reader did not know reads
    /// as a code no outcome has).
    pub fn outcome_code(&self, i: usize) -> u8 {
        self.outcome[i]
    }

    /// Outcome of row `i`.
    pub fn outcome(&self, i: usize) -> Option<Outcome> {
        Outcome::from_code(self.outcome[i])
    }

    /// Talk time of row `i`, ms, as the source gave it.
    pub fn talk_ms(&self, i: usize) -> Option<i64> {
        duration(self.talk_ms[i])
    }

    /// Hold time of row `i`, ms, as the source gave it.
    pub fn hold_ms(&self, i: usize) -> Option<i64> {
        duration(self.hold_ms[i])
    }

    /// After-contact work of row `i`, ms, as the source gave it.
    pub fn wrap_ms(&self, i: usize) -> Option<i64> {
        duration(self.wrap_ms[i])
    }

    /// The handle time of row `i`: talk + hold + wrap ([`HandleTime::total_ms`]).
    ///
    /// The one rule for handle time (the AHT of `docs/spec/kpi-definitions.md`): it is known
    /// when the talk time is — a row without talk time (or with a negative one) has none,
    /// whatever its hold or wrap. A missing (or negative) hold or wrap is `None` in the parts
    /// and counts as zero in the total, which the AHT flags as approximate. The outcome is
    /// not looked at: callers decide which rows are handled contacts.
    pub fn handle_time(&self, i: usize) -> Option<HandleTime> {
        let known = |v: i64| (v >= 0).then_some(v);
        Some(HandleTime {
            talk_ms: known(self.talk_ms[i])?,
            hold_ms: known(self.hold_ms[i]),
            wrap_ms: known(self.wrap_ms[i]),
        })
    }

    /// Handle time of row `i`, ms: [`InteractionTable::handle_time`]'s total.
    pub fn handle_time_ms(&self, i: usize) -> Option<i64> {
        self.handle_time(i).map(|h| h.total_ms())
    }

    /// Agent of row `i`: an index into [`InteractionTable::agent_dict`].
    pub fn agent(&self, i: usize) -> Option<u32> {
        code(self.agent[i])
    }

    /// Agent keys, indexed by [`InteractionTable::agent`].
    pub fn agent_dict(&self) -> &[String] {
        &self.agent_dict
    }

    /// Disposition of row `i`: an index into [`InteractionTable::disposition_dict`].
    pub fn disposition(&self, i: usize) -> Option<u32> {
        code(self.disposition[i])
    }

    /// Dispositions, indexed by [`InteractionTable::disposition`].
    pub fn disposition_dict(&self) -> &[String] {
        &self.disposition_dict
    }

    /// First agent response of row `i`, UTC ms (`None` too when not loaded).
    pub fn first_response_at_ms(&self, i: usize) -> Option<i64> {
        self.first_response_at_ms.get(i).copied().and_then(instant)
    }

    /// Whether first responses were loaded (always true of an empty table).
    pub fn first_responses_loaded(&self) -> bool {
        !self.first_response_at_ms.is_empty() || self.row_count() == 0
    }

    /// Drops the first-response column, as a projection that does not read it leaves the
    /// table.
    pub fn drop_first_responses(&mut self) {
        self.first_response_at_ms = Vec::new();
    }

    /// A column whose length is not the row count, with that length: a table must not be
    /// scanned then. Source ids and first responses may be left unloaded (empty).
    pub fn ragged_column(&self) -> Option<(&'static str, usize)> {
        let n = self.row_count();
        let optional = |len: usize| if len == 0 { n } else { len };
        [
            ("source_id", optional(self.source_id.len())),
            ("channel", self.channel.len()),
            ("queue", self.queue.len()),
            ("site", self.site.len()),
            ("language", self.language.len()),
            ("customer", self.customer.len()),
            ("answered_at_ms", self.answered_at_ms.len()),
            ("ended_at_ms", self.ended_at_ms.len()),
            ("outcome", self.outcome.len()),
            ("talk_ms", self.talk_ms.len()),
            ("hold_ms", self.hold_ms.len()),
            ("wrap_ms", self.wrap_ms.len()),
            ("agent", self.agent.len()),
            ("disposition", self.disposition.len()),
            (
                "first_response_at_ms",
                optional(self.first_response_at_ms.len()),
            ),
        ]
        .into_iter()
        .find(|&(_, len)| len != n)
    }
}

/// A customer survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Survey {
    /// The interaction surveyed (`source_id`).
    pub interaction_id: String,
    /// CSAT on the contract's scale (1–5 by default).
    pub csat: Option<u8>,
    /// NPS answer 0–10.
    pub nps: Option<u8>,
    /// Customer says the issue was resolved.
    pub resolved: Option<bool>,
    /// When answered, UTC ms.
    pub answered_at_ms: i64,
}

/// One item of a QA evaluation form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaItem {
    /// Item name.
    pub item: String,
    /// Score given.
    pub score: Decimal,
    /// Maximum score.
    pub max: Decimal,
    /// Weight.
    pub weight: Decimal,
    /// A failed critical item zeroes the evaluation.
    pub critical: bool,
}

/// A QA evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QaEvaluation {
    /// Evaluation id.
    pub evaluation_id: String,
    /// The interaction evaluated.
    pub interaction_id: Option<String>,
    /// Agent evaluated.
    pub agent_key: String,
    /// When, UTC ms.
    pub evaluated_at_ms: i64,
    /// Items.
    pub items: Vec<QaItem>,
}

/// Why an agent left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Separation {
    /// Resigned.
    Voluntary,
    /// Dismissed.
    Involuntary,
}

/// An agent on the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// Agent key.
    pub agent_key: String,
    /// Site.
    pub site: Option<String>,
    /// Hire date.
    pub hired_on: jiff::civil::Date,
    /// Last day, if left.
    pub left_on: Option<jiff::civil::Date>,
    /// Why they left.
    pub separation: Option<Separation>,
}

/// Kind of training.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TrainingKind {
    /// Initial (new hire) training.
    Initial,
    /// Ongoing training.
    Ongoing,
}

/// A training record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingRecord {
    /// Agent key.
    pub agent_key: String,
    /// Day.
    pub date: jiff::civil::Date,
    /// Hours.
    pub hours: Decimal,
    /// Kind.
    pub kind: TrainingKind,
}

/// Scheduled and logged time of one agent on one day (local calendar day of the contract).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentDay {
    /// Agent key.
    pub agent_key: String,
    /// Day.
    pub date: jiff::civil::Date,
    /// Minutes scheduled.
    pub scheduled_min: u32,
    /// Minutes logged in.
    pub logged_min: u32,
    /// Minutes in the scheduled state (adherence numerator).
    pub adherent_min: u32,
    /// Minutes handling contacts (talk + hold + wrap).
    pub handling_min: u32,
    /// Minutes available and idle.
    pub available_min: u32,
    /// Of logged minutes, those in the night shift window.
    pub night_min: u32,
}

/// Kind of incident or relief event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// System or network outage.
    Outage,
    /// Force majeure.
    ForceMajeure,
    /// Security breach.
    SecurityBreach,
    /// Caused by the client (late forecast, client system down).
    ClientCaused,
}

/// An incident or relief event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Incident id.
    pub incident_id: String,
    /// Kind.
    pub kind: IncidentKind,
    /// Start, UTC ms.
    pub start_ms: i64,
    /// End, UTC ms.
    pub end_ms: i64,
    /// Queues affected (all when empty).
    pub queues: Vec<String>,
    /// Who declared it.
    pub declared_by: String,
    /// Accepted by the other party.
    pub accepted: bool,
}

/// One line of a vendor invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLine {
    /// Item (price component id, fee id, pass-through id, or free text).
    pub item: String,
    /// Quantity.
    pub quantity: Decimal,
    /// Unit.
    pub unit: String,
    /// Rate.
    pub rate: Decimal,
    /// Amount.
    pub amount: Decimal,
    /// Currency.
    pub currency: String,
}

/// A vendor invoice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendorInvoice {
    /// Invoice number.
    pub invoice_id: String,
    /// Period `YYYY-MM`.
    pub period: String,
    /// Lines.
    pub lines: Vec<InvoiceLine>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sql_whitespace_list_is_exactly_what_trim_removes() {
        let every: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        assert_eq!(every, DISPOSITION_WHITESPACE);
    }

    #[test]
    fn disposition_keys_ignore_case_and_padding() {
        assert_eq!(disposition_key("\u{a0}\tSale \u{3000}"), "sale");
        assert_eq!(disposition_key("RESOLVED"), "resolved");
        // Inner whitespace is part of the name.
        assert_eq!(disposition_key(" Call Back "), "call back");
        assert_ne!(disposition_key("callback"), disposition_key("call back"));
    }
}
