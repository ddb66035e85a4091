//! The lower thoracic spine, T6–L1, in millimetres: which tissue is where.
//!
//! Axes: x lateral (patient's right +), y dorsoventral (dorsal +, the cord's centre at 0),
//! z along the cord (rostral +; the centre of T6 at 0). In cross-section, from the dorsal
//! side in: vertebral bone, epidural fat, dura, cerebrospinal fluid (CSF), the cord's
//! white matter (the dorsal columns between the dorsal horns) and grey matter. The dorsal
//! CSF thickness is a parameter per level. Dimensions and sources: docs/science.md.

use crate::operator::Sigma;

/// Vertebral levels, rostral to caudal.
pub const LEVELS: [&str; 8] = ["T6", "T7", "T8", "T9", "T10", "T11", "T12", "L1"];
/// Height of one level (vertebral body and disc), mm.
pub const LEVEL_HEIGHT: f64 = 26.0;

/// The tissues of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tissue {
    /// Vertebral bone (and, in this model, everything outside the canal).
    Bone,
    /// Epidural fat, where the leads lie.
    EpiduralFat,
    /// The dura mater.
    Dura,
    /// Cerebrospinal fluid.
    Csf,
    /// White matter: fibres along the cord, anisotropic.
    WhiteMatter,
    /// Grey matter.
    GreyMatter,
    /// A paddle lead's insulating body.
    Insulator,
}

impl Tissue {
    /// Conductivity along x, y, z (S/m), from DOMAIN.md's table.
    pub fn sigma(self) -> Sigma {
        match self {
            Tissue::Bone => [0.02; 3],
            Tissue::EpiduralFat => [0.04; 3],
            Tissue::Dura => [0.03; 3],
            Tissue::Csf => [1.7; 3],
            Tissue::WhiteMatter => [0.083, 0.083, 0.6],
            Tissue::GreyMatter => [0.23; 3],
            Tissue::Insulator => [1e-6; 3],
        }
    }
}

/// The centre of level `index` (0 = T6) along z, mm.
pub fn level_z(index: usize) -> f64 {
    -(index as f64) * LEVEL_HEIGHT
}

/// The level (index into [`LEVELS`]) whose span contains `z`, clamped to T6–L1.
pub fn level_at(z: f64) -> usize {
    ((-z / LEVEL_HEIGHT + 0.5).floor().max(0.0) as usize).min(LEVELS.len() - 1)
}

/// The anatomy's dimensions (mm). Defaults: docs/science.md.
#[derive(Clone, Debug, PartialEq)]
pub struct Anatomy {
    /// Dorsal CSF thickness (cord surface to dura) at the centre of each level.
    pub dorsal_csf: [f64; 8],
    /// Ventral CSF thickness.
    pub ventral_csf: f64,
    /// Lateral CSF beside the cord.
    pub lateral_csf: f64,
    /// The cord's width (lateral) and depth (dorsoventral).
    pub cord: [f64; 2],
    /// Dura thickness.
    pub dura: f64,
    /// Dorsal epidural fat (dura to lamina).
    pub dorsal_fat: f64,
    /// The spinal canal's width.
    pub canal_width: f64,
}

impl Default for Anatomy {
    fn default() -> Self {
        Anatomy {
            dorsal_csf: [4.6, 5.0, 5.2, 4.8, 4.2, 3.6, 3.0, 2.6],
            ventral_csf: 2.0,
            lateral_csf: 3.0,
            cord: [8.0, 6.0],
            dura: 0.3,
            dorsal_fat: 3.0,
            canal_width: 17.0,
        }
    }
}

/// Whether (x, y) lies in the ellipse of centre (0, yc) and semi-axes (a, b).
fn in_ellipse(x: f64, y: f64, yc: f64, a: f64, b: f64) -> bool {
    (x / a).powi(2) + ((y - yc) / b).powi(2) <= 1.0
}

impl Anatomy {
    /// Dorsal CSF thickness at `z`, interpolated between level centres.
    pub fn dorsal_csf_at(&self, z: f64) -> f64 {
        let t = (-z / LEVEL_HEIGHT).clamp(0.0, (LEVELS.len() - 1) as f64);
        let (i, f) = (t.floor() as usize, t.fract());
        let next = (i + 1).min(LEVELS.len() - 1);
        self.dorsal_csf[i] * (1.0 - f) + self.dorsal_csf[next] * f
    }

    /// The dural sac at `z` (its outer surface): centre y and semi-axes (a, b).
    pub fn sac(&self, z: f64) -> (f64, f64, f64) {
        let half_depth = self.cord[1] / 2.0;
        let dorsal = half_depth + self.dorsal_csf_at(z) + self.dura;
        let ventral = -(half_depth + self.ventral_csf + self.dura);
        (
            (dorsal + ventral) / 2.0,
            self.cord[0] / 2.0 + self.lateral_csf + self.dura,
            (dorsal - ventral) / 2.0,
        )
    }

    /// The y of the dura's dorsal outer surface at lateral position `x` and `z`, if the
    /// sac reaches that far out.
    pub fn dura_surface(&self, x: f64, z: f64) -> Option<f64> {
        let (yc, a, b) = self.sac(z);
        (x.abs() < a).then(|| yc + b * (1.0 - (x / a).powi(2)).sqrt())
    }

    /// The y of the cord's dorsal surface at lateral position `x`, if over the cord.
    pub fn cord_surface(&self, x: f64) -> Option<f64> {
        let (a, b) = (self.cord[0] / 2.0, self.cord[1] / 2.0);
        (x.abs() < a).then(|| b * (1.0 - (x / a).powi(2)).sqrt())
    }

    /// Whether (x, y) is in the dorsal columns: white matter between the dorsal horns.
    pub fn in_dorsal_columns(&self, x: f64, y: f64) -> bool {
        self.tissue_at([x, y, 0.0]) == Tissue::WhiteMatter && x.abs() < 1.3 && y > 0.6
    }

    /// The tissue at point `p`.
    pub fn tissue_at(&self, p: [f64; 3]) -> Tissue {
        let [x, y, z] = p;
        let (a, b) = (self.cord[0] / 2.0, self.cord[1] / 2.0);
        if in_ellipse(x, y, 0.0, a, b) {
            return if grey_matter(x, y) {
                Tissue::GreyMatter
            } else {
                Tissue::WhiteMatter
            };
        }
        let (yc, sa, sb) = self.sac(z);
        if in_ellipse(x, y, yc, sa - self.dura, sb - self.dura) {
            return Tissue::Csf;
        }
        if in_ellipse(x, y, yc, sa, sb) {
            return Tissue::Dura;
        }
        let canal_top = yc + sb + self.dorsal_fat;
        let canal_bottom = yc - sb - 0.5;
        let (cc, cb) = (
            (canal_top + canal_bottom) / 2.0,
            (canal_top - canal_bottom) / 2.0,
        );
        if in_ellipse(x, y, cc, self.canal_width / 2.0, cb) {
            Tissue::EpiduralFat
        } else {
            Tissue::Bone
        }
    }
}

/// The thoracic butterfly: slender dorsal horns reaching towards the dorsolateral surface,
/// ventral horns, and the grey commissure (an approximation of thoracic cross-sections).
fn grey_matter(x: f64, y: f64) -> bool {
    let dorsal_horn = in_ellipse(x.abs() - 1.5, y - 1.0, 0.0, 0.45, 1.7);
    let ventral_horn = in_ellipse(x.abs() - 1.4, y + 1.1, 0.0, 0.8, 1.0);
    let commissure = x.abs() < 1.5 && y.abs() < 0.35;
    dorsal_horn || ventral_horn || commissure
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_the_back_in_the_layers_come_in_order() {
        let anatomy = Anatomy::default();
        // Walk ventrally along the midline at the centre of T8.
        let z = level_z(2);
        let dorsal_csf = anatomy.dorsal_csf[2];
        let order = [
            (20.0, Tissue::Bone),
            (3.0 + dorsal_csf + 0.3 + 1.5, Tissue::EpiduralFat),
            (3.0 + dorsal_csf + 0.15, Tissue::Dura),
            (3.0 + dorsal_csf / 2.0, Tissue::Csf),
            (2.0, Tissue::WhiteMatter),
            (0.0, Tissue::GreyMatter),
        ];
        for (y, tissue) in order {
            assert_eq!(anatomy.tissue_at([0.0, y, z]), tissue, "at y = {y}");
        }
        assert!(anatomy.in_dorsal_columns(0.5, 2.0));
        assert!(!anatomy.in_dorsal_columns(3.5, 0.0));
    }

    #[test]
    fn the_dorsal_csf_follows_the_level_table() {
        let anatomy = Anatomy::default();
        assert_eq!(anatomy.dorsal_csf_at(level_z(2)), 5.2);
        assert!((anatomy.dorsal_csf_at(level_z(2) - LEVEL_HEIGHT / 2.0) - 5.0).abs() < 1e-9);
        assert_eq!(LEVELS[level_at(level_z(4) + 3.0)], "T10");
    }
}
