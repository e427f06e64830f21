//! `pacta serve`, `pacta org …`, `pacta user …`, `pacta token …`, `pacta contract …`: the
//! server and the identities and contracts it serves.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Subcommand};
use jiff::Timestamp;
use pacta_contract::Lang;
use pacta_db::{Db, NewUser, Role};

use super::args::{RecordArgs, actor};
use super::contract::load_contract;
use super::{CliError, CliResult};

/// Where the database is: `--store` (its `pacta.db`) or `--db`.
#[derive(Args)]
pub struct DbArgs {
    /// Store directory (the database defaults to pacta.db in it).
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    pub store: PathBuf,
    #[command(flatten)]
    pub records: RecordArgs,
}

impl DbArgs {
    fn open(&self) -> Result<Db, CliError> {
        let url = pacta_ops::record::db_url(&self.store, self.records.db.as_deref())?;
        Ok(pacta_ops::record::open(&url)?)
    }
}

/// `pacta serve`
#[derive(Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Memory for months kept loaded for what-ifs, in megabytes (least recently used
    /// months are dropped beyond it).
    #[arg(long, default_value_t = 1024)]
    pub month_cache_mb: usize,
    #[command(flatten)]
    pub db: DbArgs,
}

/// `pacta org …`
#[derive(Subcommand)]
pub enum OrgCommand {
    /// Create an organisation (a tenant): a client or a provider.
    Add {
        /// Its slug: letters, digits, `.`, `_`, `-`.
        slug: String,
        /// Its display name (default: the slug).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `pacta user …`
#[derive(Subcommand)]
pub enum UserCommand {
    /// Create a user. Prints a generated one-time password unless --password-stdin.
    Add {
        /// Login name.
        name: String,
        /// The user's organisation (see `pacta org add`).
        #[arg(long)]
        org: String,
        /// client_manager, provider_manager, auditor or admin.
        #[arg(long)]
        role: String,
        /// Read the password from standard input (first line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `pacta token …`
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API key for a user (`Authorization: Bearer KEY`); printed once.
    Create {
        /// The user the key acts as.
        #[arg(long)]
        user: String,
        /// What the key is for.
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke an API key by its id (printed when it was created).
    Revoke {
        /// The key's id.
        id: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `pacta contract …`
#[derive(Subcommand)]
pub enum ContractCommand {
    /// Register a contract file (validated) for the server, bound to its client and
    /// provider organisations; registering a changed file adds a version.
    Register {
        /// The contract file.
        file: PathBuf,
        /// The client organisation's slug.
        #[arg(long)]
        client_org: String,
        /// The provider organisation's slug.
        #[arg(long)]
        provider_org: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub fn serve(args: ServeArgs, lang: Lang) -> CliResult {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_max_level(tracing::Level::INFO)
        .init();
    let db = Arc::new(args.db.open()?);
    let config = pacta_server::ServerConfig {
        store_dir: Some(args.db.store.clone()),
        ..Default::default()
    };
    let state = pacta_server::AppState::new(Arc::clone(&db), config, Arc::new(Timestamp::now));
    state
        .month_cache()
        .set_limit(args.month_cache_mb.saturating_mul(1024 * 1024));
    pacta_server::run(args.addr, state, |bound| {
        eprintln!(
            "{} http://{bound}/ ({})",
            lang.pick("pacta serving on", "pacta sirviendo en"),
            lang.pick("Ctrl-C stops it", "Ctrl-C lo detiene")
        );
    })
    .map_err(|e| CliError::Output(format!("{}: {e}", args.addr)))?;
    Ok(ExitCode::SUCCESS)
}

pub fn org(c: OrgCommand, lang: Lang) -> CliResult {
    match c {
        OrgCommand::Add { slug, name, db } => {
            let db = db.open()?;
            let name = name.unwrap_or_else(|| slug.clone());
            db.add_org(&slug, &name, &actor(), Timestamp::now())
                .map_err(CliError::lib)?;
            println!(
                "{} {slug}",
                lang.pick("added organisation", "organización añadida")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn user(c: UserCommand, lang: Lang) -> CliResult {
    match c {
        UserCommand::Add {
            name,
            org,
            role,
            password_stdin,
            db,
        } => {
            let role: Role = role.parse().map_err(CliError::lib)?;
            let (password, generated) = if password_stdin {
                let mut text = String::new();
                std::io::stdin()
                    .read_to_string(&mut text)
                    .map_err(|e| CliError::Output(e.to_string()))?;
                (text.lines().next().unwrap_or("").to_string(), false)
            } else {
                (pacta_db::generate_password().map_err(CliError::lib)?, true)
            };
            let db = db.open()?;
            db.add_user(
                &NewUser {
                    name: name.clone(),
                    org,
                    role,
                },
                &password,
                &actor(),
                Timestamp::now(),
            )
            .map_err(CliError::lib)?;
            if generated {
                println!(
                    "{} {name}; {}: {password}",
                    lang.pick("added user", "usuario añadido"),
                    lang.pick(
                        "its password (shown once)",
                        "su contraseña (se muestra una vez)"
                    )
                );
            } else {
                println!("{} {name}", lang.pick("added user", "usuario añadido"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn token(c: TokenCommand, lang: Lang) -> CliResult {
    match c {
        TokenCommand::Create { user, label, db } => {
            let db = db.open()?;
            let key = db
                .create_api_key(&user, &label, &actor(), Timestamp::now())
                .map_err(CliError::lib)?;
            eprintln!(
                "{} {} ({})",
                lang.pick("API key id", "id de la clave de API"),
                key.id,
                lang.pick(
                    "the key is printed once, below",
                    "la clave se muestra una vez, abajo"
                )
            );
            println!("{}", key.secret);
        }
        TokenCommand::Revoke { id, db } => {
            let db = db.open()?;
            let revoked = db
                .revoke_api_key(&id, &actor(), Timestamp::now())
                .map_err(CliError::lib)?;
            if !revoked {
                return Err(CliError::Invalid(format!(
                    "{} {id}",
                    lang.pick(
                        "no live API key has the id",
                        "ninguna clave de API vigente tiene el id"
                    )
                )));
            }
            println!("{} {id}", lang.pick("revoked", "revocada"));
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn contract(c: ContractCommand, lang: Lang) -> CliResult {
    match c {
        ContractCommand::Register {
            file,
            client_org,
            provider_org,
            db,
        } => {
            let contract = load_contract(&file)?;
            let db = db.open()?;
            let registered = pacta_ops::contract::register(
                &db,
                &contract,
                &client_org,
                &provider_org,
                &actor(),
                Timestamp::now(),
            )
            .map_err(CliError::lib)?;
            println!(
                "{} {} {} {} ({} {}, {} {})",
                lang.pick("registered", "registrado"),
                registered.id,
                lang.pick("registration", "registro"),
                registered.n,
                lang.pick("client", "cliente"),
                registered.client_org,
                lang.pick("provider", "proveedor"),
                registered.provider_org
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
