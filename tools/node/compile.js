#!/usr/bin/env node
// Compiles Solidity files with solc-js (the pinned npm `solc`) for the Prague EVM, offline.
// Usage: node compile.js FILE.sol...
// Prints {"solc": version, "contracts": {NAME: {"abi": [...], "bytecode": hex, "deployedBytecode": hex}}}
// on standard output; compiler errors go to standard error with exit code 1.
"use strict";
const fs = require("fs");
const path = require("path");
const solc = require("solc");

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node compile.js FILE.sol...\n");
  process.exit(2);
}
const sources = {};
for (const f of files) {
  sources[path.basename(f)] = { content: fs.readFileSync(f, "utf8") };
}
const input = {
  language: "Solidity",
  sources,
  settings: {
    evmVersion: "prague",
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === "error");
for (const e of output.errors || []) {
  process.stderr.write(e.formattedMessage + "\n");
}
if (errors.length > 0) {
  process.exit(1);
}
const contracts = {};
for (const file of Object.keys(output.contracts || {})) {
  for (const [name, c] of Object.entries(output.contracts[file])) {
    contracts[name] = {
      abi: c.abi,
      bytecode: c.evm.bytecode.object,
      deployedBytecode: c.evm.deployedBytecode.object,
    };
  }
}
process.stdout.write(JSON.stringify({ solc: solc.version(), contracts }) + "\n");
