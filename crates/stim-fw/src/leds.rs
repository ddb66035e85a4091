//! What the DK's four LEDs show, from the radio's state and the device's.

use stim_core::device::State;
use stim_core::units::TimeUs;

/// The radio's side of the picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Radio {
    /// Waiting for a central.
    Advertising,
    /// A central is connected.
    Connected,
}

/// LED1–LED4, on or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Leds(pub [bool; 4]);

/// Half-period of the blink that marks the open pairing window, µs.
const BLINK_US: TimeUs = 125_000;

/// LED1 advertising (blinking while the pairing window is open), LED2 connected, LED3
/// stimulating (running or ramping), LED4 emergency-stopped (blinking on a fault).
pub fn leds(radio: Radio, pairing: bool, state: State, now: TimeUs) -> Leds {
    let blink = (now / BLINK_US).is_multiple_of(2);
    Leds([
        radio == Radio::Advertising && (!pairing || blink),
        radio == Radio::Connected,
        matches!(state, State::Running | State::Ramping),
        state == State::EmergencyStopped || (state == State::Fault && blink),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_led_shows_one_thing() {
        assert_eq!(
            leds(Radio::Advertising, false, State::Idle, 0),
            Leds([true, false, false, false])
        );
        assert_eq!(
            leds(Radio::Connected, false, State::Running, 0),
            Leds([false, true, true, false])
        );
        assert_eq!(
            leds(Radio::Connected, false, State::EmergencyStopped, 0),
            Leds([false, true, false, true])
        );
    }

    #[test]
    fn the_pairing_window_and_a_fault_blink() {
        let on = leds(Radio::Advertising, true, State::Fault, 0);
        let off = leds(Radio::Advertising, true, State::Fault, BLINK_US);
        assert_eq!((on.0[0], off.0[0]), (true, false));
        assert_eq!((on.0[3], off.0[3]), (true, false));
    }
}
