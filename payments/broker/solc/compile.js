// compile.js compiles payments/broker/contracts with the pinned solc-js
// (package.json) through its standard-JSON interface and writes, for each
// contract, <out>/<Name>.abi (JSON) and <out>/<Name>.bin (creation code,
// hex). Contracts under contracts/test/ go to <out>/test/.
//
// Usage: NODE_PATH=<dir with node_modules/solc> node compile.js <contracts dir> <out dir>
//
// The output is deterministic: sources are read in sorted order under
// relative names, and the metadata hash is left out of the bytecode, so the
// same sources always give the same bytes (make check relies on this to
// detect stale build output). Any compiler warning fails the build.
'use strict';

const fs = require('fs');
const path = require('path');
const solc = require('solc');

const SOLC_VERSION = '0.8.37';

function main(argv) {
  if (argv.length !== 2) {
    throw new Error('usage: node compile.js <contracts dir> <out dir>');
  }
  const [srcDir, outDir] = argv;
  const version = solc.version();
  if (!version.startsWith(SOLC_VERSION + '+')) {
    throw new Error(`solc ${version}, want ${SOLC_VERSION}: run npm ci`);
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input(srcDir))));
  const problems = output.errors || [];
  for (const p of problems) {
    process.stderr.write(p.formattedMessage + '\n');
  }
  if (problems.length > 0) {
    throw new Error(`${problems.length} compiler error(s) or warning(s)`);
  }
  for (const file of Object.keys(output.contracts).sort()) {
    const dir = path.join(outDir, path.dirname(file));
    fs.mkdirSync(dir, { recursive: true });
    for (const name of Object.keys(output.contracts[file]).sort()) {
      const c = output.contracts[file][name];
      fs.writeFileSync(path.join(dir, name + '.abi'), JSON.stringify(c.abi, null, 2) + '\n');
      fs.writeFileSync(path.join(dir, name + '.bin'), c.evm.bytecode.object);
    }
  }
}

// input is the standard-JSON compiler input for every .sol file in srcDir
// and its test/ subdirectory.
function input(srcDir) {
  const sources = {};
  for (const rel of solFiles(srcDir, '')) {
    sources[rel] = { content: fs.readFileSync(path.join(srcDir, rel), 'utf8') };
  }
  return {
    language: 'Solidity',
    sources,
    settings: {
      // Cancun has EIP-1153 transient storage (the reentrancy guard) and is
      // older than every chain castmesh targets (geth --dev and the
      // simulated backend run Osaka and later), so the code runs on both.
      evmVersion: 'cancun',
      optimizer: { enabled: true, runs: 200 },
      // No metadata hash: bytecode then depends on code, not comments.
      metadata: { bytecodeHash: 'none' },
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
}

// solFiles lists the .sol files under dir/rel, recursively, sorted.
function solFiles(dir, rel) {
  const out = [];
  const entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const r = rel === '' ? e.name : rel + '/' + e.name;
    if (e.isDirectory()) {
      out.push(...solFiles(dir, r));
    } else if (e.name.endsWith('.sol')) {
      out.push(r);
    }
  }
  return out;
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`compile.js: ${err.message}\n`);
  process.exit(1);
}
