// The local JSON-RPC node of the chain-anchor test (evm/tests/contracts.rs): Prague, so that the
// EIP-2537 precompiles are there. Started as `hardhat node --hostname 127.0.0.1 --port N`.
module.exports = {
  networks: {
    hardhat: { hardfork: "prague", chainId: 31337 },
  },
};
