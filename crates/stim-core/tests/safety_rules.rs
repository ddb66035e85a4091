//! One test per safety rule: each builds a program that breaks exactly that rule and
//! expects exactly that refusal, so removing a rule fails its test.

use stim_core::contacts::{Electrodes, Polarity, CASE};
use stim_core::error::{ImpedanceFault, Parameter, SafetyError};
use stim_core::impedance::ImpedanceModel;
use stim_core::lead::LeadKind;
use stim_core::presets;
use stim_core::program::{AmplitudeRange, Program, ProgramSet, Recharge, Stage, Waveform};
use stim_core::safety::{validate, Limits};

fn check(programs: &[Program]) -> Result<(), SafetyError> {
    check_with(programs, &Limits::default(), &ImpedanceModel::default())
}

fn check_with(
    programs: &[Program],
    limits: &Limits,
    impedance: &ImpedanceModel,
) -> Result<(), SafetyError> {
    validate(
        &ProgramSet::new(LeadKind::Percutaneous8, programs),
        limits,
        impedance,
    )
    .map(|_| ())
}

/// A monopolar program (E4 against the case) with `ua` µA for `width_us`, no patient headroom.
fn monopolar(ua: u32, width_us: u32) -> Program {
    Program {
        electrodes: Electrodes::off().with(3, Polarity::Cathode, 100).with(
            CASE,
            Polarity::Anode,
            100,
        ),
        waveform: Waveform::Tonic {
            rate_hz: 50,
            width_us,
        },
        amplitude_ua: ua,
        patient_range: AmplitudeRange {
            min_ua: 0,
            max_ua: ua,
        },
        ..presets::tonic_bipole()
    }
}

#[test]
fn the_presets_pass() {
    for program in [
        presets::tonic_bipole(),
        presets::guarded_cathode(),
        presets::classic_burst(),
        presets::ten_khz(),
        presets::custom_asymmetric(),
    ] {
        assert_eq!(check(std::slice::from_ref(&program)), Ok(()), "{program:?}");
    }
}

#[test]
fn an_empty_set_is_refused() {
    assert_eq!(check(&[]), Err(SafetyError::NoProgram));
}

#[test]
fn a_program_needs_a_cathode_and_an_anode() {
    let only_anode = Program {
        electrodes: Electrodes::off().with(4, Polarity::Anode, 100),
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[only_anode]),
        Err(SafetyError::NoCathode { program: 0 })
    );
    let only_cathode = Program {
        electrodes: Electrodes::off().with(3, Polarity::Cathode, 100),
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[only_cathode]),
        Err(SafetyError::NoAnode { program: 0 })
    );
}

#[test]
fn shares_of_each_side_add_to_100_percent() {
    let e = Electrodes::off()
        .with(2, Polarity::Cathode, 60)
        .with(3, Polarity::Cathode, 30)
        .with(4, Polarity::Anode, 100);
    let program = Program {
        electrodes: e,
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::SharesDoNotAddUp {
            program: 0,
            polarity: Polarity::Cathode,
            sum_pct: 90
        })
    );
}

#[test]
fn contacts_must_exist_on_the_lead() {
    let program = Program {
        electrodes: Electrodes::off()
            .with(9, Polarity::Cathode, 100)
            .with(4, Polarity::Anode, 100),
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::ContactNotOnLead {
            program: 0,
            contact: 9,
            lead_contacts: 8
        })
    );
}

#[test]
fn every_parameter_has_its_range() {
    let tonic = |rate_hz, width_us| Program {
        waveform: Waveform::Tonic { rate_hz, width_us },
        ..presets::tonic_bipole()
    };
    let burst = |pulses| Program {
        waveform: Waveform::Burst {
            burst_rate_hz: 40,
            pulses,
            intra_rate_hz: 500,
            width_us: 1_000,
        },
        ..presets::classic_burst()
    };
    let cases = [
        (tonic(1, 200), Parameter::Rate, 1, 2, 1_200),
        (tonic(1_201, 200), Parameter::Rate, 1_201, 2, 1_200),
        (tonic(50, 19), Parameter::PulseWidth, 19, 20, 1_000),
        (tonic(50, 1_001), Parameter::PulseWidth, 1_001, 20, 1_000),
        (
            Program {
                waveform: Waveform::HighFrequency {
                    rate_hz: 10_001,
                    width_us: 30,
                },
                ..presets::ten_khz()
            },
            Parameter::Rate,
            10_001,
            1_000,
            10_000,
        ),
        (burst(11), Parameter::PulsesPerBurst, 11, 1, 10),
        (
            Program {
                interphase_gap_us: 101,
                ..presets::tonic_bipole()
            },
            Parameter::InterphaseGap,
            101,
            0,
            100,
        ),
        (
            Program {
                recharge: Recharge::Passive {
                    width_us: 10_000,
                    amplitude_permille: 0,
                },
                ..presets::classic_burst()
            },
            Parameter::RechargeAmplitude,
            0,
            1,
            1_000,
        ),
        (
            Program {
                waveform: Waveform::Custom {
                    period_us: 50,
                    stages: Default::default(),
                },
                ..presets::tonic_bipole()
            },
            Parameter::TrainPeriod,
            50,
            100,
            1_000_000,
        ),
        (
            Program {
                waveform: Waveform::Custom {
                    period_us: 20_000,
                    stages: Default::default(),
                },
                ..presets::tonic_bipole()
            },
            Parameter::Stages,
            0,
            1,
            16,
        ),
    ];
    for (program, parameter, value, min, max) in cases {
        assert_eq!(
            check(&[program]),
            Err(SafetyError::OutOfRange {
                program: 0,
                parameter,
                value,
                min,
                max
            }),
            "{parameter:?} = {value}"
        );
    }
}

#[test]
fn cycling_and_ramps_have_their_ranges() {
    let mut set = ProgramSet::new(LeadKind::Percutaneous8, &[presets::tonic_bipole()]);
    set.cycling = Some(stim_core::program::Cycling {
        on_ms: 0,
        off_ms: 1_000,
    });
    let refused = validate(&set, &Limits::default(), &ImpedanceModel::default()).map(|_| ());
    assert_eq!(
        refused,
        Err(SafetyError::SetOutOfRange {
            parameter: Parameter::CyclingOn,
            value: 0,
            min: 1,
            max: 86_400_000
        })
    );
    set.cycling = None;
    set.soft_start_ms = 60_000;
    let refused = validate(&set, &Limits::default(), &ImpedanceModel::default()).map(|_| ());
    assert_eq!(
        refused,
        Err(SafetyError::SetOutOfRange {
            parameter: Parameter::Ramp,
            value: 60_000,
            min: 0,
            max: 30_000
        })
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "The soft start or stop is 60000 ms; it must be from 0 to 30000 ms."
    );
}

#[test]
fn a_custom_stage_may_not_exceed_the_amplitude() {
    let stages = heapless::Vec::from_slice(&[
        Stage {
            duration_us: 100,
            amplitude_permille: 1_200,
        },
        Stage {
            duration_us: 120,
            amplitude_permille: -1_000,
        },
    ])
    .unwrap();
    let program = Program {
        waveform: Waveform::Custom {
            period_us: 20_000,
            stages,
        },
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::OutOfRange {
            program: 0,
            parameter: Parameter::StageAmplitude,
            value: 1_200,
            min: 0,
            max: 1_000
        })
    );
}

#[test]
fn the_clinician_maximum_caps_the_patient_range() {
    let limits = Limits {
        max_amplitude_ua: 5_000,
        ..Limits::default()
    };
    // The preset's patient range reaches 6 mA.
    assert_eq!(
        check_with(
            &[presets::tonic_bipole()],
            &limits,
            &ImpedanceModel::default()
        ),
        Err(SafetyError::AboveClinicianMaximum {
            program: 0,
            amplitude_ua: 6_000,
            max_ua: 5_000
        })
    );
}

#[test]
fn the_patient_range_must_hold_the_amplitude() {
    let program = Program {
        patient_range: AmplitudeRange {
            min_ua: 3_000,
            max_ua: 2_000,
        },
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::PatientRangeEmpty { program: 0 })
    );
    let program = Program {
        amplitude_ua: 500,
        patient_range: AmplitudeRange {
            min_ua: 1_000,
            max_ua: 3_000,
        },
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::OutsidePatientRange {
            program: 0,
            amplitude_ua: 500,
            min_ua: 1_000,
            max_ua: 3_000
        })
    );
}

#[test]
fn the_recharge_must_return_exactly_the_charge_delivered() {
    // Five 1 ms pulses deliver 5 000 ‰·ms; 10 ms at 40 % returns only 4 000.
    let program = Program {
        recharge: Recharge::Passive {
            width_us: 10_000,
            amplitude_permille: 400,
        },
        ..presets::classic_burst()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::ChargeImbalance {
            program: 0,
            delivered: 5_000_000,
            returned: 4_000_000
        })
    );
}

#[test]
fn shannon_limit_matches_shannon_1992_for_a_percutaneous_contact() {
    // Shannon (1992): log10(D) = k − log10(Q). With D = Q / A: Q_max = sqrt(10^k · A).
    // A = π · 0.13 cm · 0.3 cm = 0.1225 cm², k = 1.85 → Q_max = 2.9449 µC; at 1 ms, 2.9449 mA.
    let q_max_uc = (10f64.powf(1.85) * 0.1225).sqrt();
    assert!((q_max_uc - 2.9449).abs() < 1e-4);
    let just_below = (q_max_uc * 1_000.0).floor() as u32;
    assert_eq!(check(&[monopolar(just_below, 1_000)]), Ok(()));
    assert_eq!(
        check(&[monopolar(just_below + 1, 1_000)]),
        Err(SafetyError::Shannon {
            program: 0,
            contact: 3,
            amplitude_ua: just_below + 1,
            charge_nc: just_below + 1,
            k_x100: 186,
            limit_x100: 185
        })
    );
    // The conservative k = 1.5 refuses what k = 1.85 allows.
    let conservative = Limits {
        shannon_k_x100: 150,
        ..Limits::default()
    };
    assert!(matches!(
        check_with(
            &[monopolar(2_000, 1_000)],
            &conservative,
            &ImpedanceModel::default()
        ),
        Err(SafetyError::Shannon { .. })
    ));
}

#[test]
fn charge_density_stays_below_30_uc_per_cm2() {
    // With Shannon relaxed, the density limit binds: 30 µC/cm² × 0.1225 cm² = 3.675 µC.
    let limits = Limits {
        shannon_k_x100: 250,
        ..Limits::default()
    };
    let impedance = ImpedanceModel::default();
    assert_eq!(
        check_with(&[monopolar(3_675, 1_000)], &limits, &impedance),
        Ok(())
    );
    assert_eq!(
        check_with(&[monopolar(3_676, 1_000)], &limits, &impedance),
        Err(SafetyError::ChargeDensity {
            program: 0,
            contact: 3,
            amplitude_ua: 3_676,
            charge_nc: 3_676,
            density_nc_per_cm2: 30_008,
            limit_nc_per_cm2: 30_000
        })
    );
}

#[test]
fn amplitude_times_impedance_stays_within_compliance() {
    // 6 mA through 1 400 Ω at each contact of a bipole: 8.4 V + 8.4 V = 16.8 V > 12 V.
    let mut impedance = ImpedanceModel::default();
    impedance.ohms[3] = 1_400;
    impedance.ohms[4] = 1_400;
    assert_eq!(
        check_with(&[presets::tonic_bipole()], &Limits::default(), &impedance),
        Err(SafetyError::Compliance {
            program: 0,
            required_mv: 16_800,
            limit_mv: 12_000
        })
    );
    // A 20 V stimulator can drive it.
    let high = Limits {
        compliance_mv: 20_000,
        ..Limits::default()
    };
    assert_eq!(
        check_with(&[presets::tonic_bipole()], &high, &impedance),
        Ok(())
    );
}

#[test]
fn a_shorted_or_open_contact_in_use_is_refused() {
    let mut impedance = ImpedanceModel::default();
    impedance.ohms[3] = 90;
    assert_eq!(
        check_with(&[presets::tonic_bipole()], &Limits::default(), &impedance),
        Err(SafetyError::ContactImpedance {
            program: 0,
            contact: 3,
            ohms: 90,
            fault: ImpedanceFault::Short
        })
    );
    impedance.ohms[3] = 800;
    impedance.ohms[7] = 50_000; // open, but not in use
    assert_eq!(
        check_with(&[presets::tonic_bipole()], &Limits::default(), &impedance),
        Ok(())
    );
}

#[test]
fn pulses_must_fit_their_period_and_bursts_must_not_overlap() {
    let program = Program {
        waveform: Waveform::Tonic {
            rate_hz: 1_200,
            width_us: 500,
        },
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::PhasesExceedPeriod {
            program: 0,
            busy_us: 1_020,
            period_us: 833
        })
    );
    let program = Program {
        waveform: Waveform::Burst {
            burst_rate_hz: 40,
            pulses: 5,
            intra_rate_hz: 1_000,
            width_us: 1_000,
        },
        recharge: Recharge::Active,
        ..presets::classic_burst()
    };
    assert_eq!(
        check(&[program]),
        Err(SafetyError::PulsesOverlap { program: 0 })
    );
}

#[test]
fn interleaved_programs_share_a_rate_and_do_not_collide() {
    let first = presets::tonic_bipole();
    let other_rate = Program {
        waveform: Waveform::Tonic {
            rate_hz: 60,
            width_us: 200,
        },
        offset_us: 5_000,
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[first.clone(), other_rate]),
        Err(SafetyError::RatesDiffer { program: 1 })
    );
    // The first program is busy from 0 to 420 µs; a second starting at 400 µs collides.
    let overlapping = Program {
        offset_us: 400,
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[first.clone(), overlapping]),
        Err(SafetyError::Collision {
            first: 0,
            second: 1
        })
    );
    let too_late = Program {
        offset_us: 19_700,
        ..presets::tonic_bipole()
    };
    assert_eq!(
        check(&[first.clone(), too_late]),
        Err(SafetyError::OutOfRange {
            program: 1,
            parameter: Parameter::Offset,
            value: 19_700,
            min: 0,
            max: 19_580
        })
    );
    let apart = Program {
        offset_us: 420,
        ..presets::tonic_bipole()
    };
    assert_eq!(check(&[first, apart]), Ok(()));
}

#[test]
fn every_refusal_reads_as_a_sentence_with_its_numbers() {
    let e = SafetyError::ChargeDensity {
        program: 0,
        contact: 3,
        amplitude_ua: 6_000,
        charge_nc: 3_676,
        density_nc_per_cm2: 30_008,
        limit_nc_per_cm2: 30_000,
    };
    assert_eq!(e.to_string(), "Program 1: at the patient range's top of 6.0 mA, E4 would receive 3.68 µC before the recharge, a charge density of 30.01 µC/cm², above the limit of 30.0 µC/cm²; lower the top of the patient range, the pulse width or the pulses before the recharge.");
    let e = SafetyError::Shannon {
        program: 1,
        contact: CASE,
        amplitude_ua: 2_500,
        charge_nc: 2_946,
        k_x100: 186,
        limit_x100: 185,
    };
    assert_eq!(e.to_string(), "Program 2: at the patient range's top of 2.5 mA, the case would receive 2.95 µC before the recharge, which reaches Shannon k = 1.86, above the limit k = 1.85; lower the top of the patient range, the pulse width or the pulses before the recharge.");
}
