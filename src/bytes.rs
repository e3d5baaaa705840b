//! The little-endian byte reader under both encodings the JS layer writes: the argument
//! encoding of [`crate::args`] and the operation inputs of [`crate::wire`]. Reading past the
//! end or a text that is not UTF-8 is an [`Error::Internal`] (the JS layer never writes
//! either), never a panic.

use crate::error::Error;

/// Reads `u8`s, little-endian `u32`s and `f64`s, and length-prefixed bytes and texts from
/// the front of a byte slice.
pub struct ByteReader<'a> {
    rest: &'a [u8],
}

/// The error for bytes the JS layer would never write.
#[cold]
pub fn malformed() -> Error {
    Error::Internal {
        what: "the JS layer sent bytes the module cannot read",
    }
}

impl<'a> ByteReader<'a> {
    /// A reader over `bytes`.
    pub fn new(bytes: &'a [u8]) -> ByteReader<'a> {
        ByteReader { rest: bytes }
    }

    /// The bytes not read yet.
    pub fn rest(&self) -> &'a [u8] {
        self.rest
    }

    /// The next `n` bytes.
    #[inline(always)]
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        match self.rest.split_at_checked(n) {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(head)
            }
            None => Err(malformed()),
        }
    }

    /// A byte.
    #[inline(always)]
    pub fn u8(&mut self) -> Result<u8, Error> {
        match self.rest.split_first() {
            Some((&head, tail)) => {
                self.rest = tail;
                Ok(head)
            }
            None => Err(malformed()),
        }
    }

    /// A `u32`.
    #[inline(always)]
    pub fn u32(&mut self) -> Result<u32, Error> {
        match self.rest.split_first_chunk::<4>() {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(u32::from_le_bytes(*head))
            }
            None => Err(malformed()),
        }
    }

    /// An `f64`.
    #[inline(always)]
    pub fn f64(&mut self) -> Result<f64, Error> {
        match self.rest.split_first_chunk::<8>() {
            Some((head, tail)) => {
                self.rest = tail;
                Ok(f64::from_le_bytes(*head))
            }
            None => Err(malformed()),
        }
    }

    /// Bytes after their `u32` length.
    pub fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u32()? as usize;
        self.take(n)
    }

    /// UTF-8 text after its `u32` byte length.
    pub fn text(&mut self) -> Result<&'a str, Error> {
        core::str::from_utf8(self.bytes()?).map_err(|_| malformed())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_primitive_in_order() {
        let mut input = alloc::vec![7u8];
        input.extend_from_slice(&513u32.to_le_bytes());
        input.extend_from_slice(&2.5f64.to_le_bytes());
        input.extend_from_slice(&2u32.to_le_bytes());
        input.extend_from_slice(b"ok");
        let mut r = ByteReader::new(&input);
        assert_eq!(r.u8(), Ok(7));
        assert_eq!(r.u32(), Ok(513));
        assert_eq!(r.f64(), Ok(2.5));
        assert_eq!(r.text(), Ok("ok"));
        assert!(r.rest().is_empty());
    }

    #[test]
    fn short_input_and_bad_utf8_are_errors_not_panics() {
        assert_eq!(ByteReader::new(&[1, 2, 3]).u32(), Err(malformed()));
        assert_eq!(ByteReader::new(&[0; 7]).f64(), Err(malformed()));
        assert_eq!(ByteReader::new(&[9, 0, 0, 0, 1]).bytes(), Err(malformed()));
        assert_eq!(
            ByteReader::new(&[2, 0, 0, 0, 0xff, 0xfe]).text(),
            Err(malformed())
        );
        assert_eq!(ByteReader::new(&[]).u8(), Err(malformed()));
    }
}
