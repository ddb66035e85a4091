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

/// Provides the language, from storage or English, and keeps `<html lang>` and storage in
/// step with it (one effect, so every switch is remembered and read aloud right).
pub fn provide_language() -> Language {
    let saved = storage::get(LANGUAGE_KEY);
    let lang = RwSignal::new(if saved.as_deref() == Some("es") {
        Lang::Es
    } else {
        Lang::En
    });
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
            <button class="button small" data-testid="lang-en" aria-pressed=move || (lang.get() == Lang::En).to_string() on:click=move |_| lang.set(Lang::En)>"English"</button>
            <button class="button small" data-testid="lang-es" aria-pressed=move || (lang.get() == Lang::Es).to_string() on:click=move |_| lang.set(Lang::Es)>"Español"</button>
        </div>
    }
}
