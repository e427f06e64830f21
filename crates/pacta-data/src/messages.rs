//! The data errors' stable codes and their English and Spanish text.

use pacta_core::{Lang, Localized};

use crate::DataError;

impl Localized for DataError {
    fn code(&self) -> &'static str {
        match self {
            DataError::Io { .. } => "data-io",
            DataError::MissingColumn { .. } => "data-column-missing",
            DataError::WrongDelimiter { .. } => "data-wrong-delimiter",
            DataError::Empty { .. } => "data-file-empty",
            DataError::Malformed { .. } => "data-malformed",
            DataError::Mapping(_) => "data-mapping-invalid",
            DataError::TimeZone(_) => "data-time-zone-unknown",
            DataError::Store { .. } => "store-invalid",
            DataError::Locked { .. } => "store-locked",
            DataError::MonthClosed { .. } => "store-month-closed",
            DataError::KeyCreatedMeanwhile { .. } => "store-key-created-meanwhile",
            DataError::Parquet { .. } => "store-parquet",
            DataError::Arrow(_) => "store-arrow",
            DataError::Injected(_) => "store-injected-failure",
        }
    }

    // What a library below pacta-data says (the operating system, the CSV, Parquet and
    // Arrow readers, the TOML parser of a mapping) is quoted as it said it.
    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DataError::Io { path, source }, Lang::Es) => {
                format!("{}: {source}", path.display())
            }
            (
                DataError::MissingColumn {
                    file,
                    column,
                    found,
                },
                Lang::Es,
            ) => format!(
                "{file}: falta la columna obligatoria `{column}` (columnas encontradas: {found})"
            ),
            (
                DataError::WrongDelimiter {
                    file,
                    expected,
                    found,
                    guess,
                },
                Lang::Es,
            ) => format!(
                "{file}: se esperaban las columnas {expected}; se encontró una sola columna `{found}`: ¿separador equivocado? (este archivo parece usar `{guess}`)"
            ),
            (DataError::Empty { file }, Lang::Es) => {
                format!("{file}: el archivo está vacío (no tiene fila de encabezado)")
            }
            (
                DataError::Malformed {
                    file,
                    line,
                    message,
                },
                Lang::Es,
            ) => format!("{file}:{line}: {message}"),
            (DataError::Mapping(m), Lang::Es) => format!("mapeo de columnas: {m}"),
            (DataError::TimeZone(z), Lang::Es) => format!("zona horaria desconocida `{z}`"),
            (DataError::Store { path, message }, Lang::Es) => {
                format!("almacén {}: {message}", path.display())
            }
            (DataError::Locked { path, holder }, Lang::Es) => format!(
                "el almacén {} está bloqueado por otro proceso que escribe ({holder}); inténtelo más tarde o use --wait SEGUNDOS",
                path.display()
            ),
            (DataError::MonthClosed { contract, month }, Lang::Es) => format!(
                "el mes {month} del contrato {contract} está cerrado: sus cifras ya no pueden cambiar por importación; una corrección pasa por un ajuste de disputa"
            ),
            (DataError::KeyCreatedMeanwhile { path }, Lang::Es) => format!(
                "almacén {}: otra importación creó la clave de seudónimos mientras tanto; vuelva a ejecutar esta importación",
                path.display()
            ),
            (DataError::Parquet { path, source }, Lang::Es) => {
                format!("{}: parquet: {source}", path.display())
            }
            (DataError::Arrow(e), Lang::Es) => format!("arrow: {e}"),
            (DataError::Injected(n), Lang::Es) => {
                format!("fallo inyectado después de {n} archivo(s)")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_is_the_display_and_spanish_keeps_the_location() {
        let e = DataError::MissingColumn {
            file: "calls.csv".into(),
            column: "queue".into(),
            found: "a, b".into(),
        };
        assert_eq!(e.message(Lang::En), e.to_string());
        assert_eq!(
            e.message(Lang::Es),
            "calls.csv: falta la columna obligatoria `queue` (columnas encontradas: a, b)"
        );
        assert_eq!(e.code(), "data-column-missing");
        let z = DataError::TimeZone("Mars/Olympus".into());
        assert_eq!(
            z.message(Lang::Es),
            "zona horaria desconocida `Mars/Olympus`"
        );
    }
}
