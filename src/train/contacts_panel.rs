//! The contacts as buttons, one group per lead (E9–E16 on from a first 1 × 8), and the
//! case; the share of each active contact, typed in 1 % steps; the steering pad.

use leptos::prelude::*;
use stim_core::contacts::{ContactName, Polarity, CASE, CONTACT_SLOTS};

use super::bench::Bench;
use super::editing::Editor;
use super::number_field::NumberField;
use super::steering_controls::SteeringControls;
use crate::focus::refocus;

/// A contact's name as the page shows it: "E4", or "Case".
fn name_of(slot: usize) -> String {
    if slot == CASE {
        "Case".into()
    } else {
        ContactName(slot).to_string()
    }
}

/// The button that cycles contact `slot` off → − → +.
fn contact_button(bench: &Bench, slot: usize, editor: Editor) -> impl IntoView {
    let (mark, word) = match bench.polarity[slot] {
        Polarity::Off => ("·", "off"),
        Polarity::Cathode => ("−", "cathode"),
        Polarity::Anode => ("+", "anode"),
    };
    view! {
        <button class=format!("contact-button {word}") data-testid=format!("contact-{slot}") aria-label=format!("{}: {word}", ContactName(slot))
            on:click=move |_| {
                editor.edit(|b| b.cycle(slot));
                // The buttons are drawn anew: the keyboard stays on this one.
                refocus(format!("contact-{slot}"));
            }>
            <span aria-hidden="true">{format!("{} {mark}", name_of(slot))}</span>
        </button>
    }
}

/// The contacts, their shares and the steering pad.
#[component]
pub fn ContactsPanel(
    /// The bench's editor.
    editor: Editor,
) -> impl IntoView {
    let bench = editor.bench;
    let buttons = move || {
        let b = bench.get();
        let groups = b
            .placement
            .leads()
            .enumerate()
            .map(|(i, _)| {
                let slots = b.placement.slots(i);
                let label = format!(
                    "Lead {}: {}–{}",
                    i + 1,
                    ContactName(slots.start),
                    ContactName(slots.end - 1)
                );
                let name = label.clone();
                view! {
                    <div class="contact-lead" role="group" aria-label=name data-testid=format!("contacts-lead-{}", i + 1)>
                        <span class="contact-lead-name" aria-hidden="true">{label}</span>
                        {slots.map(|slot| contact_button(&b, slot, editor)).collect_view()}
                    </div>
                }
            })
            .collect_view();
        (groups, contact_button(&b, CASE, editor))
    };
    let shares = move || {
        let b = bench.get();
        (0..CONTACT_SLOTS)
            .filter(|&s| b.polarity[s] != Polarity::Off)
            .map(|slot| {
                let sign = if b.polarity[slot] == Polarity::Cathode { "−" } else { "+" };
                view! {
                    <NumberField label=format!("{} {sign} share %", name_of(slot)) what=format!("{}'s share", name_of(slot)) unit=" %"
                        testid=format!("share-{slot}") range=(1, 100)
                        value=Signal::derive(move || bench.with(|b| b.share[slot]))
                        on_value=Callback::new(move |v: u8| editor.edit(|b| b.set_share(slot, v)))
                        taken_otherwise="the shares of a sign add to 100 %, and every active contact keeps at least 1 %." 
                        on_refuse=Callback::new(move |why| editor.hold(why))/>
                }
            })
            .collect_view()
    };
    view! {
        <h2>"Contacts"</h2>
        <p class="note">"Press a contact to cycle it: off → − (cathode) → + (anode). Changing contacts sets the amplitude back to zero."</p>
        <div class="contacts" role="group" aria-label="Contacts">{buttons}</div>
        <div class="shares" data-testid="shares">{shares}</div>
        <p class="note">"Shares move in 1 % steps; the others of the same sign follow, so each sign keeps 100 %. Steering re-divides them and keeps the amplitude."</p>
        <SteeringControls editor=editor/>
    }
}
