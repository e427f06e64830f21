//! The languages pacta writes in.

use serde::{Deserialize, Serialize};

/// A language pacta writes user-facing text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, in the order documents list them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// ISO 639-1 code.
    pub fn code(self) -> &'static str {
        self.pick("en", "es")
    }

    /// The English or the Spanish of two versions of the same thing.
    pub fn pick<T>(self, en: T, es: T) -> T {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "en" => Ok(Lang::En),
            "es" => Ok(Lang::Es),
            other => Err(format!("unsupported language `{other}` (use en or es)")),
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_and_parses() {
        assert_eq!(Lang::Es.pick("month", "mes"), "mes");
        assert_eq!(Lang::En.pick(1, 2), 1);
        assert_eq!("es".parse::<Lang>(), Ok(Lang::Es));
        assert!("fr".parse::<Lang>().is_err());
        assert_eq!(Lang::Es.to_string(), "es");
    }
}
