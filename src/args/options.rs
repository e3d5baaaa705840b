//! Reading options objects (`RetryPolicy`'s, `RetryBudget`'s) field by field: each reader
//! names the field in its error, so a caller learns which option is wrong and why.

use super::{Arg, Cut};
use crate::cat;
use crate::error::Error;
use alloc::string::String;

/// The largest integer an option may hold: JavaScript's `Number.MAX_SAFE_INTEGER`.
pub const MAX_SAFE_INTEGER: u64 = 9_007_199_254_740_991;

/// The entries of an options object called `name` (`None` for `undefined`/`null`); anything
/// else, and an object nested too deeply or with too many fields, is refused.
pub fn entries<'b, 'a>(
    arg: &'b Arg<'a>,
    name: &'static str,
    example: &str,
) -> Result<Option<&'b [(&'a str, Arg<'a>)]>, Error> {
    match arg {
        Arg::Undefined | Arg::Null => Ok(None),
        Arg::Object(entries) => match arg.cut() {
            Some(Cut::TooDeep) => Err(Error::InvalidOption {
                name,
                problem: cat!(
                    "are nested more than ",
                    super::MAX_DEPTH,
                    " levels deep; options are flat objects such as ",
                    example
                ),
            }),
            Some(Cut::TooMany) => Err(Error::InvalidOption {
                name,
                problem: cat!("have more than ", super::MAX_ENTRIES, " fields"),
            }),
            None => Ok(Some(entries)),
        },
        other => Err(Error::InvalidOption {
            name,
            problem: cat!(
                "must be an object such as ",
                example,
                ", got ",
                other.describe()
            ),
        }),
    }
}

/// The top-level options argument of a constructor: a value that is no object at all (a
/// number, a string, a `Date`, a function…) is a wrong argument (`ERR_INVALID_ARGUMENT`); an
/// object (or an array, read as one that has no fields) is read by [`entries`].
pub fn top_level<'b, 'a>(
    arg: &'b Arg<'a>,
    example: &str,
) -> Result<Option<&'b [(&'a str, Arg<'a>)]>, Error> {
    match arg {
        Arg::Undefined | Arg::Null | Arg::Object(_) | Arg::Array(_) | Arg::Cut(_) => {
            entries(arg, "options", example)
        }
        other => Err(Error::InvalidArgument {
            name: "options".into(),
            expected: cat!("an options object such as ", example).into(),
            got: other.type_name().into(),
        }),
    }
}

/// An unknown field, with a suggestion when only case, `_` or `-` differ (`max_attempts`).
pub fn unknown_field(name: &'static str, key: &str, known: &[&str]) -> Error {
    Error::InvalidOption {
        name,
        problem: no_such_field(key, known),
    }
}

/// What [`unknown_field`] says: `has no field "max_attempts" (did you mean maxAttempts?); the
/// fields are …`.
pub fn no_such_field(key: &str, known: &[&str]) -> String {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let mut problem = cat!("has no field ", crate::text::quoted(key));
    if let Some(k) = known.iter().find(|k| squash(k) == squash(key)) {
        problem = cat!(problem, " (did you mean ", k, "?)");
    }
    problem.push_str("; the fields are ");
    for (i, k) in known.iter().enumerate() {
        if i > 0 {
            problem.push_str(", ");
        }
        problem.push_str(k);
    }
    problem
}

/// A non-negative integer field (up to [`MAX_SAFE_INTEGER`], or a `BigInt` that fits);
/// `undefined`/`null` is unset.
pub fn int_field<T: TryFrom<u64>>(v: &Arg, name: &'static str) -> Result<Option<T>, Error> {
    let bad = || Error::InvalidOption {
        name,
        problem: cat!("must be a non-negative integer, got ", v.describe()),
    };
    let n = match v {
        Arg::Undefined | Arg::Null => return Ok(None),
        Arg::Number(f)
            if crate::num::is_integral(*f) && *f >= 0.0 && *f <= MAX_SAFE_INTEGER as f64 =>
        {
            *f as u64
        }
        Arg::BigInt(digits) => digits.parse::<u64>().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    T::try_from(n).map(Some).map_err(|_| Error::InvalidOption {
        name,
        problem: cat!("is too large: ", n),
    })
}

/// A finite number field; `undefined`/`null` is unset. `NaN` and the infinities are refused.
pub fn number_field(v: &Arg, name: &'static str) -> Result<Option<f64>, Error> {
    match v {
        Arg::Undefined | Arg::Null => Ok(None),
        Arg::Number(n) if n.is_finite() => Ok(Some(*n)),
        _ => Err(Error::InvalidOption {
            name,
            problem: cat!("must be a finite number, got ", v.describe()),
        }),
    }
}

/// A field read by `read` (`None`: not one of the `expected` values); `undefined`/`null`
/// is unset.
pub fn typed_field<'a, T>(
    v: &Arg<'a>,
    name: &'static str,
    expected: &str,
    read: impl Fn(&Arg<'a>) -> Option<T>,
) -> Result<Option<T>, Error> {
    if v.is_nullish() {
        return Ok(None);
    }
    read(v).map(Some).ok_or_else(|| Error::InvalidOption {
        name,
        problem: cat!("must be ", expected, ", got ", v.describe()),
    })
}

/// A boolean field.
pub fn bool_field(v: &Arg, name: &'static str) -> Result<Option<bool>, Error> {
    typed_field(v, name, "true or false", |v| match v {
        Arg::Bool(b) => Some(*b),
        _ => None,
    })
}

/// A string field whose value must be one of `choices` (`(text, value)`).
pub fn choice_field<T: Copy>(
    v: &Arg,
    name: &'static str,
    expected: &str,
    choices: &[(&str, T)],
) -> Result<Option<T>, Error> {
    typed_field(v, name, expected, |v| match v {
        Arg::String(s) => choices.iter().find(|(c, _)| c == s).map(|(_, t)| *t),
        _ => None,
    })
}
