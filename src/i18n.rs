//! English and Spanish for every word a patient reads; the choice is remembered.

use leptos::prelude::*;

use crate::storage;

/// Local-storage key of the language choice.
const LANGUAGE_KEY: &str = "scs-studio.language";

/// A language of the patient text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// The code for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }
}

/// One text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Spanish.
    pub es: &'static str,
}

/// A text in English and Spanish (a `const fn`, so texts can be constants).
pub const fn t(en: &'static str, es: &'static str) -> Text {
    Text { en, es }
}

impl Text {
    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Es => self.es,
        }
    }
}

/// The language in use, shared through context.
#[derive(Clone, Copy, Debug)]
pub struct Language(pub RwSignal<Lang>);

/// The language to start in: the one chosen before in this browser, else Spanish for a
/// browser whose first language is Spanish (`es`, `es-MX`, `es-US`…), else English.
pub fn starting_language(saved: Option<&str>, browser: Option<&str>) -> Lang {
    let spanish = |code: &str| code == "es" || code.starts_with("es-");
    match saved {
        Some("es") => Lang::Es,
        Some("en") => Lang::En,
        _ if browser.is_some_and(|b| spanish(&b.to_ascii_lowercase())) => Lang::Es,
        _ => Lang::En,
    }
}

/// Provides the language (see [`starting_language`]), and keeps `<html lang>` and storage
/// in step with it (one effect, so every switch is remembered and read aloud right).
pub fn provide_language() -> Language {
    let saved = storage::get(LANGUAGE_KEY);
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    let lang = RwSignal::new(starting_language(saved.as_deref(), browser.as_deref()));
    Effect::new(move |_| {
        let code = lang.get().code();
        storage::set(LANGUAGE_KEY, code);
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", code);
        }
    });
    let language = Language(lang);
    provide_context(language);
    language
}

/// The language from context (English where none was provided, as in isolated tests).
pub fn use_language() -> RwSignal<Lang> {
    use_context::<Language>().map_or_else(|| RwSignal::new(Lang::En), |l| l.0)
}

/// A reactive text in the current language.
pub fn tr(text: Text) -> impl Fn() -> &'static str + Copy {
    let lang = use_language();
    move || text.get(lang.get())
}

/// The switch between English and Spanish.
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let lang = use_language();
    view! {
        <div class="language" role="group" aria-label="Language / Idioma">
            <button class="button small" lang="en" data-testid="lang-en" aria-pressed=move || (lang.get() == Lang::En).to_string() on:click=move |_| lang.set(Lang::En)>"English"</button>
            <button class="button small" lang="es" data-testid="lang-es" aria-pressed=move || (lang.get() == Lang::Es).to_string() on:click=move |_| lang.set(Lang::Es)>"Español"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_spanish_browser_starts_in_spanish_unless_english_was_chosen() {
        assert_eq!(starting_language(None, Some("es-MX")), Lang::Es);
        assert_eq!(starting_language(None, Some("es")), Lang::Es);
        assert_eq!(starting_language(None, Some("en-US")), Lang::En);
        assert_eq!(
            starting_language(None, Some("et")),
            Lang::En,
            "Estonian is not Spanish"
        );
        assert_eq!(starting_language(None, None), Lang::En);
        assert_eq!(starting_language(Some("en"), Some("es-US")), Lang::En);
        assert_eq!(starting_language(Some("es"), Some("en-US")), Lang::Es);
    }
}
