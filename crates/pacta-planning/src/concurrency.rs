//! Chat concurrency: one agent holding several conversations at once.
//!
//! The model (documented for planners in `docs/planning.md`): Erlang C and Erlang A are run
//! unchanged on the chat load, with `aht_s` read as how long a conversation stays open while
//! the agent shares their attention. Their answer is a number of *conversation slots*. An
//! agent with concurrency `k` provides `k` slots, so the people needed are
//! `⌈slots / k⌉`, and a vendor plan of `n` agents provides `⌊n · k⌋` slots. Service level,
//! ASA and abandonment are those of the slots; occupancy is the share of slots busy.
//!
//! With `k = 1` (voice, and chat without a `concurrency` in the contract) both conversions
//! are the identity.

/// Values within this relative distance of a whole number are taken as that number, so
/// 3 slots at 1.5 chats per agent is 2 agents, not 3 from float noise.
const WHOLE_TOLERANCE: f64 = 1e-9;

fn near_whole(x: f64) -> Option<f64> {
    let r = x.round();
    ((x - r).abs() <= WHOLE_TOLERANCE * x.abs().max(1.0)).then_some(r)
}

fn saturating_u32(x: f64) -> u32 {
    if x >= f64::from(u32::MAX) {
        u32::MAX
    } else if x > 0.0 {
        x as u32
    } else {
        0
    }
}

/// Agents needed to open `slots` conversation slots at `concurrency` chats per agent:
/// `⌈slots / concurrency⌉`. A concurrency that is not a finite number ≥ 1 counts as 1 (the
/// contract refuses such values; this keeps the arithmetic total).
pub fn agents_for_slots(slots: u32, concurrency: f64) -> u32 {
    let k = effective(concurrency);
    let x = f64::from(slots) / k;
    saturating_u32(near_whole(x).unwrap_or_else(|| x.ceil()))
}

/// Conversation slots `agents` people open at `concurrency` chats per agent:
/// `⌊agents · concurrency⌋` (half a chat cannot be answered).
pub fn slots_for_agents(agents: u32, concurrency: f64) -> u32 {
    let k = effective(concurrency);
    let x = f64::from(agents) * k;
    saturating_u32(near_whole(x).unwrap_or_else(|| x.floor()))
}

/// The concurrency the arithmetic uses: values below 1 or not finite count as 1.
pub fn effective(concurrency: f64) -> f64 {
    if concurrency.is_finite() && concurrency >= 1.0 {
        concurrency
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents_are_the_slots_divided_by_concurrency_rounded_up() {
        assert_eq!(agents_for_slots(14, 1.0), 14);
        assert_eq!(agents_for_slots(14, 2.0), 7);
        assert_eq!(agents_for_slots(15, 2.0), 8);
        assert_eq!(agents_for_slots(3, 1.5), 2);
        assert_eq!(agents_for_slots(10, 3.0), 4);
        assert_eq!(agents_for_slots(0, 2.5), 0);
        assert_eq!(agents_for_slots(1, 10.0), 1);
    }

    #[test]
    fn a_plan_of_agents_opens_whole_slots() {
        assert_eq!(slots_for_agents(7, 2.0), 14);
        assert_eq!(slots_for_agents(5, 1.5), 7);
        assert_eq!(slots_for_agents(2, 1.5), 3);
        assert_eq!(slots_for_agents(9, 1.0), 9);
        // 30 × 1.1 is not exactly 33 in floating point: still 33 slots.
        assert_eq!(slots_for_agents(30, 1.1), 33);
    }

    #[test]
    fn a_concurrency_below_one_counts_as_one() {
        assert_eq!(agents_for_slots(12, 0.5), 12);
        assert_eq!(agents_for_slots(12, f64::NAN), 12);
        assert_eq!(slots_for_agents(12, -2.0), 12);
        assert_eq!(effective(2.0), 2.0);
    }
}
