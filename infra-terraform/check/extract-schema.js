#!/usr/bin/env node
// One-off dev step: turns the jsii assembly of @cdktn/provider-aws (CDK Terrain, the
// continuation of the frozen @cdktf/provider-aws; both are generated from hashicorp/aws)
// into the compact schema the offline check reads. Either package works.
//
//   cd "$(mktemp -d)" && npm install --no-audit --no-fund --ignore-scripts @cdktn/provider-aws@25.7.0
//   node /path/to/infra-terraform/check/extract-schema.js node_modules/@cdktn/provider-aws
//
// Output: aws-provider-schema.json beside this script (or the path given as the
// second argument); about 1 MB, so it is committed as plain JSON. Format, per resource and data source type:
//   { "a": [arguments], "r": [required arguments and blocks], "c": [computed-only
//     attributes], "b": { block: <same shape, nested> }, "n": [nested attributes,
//     which may be written as an attribute or as a block] }
'use strict';
const fs = require('fs');
const path = require('path');

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: extract-schema.js <path to node_modules/@cdktn/provider-aws> [output.json]');
  process.exit(2);
}
const out = process.argv[3] || path.join(__dirname, 'aws-provider-schema.json');
const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const jsii = JSON.parse(fs.readFileSync(path.join(pkgDir, '.jsii'), 'utf8'));
const types = jsii.types;
const OWN = `${pkg.name}.`;
// the CDK core the provider package is built on: cdktf (@cdktf/...) or cdktn (@cdktn/...)
const CORE = pkg.name.startsWith('@cdktn/') ? 'cdktn' : 'cdktf';
const META = new Set(['count', 'dependsOn', 'forEach', 'lifecycle', 'provider', 'connection', 'provisioners']);

const snake = (camel) => camel.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());

function tfName(prop) {
  const summary = (prop.docs && prop.docs.summary) || '';
  let m = summary.match(/^(\w+) block\.$/);
  if (m) return m[1];
  m = summary.match(/\{@link \S+#(\w+) \w+#\w+\}/);
  if (m) return m[1];
  return snake(prop.name);
}

// The struct a property's type refers to, if any (direct, list of, or resolvable-or-list-of).
function structOf(type) {
  if (!type) return null;
  if (type.fqn) return type.fqn.startsWith(OWN) && types[type.fqn] && types[type.fqn].datatype ? type.fqn : null;
  if (type.collection) return structOf(type.collection.elementtype);
  if (type.union) {
    for (const t of type.union.types) {
      const s = structOf(t);
      if (s) return s;
    }
  }
  return null;
}

function block(fqn, seen = new Set()) {
  const t = types[fqn];
  const node = { a: [], r: [], b: {}, n: [] };
  if (seen.has(fqn)) return node; // no recursive schemas in this provider, but stay safe
  seen = new Set(seen).add(fqn);
  for (const p of t.properties || []) {
    if (META.has(p.name) && (t.interfaces || []).includes(`${CORE}.TerraformMetaArguments`)) continue;
    const name = tfName(p);
    const struct = structOf(p.type);
    const isBlock = /^\w+ block\.$/.test((p.docs && p.docs.summary) || '');
    if (struct) {
      node.b[name] = block(struct, seen);
      if (!isBlock) {
        node.n.push(name);
        node.a.push(name);
      }
    } else {
      node.a.push(name);
    }
    if (!p.optional) node.r.push(name);
  }
  for (const k of ['a', 'r', 'n']) {
    node[k].sort();
    if (!node[k].length) delete node[k];
  }
  if (!Object.keys(node.b).length) delete node.b;
  return node;
}

const schema = {
  provider: 'registry.terraform.io/hashicorp/aws',
  provider_version: null,
  source: `${pkg.name}@${pkg.version}`,
  generated_by: 'infra-terraform/check/extract-schema.js',
  resource: {},
  data: {},
};

for (const t of Object.values(types)) {
  if (t.kind !== 'class') continue;
  const kind = t.base === `${CORE}.TerraformResource` ? 'resource' : t.base === `${CORE}.TerraformDataSource` ? 'data' : null;
  if (!kind) continue;
  const m = ((t.docs && t.docs.summary) || '').match(/\{@link https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/([\w.]+)\/docs\/(resources|data-sources)\/\w+ (aws_\w+)\}/);
  if (!m) throw new Error(`cannot read the Terraform type of ${t.fqn}`);
  const [, version, , tfType] = m;
  if (schema.provider_version && schema.provider_version !== version) throw new Error(`mixed provider versions ${version}`);
  schema.provider_version = version;
  const configParam = (t.initializer.parameters || []).find((p) => p.name === 'config');
  const node = block(configParam.type.fqn);
  const known = new Set([...(node.a || []), ...Object.keys(node.b || {})]);
  const computed = new Set();
  for (const p of t.properties || []) {
    if (p.static || p.name.endsWith('Input') || p.protected) continue;
    let name = snake(p.name);
    if (/Attribute$/.test(p.name)) name = snake(p.name.replace(/Attribute$/, ''));
    if (!known.has(name)) computed.add(name);
  }
  if (computed.size) node.c = [...computed].sort();
  schema[kind][tfType] = node;
}

if (!schema.provider_version.startsWith('6.')) throw new Error(`expected AWS provider 6.x, got ${schema.provider_version}`);
// One type a line, so that a provider upgrade shows as a readable diff.
const section = (obj) => '{\n' + Object.keys(obj).sort().map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(obj[k])}`).join(',\n') + '\n}';
const head = Object.entries(schema).filter(([k]) => k !== 'resource' && k !== 'data').map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
const json = `{${head.join(', ')},\n"resource": ${section(schema.resource)},\n"data": ${section(schema.data)}\n}\n`;
JSON.parse(json);
fs.writeFileSync(out, json);
console.log(`${out}: aws provider ${schema.provider_version} from ${schema.source}: ` +
  `${Object.keys(schema.resource).length} resources, ${Object.keys(schema.data).length} data sources, ` +
  `${(json.length / 1e6).toFixed(2)} MB`);
