//! FNV-1a, 64 bits: a digest that is stable across builds, platforms and Rust releases (std's
//! hasher is not), for fingerprints the index stores and compares: the rules, the Kazakh stemmer's
//! data, facet values. Not for anything an adversary chooses to collide: that is SHA-256's job
//! (`FileRecord::content_hash`).

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;

/// A digest fed piece by piece.
pub(crate) struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Fnv1a {
        Fnv1a(OFFSET_BASIS)
    }
}

impl Fnv1a {
    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.0 = bytes
            .iter()
            .fold(self.0, |hash, &b| (hash ^ u64::from(b)).wrapping_mul(PRIME));
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

/// The digest of one byte string.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut digest = Fnv1a::default();
    digest.write(bytes);
    digest.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published FNV-1a 64 test vectors: a stored fingerprint must never change meaning.
    #[test]
    fn matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        let mut pieces = Fnv1a::default();
        pieces.write(b"foo");
        pieces.write(b"bar");
        assert_eq!(pieces.finish(), fnv1a(b"foobar"));
    }
}
