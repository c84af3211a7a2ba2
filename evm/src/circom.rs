//! circom's binary formats (iden3's `binfileutils` container), so that snarkjs can set up, prove
//! and check exactly a zkinvoice statement: its constraint system as `.r1cs` (version 1: header,
//! constraints, wire-to-label map) and a full assignment as `.wtns` (version 2: header, values),
//! over BLS12-381's scalar field.
//!
//! Wires are zkinvoice's variables in the same order: wire 0 is the constant one, wires `1..=n`
//! the statement's public inputs (circom's public outputs: none; public inputs: `n`), then every
//! witness variable (private, none of them a circuit input). Field elements are written in
//! canonical form, little-endian, 32 bytes; a label is its wire's index.

use ark_bls12_381::Fr;
use ark_ff::{BigInteger, PrimeField};

const N8: u32 = 32;

/// A container of `sections` (`(id, content)`) with the 4-byte `magic` and `version`.
fn container(magic: &[u8; 4], version: u32, sections: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(12 + sections.iter().map(|(_, s)| 12 + s.len()).sum::<usize>());
    out.extend_from_slice(magic);
    out.extend_from_slice(&version.to_le_bytes());
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    for (id, content) in sections {
        out.extend_from_slice(&id.to_le_bytes());
        out.extend_from_slice(&(content.len() as u64).to_le_bytes());
        out.extend_from_slice(content);
    }
    out
}

fn push_fr(out: &mut Vec<u8>, x: &Fr) {
    out.extend_from_slice(&x.into_bigint().to_bytes_le());
}

fn prime_header() -> Vec<u8> {
    let mut h = N8.to_le_bytes().to_vec();
    h.extend_from_slice(&Fr::MODULUS.to_bytes_le());
    h
}

/// The `.r1cs` file of a constraint system with `public` public inputs (the constant one not
/// counted), `variables` variables in all (the constant one counted), and its A, B and C matrices
/// (one row per constraint, entries `(coefficient, variable)`).
pub fn r1cs_file(public: usize, variables: usize, matrices: [&[Vec<(Fr, usize)>]; 3]) -> Vec<u8> {
    let constraints = matrices[0].len();
    let mut header = prime_header();
    for n in [variables as u32, 0, public as u32, 0] {
        header.extend_from_slice(&n.to_le_bytes());
    }
    header.extend_from_slice(&(variables as u64).to_le_bytes());
    header.extend_from_slice(&(constraints as u32).to_le_bytes());
    let mut body = Vec::new();
    for i in 0..constraints {
        for m in matrices {
            let row = &m[i];
            body.extend_from_slice(&(row.len() as u32).to_le_bytes());
            for (coeff, var) in row {
                body.extend_from_slice(&(*var as u32).to_le_bytes());
                push_fr(&mut body, coeff);
            }
        }
    }
    let labels: Vec<u8> = (0..variables as u64).flat_map(u64::to_le_bytes).collect();
    container(b"r1cs", 1, &[(1, header), (2, body), (3, labels)])
}

/// The `.wtns` file of a full assignment (the constant one first, then the public inputs, then
/// the witness variables).
pub fn wtns_file(assignment: &[Fr]) -> Vec<u8> {
    let mut header = prime_header();
    header.extend_from_slice(&(assignment.len() as u32).to_le_bytes());
    let mut values = Vec::with_capacity(32 * assignment.len());
    for x in assignment {
        push_fr(&mut values, x);
    }
    container(b"wtns", 2, &[(1, header), (2, values)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_files_have_the_containers_layout() {
        // x * x = y with y public: wires 0 (one), 1 (y), 2 (x).
        let one = Fr::from(1u64);
        let a = vec![vec![(one, 2)]];
        let b = vec![vec![(one, 2)]];
        let c = vec![vec![(one, 1)]];
        let f = r1cs_file(1, 3, [&a, &b, &c]);
        assert_eq!(&f[..4], b"r1cs");
        assert_eq!(f[4..8], 1u32.to_le_bytes());
        assert_eq!(f[8..12], 3u32.to_le_bytes(), "three sections");
        assert_eq!(f[12..16], 1u32.to_le_bytes(), "the header first");
        let header = 4 + 32 + 4 * 4 + 8 + 4;
        assert_eq!(f[16..24], (header as u64).to_le_bytes());
        let constraints = 3 * (4 + 4 + 32);
        let labels = 3 * 8;
        assert_eq!(f.len(), 12 + 3 * 12 + header + constraints + labels);
        let w = wtns_file(&[one, Fr::from(9u64), Fr::from(3u64)]);
        assert_eq!(&w[..4], b"wtns");
        assert_eq!(w.len(), 12 + 2 * 12 + (4 + 32 + 4) + 3 * 32);
        assert_eq!(w[w.len() - 32], 3, "little-endian, canonical");
    }
}
