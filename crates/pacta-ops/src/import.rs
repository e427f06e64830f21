//! Importing operational data files into the store.
//!
//! An import is two calls, so that bad input changes nothing: [`prepare`] checks every
//! argument (the files exist, the contract's data source, the format, the column mapping, the
//! time zone) without touching the store; [`ImportPlan::run`] then parses the files, writes the
//! quarantine file if asked, enforces the quarantine limit and commits one batch.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use pacta_contract::{Contract, DataKind, DataSource};
use pacta_core::{Lang, Localized};
use pacta_data::import::{Format, ImportOptions, Imported, Mapping, import_interactions};
use pacta_data::record_kinds::RecordKind;
use pacta_data::report::ImportReport;
use pacta_data::store::{CommitOptions, CommitSummary, Store};

use crate::record::{RecordPlace, Recorder};
use crate::store::data_error;
use crate::{OpError, OpResult, files};

/// What the files hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Contacts (calls, chats, e-mails…), in one of the [`Format`]s.
    Interactions,
    /// Another kind of record (surveys, QA, roster…), in pacta's CSV layout for that kind.
    Records(RecordKind),
}

/// What to import and how: the arguments of `pacta import`, or of an upload.
#[derive(Debug, Clone, Default)]
pub struct ImportRequest {
    /// Source format name for interactions (default: the format of the contract's source).
    pub format: Option<String>,
    /// Which `[[data.sources]]` entry of the contract to use (default: the first of the kind).
    pub source: Option<String>,
    /// A mapping file (TOML) for csv/jsonl, overriding the contract's.
    pub mapping: Option<PathBuf>,
    /// Time zone of naive timestamps in the files (default: the source's, else the contract's).
    pub time_zone: Option<String>,
    /// Write the quarantined rows (file,row,field,value,reason) to this CSV.
    pub quarantine: Option<PathBuf>,
    /// Refuse the import (nothing written) when more than this percent of rows is quarantined.
    pub max_quarantine_percent: Option<f64>,
    /// How long to wait for another import into the same store to finish (none: fail at
    /// once, naming it).
    pub wait_for_lock: Option<std::time::Duration>,
    /// A correction: rows whose source id is already stored with other values supersede the
    /// stored rows (interactions only). Stateful formats (Asterisk, Amazon Connect) always
    /// work this way: a later update of a contact supersedes the earlier one.
    pub replace: bool,
    /// The files.
    pub paths: Vec<PathBuf>,
}

/// A checked import, ready to run against a store.
#[derive(Debug)]
pub struct ImportPlan {
    kind: ImportKind,
    contract_id: String,
    contract_zone: TimeZone,
    format: Option<Format>,
    mapping: Mapping,
    time_zone: TimeZone,
    /// The contract's source whose mapping is used, if one is.
    source_id: Option<String>,
    request: ImportRequest,
}

/// What an import did.
#[derive(Debug)]
pub struct ImportOutcome {
    /// Row accounting: read, imported, dropped, merged, quarantined.
    pub report: ImportReport,
    /// The committed batch, or `None` when the quarantine limit refused the import.
    pub committed: Option<CommitSummary>,
}

impl ImportOutcome {
    /// The refusal when too many rows were quarantined (after the summary has been shown).
    pub fn refusal(&self, request: &ImportRequest) -> Option<OpError> {
        let max = request.max_quarantine_percent?;
        let percent = self.report.quarantine_percent();
        (self.committed.is_none() && percent > max)
            .then_some(OpError::QuarantineLimit { percent, max })
    }
}

/// The `--source` naming pacta's own columns (as `pacta gen` writes them): no mapping, ISO 8601
/// times, CSV unless `--format` says otherwise.
pub const PACTA_SOURCE: &str = "pacta";

fn source_for<'c>(
    contract: &'c Contract,
    id: Option<&str>,
    kind: DataKind,
) -> OpResult<Option<&'c DataSource>> {
    let sources = contract
        .doc
        .data
        .as_ref()
        .map(|d| d.sources.as_slice())
        .unwrap_or(&[]);
    match id {
        Some(id) => sources
            .iter()
            .find(|s| s.id == id)
            .map(Some)
            .ok_or_else(|| OpError::UnknownDataSource { id: id.to_string() }),
        None => Ok(sources.iter().find(|s| s.kind == kind)),
    }
}

/// Checks an import's arguments against the contract, touching nothing.
pub fn prepare(
    contract: &Contract,
    kind: ImportKind,
    request: ImportRequest,
) -> OpResult<ImportPlan> {
    // NaN compares false with everything: a limit of NaN would never trigger.
    if let Some(given) = request.max_quarantine_percent
        && !(0.0..=100.0).contains(&given)
    {
        return Err(OpError::BadQuarantineLimit { given });
    }
    if request.replace && kind != ImportKind::Interactions {
        return Err(OpError::ReplaceNeedsInteractions);
    }
    for p in &request.paths {
        if !p.is_file() {
            return Err(OpError::Read {
                path: p.clone(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            });
        }
    }
    let zone_named = |name: &str| pacta_data::time::time_zone(name).map_err(data_error);
    let mut plan = ImportPlan {
        kind,
        contract_id: contract.doc.contract.id.clone(),
        contract_zone: contract.time_zone.clone(),
        format: None,
        mapping: Mapping::default(),
        time_zone: contract.time_zone.clone(),
        source_id: None,
        request,
    };
    if kind != ImportKind::Interactions {
        if let Some(z) = &plan.request.time_zone {
            plan.time_zone = zone_named(z)?;
        }
        return Ok(plan);
    }
    let pacta_columns = plan.request.source.as_deref() == Some(PACTA_SOURCE);
    let source = if pacta_columns {
        None
    } else {
        source_for(
            contract,
            plan.request.source.as_deref(),
            DataKind::Interactions,
        )?
    };
    plan.source_id = source.map(|s| s.id.clone());
    let format_name = plan
        .request
        .format
        .clone()
        .or_else(|| source.and_then(|s| s.format.clone()))
        .or_else(|| pacta_columns.then(|| "csv".to_string()))
        .ok_or(OpError::NoFormat)?;
    plan.format = Some(
        format_name
            .parse()
            .map_err(|_| OpError::UnknownFormat { name: format_name })?,
    );
    plan.mapping = match &plan.request.mapping {
        Some(p) => {
            let bytes = files::read(p)?;
            Mapping::from_toml(&String::from_utf8_lossy(&bytes)).map_err(|e| {
                OpError::BadMapping {
                    path: p.clone(),
                    detail: e.to_string(),
                }
            })?
        }
        None => source.map(Mapping::from_source).unwrap_or_default(),
    };
    if let Some(tz) = &plan.request.time_zone {
        plan.mapping.time_zone = Some(tz.clone());
    }
    if let Some(z) = plan.mapping.time_zone.clone() {
        plan.time_zone = zone_named(&z)?;
    }
    Ok(plan)
}

impl ImportPlan {
    /// A data error, or, when a file lacks a column of the contract's source but has all of
    /// pacta's own required columns, the advice to import it with `--source pacta`.
    fn explained(&self, e: pacta_data::DataError) -> OpError {
        if let (
            pacta_data::DataError::MissingColumn {
                file,
                column,
                found,
            },
            Some(source_id),
        ) = (&e, &self.source_id)
        {
            let found: Vec<&str> = found.split(", ").collect();
            if pacta_data::import::generic::REQUIRED
                .iter()
                .all(|c| found.contains(c))
            {
                return OpError::PactaColumnsNeedPactaSource {
                    file: file.clone(),
                    column: column.clone(),
                    source_id: source_id.clone(),
                };
            }
        }
        data_error(e)
    }

    /// The files' total size in bytes (for a progress bar).
    pub fn total_bytes(&self) -> u64 {
        self.request
            .paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }

    /// The request this plan was prepared from.
    pub fn request(&self) -> &ImportRequest {
        &self.request
    }

    /// Parses the files, writes the quarantine file if asked, and commits one batch stamped
    /// `imported_at` unless the quarantine limit refuses it. `progress` is called with the
    /// bytes read so far over all files (interactions only).
    ///
    /// Two first imports into a new store race to create its pseudonym key; the loser's rows
    /// carry a key the store will never hold, so it reads the winner's key and runs once more
    /// (nothing of the first try was committed).
    ///
    /// With a recorder, rows that would change a closed month are refused (checked under the
    /// store's writer lock) and the committed batch is appended to the audit log.
    pub fn run(
        &self,
        store: &Store,
        records: Option<&RecordPlace>,
        imported_at: Timestamp,
        progress: Option<&(dyn Fn(u64) + Sync)>,
    ) -> OpResult<ImportOutcome> {
        // No database yet means no month was ever closed; it is created for the first entry.
        let existing = records.map(RecordPlace::existing).transpose()?.flatten();
        let recorder = existing.as_ref();
        let outcome = match self.run_once(store, recorder, imported_at, progress) {
            Err(OpError::Data(pacta_data::DataError::KeyCreatedMeanwhile { .. })) => {
                let reopened = Store::open(store.dir()).map_err(data_error)?;
                self.run_once(&reopened, recorder, imported_at, progress)?
            }
            other => other?,
        };
        if let (Some(place), Some(committed)) = (records, &outcome.committed)
            && committed.batch.is_some()
        {
            let created;
            let recorder = match recorder {
                Some(r) => r,
                None => {
                    created = place.recorder()?;
                    &created
                }
            };
            self.record_batch(store, recorder, &outcome, imported_at)?;
        }
        Ok(outcome)
    }

    /// [`ImportPlan::run`] with an open database (the server's): rows that would change a
    /// closed month are refused under the store's writer lock, and the committed batch is
    /// appended to the audit log.
    pub fn run_recorded(
        &self,
        store: &Store,
        recorder: &Recorder,
        imported_at: Timestamp,
    ) -> OpResult<ImportOutcome> {
        let outcome = match self.run_once(store, Some(recorder), imported_at, None) {
            Err(OpError::Data(pacta_data::DataError::KeyCreatedMeanwhile { .. })) => {
                let reopened = Store::open(store.dir()).map_err(data_error)?;
                self.run_once(&reopened, Some(recorder), imported_at, None)?
            }
            other => other?,
        };
        self.record_batch(store, recorder, &outcome, imported_at)?;
        Ok(outcome)
    }

    /// The audit entry of a committed batch (nothing when no batch was written).
    fn record_batch(
        &self,
        store: &Store,
        recorder: &Recorder,
        outcome: &ImportOutcome,
        imported_at: Timestamp,
    ) -> OpResult<()> {
        let Some(committed) = &outcome.committed else {
            return Ok(());
        };
        let Some(batch) = &committed.batch else {
            return Ok(());
        };
        let action = if committed.superseded > 0 {
            "import.replace"
        } else {
            "import"
        };
        let sources: Vec<serde_json::Value> = outcome
            .report
            .files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "file": Path::new(&f.path).file_name().map(|n| n.to_string_lossy().into_owned()),
                    "bytes": f.bytes,
                    "blake3": f.blake3,
                })
            })
            .collect();
        recorder.append(
            action,
            crate::record::batch_object(&self.contract_id, batch),
            serde_json::json!({
                "batch": batch,
                "kind": self.kind_name(),
                "contract": self.contract_id,
                "store_snapshot": store.snapshot_number().map_err(data_error)?,
                "written": committed.written,
                "duplicates_skipped": committed.duplicates_skipped,
                "superseded": committed.superseded,
                "months_changed": committed.months_changed,
                "sources": sources,
            }),
            imported_at,
        )?;
        Ok(())
    }

    fn kind_name(&self) -> &'static str {
        match self.kind {
            ImportKind::Interactions => "interactions",
            ImportKind::Records(kind) => kind.as_str(),
        }
    }

    fn run_once(
        &self,
        store: &Store,
        recorder: Option<&Recorder>,
        imported_at: Timestamp,
        progress: Option<&(dyn Fn(u64) + Sync)>,
    ) -> OpResult<ImportOutcome> {
        let options = self.commit_options(recorder);
        match self.kind {
            ImportKind::Interactions => {
                self.run_interactions(store, imported_at, progress, &options)
            }
            ImportKind::Records(kind) => {
                let paths: Vec<&Path> = self.request.paths.iter().map(PathBuf::as_path).collect();
                let table = pacta_data::record_kinds::import(kind, &paths, &self.time_zone)
                    .map_err(data_error)?;
                self.finish(&table.report, || {
                    store
                        .commit_records(&self.contract_id, &table, imported_at, &options)
                        .map_err(data_error)
                })
                .map(|committed| ImportOutcome {
                    report: table.report,
                    committed,
                })
            }
        }
    }

    fn run_interactions(
        &self,
        store: &Store,
        imported_at: Timestamp,
        progress: Option<&(dyn Fn(u64) + Sync)>,
        options: &CommitOptions,
    ) -> OpResult<ImportOutcome> {
        let format = self.format.ok_or(OpError::NoFormat)?;
        // Stateful formats (Asterisk, Amazon Connect) get all the files in one call: they
        // read them as one stream, so a call or contact that spans two files (a log rotated
        // at midnight, a contact's later update) is one record. The others are read file by
        // file. Either way `progress` hears the bytes read over all files; parsing may run on
        // several threads, so the callback must be shareable.
        let all: Vec<&Path> = self.request.paths.iter().map(PathBuf::as_path).collect();
        let calls: Vec<&[&Path]> = if format.is_stateful() {
            vec![all.as_slice()]
        } else {
            all.chunks(1).collect()
        };
        let done_before = AtomicU64::new(0);
        let overall = |bytes: u64| {
            if let Some(p) = progress {
                p(done_before.load(Ordering::Relaxed) + bytes);
            }
        };
        // A call an earlier import left open (its ENTERQUEUE was in yesterday's log) is
        // completed by this one; the completed row supersedes the stored one.
        let open_contacts = if format == Format::Asterisk {
            let mut open = pacta_data::import::OpenContacts::new();
            for month in store.months(&self.contract_id).map_err(data_error)? {
                let table = store
                    .load_interactions(&self.contract_id, month)
                    .map_err(data_error)?;
                for c in pacta_data::import::OpenContacts::from_table(&table).iter() {
                    open.insert(c.clone());
                }
            }
            Some(open)
        } else {
            None
        };
        let mut imported = Imported::default();
        for paths in calls {
            let mut opts = ImportOptions::new(self.time_zone.clone(), store.pseudonymizer());
            opts.mapping = Some(&self.mapping);
            opts.progress = Some(&overall);
            opts.open_contacts = open_contacts.as_ref().filter(|o| !o.is_empty());
            let one = tracing::info_span!("import.parse")
                .in_scope(|| import_interactions(format, paths, &opts))
                .map_err(|e| self.explained(e))?;
            let bytes: u64 = paths
                .iter()
                .map(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
                .sum();
            done_before.fetch_add(bytes, Ordering::Relaxed);
            if imported.batch.is_empty() {
                imported.batch = one.batch;
            } else {
                imported.batch.append(&one.batch);
            }
            imported.report.absorb(one.report);
        }
        let committed = self.finish(&imported.report, || {
            let _span = tracing::info_span!("import.commit").entered();
            store
                .commit_interactions(
                    &self.contract_id,
                    &self.contract_zone,
                    &imported.batch,
                    &imported.report,
                    imported_at,
                    options,
                )
                .map_err(data_error)
        })?;
        Ok(ImportOutcome {
            report: imported.report,
            committed,
        })
    }

    fn commit_options(&self, recorder: Option<&Recorder>) -> CommitOptions {
        let stateful = matches!(self.format, Some(Format::Asterisk | Format::AmazonConnect));
        CommitOptions {
            wait: self.request.wait_for_lock,
            replace: self.request.replace || stateful,
            closed_month: recorder.map(Recorder::closed_month_check),
            ..CommitOptions::default()
        }
    }

    /// Writes the quarantine file, then commits unless the limit is exceeded.
    fn finish(
        &self,
        report: &ImportReport,
        commit: impl FnOnce() -> OpResult<CommitSummary>,
    ) -> OpResult<Option<CommitSummary>> {
        if let Some(q) = &self.request.quarantine {
            let mut buf = Vec::new();
            report
                .write_quarantine_csv(&mut buf)
                .map_err(|source| OpError::Write {
                    path: q.clone(),
                    source,
                })?;
            files::write_private(q, &buf)?;
        }
        let percent = report.quarantine_percent();
        if self
            .request
            .max_quarantine_percent
            .is_some_and(|max| percent > max)
        {
            return Ok(None);
        }
        commit().map(Some)
    }
}

/// An uploaded file: the name the uploader gave it and its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    /// The file's name (only its last component is kept, in safe characters).
    pub name: &'a str,
    /// Its content.
    pub bytes: &'a [u8],
}

/// The name an upload is staged and reported under: the last path component of `given`,
/// letters, digits, `.`, `-` and `_` only, at most 100 characters; `upload` when nothing is
/// left.
pub fn upload_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = last
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    if kept.trim_matches('.').is_empty() {
        "upload".to_string()
    } else {
        kept
    }
}

static UPLOADS: AtomicU64 = AtomicU64::new(0);

/// A refusal of an upload whose words name the staging path, reworded with the uploaded
/// name. The server's own file faults stay as they are: their words are never shown.
fn without_staging(error: OpError, staged: &str, staging: &Path, name: &str) -> OpError {
    if matches!(error, OpError::Read { .. } | OpError::Write { .. }) {
        return error;
    }
    let staging = staging.display().to_string();
    let reword = |text: String| text.replace(staged, name).replace(&staging, "upload");
    let (en, es) = (error.message(Lang::En), error.message(Lang::Es));
    if !en.contains(&staging) && !es.contains(&staging) {
        return error;
    }
    OpError::UploadRefused {
        code: error.code(),
        en: reword(en),
        es: reword(es),
    }
}

/// Imports an uploaded file, as `pacta import` imports a file on disk: the same argument
/// checks, importers, quarantine limit, pseudonymisation and report, and the closed-month
/// check under the store's writer lock. The bytes are staged in a private temporary
/// directory for the importers and removed afterwards. The caller checks
/// [`ImportOutcome::refusal`] (the quarantine limit), as after [`ImportPlan::run`].
pub fn import_upload(
    store: &Store,
    recorder: &Recorder,
    contract: &Contract,
    kind: ImportKind,
    mut request: ImportRequest,
    upload: Upload<'_>,
    imported_at: Timestamp,
) -> OpResult<ImportOutcome> {
    let staging = std::env::temp_dir().join(format!(
        "pacta-upload-{}-{}-{}",
        std::process::id(),
        imported_at.as_nanosecond(),
        UPLOADS.fetch_add(1, Ordering::Relaxed)
    ));
    let name = upload_name(upload.name);
    let staged = staging.join(&name);
    let result = (|| {
        let mut dir = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut dir, 0o700);
        dir.create(&staging).map_err(|source| OpError::Write {
            path: staging.clone(),
            source,
        })?;
        files::write_private(&staged, upload.bytes)?;
        request.paths = vec![staged.clone()];
        request.quarantine = None;
        prepare(contract, kind, request)?.run_recorded(store, recorder, imported_at)
    })();
    let _ = std::fs::remove_dir_all(&staging);
    // The report and the refusals name the file as uploaded, not where it was staged.
    let staged_text = staged.display().to_string();
    let result = result.map_err(|e| without_staging(e, &staged_text, &staging, &name));
    result.map(|mut outcome| {
        for f in &mut outcome.report.files {
            if f.path == staged_text {
                f.path = name.clone();
            }
        }
        for q in &mut outcome.report.quarantined {
            if q.file == staged_text {
                q.file = name.clone();
            }
        }
        outcome
    })
}
