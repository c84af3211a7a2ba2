//! circom's binary formats (iden3's `binfileutils` container), so that snarkjs can set up, prove
//! and check exactly a zkinvoice statement: its constraint system as `.r1cs` (version 1: header,
//! constraints, wire-to-label map) and a full assignment as `.wtns` (version 2: header, values),
//! over BLS12-381's scalar field. Key directories keep a statement's `.r1cs` beside its proving
//! key, and the prover reads its matrices from it ([`R1cs::read_circom`]).
//!
//! Wires are zkinvoice's variables in the same order: wire 0 is the constant one, wires `1..=n`
//! the statement's public inputs (circom's public outputs: none; public inputs: `n`), then every
//! witness variable (private, none of them a circuit input). Field elements are written in
//! canonical form, little-endian, 32 bytes; a label is its wire's index (labels carry no meaning
//! here: the reader checks that they are exactly that).

use std::{
    collections::HashMap,
    io::{self, Read, Write},
};

use ark_ff::{BigInteger, PrimeField};

use super::{Builder, R1cs, Which};
use crate::{Error, Fr};

const N8: u32 = 32;
const HEADER_BYTES: u64 = 4 + N8 as u64 + 4 * 4 + 8 + 4;

fn section(out: &mut impl Write, id: u32, content: &[u8]) -> io::Result<()> {
    out.write_all(&id.to_le_bytes())?;
    out.write_all(&(content.len() as u64).to_le_bytes())?;
    out.write_all(content)
}

fn fr_bytes(x: &Fr) -> Vec<u8> {
    x.into_bigint().to_bytes_le()
}

fn prime_header() -> Vec<u8> {
    let mut h = N8.to_le_bytes().to_vec();
    h.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    h
}

/// Writes the `.r1cs` file of `r1cs` into `out`.
pub fn write_r1cs(r1cs: &R1cs, out: &mut impl Write) -> io::Result<()> {
    let variables = r1cs.num_variables();
    let mut header = prime_header();
    for n in [variables as u32, 0, (r1cs.num_instance - 1) as u32, 0] {
        header.extend_from_slice(&n.to_le_bytes());
    }
    header.extend_from_slice(&(variables as u64).to_le_bytes());
    header.extend_from_slice(&(r1cs.num_constraints() as u32).to_le_bytes());
    let coefficients: Vec<Vec<u8>> = r1cs.coefficients().iter().map(fr_bytes).collect();
    let mut body = Vec::with_capacity(12 * r1cs.num_constraints() + 36 * r1cs.non_zeros());
    for i in 0..r1cs.num_constraints() {
        for m in [Which::A, Which::B, Which::C] {
            let row = r1cs.row(i, m);
            body.extend_from_slice(&(row.len() as u32).to_le_bytes());
            for e in row {
                body.extend_from_slice(&e.variable.to_le_bytes());
                body.extend_from_slice(&coefficients[e.coefficient as usize]);
            }
        }
    }
    let labels: Vec<u8> = (0..variables as u64).flat_map(u64::to_le_bytes).collect();
    out.write_all(b"r1cs")?;
    out.write_all(&1u32.to_le_bytes())?;
    out.write_all(&3u32.to_le_bytes())?;
    section(out, 1, &header)?;
    section(out, 2, &body)?;
    section(out, 3, &labels)
}

/// The `.r1cs` file of `r1cs`.
pub fn r1cs_file(r1cs: &R1cs) -> Vec<u8> {
    let mut out = Vec::new();
    write_r1cs(r1cs, &mut out).expect("writing to memory");
    out
}

/// The `.wtns` file of a full assignment (the constant one first, then the public inputs, then
/// the witness variables).
pub fn wtns_file(assignment: &[Fr]) -> Vec<u8> {
    let mut header = prime_header();
    header.extend_from_slice(&(assignment.len() as u32).to_le_bytes());
    let mut values = Vec::with_capacity(32 * assignment.len());
    for x in assignment {
        values.extend_from_slice(&fr_bytes(x));
    }
    let mut out = b"wtns".to_vec();
    out.extend_from_slice(&2u32.to_le_bytes());
    out.extend_from_slice(&2u32.to_le_bytes());
    section(&mut out, 1, &header).expect("writing to memory");
    section(&mut out, 2, &values).expect("writing to memory");
    out
}

/// A reader that knows its offset, for errors.
struct At<R> {
    inner: R,
    offset: u64,
}

impl<R: Read> At<R> {
    fn fail(&self, reason: impl Into<String>) -> Error {
        Error::ConstraintFile {
            offset: self.offset,
            reason: reason.into(),
        }
    }

    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut b = [0u8; N];
        self.inner.read_exact(&mut b).map_err(|e| {
            self.fail(match e.kind() {
                io::ErrorKind::UnexpectedEof => "the file ends early".to_string(),
                _ => e.to_string(),
            })
        })?;
        self.offset += N as u64;
        Ok(b)
    }

    fn u32(&mut self) -> Result<u32, Error> {
        self.bytes().map(u32::from_le_bytes)
    }

    fn u64(&mut self) -> Result<u64, Error> {
        self.bytes().map(u64::from_le_bytes)
    }
}

/// The header's counts.
struct Header {
    wires: usize,
    public: usize,
    constraints: usize,
}

impl R1cs {
    /// Reads the matrices of `statement` from a `.r1cs` file written by [`write_r1cs`] (the
    /// layout this build writes and nothing else: three sections in order, BLS12-381's scalar
    /// field, no public outputs and no private circuit inputs, labels equal to wires, every
    /// coefficient canonical, every wire in range, nothing after the last section) and
    /// recomputes the digest from what it read: the caller compares it with the manifest's.
    /// Memory is the compact matrices' (the file is read as a stream); `len` is the file's length,
    /// which bounds what a section may declare before anything is allocated for it.
    pub fn read_circom(statement: &str, reader: impl Read, len: u64) -> Result<Self, Error> {
        let mut r = At {
            inner: reader,
            offset: 0,
        };
        if &r.bytes::<4>()? != b"r1cs" {
            return Err(r.fail("not a circom .r1cs file (magic)"));
        }
        if r.u32()? != 1 || r.u32()? != 3 {
            return Err(r.fail("not version 1 with three sections"));
        }
        let header = read_header(&mut r)?;
        if r.u32()? != 2 {
            return Err(r.fail("the constraints section must come second"));
        }
        let size = r.u64()?;
        if size > len.saturating_sub(r.offset) {
            return Err(r.fail(format!(
                "a constraints section of {size} bytes, beyond the file's end"
            )));
        }
        let start = r.offset;
        let r1cs = read_constraints(&mut r, statement, &header, size)?;
        if r.offset - start != size {
            return Err(r.fail(format!(
                "the constraints section is {size} bytes, its constraints take {}",
                r.offset - start
            )));
        }
        if r.u32()? != 3 || r.u64()? != 8 * header.wires as u64 {
            return Err(r.fail("the third section must map each wire to a label"));
        }
        for wire in 0..header.wires as u64 {
            if r.u64()? != wire {
                return Err(r.fail(format!("wire {wire} has another label")));
            }
        }
        if r.inner.read(&mut [0u8; 1]).map_err(|e| r.fail(e.to_string()))? != 0 {
            return Err(r.fail("bytes after the last section"));
        }
        Ok(r1cs)
    }
}

fn read_header(r: &mut At<impl Read>) -> Result<Header, Error> {
    if r.u32()? != 1 || r.u64()? != HEADER_BYTES {
        return Err(r.fail("the header section must come first, 64 bytes"));
    }
    if r.u32()? != N8 || r.bytes::<32>()?[..] != Fr::MODULUS.to_bytes_le()[..] {
        return Err(r.fail("not BLS12-381's scalar field"));
    }
    let wires = r.u32()? as usize;
    let (outputs, public, private) = (r.u32()?, r.u32()? as usize, r.u32()?);
    if outputs != 0 || private != 0 {
        return Err(r.fail("public outputs or private inputs: not a zkinvoice statement"));
    }
    if r.u64()? != wires as u64 {
        return Err(r.fail("labels are not one per wire"));
    }
    let constraints = r.u32()? as usize;
    if public >= wires {
        return Err(r.fail("more public inputs than wires"));
    }
    Ok(Header {
        wires,
        public,
        constraints,
    })
}

fn read_constraints(
    r: &mut At<impl Read>,
    statement: &str,
    header: &Header,
    size: u64,
) -> Result<R1cs, Error> {
    let fixed = 12 * header.constraints as u64;
    if size < fixed || (size - fixed) % (4 + u64::from(N8)) != 0 {
        return Err(r.fail(format!(
            "a constraints section of {size} bytes cannot hold {} constraints",
            header.constraints
        )));
    }
    let num_instance = header.public + 1;
    let non_zeros = ((size - fixed) / (4 + u64::from(N8))) as usize;
    let mut b = Builder::new(
        num_instance,
        header.wires - num_instance,
        header.constraints,
        non_zeros,
    );
    // Coefficients are interned by their bytes, so each distinct one is decoded once.
    let mut seen: HashMap<[u8; 32], Fr> = HashMap::new();
    for _ in 0..3 * header.constraints {
        let n = r.u32()?;
        for _ in 0..n {
            let wire = r.u32()? as usize;
            let bytes = r.bytes::<32>()?;
            let coefficient = match seen.get(&bytes) {
                Some(c) => *c,
                None => {
                    let c = Fr::from_le_bytes_mod_order(&bytes);
                    if c.into_bigint().to_bytes_le() != bytes {
                        return Err(r.fail("a coefficient not below the field's modulus"));
                    }
                    seen.insert(bytes, c);
                    c
                }
            };
            b.push(coefficient, wire).map_err(|e| r.fail(e))?;
        }
        b.end_row().map_err(|e| r.fail(e))?;
    }
    b.finish(statement)
        .ok_or_else(|| r.fail("unfinished constraints"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x * x = y with y public: wires 0 (one), 1 (y), 2 (x).
    fn square() -> R1cs {
        let one = Fr::from(1u64);
        let a = vec![vec![(one, 2)]];
        let b = vec![vec![(one, 2)]];
        let c = vec![vec![(Fr::from(5u64), 1)]];
        R1cs::from_rows("square", 2, 1, [&a, &b, &c]).unwrap()
    }

    #[test]
    fn the_files_have_the_containers_layout() {
        let f = r1cs_file(&square());
        assert_eq!(&f[..4], b"r1cs");
        assert_eq!(f[4..8], 1u32.to_le_bytes());
        assert_eq!(f[8..12], 3u32.to_le_bytes(), "three sections");
        assert_eq!(f[12..16], 1u32.to_le_bytes(), "the header first");
        assert_eq!(f[16..24], HEADER_BYTES.to_le_bytes());
        let constraints = 3 * (4 + 4 + 32);
        let labels = 3 * 8;
        assert_eq!(f.len() as u64, 12 + 3 * 12 + HEADER_BYTES + constraints + labels);
        let one = Fr::from(1u64);
        let w = wtns_file(&[one, Fr::from(9u64), Fr::from(3u64)]);
        assert_eq!(&w[..4], b"wtns");
        assert_eq!(w.len(), 12 + 2 * 12 + (4 + 32 + 4) + 3 * 32);
        assert_eq!(w[w.len() - 32], 3, "little-endian, canonical");
    }

    #[test]
    fn a_file_reads_back_to_the_same_matrices_and_digest() {
        let s = square();
        let back = R1cs::read_circom("square", &r1cs_file(&s)[..], r1cs_file(&s).len() as u64).unwrap();
        assert_eq!(back.digest, s.digest);
        assert_eq!(back.num_instance, 2);
        assert_eq!(back.num_witness, 1);
        assert_eq!(
            back.check(&[Fr::from(1u64), Fr::from(5u64), Fr::from(5u64)]),
            Ok(())
        );
        let other = R1cs::read_circom(
            "another statement",
            &r1cs_file(&s)[..],
            r1cs_file(&s).len() as u64,
        )
        .unwrap();
        assert_ne!(other.digest, s.digest, "the statement id is hashed");
    }

    #[test]
    fn every_changed_byte_is_refused_or_changes_the_digest() {
        let s = square();
        let f = r1cs_file(&s);
        for i in 0..f.len() {
            for flip in [1u8, 0x80] {
                let mut g = f.clone();
                g[i] ^= flip;
                if let Ok(r) = R1cs::read_circom("square", &g[..], g.len() as u64) {
                    assert_ne!(r.digest, s.digest, "byte {i} flipped by {flip:#x} went unnoticed");
                }
            }
        }
        for cut in 0..f.len() {
            assert!(
                matches!(
                    R1cs::read_circom("square", &f[..cut], cut as u64),
                    Err(Error::ConstraintFile { .. })
                ),
                "cut at {cut}"
            );
        }
        // A section that declares more than the file holds is refused before anything is
        // allocated for it.
        let mut huge = f.clone();
        let body = 12 + 12 + HEADER_BYTES as usize;
        huge[body + 4..body + 12].copy_from_slice(&(u64::MAX / 2).to_le_bytes());
        let e = R1cs::read_circom("square", &huge[..], huge.len() as u64).unwrap_err();
        assert!(e.to_string().contains("beyond the file's end"), "{e}");
        let mut longer = f.clone();
        longer.push(0);
        assert!(
            R1cs::read_circom("square", &longer[..], longer.len() as u64).is_err(),
            "a trailing byte"
        );
    }
}
