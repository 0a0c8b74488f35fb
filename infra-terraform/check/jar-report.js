'use strict';
// The size of each function's Lambda jar: `node jar-report.js [--repo DIR] [--save FILE] [--compare FILE]`.
// Per function of functions/functions.json: the jar's size, its unzipped size (Lambda's limit is
// 250 MB unzipped, code from S3; 50 MB is the limit of a direct upload, which the Terraform no
// longer uses), its entries and its sha256. --save writes the hashes to FILE; --compare reads
// such a file and fails unless every jar is byte-identical to it (the reproducible-build proof:
// reproducible.sh). Exits non-zero when a jar is missing, too large, or differs.
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');

const UNZIPPED_LIMIT = 250 * 1024 * 1024;
const DIRECT_UPLOAD_LIMIT = 50 * 1024 * 1024;

// Entries and unzipped size from the zip's central directory (zip64 too: a shaded jar may hold more than 65,535 entries).
function zipSummary(buffer) {
  let eocd = -1;
  for (let i = buffer.length - 22; i >= Math.max(0, buffer.length - 22 - 65535); i--) {
    if (buffer.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  let entries = buffer.readUInt16LE(eocd + 10);
  let offset = buffer.readUInt32LE(eocd + 16);
  const locator = eocd - 20;
  if (locator >= 0 && buffer.readUInt32LE(locator) === 0x07064b50) {
    const eocd64 = Number(buffer.readBigUInt64LE(locator + 8));
    entries = Number(buffer.readBigUInt64LE(eocd64 + 32));
    offset = Number(buffer.readBigUInt64LE(eocd64 + 48));
  }
  let unzipped = 0;
  for (let n = 0; n < entries; n++) {
    if (buffer.readUInt32LE(offset) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    unzipped += buffer.readUInt32LE(offset + 24);
    offset += 46 + buffer.readUInt16LE(offset + 28) + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
  }
  return { entries, unzipped };
}

function report(repoRoot) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'functions', 'functions.json'), 'utf8'));
  return Object.keys(manifest.functions).map((name) => {
    const jar = path.join(repoRoot, 'functions', name, 'target', `${name}-lambda.jar`);
    if (!fs.existsSync(jar)) return { name, jar, missing: true };
    const buffer = fs.readFileSync(jar);
    return { name, jar, size: buffer.length, ...zipSummary(buffer), sha256: crypto.createHash('sha256').update(buffer).digest('hex') };
  });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1).padStart(6);

function main(argv) {
  const option = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : null; };
  const repoRoot = path.resolve(option('--repo') || path.join(__dirname, '..', '..'));
  const rows = report(repoRoot);
  const previous = option('--compare') ? JSON.parse(fs.readFileSync(option('--compare'), 'utf8')) : null;
  let failed = 0;
  console.log(`${'function'.padEnd(16)} ${'jar MB'.padStart(6)} ${'unzipped MB'.padStart(11)} ${'entries'.padStart(7)}  sha256${previous ? ' (against the saved build)' : ''}`);
  for (const r of rows) {
    if (r.missing) {
      console.log(`${r.name.padEnd(16)} missing: ${path.relative(repoRoot, r.jar)} (./mvnw package -DskipTests)`);
      failed++;
      continue;
    }
    const notes = [];
    if (r.unzipped > UNZIPPED_LIMIT) { notes.push('OVER the 250 MB unzipped limit of Lambda'); failed++; }
    if (r.size > DIRECT_UPLOAD_LIMIT) notes.push('over 50 MB: deployable only from S3');
    if (previous) {
      const same = previous[r.name] === r.sha256;
      notes.push(same ? 'identical' : `DIFFERS (was ${String(previous[r.name]).slice(0, 12)})`);
      if (!same) failed++;
    }
    console.log(`${r.name.padEnd(16)} ${mb(r.size)} ${mb(r.unzipped).padStart(11)} ${String(r.entries).padStart(7)}  ${r.sha256.slice(0, 16)}${notes.length ? '  ' + notes.join('; ') : ''}`);
  }
  if (option('--save')) {
    fs.writeFileSync(option('--save'), JSON.stringify(Object.fromEntries(rows.filter((r) => !r.missing).map((r) => [r.name, r.sha256])), null, 2));
  }
  return failed === 0 ? 0 : 1;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
module.exports = { zipSummary, report };
