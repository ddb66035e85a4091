//! The amplitude buttons: each press counts from the previous press, not from the last
//! status the device sent, so quick presses are never lost.

/// What the amplitude buttons aim at while presses are on their way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dial {
    /// The amplitude the last press asked for (µA), while any press is unanswered.
    wanted: Option<u32>,
    /// Presses sent and not answered yet.
    in_flight: u32,
}

impl Dial {
    /// A press of `delta_ua`: returns the amplitude to ask the device for. The first
    /// press counts from `device_target_ua`; later ones from the press before.
    pub fn press(&mut self, delta_ua: i32, device_target_ua: u32) -> u32 {
        let base = self.wanted.unwrap_or(device_target_ua);
        let next = (i64::from(base) + i64::from(delta_ua)).clamp(0, i64::from(u32::MAX)) as u32;
        self.wanted = Some(next);
        self.in_flight += 1;
        next
    }

    /// A press was answered: `accepted` or not (refused, or lost). A refusal drops what
    /// the presses aimed at: the next press counts from the device's target again.
    pub fn answered(&mut self, accepted: bool) {
        self.in_flight = self.in_flight.saturating_sub(1);
        if !accepted || self.in_flight == 0 {
            self.wanted = None;
        }
    }

    /// The amplitude to show: what the presses aim at, or else the device's target.
    pub fn shown(&self, device_target_ua: u32) -> u32 {
        self.wanted.unwrap_or(device_target_ua)
    }

    /// Whether presses are still on their way.
    pub fn pending(&self) -> bool {
        self.in_flight > 0
    }
}
