// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { i as __toESM, t as __commonJSMin } from "./rolldown-runtime.mjs";
import { C as strictObject, E as unknown, S as record, T as union, d as boolean, g as literal, i as UserErrors, m as int, r as UserError, u as array, v as number, w as string, x as preprocess, y as object } from "./errors.mjs";
import { A as decodeUtf8, C as parseJsonDocument, N as durationSchema, T as positionOf, j as readUserFile } from "./shard.mjs";
import { _ as stringifyRedacted, u as expectSchema } from "./schema.mjs";
import { a as require_dynamic, c as require_draft7, d as require_validation_error, f as require_validate, i as require_next, l as require_core$1, n as require__2020, o as require_ajv, p as require_codegen, r as require_unevaluated, s as require_discriminator, t as require_dist, u as require_ref_error } from "./dist.mjs";
import { isIP } from "node:net";
import { randomBytes } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path, { dirname } from "node:path";
import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
// src/shared/money.ts
/**
* Money is added up in whole nano-dollars (1e-9 USD). Integer sums are exact in any order, so a
* total is always exactly the sum of its rows, and each amount converts back to the same USD number.
*/
const NANO_PER_USD = 1e9;
function toNanoUsd(usd) {
	return Math.round(usd * NANO_PER_USD);
}
function fromNanoUsd(nano) {
	return nano / NANO_PER_USD;
}
/** Sums USD amounts exactly; one unknown (null) makes the sum unknown. */
function sumUsd(amounts) {
	let nano = 0;
	for (const amount of amounts) {
		if (amount === null) return null;
		nano += toNanoUsd(amount);
	}
	return fromNanoUsd(nano);
}
/** Sums the known amounts only. */
function sumKnownUsd(amounts) {
	return sumUsd(amounts.filter((amount) => amount !== null)) ?? 0;
}
/** A plain decimal, never in exponent notation: 0.0000005, 1.25, 3. */
function decimalUsd(usd) {
	const nano = toNanoUsd(usd);
	const sign = nano < 0 ? "-" : "";
	const digits = String(Math.abs(nano)).padStart(10, "0");
	const whole = digits.slice(0, -9);
	const fraction = digits.slice(-9).replace(/0+$/, "");
	return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}
// src/provider/pricing.ts
/**
* USD for one model response, or null when no price is known (never a silent 0).
* Order: the server's own figure, then the config's pricing, then free for a server on this machine
* or a private network, then the bundled price table (offline, never fetched).
*/
function priceUsage(provider, model, usage, table) {
	if (usage.reportedCostUsd !== void 0) return usage.reportedCostUsd;
	const configured = provider.pricing?.[model];
	if (configured) {
		const uncached = usage.input - usage.cached;
		const cachedRate = configured.cached_input ?? configured.input;
		return (uncached * configured.input + usage.cached * cachedRate + usage.output * configured.output) / 1e6;
	}
	if (isPrivateUrl(provider.baseUrl)) return 0;
	return table({
		input_tokens: usage.input,
		cache_read_tokens: usage.cached,
		output_tokens: usage.output
	}, model, { providerApiUrl: provider.baseUrl })?.total_price ?? null;
}
/** USD for a series of responses: the one sum behind task results, budgets and cost reports. */
function costOfUsage(provider, model, usage, table) {
	return sumCosts(usage.map((entry) => priceUsage(provider, model, entry, table)));
}
/** Sums prices exactly (in nano-dollars); one unknown makes the sum unknown. */
function sumCosts(costs) {
	return sumUsd(costs);
}
/** Whether a price is known for the model before any request, so a cost budget can be enforced. */
function isPriced(provider, model, table) {
	return priceUsage(provider, model, {
		input: 1e6,
		output: 1e6,
		cached: 0,
		estimated: false
	}, table) !== null;
}
function isPrivateUrl(url) {
	let host;
	try {
		host = new URL(url).hostname.replace(/^\[|\]$/g, "");
	} catch {
		return false;
	}
	const name = host.replace(/\.$/, "").toLowerCase();
	if (name === "localhost" || name.endsWith(".localhost") || name.endsWith(".local")) return true;
	if (isIP(host) === 4) return isPrivateIPv4(host);
	if (isIP(host) === 6) return isPrivateIPv6(host);
	return false;
}
/** Loopback, RFC 1918, link-local and the shared address space of carrier-grade NAT (Tailscale and the like). */
function isPrivateIPv4(host) {
	const [a = 0, b = 0] = host.split(".").map(Number);
	return a === 127 || a === 10 || a === 172 && b >= 16 && b <= 31 || a === 192 && b === 168 || a === 169 && b === 254 || a === 100 && b >= 64 && b <= 127;
}
/** Loopback, unique-local and link-local addresses, and IPv4 addresses written as IPv6 (`::ffff:127.0.0.1`). */
function isPrivateIPv6(host) {
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host)?.[1] ?? hexMappedIPv4(host);
	if (mapped !== void 0) return isPrivateIPv4(mapped);
	return host === "::1" || /^f[cd]/i.test(host) || /^fe[89ab]/i.test(host);
}
/** The URL parser writes `::ffff:127.0.0.1` as `::ffff:7f00:1`. */
function hexMappedIPv4(host) {
	const match = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(host);
	if (!match) return void 0;
	const [high, low] = [parseInt(match[1] ?? "0", 16), parseInt(match[2] ?? "0", 16)];
	return [
		high >> 8,
		high & 255,
		low >> 8,
		low & 255
	].join(".");
}
// src/report/format.ts
/** How reports and progress lines show money, tokens and time. */
function formatCost(cost) {
	if (cost === null) return "unknown";
	if (cost === 0) return "$0";
	return cost < .01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
function formatTokens(tokens) {
	const mark = tokens.estimated ? "~" : "";
	return `${mark}${tokens.input} / ${mark}${tokens.output}`;
}
/** "1 turn", "2 turns". */
function plural(count, noun) {
	return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
/**
* "640 ms", "1.5 s", "2 m 5 s". Rounded to the unit shown before the unit is chosen, so that 999.6 ms is
* "1.0 s", not "1000 ms", and 119.6 s is "2 m 0 s", not "1 m 60 s". report.html's script does the same (page.ts).
*/
function formatDuration(ms) {
	if (Math.round(ms) < 1e3) return `${Math.round(ms)} ms`;
	const tenths = Math.round(ms / 100);
	if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
	const seconds = Math.round(ms / 1e3);
	return `${Math.floor(seconds / 60)} m ${seconds % 60} s`;
}
/** Whitespace, line breaks included, as single spaces: for a list item, a table cell or a progress line. */
function oneLine(text) {
	return text.replace(/\s+/g, " ").trim();
}
/** At most `max` characters, the last an ellipsis when the text was longer. */
function cut(text, max) {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
/** Text safe inside a Markdown table cell. */
function escapeCell(text) {
	return text.replace(/\r?\n/g, " ").replace(/\|/g, "\\|");
}
/** Text a model or a task file gave, shown as text: `<`, `>` and `&` would otherwise be read as HTML. */
function escapeHtml(text) {
	return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
/**
* Text a model or a task file gave, shown as Markdown text in which its own code spans stay code: HTML is
* escaped outside them only, because inside a code span `&amp;` would show as it is written. A run of
* backticks opens a span only when a run of the same length closes it, as CommonMark reads them.
*/
function escapeText(text) {
	let out = "";
	let at = 0;
	const runs = /`+/g;
	for (let open = runs.exec(text); open; open = runs.exec(text)) {
		const close = new RegExp(`(?<!\`)${open[0]}(?!\`)`, "g");
		close.lastIndex = open.index + open[0].length;
		const end = close.exec(text);
		if (!end) continue;
		out += escapeHtml(text.slice(at, open.index)) + text.slice(open.index, end.index + open[0].length);
		at = end.index + open[0].length;
		runs.lastIndex = at;
	}
	return out + escapeHtml(text.slice(at));
}
/** Inline code that survives backticks in the text. */
function codeSpan(text) {
	const fence = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
	const padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
	return `${fence}${padding}${text}${padding}${fence}`;
}
// src/report/files.ts
/** Writes through a temporary file and a rename, so a crash never leaves half a file. */
async function writeFileAtomic(path, content) {
	await mkdir(dirname(path), { recursive: true });
	const temporary = `${path}.${process.pid}.tmp`;
	await writeFile(temporary, content);
	await rename(temporary, path);
}
async function writeJson(path, value, redact) {
	await writeFileAtomic(path, `${stringifyRedacted(value, redact, 2)}\n`);
}
/** The one writer of the run folder's JSON files: each names its JSON Schema first. */
async function writeJsonFile(path, schema, value, redact) {
	await writeJson(path, {
		$schema: schema,
		...value
	}, redact);
}
/**
* The one writer of the JSON Lines files (events.jsonl, manifest.jsonl): each record is written (synchronously, to the operating system)
* before the next step starts, so a crash loses nothing that happened. The file stays open until `close`.
*/
var EventLog = class {
	path;
	#redact;
	/** The URL of the JSON Schema of the lines, named by the file's first line. */
	#schema;
	#fd;
	constructor(path, redact, schema) {
		this.path = path;
		this.#redact = redact;
		this.#schema = schema;
	}
	/** Writes one record; returns its `ts`, for those who pass the record on as the log has it. */
	append(event) {
		let named = {};
		if (this.#fd === void 0) {
			this.#fd = openSync(this.path, "a");
			if (this.#schema !== void 0 && fstatSync(this.#fd).size === 0) named = { $schema: this.#schema };
		}
		const ts = (/* @__PURE__ */ new Date()).toISOString();
		const bytes = Buffer.from(`${stringifyRedacted({
			ts,
			...named,
			...event
		}, this.#redact)}\n`);
		for (let written = 0; written < bytes.length;) written += writeSync(this.#fd, bytes, written);
		return ts;
	}
	close() {
		if (this.#fd !== void 0) closeSync(this.#fd);
		this.#fd = void 0;
	}
};
// src/task/check-schema.ts
const DEFAULT_CHECK_TIMEOUT = "10m";
const NON_EMPTY_STRING$2 = "expected a non-empty string";
const commandSchema = string({ error: NON_EMPTY_STRING$2 }).trim().min(1, { error: NON_EMPTY_STRING$2 });
const namedCheckSchema = strictObject({
	name: commandSchema.optional().describe("Shown in reports and in the message to the model. Default: the command."),
	run: commandSchema.describe("Shell command (bash -c), run in the task's workspace."),
	timeout: durationSchema.prefault(DEFAULT_CHECK_TIMEOUT).describe("The check fails when it runs longer, e.g. 90s, 5m.")
});
/** A command that must pass once the agent finishes: a bare command, or `{name, run, timeout}`. */
const checkSchema = union([commandSchema, namedCheckSchema], { error: describeUnionIssue }).transform((check) => {
	if (typeof check === "string") return {
		name: check,
		run: check,
		timeout_ms: durationSchema.parse(DEFAULT_CHECK_TIMEOUT)
	};
	return {
		name: check.name ?? check.run,
		run: check.run,
		timeout_ms: check.timeout
	};
});
/** Neither form: a number, a list. (An object's own mistakes are reported inside it, at their keys.) */
function describeUnionIssue(issue) {
	return issue.code === "invalid_union" ? "expected a command, or {name, run, timeout}" : void 0;
}
// src/task/for-each-schema.ts
const POSITIVE_INTEGER$1 = "expected a positive integer";
const NON_EMPTY_STRING$1 = "expected a non-empty string";
const scalarSchema = union([
	string(),
	number(),
	boolean()
], { error: "expected a string, a number or true/false" });
const fieldsSchema = record(string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), scalarSchema);
const globsSchema = union([string().min(1, { error: NON_EMPTY_STRING$1 }), array(string().min(1, { error: NON_EMPTY_STRING$1 }))]);
/** A value of a list axis: a word, or a flat object whose fields are read as `{{ axis.field }}`. */
const listValueSchema = union([scalarSchema, fieldsSchema], { error: "expected a string, a number, true/false, or an object of those" });
const listAxisSchema = strictObject({ value: array(listValueSchema).describe("The axis's values, in order.") }).describe("Values from a list: {value: [a, b]}.");
const globAxisSchema = strictObject({
	glob: globsSchema.describe("Globs of files, relative to the repository root, matched against the files of the commit the tasks start from (so ignored files never match)."),
	exclude: globsSchema.optional().describe("Globs of files to leave out."),
	chunk: int({ error: POSITIVE_INTEGER$1 }).positive({ error: POSITIVE_INTEGER$1 }).optional().describe("Group the files, this many to a task: {{ name }} and {{ files }} are the chunk's paths separated by spaces.")
}).describe("Files matched at the base commit: {glob, exclude, chunk}.");
const packagesAxisSchema = strictObject({
	packages: union([literal(true), globsSchema]).describe("true: the workspace packages the root package.json (npm, yarn) or pnpm-workspace.yaml declares; or globs of package folders."),
	exclude: globsSchema.optional().describe("Package names or folders (globs) to leave out.")
}).describe("Packages of a monorepo: {{ name.name }} is the package's name, {{ name.path }} its folder.");
/** One axis of `for_each`: a bare list, {value}, {glob, exclude, chunk} or {packages, exclude}. */
const axisSchema = union([
	array(listValueSchema),
	listAxisSchema,
	globAxisSchema,
	packagesAxisSchema
], { error: "expected a list of values, {value: [...]}, {glob, exclude, chunk} or {packages: true}" });
/** A partial combination, as in a GitHub Actions matrix's include and exclude. */
const combinationSchema = record(string(), listValueSchema);
const forEachSchema = object({
	include: array(combinationSchema).optional().describe("Combinations to add, or variables to add to the combinations they match (a GitHub Actions matrix's include)."),
	exclude: array(combinationSchema).optional().describe("Combinations to leave out: each removes every combination it matches (strings may be globs).")
}).catchall(axisSchema).describe("Makes one task per combination of the axes' values: each axis is a variable, {{ name }} in prompt, title, context, files, checks and output.");
// node_modules/ajv/dist/refs/json-schema-2019-09/schema.json
var require_schema = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/schema",
		"$vocabulary": {
			"https://json-schema.org/draft/2019-09/vocab/core": true,
			"https://json-schema.org/draft/2019-09/vocab/applicator": true,
			"https://json-schema.org/draft/2019-09/vocab/validation": true,
			"https://json-schema.org/draft/2019-09/vocab/meta-data": true,
			"https://json-schema.org/draft/2019-09/vocab/format": false,
			"https://json-schema.org/draft/2019-09/vocab/content": true
		},
		"$recursiveAnchor": true,
		"title": "Core and Validation specifications meta-schema",
		"allOf": [
			{ "$ref": "meta/core" },
			{ "$ref": "meta/applicator" },
			{ "$ref": "meta/validation" },
			{ "$ref": "meta/meta-data" },
			{ "$ref": "meta/format" },
			{ "$ref": "meta/content" }
		],
		"type": ["object", "boolean"],
		"properties": {
			"definitions": {
				"$comment": "While no longer an official keyword as it is replaced by $defs, this keyword is retained in the meta-schema to prevent incompatible extensions as it remains in common use.",
				"type": "object",
				"additionalProperties": { "$recursiveRef": "#" },
				"default": {}
			},
			"dependencies": {
				"$comment": "\"dependencies\" is no longer a keyword, but schema authors should avoid redefining it to facilitate a smooth transition to \"dependentSchemas\" and \"dependentRequired\"",
				"type": "object",
				"additionalProperties": { "anyOf": [{ "$recursiveRef": "#" }, { "$ref": "meta/validation#/$defs/stringArray" }] }
			}
		}
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/applicator.json
var require_applicator = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/applicator",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/applicator": true },
		"$recursiveAnchor": true,
		"title": "Applicator vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": {
			"additionalItems": { "$recursiveRef": "#" },
			"unevaluatedItems": { "$recursiveRef": "#" },
			"items": { "anyOf": [{ "$recursiveRef": "#" }, { "$ref": "#/$defs/schemaArray" }] },
			"contains": { "$recursiveRef": "#" },
			"additionalProperties": { "$recursiveRef": "#" },
			"unevaluatedProperties": { "$recursiveRef": "#" },
			"properties": {
				"type": "object",
				"additionalProperties": { "$recursiveRef": "#" },
				"default": {}
			},
			"patternProperties": {
				"type": "object",
				"additionalProperties": { "$recursiveRef": "#" },
				"propertyNames": { "format": "regex" },
				"default": {}
			},
			"dependentSchemas": {
				"type": "object",
				"additionalProperties": { "$recursiveRef": "#" }
			},
			"propertyNames": { "$recursiveRef": "#" },
			"if": { "$recursiveRef": "#" },
			"then": { "$recursiveRef": "#" },
			"else": { "$recursiveRef": "#" },
			"allOf": { "$ref": "#/$defs/schemaArray" },
			"anyOf": { "$ref": "#/$defs/schemaArray" },
			"oneOf": { "$ref": "#/$defs/schemaArray" },
			"not": { "$recursiveRef": "#" }
		},
		"$defs": { "schemaArray": {
			"type": "array",
			"minItems": 1,
			"items": { "$recursiveRef": "#" }
		} }
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/content.json
var require_content = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/content",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/content": true },
		"$recursiveAnchor": true,
		"title": "Content vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": {
			"contentMediaType": { "type": "string" },
			"contentEncoding": { "type": "string" },
			"contentSchema": { "$recursiveRef": "#" }
		}
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/core.json
var require_core = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/core",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/core": true },
		"$recursiveAnchor": true,
		"title": "Core vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": {
			"$id": {
				"type": "string",
				"format": "uri-reference",
				"$comment": "Non-empty fragments not allowed.",
				"pattern": "^[^#]*#?$"
			},
			"$schema": {
				"type": "string",
				"format": "uri"
			},
			"$anchor": {
				"type": "string",
				"pattern": "^[A-Za-z][-A-Za-z0-9.:_]*$"
			},
			"$ref": {
				"type": "string",
				"format": "uri-reference"
			},
			"$recursiveRef": {
				"type": "string",
				"format": "uri-reference"
			},
			"$recursiveAnchor": {
				"type": "boolean",
				"default": false
			},
			"$vocabulary": {
				"type": "object",
				"propertyNames": {
					"type": "string",
					"format": "uri"
				},
				"additionalProperties": { "type": "boolean" }
			},
			"$comment": { "type": "string" },
			"$defs": {
				"type": "object",
				"additionalProperties": { "$recursiveRef": "#" },
				"default": {}
			}
		}
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/format.json
var require_format = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/format",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/format": true },
		"$recursiveAnchor": true,
		"title": "Format vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": { "format": { "type": "string" } }
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/meta-data.json
var require_meta_data = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/meta-data",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/meta-data": true },
		"$recursiveAnchor": true,
		"title": "Meta-data vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": {
			"title": { "type": "string" },
			"description": { "type": "string" },
			"default": true,
			"deprecated": {
				"type": "boolean",
				"default": false
			},
			"readOnly": {
				"type": "boolean",
				"default": false
			},
			"writeOnly": {
				"type": "boolean",
				"default": false
			},
			"examples": {
				"type": "array",
				"items": true
			}
		}
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/meta/validation.json
var require_validation = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	module.exports = {
		"$schema": "https://json-schema.org/draft/2019-09/schema",
		"$id": "https://json-schema.org/draft/2019-09/meta/validation",
		"$vocabulary": { "https://json-schema.org/draft/2019-09/vocab/validation": true },
		"$recursiveAnchor": true,
		"title": "Validation vocabulary meta-schema",
		"type": ["object", "boolean"],
		"properties": {
			"multipleOf": {
				"type": "number",
				"exclusiveMinimum": 0
			},
			"maximum": { "type": "number" },
			"exclusiveMaximum": { "type": "number" },
			"minimum": { "type": "number" },
			"exclusiveMinimum": { "type": "number" },
			"maxLength": { "$ref": "#/$defs/nonNegativeInteger" },
			"minLength": { "$ref": "#/$defs/nonNegativeIntegerDefault0" },
			"pattern": {
				"type": "string",
				"format": "regex"
			},
			"maxItems": { "$ref": "#/$defs/nonNegativeInteger" },
			"minItems": { "$ref": "#/$defs/nonNegativeIntegerDefault0" },
			"uniqueItems": {
				"type": "boolean",
				"default": false
			},
			"maxContains": { "$ref": "#/$defs/nonNegativeInteger" },
			"minContains": {
				"$ref": "#/$defs/nonNegativeInteger",
				"default": 1
			},
			"maxProperties": { "$ref": "#/$defs/nonNegativeInteger" },
			"minProperties": { "$ref": "#/$defs/nonNegativeIntegerDefault0" },
			"required": { "$ref": "#/$defs/stringArray" },
			"dependentRequired": {
				"type": "object",
				"additionalProperties": { "$ref": "#/$defs/stringArray" }
			},
			"const": true,
			"enum": {
				"type": "array",
				"items": true
			},
			"type": { "anyOf": [{ "$ref": "#/$defs/simpleTypes" }, {
				"type": "array",
				"items": { "$ref": "#/$defs/simpleTypes" },
				"minItems": 1,
				"uniqueItems": true
			}] }
		},
		"$defs": {
			"nonNegativeInteger": {
				"type": "integer",
				"minimum": 0
			},
			"nonNegativeIntegerDefault0": {
				"$ref": "#/$defs/nonNegativeInteger",
				"default": 0
			},
			"simpleTypes": { "enum": [
				"array",
				"boolean",
				"integer",
				"null",
				"number",
				"object",
				"string"
			] },
			"stringArray": {
				"type": "array",
				"items": { "type": "string" },
				"uniqueItems": true,
				"default": []
			}
		}
	};
}));
// node_modules/ajv/dist/refs/json-schema-2019-09/index.js
var require_json_schema_2019_09 = /* @__PURE__ */ __commonJSMin(((exports) => {
	Object.defineProperty(exports, "__esModule", { value: true });
	const metaSchema = require_schema();
	const applicator = require_applicator();
	const content = require_content();
	const core = require_core();
	const format = require_format();
	const metadata = require_meta_data();
	const validation = require_validation();
	const META_SUPPORT_DATA = ["/properties"];
	function addMetaSchema2019($data) {
		[
			metaSchema,
			applicator,
			content,
			core,
			with$data(this, format),
			metadata,
			with$data(this, validation)
		].forEach((sch) => this.addMetaSchema(sch, void 0, false));
		return this;
		function with$data(ajv, sch) {
			return $data ? ajv.$dataMetaSchema(sch, META_SUPPORT_DATA) : sch;
		}
	}
	exports.default = addMetaSchema2019;
}));
// node_modules/ajv/dist/2019.js
var require__2019 = /* @__PURE__ */ __commonJSMin(((exports, module) => {
	Object.defineProperty(exports, "__esModule", { value: true });
	exports.MissingRefError = exports.ValidationError = exports.CodeGen = exports.Name = exports.nil = exports.stringify = exports.str = exports._ = exports.KeywordCxt = exports.Ajv2019 = void 0;
	const core_1 = require_core$1();
	const draft7_1 = require_draft7();
	const dynamic_1 = require_dynamic();
	const next_1 = require_next();
	const unevaluated_1 = require_unevaluated();
	const discriminator_1 = require_discriminator();
	const json_schema_2019_09_1 = require_json_schema_2019_09();
	const META_SCHEMA_ID = "https://json-schema.org/draft/2019-09/schema";
	var Ajv2019 = class extends core_1.default {
		constructor(opts = {}) {
			super({
				...opts,
				dynamicRef: true,
				next: true,
				unevaluated: true
			});
		}
		_addVocabularies() {
			super._addVocabularies();
			this.addVocabulary(dynamic_1.default);
			draft7_1.default.forEach((v) => this.addVocabulary(v));
			this.addVocabulary(next_1.default);
			this.addVocabulary(unevaluated_1.default);
			if (this.opts.discriminator) this.addKeyword(discriminator_1.default);
		}
		_addDefaultMetaSchema() {
			super._addDefaultMetaSchema();
			const { $data, meta } = this.opts;
			if (!meta) return;
			json_schema_2019_09_1.default.call(this, $data);
			this.refs["http://json-schema.org/schema"] = META_SCHEMA_ID;
		}
		defaultMeta() {
			return this.opts.defaultMeta = super.defaultMeta() || (this.getSchema(META_SCHEMA_ID) ? META_SCHEMA_ID : void 0);
		}
	};
	exports.Ajv2019 = Ajv2019;
	module.exports = exports = Ajv2019;
	module.exports.Ajv2019 = Ajv2019;
	Object.defineProperty(exports, "__esModule", { value: true });
	exports.default = Ajv2019;
	var validate_1 = require_validate();
	Object.defineProperty(exports, "KeywordCxt", {
		enumerable: true,
		get: function() {
			return validate_1.KeywordCxt;
		}
	});
	var codegen_1 = require_codegen();
	Object.defineProperty(exports, "_", {
		enumerable: true,
		get: function() {
			return codegen_1._;
		}
	});
	Object.defineProperty(exports, "str", {
		enumerable: true,
		get: function() {
			return codegen_1.str;
		}
	});
	Object.defineProperty(exports, "stringify", {
		enumerable: true,
		get: function() {
			return codegen_1.stringify;
		}
	});
	Object.defineProperty(exports, "nil", {
		enumerable: true,
		get: function() {
			return codegen_1.nil;
		}
	});
	Object.defineProperty(exports, "Name", {
		enumerable: true,
		get: function() {
			return codegen_1.Name;
		}
	});
	Object.defineProperty(exports, "CodeGen", {
		enumerable: true,
		get: function() {
			return codegen_1.CodeGen;
		}
	});
	var validation_error_1 = require_validation_error();
	Object.defineProperty(exports, "ValidationError", {
		enumerable: true,
		get: function() {
			return validation_error_1.default;
		}
	});
	var ref_error_1 = require_ref_error();
	Object.defineProperty(exports, "MissingRefError", {
		enumerable: true,
		get: function() {
			return ref_error_1.default;
		}
	});
}));
// src/shared/json-schema.ts
var import_ajv = /* @__PURE__ */ __toESM(require_ajv(), 1);
var import__2019 = require__2019();
var import__2020 = require__2020();
var import_dist = /* @__PURE__ */ __toESM(require_dist(), 1);
const DRAFTS = {
	"draft-07": ["http://json-schema.org/draft-07/schema"],
	"2019-09": ["https://json-schema.org/draft/2019-09/schema"],
	"2020-12": ["https://json-schema.org/draft/2020-12/schema"]
};
const OPTIONS = {
	allErrors: true,
	strict: false,
	strictSchema: true,
	strictNumbers: true,
	logger: false
};
const instances = /* @__PURE__ */ new Map();
function ajvFor(draft) {
	let ajv = instances.get(draft);
	if (!ajv) {
		ajv = draft === "2020-12" ? new import__2020.Ajv2020(OPTIONS) : draft === "2019-09" ? new import__2019.Ajv2019(OPTIONS) : new import_ajv.Ajv(OPTIONS);
		import_dist.default.default(ajv);
		instances.set(draft, ajv);
	}
	return ajv;
}
/** The draft a schema's `$schema` names; 2020-12 when it names none. */
function draftOf(schema) {
	if (typeof schema === "boolean" || schema.$schema === void 0) return "2020-12";
	const uri = String(schema.$schema).replace(/#$/, "").replace(/^https?:/, "");
	for (const [draft, uris] of Object.entries(DRAFTS)) if (uris.some((known) => known.replace(/^https?:/, "") === uri)) return draft;
	return { unsupported: String(schema.$schema) };
}
/** The validator for a schema, or what is wrong with the schema. Compiled once per schema object. */
function compileSchema(schema) {
	const cached = compiled.get(schema);
	if (cached) return {
		ok: true,
		validate: cached
	};
	if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) return {
		ok: false,
		problems: [{
			pointer: "",
			message: "a JSON Schema is an object (or true / false)"
		}]
	};
	const draft = draftOf(schema);
	if (typeof draft === "object") {
		const known = Object.values(DRAFTS).map(([uri]) => uri).join(", ");
		return {
			ok: false,
			problems: [{
				pointer: "/$schema",
				message: `unsupported $schema "${draft.unsupported}"; use one of ${known}, or leave it out for 2020-12`
			}]
		};
	}
	const ajv = ajvFor(draft);
	if (!ajv.validateSchema(schema)) {
		const problems = (ajv.errors ?? []).map((error) => ({
			pointer: error.instancePath,
			message: describeError(error)
		}));
		return {
			ok: false,
			problems: problems.filter((problem, index) => problems.findIndex((other) => other.pointer === problem.pointer) === index)
		};
	}
	try {
		const validate = ajv.compile(schema);
		if (typeof schema === "object") compiled.set(schema, validate);
		return {
			ok: true,
			validate
		};
	} catch (error) {
		return {
			ok: false,
			problems: [{
				pointer: "",
				message: (error instanceof Error ? error.message : String(error)).replace(/^strict mode: /, "")
			}]
		};
	}
}
const compiled = /* @__PURE__ */ new WeakMap();
/** One line per error: `/items/0/name: must be string`, `(root): must have required property 'title'`. */
function formatErrors(errors) {
	return [...new Set((errors ?? []).map((error) => `${error.instancePath || "(root)"}: ${describeError(error)}`))];
}
function describeError(error) {
	const message = error.message ?? error.keyword;
	if (error.keyword === "additionalProperties" && typeof error.params.additionalProperty === "string") return `${message} ("${error.params.additionalProperty}")`;
	if (error.keyword === "enum" && Array.isArray(error.params.allowedValues)) return `${message}: ${error.params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`;
	return message;
}
const MAX_CORRECTIONS_LIMIT = 10;
const schemaValueSchema = union([
	string().trim().min(1, { error: "expected the path of a .json schema file, or a schema" }),
	record(string(), unknown()),
	boolean()
], { error: "expected the path of a .json schema file, or a JSON Schema object" });
const longFormSchema = strictObject({
	schema: schemaValueSchema.describe("The JSON Schema, inline, or the path of a .json file relative to the task file."),
	max_corrections: int({ error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` }).min(0, { error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` }).max(MAX_CORRECTIONS_LIMIT, { error: `expected an integer from 0 to ${MAX_CORRECTIONS_LIMIT}` }).default(2).describe(`Invalid answers sent back to the model with the errors before the task fails with output_invalid. Default 2.`)
});
/**
* `output: schema.json`, `output: {type: object, ...}` or `output: {schema: ..., max_corrections: 1}`:
* an object with a `schema` key is the long form (`schema` is no JSON Schema keyword), any other is the schema.
*/
const outputFieldSchema = preprocess((value) => isLongForm(value) ? value : { schema: value }, longFormSchema).describe("JSON Schema the task's final answer must satisfy: a path to a .json file (relative to the task file), a schema, or {schema, max_corrections}.");
function isLongForm(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value) && "schema" in value;
}
/**
* The task's output schema: read from its file (relative to the task file's folder) or taken inline, and
* checked. Problems come as UserErrors at the schema's own lines, in the schema file or the task file.
*/
async function resolveTaskOutput(field, task, taskFile) {
	const { schema, max_corrections } = field;
	const at = isLongForm(valueAt(task.data, ["output"])) ? ["output", "schema"] : ["output"];
	if (typeof schema === "string") {
		const absolute = path.resolve(path.dirname(taskFile.absolute), schema);
		const display = path.join(path.dirname(taskFile.display), schema);
		if (!await stat(absolute).catch(() => void 0)) {
			const { line, col } = positionOf(task, at, "value");
			throw new UserError(`${task.file}:${line}:${col}: ${at.join(".")}: ${display}: file not found; output names a JSON Schema file relative to the task file`, "E_TASK_INVALID");
		}
		return {
			...await loadSchemaFile(absolute, display),
			max_corrections
		};
	}
	const problems = schemaProblems(schema);
	if (problems.length > 0) throw new UserErrors(problems.map((problem) => problemError(task, at, problem)));
	return {
		schema,
		max_corrections
	};
}
/** `run --output-schema FILE`: the file named relative to the working folder. */
async function loadOutputSchemaFile(file, cwd) {
	return {
		...await loadSchemaFile(path.resolve(cwd, file), file),
		max_corrections: 2
	};
}
async function loadSchemaFile(absolute, display) {
	const text = decodeUtf8(await readUserFile(absolute, display, "E_TASK_INVALID", "file not found; output names a JSON Schema file relative to the task file"), display, "E_TASK_INVALID");
	const source = parseJsonDocument(text, display);
	const schema = source.data;
	if (typeof schema !== "boolean" && (typeof schema !== "object" || schema === null || Array.isArray(schema))) throw new UserError(`${display}:1:1: a JSON Schema is an object (or true / false); write e.g. {"type": "object", "properties": {...}}`, "E_TASK_INVALID");
	const problems = schemaProblems(schema);
	if (problems.length > 0) throw new UserErrors(problems.map((problem) => problemError(source, [], problem)));
	return {
		schema,
		file: display
	};
}
function schemaProblems(schema) {
	const result = compileSchema(schema);
	return result.ok ? [] : result.problems;
}
function problemError(source, at, problem) {
	const segments = pointerSegments(problem.pointer);
	const { line, col } = positionOf(source, [...at, ...segments], "key");
	const where = problem.pointer === "" ? "" : ` at ${problem.pointer}`;
	return new UserError(`${source.file}:${line}:${col}: invalid JSON Schema${where}: ${problem.message}`, "E_TASK_INVALID");
}
/** "/properties/items/0" → ["properties", "items", 0] (JSON pointer escapes undone). */
function pointerSegments(pointer) {
	if (pointer === "") return [];
	return pointer.slice(1).split("/").map((segment) => {
		const text = segment.replaceAll("~1", "/").replaceAll("~0", "~");
		return /^\d+$/.test(text) ? Number(text) : text;
	});
}
function valueAt(data, keys) {
	return keys.reduce((value, key) => typeof value === "object" && value !== null ? value[key] : void 0, data);
}
// src/task/schema.ts
/** An id names the task's folder in the run and its git branch: git's rules for a branch name apply. */
const TASK_ID_PATTERN = /^(?!\.)(?!.*\.\.)(?!.*\.lock$)(?!.*\.$)[A-Za-z0-9._-]+$/;
const POSITIVE_INTEGER = "expected a positive integer";
const NON_EMPTY_STRING = "expected a non-empty string";
const POSITIVE_NUMBER = "expected a positive number";
const limitsSchema = strictObject({
	max_turns: int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional().describe("Most model turns before the task stops with limit_exceeded. Default: the policy's, else 50."),
	max_denials: int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional().describe("Denied tool calls before the task stops with limit_exceeded. Default: the policy's, else 20."),
	timeout: durationSchema.prefault("30m").describe("Wall-clock limit for the task, e.g. 90s, 10m, 1h30m."),
	max_cost_usd: number({ error: POSITIVE_NUMBER }).positive({ error: POSITIVE_NUMBER }).optional().describe("USD the task may spend; checked before each model request."),
	max_tokens: int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional().describe("Input plus output tokens the task may use; checked before each model request.")
}).transform(({ timeout, ...limits }) => ({
	...limits,
	timeout_ms: timeout
}));
const denyListSchema = array(union([string().min(1), strictObject({
	pattern: string().min(1),
	reason: string().optional()
})])).default([]);
const denyOnlySchema = strictObject({ deny: denyListSchema }).prefault({});
/** Only deny lists: a task file cannot add an allow. */
const taskPolicySchema = strictObject({
	files: strictObject({
		read: denyOnlySchema,
		write: denyOnlySchema
	}).prefault({}),
	commands: denyOnlySchema,
	tools: denyOnlySchema
});
/** One document of a task file, as written by the user. */
const taskFileSchema = strictObject({
	id: string().regex(TASK_ID_PATTERN, { error: "expected letters, digits, \".\", \"_\" and \"-\", not starting or ending with \".\", without \"..\" and not ending in \".lock\" (the id names a folder and a git branch)" }).optional().describe("Unique in a batch. Default: the file name without extension; -2, -3... for later documents."),
	title: string().optional().describe("Short human-readable name."),
	prompt: string({ error: NON_EMPTY_STRING }).trim().min(1, { error: NON_EMPTY_STRING }).describe("What the agent should do."),
	context: array(string().min(1, { error: NON_EMPTY_STRING })).default([]).describe("Files or globs whose contents are given to the model up front."),
	provider: string().min(1).optional().describe("A provider name from agents.config.json."),
	model: string().min(1).optional().describe("Model id; default: the provider's first model."),
	limits: limitsSchema.prefault({}).describe("Per-task budgets."),
	policy: taskPolicySchema.optional().describe("Deny rules added to the run's policy for this task; a task can narrow the policy, never widen it."),
	labels: array(string().regex(/^[A-Za-z0-9._-]+$/, { error: "expected letters, digits, \".\", \"_\" and \"-\"" })).default([]).describe("Names for choosing tasks (--label) and for grouping them into one pull request."),
	mcp: array(string().regex(/^[A-Za-z0-9_-]+$/, { error: "expected a server name from .mcp.json" })).optional().describe("The MCP servers of .mcp.json this task uses (default: all); [] for none."),
	files: array(string().min(1, { error: NON_EMPTY_STRING })).optional().describe("Globs of the files this task is about. Given changed files (after -- or with --changed REF), only tasks whose files match one of them run."),
	setup: array(string().min(1, { error: NON_EMPTY_STRING })).default([]).describe("Commands run in the task's worktree before the model starts, after the policy's setup; every time, not reused."),
	checks: array(checkSchema).default([]).describe("Commands that must pass once the agent finishes, run in order in the workspace."),
	retries: int({ error: "expected a non-negative integer" }).nonnegative({ error: "expected a non-negative integer" }).default(0).describe("Times the model gets a failing check's output and goes on in the same conversation."),
	expect: expectSchema.default("changes").describe("What the task leaves behind: changes (default; an empty patch fails with no_changes), none (review-only; a change fails with unexpected_changes) or any."),
	output: outputFieldSchema.optional(),
	for_each: forEachSchema.optional()
}).meta({
	title: "nanocoder task",
	description: "One task per YAML document; separate several with ---."
});
// src/run/run-id.ts
/** `2026-11-27T14-45-17-123Z-3f9a`: sorts by start time, safe in file names on every platform. */
function createRunId(now = /* @__PURE__ */ new Date()) {
	return `${now.toISOString().replace(/:/g, "-").replace(".", "-")}-${randomBytes(2).toString("hex")}`;
}
export { sumUsd as A, costOfUsage as C, decimalUsd as D, sumCosts as E, fromNanoUsd as O, plural as S, priceUsage as T, escapeText as _, outputFieldSchema as a, formatTokens as b, formatErrors as c, writeJson as d, writeJsonFile as f, escapeHtml as g, escapeCell as h, loadOutputSchemaFile as i, toNanoUsd as j, sumKnownUsd as k, EventLog as l, cut as m, TASK_ID_PATTERN as n, resolveTaskOutput as o, codeSpan as p, taskFileSchema as r, compileSchema as s, createRunId as t, writeFileAtomic as u, formatCost as v, isPriced as w, oneLine as x, formatDuration as y };
