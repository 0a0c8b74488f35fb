'use strict';
// Rules only AWS would enforce at apply time, or that only show weeks later,
// checked by reading the tree: RDS storage autoscaling above the allocation,
// Redis that never evicts sale state, and alarms only on metrics some code emits.
const fs = require('fs');
const path = require('path');
const { moduleSource, literalString, attr } = require('./terraform');

// Module calls below ctx (depth first) whose source directory is dir: [{ entry, ctx }],
// where ctx = { mod, call, callFile, caller } describes the calling chain.
function callsOf(ctx, modulesByDir, dir, depth = 0, out = []) {
  if (depth > 10) return out;
  for (const entry of ctx.mod.modules.values()) {
    const { dir: calleeDir } = moduleSource(ctx.mod.dir, entry.block);
    const callee = calleeDir && modulesByDir.get(calleeDir);
    if (!callee) continue;
    const inner = { mod: callee, call: entry.block, callFile: entry.file, caller: ctx };
    if (calleeDir === dir) out.push({ entry, ctx: inner });
    callsOf(inner, modulesByDir, dir, depth + 1, out);
  }
  return out;
}

// The default of field in a variable's type object(...optional(type, default)...).
function optionalDefault(typeExpr, field) {
  if (!typeExpr || typeExpr.kind !== 'call' || typeExpr.name !== 'object' || !typeExpr.args[0] || typeExpr.args[0].kind !== 'object') return undefined;
  const item = typeExpr.args[0].items.find((i) => i.keyName === field);
  const v = item && item.value;
  return v && v.kind === 'call' && v.name === 'optional' && v.args[1] ? v.args[1] : undefined;
}

// The number an expression has, followed statically through module variables, their
// defaults and optional() defaults of object types; null when only a plan would know.
function staticNumber(expr, ctx, depth = 0) {
  if (!expr || depth > 20) return null;
  if (expr.kind === 'literal') return typeof expr.value === 'number' ? expr.value : null;
  if (expr.kind === 'paren') return staticNumber(expr.expr, ctx, depth + 1);
  if (expr.kind !== 'traversal' || expr.root !== 'var' || !ctx) return null;
  const names = expr.parts.map((p) => (p.type === 'attr' ? p.name : null));
  if (names.length < 1 || names.length > 2 || names.includes(null)) return null;
  const [variable, field] = names;
  const declaration = ctx.mod.variables.get(variable);
  if (!declaration) return null;
  const passed = ctx.call && attr(ctx.call.body, variable);
  const fallback = attr(declaration.block.body, 'default');
  const value = passed ? { expr: passed.expr, ctx: ctx.caller } : fallback ? { expr: fallback.expr, ctx } : null;
  if (!field) return value ? staticNumber(value.expr, value.ctx, depth + 1) : null;
  if (value && value.expr.kind === 'object') {
    const item = value.expr.items.find((i) => i.keyName === field);
    if (item) return staticNumber(item.value, value.ctx, depth + 1);
  } else if (value && value.expr.kind !== 'object') return null;
  const type = attr(declaration.block.body, 'type');
  const optional = optionalDefault(type && type.expr, field);
  return optional ? staticNumber(optional, ctx, depth + 1) : null;
}

function checkRdsStorage(report, root, modulesByDir) {
  const envRoot = path.join(root, 'environments');
  const envs = fs.existsSync(envRoot) ? fs.readdirSync(envRoot).map((e) => path.join(envRoot, e)).filter((d) => modulesByDir.has(d)).sort() : [];
  for (const [dir, mod] of modulesByDir) {
    for (const [key, entry] of mod.resources) {
      if (!key.startsWith('aws_db_instance.')) continue;
      const allocated = attr(entry.block.body, 'allocated_storage');
      const maximum = attr(entry.block.body, 'max_allocated_storage');
      if (!allocated || !maximum) continue;
      const where = (ctxs) => ctxs.length ? ctxs : [{ mod, call: null, caller: null, env: null }];
      const contexts = where(envs.flatMap((env) => callsOf({ mod: modulesByDir.get(env), call: null, caller: null }, modulesByDir, dir).map(({ ctx }) => ({ ...ctx, env }))));
      for (const ctx of contexts) {
        const label = ctx.env ? path.basename(ctx.env) : path.basename(dir);
        report.check(`rds storage of ${key} in ${label}`, (error) => {
          const a = staticNumber(allocated.expr, ctx);
          const m = staticNumber(maximum.expr, ctx);
          if (a === null || m === null) return; // only a plan knows
          if (m !== 0 && m <= a) {
            error(entry.file, maximum.line, `${key} in ${label}: max_allocated_storage ${m} must be above allocated_storage ${a} (RDS refuses the apply), or 0`);
          }
        });
      }
    }
  }
}

// The parameter blocks of a parameter group, name => value (literal ones only).
function parameters(block) {
  const out = new Map();
  for (const b of block.body.blocks.filter((x) => x.type === 'parameter')) {
    const name = literalString(attr(b.body, 'name') && attr(b.body, 'name').expr);
    const value = literalString(attr(b.body, 'value') && attr(b.body, 'value').expr);
    if (name) out.set(name, value);
  }
  return out;
}

function checkRedisEviction(report, modulesByDir) {
  for (const mod of modulesByDir.values()) {
    for (const [key, entry] of mod.resources) {
      if (!key.startsWith('aws_elasticache_replication_group.')) continue;
      report.check(`redis eviction policy of ${key} in ${mod.dir}`, (error) => {
        const group = attr(entry.block.body, 'parameter_group_name');
        const ref = group && group.expr.kind === 'traversal' && group.expr.root === 'aws_elasticache_parameter_group' ? group.expr.parts[0].name : null;
        const params = ref && mod.resources.get(`aws_elasticache_parameter_group.${ref}`);
        if (!params) {
          error(entry.file, group ? group.line : entry.line, `${key} must use an aws_elasticache_parameter_group of this module with maxmemory-policy = noeviction (the default policy evicts sale state)`);
          return;
        }
        const policy = parameters(params.block).get('maxmemory-policy');
        if (policy !== 'noeviction') {
          error(params.file, params.line, `aws_elasticache_parameter_group.${ref} must set maxmemory-policy = noeviction (is ${policy === undefined ? 'unset: volatile-lru' : JSON.stringify(policy)}): an evicted key loses stock or a hold`);
        }
      });
    }
  }
}

// Every metric the module's alarms and dashboards name: an object expression (locals,
// resources) with a namespace and a metric (alarms), a metric alarm's own arguments, and
// every [namespace, metric, ...] tuple under a `metrics` key (CloudWatch dashboard widgets,
// in locals or in a dashboard's body), each with what names it (alarm or dashboard widget).
function metricObjects(mod) {
  const found = [];
  const children = (e) => {
    const out = [];
    for (const v of Object.values(e)) {
      if (Array.isArray(v)) v.forEach((x) => (x && typeof x === 'object' ? (x.kind ? out.push(x) : Object.values(x).forEach((y) => y && y.kind && out.push(y))) : null));
      else if (v && typeof v === 'object' && v.kind) out.push(v);
    }
    return out;
  };
  // the metric tuples anywhere below a `metrics` key: [ns, metric, ...], also from for and concat()
  const widgetMetrics = (e, file) => {
    if (!e || typeof e !== 'object') return;
    if (e.kind === 'tuple' && e.items.length >= 2) {
      const ns = literalString(e.items[0]);
      const metric = literalString(e.items[1]);
      if (ns !== null && metric !== null) {
        found.push({ namespace: ns, metric, file, line: e.items[1].line || e.line, by: 'dashboard widget' });
        return;
      }
    }
    children(e).forEach((c) => widgetMetrics(c, file));
  };
  const visit = (e, file) => {
    if (!e || typeof e !== 'object') return;
    if (e.kind === 'object') {
      const item = (k) => e.items.find((i) => i.keyName === k);
      const ns = item('namespace');
      const metric = item('metric') || item('metric_name');
      if (ns && metric && literalString(ns.value) !== null && literalString(metric.value) !== null) {
        found.push({ namespace: literalString(ns.value), metric: literalString(metric.value), file, line: metric.value.line || e.line, by: 'alarm' });
      }
      const metrics = item('metrics');
      if (metrics) widgetMetrics(metrics.value, file);
    }
    children(e).forEach((c) => visit(c, file));
  };
  for (const local of mod.locals.values()) visit(local.expr, local.file);
  for (const [key, entry] of mod.resources) {
    if (key.startsWith('aws_cloudwatch_dashboard.')) {
      const body = attr(entry.block.body, 'dashboard_body');
      if (body) visit(body.expr, entry.file);
    }
    if (!key.startsWith('aws_cloudwatch_metric_alarm.')) continue;
    const ns = attr(entry.block.body, 'namespace');
    const metric = attr(entry.block.body, 'metric_name');
    if (ns && metric && literalString(ns.expr) !== null && literalString(metric.expr) !== null) {
      found.push({ namespace: literalString(ns.expr), metric: literalString(metric.expr), file: entry.file, line: metric.line, by: 'alarm' });
    }
  }
  return found;
}

// The string literals of the Java main sources of the functions and shared.
function javaStringLiterals(repoRoot) {
  const literals = new Set();
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && !['target', 'test', 'node_modules'].includes(e.name)) walk(p);
      else if (e.isFile() && e.name.endsWith('.java')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/"((?:[^"\\\n]|\\.)*)"/g)) literals.add(m[1]);
    }
  };
  walk(path.join(repoRoot, 'functions'));
  walk(path.join(repoRoot, 'shared', 'src', 'main'));
  return literals;
}

// An alarm on a custom (non-AWS/) metric that no code emits never fires; a dashboard
// widget on one stays empty.
function checkAlarmMetrics(report, repoRoot, modulesByDir) {
  let literals = null;
  for (const mod of modulesByDir.values()) {
    for (const m of metricObjects(mod)) {
      if (m.namespace.startsWith('AWS/')) continue;
      report.check(`${m.by} metric ${m.namespace}/${m.metric} emitted (${mod.dir})`, (error) => {
        literals = literals || javaStringLiterals(repoRoot);
        if (!literals.has(m.metric)) {
          const consequence = m.by === 'alarm' ? 'the alarm could never fire' : 'the widget would stay empty';
          error(m.file, m.line, `${m.by} metric ${m.namespace}/${m.metric} is emitted by no code: "${m.metric}" is no string of functions/ or shared/ (${consequence})`);
        }
      });
    }
  }
}

// SnapStart snapshots published versions only: without publish = true the function
// runs $LATEST and every cold start is a full one.
function checkSnapStart(report, modulesByDir) {
  for (const mod of modulesByDir.values()) {
    for (const [key, entry] of mod.resources) {
      if (!key.startsWith('aws_lambda_function.')) continue;
      const snapStart = entry.block.body.blocks.find((b) => b.type === 'snap_start');
      if (!snapStart) continue;
      report.check(`snapstart of ${key} in ${mod.dir}`, (error) => {
        const publish = attr(entry.block.body, 'publish');
        if (!publish || publish.expr.kind !== 'literal' || publish.expr.value !== true) {
          error(entry.file, publish ? publish.line : snapStart.line, `${key} has snap_start but does not set publish = true: SnapStart applies to published versions only`);
        }
      });
    }
  }
}

function checkAwsRules(report, root, repoRoot, modulesByDir) {
  checkRdsStorage(report, root, modulesByDir);
  checkSnapStart(report, modulesByDir);
  checkRedisEviction(report, modulesByDir);
  checkAlarmMetrics(report, repoRoot, modulesByDir);
}

module.exports = { checkAwsRules, staticNumber };
