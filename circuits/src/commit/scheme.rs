//! The commitment scheme: a 248-bit salt, the commitment value (one field element) and
//! `Poseidon(tag, len(body), body, salt)`.

use std::{fmt, str::FromStr};

use ark_ff::{BigInteger, PrimeField};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::{encoding, native::poseidon, Error, Fr};

/// Bytes of a salt (248 bits: always below the field's modulus).
pub const SALT_BYTES: usize = 31;

/// A 248-bit commitment salt. Secret: its `Debug` output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct Salt([u8; SALT_BYTES]);

impl Salt {
    /// A fresh salt from `rng` (use a cryptographic RNG outside tests).
    pub fn random(rng: &mut impl RngCore) -> Self {
        let mut b = [0u8; SALT_BYTES];
        rng.fill_bytes(&mut b);
        Self(b)
    }

    /// A salt of the given bytes (derived salts; use [`Salt::random`] for fresh ones).
    pub fn from_bytes(bytes: [u8; SALT_BYTES]) -> Self {
        Self(bytes)
    }

    /// The salt as a field element.
    pub fn to_fe(&self) -> Fr {
        Fr::from_le_bytes_mod_order(&self.0)
    }

    /// 62 lowercase hex digits.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The salt's bytes.
    pub fn as_bytes(&self) -> &[u8; SALT_BYTES] {
        &self.0
    }
}

impl fmt::Debug for Salt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Salt(<redacted>)")
    }
}

impl FromStr for Salt {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bytes = hex::decode(s).map_err(|e| Error::invalid("salt", format!("not hex: {e}")))?;
        let arr: [u8; SALT_BYTES] = bytes.try_into().map_err(|b: Vec<u8>| {
            Error::invalid(
                "salt",
                format!("{} bytes; a salt has {SALT_BYTES} (62 hex digits)", b.len()),
            )
        })?;
        Ok(Self(arr))
    }
}

/// A commitment: one field element, written as `0x` and 64 big-endian hex digits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Commitment(pub Fr);

impl fmt::Display for Commitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{}", hex::encode(self.0.into_bigint().to_bytes_be()))
    }
}

impl FromStr for Commitment {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |r: &str| Error::invalid("commitment", format!("{s:?} {r}"));
        let h = s
            .strip_prefix("0x")
            .ok_or_else(|| bad("does not start with 0x"))?;
        if h.len() != 64 {
            return Err(bad("is not 64 hex digits after 0x"));
        }
        let bytes = hex::decode(h).map_err(|_| bad("is not hex"))?;
        let fe = Fr::from_be_bytes_mod_order(&bytes);
        // Only canonical encodings (below the modulus) are accepted.
        if hex::encode(fe.into_bigint().to_bytes_be()) != h.to_ascii_lowercase() {
            return Err(bad("is not below the field modulus"));
        }
        Ok(Self(fe))
    }
}

impl Serialize for Commitment {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Commitment {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// `Poseidon(tag, len(body), body, salt)`.
pub fn commit_fields(tag: &str, body: &[Fr], salt: &Salt) -> Commitment {
    let mut input = Vec::with_capacity(body.len() + 3);
    input.push(encoding::tag_fe(tag));
    input.push(encoding::int_fe(body.len() as u64));
    input.extend_from_slice(body);
    input.push(salt.to_fe());
    Commitment(poseidon::hash(&input))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn commitment_text_round_trip_is_canonical() {
        let c = commit_fields("t", &[Fr::from(1u64)], &Salt([7; SALT_BYTES]));
        let s = c.to_string();
        assert_eq!(s.len(), 66);
        assert_eq!(s.parse::<Commitment>().unwrap(), c);
        // The modulus itself is not a canonical encoding.
        let modulus = format!("0x{}", hex::encode(Fr::MODULUS.to_bytes_be()));
        assert!(modulus.parse::<Commitment>().is_err());
        assert!("0x12".parse::<Commitment>().is_err());
    }

    #[test]
    fn salt_is_hidden_and_round_trips() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
        let s = Salt::random(&mut rng);
        assert_eq!(format!("{s:?}"), "Salt(<redacted>)");
        assert_eq!(s.to_hex().parse::<Salt>().unwrap(), s);
        assert!("abcd".parse::<Salt>().is_err());
        let body = [Fr::from(5u64)];
        assert_ne!(
            commit_fields("t", &body, &s),
            commit_fields("t", &body, &Salt::random(&mut rng))
        );
        assert_ne!(commit_fields("t", &body, &s), commit_fields("u", &body, &s));
    }
}
