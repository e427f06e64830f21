//! Running a job: the session for the target, the tables, then the queries in order.

use std::path::Path;
use std::sync::Arc;

use ballista::prelude::SessionContextExt;
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::{
    ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl,
};
use datafusion::error::DataFusionError;
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::object_store::ObjectStoreExt;
use datafusion::prelude::{SQLOptions, SessionConfig, SessionContext};
use url::Url;

use crate::error::EngineError;
use crate::job::{Job, JobQuery, JobTable};
use crate::results::{self, JobResults, QueryResult, RESULTS_FORMAT};

/// Where a job runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// DataFusion in this process.
    DataFusion,
    /// A Ballista scheduler and executor started in this process on loopback ports; they live
    /// as tasks of the caller's Tokio runtime, which must be multi-threaded.
    BallistaStandalone,
    /// A running Ballista scheduler, `df://host:port` (port 50050 when left out). Its
    /// executors must see the job's files at the same absolute paths.
    BallistaRemote {
        /// The scheduler's URL.
        scheduler: String,
    },
}

impl Target {
    /// The name the results carry: `datafusion`, `ballista-standalone` or `ballista`.
    pub fn label(&self) -> &'static str {
        match self {
            Target::DataFusion => "datafusion",
            Target::BallistaStandalone => "ballista-standalone",
            Target::BallistaRemote { .. } => "ballista",
        }
    }
}

/// Runs a job on a target: checks it and its files, registers its tables, runs its queries in
/// order and collects each result fully.
///
/// Nothing starts before the job is validated and every listed file is found.
pub async fn run_job(job: &Job, target: &Target) -> Result<JobResults, EngineError> {
    job.validate()?;
    job.check_files()?;
    let ctx = session(target).await?;
    for table in job.tables.iter().filter(|t| !t.files.is_empty()) {
        register(&ctx, table).await?;
    }
    let mut results = Vec::with_capacity(job.queries.len());
    for query in &job.queries {
        results.push(run_query(&ctx, query).await?);
    }
    Ok(JobResults {
        format: RESULTS_FORMAT,
        engine: target.label().to_string(),
        results,
    })
}

/// pacta's SQL joins each dimension table (a few thousand rows) to the contact rows with the
/// dimension on the left, the side engines build their hash tables on. DataFusion's
/// statistics-driven swap put ten million contact rows on the build side instead, keyed by
/// the hour of arrival (a few hundred distinct keys), and the month's main query went from
/// seconds to minutes; the order as written is kept.
fn session_config() -> SessionConfig {
    let mut config = SessionConfig::new();
    config.options_mut().optimizer.join_reordering = false;
    config
}

async fn session(target: &Target) -> Result<SessionContext, EngineError> {
    let connect = |source| EngineError::Connect {
        target: target.label(),
        source: Box::new(source),
    };
    let state = SessionStateBuilder::new()
        .with_config(session_config())
        .with_default_features()
        .build();
    match target {
        Target::DataFusion => Ok(SessionContext::new_with_state(state)),
        Target::BallistaStandalone => SessionContext::standalone_with_state(state)
            .await
            .map_err(connect),
        // This only parses the URL: an unreachable scheduler shows up as the first query's
        // error.
        Target::BallistaRemote { scheduler } => SessionContext::remote_with_state(scheduler, state)
            .await
            .map_err(connect),
    }
}

/// Registers one multi-path Parquet listing table over exactly the table's files.
///
/// Each path is a single-file URL, so nothing is listed from a directory and no partition
/// columns are inferred from paths (DataFusion 55.2 panics on partition columns over several
/// paths). The schema is merged over every file: DataFusion's own inference reads only the
/// first path.
async fn register(ctx: &SessionContext, table: &JobTable) -> Result<(), EngineError> {
    let fail = |source: DataFusionError| EngineError::Table {
        table: table.name.clone(),
        source: Box::new(source),
    };
    let state = ctx.state();
    let urls = table
        .files
        .iter()
        .map(|file| file_url(table, file))
        .collect::<Result<Vec<_>, _>>()?;
    let format =
        Arc::new(ParquetFormat::default().with_options(state.table_options().parquet.clone()));
    // No extension filter: a listed file is read whatever its name ends with.
    let options =
        ListingOptions::new(Arc::clone(&format) as Arc<dyn FileFormat>).with_file_extension("");

    let Some(first) = urls.first() else {
        return Ok(());
    };
    // Every path is a file:// URL, so one store serves them all.
    let store = state.runtime_env().object_store(first).map_err(fail)?;
    let mut objects = Vec::with_capacity(urls.len());
    for url in &urls {
        objects.push(store.head(url.prefix()).await.map_err(|e| fail(e.into()))?);
    }
    let schema = format
        .infer_schema(&state, &store, &objects)
        .await
        .map_err(fail)?;

    let config = ListingTableConfig::new_with_multi_paths(urls)
        .with_listing_options(options)
        .with_schema(schema);
    let provider = ListingTable::try_new(config).map_err(fail)?;
    ctx.register_table(table.name.as_str(), Arc::new(provider))
        .map_err(fail)?;
    Ok(())
}

/// The `file://` URL of one file, built here rather than by `ListingTableUrl::parse`, which
/// reads `*`, `?` and `[` in a path as a glob.
fn file_url(table: &JobTable, file: &Path) -> Result<ListingTableUrl, EngineError> {
    let missing = || EngineError::MissingFile {
        table: table.name.clone(),
        path: file.to_path_buf(),
    };
    let absolute = std::path::absolute(file).map_err(|_| missing())?;
    let url = Url::from_file_path(&absolute).map_err(|()| missing())?;
    ListingTableUrl::try_new(url, None).map_err(|source| EngineError::Table {
        table: table.name.clone(),
        source: Box::new(source),
    })
}

async fn run_query(ctx: &SessionContext, query: &JobQuery) -> Result<QueryResult, EngineError> {
    let fail = |source| EngineError::Query {
        query: query.name.clone(),
        source: Box::new(source),
    };
    // Read-only: a job may read its files, never create tables or write files.
    let read_only = SQLOptions::new()
        .with_allow_ddl(false)
        .with_allow_dml(false)
        .with_allow_statements(false);
    let frame = ctx
        .sql_with_options(&query.sql, read_only)
        .await
        .map_err(fail)?;
    let schema = Arc::clone(frame.schema().inner());
    // Refused before it runs: a float column fails whatever the data.
    results::check_schema(&query.name, &schema)?;
    let batches = frame.collect().await.map_err(fail)?;
    results::query_result(&query.name, &schema, &batches)
}
