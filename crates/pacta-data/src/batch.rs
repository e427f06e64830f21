//! [`InteractionBatch`]: the compact columnar buffer importers fill and the store writes.

use std::collections::HashMap;

use pacta_contract::Channel;

use crate::model::{
    Interaction, InteractionTable, NO_DURATION, NO_INSTANT, NO_VALUE, Outcome, channel_code,
    channel_from_code,
};
use crate::pseudo::{key_from_hex, key_hex};

/// One interaction with borrowed strings and the customer as a 64-bit pseudonym (`0` =
/// unknown); what importers push.
#[derive(Debug, Clone, Copy)]
pub struct InteractionRef<'a> {
    /// Source id.
    pub source_id: &'a str,
    /// Channel.
    pub channel: Channel,
    /// Queue.
    pub queue: &'a str,
    /// Site.
    pub site: Option<&'a str>,
    /// Language.
    pub language: Option<&'a str>,
    /// Customer pseudonym (`0` = unknown).
    pub customer: u64,
    /// Arrival, UTC ms.
    pub arrived_at_ms: i64,
    /// Answer, UTC ms.
    pub answered_at_ms: Option<i64>,
    /// End, UTC ms.
    pub ended_at_ms: Option<i64>,
    /// Outcome.
    pub outcome: Outcome,
    /// Talk ms.
    pub talk_ms: Option<i64>,
    /// Hold ms.
    pub hold_ms: Option<i64>,
    /// Wrap ms.
    pub wrap_ms: Option<i64>,
    /// Agent.
    pub agent: Option<&'a str>,
    /// Disposition.
    pub disposition: Option<&'a str>,
    /// First response, UTC ms.
    pub first_response_at_ms: Option<i64>,
}

/// A string dictionary.
#[derive(Debug, Clone, Default)]
pub(crate) struct Dict {
    pub(crate) values: Vec<String>,
    index: HashMap<String, u32, ahash::RandomState>,
    /// Code of the last value looked up.
    last: u32,
}

impl Dict {
    pub(crate) fn code(&mut self, v: &str) -> u32 {
        // Sites, languages and often queues repeat row after row: try the last hit first.
        if let Some(last) = self.values.get(self.last as usize)
            && last == v
        {
            return self.last;
        }
        if let Some(&c) = self.index.get(v) {
            self.last = c;
            return c;
        }
        let c = u32::try_from(self.values.len()).unwrap_or(NO_VALUE - 1);
        self.values.push(v.to_string());
        self.index.insert(v.to_string(), c);
        self.last = c;
        c
    }
    fn opt(&mut self, v: Option<&str>) -> u32 {
        v.map_or(NO_VALUE, |v| self.code(v))
    }
    pub(crate) fn get(&self, c: u32) -> Option<&str> {
        self.values.get(c as usize).map(String::as_str)
    }

    /// A dictionary holding `values` in their order (a repeated value keeps its first code).
    fn from_values(values: Vec<String>) -> Dict {
        let mut index = HashMap::with_capacity_and_hasher(values.len(), Default::default());
        for (c, v) in values.iter().enumerate() {
            index
                .entry(v.clone())
                .or_insert(u32::try_from(c).unwrap_or(NO_VALUE - 1));
        }
        Dict {
            values,
            index,
            last: 0,
        }
    }

    /// The code in this dictionary of each value of `from`, values not yet present added in
    /// `from`'s order: the one dictionary re-mapping of both appends (batches and tables).
    /// Linear in the two dictionaries' sizes.
    fn remap(&mut self, from: &[String]) -> Vec<u32> {
        from.iter().map(|v| self.code(v)).collect()
    }
}

/// A code of another dictionary translated by a [`Dict::remap`] map (absent stays absent).
fn remapped(map: &[u32], c: u32) -> u32 {
    if c == NO_VALUE {
        NO_VALUE
    } else {
        map.get(c as usize).copied().unwrap_or(NO_VALUE)
    }
}

/// Interactions as compact columns: source ids in one byte buffer, repeated strings
/// dictionary-encoded, absent values as the sentinels of [`InteractionTable`].
#[derive(Debug, Clone, Default)]
pub struct InteractionBatch {
    ids: Vec<u8>,
    id_ends: Vec<usize>,
    pub(crate) channel: Vec<u8>,
    pub(crate) queue: Vec<u32>,
    pub(crate) queue_dict: Dict,
    pub(crate) site: Vec<u32>,
    pub(crate) site_dict: Dict,
    pub(crate) language: Vec<u32>,
    pub(crate) language_dict: Dict,
    pub(crate) customer: Vec<u64>,
    pub(crate) arrived: Vec<i64>,
    pub(crate) answered: Vec<i64>,
    pub(crate) ended: Vec<i64>,
    pub(crate) outcome: Vec<u8>,
    pub(crate) talk: Vec<i64>,
    pub(crate) hold: Vec<i64>,
    pub(crate) wrap: Vec<i64>,
    pub(crate) agent: Vec<u32>,
    pub(crate) agent_dict: Dict,
    pub(crate) disposition: Vec<u32>,
    pub(crate) disposition_dict: Dict,
    pub(crate) first_response: Vec<i64>,
}

impl InteractionBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of interactions.
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// Appends one interaction.
    pub fn push(&mut self, r: &InteractionRef<'_>) {
        self.ids.extend_from_slice(r.source_id.as_bytes());
        self.id_ends.push(self.ids.len());
        self.channel.push(channel_code(r.channel));
        self.queue.push(self.queue_dict.code(r.queue));
        self.site.push(self.site_dict.opt(r.site));
        self.language.push(self.language_dict.opt(r.language));
        self.customer.push(r.customer);
        self.arrived.push(r.arrived_at_ms);
        self.answered.push(r.answered_at_ms.unwrap_or(NO_INSTANT));
        self.ended.push(r.ended_at_ms.unwrap_or(NO_INSTANT));
        self.outcome.push(r.outcome.code());
        self.talk.push(r.talk_ms.unwrap_or(NO_DURATION));
        self.hold.push(r.hold_ms.unwrap_or(NO_DURATION));
        self.wrap.push(r.wrap_ms.unwrap_or(NO_DURATION));
        self.agent.push(self.agent_dict.opt(r.agent));
        self.disposition
            .push(self.disposition_dict.opt(r.disposition));
        self.first_response
            .push(r.first_response_at_ms.unwrap_or(NO_INSTANT));
    }

    /// Appends an owned interaction (its `customer_key` must be a pseudonym in hex).
    pub fn push_interaction(&mut self, i: &Interaction) {
        self.push(&InteractionRef {
            source_id: &i.source_id,
            channel: i.channel,
            queue: &i.queue,
            site: i.site.as_deref(),
            language: i.language.as_deref(),
            customer: key_from_hex(i.customer_key.as_deref()),
            arrived_at_ms: i.arrived_at_ms,
            answered_at_ms: i.answered_at_ms,
            ended_at_ms: i.ended_at_ms,
            outcome: i.outcome,
            talk_ms: i.talk_ms,
            hold_ms: i.hold_ms,
            wrap_ms: i.wrap_ms,
            agent: i.agent_key.as_deref(),
            disposition: i.disposition.as_deref(),
            first_response_at_ms: i.first_response_at_ms,
        });
    }

    /// Bytes of source ids held.
    pub fn id_bytes(&self) -> usize {
        self.ids.len()
    }

    /// Source id of row `i`.
    pub fn source_id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.id_ends[i - 1] };
        std::str::from_utf8(&self.ids[start..self.id_ends[i]]).unwrap_or("")
    }

    /// Row `i` as an owned interaction.
    pub fn get(&self, i: usize) -> Interaction {
        let inst = |v: i64| (v != NO_INSTANT).then_some(v);
        let dur = |v: i64| (v != NO_DURATION).then_some(v);
        let s = |d: &Dict, c: u32| d.get(c).map(str::to_string);
        Interaction {
            source_id: self.source_id(i).to_string(),
            channel: channel_from_code(self.channel[i]).unwrap_or(Channel::VoiceIn),
            queue: s(&self.queue_dict, self.queue[i]).unwrap_or_default(),
            site: s(&self.site_dict, self.site[i]),
            language: s(&self.language_dict, self.language[i]),
            customer_key: key_hex(self.customer[i]),
            arrived_at_ms: self.arrived[i],
            answered_at_ms: inst(self.answered[i]),
            ended_at_ms: inst(self.ended[i]),
            outcome: Outcome::from_code(self.outcome[i]).unwrap_or(Outcome::InProgress),
            talk_ms: dur(self.talk[i]),
            hold_ms: dur(self.hold[i]),
            wrap_ms: dur(self.wrap[i]),
            agent_key: s(&self.agent_dict, self.agent[i]),
            disposition: s(&self.disposition_dict, self.disposition[i]),
            first_response_at_ms: inst(self.first_response[i]),
        }
    }

    /// All rows as owned interactions.
    pub fn to_interactions(&self) -> Vec<Interaction> {
        (0..self.len()).map(|i| self.get(i)).collect()
    }

    /// Makes room for `rows` more interactions holding `id_bytes` bytes of source ids, so a
    /// large import fills its columns without reallocating and copying them as they grow.
    pub fn reserve(&mut self, rows: usize, id_bytes: usize) {
        self.ids.reserve(id_bytes);
        self.id_ends.reserve(rows);
        self.channel.reserve(rows);
        self.queue.reserve(rows);
        self.site.reserve(rows);
        self.language.reserve(rows);
        self.customer.reserve(rows);
        self.arrived.reserve(rows);
        self.answered.reserve(rows);
        self.ended.reserve(rows);
        self.outcome.reserve(rows);
        self.talk.reserve(rows);
        self.hold.reserve(rows);
        self.wrap.reserve(rows);
        self.agent.reserve(rows);
        self.disposition.reserve(rows);
        self.first_response.reserve(rows);
    }

    /// Appends all rows of another batch, column by column (dictionary codes re-mapped).
    pub fn append(&mut self, other: &InteractionBatch) {
        fn codes(into: &mut Dict, from: &Dict, col: &mut Vec<u32>, add: &[u32]) {
            let map = into.remap(&from.values);
            col.extend(add.iter().map(|&c| remapped(&map, c)));
        }
        let base = self.ids.len();
        self.ids.extend_from_slice(&other.ids);
        self.id_ends.extend(other.id_ends.iter().map(|e| e + base));
        self.channel.extend_from_slice(&other.channel);
        codes(
            &mut self.queue_dict,
            &other.queue_dict,
            &mut self.queue,
            &other.queue,
        );
        codes(
            &mut self.site_dict,
            &other.site_dict,
            &mut self.site,
            &other.site,
        );
        codes(
            &mut self.language_dict,
            &other.language_dict,
            &mut self.language,
            &other.language,
        );
        self.customer.extend_from_slice(&other.customer);
        self.arrived.extend_from_slice(&other.arrived);
        self.answered.extend_from_slice(&other.answered);
        self.ended.extend_from_slice(&other.ended);
        self.outcome.extend_from_slice(&other.outcome);
        self.talk.extend_from_slice(&other.talk);
        self.hold.extend_from_slice(&other.hold);
        self.wrap.extend_from_slice(&other.wrap);
        codes(
            &mut self.agent_dict,
            &other.agent_dict,
            &mut self.agent,
            &other.agent,
        );
        codes(
            &mut self.disposition_dict,
            &other.disposition_dict,
            &mut self.disposition,
            &other.disposition,
        );
        self.first_response.extend_from_slice(&other.first_response);
    }

    /// Appends `other`'s rows like [`InteractionBatch::append`], freeing each of its columns
    /// as soon as it is copied: joining the stretches of a large import then holds one
    /// column of the tail twice at most, not the whole tail.
    pub fn append_owned(&mut self, other: InteractionBatch) {
        fn codes(into: &mut Dict, from: Dict, col: &mut Vec<u32>, add: Vec<u32>) {
            let map = into.remap(&from.values);
            col.extend(add.iter().map(|&c| remapped(&map, c)));
        }
        let InteractionBatch {
            ids,
            id_ends,
            channel,
            queue,
            queue_dict,
            site,
            site_dict,
            language,
            language_dict,
            customer,
            arrived,
            answered,
            ended,
            outcome,
            talk,
            hold,
            wrap,
            agent,
            agent_dict,
            disposition,
            disposition_dict,
            first_response,
        } = other;
        let base = self.ids.len();
        self.ids.extend_from_slice(&ids);
        drop(ids);
        self.id_ends.extend(id_ends.iter().map(|e| e + base));
        drop(id_ends);
        self.channel.extend_from_slice(&channel);
        drop(channel);
        codes(&mut self.queue_dict, queue_dict, &mut self.queue, queue);
        codes(&mut self.site_dict, site_dict, &mut self.site, site);
        codes(
            &mut self.language_dict,
            language_dict,
            &mut self.language,
            language,
        );
        let move_into = |into: &mut Vec<i64>, from: Vec<i64>| into.extend_from_slice(&from);
        self.customer.extend_from_slice(&customer);
        drop(customer);
        move_into(&mut self.arrived, arrived);
        move_into(&mut self.answered, answered);
        move_into(&mut self.ended, ended);
        self.outcome.extend_from_slice(&outcome);
        drop(outcome);
        move_into(&mut self.talk, talk);
        move_into(&mut self.hold, hold);
        move_into(&mut self.wrap, wrap);
        codes(&mut self.agent_dict, agent_dict, &mut self.agent, agent);
        codes(
            &mut self.disposition_dict,
            disposition_dict,
            &mut self.disposition,
            disposition,
        );
        move_into(&mut self.first_response, first_response);
    }

    /// The batch as an [`InteractionTable`].
    pub fn to_table(&self) -> InteractionTable {
        let mut t = InteractionTable::default();
        for i in 0..self.len() {
            t.source_id.push(self.source_id(i).to_string());
        }
        t.channel = self.channel.clone();
        t.queue = self.queue.clone();
        t.queue_dict = self.queue_dict.values.clone();
        t.site = self.site.clone();
        t.site_dict = self.site_dict.values.clone();
        t.language = self.language.clone();
        t.language_dict = self.language_dict.values.clone();
        t.customer = self.customer.clone();
        t.arrived_at_ms = self.arrived.clone();
        t.answered_at_ms = self.answered.clone();
        t.ended_at_ms = self.ended.clone();
        t.outcome = self.outcome.clone();
        t.talk_ms = self.talk.clone();
        t.hold_ms = self.hold.clone();
        t.wrap_ms = self.wrap.clone();
        t.agent = self.agent.clone();
        t.agent_dict = self.agent_dict.values.clone();
        t.disposition = self.disposition.clone();
        t.disposition_dict = self.disposition_dict.values.clone();
        t.first_response_at_ms = self.first_response.clone();
        t
    }
}

impl InteractionTable {
    /// Number of rows (the length of `arrived_at_ms`, present in every projection).
    pub fn row_count(&self) -> usize {
        self.arrived_at_ms.len()
    }

    /// Row `i` as an owned [`Interaction`] (columns not loaded come back empty or absent).
    pub fn row(&self, i: usize) -> Interaction {
        let inst = |v: Option<&i64>| v.copied().filter(|&v| v != NO_INSTANT);
        let dur = |v: Option<&i64>| v.copied().filter(|&v| v != NO_DURATION);
        let s = |dict: &[String], col: &[u32]| {
            col.get(i)
                .filter(|&&c| c != NO_VALUE)
                .and_then(|&c| dict.get(c as usize).cloned())
        };
        Interaction {
            source_id: self.source_id.get(i).cloned().unwrap_or_default(),
            channel: self
                .channel
                .get(i)
                .and_then(|&c| channel_from_code(c))
                .unwrap_or(Channel::VoiceIn),
            queue: s(&self.queue_dict, &self.queue).unwrap_or_default(),
            site: s(&self.site_dict, &self.site),
            language: s(&self.language_dict, &self.language),
            customer_key: self.customer.get(i).and_then(|&k| key_hex(k)),
            arrived_at_ms: self.arrived_at_ms[i],
            answered_at_ms: inst(self.answered_at_ms.get(i)),
            ended_at_ms: inst(self.ended_at_ms.get(i)),
            outcome: self
                .outcome
                .get(i)
                .and_then(|&c| Outcome::from_code(c))
                .unwrap_or(Outcome::InProgress),
            talk_ms: dur(self.talk_ms.get(i)),
            hold_ms: dur(self.hold_ms.get(i)),
            wrap_ms: dur(self.wrap_ms.get(i)),
            agent_key: s(&self.agent_dict, &self.agent),
            disposition: s(&self.disposition_dict, &self.disposition),
            first_response_at_ms: inst(self.first_response_at_ms.get(i)),
        }
    }

    /// All rows as owned interactions.
    pub fn rows(&self) -> Vec<Interaction> {
        (0..self.row_count()).map(|i| self.row(i)).collect()
    }

    /// Appends the rows of `other` for which `take(row)` holds, re-mapping its dictionary
    /// columns onto this table's dictionaries (values new to them are added in `other`'s
    /// dictionary order). Linear in the rows and dictionary sizes of both tables.
    ///
    /// Settlement uses it to give repeat-contact FCR the first days of the next month: a
    /// contact handled on the 31st is only resolved if the customer does not call again
    /// within the window, which may end in the next month. A column `other` was loaded
    /// without (see [`crate::store::Store::load_interactions_columns`]) adds nothing, so
    /// tables loaded without source ids or first responses stay without.
    pub fn append_rows(&mut self, other: &InteractionTable, take: impl Fn(usize) -> bool) {
        fn dict_map(into: &mut Vec<String>, from: &[String]) -> Vec<u32> {
            let mut d = Dict::from_values(std::mem::take(into));
            let map = d.remap(from);
            *into = d.values;
            map
        }
        fn copy<T: Copy>(into: &mut Vec<T>, from: &[T], r: usize) {
            if let Some(&v) = from.get(r) {
                into.push(v);
            }
        }
        fn copy_code(into: &mut Vec<u32>, from: &[u32], map: &[u32], r: usize) {
            if let Some(&c) = from.get(r) {
                into.push(remapped(map, c));
            }
        }
        let q = dict_map(&mut self.queue_dict, &other.queue_dict);
        let s = dict_map(&mut self.site_dict, &other.site_dict);
        let l = dict_map(&mut self.language_dict, &other.language_dict);
        let ag = dict_map(&mut self.agent_dict, &other.agent_dict);
        let d = dict_map(&mut self.disposition_dict, &other.disposition_dict);
        for r in (0..other.row_count()).filter(|&r| take(r)) {
            if let Some(id) = other.source_id.get(r) {
                self.source_id.push(id.clone());
            }
            copy(&mut self.channel, &other.channel, r);
            copy_code(&mut self.queue, &other.queue, &q, r);
            copy_code(&mut self.site, &other.site, &s, r);
            copy_code(&mut self.language, &other.language, &l, r);
            copy(&mut self.customer, &other.customer, r);
            copy(&mut self.arrived_at_ms, &other.arrived_at_ms, r);
            copy(&mut self.answered_at_ms, &other.answered_at_ms, r);
            copy(&mut self.ended_at_ms, &other.ended_at_ms, r);
            copy(&mut self.outcome, &other.outcome, r);
            copy(&mut self.talk_ms, &other.talk_ms, r);
            copy(&mut self.hold_ms, &other.hold_ms, r);
            copy(&mut self.wrap_ms, &other.wrap_ms, r);
            copy_code(&mut self.agent, &other.agent, &ag, r);
            copy_code(&mut self.disposition, &other.disposition, &d, r);
            copy(
                &mut self.first_response_at_ms,
                &other.first_response_at_ms,
                r,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(
        id: &'a str,
        queue: &'a str,
        agent: Option<&'a str>,
        lang: Option<&'a str>,
    ) -> InteractionRef<'a> {
        InteractionRef {
            source_id: id,
            channel: Channel::VoiceIn,
            queue,
            site: None,
            language: lang,
            customer: id.len() as u64,
            arrived_at_ms: 1_000 * id.len() as i64,
            answered_at_ms: Some(2_000),
            ended_at_ms: None,
            outcome: Outcome::Answered,
            talk_ms: Some(30_000),
            hold_ms: None,
            wrap_ms: Some(5_000),
            agent,
            disposition: Some("resolved"),
            first_response_at_ms: None,
        }
    }

    #[test]
    fn append_remaps_dictionaries_like_pushing_every_row() {
        let rows_a = [
            row("a1", "cards", Some("ag1"), Some("en")),
            row("a22", "retail", None, None),
        ];
        let rows_b = [
            row("b1", "retail", Some("ag2"), Some("es")),
            row("b22", "cards", Some("ag1"), None),
            row("b333", "loans", None, Some("en")),
        ];
        let mut all = InteractionBatch::new();
        for r in rows_a.iter().chain(&rows_b) {
            all.push(r);
        }
        let mut a = InteractionBatch::new();
        rows_a.iter().for_each(|r| a.push(r));
        let mut b = InteractionBatch::new();
        rows_b.iter().for_each(|r| b.push(r));
        let mut owned = a.clone();
        a.append(&b);
        assert_eq!(a.len(), 5);
        assert_eq!(a.to_interactions(), all.to_interactions());
        assert_eq!(a.source_id(4), "b333");
        assert_eq!(a.queue_dict.values, ["cards", "retail", "loans"]);
        // Appending by value gives the same batch, columns and dictionaries alike.
        owned.append_owned(b);
        assert_eq!(owned.to_interactions(), a.to_interactions());
        assert_eq!(owned.agent_dict.values, a.agent_dict.values);
        assert_eq!(owned.language, a.language);
    }

    #[test]
    fn table_append_rows_remaps_dictionaries_and_keeps_the_rows_taken() {
        let batch = |rows: &[InteractionRef<'_>]| {
            let mut b = InteractionBatch::new();
            rows.iter().for_each(|r| b.push(r));
            b
        };
        let a = batch(&[
            row("a1", "cards", Some("ag1"), Some("en")),
            row("a22", "retail", None, None),
        ]);
        let b = batch(&[
            row("b1", "retail", Some("ag2"), Some("es")),
            row("b22", "cards", Some("ag1"), None),
            row("b333", "loans", None, Some("en")),
        ]);
        let mut t = a.to_table();
        // Every other row of `b`: "retail" and "loans" are taken, "cards" is not.
        t.append_rows(&b.to_table(), |r| r % 2 == 0);
        let mut want = a.to_interactions();
        want.extend([b.get(0), b.get(2)]);
        assert_eq!(t.rows(), want);
        assert_eq!(t.queue_dict, ["cards", "retail", "loans"]);
        assert_eq!(t.agent_dict, ["ag1", "ag2"]);
        assert_eq!(t.language_dict, ["en", "es"]);
        // A table loaded without source ids or first responses stays without.
        let mut bare = a.to_table();
        bare.source_id.clear();
        bare.first_response_at_ms.clear();
        let mut other = b.to_table();
        other.source_id.clear();
        other.first_response_at_ms.clear();
        bare.append_rows(&other, |_| true);
        assert_eq!(bare.row_count(), 5);
        assert!(bare.source_id.is_empty() && bare.first_response_at_ms.is_empty());
    }
}
