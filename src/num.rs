//! The few `f64` functions the crate needs that `core` lacks on stable Rust (they live in
//! `std`, which the standalone build does not have): exact for every input they get here.

/// Whether `x` is a whole number (finite, no fraction).
pub fn is_integral(x: f64) -> bool {
    x.is_finite() && trunc(x) == x
}

/// `x` without its fraction, toward zero. `NaN` and the infinities are returned as they are.
pub fn trunc(x: f64) -> f64 {
    // Every f64 of magnitude 2^52 or more is already whole.
    if !x.is_finite() || x.abs() >= 4_503_599_627_370_496.0 {
        x
    } else {
        (x as i64) as f64
    }
}

/// The smallest whole number not below `x`.
pub fn ceil(x: f64) -> f64 {
    let t = trunc(x);
    if t < x {
        t + 1.0
    } else {
        t
    }
}

/// `x` to the integer power `n`, by repeated squaring (as `f64::powi` does).
pub fn powi(x: f64, n: i32) -> f64 {
    let mut base = x;
    let mut e = n.unsigned_abs();
    let mut out = 1.0;
    while e > 0 {
        if e & 1 == 1 {
            out *= base;
        }
        base *= base;
        e >>= 1;
    }
    if n < 0 {
        1.0 / out
    } else {
        out
    }
}

/// The cube root of `x` (`x` ≥ 0; 0 for anything else), by Newton's method from a power of
/// two near it: within 1e-12 relative of `f64::cbrt` for the pacer's rates.
pub fn cbrt(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || !x.is_finite() {
        return 0.0;
    }
    // A start within a factor of 2 of the root: 2^(exponent / 3).
    let exponent = ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let mut y = powi(2.0, exponent / 3);
    for _ in 0..60 {
        let next = y - (y * y * y - x) / (3.0 * y * y);
        if (next - y).abs() <= y * 1e-16 {
            return next;
        }
        y = next;
    }
    y
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_std() {
        for x in [
            0.0, -0.0, 0.5, -0.5, 1.0, 1.5, -1.5, 2.0e15, 4.6e15, 1e300, -3.75, 999.999,
        ] {
            assert_eq!(trunc(x), x.trunc(), "{x}");
            assert_eq!(ceil(x), x.ceil(), "{x}");
            assert_eq!(is_integral(x), x.fract() == 0.0, "{x}");
        }
        assert!(trunc(f64::NAN).is_nan() && !is_integral(f64::INFINITY));
        for (x, n) in [
            (10.0, 3),
            (10.0, -3),
            (2.0, 10),
            (1.5, 7),
            (10.0, 22),
            (10.0, -300),
        ] {
            let (a, b) = (powi(x, n), x.powi(n));
            assert!((a - b).abs() <= b.abs() * 1e-15, "{x}^{n}: {a} {b}");
        }
        for x in [
            1e-9, 0.001, 0.5, 1.0, 2.0, 3.0, 8.0, 27.5, 1000.0, 1e6, 1e12,
        ] {
            let (a, b) = (cbrt(x), x.cbrt());
            assert!((a - b).abs() <= b * 1e-12, "cbrt {x}: {a} {b}");
        }
        assert_eq!(cbrt(0.0), 0.0);
        assert_eq!(cbrt(-8.0), 0.0);
    }
}
