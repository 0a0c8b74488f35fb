'use strict';
// The offline checks of an infra-terraform tree. runChecks() returns every check
// with its errors; nothing here needs terraform, a provider or the network.
const fs = require('fs');
const path = require('path');
const { references } = require('./hcl');
const { findModuleDirs, loadModule, moduleSource, literalString, attr } = require('./terraform');
const { TERRAFORM_FUNCTIONS } = require('./functions');
const { checkAwsRules } = require('./aws-rules');
const { checkSecretSettings } = require('./settings');

const STANDARD_FILES = ['main.tf', 'variables.tf', 'outputs.tf', 'versions.tf', 'README.md'];
const RESOURCE_META = new Set(['count', 'for_each', 'provider', 'depends_on']);
const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'depends_on', 'providers']);
const LIFECYCLE = { a: ['create_before_destroy', 'prevent_destroy', 'ignore_changes', 'replace_triggered_by'], b: { precondition: { a: ['condition', 'error_message'], r: ['condition', 'error_message'] }, postcondition: { a: ['condition', 'error_message'], r: ['condition', 'error_message'] } } };
const TERRAFORM_DATA = { a: ['id', 'input', 'triggers_replace'], c: ['output'] };
const FALLBACK_FUNCTIONS = ['token', 'buy', 'result', 'admin', 'order-consumer', 'reconciliation'];

function levenshtein(a, b) {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

function suggest(name, candidates) {
  let best = null;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = levenshtein(name, c);
    if (distance < bestDistance) {
      best = c;
      bestDistance = distance;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? ` (did you mean "${best}"?)` : '';
}

const stripComments = (xml) => xml.replace(/<!--[\s\S]*?-->/g, '');

// A module under functions/ is a Lambda function when its pom names the artifact
// in <lambda.name> (target/<lambda.name>-lambda.jar, see the root pom); a module
// without it (functions/http-common) is a library. A listed module whose pom does
// not exist yet counts as a function named after its directory.
function lambdaName(repoRoot, dir) {
  const pom = path.join(repoRoot, 'functions', dir, 'pom.xml');
  if (!fs.existsSync(pom)) return dir;
  const m = /<lambda\.name>\s*([^<\s]+)\s*<\/lambda\.name>/.exec(stripComments(fs.readFileSync(pom, 'utf8')));
  return m ? m[1] : null;
}

// The function names of the Maven build: <module>functions/NAME</module> entries of
// the root pom, else functions/*/pom.xml, else the fixed list of the design.
function mavenFunctions(repoRoot) {
  const pom = path.join(repoRoot, 'pom.xml');
  if (fs.existsSync(pom)) {
    const text = stripComments(fs.readFileSync(pom, 'utf8'));
    const dirs = [...text.matchAll(/<module>\s*functions\/([^<\s/]+)\s*<\/module>/g)].map((m) => m[1]);
    const names = dirs.map((d) => lambdaName(repoRoot, d)).filter(Boolean);
    if (names.length) return { names, source: 'the functions/ modules of pom.xml' };
  }
  const dir = path.join(repoRoot, 'functions');
  if (fs.existsSync(dir)) {
    const dirs = fs.readdirSync(dir).filter((n) => fs.existsSync(path.join(dir, n, 'pom.xml'))).sort();
    const names = dirs.map((d) => lambdaName(repoRoot, d)).filter(Boolean);
    if (names.length) return { names, source: 'functions/*/pom.xml' };
  }
  return { names: FALLBACK_FUNCTIONS, source: 'the fixed list of the design' };
}

class Report {
  constructor(repoRoot) {
    this.repoRoot = repoRoot;
    this.checks = [];
  }

  where(file, line) {
    const rel = path.relative(this.repoRoot, file);
    return `${rel.startsWith('..') ? file : rel}:${line}`;
  }

  // Runs one check: fn receives error(file, line, message) and may call it any number of times.
  check(name, fn) {
    const errors = [];
    fn((file, line, message) => errors.push(`${this.where(file, line)}: ${message}`));
    this.checks.push({ name, errors });
  }

  get passed() {
    return this.checks.filter((c) => !c.errors.length).length;
  }

  get failed() {
    return this.checks.filter((c) => c.errors.length).length;
  }

  get errors() {
    return this.checks.flatMap((c) => c.errors);
  }
}

function loadSchema(schemaPath) {
  return JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
}

function schemaOf(schema, kind, type) {
  if (kind === 'resource' && type === 'terraform_data') return TERRAFORM_DATA;
  return schema[kind === 'resource' ? 'resource' : 'data'][type] || null;
}

const attributesOf = (node) => new Set([...(node.a || []), ...Object.keys(node.b || {}), ...(node.c || []), 'id']);

// ---- schema of resource and data blocks -------------------------------------

function checkBody(body, node, what, file, error, top, line) {
  const args = new Set(node.a || []);
  const blocks = node.b || {};
  const present = new Set();
  for (const a of body.attributes) {
    present.add(a.name);
    if (top && RESOURCE_META.has(a.name)) continue;
    if (!args.has(a.name)) {
      const computed = (node.c || []).includes(a.name) ? ' (it is computed: read it, do not set it)' : '';
      error(file, a.line, `${what} has no argument "${a.name}"${computed}${suggest(a.name, [...args, ...Object.keys(blocks)])}`);
    }
  }
  for (const b of body.blocks) {
    if (top && b.type === 'lifecycle') {
      checkBody(b.body, LIFECYCLE, `lifecycle of ${what}`, file, error, false, b.line);
      continue;
    }
    if (top && (b.type === 'provisioner' || b.type === 'connection')) continue;
    if (b.type === 'dynamic') {
      const label = b.labels[0];
      present.add(label);
      if (!blocks[label]) {
        error(file, b.line, `${what} has no block "${label}"${suggest(label, Object.keys(blocks))}`);
        continue;
      }
      for (const a of b.body.attributes) {
        if (!['for_each', 'iterator', 'labels'].includes(a.name)) error(file, a.line, `dynamic "${label}" has no argument "${a.name}"`);
      }
      if (!attr(b.body, 'for_each')) error(file, b.line, `dynamic "${label}" needs for_each`);
      const contents = b.body.blocks.filter((x) => x.type === 'content');
      if (contents.length !== 1) error(file, b.line, `dynamic "${label}" needs exactly one content block`);
      for (const x of b.body.blocks) if (x.type !== 'content') error(file, x.line, `dynamic "${label}" has no block "${x.type}"`);
      for (const c of contents) checkBody(c.body, blocks[label], `${label} of ${what}`, file, error, false, c.line);
      continue;
    }
    present.add(b.type);
    if (!blocks[b.type]) {
      const hint = args.has(b.type) ? ` ("${b.type}" is an argument: write ${b.type} = ...)` : suggest(b.type, Object.keys(blocks));
      error(file, b.line, `${what} has no block "${b.type}"${hint}`);
      continue;
    }
    checkBody(b.body, blocks[b.type], `${b.type} of ${what}`, file, error, false, b.line);
  }
  for (const r of node.r || []) {
    if (!present.has(r)) error(file, line, `${what} is missing the required ${blocks[r] && !args.has(r) ? 'block' : 'argument'} "${r}"`);
  }
}

function checkSchema(report, mod, schema) {
  for (const [kind, map] of [['resource', mod.resources], ['data', mod.data]]) {
    for (const [key, entry] of map) {
      const type = entry.block.labels[0];
      const label = kind === 'data' ? `data.${key}` : key;
      report.check(`schema of ${label}`, (error) => {
        const node = schemaOf(schema, kind, type);
        if (!node) {
          const known = Object.keys(schema[kind === 'resource' ? 'resource' : 'data']);
          error(entry.file, entry.line, `${kind === 'data' ? 'data source' : 'resource type'} "${type}" is not in the AWS provider ${schema.provider_version} schema${suggest(type, known)}`);
          return;
        }
        checkBody(entry.block.body, node, `${kind === 'data' ? 'data source' : 'resource'} ${type}`, entry.file, error, true, entry.line);
      });
    }
  }
}

// ---- variables, outputs, standard files, versions -----------------------------

function checkVariables(report, mod) {
  for (const [name, entry] of mod.variables) {
    report.check(`variable ${name}`, (error) => {
      const description = attr(entry.block.body, 'description');
      if (!description) error(entry.file, entry.line, `variable "${name}" has no description`);
      else if (!literalString(description.expr) || !literalString(description.expr).trim()) error(entry.file, description.line, `variable "${name}" has an empty or computed description`);
      if (!attr(entry.block.body, 'type')) error(entry.file, entry.line, `variable "${name}" has no type`);
    });
  }
}

function checkOutputs(report, mod) {
  for (const [name, entry] of mod.outputs) {
    report.check(`output ${name}`, (error) => {
      if (!attr(entry.block.body, 'description')) error(entry.file, entry.line, `output "${name}" has no description`);
      if (!attr(entry.block.body, 'value')) error(entry.file, entry.line, `output "${name}" has no value`);
    });
  }
}

function checkStandardFiles(report, dir) {
  report.check(`standard files of ${dir}`, (error) => {
    for (const f of STANDARD_FILES) if (!fs.existsSync(path.join(dir, f))) error(path.join(dir, f), 1, `module ${path.basename(dir)} has no ${f}`);
  });
}

function checkVersions(report, mod) {
  report.check(`versions of ${mod.dir}`, (error) => {
    const versionsFile = path.join(mod.dir, 'versions.tf');
    // the terraform block with the requirements (another may hold only the backend)
    const terraform = mod.terraform.find((t) => attr(t.block.body, 'required_version') || t.block.body.blocks.some((b) => b.type === 'required_providers'));
    if (!terraform) {
      error(versionsFile, 1, 'no terraform block with required_version and required_providers');
      return;
    }
    const rv = attr(terraform.block.body, 'required_version');
    const rvText = rv && literalString(rv.expr);
    const min = rvText && /(>=|~>)\s*1\.(\d+)/.exec(rvText);
    // 1.10: the S3 backend's use_lockfile (prod) does not exist before
    if (!min || Number(min[2]) < 10) error(terraform.file, rv ? rv.line : terraform.line, `required_version must require Terraform >= 1.10, which use_lockfile of the S3 backend needs (is ${rvText === null || rvText === undefined ? 'missing' : JSON.stringify(rvText)})`);
    const rp = terraform.block.body.blocks.find((b) => b.type === 'required_providers');
    const aws = rp && attr(rp.body, 'aws');
    if (!aws || aws.expr.kind !== 'object') {
      error(terraform.file, rp ? rp.line : terraform.line, 'required_providers has no aws = { source, version }');
      return;
    }
    const item = (k) => aws.expr.items.find((i) => i.keyName === k);
    const source = item('source') && literalString(item('source').value);
    const version = item('version') && literalString(item('version').value);
    if (source !== 'hashicorp/aws') error(terraform.file, aws.line, `the aws provider's source must be "hashicorp/aws" (is ${JSON.stringify(source)})`);
    const pinned = version && (/^\s*~>\s*6\.\d+(\.\d+)?\s*$/.test(version) || (/>=\s*6(\.\d+)*/.test(version) && /<\s*7(\.0)*\b/.test(version)));
    if (!pinned) error(terraform.file, aws.line, `the aws provider must be pinned to 6.x ("~> 6.0" or ">= 6.0, < 7.0"; is ${JSON.stringify(version)})`);
  });
}

// ---- references --------------------------------------------------------------

// Calls fn(expr, scope, context) for every expression of a block, where context
// says what the enclosing top-level block allows (each, count, self).
function forEachExpression(block, fn) {
  const top = { hasEach: Boolean(attr(block.body, 'for_each')), hasCount: Boolean(attr(block.body, 'count')), kind: block.type };
  const walk = (body, scope, inLifecycle) => {
    for (const a of body.attributes) {
      if (block.type === 'variable' && a.name === 'type' && body === block.body) continue;
      if (inLifecycle && a.name === 'ignore_changes') continue;
      if (block.type === 'module' && body === block.body && (a.name === 'source' || a.name === 'providers' || a.name === 'version')) continue;
      fn(a.expr, scope, top, a.line);
    }
    for (const b of body.blocks) {
      if (b.type === 'dynamic') {
        const iterator = attr(b.body, 'iterator');
        const name = iterator && iterator.expr.kind === 'traversal' ? iterator.expr.root : b.labels[0];
        for (const a of b.body.attributes) if (a.name !== 'iterator') fn(a.expr, scope, top, a.line);
        const inner = new Set([...scope, name]);
        for (const c of b.body.blocks) walk(c.body, inner, false);
      } else walk(b.body, scope, inLifecycle || b.type === 'lifecycle');
    }
  };
  walk(block.body, new Set(), false);
}

function checkCalls(expr, error, file) {
  const visit = (e) => {
    if (!e || typeof e !== 'object') return;
    if (e.kind === 'call' && !TERRAFORM_FUNCTIONS.has(e.name)) error(file, e.line, `unknown function "${e.name}"${suggest(e.name, TERRAFORM_FUNCTIONS)}`);
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) v.forEach((x) => (x && typeof x === 'object' ? (x.kind ? visit(x) : Object.values(x).forEach(visit)) : null));
      else if (v && typeof v === 'object' && v.kind) visit(v);
    }
  };
  visit(expr);
}

function checkReferences(report, mod, modulesByDir, schema) {
  for (const { file, ast } of mod.files) {
    report.check(`references of ${file}`, (error) => {
      for (const block of ast.body.blocks) {
        if (block.type === 'terraform') continue;
        forEachExpression(block, (expr, scope, top) => {
          checkCalls(expr, error, file);
          for (const ref of references(expr, scope)) checkReference(ref, top, mod, modulesByDir, schema, file, error);
        });
      }
    });
  }
}

function firstAttrAfterIndexes(parts, from) {
  let i = from;
  while (i < parts.length && parts[i].type !== 'attr') i++;
  return i < parts.length ? parts[i].name : null;
}

function checkReference(ref, top, mod, modulesByDir, schema, file, error) {
  const p = ref.parts;
  const name = p[0] && p[0].type === 'attr' ? p[0].name : null;
  const here = (message) => error(file, ref.line, message);
  switch (ref.root) {
    case 'var':
      if (!name || !mod.variables.has(name)) here(`var.${name} is not a declared variable${suggest(name || '', mod.variables.keys())}`);
      return;
    case 'local':
      if (!name || !mod.locals.has(name)) here(`local.${name} is not a declared local value${suggest(name || '', mod.locals.keys())}`);
      return;
    case 'module': {
      if (!name || !mod.modules.has(name)) {
        here(`module.${name} is not a module call of this module${suggest(name || '', mod.modules.keys())}`);
        return;
      }
      const { dir } = moduleSource(mod.dir, mod.modules.get(name).block);
      const callee = dir && modulesByDir.get(dir);
      const output = firstAttrAfterIndexes(p, 1);
      if (callee && output && !callee.outputs.has(output)) here(`module.${name} has no output "${output}"${suggest(output, callee.outputs.keys())}`);
      return;
    }
    case 'data': {
      const type = name;
      const label = p[1] && p[1].type === 'attr' ? p[1].name : null;
      if (!type || !label || !mod.data.has(`${type}.${label}`)) {
        here(`data.${type}.${label} is not a data source of this module`);
        return;
      }
      const node = schemaOf(schema, 'data', type);
      const attribute = firstAttrAfterIndexes(p, 2);
      if (node && attribute && !attributesOf(node).has(attribute)) here(`data source ${type} has no attribute "${attribute}"${suggest(attribute, attributesOf(node))}`);
      return;
    }
    case 'each':
      if (!top.hasEach) here('each is only available in a block with for_each');
      else if (!['key', 'value'].includes(name)) here(`each.${name}: only each.key and each.value exist`);
      return;
    case 'count':
      if (!top.hasCount) here('count.index is only available in a block with count');
      return;
    case 'path':
      if (!['module', 'root', 'cwd'].includes(name)) here(`path.${name}: only path.module, path.root and path.cwd exist`);
      return;
    case 'terraform':
      if (name !== 'workspace') here(`terraform.${name}: only terraform.workspace exists`);
      return;
    case 'self':
      return;
    default: {
      const key = name ? `${ref.root}.${name}` : null;
      if (key && mod.resources.has(key)) {
        const node = schemaOf(schema, 'resource', ref.root);
        const attribute = firstAttrAfterIndexes(p, 1);
        if (node && attribute && !attributesOf(node).has(attribute)) here(`resource ${ref.root} has no attribute "${attribute}"${suggest(attribute, attributesOf(node))}`);
        return;
      }
      if (schemaOf(schema, 'resource', ref.root) || mod.resources.size && [...mod.resources.keys()].some((k) => k.startsWith(`${ref.root}.`))) {
        here(`${ref.root}.${name} is not a resource of this module${suggest(key || '', mod.resources.keys())}`);
      } else here(`unknown name "${ref.root}" (not a variable, local, resource, data source, module or bound name)`);
    }
  }
}

// ---- module calls ------------------------------------------------------------

function checkModuleCalls(report, mod, modulesByDir) {
  for (const [name, entry] of mod.modules) {
    report.check(`module call ${name} in ${mod.dir}`, (error) => {
      const { source, dir } = moduleSource(mod.dir, entry.block);
      if (source === null) {
        error(entry.file, entry.line, `module "${name}" has no literal source`);
        return;
      }
      if (!dir) return; // a registry module: nothing to check offline
      const callee = modulesByDir.get(dir);
      if (!callee) {
        error(entry.file, attr(entry.block.body, 'source').line, `module "${name}": source ${source} is not a directory with .tf files`);
        return;
      }
      for (const a of entry.block.body.attributes) {
        if (MODULE_META.has(a.name)) continue;
        if (!callee.variables.has(a.name)) error(entry.file, a.line, `module "${name}" (${source}) has no variable "${a.name}"${suggest(a.name, callee.variables.keys())}`);
      }
      for (const b of entry.block.body.blocks) error(entry.file, b.line, `module "${name}": a module call takes no "${b.type}" block`);
      for (const [variable, declaration] of callee.variables) {
        if (!attr(declaration.block.body, 'default') && !attr(entry.block.body, variable)) {
          error(entry.file, entry.line, `module "${name}" does not set the required variable "${variable}" of ${source}`);
        }
      }
    });
  }
}

// ---- every Maven function has its Lambda --------------------------------------

// The keys a for_each expression has, found statically, or null when they depend
// on something only known at plan time: { keys, file, line } where file and line
// are those of the definition the keys were read from. ctx = { mod, call,
// callFile, caller } (call: the module block that instantiated mod, in caller).
function staticKeys(expr, ctx, origin, depth = 0) {
  if (!expr || depth > 20) return null;
  const done = (keys) => ({ keys, file: origin.file, line: origin.line });
  switch (expr.kind) {
    case 'object':
      return expr.items.every((i) => i.keyName !== null) ? done(new Set(expr.items.map((i) => i.keyName))) : null;
    case 'tuple': {
      const values = expr.items.map(literalString);
      return values.every((v) => v !== null) ? done(new Set(values)) : null;
    }
    case 'paren':
      return staticKeys(expr.expr, ctx, origin, depth + 1);
    case 'call': {
      const found = expr.args.map((a) => staticKeys(a, ctx, origin, depth + 1));
      if (found.some((s) => s === null)) return null;
      if (['toset', 'tomap', 'keys'].includes(expr.name) && found.length === 1) return found[0];
      if (['merge', 'setunion', 'concat'].includes(expr.name) && !expr.expand) return done(new Set(found.flatMap((s) => [...s.keys])));
      return null;
    }
    case 'traversal': {
      if (expr.parts.length !== 1 || expr.parts[0].type !== 'attr') return null;
      const name = expr.parts[0].name;
      if (expr.root === 'local' && ctx.mod.locals.has(name)) {
        const local = ctx.mod.locals.get(name);
        return staticKeys(local.expr, ctx, { file: local.file, line: local.line }, depth + 1);
      }
      if (expr.root === 'var' && ctx.mod.variables.has(name)) {
        const passed = ctx.call && attr(ctx.call.body, name);
        if (passed) return staticKeys(passed.expr, ctx.caller, { file: ctx.callFile, line: passed.line }, depth + 1);
        const variable = ctx.mod.variables.get(name);
        const fallback = attr(variable.block.body, 'default');
        return fallback ? staticKeys(fallback.expr, ctx, { file: variable.file, line: fallback.line }, depth + 1) : null;
      }
      return null;
    }
    case 'for': {
      const keyVar = expr.keyVar || expr.valVar;
      if (expr.cond) return null;
      const keyIsVar = (e) => e && e.kind === 'traversal' && e.root === keyVar && e.parts.length === 0;
      if (expr.isObject ? keyIsVar(expr.keyExpr) : keyIsVar(expr.valExpr)) return staticKeys(expr.coll, ctx, origin, depth + 1);
      return null;
    }
    default:
      return null;
  }
}

// Module calls below ctx whose source is the function module: [{ call, ctx }].
function functionModuleCalls(ctx, modulesByDir, functionDir, depth = 0, out = []) {
  if (depth > 10) return out;
  for (const entry of ctx.mod.modules.values()) {
    const { dir } = moduleSource(ctx.mod.dir, entry.block);
    const callee = dir && modulesByDir.get(dir);
    if (!callee) continue;
    if (dir === functionDir) out.push({ entry, ctx });
    else functionModuleCalls({ mod: callee, call: entry.block, callFile: entry.file, caller: ctx }, modulesByDir, functionDir, depth + 1, out);
  }
  return out;
}

function templateText(expr) {
  if (!expr || expr.kind !== 'template') return '';
  return expr.parts.map((p) => (typeof p === 'string' ? p : '${}')).join('');
}

// functions/functions.json, the one list of the functions that Terraform and the local runtime read,
// names exactly the functions of the Maven build (a repository without it is not checked here).
function checkManifest(report, repoRoot, names, source) {
  const file = path.join(repoRoot, 'functions', 'functions.json');
  if (!fs.existsSync(file)) return;
  report.check(`function manifest ${file}`, (error) => {
    const text = fs.readFileSync(file, 'utf8');
    let listed;
    try {
      listed = Object.keys(JSON.parse(text).functions || {});
    } catch (e) {
      error(file, 1, `not JSON: ${e.message}`);
      return;
    }
    const lineOf = (name) => {
      const at = text.indexOf(`"${name}": {`);
      return at < 0 ? 1 : text.slice(0, at).split('\n').length;
    };
    for (const name of names) {
      if (!listed.includes(name)) error(file, 1, `function "${name}" of the Maven build (${source}) is not in the manifest`);
    }
    for (const name of listed) {
      if (!names.includes(name)) error(file, lineOf(name), `the manifest names function "${name}", which the Maven build (${source}) does not have`);
    }
  });
}

function checkFunctions(report, root, repoRoot, modulesByDir) {
  const { names, source } = mavenFunctions(repoRoot);
  checkManifest(report, repoRoot, names, source);
  const functionDir = path.join(root, 'modules', 'function');
  const envRoot = path.join(root, 'environments');
  const envs = fs.existsSync(envRoot) ? fs.readdirSync(envRoot).map((e) => path.join(envRoot, e)).filter((d) => modulesByDir.has(d)).sort() : [];
  for (const env of envs) {
    const envMod = modulesByDir.get(env);
    const calls = functionModuleCalls({ mod: envMod, call: null, caller: null }, modulesByDir, functionDir);
    const deployed = new Set();
    let unknown = null;
    let origin = null;
    report.check(`function module calls of ${env}`, (error) => {
      const envFile = envMod.files.find((f) => f.file.endsWith('main.tf')) || envMod.files[0];
      if (!calls.length) {
        error(envFile.file, 1, `environment ${path.basename(env)} never calls modules/function`);
        return;
      }
      for (const { entry, ctx } of calls) {
        const forEach = attr(entry.block.body, 'for_each');
        const here = { file: entry.file, line: forEach ? forEach.line : entry.line };
        const name = literalString(attr(entry.block.body, 'name') && attr(entry.block.body, 'name').expr);
        const found = forEach ? staticKeys(forEach.expr, ctx, here) : { ...here, keys: new Set(name ? [name] : []) };
        if (!found) {
          unknown = entry;
          error(here.file, here.line, 'cannot tell statically which functions this for_each deploys (use a map with literal keys)');
          continue;
        }
        origin = origin || found;
        found.keys.forEach((k) => deployed.add(k));
        const artifact = attr(entry.block.body, 'artifact_path');
        const text = templateText(artifact && artifact.expr);
        if (!artifact || !/\/target\/\$\{\}-lambda\.jar$/.test(text)) {
          error(entry.file, artifact ? artifact.line : entry.line, 'artifact_path must be functions/<name>/target/<name>-lambda.jar of the Maven build');
        }
        for (const k of found.keys) {
          if (!names.includes(k)) error(found.file, found.line, `function "${k}" is deployed but the Maven build has no such function (${source})`);
        }
      }
    });
    for (const name of names) {
      report.check(`function ${name} in ${env}`, (error) => {
        if (unknown || !calls.length) return; // reported above
        if (!deployed.has(name)) error(origin.file, origin.line, `function "${name}" of the Maven build (${source}) has no Lambda in environment ${path.basename(env)}`);
      });
    }
  }
}

// ---- entry point ---------------------------------------------------------------

// exclude: directories whose .tf files are only parsed (the check's own fixtures).
function runChecks({ root, repoRoot = path.dirname(path.resolve(root)), schemaPath, exclude = [] }) {
  root = path.resolve(root);
  const schema = loadSchema(schemaPath);
  const report = new Report(repoRoot);
  const dirs = findModuleDirs(root, exclude);
  const modulesByDir = new Map(dirs.map((d) => [d, loadModule(d)]));

  for (const mod of modulesByDir.values()) {
    for (const f of fs.readdirSync(mod.dir).filter((n) => n.endsWith('.tf'))) {
      const file = path.join(mod.dir, f);
      report.check(`syntax of ${file}`, (error) => {
        for (const e of mod.parseErrors.filter((x) => x.file === file)) error(e.file, e.line, e.message);
        for (const e of mod.duplicates.filter((x) => x.file === file)) error(e.file, e.line, e.message);
      });
    }
  }
  for (const dir of exclude.filter((d) => fs.existsSync(d)).flatMap((d) => findModuleDirs(d))) {
    const mod = loadModule(dir);
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.tf'))) {
      const file = path.join(dir, f);
      report.check(`syntax of ${file}`, (error) => {
        for (const e of mod.parseErrors.filter((x) => x.file === file)) error(e.file, e.line, e.message);
      });
    }
  }
  const modulesRoot = path.join(root, 'modules');
  if (fs.existsSync(modulesRoot)) {
    for (const d of fs.readdirSync(modulesRoot, { withFileTypes: true })) if (d.isDirectory()) checkStandardFiles(report, path.join(modulesRoot, d.name));
  }
  for (const mod of modulesByDir.values()) {
    const inModules = path.dirname(mod.dir) === modulesRoot;
    const inEnvironments = path.dirname(mod.dir) === path.join(root, 'environments');
    if (inModules || inEnvironments) checkVersions(report, mod);
    checkVariables(report, mod);
    checkOutputs(report, mod);
    checkSchema(report, mod, schema);
    checkReferences(report, mod, modulesByDir, schema);
    checkModuleCalls(report, mod, modulesByDir);
  }
  checkFunctions(report, root, repoRoot, modulesByDir);
  checkAwsRules(report, root, repoRoot, modulesByDir);
  checkSecretSettings(report, repoRoot, modulesByDir);
  return report;
}

module.exports = { runChecks, mavenFunctions, staticKeys, levenshtein };
