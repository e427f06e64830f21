//! What generation returns.

use pacta_data::model::{
    AgentDay, Incident, Interaction, QaEvaluation, RosterEntry, Survey, TrainingRecord,
};

/// Everything generated for a month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Generated {
    /// Contacts offered, in arrival order (empty when returned by [`generate_chunked`]).
    pub interactions: Vec<Interaction>,
    /// Post-contact surveys (empty when returned by [`generate_chunked`]).
    pub surveys: Vec<Survey>,
    /// QA evaluations.
    pub qa: Vec<QaEvaluation>,
    /// Every agent who worked in the month, with hires and leavers.
    pub roster: Vec<RosterEntry>,
    /// Initial and ongoing training.
    pub training: Vec<TrainingRecord>,
    /// Scheduled and logged time per agent and local day.
    pub agent_days: Vec<AgentDay>,
    /// Outages.
    pub incidents: Vec<Incident>,
}

/// One slice of the stream: interactions in arrival order and the surveys of some of them.
#[derive(Debug, Clone, Copy)]
pub struct Chunk<'a> {
    /// Interactions, in arrival order; the next chunk continues after the last one.
    pub interactions: &'a [Interaction],
    /// Surveys answered about contacts in this chunk.
    pub surveys: &'a [Survey],
}
