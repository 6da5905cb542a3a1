//! [`Sparse`]: a part of an entity that most entities leave empty, kept out of line.
//!
//! A rule's review record and a host's inventory facts are a few hundred bytes each and empty
//! in most designs (a generated tier XL design has a million rules and a million hosts, none
//! with either): held inline they were about 440 MB of a tier XL check's two gigabytes. A
//! `Sparse<T>` is one pointer, null while the part is empty, and reads as the part itself
//! (`rule.identity.owner`), an empty one when nothing is stored.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A part whose empty value can be shared: what a [`Sparse`] reads as while it holds nothing.
pub trait Empty: Default + PartialEq + 'static {
    const EMPTY: &'static Self;
}

/// `T`, boxed when it holds anything and nothing at all when it is empty. Reading derefs to
/// the value (the shared empty one when none is stored); writing through `DerefMut` stores a
/// value first. Equality is the value's: a `Sparse` emptied by writing equals one never
/// written.
pub struct Sparse<T: Empty>(Option<Box<T>>);

impl<T: Empty> Sparse<T> {
    /// Stores `value`, or nothing when it is empty.
    pub fn new(value: T) -> Sparse<T> {
        if value == *T::EMPTY {
            Sparse(None)
        } else {
            Sparse(Some(Box::new(value)))
        }
    }
}

impl<T: Empty> Sparse<T> {
    /// The value, when one was ever written (unlike `deref_mut`, never stores an empty one).
    pub fn stored_mut(&mut self) -> Option<&mut T> {
        self.0.as_deref_mut()
    }
}

impl<T: Empty> From<T> for Sparse<T> {
    fn from(value: T) -> Sparse<T> {
        Sparse::new(value)
    }
}

impl<T: Empty> Default for Sparse<T> {
    fn default() -> Sparse<T> {
        Sparse(None)
    }
}

impl<T: Empty> Deref for Sparse<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_deref().unwrap_or(T::EMPTY)
    }
}

impl<T: Empty> DerefMut for Sparse<T> {
    fn deref_mut(&mut self) -> &mut T {
        self.0.get_or_insert_with(Box::default)
    }
}

impl<T: Empty + Clone> Clone for Sparse<T> {
    fn clone(&self) -> Sparse<T> {
        Sparse(self.0.clone())
    }
}

impl<T: Empty> PartialEq for Sparse<T> {
    fn eq(&self, other: &Sparse<T>) -> bool {
        **self == **other
    }
}

impl<T: Empty + fmt::Debug> fmt::Debug for Sparse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, Default, PartialEq)]
    struct Part {
        note: Option<String>,
    }

    impl Empty for Part {
        const EMPTY: &'static Part = &Part { note: None };
    }

    #[test]
    fn an_empty_part_takes_no_box_and_reads_as_empty() {
        let s = Sparse::new(Part::default());
        assert!(s.0.is_none());
        assert_eq!(s.note, None);
        assert_eq!(
            std::mem::size_of::<Sparse<Part>>(),
            std::mem::size_of::<usize>()
        );
    }

    #[test]
    fn writing_stores_and_equality_is_the_values() {
        let mut s = Sparse::new(Part::default());
        s.note = Some("x".into());
        assert!(s.0.is_some());
        assert_eq!(
            s,
            Sparse::new(Part {
                note: Some("x".into())
            })
        );
        assert_ne!(s, Sparse::default());
        // Emptied by writing: boxed, yet equal to one never written.
        s.note = None;
        assert!(s.0.is_some());
        assert_eq!(s, Sparse::default());
        assert_eq!(format!("{s:?}"), format!("{:?}", Part::default()));
    }
}
