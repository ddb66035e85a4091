//! Entry point of the browser app: set the panic hook and mount the root component.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scs_studio::App);
}
