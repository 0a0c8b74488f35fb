'use strict';
// The secrets a function reads are passed to it: every `${NAME_SECRET_ARN:}` of a function's
// application*.yml is an environment variable Terraform sets for that function (through the
// manifest's `uses` and the module's environment_by_dependency), and the secret it names is one
// the function may read (secrets_by_dependency: GetSecretValue). Without this, a deployed function
// finds the setting empty and answers 503 to what needs the secret, or is refused by IAM.
const fs = require('fs');
const path = require('path');
const { literalString } = require('./terraform');

// Settings a function may leave unset because another one replaces them: the database password
// secret, when the function logs in with IAM tokens instead.
const REPLACED_BY = { DATABASE_SECRET_ARN: 'FLASHSALE_DATABASE_IAM_AUTH' };

const ENV_MAP = 'environment_by_dependency';
const SECRETS_MAP = 'secrets_by_dependency';

// Calls visit on expr and on every expression below it.
function walk(expr, visit) {
  if (!expr || typeof expr !== 'object') return;
  visit(expr);
  for (const v of Object.values(expr)) {
    if (Array.isArray(v)) v.forEach((x) => x && typeof x === 'object' && (x.kind ? walk(x, visit) : walk(x.value, visit)));
    else if (v && typeof v === 'object' && v.kind) walk(v, visit);
  }
}

// Every object key written in expr (objects inside merge(), for collections, ...): name => item.
function objectKeys(expr) {
  const out = new Map();
  walk(expr, (e) => e.kind === 'object' && e.items.forEach((i) => i.keyName !== null && !out.has(i.keyName) && out.set(i.keyName, i)));
  return out;
}

// The literal indexes of references to local.secret_arns["key"] in expr.
function secretKeys(expr, out = new Set()) {
  walk(expr, (e) => {
    const [arns, index] = e.kind === 'traversal' && e.root === 'local' ? e.parts : [];
    const key = arns && arns.name === 'secret_arns' && index && index.type === 'index' ? literalString(index.expr) : null;
    if (key !== null) out.add(key);
  });
  return out;
}

// The `${NAME_SECRET_ARN` placeholders of a function's configuration files: [{ name, file, line }].
function secretSettings(repoRoot, fn) {
  const dir = path.join(repoRoot, 'functions', fn, 'src', 'main', 'resources');
  if (!fs.existsSync(dir)) return [];
  const found = [];
  for (const f of fs.readdirSync(dir).filter((n) => /^application.*\.ya?ml$/.test(n)).sort()) {
    const file = path.join(dir, f);
    fs.readFileSync(file, 'utf8').split('\n').forEach((text, i) => {
      if (/^\s*#/.test(text)) return;
      for (const m of text.matchAll(/\$\{([A-Z][A-Z0-9_]*_SECRET_ARN)\b/g)) found.push({ name: m[1], file, line: i + 1 });
    });
  }
  return found;
}

function checkSecretSettings(report, repoRoot, modulesByDir) {
  const manifestFile = path.join(repoRoot, 'functions', 'functions.json');
  const mod = [...modulesByDir.values()].find((m) => m.locals.has(ENV_MAP) && m.locals.has(SECRETS_MAP));
  if (!fs.existsSync(manifestFile) || !mod) return;
  let catalog;
  try {
    catalog = JSON.parse(fs.readFileSync(manifestFile, 'utf8')).functions || {};
  } catch (e) {
    return; // the manifest check reports it
  }
  const byDependency = (local) => {
    const expr = mod.locals.get(local).expr;
    return new Map(expr.kind === 'object' ? expr.items.filter((i) => i.keyName !== null).map((i) => [i.keyName, i]) : []);
  };
  const environment = byDependency(ENV_MAP);
  const secrets = byDependency(SECRETS_MAP);
  const local = (name) => mod.locals.get(name);

  for (const [fn, entry] of Object.entries(catalog)) {
    const uses = Array.isArray(entry.uses) ? entry.uses : [];
    report.check(`dependencies of ${fn} mapped by Terraform`, (error) => {
      for (const dependency of uses) {
        for (const name of [ENV_MAP, SECRETS_MAP]) {
          const map = name === ENV_MAP ? environment : secrets;
          if (!map.has(dependency)) error(local(name).file, local(name).line, `function "${fn}" uses "${dependency}" (functions/functions.json), which local.${name} does not map (the plan fails: add an entry, [] or {} if it needs none)`);
        }
      }
    });
    // what Terraform passes to the function, and the secrets it may read
    const passed = new Map();
    const readable = new Set();
    for (const dependency of uses) {
      if (environment.has(dependency)) {
        for (const [key, item] of objectKeys(environment.get(dependency).value)) passed.set(key, item);
      }
      if (secrets.has(dependency)) secretKeys(secrets.get(dependency).value, readable);
    }
    const seen = new Set();
    for (const setting of secretSettings(repoRoot, fn)) {
      if (seen.has(setting.name)) continue;
      seen.add(setting.name);
      report.check(`${setting.name} of ${fn} passed by Terraform`, (error) => {
        const replacement = REPLACED_BY[setting.name];
        if (passed.has(setting.name) || (replacement && passed.has(replacement))) return;
        error(setting.file, setting.line, `function "${fn}" reads ${setting.name}, which Terraform does not pass to it: none of its uses (${uses.join(', ') || 'none'}) sets it in local.${ENV_MAP} (${path.relative(repoRoot, local(ENV_MAP).file)})`);
      });
    }
    for (const [name, item] of passed) {
      if (!name.endsWith('_SECRET_ARN')) continue;
      report.check(`secret of ${name} readable by ${fn}`, (error) => {
        const missing = [...secretKeys(item.value)].filter((key) => !readable.has(key));
        for (const key of missing) {
          error(local(ENV_MAP).file, item.line, `${name} names the secret "${key}", but local.${SECRETS_MAP} gives function "${fn}" no GetSecretValue on it (uses: ${uses.join(', ')})`);
        }
      });
    }
  }
}

module.exports = { checkSecretSettings };
