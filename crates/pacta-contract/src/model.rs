//! The contract file format: the serde structures a TOML contract deserializes into.
//!
//! This is the *raw* stage of the two-stage parse: types are checked by serde (unknown keys
//! and wrong types are rejected with a span), but cross-field rules (allocations within the
//! pool, minimum below target, tiers that do not overlap, known metrics) are enforced by
//! [`crate::validate`], which turns a [`ContractDoc`] into a [`crate::Contract`].
//!
//! Conventions: every percentage is written as a percent number (`80` means 80 %) in a key
//! ending in `_percent` or in an SLA target of a percent metric; money is decimal in the
//! contract's currency; durations carry their unit in the key (`_s`, `_hours`, `_days`,
//! `_months`).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::date::{Date, TimeOfDay};

/// A whole contract file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractDoc {
    /// Identity, term, renewal, law, currency and time zone.
    pub contract: Header,
    /// Client and provider.
    pub parties: Parties,
    /// Services, queues, forecast volumes and each side's responsibilities.
    #[serde(default)]
    pub scope: Scope,
    /// Hours of operation and holidays.
    #[serde(default)]
    pub calendar: Calendar,
    /// Service levels and tracked KPIs.
    #[serde(default, rename = "sla")]
    pub slas: Vec<Sla>,
    /// Service credits, bonuses and remedies.
    #[serde(default)]
    pub credits: Option<Credits>,
    /// Pricing and payment.
    #[serde(default)]
    pub pricing: Option<Pricing>,
    /// Staff rotation, training, key personnel.
    #[serde(default)]
    pub people: Option<People>,
    /// Certified infrastructure and continuity.
    #[serde(default)]
    pub facilities: Option<Facilities>,
    /// Cybersecurity controls and certifications.
    #[serde(default)]
    pub security: Option<Security>,
    /// Confidentiality and data-protection terms.
    #[serde(default)]
    pub data_protection: Option<DataProtection>,
    /// Quality control function and reports.
    #[serde(default)]
    pub quality: Option<Quality>,
    /// Meetings, audits, improvement and pilots.
    #[serde(default)]
    pub governance: Option<Governance>,
    /// Escalation steps for disputes.
    #[serde(default)]
    pub disputes: Option<Disputes>,
    /// Liability cap, indemnities, insurance.
    #[serde(default)]
    pub liability: Option<Liability>,
    /// Termination rights.
    #[serde(default)]
    pub termination: Option<Termination>,
    /// Transition and exit assistance.
    #[serde(default)]
    pub exit: Option<Exit>,
    /// General legal clauses (independence, force majeure, non-solicitation).
    #[serde(default)]
    pub legal: Option<Legal>,
    /// Data sources of record and import mappings.
    #[serde(default)]
    pub data: Option<DataSection>,
}

// ---------------------------------------------------------------------------------------------
// 1. Parties, structure and term

/// The `[contract]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Contract identifier, e.g. `ANB-MNL-2026`.
    pub id: String,
    /// Version of this contract text.
    pub version: String,
    /// Human title.
    pub title: String,
    /// Documents making up the contract set.
    #[serde(default)]
    pub documents: Vec<DocumentKind>,
    /// Languages the contract is executed in (`en`, `es`).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Governing law, e.g. "Laws of England and Wales".
    pub governing_law: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// IANA time zone in which periods are measured, e.g. `Asia/Manila`.
    pub time_zone: String,
    /// Date the contract takes effect.
    pub effective_date: Date,
    /// Initial term in months.
    pub initial_term_months: u32,
    /// Renewal terms.
    pub renewal: Option<Renewal>,
    /// Change history (change forms).
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// A document of the contract set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Master services agreement.
    Msa,
    /// Service-level schedule.
    SlaSchedule,
    /// Pricing schedule.
    PricingSchedule,
    /// Non-disclosure agreement.
    Nda,
    /// Data processing agreement.
    Dpa,
    /// Statement of work.
    Sow,
}

/// Renewal terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Renewal {
    /// Renews automatically unless notice is given.
    pub automatic: bool,
    /// Length of each renewal term.
    pub term_months: Option<u32>,
    /// Days before expiry by which non-renewal notice must be given.
    pub notice_days: Option<u32>,
}

/// One change form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// Version this change produced.
    pub version: String,
    /// Date signed.
    pub date: Date,
    /// What changed.
    pub summary: String,
}

/// The `[parties]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Parties {
    /// The company outsourcing its customer service.
    pub client: Party,
    /// The contact-center provider (BPO).
    pub provider: Party,
}

/// A party to the contract.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Registered legal name.
    pub legal_name: String,
    /// Country of registration (ISO 3166 alpha-2).
    pub country: Option<String>,
    /// Registered address.
    pub address: Option<String>,
    /// Tax or registration number.
    pub registration: Option<String>,
    /// Named contacts.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Delivery sites (provider).
    #[serde(default)]
    pub sites: Vec<Site>,
}

/// A named contact person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Person's name.
    pub name: String,
    /// Their role, e.g. "Vendor manager".
    pub role: String,
    /// E-mail address.
    pub email: Option<String>,
}

/// A delivery site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Site identifier used in data (`site` field).
    pub id: String,
    /// City.
    pub city: String,
    /// Country (ISO 3166 alpha-2).
    pub country: String,
    /// Seats available.
    pub seats: Option<u32>,
}

// ---------------------------------------------------------------------------------------------
// 2. Scope

/// The `[scope]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Services delivered, per channel and queue.
    #[serde(default)]
    pub services: Vec<Service>,
    /// The share above or below forecast the provider must absorb, in percent (±).
    pub flex_band_percent: Option<Decimal>,
    /// Forecast obligations (who sends them, by when).
    pub forecast: Option<ForecastObligation>,
    /// Client responsibilities.
    #[serde(default)]
    pub client_responsibilities: Vec<String>,
    /// Provider responsibilities.
    #[serde(default)]
    pub provider_responsibilities: Vec<String>,
}

/// A channel of contact.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Inbound voice.
    VoiceIn,
    /// Outbound voice.
    VoiceOut,
    /// Web chat.
    Chat,
    /// E-mail.
    Email,
    /// Social media.
    Social,
    /// SMS.
    Sms,
    /// Back-office work items.
    BackOffice,
    /// Customer surveys run by the provider.
    Surveys,
}

impl Channel {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::VoiceIn => "voice_in",
            Channel::VoiceOut => "voice_out",
            Channel::Chat => "chat",
            Channel::Email => "email",
            Channel::Social => "social",
            Channel::Sms => "sms",
            Channel::BackOffice => "back_office",
            Channel::Surveys => "surveys",
        }
    }

    /// Written (asynchronous) channels measured by response time rather than service level.
    pub fn is_written(self) -> bool {
        matches!(
            self,
            Channel::Email | Channel::Social | Channel::Sms | Channel::BackOffice
        )
    }
}

/// One service in scope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Identifier referenced by SLAs and pricing.
    pub id: String,
    /// Channel.
    pub channel: Channel,
    /// Queues (skills, lines of business) in the source data.
    #[serde(default)]
    pub queues: Vec<String>,
    /// Languages served (ISO 639-1).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Sites delivering it.
    #[serde(default)]
    pub sites: Vec<String>,
    /// Forecast contacts per month.
    pub forecast_monthly_volume: Option<u64>,
    /// Forecast average handle time, seconds (used for cost comparisons).
    pub forecast_aht_s: Option<u32>,
    /// Contacts one agent handles at once (chat only; 1 when absent). `pacta plan` divides
    /// the agents Erlang needs by it: 2.0 means each chat agent carries two conversations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<Decimal>,
    /// Description.
    pub description: Option<String>,
}

/// Who must send forecasts, and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastObligation {
    /// Party who sends the forecast (normally the client).
    pub provided_by: PartyRole,
    /// Days before the month starts that the forecast is due.
    pub due_days_before_month: u32,
    /// A late forecast excuses service-level misses in that month.
    #[serde(default)]
    pub late_forecast_excuses_misses: bool,
    /// Granularity of the forecast.
    pub granularity: Option<PeriodKind>,
}

/// One side of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    /// The client.
    Client,
    /// The provider.
    Provider,
}

// ---------------------------------------------------------------------------------------------
// Calendar

/// The `[calendar]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// Hours of operation, by day of week.
    #[serde(default)]
    pub hours: Vec<OpeningHours>,
    /// Dates on which the service is closed (or runs holiday hours).
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    /// Whether contacts outside hours count towards SLAs.
    #[serde(default)]
    pub include_outside_hours: bool,
    /// The weekdays on which deadlines count as business days (holidays marked closed never
    /// are). Absent means Monday to Friday: notice and report deadlines are office work,
    /// whatever hours the contact center keeps.
    pub business_days: Option<Vec<Weekday>>,
}

/// A day of the week.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    /// Converts to jiff's weekday.
    pub fn to_jiff(self) -> jiff::civil::Weekday {
        use jiff::civil::Weekday as W;
        match self {
            Weekday::Mon => W::Monday,
            Weekday::Tue => W::Tuesday,
            Weekday::Wed => W::Wednesday,
            Weekday::Thu => W::Thursday,
            Weekday::Fri => W::Friday,
            Weekday::Sat => W::Saturday,
            Weekday::Sun => W::Sunday,
        }
    }
}

/// Opening hours for some days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningHours {
    /// Days these hours apply to.
    pub days: Vec<Weekday>,
    /// Opening time.
    pub open: TimeOfDay,
    /// Closing time (`24:00` for midnight).
    pub close: TimeOfDay,
    /// Channels these hours apply to (all when empty).
    #[serde(default)]
    pub channels: Vec<Channel>,
}

/// A holiday.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The date.
    pub date: Date,
    /// Its name.
    pub name: String,
    /// Whether the service is closed (otherwise it runs and holiday rates apply).
    #[serde(default = "yes")]
    pub closed: bool,
}

fn yes() -> bool {
    true
}

// ---------------------------------------------------------------------------------------------
// 3. Service levels

/// A measurement period granularity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// An interval of `interval_minutes`.
    Interval,
    /// A calendar day.
    Day,
    /// An ISO week.
    Week,
    /// A calendar month.
    Month,
    /// A calendar quarter.
    Quarter,
}

/// Class of a service level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlaClass {
    /// Critical service level: carries a credit allocation.
    Critical,
    /// Key measurement: reported, may be promoted to critical.
    Key,
    /// Business KPI tracked without credit.
    Tracked,
}

/// A reason a period or contact is excluded from an SLA.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// Outages and relief events declared and accepted.
    AcceptedRelief,
    /// Force majeure.
    ForceMajeure,
    /// Volume above the forecast flex band.
    VolumeAboveFlex,
    /// Failures caused by the client (e.g. a late forecast, client systems down).
    ClientCaused,
    /// Contacts outside hours of operation.
    OutsideHours,
}

/// What a period with no data from the source of record counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingData {
    /// A missing report counts as a miss (the default in `docs/spec/contract-elements.md`).
    #[default]
    Miss,
    /// A missing report excuses the period.
    Excused,
}

/// One service level agreement or tracked KPI (`[[sla]]`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Sla {
    /// Stable identifier, e.g. `SL-VOICE`.
    pub id: String,
    /// Human name.
    pub name: String,
    /// Metric machine name from `docs/spec/kpi-definitions.md`, e.g. `service_level`.
    pub metric: String,
    /// Formula variant, e.g. `exclude_short_abandons`. Required to avoid ambiguity.
    pub variant: Option<String>,
    /// Metric parameters.
    #[serde(default)]
    pub params: SlaParams,
    /// Where it is measured.
    #[serde(default)]
    pub scope: SlaScope,
    /// Measurement period.
    pub period: Option<PeriodKind>,
    /// For `period = "interval"`: the interval length in minutes (15, 30 or 60).
    pub interval_minutes: Option<u32>,
    /// For interval or day periods: the share of periods (percent) that must meet target
    /// for the month to count as met.
    pub required_share_percent: Option<Decimal>,
    /// Critical, key or tracked.
    pub class: SlaClass,
    /// System of record for the data (e.g. "Provider ACD (Genesys Cloud)").
    pub data_source: Option<String>,
    /// Exclusions that apply.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// What a missing data source counts as.
    #[serde(default)]
    pub missing_data: MissingData,
    /// Credit allocation of the pool, percent (critical SLAs).
    pub allocation_percent: Option<Decimal>,
    /// Fixed credit per miss, in contract currency (instead of, or on top of, allocation).
    pub fixed_credit: Option<Decimal>,
    /// Points per miss (points scheme).
    pub points_per_miss: Option<u32>,
    /// Targets, each with the date from which it applies.
    #[serde(default)]
    pub targets: Vec<SlaTarget>,
}

/// Parameters of an SLA's metric.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaParams {
    /// Answer threshold T, seconds.
    pub threshold_s: Option<u32>,
    /// Short-abandon threshold S, seconds.
    pub short_abandon_s: Option<u32>,
    /// Count other exits (timeouts, overflow) in the denominator as not met.
    pub include_exits: Option<bool>,
    /// FCR repeat window, days.
    pub window_days: Option<u32>,
    /// FCR match key (`customer_key`).
    pub match_key: Option<String>,
    /// FCR repeats counted on `any` channel, `same_queue` or `same_channel`.
    pub repeat_scope: Option<String>,
    /// Survey scale maximum (5 for 1–5).
    pub scale: Option<u32>,
    /// Written channels: response threshold, hours.
    pub response_hours: Option<Decimal>,
    /// Written channels: `calendar` or `business` hours.
    pub clock: Option<String>,
    /// Abandonment after N seconds.
    pub after_seconds: Option<u32>,
    /// QA evaluations per agent per period.
    pub evaluations_per_agent: Option<u32>,
    /// Disposition counted as an outcome (e.g. `sale`).
    pub disposition: Option<String>,
}

/// Where an SLA is measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaScope {
    /// Service ids from `[scope]`.
    #[serde(default)]
    pub services: Vec<String>,
    /// Channels.
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Queues.
    #[serde(default)]
    pub queues: Vec<String>,
    /// Sites.
    #[serde(default)]
    pub sites: Vec<String>,
    /// Languages.
    #[serde(default)]
    pub languages: Vec<String>,
}

/// A versioned target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaTarget {
    /// First day this target is in force.
    pub effective_from: Date,
    /// Expected service level.
    pub expected: Decimal,
    /// Minimum service level (below it, chronic-failure rules look).
    pub minimum: Option<Decimal>,
    /// The change form that introduced it.
    pub change_ref: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// 4. Credits, bonuses, remedies

/// The `[credits]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Credits {
    /// At-risk amount as a percent of monthly charges.
    pub at_risk_percent: Decimal,
    /// Pool percentage available for allocation (often 150 %).
    pub pool_percent: Decimal,
    /// Monthly cap, percent of monthly charges (at most the at-risk amount).
    pub monthly_cap_percent: Option<Decimal>,
    /// Rolling twelve-month cap, percent of the last twelve months' charges.
    pub rolling_cap_percent: Option<Decimal>,
    /// Days after the report within which credits may be claimed.
    pub claim_window_days: Option<u32>,
    /// Credits are applied automatically without a claim.
    #[serde(default)]
    pub automatic: bool,
    /// Credits are the client's sole financial remedy for SLA failures.
    #[serde(default)]
    pub sole_remedy: bool,
    /// Earn-back rule.
    pub earn_back: Option<EarnBack>,
    /// Credit tiers by shortfall below target.
    #[serde(default)]
    pub tiers: Vec<CreditTier>,
    /// Points-to-percent table.
    #[serde(default)]
    pub points: Vec<PointsStep>,
    /// Bonuses for exceeding levels.
    #[serde(default)]
    pub bonuses: Vec<Bonus>,
    /// Bonus pool fed by met and missed months.
    pub bonus_pool: Option<BonusPool>,
    /// Chronic and persistent failure triggers.
    #[serde(default)]
    pub chronic: Vec<ChronicTrigger>,
}

/// Earn-back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EarnBack {
    /// Consecutive good periods after a miss that return the credit.
    pub periods: u32,
    /// Maximum share of a credit that may be earned back, percent.
    pub max_percent: Option<Decimal>,
    /// Earn-backs allowed per contract year.
    pub max_per_year: Option<u32>,
}

/// A tier of credit by shortfall.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CreditTier {
    /// Shortfall below target from which the tier applies, percentage points (inclusive).
    pub shortfall_from: Decimal,
    /// Shortfall up to which it applies (exclusive); open-ended when absent.
    pub shortfall_to: Option<Decimal>,
    /// Share of the SLA's credit payable, percent.
    pub credit_percent: Decimal,
}

/// A step of the points scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PointsStep {
    /// Points from which this step applies.
    pub points: u32,
    /// Percent off the next bill.
    pub credit_percent: Decimal,
}

/// A bonus for exceeding a level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Bonus {
    /// Identifier.
    pub id: String,
    /// Conditions that must all hold in the period.
    pub conditions: Vec<BonusCondition>,
    /// Bonus as a percent of monthly charges.
    pub percent: Option<Decimal>,
    /// Or a fixed amount.
    pub amount: Option<Decimal>,
    /// Cap on the bonus per period.
    pub cap: Option<Decimal>,
}

/// One condition of a bonus.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BonusCondition {
    /// The SLA id whose measured value is compared.
    pub sla: String,
    /// Value at least (higher-is-better) or at most (lower-is-better) this.
    pub level: Decimal,
}

/// Bonus pool fed monthly and paid out periodically.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BonusPool {
    /// Percent of the monthly payment added for each month all critical SLAs are met.
    pub add_percent_per_met_month: Decimal,
    /// Percent subtracted for each month with a miss.
    pub subtract_percent_per_missed_month: Decimal,
    /// Payout frequency.
    pub paid: PeriodKind,
}

/// A chronic or persistent failure trigger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ChronicTrigger {
    /// Identifier.
    pub id: String,
    /// What triggers it.
    pub kind: ChronicKind,
    /// Number of misses (or consecutive months).
    pub count: u32,
    /// Rolling window in months (for `misses_in_window`).
    pub window_months: Option<u32>,
    /// SLAs it applies to (all critical when empty).
    #[serde(default)]
    pub slas: Vec<String>,
    /// The consequence.
    pub remedy: ChronicRemedy,
    /// For escalated credits: percent of annual fees.
    pub credit_percent_of_annual: Option<Decimal>,
    /// Additional percent per further `count` misses.
    pub step_percent: Option<Decimal>,
}

/// Kind of chronic trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChronicKind {
    /// Minimum level missed `count` consecutive months.
    BelowMinimumConsecutive,
    /// Target missed `count` consecutive months.
    MissedConsecutive,
    /// Target missed `count` times in a rolling `window_months`.
    MissesInWindow,
}

/// Consequence of a chronic trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChronicRemedy {
    /// The client may terminate for cause.
    TerminationRight,
    /// An escalated credit is due.
    EscalatedCredit,
    /// A remediation plan is due.
    RemediationPlan,
}

// ---------------------------------------------------------------------------------------------
// 5. Pricing and payment

/// The `[pricing]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pricing {
    /// Rounding rule for money.
    #[serde(default)]
    pub rounding: Rounding,
    /// Charge components; several make a hybrid.
    pub components: Vec<PriceComponent>,
    /// Minimum monthly commitment (the invoice is at least this before credits).
    pub minimum_monthly_commitment: Option<Decimal>,
    /// Shift multipliers.
    #[serde(default)]
    pub shift_multipliers: Vec<ShiftMultiplier>,
    /// One-time fees.
    #[serde(default)]
    pub one_time_fees: Vec<OneTimeFee>,
    /// Pass-through costs.
    #[serde(default)]
    pub pass_through: Vec<PassThrough>,
    /// Only the declared items may be invoiced.
    #[serde(default)]
    pub declared_items_only: bool,
    /// A per-contact rate quoted by the provider or benchmarked in the market; review uses it to
    /// compare hourly pricing against per-contact pricing on the forecast.
    pub reference_per_contact_rate: Option<Decimal>,
    /// Expected agent occupancy, percent, used to turn forecast workload into paid hours
    /// (defaults to 85 % where needed).
    pub expected_occupancy_percent: Option<Decimal>,
    /// Price review and indexation.
    pub indexation: Option<Indexation>,
    /// Payment terms.
    pub payment: Option<Payment>,
}

/// How money is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half away from zero (commercial rounding).
    #[default]
    HalfUp,
    /// Half to even (banker's rounding).
    HalfEven,
}

/// Unit a price component charges for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PriceUnit {
    /// Per agent logged-in hour.
    LoggedHour,
    /// Per productive hour (handle time plus available time).
    ProductiveHour,
    /// Per handled contact.
    HandledContact,
    /// Per talk minute.
    TalkMinute,
    /// Per handle minute.
    HandleMinute,
    /// Per outcome (sale, resolved case).
    Outcome,
    /// Flat monthly fee.
    FlatMonthly,
}

/// One charge component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceComponent {
    /// Identifier (used on invoice lines).
    pub id: String,
    /// What is charged.
    pub unit: PriceUnit,
    /// Rate per unit (or the fee for `flat_monthly`).
    pub rate: Decimal,
    /// Services it applies to (all when empty).
    #[serde(default)]
    pub services: Vec<String>,
    /// Channels it applies to (all when empty).
    #[serde(default)]
    pub channels: Vec<Channel>,
    /// Languages it applies to.
    #[serde(default)]
    pub languages: Vec<String>,
    /// For `outcome`: the disposition that counts.
    pub outcome: Option<String>,
    /// Units per month included before this component charges (hybrid threshold).
    pub included_units: Option<Decimal>,
    /// Volume tiers.
    #[serde(default)]
    pub tiers: Vec<PriceTier>,
    /// Tier mode.
    #[serde(default)]
    pub tier_mode: TierMode,
    /// Monthly cap on this component's charge.
    pub cap: Option<Decimal>,
}

/// Whole-volume or marginal tiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TierMode {
    /// Each unit is charged at the rate of the tier it falls in.
    #[default]
    Marginal,
    /// All units are charged at the rate of the tier the total falls in.
    WholeVolume,
}

/// A volume tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceTier {
    /// From this many units (inclusive).
    pub from: Decimal,
    /// Up to this many (exclusive); open-ended when absent.
    pub to: Option<Decimal>,
    /// Rate in this tier.
    pub rate: Decimal,
}

/// A shift multiplier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShiftMultiplier {
    /// Which shift.
    pub kind: ShiftKind,
    /// Multiplier on the hourly rate, e.g. 1.25.
    pub factor: Decimal,
    /// Start of the shift window (night).
    pub from: Option<TimeOfDay>,
    /// End of the shift window.
    pub to: Option<TimeOfDay>,
}

/// Kind of shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ShiftKind {
    /// Night hours.
    Night,
    /// Holidays of the calendar.
    Holiday,
    /// Hours above the scheduled plan, requested by the client.
    Overtime,
    /// Weekend.
    Weekend,
}

/// A one-time fee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OneTimeFee {
    /// Identifier.
    pub id: String,
    /// What it is for.
    pub kind: OneTimeKind,
    /// Amount.
    pub amount: Decimal,
    /// Month in which it may be invoiced (YYYY-MM).
    pub invoice_month: Option<String>,
    /// Per new hire rather than once.
    #[serde(default)]
    pub per_hire: bool,
}

/// Kind of one-time fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OneTimeKind {
    /// Setup / implementation.
    Setup,
    /// Initial training.
    InitialTraining,
    /// Recruitment.
    Recruitment,
    /// Systems integration.
    Integration,
    /// Other, declared.
    Other,
}

/// A pass-through cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PassThrough {
    /// Identifier.
    pub id: String,
    /// What it is (telecom, licences).
    pub description: String,
    /// Monthly cap.
    pub monthly_cap: Option<Decimal>,
    /// Markup allowed, percent.
    pub markup_percent: Option<Decimal>,
    /// Requires receipts.
    #[serde(default)]
    pub receipts_required: bool,
}

/// Price review and indexation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indexation {
    /// Index used (e.g. "CPI Philippines").
    pub index: String,
    /// Cap on the yearly increase, percent.
    pub cap_percent: Option<Decimal>,
    /// First review date.
    pub first_review: Option<Date>,
    /// Months between reviews.
    pub every_months: u32,
}

/// Payment terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// Net days from invoice.
    pub net_days: u32,
    /// Late-payment interest, percent per year.
    pub late_interest_percent_per_year: Option<Decimal>,
    /// Invoices must come with interval-level supporting data.
    #[serde(default)]
    pub supporting_data_required: bool,
    /// How credits are netted.
    #[serde(default)]
    pub credits_netted: CreditNetting,
    /// Day of the following month by which the invoice is issued.
    pub invoice_due_day: Option<u32>,
}

/// How credits are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CreditNetting {
    /// Deducted from the next invoice.
    #[default]
    NextInvoice,
    /// Deducted from the same month's invoice.
    SameInvoice,
    /// Paid as a refund.
    Refund,
}

// ---------------------------------------------------------------------------------------------
// 6. People

/// The `[people]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct People {
    /// Maximum monthly attrition, percent.
    pub max_monthly_attrition_percent: Option<Decimal>,
    /// Maximum annualised attrition, percent.
    pub max_annual_attrition_percent: Option<Decimal>,
    /// Initial training hours per new agent.
    pub initial_training_hours: Option<Decimal>,
    /// Ongoing training hours per agent per month.
    pub ongoing_training_hours_per_month: Option<Decimal>,
    /// Product-knowledge certification before taking contacts.
    #[serde(default)]
    pub certification_required: bool,
    /// Background checks on all agents.
    #[serde(default)]
    pub background_checks: bool,
    /// Agents per supervisor, at most.
    pub max_agents_per_supervisor: Option<u32>,
    /// Key personnel.
    #[serde(default)]
    pub key_personnel: Vec<KeyPerson>,
    /// Client must not solicit provider staff (and vice versa), months after term.
    pub non_solicitation_months: Option<u32>,
}

/// A key person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KeyPerson {
    /// Role, e.g. "Account director".
    pub role: String,
    /// Name if known.
    pub name: Option<String>,
    /// Replacing them requires the client's consent.
    #[serde(default = "yes")]
    pub replacement_requires_consent: bool,
}

// ---------------------------------------------------------------------------------------------
// 7. Facilities, security, data protection

/// The `[facilities]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Facilities {
    /// Dedicated high-speed internet with redundancy.
    #[serde(default)]
    pub dedicated_internet: bool,
    /// Physical access control.
    #[serde(default)]
    pub access_control: bool,
    /// Ergonomic workstations.
    #[serde(default)]
    pub ergonomic_workstations: bool,
    /// Physical surveillance (CCTV).
    #[serde(default)]
    pub surveillance: bool,
    /// Business continuity and disaster recovery.
    pub continuity: Option<Continuity>,
}

/// Business continuity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Continuity {
    /// Recovery time objective, hours.
    pub rto_hours: Decimal,
    /// Recovery point objective, hours.
    pub rpo_hours: Decimal,
    /// Tests per year.
    pub tests_per_year: Option<u32>,
    /// Alternate site id.
    pub alternate_site: Option<String>,
}

/// A cybersecurity control from the seeds' list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SecurityControl {
    /// Perimeter firewall.
    Firewall,
    /// Antivirus / endpoint protection.
    Antivirus,
    /// Active VPNs for remote links.
    Vpn,
    /// Segmented VLANs per client.
    VlanSegmentation,
    /// Passwords personalised per shift and agent.
    PerShiftPasswords,
    /// Privileged access by role.
    RoleBasedPrivilegedAccess,
    /// Multi-factor authentication.
    Mfa,
    /// Clean-desk policy, no phones on the floor.
    CleanDesk,
    /// Call recording with restricted access.
    RecordingAccessControl,
}

impl SecurityControl {
    /// The controls the seed articles list as the minimum.
    pub const SEEDS_LIST: [SecurityControl; 6] = [
        SecurityControl::Firewall,
        SecurityControl::Antivirus,
        SecurityControl::Vpn,
        SecurityControl::VlanSegmentation,
        SecurityControl::PerShiftPasswords,
        SecurityControl::RoleBasedPrivilegedAccess,
    ];

    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityControl::Firewall => "firewall",
            SecurityControl::Antivirus => "antivirus",
            SecurityControl::Vpn => "vpn",
            SecurityControl::VlanSegmentation => "vlan_segmentation",
            SecurityControl::PerShiftPasswords => "per_shift_passwords",
            SecurityControl::RoleBasedPrivilegedAccess => "role_based_privileged_access",
            SecurityControl::Mfa => "mfa",
            SecurityControl::CleanDesk => "clean_desk",
            SecurityControl::RecordingAccessControl => "recording_access_control",
        }
    }
}

/// A certification.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Certification {
    /// ISO/IEC 27001.
    Iso27001,
    /// PCI DSS.
    PciDss,
    /// ISO 18295-1.
    Iso18295,
    /// COPC.
    Copc,
    /// SOC 2 Type II.
    Soc2,
    /// HIPAA attestation.
    Hipaa,
}

/// The `[security]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Controls in place.
    #[serde(default)]
    pub controls: Vec<SecurityControl>,
    /// Certifications held and maintained.
    #[serde(default)]
    pub certifications: Vec<Certification>,
    /// The provider takes card payments.
    #[serde(default)]
    pub handles_card_payments: bool,
    /// Penetration tests per year.
    pub penetration_tests_per_year: Option<u32>,
}

/// The `[data_protection]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataProtection {
    /// Data the client provides.
    #[serde(default)]
    pub data_provided: Vec<String>,
    /// Purpose limitation: data used only to deliver the services.
    #[serde(default)]
    pub purpose_limited: bool,
    /// Transfers to third parties need written consent.
    #[serde(default)]
    pub third_party_transfer_requires_consent: bool,
    /// Countries where data may be stored or processed.
    #[serde(default)]
    pub locations: Vec<String>,
    /// Approved sub-processors.
    #[serde(default)]
    pub sub_processors: Vec<SubProcessor>,
    /// Retention period, days.
    pub retention_days: Option<u32>,
    /// Breach notification deadline, hours.
    pub breach_notice_hours: Option<u32>,
    /// Penalty per confidentiality breach.
    pub confidentiality_penalty: Option<Decimal>,
    /// Years the NDA survives termination.
    pub nda_survival_years: Option<u32>,
    /// Laws complied with (GDPR, HIPAA, Ley 1581 de 2012…).
    #[serde(default)]
    pub laws: Vec<String>,
    /// Owner of scripts, recordings, knowledge bases and work product.
    pub ip_owner: Option<PartyRole>,
}

/// A sub-processor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubProcessor {
    /// Name.
    pub name: String,
    /// Purpose.
    pub purpose: String,
    /// Country.
    pub country: String,
}

// ---------------------------------------------------------------------------------------------
// 8. Quality and governance

/// The `[quality]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Quality {
    /// The provider runs a quality-control function.
    #[serde(default)]
    pub qa_function: bool,
    /// QA evaluations per agent per month.
    pub evaluations_per_agent_month: Option<u32>,
    /// Calibration sessions with the client.
    pub calibration: Option<PeriodKind>,
    /// Client may listen to calls and monitor live.
    #[serde(default)]
    pub monitoring_rights: bool,
    /// Reports the provider must deliver.
    #[serde(default)]
    pub reports: Vec<QualityReport>,
}

/// A report obligation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityReport {
    /// Identifier.
    pub id: String,
    /// Name.
    pub name: String,
    /// How often.
    pub frequency: PeriodKind,
    /// File formats accepted.
    #[serde(default)]
    pub formats: Vec<ReportFormat>,
    /// Finest granularity of the data in the report.
    pub granularity: Option<PeriodKind>,
    /// Business days after period end it is due.
    pub due_days_after_period: u32,
}

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// CSV.
    Csv,
    /// Excel.
    Xlsx,
    /// PDF.
    Pdf,
    /// JSON.
    Json,
    /// Parquet.
    Parquet,
}

/// The `[governance]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Governance {
    /// Governance meetings.
    #[serde(default)]
    pub meetings: Vec<Meeting>,
    /// Audit rights.
    pub audit: Option<Audit>,
    /// Continuous-improvement plan required.
    #[serde(default)]
    pub improvement_plan: bool,
    /// Pilot before full rollout.
    pub pilot: Option<Pilot>,
}

/// A governance meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// Name, e.g. "Quarterly business review".
    pub name: String,
    /// Frequency.
    pub frequency: PeriodKind,
    /// Attendees (roles).
    #[serde(default)]
    pub attendees: Vec<String>,
}

/// Audit rights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Audit {
    /// Days of notice.
    pub notice_days: u32,
    /// Audits per year allowed.
    pub per_year: Option<u32>,
    /// Site visits allowed.
    #[serde(default)]
    pub site_visits: bool,
    /// Audit of data-protection compliance.
    #[serde(default)]
    pub data_protection: bool,
}

/// A pilot program.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pilot {
    /// Length in weeks.
    pub weeks: u32,
    /// Agents in the pilot.
    pub agents: Option<u32>,
    /// SLA ids that decide success.
    #[serde(default)]
    pub success_slas: Vec<String>,
}

// ---------------------------------------------------------------------------------------------
// 9. Disputes, liability, termination, exit

/// The `[disputes]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Disputes {
    /// Escalation steps, in order.
    #[serde(default)]
    pub steps: Vec<DisputeStep>,
    /// Days after a month's settlement within which a party may raise a dispute on it.
    /// Absent means the credit claim window (`credits.claim_window_days`) applies.
    pub raise_within_days: Option<u32>,
}

/// A dispute-resolution step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DisputeStep {
    /// Kind of step.
    pub kind: DisputeKind,
    /// Days allowed before escalating to the next step.
    pub days: Option<u32>,
    /// Institution (arbitration/mediation), e.g. "ICC", "SIAC".
    pub institution: Option<String>,
    /// Seat.
    pub seat: Option<String>,
    /// Language of proceedings.
    pub language: Option<String>,
}

/// Kind of dispute step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DisputeKind {
    /// Negotiation between account managers.
    Negotiation,
    /// Executive escalation.
    ExecutiveEscalation,
    /// Mediation.
    Mediation,
    /// Binding arbitration.
    Arbitration,
    /// Courts.
    Courts,
}

/// The `[liability]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Liability {
    /// Cap in months of fees.
    pub cap_months_of_fees: Option<Decimal>,
    /// Matters excluded from the cap.
    #[serde(default)]
    pub uncapped: Vec<String>,
    /// Mutual indemnification.
    #[serde(default)]
    pub indemnification: bool,
    /// Insurance the provider must carry.
    #[serde(default)]
    pub insurance: Vec<Insurance>,
}

/// An insurance policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Insurance {
    /// Kind (professional liability, cyber).
    pub kind: String,
    /// Minimum cover.
    pub cover: Decimal,
}

/// The `[termination]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Termination {
    /// Notice for termination for convenience, days.
    pub convenience_notice_days: Option<u32>,
    /// Fee for termination for convenience.
    pub convenience_fee: Option<Decimal>,
    /// Cure period for termination for cause, days.
    pub cause_cure_days: Option<u32>,
    /// Termination right for chronic SLA failure.
    #[serde(default)]
    pub chronic_sla_failure: bool,
    /// Termination right on insolvency.
    #[serde(default)]
    pub insolvency: bool,
    /// Termination right on change of control of the provider.
    #[serde(default)]
    pub change_of_control: bool,
}

/// The `[exit]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Exit {
    /// Months of transition assistance.
    pub assistance_months: Option<u32>,
    /// Assistance charged at contract rates.
    #[serde(default)]
    pub at_contract_rates: bool,
    /// Return of client data.
    #[serde(default)]
    pub data_return: bool,
    /// Certified deletion of client data.
    #[serde(default)]
    pub data_deletion: bool,
    /// Days after exit by which data is returned and deleted.
    pub data_days: Option<u32>,
    /// Knowledge transfer to the successor.
    #[serde(default)]
    pub knowledge_transfer: bool,
}

/// The `[legal]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Legal {
    /// The parties are independent contractors; no employment or agency relation.
    #[serde(default)]
    pub independence: bool,
    /// Force majeure clause.
    #[serde(default)]
    pub force_majeure: bool,
    /// Provider may not subcontract without consent.
    #[serde(default)]
    pub subcontracting_requires_consent: bool,
    /// Assignment requires consent.
    #[serde(default)]
    pub assignment_requires_consent: bool,
}

// ---------------------------------------------------------------------------------------------
// Data sources

/// The `[data]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSection {
    /// Data sources of record.
    #[serde(default)]
    pub sources: Vec<DataSource>,
    /// Days after period end by which the provider delivers the data.
    pub delivery_days_after_period: Option<u32>,
}

/// A source of record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataSource {
    /// Identifier, referenced by SLAs' `data_source`.
    pub id: String,
    /// The system (e.g. "Asterisk", "Amazon Connect", "Genesys Cloud").
    pub system: String,
    /// What it delivers.
    pub kind: DataKind,
    /// Import format.
    pub format: Option<String>,
    /// Column mapping: canonical field → source column.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// Timestamp format (strftime) of the source.
    pub timestamp_format: Option<String>,
    /// Time zone of naive timestamps in the source.
    pub time_zone: Option<String>,
}

/// Kind of operational data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataKind {
    /// Interactions.
    Interactions,
    /// Surveys.
    Surveys,
    /// QA evaluations.
    Qa,
    /// Roster and training.
    Roster,
    /// Incidents and relief events.
    Incidents,
    /// Vendor invoices.
    Invoices,
}
