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
    }
}
