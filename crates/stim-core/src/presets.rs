//! Ready-made programs: the therapies of the domain, as starting points for the app, the
//! firmware's demo and the tests.

use crate::contacts::{Electrodes, Polarity, CASE};
use crate::program::{AmplitudeRange, Program, Recharge, Stage, Waveform};

/// A patient range of 0–6 mA: at 6 mA a bipole of two 800 Ω contacts needs 9.6 V, within
/// the 12 V compliance.
const RANGE_0_TO_6_MA: AmplitudeRange = AmplitudeRange {
    min_ua: 0,
    max_ua: 6_000,
};

/// Tonic 50 Hz, 200 µs, 2 mA between E4 (−) and E5 (+), active recharge after 20 µs.
pub fn tonic_bipole() -> Program {
    Program {
        electrodes: Electrodes::off()
            .with(3, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 100),
        waveform: Waveform::Tonic {
            rate_hz: 50,
            width_us: 200,
        },
        amplitude_ua: 2_000,
        interphase_gap_us: 20,
        recharge: Recharge::Active,
        patient_range: RANGE_0_TO_6_MA,
        offset_us: 0,
    }
}

/// A guarded cathode (+ − +) on E3–E5 that narrows the field: tonic 50 Hz, 300 µs.
pub fn guarded_cathode() -> Program {
    Program {
        electrodes: Electrodes::off()
            .with(2, Polarity::Anode, 50)
            .with(3, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 50),
        waveform: Waveform::Tonic {
            rate_hz: 50,
            width_us: 300,
        },
        ..tonic_bipole()
    }
}

/// A second area for interleaving with [`tonic_bipole`]: E7 against the case, its pulses
/// 10 ms after the bipole's (multi-area coverage).
pub fn lower_monopolar() -> Program {
    Program {
        electrodes: Electrodes::off().with(6, Polarity::Cathode, 100).with(
            CASE,
            Polarity::Anode,
            100,
        ),
        offset_us: 10_000,
        ..tonic_bipole()
    }
}

/// The classic burst: 5 × 1 ms at 500 Hz, 40 Hz, passive recharge after the burst (half
/// the current for twice the 5 ms delivered), the cathode shared by E4 and E5 against the
/// case.
///
/// The five pulses are one run of charge (nothing returns it until the recharge), so the
/// limits see 5 ms of current: on one contact Shannon's k = 1.85 would allow only 0.58 mA.
/// Sharing the cathode halves each contact's charge; the patient may go up to 1.1 mA
/// (0.55 mA × 5 ms = 2.75 µC per contact, k = 1.79). Burst is set below the tingling
/// threshold, so a low range suits it.
pub fn classic_burst() -> Program {
    Program {
        electrodes: Electrodes::off()
            .with(3, Polarity::Cathode, 50)
            .with(4, Polarity::Cathode, 50)
            .with(CASE, Polarity::Anode, 100),
        waveform: Waveform::classic_burst(),
        amplitude_ua: 600,
        interphase_gap_us: 100,
        recharge: Recharge::Passive {
            width_us: 10_000,
            amplitude_permille: 500,
        },
        patient_range: AmplitudeRange {
            min_ua: 0,
            max_ua: 1_100,
        },
        offset_us: 0,
    }
}

/// 10 kHz therapy, 30 µs, 3 mA, on E1–E8 in alternating bipoles.
pub fn ten_khz() -> Program {
    let mut electrodes = Electrodes::off();
    for slot in 0..8 {
        let polarity = if slot % 2 == 0 {
            Polarity::Cathode
        } else {
            Polarity::Anode
        };
        electrodes = electrodes.with(slot, polarity, 25);
    }
    Program {
        electrodes,
        waveform: Waveform::ten_khz(),
        amplitude_ua: 3_000,
        interphase_gap_us: 20,
        recharge: Recharge::Active,
        patient_range: AmplitudeRange {
            min_ua: 1_000,
            max_ua: 5_000,
        },
        offset_us: 0,
    }
}

/// A custom train in the Stimjim way: an asymmetric pulse (200 µs at full current, then
/// 400 µs at half the current reversed) with a gap, every 20 ms (50 Hz).
pub fn custom_asymmetric() -> Program {
    let mut stages = heapless::Vec::new();
    for stage in [
        Stage {
            duration_us: 200,
            amplitude_permille: 1000,
        },
        Stage {
            duration_us: 50,
            amplitude_permille: 0,
        },
        Stage {
            duration_us: 400,
            amplitude_permille: -500,
        },
    ] {
        // Three stages always fit MAX_STAGES.
        let _ = stages.push(stage);
    }
    Program {
        waveform: Waveform::Custom {
            period_us: 20_000,
            stages,
        },
        ..tonic_bipole()
    }
}
