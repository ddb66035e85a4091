//! Posture moves the cord inside the dural sac, and so its distance from a lead on the
//! dura: the patient's position changes the dorsal CSF under the lead.
//!
//! Holsheimer, den Boer, Struijk & Rozeboom (AJNR 15:951–959, 1994) measured the dorsal
//! CSF layer by MRI in 26 healthy subjects, supine and prone at T11 and T12: 2.0–6.0 mm
//! supine at T11, about 2.2 mm thicker prone; 1.5–4.5 mm supine at T12, about 3.4 mm
//! thicker prone. The anatomy's default profile is supine (T11 3.6 mm, T12 3.0 mm: within
//! those ranges), so lying prone adds 2.2 mm at T11 and 3.4 mm at T12. They measured no
//! prone change elsewhere: above T11 the cord is taken to move as at T11 (the same
//! 2.2 mm), and at L1 as at T12 (3.4 mm). The lead stays on the dura and the cord at the
//! model's centre: the dorsal CSF grows, the cord's distance from the lead with it.
//!
//! Sitting and standing are not modelled: no published imaging of the thoracic dorsal CSF
//! upright was found (Cameron & Alo, Neuromodulation 1:177, 1998, found perception
//! thresholds lowest lying in 20 of 23 patients, but measured no geometry).

use crate::anatomy::{Anatomy, LEVELS};

/// A patient's position.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Posture {
    /// On the back: the anatomy's default profile.
    Supine,
    /// On the front: the cord falls away from a dorsal lead.
    Prone,
}

impl Posture {
    /// Every posture modelled.
    pub const ALL: [Posture; 2] = [Posture::Supine, Posture::Prone];

    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Posture::Supine => "supine",
            Posture::Prone => "prone",
        }
    }

    /// How much thicker the dorsal CSF is than supine at each level (T6–L1), mm.
    pub fn dorsal_csf_change_mm(self) -> [f64; LEVELS.len()] {
        match self {
            Posture::Supine => [0.0; LEVELS.len()],
            // T6–T11 as measured at T11, T12 and L1 as at T12 (Holsheimer et al. 1994).
            Posture::Prone => [2.2, 2.2, 2.2, 2.2, 2.2, 2.2, 3.4, 3.4],
        }
    }
}

impl Anatomy {
    /// This anatomy (taken as supine) with the patient in `posture`.
    pub fn in_posture(&self, posture: Posture) -> Anatomy {
        let change = posture.dorsal_csf_change_mm();
        Anatomy {
            dorsal_csf: std::array::from_fn(|i| self.dorsal_csf[i] + change[i]),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prone_thickens_the_dorsal_csf_by_the_measured_amounts_and_supine_changes_nothing() {
        let supine = Anatomy::default();
        assert_eq!(supine.in_posture(Posture::Supine), supine);
        let prone = supine.in_posture(Posture::Prone);
        let t11 = LEVELS.iter().position(|&l| l == "T11").unwrap();
        // Holsheimer et al. 1994: +2.2 mm at T11, +3.4 mm at T12.
        assert!((prone.dorsal_csf[t11] - supine.dorsal_csf[t11] - 2.2).abs() < 1e-12);
        assert!((prone.dorsal_csf[t11 + 1] - supine.dorsal_csf[t11 + 1] - 3.4).abs() < 1e-12);
        // The supine profile lies in their supine ranges: T11 2.0–6.0 mm, T12 1.5–4.5 mm.
        assert!((2.0..=6.0).contains(&supine.dorsal_csf[t11]));
        assert!((1.5..=4.5).contains(&supine.dorsal_csf[t11 + 1]));
    }
}
