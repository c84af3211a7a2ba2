// The vectors of ceremony/src/ptau.rs's tests, from the pinned snarkjs (package-lock.json):
// snarkjs's getG2sp for the challenge 0, 1, ..., 63 and the points 2·G1, 3·G1, and its first
// challenge hash of a ceremony of 2^2.  Run: node tools/node/ptau-vectors.mjs
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const base = join(dirname(fileURLToPath(import.meta.url)), "node_modules");
const { getCurveFromName } = await import(base + "/snarkjs/src/curves.js");
const kp = await import(base + "/snarkjs/src/keypair.js");
const pu = await import(base + "/snarkjs/src/powersoftau_utils.js");
const curve = await getCurveFromName("bls12381", { singleThread: true });
const hex = (b) => Buffer.from(b).toString("hex");
const challenge = new Uint8Array(64).map((_, i) => i);
const g1s = curve.G1.toAffine(curve.G1.timesScalar(curve.G1.g, 2));
const g1sx = curve.G1.toAffine(curve.G1.timesScalar(curve.G1.g, 3));
for (const p of [0, 1, 2]) {
  const sp = curve.G2.toAffine(kp.getG2sp(curve, p, challenge, g1s, g1sx));
  console.log("g2sp", p, hex(curve.G2.toUncompressed(sp)));
}
console.log("first2", hex(pu.calculateFirstChallengeHash(curve, 2)));
await curve.terminate();
