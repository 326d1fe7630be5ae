//! The language of output for people (SPEC §12): Chinese by default, English on request.
//! CSV and JSON keys and ids never change with it.

/// Chinese (the default) or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// Picks the words of this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    pub fn is_english(self) -> bool {
        self == Lang::En
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "zh_cn" | "cn" | "chinese" => Some(Lang::Zh),
            "en" | "en-us" | "en_us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// The same words in both languages, chosen when rendered.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Words {
    pub zh: String,
    pub en: String,
}

impl Words {
    #[cfg(test)]
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Words {
        Words { zh: zh.into(), en: en.into() }
    }

    /// The same message in both languages: `word` words it in the language it is given
    /// (`|l| tl!(l, KEY, …)`).
    pub(crate) fn each(word: impl Fn(Lang) -> String) -> Words {
        Words { zh: word(Lang::Zh), en: word(Lang::En) }
    }

    pub(crate) fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    /// Joins several reasons with `；` / `; `.
    pub(crate) fn join(parts: &[Words]) -> Words {
        Words::each(|l| parts.iter().map(|w| w.get(l)).collect::<Vec<_>>().join(&crate::tl!(l, "report-reason-separator")))
    }
}
