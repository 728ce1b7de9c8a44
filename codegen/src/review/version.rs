//! Crate versions and the semver rule for the bump a change needs.

use std::fmt;
use std::str::FromStr;

use super::Class;

/// A crate version `major.minor.patch` (generated crates carry no pre-release or build parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
}

impl Version {
    pub const INITIAL: Version = Version { major: 0, minor: 1, patch: 0 };

    /// The lowest version after `self` that allows changes of `class`, as cargo reads semver:
    /// in `0.y.z` the minor version is the compatibility boundary, in `0.0.z` every release.
    pub fn bump(self, class: Class) -> Version {
        let Version { major, minor, patch } = self;
        match (class, major, minor) {
            (Class::None, ..) => self,
            (_, 0, 0) => Version { patch: patch + 1, ..self },
            (Class::Breaking, 0, _) => Version { major: 0, minor: minor + 1, patch: 0 },
            (Class::Additive, 0, _) => Version { patch: patch + 1, ..self },
            (Class::Breaking, ..) => Version { major: major + 1, minor: 0, patch: 0 },
            (Class::Additive, ..) => Version { minor: minor + 1, patch: 0, ..self },
        }
    }

    /// `major.minor`, or `0.minor` and `0.0.patch` below 1.0: what a dependent writes in its
    /// `Cargo.toml` to get this version and its compatible successors.
    pub fn requirement(self) -> String {
        match self {
            Version { major: 0, minor: 0, patch } => format!("0.0.{patch}"),
            Version { major, minor, .. } => format!("{major}.{minor}"),
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl FromStr for Version {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let parts: Vec<Option<u64>> = text.split('.').map(|part| part.parse().ok()).collect();
        match parts[..] {
            [Some(major), Some(minor), Some(patch)] => Ok(Version { major, minor, patch }),
            _ => Err(format!("{text:?} is not a version of the form `major.minor.patch`, e.g. `0.1.0`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_semver() {
        let v = |text: &str| text.parse::<Version>().unwrap();
        for (from, class, to) in [
            ("0.1.0", Class::None, "0.1.0"),
            ("0.1.0", Class::Additive, "0.1.1"),
            ("0.1.3", Class::Breaking, "0.2.0"),
            ("0.0.4", Class::Additive, "0.0.5"),
            ("0.0.4", Class::Breaking, "0.0.5"),
            ("1.2.3", Class::Additive, "1.3.0"),
            ("1.2.3", Class::Breaking, "2.0.0"),
        ] {
            assert_eq!(v(from).bump(class), v(to), "{from} {class:?}");
        }
        assert_eq!(v("0.2.0").requirement(), "0.2");
        assert_eq!(v("0.0.3").requirement(), "0.0.3");
        for bad in ["", "1", "1.2", "1.2.3-rc.1", "a.b.c", "1.2.3.4"] {
            assert!(bad.parse::<Version>().is_err(), "{bad}");
        }
    }
}
