//! Writing text without `core::fmt`: the [`cat!`](crate::cat) macro joins pieces (strings,
//! characters, integers, a readable [`Float`]) into a `String`. `format!` and `Display` pull
//! the formatting machinery into the wasm module; these do not, and they are what every
//! message of the crate (error messages, decision reasons, summaries) is built with.

use alloc::string::String;

/// Something [`cat!`](crate::cat) can append to a string.
pub trait Piece {
    /// Appends the piece's text to `out`.
    fn append_to(&self, out: &mut String);
}

impl<T: Piece + ?Sized> Piece for &T {
    fn append_to(&self, out: &mut String) {
        (**self).append_to(out);
    }
}

impl Piece for str {
    fn append_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn append_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for char {
    fn append_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl Piece for bool {
    fn append_to(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

macro_rules! unsigned_piece {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn append_to(&self, out: &mut String) {
                push_u128(out, *self as u128);
            }
        }
    )*};
}
unsigned_piece!(u8, u16, u32, u64, usize);

impl Piece for i64 {
    fn append_to(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        push_u128(out, u128::from(self.unsigned_abs()));
    }
}

/// Appends the decimal digits of `n`.
pub fn push_u128(out: &mut String, mut n: u128) {
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        out.push(char::from(d));
    }
}

/// A number as error messages show it, close to JavaScript's `String(n)`: integers exactly
/// (below 1e21), `NaN`, `Infinity`, `-Infinity`, other values with up to 15 significant
/// digits (`11.5`, `0.1`, `1e-7`, `1.5e+300`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Float(pub f64);

impl Piece for Float {
    fn append_to(&self, out: &mut String) {
        let x = self.0;
        if x.is_nan() {
            return out.push_str("NaN");
        }
        if x.is_infinite() {
            return out.push_str(if x < 0.0 { "-Infinity" } else { "Infinity" });
        }
        if x < 0.0 {
            out.push('-');
        }
        let x = x.abs();
        if x == 0.0 {
            return out.push('0');
        }
        if crate::num::is_integral(x) && x < 1e21 {
            return push_u128(out, x as u128);
        }
        // Scale into [1e14, 1e15) to read 15 significant digits, then place the point.
        let mut exponent = 0i32;
        let mut m = x;
        while m >= 1e15 {
            m /= 10.0;
            exponent += 1;
        }
        while m < 1e14 {
            m *= 10.0;
            exponent -= 1;
        }
        let mut digits = String::new();
        push_u128(&mut digits, (m + 0.5) as u128);
        let mut digits = digits.into_bytes();
        if digits.len() > 15 {
            digits.pop();
            exponent += 1;
        }
        while digits.len() > 1 && digits.last() == Some(&b'0') {
            digits.pop();
            exponent += 1;
        }
        // The value is digits × 10^exponent; its decimal point sits `point` digits in.
        let point = digits.len() as i32 + exponent;
        let as_char = |d: &u8| char::from(*d);
        if (-5..=21).contains(&point) && point > 0 {
            for (i, d) in digits.iter().enumerate() {
                if i as i32 == point {
                    out.push('.');
                }
                out.push(as_char(d));
            }
            for _ in digits.len() as i32..point {
                out.push('0');
            }
        } else if (-5..=0).contains(&point) {
            out.push_str("0.");
            for _ in point..0 {
                out.push('0');
            }
            digits.iter().for_each(|d| out.push(as_char(d)));
        } else {
            out.push(as_char(&digits[0]));
            if digits.len() > 1 {
                out.push('.');
                digits[1..].iter().for_each(|d| out.push(as_char(d)));
            }
            out.push('e');
            let e = point - 1;
            out.push(if e < 0 { '-' } else { '+' });
            push_u128(out, u128::from(e.unsigned_abs()));
        }
    }
}

/// Joins pieces into a `String` without `core::fmt`: `cat!("attempt ", n, " of ", of)`.
#[macro_export]
macro_rules! cat {
    ($($piece:expr),* $(,)?) => {{
        let mut out = ::alloc::string::String::new();
        $( $crate::write::Piece::append_to(&$piece, &mut out); )*
        out
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_join_as_format_would() {
        let n = 42u64;
        let name = String::from("POST");
        assert_eq!(
            crate::cat!("attempt ", n, " of ", 4u32, ": ", name, ' ', true, " ", -7i64),
            "attempt 42 of 4: POST true -7"
        );
        assert_eq!(crate::cat!(u64::MAX), u64::MAX.to_string());
        assert_eq!(crate::cat!(0u8), "0");
    }

    #[test]
    fn floats_read_like_javascript() {
        for (x, s) in [
            (11.5, "11.5"),
            (0.1, "0.1"),
            (3.0, "3"),
            (-2.25, "-2.25"),
            (1e-7, "1e-7"),
            (0.000123, "0.000123"),
            (1.5e300, "1.5e+300"),
            (1e21, "1e+21"),
            (123456789.125, "123456789.125"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (0.0, "0"),
            (9007199254740993.0, "9007199254740992"),
        ] {
            assert_eq!(crate::cat!(Float(x)), s, "{x}");
        }
    }
}
