//! The browser's local storage, read and written without ever failing the caller.
//!
//! Storage can be missing (private windows, blocked cookies) or full; the app then keeps
//! working with what is in memory, so these helpers return `Option` / `bool` and never panic.

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored value for `key`, if storage is available and holds one.
pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key`; false when storage is unavailable or refused the write.
pub fn set(key: &str, value: &str) -> bool {
    local_storage().is_some_and(|s| s.set_item(key, value).is_ok())
}
