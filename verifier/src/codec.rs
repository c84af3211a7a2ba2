//! Strict compressed (de)serialisation shared by keys and proofs.

use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};

use crate::error::VerifyError;

/// Decodes `bytes` as one compressed, validated `T`, refusing trailing bytes and non-canonical
/// encodings (the bytes must be exactly what serialising the value gives back).
pub(crate) fn decode_exact<T>(bytes: &[u8], what: &str) -> Result<T, VerifyError>
where
    T: CanonicalDeserialize + CanonicalSerialize,
{
    let mut reader = bytes;
    let value = T::deserialize_compressed(&mut reader)
        .map_err(|e| VerifyError::malformed(what, format!("cannot be decoded ({e})")))?;
    if !reader.is_empty() {
        return Err(VerifyError::malformed(
            what,
            format!(
                "{} trailing bytes after {} bytes",
                reader.len(),
                bytes.len() - reader.len()
            ),
        ));
    }
    if encode(&value) != bytes {
        return Err(VerifyError::malformed(what, "non-canonical encoding"));
    }
    Ok(value)
}

/// The compressed encoding of `value`.
pub(crate) fn encode<T: CanonicalSerialize>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.compressed_size());
    // Writing into a `Vec` cannot fail, and arkworks' serialisers of points and vectors of points
    // return no error of their own.
    if value.serialize_compressed(&mut out).is_err() {
        out.clear();
    }
    out
}
