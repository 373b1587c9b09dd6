// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { i as __toESM, n as __exportAll, t as __commonJSMin } from "./rolldown-runtime.mjs";
import { C as strictObject, D as url, S as record, T as union, _ as looseObject, d as boolean, g as literal$1, i as UserErrors, m as int, n as ToolError, r as UserError, s as _enum, u as array, v as number, w as string } from "./errors.mjs";
import { C as parseJsonDocument, D as validateYaml, F as ProviderError, M as MAX_TIMER_MS, N as durationSchema, S as formatZodIssues, T as positionOf, b as describeExpectation, j as readUserFile, w as parseYamlDocuments } from "./shard.mjs";
import { n as looksLikeSecret, t as isRunnerSecret } from "./secret-names.mjs";
import "node:module";
import { isIP } from "node:net";
import { setFlagsFromString } from "node:v8";
import { lstat, readFile, readdir, readlink, realpath } from "node:fs/promises";
import path, { isAbsolute, join, posix, relative, resolve } from "node:path";
import { existsSync, readFileSync, statSync } from "node:fs";
// src/provider/context-window.ts
/** When neither the config nor the price table knows the model. Small enough for most local servers. */
const DEFAULT_CONTEXT_WINDOW = 32768;
/** Cap on one tool result when the config sets none (UTF-8 bytes). */
const DEFAULT_TOOL_RESULT_LIMIT = 3e4;
/**
* The model's window: the provider's `contextWindows[model]`, else its `contextWindow`, else the bundled
* price table, else 32,768. A tool result may take a quarter of the window (about 4 bytes a token)
* and never more than 30,000 bytes, unless the provider sets `toolResultLimit`.
*/
function resolveContextLimits(config, model, table) {
	const configured = config.contextWindows?.[model] ?? config.contextWindow;
	const fromTable = configured === void 0 ? priceTableWindow(config.baseUrl, model, table) : void 0;
	const contextWindow = configured ?? fromTable ?? 32768;
	return {
		contextWindow,
		toolResultLimit: config.toolResultLimit ?? Math.min(DEFAULT_TOOL_RESULT_LIMIT, contextWindow)
	};
}
/** The table's window for the model: as served at this URL, else under its own name, else without a vendor prefix. */
function priceTableWindow(baseUrl, model, table) {
	const bare = model.slice(model.lastIndexOf("/") + 1);
	const lookups = [
		[model, { providerApiUrl: baseUrl }],
		[model, {}],
		[bare, {}]
	];
	for (const [name, options] of lookups) {
		const window = table({ input_tokens: 0 }, name, options)?.model.context_window;
		if (window !== void 0 && window > 0) return window;
	}
}
const OVERFLOW_PATTERN = /context[ _-]?(length|window|size)|maximum context|too many tokens|prompt is too long|input is too long|too long for the model|exceeds? the (available )?context/i;
/** True when the server refused the request because the prompt does not fit the model. */
function isContextOverflow(error) {
	if (!(error instanceof ProviderError)) return false;
	if (error.status !== 400 && error.status !== 413 && error.status !== 422) return false;
	return OVERFLOW_PATTERN.test(error.message);
}
/**
* The window a server names in its refusal, e.g. "This model's maximum context length is 8192 tokens"
* or "exceeds the available context size (4096 tokens)". Undefined when it names none.
*/
function windowFromError(error) {
	if (!(error instanceof Error)) return void 0;
	const match = /(?:context (?:length|window|size)|maximum context)\D{0,40}?(\d[\d,]{2,})\s*tokens/i.exec(error.message);
	const tokens = match?.[1] === void 0 ? NaN : Number(match[1].replaceAll(",", ""));
	return Number.isFinite(tokens) && tokens > 0 ? tokens : void 0;
}
// src/provider/structured.ts
/**
* Constrained decoding of a final answer: the request field that makes a server produce JSON valid
* against a schema, per server, and the fallback to instructions alone for a server that refuses it. The
* answer is validated locally either way (agent/output.ts), so a server that ignores the field is still safe.
*
* - `response_format` (the default): `{type: "json_schema", json_schema: {name, schema, strict}}`. OpenAI,
*   OpenRouter, LM Studio and vLLM take it as it is; Ollama's /v1 turns it into its own `format`, llama.cpp's
*   into its `json_schema` grammar.
* - `json_schema`: llama.cpp's own top-level field, for builds whose /v1 ignores `response_format`.
* - `guided_json`: vLLM's own field (before its `structured_outputs`), for versions without `response_format` schemas.
* - `none`: no field; the schema is in the instructions only.
*/
/** A provider's `structuredOutput`: which field asks its server for a schema-valid answer. */
const structuredOutputModeSchema = _enum([
	"response_format",
	"json_schema",
	"guided_json",
	"none"
]);
/** The body fields that ask the server for the request's output schema; none without one. */
function structuredOutputFields(mode, output) {
	if (!output) return {};
	switch (mode) {
		case "response_format": {
			const strict = qualifiesForStrict(output.schema);
			return { response_format: {
				type: "json_schema",
				json_schema: {
					name: output.name,
					schema: output.schema,
					...strict ? { strict: true } : {}
				}
			} };
		}
		case "json_schema": return { json_schema: output.schema };
		case "guided_json": return { guided_json: output.schema };
		case "none": return {};
	}
}
/**
* True when OpenAI's strict structured outputs can take the schema as written: the root is an object, and
* every object lists all its properties in `required` and sets `additionalProperties: false`. The user's
* schema is never rewritten to qualify: that would change what it accepts.
*/
function qualifiesForStrict(schema) {
	if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return false;
	const root = schema;
	return root.type === "object" && everyObjectClosed(root);
}
function everyObjectClosed(node) {
	if (Array.isArray(node)) return node.every(everyObjectClosed);
	if (typeof node !== "object" || node === null) return true;
	const schema = node;
	const properties = schema.properties;
	if (schema.type === "object" || Array.isArray(schema.type) && schema.type.includes("object") || properties !== void 0) {
		if (schema.additionalProperties !== false) return false;
		const names = typeof properties === "object" && properties !== null ? Object.keys(properties) : [];
		const required = Array.isArray(schema.required) ? schema.required : [];
		if (!names.every((name) => required.includes(name))) return false;
	}
	return Object.entries(schema).every(([key, value]) => key === "enum" || key === "const" || key === "default" || key === "examples" || everyObjectClosed(value));
}
/**
* Wraps `send`: a server that refuses the request's structured-output field (400, naming it) gets the same
* request without it from then on, the schema staying in the instructions; reported once through `onEvent`.
*/
function withStructuredOutput(send, { mode, onEvent }) {
	let refused = mode === "none";
	return async (request) => {
		if (!request.output) return send(request);
		if (refused) return send({
			...request,
			output: void 0
		});
		try {
			return await send(request);
		} catch (error) {
			if (!isStructuredOutputRejection(error)) throw error;
			refused = true;
			onEvent?.({
				type: "structured_output",
				mode: "none",
				reason: `the server refused ${FIELD_OF[mode]} (${error.message}); the schema is given in the instructions only`
			});
			return send({
				...request,
				output: void 0
			});
		}
	};
}
const FIELD_OF = {
	response_format: "response_format json_schema",
	json_schema: "json_schema",
	guided_json: "guided_json",
	none: "no field"
};
const REJECTION_PATTERN = /response_format|json_schema|guided_json|structured output|grammar|format/i;
/** True when the server refused the request because of its structured-output field. */
function isStructuredOutputRejection(error) {
	if (!(error instanceof ProviderError) || isContextOverflow(error)) return false;
	return (error.status === 400 || error.status === 422) && REJECTION_PATTERN.test(error.message);
}
// src/workspace/paths.ts
/** Hops through dangling symlinks before we give up, like the kernel's own ELOOP limit. */
const MAX_LINK_HOPS$1 = 40;
/**
* Maps a path the model gave to a real path inside the workspace, or throws a ToolError.
* Refuses absolute paths, `..` escapes and symlinks (anywhere along the path, dangling ones too)
* that lead outside.
*/
async function resolveWorkspacePath(workspace, given, options = {}) {
	if (path.isAbsolute(given) || path.win32.isAbsolute(given)) throw new ToolError(`"${given}" is an absolute path; give a path relative to the workspace root, e.g. "src/index.ts".`);
	const root = await realWorkspace(workspace);
	const lexical = path.resolve(root, given);
	if (!isInside(root, lexical)) throw new ToolError(`"${given}" is outside the workspace; only paths inside it can be used.`);
	const absolute = options.keepFinalLink && lexical !== root ? path.join(await realTarget(path.dirname(lexical)), path.basename(lexical)) : await realTarget(lexical);
	if (!isInside(root, absolute)) throw new ToolError(`"${given}" leads outside the workspace through a symbolic link; only paths inside it can be used.`);
	return {
		absolute,
		relative: toPosixRelative(root, absolute)
	};
}
/** Pure, for accesses(): no "./", no trailing "/", "." for the root. Keeps ".." as is. */
function normalizeRelativePath(given) {
	const normalized = path.posix.normalize(given);
	if (normalized === "/") return normalized;
	return normalized.replace(/\/+$/, "").replace(/^(\.\/)+/, "") || ".";
}
/** lstat, or undefined when nothing is there. */
async function lstatIfExists(absolute) {
	try {
		return await lstat(absolute);
	} catch (error) {
		if (isMissing(error)) return void 0;
		throw error;
	}
}
/** A workspace folder stays where it is while tasks use it: its real path is looked up once. */
const realWorkspaces = /* @__PURE__ */ new Map();
async function realWorkspace(workspace) {
	let real = realWorkspaces.get(workspace);
	if (real === void 0) {
		real = await realpath(workspace);
		realWorkspaces.set(workspace, real);
	}
	return real;
}
/** realpath for a path that may not exist yet: resolve the longest existing prefix, keep the rest. */
async function realTarget(absolute, hops = 0) {
	const { existing, rest } = await splitExisting(absolute);
	try {
		return path.join(await realpath(existing), ...rest);
	} catch (error) {
		if (!isNotFound(error) || hops >= MAX_LINK_HOPS$1) throw error;
		const target = await readlink(existing);
		const parent = await realpath(path.dirname(existing));
		return realTarget(path.join(path.resolve(parent, target), ...rest), hops + 1);
	}
}
async function splitExisting(absolute) {
	const rest = [];
	let current = absolute;
	for (;;) try {
		await lstat(current);
		return {
			existing: current,
			rest
		};
	} catch (error) {
		const parent = path.dirname(current);
		if (!isMissing(error) || parent === current) throw error;
		rest.unshift(path.basename(current));
		current = parent;
	}
}
function isInside(root, candidate) {
	if (candidate === root) return true;
	return candidate.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}
function toPosixRelative(root, absolute) {
	return path.relative(root, absolute).split(path.sep).join("/") || ".";
}
function isNotFound(error) {
	return error instanceof Error && "code" in error && error.code === "ENOENT";
}
/** ENOTDIR: a file stands where a folder is expected; the path does not exist either way. */
function isMissing(error) {
	return error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "ENOTDIR");
}
// src/workspace/gitignore.ts
var import_ignore = /* @__PURE__ */ __toESM((/* @__PURE__ */ __commonJSMin(((exports, module) => {
	function makeArray(subject) {
		return Array.isArray(subject) ? subject : [subject];
	}
	const UNDEFINED = void 0;
	const EMPTY = "";
	const SPACE = " ";
	const ESCAPE = "\\";
	const REGEX_LITERAL_SPECIAL = /[.*+?()[\]{}^$|\\/]/;
	const BOM = "﻿";
	const REGEX_ANCHORED_GLOBSTAR = /^\/\*{2,}$/;
	const REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION = /^\\!/;
	const REGEX_REPLACE_LEADING_EXCAPED_HASH = /^\\#/;
	const REGEX_SPLITALL_CRLF = /\r?\n/g;
	const DOUBLE_SLASH = "//";
	const SLASH_CODE = 47;
	const DOT_CODE = 46;
	const SLASH = "/";
	let TMP_KEY_IGNORE = "node-ignore";
	/* istanbul ignore else */
	if (typeof Symbol !== "undefined") TMP_KEY_IGNORE = Symbol.for("node-ignore");
	const KEY_IGNORE = TMP_KEY_IGNORE;
	const define = (object, key, value) => {
		Object.defineProperty(object, key, { value });
		return value;
	};
	const RETURN_FALSE = () => false;
	const POSIX_CLASSES = {
		alnum: "0-9A-Za-z",
		alpha: "A-Za-z",
		blank: " \\t",
		cntrl: "\\x00-\\x1f\\x7f",
		digit: "0-9",
		graph: "!-.0-~",
		lower: "a-z",
		print: " -.0-~",
		punct: "!-.:-@\\[-`{-~",
		space: " \\t\\n\\r",
		upper: "A-Z",
		xdigit: "0-9A-Fa-f"
	};
	const CLASS_MEMBERS_TO_ESCAPE = "\\]^-[";
	const escapeMember = (char) => CLASS_MEMBERS_TO_ESCAPE.indexOf(char) < 0 ? char : ESCAPE + char;
	const NON_SLASH = "(?!\\/)";
	const classSource = (negated, body) => {
		if (negated) return `[^\\/${body}]`;
		const source = `[${body}]`;
		return new RegExp(source).test("/") ? NON_SLASH + source : source;
	};
	const scanBracket = (pattern, start) => {
		const { length } = pattern;
		let index = start + 1;
		let negated = EMPTY;
		const lead = pattern[index];
		if (lead === "!" || lead === "^") {
			negated = "^";
			index++;
		}
		let body = EMPTY;
		let prev = EMPTY;
		for (;;) {
			const char = pattern[index];
			if (char === UNDEFINED) return null;
			if (char === ESCAPE) {
				const escaped = pattern[++index];
				body += escapeMember(escaped);
				prev = escaped;
			} else if (char === "-" && prev && index + 1 < length && pattern[index + 1] !== "]") {
				index++;
				let to = pattern[index];
				if (to === ESCAPE) to = pattern[index += 1];
				if (prev <= to) body += `-${escapeMember(to)}`;
				prev = EMPTY;
			} else if (char === "[" && pattern[index + 1] === ":") {
				const nameStart = index + 2;
				let end = nameStart;
				while (end < length && pattern[end] !== "]") end++;
				if (end === length) return null;
				if (end > nameStart && pattern[end - 1] === ":") {
					const name = pattern.slice(nameStart, end - 1);
					if (!Object.prototype.hasOwnProperty.call(POSIX_CLASSES, name)) return null;
					body += POSIX_CLASSES[name];
					prev = EMPTY;
					index = end;
				} else {
					body += escapeMember("[");
					prev = "[";
					index = nameStart - 2;
				}
			} else {
				body += escapeMember(char);
				prev = char;
			}
			index++;
			if (pattern[index] === "]") return {
				end: index,
				source: classSource(negated, body)
			};
		}
	};
	const NEVER_MATCH = "[]";
	const PLACEHOLDER = "\0";
	const REGEX_RESTORE_PLACEHOLDER = new RegExp(`${PLACEHOLDER}(\\d+)${PLACEHOLDER}`, "g");
	const TRAILING_WILDCARD = "";
	const TRAILING_DOUBLESTAR = "";
	const isReserved = (char) => char === PLACEHOLDER || char === TRAILING_WILDCARD || char === TRAILING_DOUBLESTAR;
	const extractBrackets = (pattern) => {
		const sources = [];
		const hold = (source) => `${PLACEHOLDER}${sources.push(source) - 1}${PLACEHOLDER}`;
		const { length } = pattern;
		let out = EMPTY;
		let index = 0;
		while (index < length) {
			const char = pattern[index];
			if (char === ESCAPE) {
				const escaped = pattern[index + 1];
				if (escaped === SLASH && index + 2 === length) out += hold(NEVER_MATCH);
				else if (escaped === "*" || escaped === "[" || escaped === SPACE) out += pattern.slice(index, index + 2);
				else out += hold(REGEX_LITERAL_SPECIAL.test(escaped) ? ESCAPE + escaped : isReserved(escaped) ? `[${escaped}]` : escaped);
				index += 2;
			} else if (isReserved(char)) {
				out += hold(`[${char}]`);
				index++;
			} else if (char === "[") {
				const scanned = scanBracket(pattern, index);
				if (scanned === null) {
					out += hold(NEVER_MATCH);
					index = length;
				} else {
					out += hold(scanned.source);
					index = scanned.end + 1;
				}
			} else {
				out += char;
				index++;
			}
		}
		return {
			source: out,
			sources
		};
	};
	const DIRECT = null;
	const REGEX_INNER_SLASH = /\/(?!$)/;
	const WILDCARD = "[^\\/]*";
	const REPLACERS = [
		[
			/(\\+)( ?)/g,
			(_, run, space) => space ? run.slice(0, run.length - run.length % 2) + SPACE : run,
			"\\ "
		],
		[
			/(^|\/)\*{3,}(?=\/|$)/g,
			(_, start) => `${start}**`,
			"*"
		],
		[/[\\$.|*+(){^]/g, (match) => `\\${match}`],
		[
			/(?!\\)\?/g,
			() => "[^/]",
			"?"
		],
		[
			/^\//,
			() => "^",
			SLASH
		],
		[
			/\//g,
			() => "\\/",
			SLASH
		],
		[
			/^\^*(?:\\\*\\\*\\\/)+/,
			() => "(?:^|\\/)",
			"*"
		],
		[DIRECT, (source, pattern) => {
			if (!source || source[0] === "^" || source[0] === "(") return source;
			return (!REGEX_INNER_SLASH.test(pattern) ? "(?:^|\\/)" : "^") + source;
		}],
		[
			/\\\/\\\*\\\*(?=\\\/|$)/g,
			(_, index, str) => index + 6 < str.length ? str.slice(index + 6) === "\\/" ? "(?:\\/[^\\/]+)+" : "(?:\\/[^\\/]+)*" : `\\/${TRAILING_DOUBLESTAR}`,
			"*"
		],
		[
			/(^|[^\\])(?:\\\*)+(?!$)/g,
			(_, p1) => p1 + WILDCARD,
			"*"
		],
		[
			/(^|[^\\])((?:\\\\)*)\\\*$/,
			(match, p1, p2) => p2 === EMPTY ? p1 + TRAILING_WILDCARD : match,
			"*"
		],
		[
			/\\\\\\(?=[$.|*+(){^])/g,
			() => ESCAPE,
			"\\\\"
		],
		[
			/\\\\/g,
			() => ESCAPE,
			"\\\\"
		],
		[
			/\\\[([^\]/]*?)($|\])/g,
			(match, range, close) => `\\[${range}${close}`,
			"["
		],
		[DIRECT, (source) => {
			const last = source[source.length - 1];
			if (!last || last === TRAILING_WILDCARD || last === TRAILING_DOUBLESTAR) return source;
			return last === SLASH ? `${source}$` : `${source}(?=$|\\/$)`;
		}]
	];
	const REGEX_REPLACE_TRAILING_WILDCARD = /(^|\\\/)?\uE000$/;
	const MODE_IGNORE = "regex";
	const MODE_CHECK_IGNORE = "checkRegex";
	const replaceTrailingWildcard = (_, p1) => {
		return `${p1 ? `${p1}[^/]+` : "[^/]*"}(?=$|\\/$)`;
	};
	const REGEX_REPLACE_TRAILING_DOUBLESTAR = /\uE001$/;
	const replaceTrailingDoublestar = () => "[\\s\\S]";
	const separatorAfter = (run, at) => {
		let separator = EMPTY;
		for (let index = at + 1; index < run.length && !run[index].wildcard; index++) separator += run[index].single;
		return separator;
	};
	const pinWildcards = (source) => {
		if (source.indexOf(WILDCARD) < 0) return source;
		const tokens = [];
		const { length } = source;
		let index = 0;
		while (index < length) {
			const char = source[index];
			if (source.startsWith(WILDCARD, index)) {
				tokens.push({ wildcard: true });
				index += 6;
			} else if (char === "[") {
				let end = index + 1;
				if (source[end] === "^") end++;
				if (source[end] === "]") end++;
				while (end < length && source[end] !== "]") end += source[end] === ESCAPE ? 2 : 1;
				end++;
				tokens.push({ single: source.slice(index, end) });
				index = end;
			} else if (char === ESCAPE) {
				tokens.push({ single: source.slice(index, index + 2) });
				index += 2;
			} else if (char === "(") {
				let depth = 0;
				let end = index;
				do {
					if (source[end] === ESCAPE) end++;
					else if (source[end] === "(") depth++;
					else if (source[end] === ")") depth--;
					end++;
				} while (end < length && depth > 0);
				if ("*+?".indexOf(source[end]) >= 0) end++;
				tokens.push({ boundary: source.slice(index, end) });
				index = end;
			} else if (char === "^" || char === "$") {
				tokens.push({ boundary: char });
				index++;
			} else {
				tokens.push({ single: char });
				index++;
			}
		}
		let out = EMPTY;
		let run = [];
		const flush = () => {
			let lastWildcard;
			run.forEach((token, at) => {
				if (token.wildcard) lastWildcard = at;
			});
			run.forEach((token, at) => {
				if (!token.wildcard) {
					out += token.single;
					return;
				}
				out += at === lastWildcard ? WILDCARD : `(?:(?!${separatorAfter(run, at)})[^\\/])*`;
			});
			run = [];
		};
		tokens.forEach((token) => {
			if (token.boundary === void 0) {
				run.push(token);
				return;
			}
			flush();
			out += token.boundary;
		});
		flush();
		return out;
	};
	const makeRegexPrefix = (pattern) => {
		if (REGEX_ANCHORED_GLOBSTAR.test(pattern)) pattern = "**";
		const { source, sources } = extractBrackets(pattern);
		const replaced = REPLACERS.reduce((prev, [matcher, replacer, required]) => {
			if (matcher === DIRECT) return replacer(prev, pattern);
			if (required !== UNDEFINED && prev.indexOf(required) < 0) return prev;
			return matcher.test(prev) ? prev.replace(matcher, replacer.bind(pattern)) : prev;
		}, source);
		return sources.length ? replaced.replace(REGEX_RESTORE_PLACEHOLDER, (match, index) => sources[index]) : replaced;
	};
	const checkSourceOf = (body, prefix) => {
		if (body[body.length - 1] === SLASH) prefix = makeRegexPrefix(body.slice(0, -1));
		const head = prefix.slice(0, -1);
		const last = prefix[prefix.length - 1];
		return last === TRAILING_WILDCARD ? `${head}$` : last === TRAILING_DOUBLESTAR ? head : NEVER_MATCH;
	};
	const matchesBasename = (body) => {
		const index = body.indexOf(SLASH);
		return index < 0 || index === body.length - 1;
	};
	const basenameOf = (path) => {
		const end = path.length - 1;
		const index = path.lastIndexOf(SLASH, path[end] === SLASH ? end - 1 : end);
		return index < 0 ? path : path.slice(index + 1);
	};
	const parentOf = (path) => {
		if (path.charCodeAt(0) === SLASH_CODE || path.indexOf(DOUBLE_SLASH) >= 0) {
			const slices = path.split(SLASH).filter(Boolean);
			slices.pop();
			return slices.length ? slices.join(SLASH) + SLASH : EMPTY;
		}
		const end = path.length - 1;
		const cut = path.lastIndexOf(SLASH, path.charCodeAt(end) === SLASH_CODE ? end - 1 : end);
		return cut < 0 ? EMPTY : path.slice(0, cut + 1);
	};
	const isString = (subject) => typeof subject === "string";
	const checkPattern = (pattern) => pattern && isString(pattern);
	const splitPattern = (pattern) => (pattern[pattern.length - 1] === "\r" ? pattern.slice(0, -1) : pattern).split(REGEX_SPLITALL_CRLF).filter(Boolean);
	var IgnoreRule = class {
		constructor(pattern, mark, body, ignoreCase, negative, prefix) {
			this.pattern = pattern;
			this.mark = mark;
			this.negative = negative;
			define(this, "body", body);
			define(this, "ignoreCase", ignoreCase);
			define(this, "regexPrefix", prefix);
		}
		get _basenameOnly() {
			return define(this, "_basenameOnly", matchesBasename(this.body));
		}
		get regex() {
			const key = "_regex";
			if (this[key]) return this[key];
			return this._make(MODE_IGNORE, key);
		}
		get checkRegex() {
			const key = "_checkRegex";
			if (this[key]) return this[key];
			return this._make(MODE_CHECK_IGNORE, key);
		}
		_make(mode, key) {
			const str = pinWildcards(mode === MODE_IGNORE ? this.regexPrefix.replace(REGEX_REPLACE_TRAILING_WILDCARD, replaceTrailingWildcard).replace(REGEX_REPLACE_TRAILING_DOUBLESTAR, replaceTrailingDoublestar) : checkSourceOf(this.body, this.regexPrefix));
			const regex = this.ignoreCase ? new RegExp(str, "i") : new RegExp(str);
			return define(this, key, regex);
		}
	};
	const hasTrailingBackslash = (str) => {
		let count = 0;
		while (str[str.length - count - 1] === ESCAPE) count++;
		return count % 2 === 1;
	};
	const trimEnd = (body, stripLineEnd) => {
		let lineEnd = body.length;
		let end;
		for (;;) {
			if (stripLineEnd && body[lineEnd - 1] === "\r") lineEnd--;
			end = lineEnd;
			while (body[end - 1] === SPACE) end--;
			if (!stripLineEnd || body[end - 1] !== "\n") break;
			lineEnd = end - 1;
		}
		if (end === lineEnd) return body.slice(0, lineEnd);
		let backslashes = 0;
		while (body[end - backslashes - 1] === ESCAPE) backslashes++;
		return backslashes % 2 ? body.slice(0, end - 1) + SPACE : body.slice(0, end);
	};
	const createRule = (pattern, mark, ignoreCase, stripLineEnd, stripBOM) => {
		let body = stripBOM && pattern[0] === BOM ? pattern.slice(1) : pattern;
		if (body[0] === "#") return;
		let negative = false;
		if (body[0] === "!") {
			negative = true;
			body = body.slice(1);
		}
		const last = body[body.length - 1];
		if (last === SPACE || stripLineEnd && (last === "\r" || last === "\n")) body = trimEnd(body, stripLineEnd);
		if (!body || hasTrailingBackslash(body)) return;
		body = body.replace(REGEX_REPLACE_LEADING_EXCAPED_EXCLAMATION, "!").replace(REGEX_REPLACE_LEADING_EXCAPED_HASH, "#");
		const regexPrefix = makeRegexPrefix(body);
		return new IgnoreRule(pattern, mark, body, ignoreCase, negative, regexPrefix);
	};
	var RuleManager = class {
		constructor(ignoreCase) {
			this._ignoreCase = ignoreCase;
			this._rules = [];
			this._basenameCount = 0;
		}
		_add(pattern, index) {
			if (pattern && pattern[KEY_IGNORE]) {
				this._rules = this._rules.concat(pattern._rules._rules);
				this._basenameCount += pattern._rules._basenameCount;
				this._added = true;
				return;
			}
			const isStr = isString(pattern);
			const raw = isStr ? pattern : pattern.pattern;
			const rule = checkPattern(raw) && createRule(raw, isStr ? UNDEFINED : pattern.mark, this._ignoreCase, !this._split, this._stripBOM && !index);
			if (rule) {
				this._added = true;
				this._rules.push(rule);
				if (matchesBasename(rule.body)) this._basenameCount++;
			}
		}
		add(pattern) {
			this._added = false;
			this._split = isString(pattern);
			this._stripBOM = !this._split || pattern[0] === BOM;
			makeArray(this._split ? splitPattern(pattern) : pattern).forEach(this._add, this);
			if (this._added) this._literalRules = UNDEFINED;
			return this._added;
		}
		testLiteral(path) {
			const rules = this._literalRules || (this._literalRules = this._rules.filter(({ body }) => body[body.length - (body[body.length - 1] === SLASH ? 2 : 1)] === "*"));
			let ignored = false;
			let unignored = false;
			let matchedRule;
			for (let index = rules.length - 1; index >= 0; index--) {
				const rule = rules[index];
				if (rule.checkRegex.test(path)) {
					ignored = !rule.negative;
					unignored = rule.negative;
					matchedRule = rule.negative ? UNDEFINED : rule;
					break;
				}
			}
			const ret = {
				ignored,
				unignored
			};
			if (matchedRule) ret.rule = matchedRule;
			return ret;
		}
		test(path, mode) {
			const rules = this._rules;
			const { length } = rules;
			const shortcut = this._basenameCount * 2 >= length;
			const basename = shortcut ? basenameOf(path) : path;
			for (let index = length - 1; index >= 0; index--) {
				const rule = rules[index];
				if (rule[mode].test(shortcut && rule._basenameOnly ? basename : path)) {
					const { negative } = rule;
					const ret = {
						ignored: !negative,
						unignored: negative
					};
					if (!negative) ret.rule = rule;
					return ret;
				}
			}
			return {
				ignored: false,
				unignored: false
			};
		}
	};
	const throwError = (message, Ctor) => {
		throw new Ctor(message);
	};
	const checkPath = (path, originalPath, doThrow) => {
		if (!isString(path)) return doThrow(`path must be a string, but got \`${originalPath}\``, TypeError);
		if (!path) return doThrow(`path must not be empty`, TypeError);
		if (checkPath.isNotRelative(path)) return doThrow(`path should be a \`path.relative()\`d string, but got "${originalPath}"`, RangeError);
		return true;
	};
	const isNotRelative = (path) => {
		const first = path.charCodeAt(0);
		if (first === SLASH_CODE) return true;
		if (first !== DOT_CODE) return false;
		if (path.length === 1) return true;
		const second = path.charCodeAt(1);
		if (second === SLASH_CODE) return true;
		if (second !== DOT_CODE) return false;
		return path.length === 2 || path.charCodeAt(2) === SLASH_CODE;
	};
	checkPath.isNotRelative = isNotRelative;
	/* istanbul ignore next */
	checkPath.convert = (p) => p;
	const convertPath = (target) => isString(target) && checkPath.convert(target);
	var Ignore = class {
		constructor({ ignorecase = true, ignoreCase = ignorecase, allowRelativePaths = false } = {}) {
			define(this, KEY_IGNORE, true);
			this._rules = new RuleManager(ignoreCase);
			this._strictPathCheck = !allowRelativePaths;
			this._initCache();
		}
		_initCache() {
			this._ignoreCache = Object.create(null);
			this._testCache = Object.create(null);
		}
		add(pattern) {
			if (this._rules.add(pattern)) this._initCache();
			return this;
		}
		addPattern(pattern) {
			return this.add(pattern);
		}
		_test(originalPath, cache, path) {
			checkPath(path, originalPath, this._strictPathCheck ? throwError : RETURN_FALSE);
			return path ? this._t(path, cache) : {
				ignored: false,
				unignored: false
			};
		}
		checkIgnore(target) {
			const path = convertPath(target);
			if (!path || path.charCodeAt(path.length - 1) !== SLASH_CODE) return this._test(target, this._testCache, path);
			const dir = this._t(path, this._testCache);
			if (dir.ignored) return dir;
			const literal = this._rules.testLiteral(path);
			return literal.ignored || literal.unignored ? literal : dir;
		}
		_t(path, cache) {
			const cached = cache[path];
			if (cached) return cached;
			const parentPath = parentOf(path);
			const parent = parentPath ? this._t(parentPath, cache) : UNDEFINED;
			return cache[path] = parent && parent.ignored ? parent : this._rules.test(path, MODE_IGNORE);
		}
		ignores(path) {
			return this._test(path, this._ignoreCache, convertPath(path)).ignored;
		}
		createFilter() {
			return (path) => !this.ignores(path);
		}
		filter(paths) {
			return makeArray(paths).filter(this.createFilter());
		}
		test(path) {
			return this._test(path, this._testCache, convertPath(path));
		}
	};
	const factory = (options) => new Ignore(options);
	const isPathValid = (path) => checkPath(convertPath(path), path, RETURN_FALSE);
	/* istanbul ignore next */
	const setupWindows = () => {
		const makePosix = (str) => /^\\\\\?\\/.test(str) || /["<>|\u0000-\u001F]+/u.test(str) ? str : str.replace(/\\/g, "/");
		checkPath.convert = makePosix;
		const REGEX_TEST_WINDOWS_PATH_ABSOLUTE = /^[a-z]:\//i;
		checkPath.isNotRelative = (path) => REGEX_TEST_WINDOWS_PATH_ABSOLUTE.test(path) || isNotRelative(path);
	};
	/* istanbul ignore next */
	if (typeof process !== "undefined" && process.platform === "win32") setupWindows();
	module.exports = factory;
	factory.default = factory;
	module.exports.isPathValid = isPathValid;
	define(module.exports, Symbol.for("setupWindows"), setupWindows);
})))(), 1);
/**
* Honours the root .gitignore and nested ones (each applies to paths below its folder), plus `.git`
* itself. Files are read lazily, once per folder, so a walk that prunes ignored folders stays cheap.
*/
function createIgnoreFilter(root) {
	const rulesByFolder = /* @__PURE__ */ new Map();
	const rulesFor = (folder) => {
		if (!rulesByFolder.has(folder)) rulesByFolder.set(folder, readRules(path.join(root, folder, ".gitignore")));
		return rulesByFolder.get(folder);
	};
	return (relativePath, isDirectory) => {
		const segments = relativePath.split("/").filter((segment) => segment !== "" && segment !== ".");
		if (segments.includes(".git")) return true;
		for (let depth = 0; depth < segments.length; depth++) {
			const rules = rulesFor(segments.slice(0, depth).join("/"));
			const below = segments.slice(depth).join("/") + (isDirectory ? "/" : "");
			if (rules?.ignores(below)) return true;
		}
		return false;
	};
}
function readRules(file) {
	try {
		return (0, import_ignore.default)().add(readFileSync(file, "utf8"));
	} catch {
		return;
	}
}
// node_modules/balanced-match/dist/esm/index.js
const range = (a, b, str) => {
	let begs, beg, left, right = void 0, result;
	let ai = str.indexOf(a);
	let bi = str.indexOf(b, ai + 1);
	let i = ai;
	if (ai >= 0 && bi > 0) {
		if (a === b) return [ai, bi];
		begs = [];
		left = str.length;
		while (i >= 0 && !result) {
			if (i === ai) {
				begs.push(i);
				ai = str.indexOf(a, i + 1);
			} else if (begs.length === 1) {
				const r = begs.pop();
				if (r !== void 0) result = [r, bi];
			} else {
				beg = begs.pop();
				if (beg !== void 0 && beg < left) {
					left = beg;
					right = bi;
				}
				bi = str.indexOf(b, i + 1);
			}
			i = ai < bi && ai >= 0 ? ai : bi;
		}
		if (begs.length && right !== void 0) result = [left, right];
	}
	return result;
};
// node_modules/brace-expansion/dist/esm/index.js
const escSlash = "\0SLASH" + Math.random().toFixed(16) + "\0";
const escOpen = "\0OPEN" + Math.random().toFixed(16) + "\0";
const escClose = "\0CLOSE" + Math.random().toFixed(16) + "\0";
const escComma = "\0COMMA" + Math.random().toFixed(16) + "\0";
const escPeriod = "\0PERIOD" + Math.random().toFixed(16) + "\0";
const escSlashPattern = new RegExp(escSlash, "g");
const escOpenPattern = new RegExp(escOpen, "g");
const escClosePattern = new RegExp(escClose, "g");
const escCommaPattern = new RegExp(escComma, "g");
const escPeriodPattern = new RegExp(escPeriod, "g");
const slashPattern = /\\\\/g;
const openPattern = /\\{/g;
const closePattern = /\\}/g;
const commaPattern = /\\,/g;
const periodPattern = /\\\./g;
const EXPANSION_MAX = 1e5;
const EXPANSION_MAX_LENGTH = 4e6;
const EXPANSION_MAX_DEPTH = 1e3;
const EXPANSION_MAX_REWRITES = 1e3;
const EXPANSION_MAX_STEPS = 2e7;
const CALL_STEPS = 16;
function numeric(str) {
	return !isNaN(str) ? parseInt(str, 10) : str.charCodeAt(0);
}
function escapeBraces(str) {
	return str.replace(slashPattern, escSlash).replace(openPattern, escOpen).replace(closePattern, escClose).replace(commaPattern, escComma).replace(periodPattern, escPeriod);
}
function unescapeBraces(str) {
	return str.replace(escSlashPattern, "\\").replace(escOpenPattern, "{").replace(escClosePattern, "}").replace(escCommaPattern, ",").replace(escPeriodPattern, ".");
}
function pushAll(target, items) {
	for (let i = 0; i < items.length; i++) target.push(items[i]);
}
function balancedWithBudget(str, masked, budget) {
	if (budget.remaining < 0) return;
	const r = range("{", "}", masked);
	const unmatched = r !== void 0 && masked.indexOf("{") < r[0];
	budget.remaining -= r && !unmatched ? r[1] + 1 : str.length;
	if (!r || budget.remaining < 0) return;
	return {
		end: r[1],
		pre: str.slice(0, r[0]),
		body: str.slice(r[0] + 1, r[1]),
		post: str.slice(r[1] + 1),
		unmatched
	};
}
function maskUnmatchedOpens(masked, budget) {
	budget.remaining -= masked.length;
	const open = [];
	for (let i = 0; i < masked.length; i++) {
		const c = masked.charCodeAt(i);
		if (c === 123) open.push(i);
		else if (c === 125 && open.length) open.pop();
	}
	let out = "";
	let last = 0;
	for (let i = 0; i < open.length; i++) {
		const at = open[i];
		out += masked.slice(last, at) + "\0";
		last = at + 1;
	}
	return out + masked.slice(last);
}
function commaSetFollows(str, budget) {
	budget.remaining -= str.length;
	if (budget.remaining < 0) return false;
	let close = false;
	for (let i = str.length - 1; i >= 0; i--) {
		const c = str.charCodeAt(i);
		if (c === 125) close = true;
		else if (c === 10 || c === 13 || c === 8232 || c === 8233) close = false;
		else if (c === 44 && close && str.charCodeAt(i + 1) !== 44) return true;
	}
	return false;
}
/**
* Basically just str.split(","), but handling cases
* where we have nested braced sections, which should be
* treated as individual members, like {a,{b,c},d}
*
* Returns `undefined` if the step budget runs out before the whole set is
* split, since splitting what is left on every comma would tear apart the
* nested sets it still holds.
*/
function parseCommaParts(str, budget) {
	const parts = [];
	let carry = "";
	for (;;) {
		const m = balancedWithBudget(str, str, budget);
		if (budget.remaining < 0) return;
		if (!m) {
			const tail = str.split(",");
			tail[0] = carry + tail[0];
			pushAll(parts, tail);
			return parts;
		}
		const { pre, body, post } = m;
		const p = pre.split(",");
		p[0] = carry + p[0];
		p[p.length - 1] += "{" + body + "}";
		if (!post.length) {
			pushAll(parts, p);
			return parts;
		}
		carry = p.pop();
		pushAll(parts, p);
		str = post;
	}
}
function bound(value, fallback) {
	return value === void 0 || isNaN(value) ? fallback : value;
}
function expand(str, options = {}) {
	if (!str) return [];
	const max = bound(options.max, EXPANSION_MAX);
	const maxLength = bound(options.maxLength, EXPANSION_MAX_LENGTH);
	const maxDepth = bound(options.maxDepth, EXPANSION_MAX_DEPTH);
	const maxRewrites = bound(options.maxRewrites, EXPANSION_MAX_REWRITES);
	const maxSteps = bound(options.maxSteps, EXPANSION_MAX_STEPS);
	if (str.slice(0, 2) === "{}") str = "\\{\\}" + str.slice(2);
	return expand_(escapeBraces(str), max, maxLength, maxDepth, 0, maxRewrites, { remaining: maxSteps }, true).map(unescapeBraces);
}
function embrace(str) {
	return "{" + str + "}";
}
function isPadded(el) {
	return /^-?0\d/.test(el);
}
function lte(i, y) {
	return i <= y;
}
function gte(i, y) {
	return i >= y;
}
function combine(acc, pre, values, max, maxLength, dropEmpties, budget) {
	const out = [];
	let length = 0;
	let nonEmpty;
	outer: for (let a = 0; a < acc.length; a++) {
		const prefix = acc[a] + pre;
		let vs = values;
		if (dropEmpties && !prefix) {
			if (!nonEmpty) nonEmpty = values.filter((v) => v);
			vs = nonEmpty;
		}
		for (let v = 0; v < vs.length; v++) {
			if (out.length >= max) break outer;
			const expansion = prefix + vs[v];
			if (length + expansion.length > maxLength) break outer;
			out.push(expansion);
			length += expansion.length;
		}
	}
	budget.remaining -= out.length;
	return out;
}
function expandSequence(body, isAlphaSequence, max, maxLength, budget) {
	const n = body.split(/\.\./);
	const N = [];
	/* c8 ignore start */
	if (n[0] === void 0 || n[1] === void 0) return N;
	/* c8 ignore stop */
	const x = numeric(n[0]);
	const y = numeric(n[1]);
	const width = Math.max(n[0].length, n[1].length);
	let incr = n.length === 3 && n[2] !== void 0 ? Math.max(Math.abs(numeric(n[2])), 1) : 1;
	let test = lte;
	if (y < x) {
		incr *= -1;
		test = gte;
	}
	const pad = n.some(isPadded);
	const cost = pad ? width : 1;
	let length = 0;
	for (let i = x; test(i, y) && N.length < max; i += incr) {
		budget.remaining -= cost;
		if (budget.remaining < 0) return;
		let c;
		if (isAlphaSequence) {
			c = String.fromCharCode(i);
			if (c === "\\") c = "";
		} else {
			c = String(i);
			if (pad) {
				const need = width - c.length;
				if (need > 0) {
					const z = new Array(need + 1).join("0");
					if (i < 0) c = "-" + z + c.slice(1);
					else c = z + c;
				}
			}
		}
		if (length + c.length > maxLength) break;
		N.push(c);
		length += c.length;
	}
	return N;
}
function expand_(str, max, maxLength, maxDepth, depth, maxRewrites, budget, isTop) {
	budget.remaining -= CALL_STEPS;
	if (depth > maxDepth) return [str];
	let acc = [""];
	let rewrites = 0;
	let dropEmpties = false;
	let firstGroup = true;
	let masked = str;
	for (;;) {
		const m = balancedWithBudget(str, masked, budget);
		if (!m) return combine(acc, str, [""], max, maxLength, dropEmpties, budget);
		if (m.unmatched) masked = maskUnmatchedOpens(masked, budget);
		const pre = m.pre;
		const literal = () => combine(acc, pre + "{" + m.body + "}" + m.post, [""], max, maxLength, dropEmpties, budget);
		if (/\$$/.test(pre)) {
			acc = combine(acc, pre + "{" + m.body + "}", [""], max, maxLength, dropEmpties && !m.post.length, budget);
			firstGroup = false;
			if (!m.post.length) break;
			str = m.post;
			masked = masked.slice(m.end + 1);
			continue;
		}
		const isNumericSequence = /^-?\d+\.\.-?\d+(?:\.\.-?\d+)?$/.test(m.body);
		const isAlphaSequence = /^[a-zA-Z]\.\.[a-zA-Z](?:\.\.-?\d+)?$/.test(m.body);
		const isSequence = isNumericSequence || isAlphaSequence;
		const isOptions = m.body.indexOf(",") >= 0;
		if (!isSequence && !isOptions) {
			if (rewrites < maxRewrites && commaSetFollows(m.post, budget)) {
				rewrites++;
				str = m.pre + "{" + m.body + escClose + m.post;
				masked = masked.slice(0, m.end) + escClose + masked.slice(m.end + 1);
				isTop = true;
				continue;
			}
			return literal();
		}
		if (firstGroup) {
			dropEmpties = isTop && !isSequence;
			firstGroup = false;
		}
		let values;
		if (isSequence) {
			values = expandSequence(m.body, isAlphaSequence, max, maxLength, budget);
			if (!values) return literal();
		} else {
			let n = parseCommaParts(m.body, budget);
			if (!n) return literal();
			if (n.length === 1 && n[0] !== void 0) {
				n = expand_(n[0], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false).map(embrace);
				if (budget.remaining < 0) return literal();
				/* c8 ignore start */
				if (n.length === 1) {
					const next = combine(acc, pre + n[0], [""], max, maxLength, dropEmpties && !m.post.length, budget);
					if (budget.remaining < 0) return literal();
					acc = next;
					if (!m.post.length) break;
					str = m.post;
					masked = masked.slice(m.end + 1);
					continue;
				}
			}
			let dropsEmpties = dropEmpties && !m.post.length && !pre;
			for (let d = 0; dropsEmpties && d < acc.length; d++) if (acc[d]) dropsEmpties = false;
			values = [];
			let valuesLength = 0;
			outer: for (let j = 0; j < n.length; j++) {
				const expanded = expand_(n[j], max, maxLength, maxDepth, depth + 1, maxRewrites, budget, false);
				if (budget.remaining < 0) return literal();
				for (let k = 0; k < expanded.length; k++) {
					const v = expanded[k];
					if (dropsEmpties && !v) continue;
					if (values.length >= max || valuesLength + v.length > maxLength) break outer;
					values.push(v);
					valuesLength += v.length;
				}
			}
		}
		const next = combine(acc, pre, values, max, maxLength, dropEmpties && !m.post.length, budget);
		if (budget.remaining < 0) return literal();
		acc = next;
		if (!m.post.length) break;
		str = m.post;
		masked = masked.slice(m.end + 1);
	}
	return acc;
}
// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/numeric-range.js
const digit = (a, b) => a === b ? {
	t: "lit",
	ch: String(a)
} : {
	t: "class",
	re: new RegExp(`^[${a}-${b}]$`)
};
const prefix = (d, alts) => alts.map((s) => [digit(d, d), ...s]);
const fixed = (a, b) => {
	if (!a) return [[]];
	let lo = +a[0];
	let hi = +b[0];
	const ra = a.slice(1);
	const rb = b.slice(1);
	if (lo === hi) return prefix(lo, fixed(ra, rb));
	const zeros = "0".repeat(ra.length);
	const nines = "9".repeat(ra.length);
	const out = [];
	if (ra !== zeros) out.push(...prefix(lo++, fixed(ra, nines)));
	const last = rb === nines ? [] : prefix(hi--, fixed(zeros, rb));
	if (lo <= hi) out.push([digit(lo, hi), ...Array.from(ra, () => digit(0, 9))]);
	out.push(...last);
	return out;
};
const nonneg = (a, b, width) => {
	if (width) return fixed(String(a).padStart(width, "0"), String(b).padStart(width, "0"));
	const out = [];
	for (let len = String(a).length; len <= String(b).length; len++) {
		const lo = Math.max(a, len === 1 ? 0 : 10 ** (len - 1));
		const hi = Math.min(b, 10 ** len - 1);
		out.push(...fixed(String(lo), String(hi)));
	}
	return out;
};
/**
* The strings that the bash brace expansion `{lo..hi}` makes, as
* the alternatives of an `@(...)` extglob. Each one is a sequence of
* digits and digit classes, so there are only a few of them, even for
* a large range.
*
* If either end has a leading zero, such as `{01..10}`, each number
* has leading zeros to make it as long as the longer end, counting a
* `-` sign. So `{-05..3}` makes `-05` to `-01`, then `000` to `003`.
*
* Returns undefined if either end is not a safe integer.
*/
const numericRange = (loStr, hiStr) => {
	let lo = Number(loStr);
	let hi = Number(hiStr);
	if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) return;
	if (lo > hi) [lo, hi] = [hi, lo];
	const width = /^-?0\d/.test(loStr) || /^-?0\d/.test(hiStr) ? Math.max(loStr.length, hiStr.length) : 0;
	const out = [];
	if (lo < 0) {
		const neg = nonneg(Math.max(-hi, 1), -lo, width && width - 1);
		out.push(...neg.map((s) => [{
			t: "lit",
			ch: "-"
		}, ...s]));
	}
	if (hi >= 0) out.push(...nonneg(Math.max(lo, 0), hi, width));
	return out;
};
// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/parse-class.js
const posixClasses = {
	"[:alnum:]": ["\\p{L}\\p{Nl}\\p{Nd}"],
	"[:alpha:]": ["\\p{L}\\p{Nl}"],
	"[:ascii:]": ["\\x00-\\x7f"],
	"[:blank:]": ["\\p{Zs}\\t"],
	"[:cntrl:]": ["\\p{Cc}"],
	"[:digit:]": ["\\p{Nd}"],
	"[:graph:]": ["\\p{Z}\\p{C}", true],
	"[:lower:]": ["\\p{Ll}"],
	"[:print:]": ["\\p{C}", true],
	"[:punct:]": ["\\p{P}\\p{S}"],
	"[:space:]": ["\\p{Z}\\t\\r\\n\\v\\f"],
	"[:upper:]": ["\\p{Lu}"],
	"[:word:]": ["\\p{L}\\p{Nl}\\p{Nd}\\p{Pc}"],
	"[:xdigit:]": ["A-Fa-f0-9"]
};
const braceEscape = (s) => s.replace(/[[\]\\-]/g, "\\$&");
const noMatch = /$./;
const parseClass = (glob, position, nocase = false, form) => {
	const norm = (c) => {
		const n = form ? c.normalize(form) : c;
		return [...n].length === 1 ? n : c;
	};
	const pos = position;
	/* c8 ignore start */
	if (glob.charAt(pos) !== "[") throw new Error("not in a brace expression");
	/* c8 ignore stop */
	const ranges = [];
	const negs = [];
	let i = pos + 1;
	let sawStart = false;
	let escaping = false;
	let negate = false;
	let endPos = pos;
	let rangeStart = "";
	WHILE: while (i < glob.length) {
		const c = String.fromCodePoint(glob.codePointAt(i));
		if ((c === "!" || c === "^") && i === pos + 1) {
			negate = true;
			i++;
			continue;
		}
		if (c === "]" && sawStart && !escaping) {
			endPos = i + 1;
			break;
		}
		sawStart = true;
		if (c === "\\") {
			if (!escaping) {
				escaping = true;
				i++;
				continue;
			}
		}
		if (c === "[" && !escaping) {
			for (const [cls, [unip, neg]] of Object.entries(posixClasses)) if (glob.startsWith(cls, i)) {
				if (rangeStart) return [noMatch, glob.length - pos];
				i += cls.length;
				if (neg) negs.push(unip);
				else ranges.push(unip);
				continue WHILE;
			}
		}
		escaping = false;
		const n = norm(c);
		if (rangeStart) {
			if (n.codePointAt(0) > rangeStart.codePointAt(0)) ranges.push(braceEscape(rangeStart) + "-" + braceEscape(n));
			else if (n === rangeStart) ranges.push(braceEscape(n));
			rangeStart = "";
			i += c.length;
			continue;
		}
		if (glob.startsWith("-]", i + c.length)) {
			ranges.push(braceEscape(n + "-"));
			i += c.length + 1;
			continue;
		}
		if (glob.startsWith("-", i + c.length)) {
			rangeStart = n;
			i += c.length + 1;
			continue;
		}
		ranges.push(braceEscape(n));
		i += c.length;
	}
	if (endPos < i) return [noMatch, 0];
	if (!ranges.length && !negs.length) return [noMatch, glob.length - pos];
	const sranges = "[" + (negate ? "^" : "") + ranges.join("") + "]";
	const snegs = "[" + (negate ? "" : "^") + negs.join("") + "]";
	const comb = "^" + (ranges.length && negs.length ? "(" + sranges + "|" + snegs + ")" : ranges.length ? sranges : snegs);
	return [new RegExp(comb, nocase ? "iu" : "u"), endPos - pos];
};
// node_modules/@isaacs/nonrecursive-glob-match/dist/esm/index.js
const MATCH = {
	t: "match",
	id: 0
};
const extTypes = "!?+*@";
const lit = (ch) => ({
	t: "lit",
	ch
});
const reEscape = (s) => s.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
const newFoldRe = (s) => new RegExp(`^${reEscape(s)}$`, "iu");
const foldCache = /* @__PURE__ */ new Map();
const foldRe = (ch) => {
	let re = foldCache.get(ch);
	if (!re) {
		re = newFoldRe(ch);
		if (foldCache.size >= 1e3) foldCache.clear();
		foldCache.set(ch, re);
	}
	return re;
};
const litMatch = (l, c) => {
	if (c === l.ch) return true;
	if (!l.re) return false;
	const code = c.charCodeAt(0);
	if (code >= 128) return l.re.test(c);
	const ascii = l.ascii ??= /* @__PURE__ */ new Uint8Array(128);
	ascii[code] ||= l.re.test(c) ? 1 : 2;
	return ascii[code] === 1;
};
const tokenize = (p, nocase, noext, form, mark) => {
	const toks = [];
	for (let i = 0; i < p.length;) {
		const c = String.fromCodePoint(p.codePointAt(i));
		if (mark) {
			const m = c === "\\" && p.startsWith(mark, i + 1) ? 1 : 0;
			if (m || c === mark) {
				const start = i + m + mark.length;
				const end = p.indexOf(mark, start);
				const r = /^(-?\d+)\.\.(-?\d+)$/.exec(p.slice(start, end));
				const alts = end !== -1 && r && numericRange(r[1], r[2]);
				if (alts) {
					toks.push({
						t: "ext",
						type: "@",
						alts
					});
					i = end + mark.length;
					continue;
				}
			}
		}
		if (c === "\\") {
			const e = p.codePointAt(i + 1);
			const ch = e === void 0 ? c : String.fromCodePoint(e);
			toks.push(lit(ch));
			i += 1 + ch.length;
			continue;
		}
		if (c === "[") {
			const [re, consumed] = parseClass(p, i, nocase, form);
			if (consumed) {
				toks.push({
					t: "class",
					re
				});
				i += consumed;
				continue;
			}
		}
		if (!noext && extTypes.includes(c) && p[i + 1] === "(") {
			toks.push({
				t: "open",
				type: c
			});
			i += 2;
			continue;
		}
		toks.push(!noext && c === "|" ? { t: "bar" } : !noext && c === ")" ? { t: "close" } : c === "*" ? { t: "star" } : c === "?" ? { t: "any" } : lit(c));
		i += c.length;
	}
	return toks;
};
const pair = (toks) => {
	const pairs = /* @__PURE__ */ new Map();
	const stack = [];
	toks.forEach((tok, i) => {
		if (tok.t === "open") stack.push(i);
		else if (tok.t === "close" && stack.length) pairs.set(stack.pop(), i);
	});
	return pairs;
};
const build = (toks, pairs, start, end, top) => {
	let seq = [];
	const alts = [seq];
	for (let i = start; i < end; i++) {
		const tok = toks[i];
		const close = pairs.get(i);
		if (tok.t === "open" && close !== void 0) {
			const sub = build(toks, pairs, i + 1, close, false);
			seq.push({
				t: "ext",
				type: tok.type,
				alts: sub
			});
			i = close;
		} else if (tok.t === "bar" && !top) alts.push(seq = []);
		else if (tok.t === "open") seq.push(lit(tok.type), lit("("));
		else if (tok.t === "bar") seq.push(lit("|"));
		else if (tok.t === "close") seq.push(lit(")"));
		else seq.push(tok);
	}
	return alts;
};
const normalize = (items, form) => {
	const out = [];
	let run = "";
	const flush = () => {
		for (const ch of run.normalize(form)) out.push(lit(ch));
		run = "";
	};
	for (const it of items) {
		if (it.t === "lit") {
			run += it.ch;
			continue;
		}
		flush();
		out.push(it.t === "ext" ? {
			...it,
			alts: it.alts.map((a) => normalize(a, form))
		} : it);
	}
	flush();
	return out;
};
const compile$1 = (items, nocase) => {
	let id = 1;
	const split = (out) => ({
		t: "split",
		id: id++,
		out
	});
	const seq = (items, next) => items.reduceRight((next, it) => item(it, next), next);
	const item = (it, next) => {
		switch (it.t) {
			case "lit":
				const re = nocase ? foldRe(it.ch) : void 0;
				return {
					t: "lit",
					id: id++,
					ch: it.ch,
					re,
					next
				};
			case "any":
			case "star": return {
				t: it.t,
				id: id++,
				next
			};
			case "class": return {
				t: "class",
				id: id++,
				re: it.re,
				next
			};
		}
		const alts = (next) => it.alts.map((a) => seq(a, next));
		switch (it.type) {
			case "@": return split(alts(next));
			case "?": return split([next, ...alts(next)]);
			case "!": return {
				t: "neg",
				id: id++,
				sub: split(alts(MATCH)),
				next
			};
		}
		const after = split([]);
		const entry = split(alts(after));
		after.out.push(next, entry);
		return it.type === "*" ? after : entry;
	};
	return [seq(items, MATCH), id];
};
const show = (start) => {
	const lines = [];
	const seen = /* @__PURE__ */ new Set();
	const ref = (n) => n.t === "match" ? "match" : String(n.id);
	const walk = (n, indent) => {
		if (n.t === "match" || seen.has(n)) return;
		seen.add(n);
		const line = (desc) => lines.push(`${indent}${n.id}: ${desc}`);
		switch (n.t) {
			case "split":
				line(`split -> ${n.out.map(ref).join(", ")}`);
				for (const o of n.out) walk(o, indent);
				return;
			case "neg":
				line(`!(${ref(n.sub)}) -> ${ref(n.next)}`);
				walk(n.sub, indent + "  ");
				return walk(n.next, indent);
			case "lit":
				line(`${JSON.stringify(n.ch)} -> ${ref(n.next)}`);
				break;
			case "class":
				line(`${n.re} -> ${ref(n.next)}`);
				break;
			default: line(`${n.t === "any" ? "?" : "*"} -> ${ref(n.next)}`);
		}
		walk(n.next, indent);
	};
	walk(start, "");
	return [`start -> ${ref(start)}`, ...lines].join("\n");
};
var State = class {
	gen;
	threads = [];
	match = false;
	runs = [];
	ids = [];
	constructor(gen) {
		this.gen = gen;
	}
	get dead() {
		return !this.threads.length && !this.match && !this.runs.length;
	}
};
const sameState = (a, b) => {
	if (a.ids.length !== b.ids.length) return false;
	if (a.runs.length !== b.runs.length) return false;
	if (a.ids.some((id, i) => id !== b.ids[i])) return false;
	return a.runs.every((r) => b.runs.some((o) => o.neg === r.neg && sameState(o.state, r.state)));
};
const marks = (size) => ({
	has: new Float64Array(size),
	seen: new Float64Array(size),
	gen: 0
});
var Sim = class {
	dots;
	dotStart;
	#marks;
	constructor(dots, dotStart, marks) {
		this.dots = dots;
		this.dotStart = dotStart;
		this.#marks = marks;
	}
	state() {
		return new State(++this.#marks.gen);
	}
	done(state) {
		state.ids = state.threads.map((n) => n.id).sort((a, b) => a - b);
		if (state.match) state.ids.unshift(MATCH.id);
		return state;
	}
	#visit(state, node) {
		const { seen } = this.#marks;
		if (seen[node.id] === state.gen) return false;
		seen[node.id] = state.gen;
		return true;
	}
	#addThread(state, node) {
		const { has } = this.#marks;
		if (has[node.id] === state.gen) return false;
		has[node.id] = state.gen;
		state.threads.push(node);
		return true;
	}
	restricted(i, top) {
		return top && (this.dots || this.dotStart && i === 0);
	}
	add(state, node, i, top) {
		switch (node.t) {
			case "split":
				if (!this.#visit(state, node)) return;
				for (const o of node.out) this.add(state, o, i, top);
				return;
			case "neg":
				if (!this.#visit(state, node)) return;
				const sub = this.state();
				this.add(sub, node.sub, i, false);
				this.done(sub);
				return this.addRun(state, {
					t: "run",
					neg: node,
					state: sub
				}, i, top);
			case "star":
				if (this.restricted(i, top)) return;
				if (this.#addThread(state, node)) this.add(state, node.next, i, top);
				return;
			case "match":
				state.match = true;
				return;
			default: this.#addThread(state, node);
		}
	}
	addRun(state, run, i, top) {
		for (const r of state.runs) if (r.neg === run.neg && sameState(r.state, run.state)) return;
		state.runs.push(run);
		if (!run.state.match) this.add(state, run.neg.next, i, top);
	}
	step(state, c, i, top) {
		const next = this.state();
		for (const th of state.threads) switch (th.t) {
			case "lit":
				if (litMatch(th, c)) this.add(next, th.next, i + 1, top);
				break;
			case "any":
				if (!this.restricted(i, top)) this.add(next, th.next, i + 1, top);
				break;
			case "class":
				if (!this.restricted(i, top) && th.re.test(c)) this.add(next, th.next, i + 1, top);
				break;
			case "star": if (!this.restricted(i, top)) this.add(next, th, i + 1, top);
		}
		if (!this.restricted(i, top)) for (const run of state.runs) {
			if (run.state.dead) {
				this.addRun(next, run, i + 1, top);
				continue;
			}
			const sub = this.step(run.state, c, i, false);
			this.addRun(next, {
				t: "run",
				neg: run.neg,
				state: sub
			}, i + 1, top);
		}
		return this.done(next);
	}
};
const stateKey = (state) => {
	const ids = state.ids.join();
	if (!state.runs.length) return ids;
	return `${ids}|${state.runs.map((r) => `${r.neg.id}(${stateKey(r.state)})`).sort().join("|")}`;
};
const DFA_BUDGET = 1 << 18;
var Dfa = class {
	#start;
	#states = /* @__PURE__ */ new Map();
	#size = 0;
	#plain;
	#dotStart;
	#sim;
	#dotSim;
	constructor(start, marks) {
		this.#start = start;
		this.#sim = new Sim(false, false, marks);
		this.#dotSim = new Sim(false, true, marks);
	}
	#make(state) {
		return {
			state,
			match: state.match,
			dead: state.dead,
			next: /* @__PURE__ */ new Map()
		};
	}
	#intern(state) {
		const key = stateKey(state);
		const found = this.#states.get(key);
		if (found) return found;
		if (this.#size > DFA_BUDGET) this.#clear();
		const d = this.#make(state);
		this.#states.set(key, d);
		this.#size += key.length + 1;
		return d;
	}
	#clear() {
		this.#states.clear();
		this.#size = 0;
		this.#plain = void 0;
		this.#dotStart = void 0;
	}
	start(dotStart) {
		if (dotStart) {
			if (this.#dotStart) return this.#dotStart;
			const state = this.#dotSim.state();
			this.#dotSim.add(state, this.#start, 0, true);
			return this.#dotStart = this.#make(this.#dotSim.done(state));
		}
		if (this.#plain) return this.#plain;
		const state = this.#sim.state();
		this.#sim.add(state, this.#start, 0, true);
		return this.#plain = this.#intern(this.#sim.done(state));
	}
	next(d, c) {
		const code = c.charCodeAt(0);
		const found = code < 128 ? void 0 : d.next.get(c);
		if (found) return found;
		const n = d === this.#dotStart ? this.#intern(this.#dotSim.step(d.state, c, 0, true)) : this.#intern(this.#sim.step(d.state, c, 1, true));
		if (code < 128) {
			if (!d.ascii) {
				d.ascii = new Array(128);
				this.#size += 128;
			}
			d.ascii[code] = n;
		} else d.next.set(c, n);
		this.#size++;
		return n;
	}
};
const linear = (start) => {
	const nodes = [];
	for (let n = start; n.t !== "match"; n = n.next) {
		if (n.t === "split" || n.t === "neg") return void 0;
		nodes.push(n);
	}
	return nodes;
};
const testLinear = (nodes, chars, start, end) => {
	let ni = 0;
	let ci = start;
	let starNi = -1;
	let starCi = 0;
	while (ci < end) {
		const n = nodes[ni];
		if (n?.t === "star") {
			starNi = ni++;
			starCi = ci;
			continue;
		}
		const c = chars[ci];
		if (n && (n.t === "any" || n.t === "lit" && litMatch(n, c) || n.t === "class" && n.re.test(c))) {
			ni++;
			ci++;
			continue;
		}
		if (starNi === -1) return false;
		ni = starNi + 1;
		ci = ++starCi;
	}
	while (nodes[ni]?.t === "star") ni++;
	return ni === nodes.length;
};
const lengths = (items) => {
	let min = 0;
	let max = 0;
	for (const it of items) {
		const [lo, hi] = itemLengths(it);
		min += lo;
		max += hi;
	}
	return [min, max];
};
const itemLengths = (it) => {
	if (it.t === "star") return [0, Infinity];
	if (it.t !== "ext") return [1, 1];
	if (it.type === "!") return [0, Infinity];
	const alts = it.alts.map(lengths);
	const min = Math.min(...alts.map((a) => a[0]));
	const max = Math.max(...alts.map((a) => a[1]));
	const loop = max === 0 ? 0 : Infinity;
	return it.type === "@" ? [min, max] : it.type === "?" ? [0, max] : it.type === "*" ? [0, loop] : [min, loop];
};
const hasAffix = (lits, chars, start) => {
	for (let j = 0; j < lits.length; j++) if (!litMatch(lits[j], chars[start + j])) return false;
	return true;
};
const slashOrSurrogate = /[/\ud800-\udfff]/;
const surrogate = /[\ud800-\udfff]/;
const codePoints = (s) => surrogate.test(s) ? [...s] : s;
const noSlash = (s) => {
	if (s.includes("/")) throw new Error("can only match a single path portion, got: " + s);
};
var Matcher = class {
	pattern;
	options;
	#start;
	#size;
	#marks;
	#dotsSim;
	#literal;
	#literalFold = false;
	#literalRe;
	#linear;
	#wild = false;
	#min = 0;
	#max = Infinity;
	#prefix = [];
	#suffix = [];
	#prefixStr;
	#suffixStr;
	#affix = false;
	#dfa;
	#form;
	constructor(pattern, options = {}) {
		if (pattern.includes("/")) throw new Error("can only match a single path portion, got pattern: " + pattern);
		this.pattern = pattern;
		this.options = options;
		const { nocase = false, noext = false, normalize: n } = options;
		this.#form = n === true ? "NFC" : n || void 0;
		const literal = /^[?*+@]\(\)$/.test(pattern);
		const toks = tokenize(pattern, nocase, noext || literal, this.#form, options.rangeMark);
		let [items] = build(toks, pair(toks), 0, toks.length, true);
		if (this.#form) items = normalize(items, this.#form);
		const [start, size] = compile$1(items, nocase);
		this.#start = start;
		this.#size = size;
		if (items.every((it) => it.t === "lit")) {
			this.#literal = items.map((it) => it.ch).join("");
			this.#literalFold = nocase;
		} else {
			const lit = (it) => it.t !== "lit" ? void 0 : nocase ? {
				ch: it.ch,
				re: foldRe(it.ch)
			} : { ch: it.ch };
			for (const it of items) {
				const l = lit(it);
				if (!l) break;
				this.#prefix.push(l);
			}
			for (let j = items.length - 1; j >= 0; j--) {
				const l = lit(items[j]);
				if (!l) break;
				this.#suffix.unshift(l);
			}
			this.#affix = !!(this.#prefix.length || this.#suffix.length);
			if (!nocase) {
				this.#prefixStr = this.#prefix.map((l) => l.ch).join("");
				this.#suffixStr = this.#suffix.map((l) => l.ch).join("");
			}
			this.#linear = linear(this.#start)?.slice(this.#prefix.length, -this.#suffix.length || void 0);
			this.#wild = !!this.#linear?.every((n) => n.t === "star" || n.t === "any");
			const [min, max] = lengths(items);
			this.#min = min;
			this.#max = max;
		}
	}
	test(s) {
		if (this.#form) {
			noSlash(s);
			return this.#test(s.normalize(this.#form));
		}
		if (slashOrSurrogate.test(s)) {
			noSlash(s);
			return this.#test(s, [...s]);
		}
		return this.#test(s, s);
	}
	/**
	* The same as {@link Matcher#test}, but the string is not checked
	* for `/` chars, so the result for a string that has one is not
	* defined. Only use it for a string that is known to be one path
	* portion, such as a part of a path that was split on `/`. It can
	* be faster, because some patterns do not need to look at each char
	* of the string.
	*/
	testUnchecked(s) {
		return this.#test(this.#form ? s.normalize(this.#form) : s);
	}
	#test(s, chars) {
		if (this.#literal !== void 0) return this.#literalFold ? (this.#literalRe ??= newFoldRe(this.#literal)).test(s) : s === this.#literal;
		const min = this.#min;
		const max = this.#max;
		if (chars === void 0) {
			const most = s.length;
			const least = most + 1 >> 1;
			if (most < min || least > max) return false;
			if (least < min || most > max) chars = codePoints(s);
		}
		if (chars !== void 0 && (chars.length < min || chars.length > max)) return false;
		const prefix = this.#prefix.length;
		if (this.#affix) {
			if (this.#prefixStr !== void 0 && this.#suffixStr !== void 0) {
				if (!s.startsWith(this.#prefixStr) || !s.endsWith(this.#suffixStr)) return false;
			} else {
				chars ??= codePoints(s);
				const end = chars.length - this.#suffix.length;
				if (!hasAffix(this.#prefix, chars, 0) || !hasAffix(this.#suffix, chars, end)) return false;
			}
		}
		const dotStart = !this.options.dot && s.startsWith(".");
		if (this.#linear) {
			if (s === "." || s === "..") return false;
			if (dotStart && !prefix) return false;
			if (this.#wild) return true;
			chars ??= codePoints(s);
			const end = chars.length - this.#suffix.length;
			return testLinear(this.#linear, chars, prefix, end);
		}
		chars ??= codePoints(s);
		if (s === "." || s === "..") {
			this.#marks ??= marks(this.#size);
			const sim = this.#dotsSim ??= new Sim(true, false, this.#marks);
			const start = sim.state();
			sim.add(start, this.#start, 0, true);
			let state = sim.done(start);
			for (let i = 0; i < chars.length; i++) state = sim.step(state, chars[i], i, true);
			return state.match;
		}
		this.#marks ??= marks(this.#size);
		const dfa = this.#dfa ??= new Dfa(this.#start, this.#marks);
		let d = dfa.start(dotStart);
		const str = chars === s;
		for (let i = 0; i < chars.length; i++) {
			if (d.dead) return false;
			const code = str ? s.charCodeAt(i) : chars[i].charCodeAt(0);
			d = d.ascii?.[code] ?? dfa.next(d, chars[i]);
		}
		return d.match;
	}
	/** a readable listing of the state machine */
	toString() {
		return show(this.#start);
	}
};
// node_modules/minimatch/dist/esm/assert-valid-pattern.js
const MAX_PATTERN_LENGTH = 65536;
const assertValidPattern = (pattern) => {
	if (typeof pattern !== "string") throw new TypeError("invalid pattern");
	if (pattern.length > MAX_PATTERN_LENGTH) throw new TypeError("pattern is too long");
};
// node_modules/minimatch/dist/esm/escape.js
/**
* Escape all magic characters in a glob pattern.
*
* If the {@link MinimatchOptions.windowsPathsNoEscape}
* option is used, then characters are escaped by wrapping in `[]`, because
* a magic character wrapped in a character class can only be satisfied by
* that exact character.  In this mode, `\` is _not_ escaped, because it is
* not interpreted as a magic character, but instead as a path separator.
*
* If the {@link MinimatchOptions.magicalBraces} option is used,
* then braces (`{` and `}`) will be escaped.
*
* A leading `#` or `!` is escaped as well, so that the result is never a
* comment or a negated pattern. In `windowsPathsNoEscape` mode, a leading
* `!` is written as `@(!)`, because `[!` starts a negated class.
*/
const escape = (s, { windowsPathsNoEscape = false, magicalBraces = false } = {}) => {
	const e = magicalBraces ? windowsPathsNoEscape ? s.replace(/[?*()[\]{}]/g, "[$&]") : s.replace(/[?*()[\]\\{}]/g, "\\$&") : windowsPathsNoEscape ? s.replace(/[?*()[\]]/g, "[$&]") : s.replace(/[?*()[\]\\]/g, "\\$&");
	const c = e.charAt(0);
	if (c === "#") return (windowsPathsNoEscape ? "[#]" : "\\#") + e.slice(1);
	if (c === "!") return (windowsPathsNoEscape ? "@(!)" : "\\!") + e.slice(1);
	return e;
};
// node_modules/minimatch/dist/esm/unescape.js
/**
* Un-escape a string that has been escaped with {@link escape}.
*
* If the {@link MinimatchOptions.windowsPathsNoEscape} option is used, then
* square-bracket escapes are removed, but not backslash escapes.
*
* For example, it will turn the string `'[*]'` into `*`, but it will not
* turn `'\\*'` into `'*'`, because `\` is a path separator in
* `windowsPathsNoEscape` mode.
*
* When `windowsPathsNoEscape` is not set, then both square-bracket escapes and
* backslash escapes are removed.
*
* Slashes (and backslashes in `windowsPathsNoEscape` mode) cannot be escaped
* or unescaped.
*
* When `magicalBraces` is not set, escapes of braces (`{` and `}`) will not be
* unescaped.
*/
const unescape = (s, { windowsPathsNoEscape = false, magicalBraces = true } = {}) => {
	if (windowsPathsNoEscape && s.startsWith("@(!)")) return "!" + unescape(s.slice(4), {
		windowsPathsNoEscape,
		magicalBraces
	});
	if (magicalBraces) return windowsPathsNoEscape ? s.replace(/\[([^/\\])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\])\]/g, "$1$2").replace(/\\([^/])/g, "$1");
	return windowsPathsNoEscape ? s.replace(/\[([^/\\{}])\]/g, "$1") : s.replace(/((?!\\).|^)\[([^/\\{}])\]/g, "$1$2").replace(/\\([^/{}])/g, "$1");
};
// node_modules/minimatch/dist/esm/index.js
const DEFAULT_BRACE_EXPAND_MAX = 1e5;
const DEFAULT_GLOB_STAR_RECURSION_MAX = 200;
const AWE_KEY = "allowWindowsEscape";
const minimatch = (p, pattern, options) => {
	assertValidPattern(pattern);
	if (!options?.nocomment && pattern.charAt(0) === "#") return false;
	return cachedMinimatch(pattern, options).match(p);
};
let cache = /* @__PURE__ */ new Map();
let oldCache = /* @__PURE__ */ new Map();
let cacheSize = 0;
let cacheTotalWeight = 0;
const cacheMax = 256;
const cacheMaxWeight = 32768;
const cacheMaxEntryWeight = 4096;
const cacheWeight = (mm) => {
	let w = mm.pattern.length;
	for (const s of mm.globSet) {
		w += s.length + 1;
		if (w > cacheMaxEntryWeight) break;
	}
	return w;
};
const tri = (v) => v === void 0 ? 0 : v ? 2 : 1;
const booleanWeights = new Map(Object.keys({
	nobrace: 0,
	nocomment: 0,
	nonegate: 0,
	noglobstar: 0,
	noext: 0,
	nonull: 0,
	partial: 0,
	dot: 0,
	nocase: 0,
	nocaseMagicOnly: 0,
	magicalBraces: 0,
	matchBase: 0,
	flipNegate: 0,
	preserveMultipleSlashes: 0,
	windowsNoMagicRoot: 0
}).map((k, i) => [k, 24 * 3 ** i]));
const optionsKey = (o) => {
	let n = 0;
	let wpe = false;
	for (const k in o) {
		const v = o[k];
		switch (k) {
			case "windowsPathsNoEscape":
				if (v) wpe = true;
				break;
			case AWE_KEY:
				if (v === false) wpe = true;
				break;
			case "platform": {
				const p = v || defaultPlatform;
				if (p === defaultPlatform) break;
				if (p === "darwin") n += 3;
				else if (p === "win32") n += 6;
				else if (p === "linux") n += 9;
				else return JSON.stringify(o);
				break;
			}
			case "optimizationLevel":
				if (v === void 0) break;
				n += v >= 2 ? 1 : v >= 1 ? 0 : 2;
				break;
			case "braceExpandMax":
				if (v !== void 0 && v !== DEFAULT_BRACE_EXPAND_MAX) return JSON.stringify(o);
				break;
			case "maxGlobstarRecursion":
				if (v !== void 0 && v !== DEFAULT_GLOB_STAR_RECURSION_MAX) return JSON.stringify(o);
				break;
			case "normalize":
				if (v !== void 0) return JSON.stringify(o);
				break;
			default: n += (booleanWeights.get(k) ?? 0) * tri(v);
		}
	}
	return wpe ? n + 12 : n;
};
const copyOptions = (o) => {
	const copy = {};
	for (const k in o) copy[k] = o[k];
	return copy;
};
const cachedMinimatch = (pattern, options) => {
	const key = options ? optionsKey(options) : 0;
	let mm = cache.get(key)?.get(pattern);
	if (mm) return mm;
	mm = oldCache.get(key)?.get(pattern) ?? new Minimatch(pattern, copyOptions(options));
	const weight = cacheWeight(mm);
	if (weight > cacheMaxEntryWeight) return mm;
	if (cacheSize >= cacheMax || cacheTotalWeight + weight > cacheMaxWeight) {
		oldCache = cache;
		cache = /* @__PURE__ */ new Map();
		cacheSize = 0;
		cacheTotalWeight = 0;
	}
	let byPattern = cache.get(key);
	if (!byPattern) cache.set(key, byPattern = /* @__PURE__ */ new Map());
	byPattern.set(pattern, mm);
	cacheSize++;
	cacheTotalWeight += weight;
	return mm;
};
/* c8 ignore start */
const defaultPlatform = typeof process === "object" && process ? process.env?.__MINIMATCH_TESTING_PLATFORM__ || process.platform : "posix";
const path$1 = {
	win32: { sep: "\\" },
	posix: { sep: "/" }
};
minimatch.sep = defaultPlatform === "win32" ? path$1.win32.sep : path$1.posix.sep;
const GLOBSTAR = Symbol("globstar **");
minimatch.GLOBSTAR = GLOBSTAR;
const filter = (pattern, options) => {
	let mm;
	return (p) => (mm ??= cachedMinimatch(pattern, options)).match(p);
};
minimatch.filter = filter;
const ext = (a, b = {}) => Object.assign({}, a, b);
const defaults = (def) => {
	if (!def || typeof def !== "object" || !Object.keys(def).length) return minimatch;
	const orig = minimatch;
	const m = (p, pattern, options = {}) => orig(p, pattern, ext(def, options));
	return Object.assign(m, {
		Minimatch: class Minimatch extends orig.Minimatch {
			constructor(pattern, options = {}) {
				super(pattern, ext(def, options));
			}
			static defaults(options) {
				return orig.defaults(ext(def, options)).Minimatch;
			}
		},
		unescape: (s, options = {}) => orig.unescape(s, ext(def, options)),
		escape: (s, options = {}) => orig.escape(s, ext(def, options)),
		filter: (pattern, options = {}) => orig.filter(pattern, ext(def, options)),
		defaults: (options) => orig.defaults(ext(def, options)),
		braceExpand: (pattern, options = {}) => orig.braceExpand(pattern, ext(def, options)),
		match: (list, pattern, options = {}) => orig.match(list, pattern, ext(def, options)),
		sep: orig.sep,
		GLOBSTAR
	});
};
minimatch.defaults = defaults;
const braceExpand = (pattern, options = {}) => {
	assertValidPattern(pattern);
	if (options.nobrace || !/\{(?:(?!\{).)*\}/.test(pattern)) return [pattern];
	let p = pattern.replace(/\\\\/g, "\\\\\\\\");
	if (options.windowsPathsNoEscape || options[AWE_KEY] === false) p = p.replace(/\[([{}])\]/g, "[\\$1]");
	return expand(p, { max: options.braceExpandMax });
};
minimatch.braceExpand = braceExpand;
const RANGE_MIN = 100;
const rangeRe = /(?<![\\$])\{(-?\d+)\.\.(-?\d+)\}/g;
const inRepeatOrNegExt = (portion, mark) => {
	const stack = [];
	for (let i = 0; i < portion.length; i++) {
		const c = portion.charAt(i);
		if (c === "\\") i++;
		else if (c === mark) {
			if (stack.some((t) => t !== "@" && t !== "?")) return true;
		} else if (portion.charAt(i + 1) === "(" && "!?+*@".includes(c)) {
			stack.push(c);
			i++;
		} else if (c === ")") stack.pop();
	}
	return false;
};
const match = (list, pattern, options = {}) => {
	const mm = new Minimatch(pattern, options);
	list = list.filter((f) => mm.match(f));
	if (mm.options.nonull && !list.length) list.push(pattern);
	return list;
};
minimatch.match = match;
const globMagic = /[?*]|[+@!]\(.*?\)|\[|\]/;
const classEnd = (pattern, start) => {
	let i = start + 1;
	if (pattern.charAt(i) === "!" || pattern.charAt(i) === "^") i++;
	let sawStart = false;
	for (; i < pattern.length; i++) {
		const c = pattern.charAt(i);
		if (c === "]" && sawStart) return i;
		sawStart = true;
		if (c === "\\") i++;
	}
	return -1;
};
const literal = (pattern, noext) => {
	if (!noext && (pattern === "+()" || pattern === "@()")) return pattern;
	let lit = "";
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern.charAt(i);
		if (c === "\\") lit += pattern.charAt(++i) || c;
		else if (c === "*" || c === "?") return;
		else if (c === "[") {
			const close = classEnd(pattern, i);
			if (close === -1) {
				lit += c;
				continue;
			}
			let body = pattern.slice(i + 1, close);
			if (body.startsWith("\\")) body = body.slice(1);
			if ([...body].length !== 1 || "!^".includes(pattern.charAt(i + 1))) return;
			lit += body;
			i = close;
		} else if (!noext && "+@!".includes(c) && pattern.charAt(i + 1) === "(" && pattern.includes(")", i + 2)) return;
		else lit += c;
	}
	return lit;
};
const MAX_EXTGLOBS = 256;
const extglobCount = (pattern) => {
	let n = 0;
	for (let i = 0; i < pattern.length - 1; i++) {
		const c = pattern.charAt(i);
		if (c === "\\") i++;
		else if ("+@!?*".includes(c) && pattern.charAt(i + 1) === "(") {
			n++;
			i++;
		}
	}
	return n;
};
const assertValidExtglobs = (pattern) => {
	if (extglobCount(pattern) > MAX_EXTGLOBS) throw new TypeError("pattern has too many extglobs");
};
const extSafe = (pattern) => {
	if (/^[?*+@]\(\)$/.test(pattern) || pattern.includes("[:")) return false;
	let depth = 0;
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern.charAt(i);
		if (c === "\\") {
			if (++i === pattern.length) return false;
		} else if (c === "[") {
			const close = classEnd(pattern, i);
			if (close !== -1) i = close;
		} else if ("+@!?*".includes(c) && pattern.charAt(i + 1) === "(") {
			depth++;
			i++;
		} else if (c === ")") {
			if (!depth--) return false;
		} else if (c === "|" && !depth) return false;
	}
	return !depth;
};
let lastSplit;
let lastChecked;
const portionMatch = (p, f) => typeof p === "string" ? f === p : f !== "" && p.testUnchecked(f);
const endIndex = (p, last, lastStart, prev, prevStart) => portionMatch(p, last) ? lastStart : prev !== void 0 && portionMatch(p, prev) ? prevStart : -1;
const isDots = (p) => p === "." || p === "..";
const isDrive = (p) => typeof p === "string" && /^[a-z]:$/i.test(p);
const isLongUNC = (p) => typeof p === "string" && /^unc$/i.test(p);
const uncHost = (p) => {
	if (p[0] !== "" || p[1] !== "") return -1;
	const h = p[2] !== "?" ? 2 : isLongUNC(p[3]) ? 4 : -1;
	const host = p[h];
	const share = p[h + 1];
	return h !== -1 && host !== void 0 && host !== "" && host !== GLOBSTAR && share !== void 0 && share !== "" && share !== GLOBSTAR ? h : -1;
};
const walkable = (p, dot) => !isDots(p) && (dot || !p.startsWith("."));
const dotPortion = (f, start, end, dot, sep) => {
	for (let k = start; k < end;) {
		if (f.charCodeAt(k) === 46) {
			if (!dot) return true;
			const n = f.charCodeAt(k + 1) === 46 ? k + 2 : k + 1;
			if (n >= end || isSep(f.charCodeAt(n), sep)) return true;
		}
		const s = nextSep(f, k, sep);
		if (s === -1) return false;
		k = s + 1;
		while (k < end && isSep(f.charCodeAt(k), sep)) k++;
	}
	return false;
};
const isSep = (c, sep) => sep === "/" ? c === 47 : sep === "\\" ? c === 92 : c === 47 || c === 92;
const nextSep = (f, from, sep) => {
	if (sep !== "both") return f.indexOf(sep, from);
	const s = f.indexOf("/", from);
	const b = f.indexOf("\\", from);
	return s === -1 ? b : b === -1 ? s : Math.min(s, b);
};
const lastSep = (f, from, sep) => sep !== "both" ? f.lastIndexOf(sep, from) : Math.max(f.lastIndexOf("/", from), f.lastIndexOf("\\", from));
const PENDING = {};
var Minimatch = class {
	options;
	set;
	pattern;
	windowsPathsNoEscape;
	nonegate;
	negate;
	comment;
	empty;
	preserveMultipleSlashes;
	partial;
	globSet;
	globParts;
	nocase;
	isWindows;
	platform;
	windowsNoMagicRoot;
	maxGlobstarRecursion;
	#endCheck;
	#literalCheck;
	#level2;
	#form;
	#literals = [];
	#shapes = [];
	#endRows = [];
	#matchers = /* @__PURE__ */ new Map();
	#pending = false;
	#rangeMark;
	#globstarParts = /* @__PURE__ */ new WeakMap();
	constructor(pattern, options = {}) {
		assertValidPattern(pattern);
		options = options || {};
		this.options = options;
		this.maxGlobstarRecursion = options.maxGlobstarRecursion ?? DEFAULT_GLOB_STAR_RECURSION_MAX;
		this.pattern = pattern;
		this.platform = options.platform || defaultPlatform;
		this.isWindows = this.platform === "win32";
		this.windowsPathsNoEscape = !!options.windowsPathsNoEscape || options[AWE_KEY] === false;
		if (this.windowsPathsNoEscape) this.pattern = this.pattern.replace(/\\/g, "/");
		this.preserveMultipleSlashes = !!options.preserveMultipleSlashes;
		this.negate = false;
		this.nonegate = !!options.nonegate;
		this.comment = false;
		this.empty = false;
		this.partial = !!options.partial;
		this.nocase = !!this.options.nocase;
		this.windowsNoMagicRoot = options.windowsNoMagicRoot !== void 0 ? options.windowsNoMagicRoot : !!(this.isWindows && this.nocase);
		this.globSet = [];
		this.globParts = [];
		this.set = [];
		this.#endCheck = !this.preserveMultipleSlashes;
		this.#level2 = (options.optimizationLevel ?? 1) >= 2;
		const n = options.normalize;
		this.#form = n === true ? "NFC" : n || void 0;
		this.make();
		const drives = this.set.map((row) => this.#rootIndex(row));
		this.#endRows = this.set.map((row, r) => this.#endCheck && row.length - 1 > drives[r]);
		this.#literals = this.set.map((row, r) => {
			const end = this.#endRows[r] ? row.length - 1 : row.length;
			const lits = row.slice(drives[r] + 1, end).filter((p) => typeof p === "string" && !!p);
			return [...new Set(lits)];
		});
		this.#literalCheck = this.#literals.some((l) => l.length);
		this.#shapes = this.set.map((row, r) => {
			const [p0, p1, p2] = row;
			if (this.#endRows[r] && row.length === 2) {
				if (p0 === GLOBSTAR && p1 !== GLOBSTAR) return "tail";
			}
			if (this.#endRows[r] && options.matchBase && row.length === 1 && p0 !== GLOBSTAR && p0 !== "") return "base";
			if (!this.#endCheck || drives[r] !== -1) return void 0;
			if (row.length === 3 && p0 === GLOBSTAR && p2 === GLOBSTAR && p1 !== GLOBSTAR && p1 !== "" && this.maxGlobstarRecursion > 0) return "mid";
			if (row.length === 2 && p1 === GLOBSTAR && p0 !== GLOBSTAR && p0 !== "") return "head";
		});
	}
	#norm(p) {
		return this.#form ? p.normalize(this.#form) : p;
	}
	#rootIndex(row) {
		if (!this.isWindows) return -1;
		if (isDrive(row[0])) return 0;
		if (row[0] === "" && row[1] === "" && row[2] === "?" && isDrive(row[3])) return 3;
		const h = uncHost(row);
		return h === -1 ? -1 : h + 1;
	}
	hasMagic() {
		if (this.options.magicalBraces && this.set.length > 1) return true;
		for (const pattern of this.set) for (const part of pattern) if (typeof part !== "string") return true;
		return false;
	}
	make() {
		const pattern = this.pattern;
		const options = this.options;
		if (!options.nocomment && pattern.charAt(0) === "#") {
			this.comment = true;
			return;
		}
		if (!pattern) {
			this.empty = true;
			return;
		}
		this.parseNegate();
		this.globSet = [...new Set(this.#expandBraces())];
		const rawGlobParts = this.globSet.map((s) => this.#slashSplit(s));
		this.globParts = this.preprocess(rawGlobParts);
		this.#pending = true;
		let set = this.globParts.map((s, _, __) => {
			if (this.isWindows && this.windowsNoMagicRoot) {
				const n = s[2] === "?" && isLongUNC(s[3]) ? 6 : 4;
				const isUNC = s[0] === "" && s[1] === "" && (s[2] === "?" || !globMagic.test(s[2])) && s.slice(3, n).every((p) => !globMagic.test(p));
				const isDrive = /^[a-z]:/i.test(s[0]);
				if (isUNC) return [...s.slice(0, n).map((p) => this.#norm(p)), ...s.slice(n).map((ss) => this.parse(ss))];
				else if (isDrive) return [this.#norm(s[0]), ...s.slice(1).map((ss) => this.parse(ss))];
			}
			return s.map((ss) => this.parse(ss));
		});
		this.set = set.filter((s) => s.indexOf(false) === -1);
		if (this.isWindows) for (let i = 0; i < this.set.length; i++) {
			const p = this.set[i];
			if (p[0] === "" && p[1] === "" && this.globParts[i][2] === "?" && (isDrive(p[3]) || isLongUNC(this.globParts[i][3]))) {
				if (isLongUNC(this.globParts[i][3])) p[3] = "UNC";
				p[2] = "?";
			}
		}
		if (!options.noext) this.mergeRows();
		this.#pending = false;
		this.set.forEach((row, i) => {
			for (let k = 0; k < row.length; k++) if (row[k] === PENDING) row[k] = this.parse(this.globParts[i][k]);
		});
	}
	mergeRows() {
		let merged = true;
		while (merged) {
			merged = false;
			if (this.set.length < 2) return;
			let keys = this.#mergeKeys();
			const len = Math.max(0, ...this.set.map((r) => r.length));
			for (let k = 0; k < len; k++) {
				const groups = /* @__PURE__ */ new Map();
				const R = this.set.length + 1;
				this.set.forEach((row, i) => {
					if (!(row[k] instanceof Matcher || row[k] === PENDING) || !extSafe(this.globParts[i][k])) return;
					const { pre, suf } = keys[i];
					const key = pre[k] * R + suf[k + 1];
					const g = groups.get(key);
					if (g) g.push(i);
					else groups.set(key, [i]);
				});
				const drop = /* @__PURE__ */ new Set();
				for (const g of groups.values()) {
					if (g.length < 2) continue;
					const [first, ...rest] = g;
					const glob = `@(${g.map((i) => this.globParts[i][k]).join("|")})`;
					if (extglobCount(glob) > MAX_EXTGLOBS) continue;
					this.globParts[first][k] = glob;
					this.set[first][k] = this.parse(glob);
					for (const i of rest) drop.add(i);
				}
				if (drop.size) {
					merged = true;
					this.set = this.set.filter((_, i) => !drop.has(i));
					this.globParts = this.globParts.filter((_, i) => !drop.has(i));
					if (this.set.length < 2) return;
					keys = this.#mergeKeys();
				}
			}
		}
	}
	#mergeKeys() {
		const partIds = /* @__PURE__ */ new Map();
		const ids = this.globParts.map((parts) => parts.map((s) => {
			let id = partIds.get(s);
			if (id === void 0) partIds.set(s, id = partIds.size);
			return id;
		}));
		const P = partIds.size;
		const len = Math.max(0, ...ids.map((r) => r.length));
		const keys = ids.map((r) => ({
			pre: [0],
			suf: new Array(r.length + 1).fill(0)
		}));
		for (let k = 0; k < len; k++) {
			const m = /* @__PURE__ */ new Map();
			ids.forEach((r, i) => {
				if (k >= r.length) return;
				const { pre } = keys[i];
				const key = pre[k] * P + r[k];
				let id = m.get(key);
				if (id === void 0) m.set(key, id = m.size + 1);
				pre.push(id);
			});
		}
		for (let k = len - 1; k >= 0; k--) {
			const m = /* @__PURE__ */ new Map();
			ids.forEach((r, i) => {
				if (k >= r.length) return;
				const { suf } = keys[i];
				const key = suf[k + 1] * P + r[k];
				let id = m.get(key);
				if (id === void 0) m.set(key, id = m.size + 1);
				suf[k] = id;
			});
		}
		return keys;
	}
	preprocess(globParts) {
		if (this.options.noglobstar) {
			for (const partset of globParts) for (let j = 0; j < partset.length; j++) if (partset[j] === "**") partset[j] = "*";
		}
		const { optimizationLevel = 1 } = this.options;
		if (optimizationLevel >= 2) {
			globParts = this.firstPhasePreProcess(globParts);
			globParts = this.secondPhasePreProcess(globParts);
		} else if (optimizationLevel >= 1) globParts = this.levelOneOptimize(globParts);
		else globParts = this.adjascentGlobstarOptimize(globParts);
		return globParts;
	}
	adjascentGlobstarOptimize(globParts) {
		return globParts.map((parts) => {
			let gs = -1;
			while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
				let i = gs;
				while (parts[i + 1] === "**") i++;
				if (i !== gs) parts.splice(gs, i - gs);
			}
			return parts;
		});
	}
	levelOneOptimize(globParts) {
		return globParts.map((parts) => {
			const root = this.#rootIndex(parts) + 1;
			parts = parts.reduce((set, part) => {
				const prev = set[set.length - 1];
				if (part === "**" && prev === "**") return set;
				if (part === "..") {
					if (set.length > root && prev && prev !== ".." && prev !== "." && prev !== "**") {
						set.pop();
						return set;
					}
				}
				set.push(part);
				return set;
			}, []);
			return parts.length === 0 ? [""] : parts;
		});
	}
	#canMatch(f) {
		const sep = !this.isWindows || !f.includes("\\") ? "/" : f.includes("/") ? "both" : "\\";
		let ends = this.#endCheck ? 0 : -1;
		let last = "";
		let lastStart = 0;
		let prev;
		let prevStart = 0;
		const dot = !!this.options.dot;
		ROWS: for (let r = 0; r < this.set.length; r++) {
			const row = this.set[r];
			const p = row[row.length - 1];
			let end = ends !== -1 && this.#endRows[r] && p !== GLOBSTAR;
			if (end && ends === 0) {
				const i = lastSep(f, f.length, sep);
				lastStart = i + 1;
				last = f.slice(lastStart);
				if (last === "" && i >= 0) {
					let j = i;
					while (j > 0 && isSep(f.charCodeAt(j - 1), sep)) j--;
					prevStart = j === 0 ? 0 : lastSep(f, j - 1, sep) + 1;
					prev = f.slice(prevStart, j);
				}
				const resolves = this.#level2 && (isDots(last) || last === "" && prev !== void 0 && isDots(prev));
				ends = resolves ? -1 : 1;
				end = !resolves;
			}
			let tailStart = -1;
			if (end && typeof p === "string") {
				tailStart = endIndex(p, last, lastStart, prev, prevStart);
				if (tailStart === -1) continue;
			}
			if (this.#literalCheck) {
				for (const l of this.#literals[r]) if (!f.includes(l)) continue ROWS;
			}
			if (end && typeof p === "object") {
				tailStart = endIndex(p, last, lastStart, prev, prevStart);
				if (tailStart === -1) continue;
			}
			const shape = this.#shapes[r];
			if (shape === "base" && end) return "yes";
			if (shape === "tail" && end) {
				if (this.#level2 && dotPortion(f, 0, tailStart, true, sep)) return "maybe";
				if (!dotPortion(f, 0, tailStart, dot, sep)) return "yes";
				continue;
			}
			if (shape === "mid" || shape === "head") {
				const m = this.#walk(f, row, shape === "head", dot, sep);
				if (m !== "no") return m;
				continue;
			}
			return "maybe";
		}
		return "no";
	}
	#matchShape(file, row, shape) {
		const dot = !!this.options.dot;
		const n = file.length;
		if (shape === "head") {
			if (n < 2 || !portionMatch(row[0], file[0])) return false;
			for (let i = 1; i < n; i++) if (!walkable(file[i], dot)) return false;
			return true;
		}
		const x = row[1];
		if (shape === "tail") {
			let t = n - 1;
			if (!portionMatch(x, file[t])) {
				if (file[t] !== "" || n === 1 || !portionMatch(x, file[--t])) return false;
			}
			for (let i = 0; i < t; i++) if (!walkable(file[i], dot)) return false;
			return true;
		}
		for (let k = 0; k < n; k++) {
			if (portionMatch(x, file[k]) && k + 1 < n) {
				let i = k + 1;
				while (i < n && walkable(file[i], dot)) i++;
				if (i === n) return true;
			}
			if (!walkable(file[k], dot)) return false;
		}
		return false;
	}
	#walk(f, row, head, dot, sep) {
		if (this.#level2 && dotPortion(f, 0, f.length, true, sep)) return "maybe";
		const x = row[head ? 0 : 1];
		let s = 0;
		for (let e = nextSep(f, s, sep); e !== -1; e = nextSep(f, s, sep)) {
			let next = e + 1;
			while (next < f.length && isSep(f.charCodeAt(next), sep)) next++;
			if ((typeof x === "string" ? e - s === x.length && f.startsWith(x, s) : e > s && x.testUnchecked(f.slice(s, e))) && !dotPortion(f, next, f.length, dot, sep)) return "yes";
			if (head || dotPortion(f, s, next, dot, sep)) return "no";
			s = next;
		}
		return "no";
	}
	#cachedSplit(f) {
		const last = lastSplit;
		return last?.f === f && last.isWindows === this.isWindows && last.preserveMultipleSlashes === this.preserveMultipleSlashes && last.normalize === this.#form ? last : void 0;
	}
	#split(f) {
		const { isWindows, preserveMultipleSlashes } = this;
		let parts = this.#slashSplit(isWindows ? f.split("\\").join("/") : f);
		const normalize = this.#form;
		if (normalize) parts = parts.map((p) => p.normalize(normalize));
		lastSplit = {
			f,
			isWindows,
			preserveMultipleSlashes,
			normalize,
			parts
		};
		return lastSplit;
	}
	#levelTwoFileOptimize(file) {
		const parts = [...file];
		let didSomething = false;
		do {
			didSomething = false;
			if (!this.preserveMultipleSlashes) {
				for (let i = 1; i < parts.length - 1; i++) {
					const p = parts[i];
					if (i === 1 && p === "" && parts[0] === "") continue;
					if (p === "." || p === "") {
						didSomething = true;
						parts.splice(i, 1);
						i--;
					}
				}
				if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
					didSomething = true;
					parts.pop();
				}
			}
			const root = this.#rootIndex(parts) + 1;
			let dd = root;
			while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
				const p = parts[dd - 1];
				if (p && p !== "." && p !== ".." && p !== "**") {
					didSomething = true;
					parts.splice(dd - 1, 2);
					dd = Math.max(dd - 2, root);
				}
			}
		} while (didSomething);
		return parts.length === 0 ? [""] : parts;
	}
	firstPhasePreProcess(globParts) {
		const { braceExpandMax = DEFAULT_BRACE_EXPAND_MAX } = this.options;
		let splitCells = 0;
		const maxSplitCells = 1e6;
		let didSomething = false;
		do {
			didSomething = false;
			for (let parts of globParts) {
				let gs = -1;
				while (-1 !== (gs = parts.indexOf("**", gs + 1))) {
					let gss = gs;
					while (parts[gss + 1] === "**") gss++;
					if (gss > gs) parts.splice(gs + 1, gss - gs);
					let next = parts[gs + 1];
					const p = parts[gs + 2];
					const p2 = parts[gs + 3];
					if (next !== "..") continue;
					if (!p || p === "." || p === ".." || !p2 || p2 === "." || p2 === "..") continue;
					const addedCells = parts.length - 1;
					if (globParts.length >= braceExpandMax || splitCells + addedCells > maxSplitCells) throw new RangeError(`optimizationLevel 2: too many patterns from '**/..'`);
					didSomething = true;
					parts.splice(gs, 1);
					const other = parts.slice(0);
					other[gs] = "**";
					splitCells += addedCells;
					globParts.push(other);
					gs--;
				}
				if (!this.preserveMultipleSlashes) {
					for (let i = 1; i < parts.length - 1; i++) {
						const p = parts[i];
						if (i === 1 && p === "" && parts[0] === "") continue;
						if (p === "." || p === "") {
							didSomething = true;
							parts.splice(i, 1);
							i--;
						}
					}
					if (parts[0] === "." && parts.length === 2 && (parts[1] === "." || parts[1] === "")) {
						didSomething = true;
						parts.pop();
					}
				}
				const root = this.#rootIndex(parts) + 1;
				let dd = root;
				while (-1 !== (dd = parts.indexOf("..", dd + 1))) {
					const p = parts[dd - 1];
					if (p && p !== "." && p !== ".." && p !== "**") {
						didSomething = true;
						const splin = dd === 1 && parts[dd + 1] === "**" ? ["."] : [];
						parts.splice(dd - 1, 2, ...splin);
						if (parts.length === 0) parts.push("");
						dd = Math.max(dd - 2, root);
					}
				}
			}
		} while (didSomething);
		return globParts;
	}
	secondPhasePreProcess(globParts) {
		const keys = /* @__PURE__ */ new Set();
		const rows = globParts.filter((parts) => {
			const key = parts.join("/");
			if (keys.has(key)) return false;
			keys.add(key);
			return true;
		});
		const stars = /* @__PURE__ */ new Map();
		for (const parts of rows) {
			const s = [];
			for (let i = 0; i < parts.length; i++) if (parts[i] === "*") s.push(i);
			if (s.length) stars.set(s.join(","), s);
		}
		if (!stars.size || rows.length * stars.size > 1e5) return rows;
		const { dot } = this.options;
		return rows.filter((parts) => {
			for (const s of stars.values()) {
				if (s[s.length - 1] >= parts.length) continue;
				const c = [...parts];
				let ok = true;
				let changed = false;
				for (const i of s) {
					const p = parts[i];
					if (p === "*") continue;
					if (!p || p === "**" || !dot && p.startsWith(".")) {
						ok = false;
						break;
					}
					c[i] = "*";
					changed = true;
				}
				if (ok && changed && keys.has(c.join("/"))) return false;
			}
			return true;
		});
	}
	parseNegate() {
		if (this.nonegate) return;
		const pattern = this.pattern;
		let negate = false;
		let negateOffset = 0;
		for (let i = 0; i < pattern.length && pattern.charAt(i) === "!"; i++) {
			negate = !negate;
			negateOffset++;
		}
		if (negateOffset) this.pattern = pattern.slice(negateOffset);
		this.negate = negate;
	}
	#matchRow(file, resolved, pattern, partial) {
		let fileStartIndex = 0;
		let patternStartIndex = 0;
		const fh = this.isWindows ? uncHost(resolved) : -1;
		const ph = fh === -1 ? -1 : uncHost(pattern);
		if (ph !== -1) {
			const host = pattern[ph];
			const share = pattern[ph + 1];
			if (typeof host !== "string" || typeof share !== "string") {
				fileStartIndex = fh;
				patternStartIndex = ph;
			} else if (resolved[fh].toLowerCase() === host.toLowerCase() && resolved[fh + 1].toLowerCase() === share.toLowerCase()) {
				fileStartIndex = fh + 2;
				patternStartIndex = ph + 2;
			}
		} else if (this.isWindows) {
			const fileDrive = typeof file[0] === "string" && /^[a-z]:$/i.test(file[0]);
			const fileUNC = !fileDrive && file[0] === "" && file[1] === "" && file[2] === "?" && /^[a-z]:$/i.test(file[3]);
			const patternDrive = typeof pattern[0] === "string" && /^[a-z]:$/i.test(pattern[0]);
			const patternUNC = !patternDrive && pattern[0] === "" && pattern[1] === "" && pattern[2] === "?" && typeof pattern[3] === "string" && /^[a-z]:$/i.test(pattern[3]);
			const fdi = fileUNC ? 3 : fileDrive ? 0 : void 0;
			const pdi = patternUNC ? 3 : patternDrive ? 0 : void 0;
			if (typeof fdi === "number" && typeof pdi === "number") {
				const [fd, pd] = [file[fdi], pattern[pdi]];
				if (fd.toLowerCase() === pd.toLowerCase()) {
					patternStartIndex = pdi + 1;
					fileStartIndex = fdi + 1;
				}
			}
		}
		file = resolved;
		if (pattern.includes(GLOBSTAR)) return this.#matchGlobstar(file, pattern, partial, fileStartIndex, patternStartIndex);
		return this.#matchOne(file, pattern, partial, fileStartIndex, patternStartIndex);
	}
	#matchGlobstar(file, pattern, partial, fileIndex, patternIndex) {
		const { head, body, tail, segments } = this.#getGlobstarParts(pattern, partial, patternIndex);
		if (head.length) {
			const headEnd = fileIndex + head.length;
			if (!this.#matchOne(file, head, partial, fileIndex, 0, headEnd)) return false;
			fileIndex += head.length;
			patternIndex += head.length;
		}
		let fileTailMatch = 0;
		if (tail.length) {
			if (tail.length + fileIndex > file.length) return false;
			let tailStart = file.length - tail.length;
			if (this.#matchOne(file, tail, partial, tailStart, 0)) fileTailMatch = tail.length;
			else {
				if (file[file.length - 1] !== "" || fileIndex + tail.length === file.length) return false;
				tailStart--;
				if (!this.#matchOne(file, tail, partial, tailStart, 0)) return false;
				fileTailMatch = tail.length + 1;
			}
		}
		if (!body.length) {
			let sawSome = !!fileTailMatch;
			for (let i = fileIndex; i < file.length - fileTailMatch; i++) {
				const f = String(file[i]);
				sawSome = true;
				if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) return false;
			}
			return partial || sawSome;
		}
		return !!this.#matchGlobStarBodySections(file, segments, file.length - fileTailMatch, fileIndex, 0, partial, 0, !!fileTailMatch, /* @__PURE__ */ new Set());
	}
	#getGlobstarParts(pattern, partial, patternIndex) {
		let byStart = this.#globstarParts.get(pattern);
		if (!byStart) {
			byStart = [];
			this.#globstarParts.set(pattern, byStart);
		}
		const key = patternIndex * 2 + (partial ? 1 : 0);
		const found = byStart[key];
		if (found) return found;
		const firstgs = pattern.indexOf(GLOBSTAR, patternIndex);
		const lastgs = pattern.lastIndexOf(GLOBSTAR);
		const head = pattern.slice(patternIndex, firstgs);
		const body = pattern.slice(firstgs + 1, partial ? void 0 : lastgs);
		const tail = partial ? [] : pattern.slice(lastgs + 1);
		const segments = [[[], 0]];
		let current = segments[0];
		let nonGsParts = 0;
		const nonGsPartsSums = [0];
		for (const b of body) if (b === GLOBSTAR) {
			nonGsPartsSums.push(nonGsParts);
			current = [[], 0];
			segments.push(current);
		} else {
			current[0].push(b);
			nonGsParts++;
		}
		segments.forEach((b, i) => {
			b[1] = nonGsParts - nonGsPartsSums[i];
		});
		const parts = {
			head,
			body,
			tail,
			segments
		};
		byStart[key] = parts;
		return parts;
	}
	#matchGlobStarBodySections(file, bodySegments, fileLength, fileIndex, bodyIndex, partial, globStarDepth, sawTail, tried) {
		const bs = bodySegments[bodyIndex];
		if (!bs) {
			if (partial) return fileIndex >= fileLength || fileIndex === fileLength - 1 && file[fileIndex] === "";
			for (let i = fileIndex; i < fileLength; i++) {
				sawTail = true;
				const f = file[i];
				if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) return false;
			}
			return sawTail;
		}
		const [body, need] = bs;
		const after = partial ? fileLength : fileLength - need;
		while (fileIndex <= after) {
			const key = bodyIndex * (file.length + 1) + fileIndex;
			if (tried.has(key)) return false;
			tried.add(key);
			if (this.#matchOne(file, body, partial, fileIndex, 0, fileIndex + body.length) && globStarDepth < this.maxGlobstarRecursion) {
				const sub = this.#matchGlobStarBodySections(file, bodySegments, fileLength, fileIndex + body.length, bodyIndex + 1, partial, globStarDepth + 1, sawTail, tried);
				if (sub !== false) return sub;
			}
			if (fileIndex === after) break;
			const f = file[fileIndex];
			if (f === "." || f === ".." || !this.options.dot && f.startsWith(".")) return false;
			fileIndex++;
		}
		return partial || null;
	}
	#matchOne(file, pattern, partial, fileIndex, patternIndex, fileEnd = file.length) {
		let fi;
		let pi;
		let pl;
		let fl;
		for (fi = fileIndex, pi = patternIndex, fl = Math.min(fileEnd, file.length), pl = pattern.length; fi < fl && pi < pl; fi++, pi++) {
			let p = pattern[pi];
			let f = file[fi];
			/* c8 ignore start */
			if (p === false || p === GLOBSTAR) return false;
			/* c8 ignore stop */
			if (!portionMatch(p, f)) return false;
		}
		if (fi === fl && pi === pl) return true;
		else if (fi === fl) return partial;
		else if (pi === pl) return fi === fl - 1 && file[fi] === "";
		else throw new Error("wtf?");
		/* c8 ignore stop */
	}
	braceExpand() {
		return braceExpand(this.pattern, this.options);
	}
	#expandBraces() {
		const { pattern } = this;
		if (this.options.nobrace) return this.braceExpand();
		let code = 57344;
		while (pattern.includes(String.fromCharCode(code))) if (++code > 63743) return this.braceExpand();
		const mark = String.fromCharCode(code);
		let found = false;
		const marked = pattern.replace(rangeRe, (m, lo, hi) => {
			const a = Number(lo);
			const b = Number(hi);
			if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || Math.abs(a - b) + 1 < RANGE_MIN) return m;
			found = true;
			return `${mark}${lo}..${hi}${mark}`;
		});
		if (!found) return this.braceExpand();
		const set = braceExpand(marked, this.options);
		for (const p of set) for (const portion of p.split("/")) {
			const c = portion.indexOf("[");
			if (c !== -1 && c < portion.lastIndexOf(mark)) return this.braceExpand();
			if (!this.options.noext && inRepeatOrNegExt(portion, mark)) return this.braceExpand();
		}
		this.#rangeMark = mark;
		return set;
	}
	parse(pattern) {
		assertValidPattern(pattern);
		const options = this.options;
		if (pattern === "**") return GLOBSTAR;
		if (pattern === "") return "";
		const { nocase, nocaseMagicOnly, noext = false, dot, normalize } = options;
		const rangeMark = this.#rangeMark;
		const lit = rangeMark && pattern.includes(rangeMark) ? void 0 : literal(pattern, noext);
		if (lit !== void 0 && !(nocase && !nocaseMagicOnly && pattern.toUpperCase() !== pattern.toLowerCase())) return this.#norm(lit);
		if (this.#pending) return PENDING;
		let m = this.#matchers.get(pattern);
		if (!m) {
			if (!noext) assertValidExtglobs(pattern);
			m = new Matcher(pattern, {
				nocase,
				noext,
				dot,
				normalize,
				...rangeMark && { rangeMark }
			});
			this.#matchers.set(pattern, m);
		}
		return m;
	}
	#slashSplit(p) {
		if (this.preserveMultipleSlashes) return p.split("/");
		else if (this.isWindows && /^\/\/[^/]+/.test(p)) return ["", ...p.split(/\/+/)];
		else return p.split(/\/+/);
	}
	match(f, partial = this.partial) {
		if (this.comment) return false;
		if (this.empty) return f === "";
		if (f === "/" && partial) return true;
		const options = this.options;
		let split = this.#cachedSplit(f);
		if (!split) {
			if (!partial && !this.#form && (this.#endCheck || this.#literalCheck) && lastChecked !== f) {
				lastChecked = f;
				const can = this.#canMatch(f);
				if (can === "no") return options.flipNegate ? false : this.negate;
				if (can === "yes") return options.flipNegate ? true : !this.negate;
			}
			split = this.#split(f);
		}
		const ff = split.parts;
		const resolved = this.#level2 ? split.resolved ??= this.#levelTwoFileOptimize(ff) : ff;
		const set = this.set;
		let filename = ff[ff.length - 1];
		if (!filename) for (let i = ff.length - 2; !filename && i >= 0; i--) filename = ff[i];
		for (let r = 0; r < set.length; r++) {
			const pattern = set[r];
			const shape = partial ? void 0 : this.#shapes[r];
			if (shape === "base" ? portionMatch(pattern[0], filename) : shape ? this.#matchShape(resolved, pattern, shape) : options.matchBase && pattern.length === 1 ? this.#matchRow([filename], [filename], pattern, partial) : this.#matchRow(ff, resolved, pattern, partial)) {
				if (options.flipNegate) return true;
				return !this.negate;
			}
		}
		if (options.flipNegate) return false;
		return this.negate;
	}
	static defaults(def) {
		return minimatch.defaults(def).Minimatch;
	}
};
/* c8 ignore stop */
minimatch.Minimatch = Minimatch;
minimatch.escape = escape;
minimatch.unescape = unescape;
// src/policy/special-paths.ts
/**
* Why an absolute path a command may name cannot be checked, if so: per-process views under /proc
* (`/proc/self/cwd` is the command's own folder, `/proc/1/root` is `/`, `/proc/self/fd/3` any open file)
* and paths that go on past a file descriptor (`/dev/stdin/..`, `/dev/fd/3/x`, where the descriptor can be a
* folder). They are refused wherever they appear, since they can lead back into the workspace unseen.
*/
function uncheckableReason(absolute) {
	const path = posix.normalize(absolute);
	if (path === "/proc" || path.startsWith("/proc/") && !SAFE_PROC_FILES.has(path)) return "it goes through /proc, whose per-process paths (/proc/self/cwd, /proc/<pid>/root, /proc/self/fd/N…) lead to places this check cannot see";
	if (/^\/dev\/(fd|stdin|stdout|stderr)\/./.test(path) || path === "/dev/fd") return "it goes through a file descriptor, which can be a folder (the workspace itself) this check cannot see";
}
/** System-wide /proc files that are plain information, not a way to another process or folder. */
const SAFE_PROC_FILES = /* @__PURE__ */ new Set([
	"/proc/cpuinfo",
	"/proc/meminfo",
	"/proc/version",
	"/proc/loadavg",
	"/proc/uptime",
	"/proc/stat",
	"/proc/filesystems"
]);
/** Pseudo-files a command may always write: the null device and its own output streams. */
const ALWAYS_WRITABLE = /* @__PURE__ */ new Set([
	"/dev/null",
	"/dev/stdout",
	"/dev/stderr",
	"/dev/fd/1",
	"/dev/fd/2"
]);
/**
* Whether a command may write `real`, an absolute path outside the workspace: the null device, its own
* output, or /tmp (private to each command in the sandbox), except nanocoder's own folders there (other
* tasks' worktrees, the scratch index its git commands use), which an unsandboxed command could reach.
*/
function writableOutside(real) {
	const path = posix.normalize(real);
	return ALWAYS_WRITABLE.has(path) || path.startsWith("/tmp/") && !/^\/tmp\/(.*\/)?nanocoder-/.test(path);
}
/** Output pseudo-files that need no check at all, whatever the workspace. */
function isAlwaysWritable(path) {
	return ALWAYS_WRITABLE.has(posix.normalize(path));
}
/** System folders every machine shares: the toolchain, libraries and their sources, nothing of a user's. */
const SYSTEM_FOLDERS = [
	"/usr/",
	"/opt/",
	"/lib/",
	"/lib64/",
	"/bin/",
	"/sbin/",
	"/etc/os-release",
	"/etc/alpine-release",
	"/etc/debian_version"
];
/** A folder of installed packages somewhere on the path: a project's dependencies, a virtualenv's libraries. */
const INSTALLED_PACKAGES = /\/(node_modules|site-packages|dist-packages|vendor)\//;
/**
* Whether a command run without a sandbox may read `real`, an absolute path outside the workspace: system
* folders, installed packages (a worktree's node_modules leads to the checkout's), /tmp but for nanocoder's
* own folders there, and the system's plain /proc files. Elsewhere (the home folder, other checkouts) only
* the sandbox, which shows nothing of them, makes reads safe.
*/
function readableOutside(real) {
	const path = posix.normalize(real);
	if (SAFE_PROC_FILES.has(path) || ALWAYS_WRITABLE.has(path)) return true;
	if (SYSTEM_FOLDERS.some((folder) => path === folder.replace(/\/$/, "") || path.startsWith(folder))) return true;
	if (INSTALLED_PACKAGES.test(`${path}/`)) return true;
	return path.startsWith("/tmp/") && !/^\/tmp\/(.*\/)?nanocoder-/.test(path);
}
// src/policy/command-redirects.ts
/** Streams a command may always open: the null device and its own standard streams. */
const STANDARD_STREAMS = /* @__PURE__ */ new Set(["/dev/stdin", "/dev/fd/0"]);
/**
* A redirection is a file access, decided by `checkFile`, except: /dev/null and the standard streams (always
* fine); network pseudo-files, per-process paths (/proc/self/cwd…), targets the shell expands at run time,
* `..` targets and relative targets after a `cd` (denied); absolute writes outside /tmp (denied: outside the
* workspace). Absolute reads and /tmp writes go to `checkFile`, which knows where they really lead.
*/
function decideRedirect(redirect, checkFile, changesDirectory) {
	const command = `${redirect.operator} ${redirect.target.source}`;
	const verb = redirect.kind === "write" ? "writes to" : "reads from";
	const rule = "commands.redirect";
	const deny = (reason) => ({
		command,
		decision: "deny",
		rule,
		reason: `\`${command}\` ${verb} ${reason}`
	});
	if (!redirect.target.literal) return deny(`\`${redirect.target.source}\`, which the shell expands at run time`);
	return decideOpenedPath(redirect.kind, redirect.target.value, checkFile, changesDirectory, {
		command,
		verb,
		rule,
		deny
	});
}
/** Shared by redirections and output options (`--outputFile=PATH`): a path the shell or a program opens. */
function decideOpenedPath(kind, target, checkFile, changesDirectory, { command, verb, rule, deny }, within = false) {
	if (isAlwaysWritable(target) || STANDARD_STREAMS.has(posix.normalize(target))) return {
		command,
		decision: "allow",
		rule,
		reason: `\`${command}\` ${verb} ${target}, which is always allowed`
	};
	if (/^\/dev\/(tcp|udp)\//.test(posix.normalize(target))) return deny(`\`${target}\`, which opens a network connection`);
	if (target.startsWith("/")) {
		const uncheckable = uncheckableReason(target);
		if (uncheckable) return deny(`\`${target}\`: ${uncheckable}; name the file by its path in the workspace`);
		if (kind === "write" && !posix.normalize(target).startsWith("/tmp/")) return deny(`the absolute path \`${target}\`, outside the workspace (only /tmp, /dev/null and the output streams may be written there; name workspace files by their relative path)`);
	} else {
		const path = posix.normalize(target).replace(/\/+$/, "") || ".";
		if (path === ".." || path.startsWith("../")) return deny(`\`${target}\`, outside the workspace`);
		if (changesDirectory) return deny(`\`${target}\` after a change of directory (cd), so where it points cannot be known`);
	}
	const decision = checkFile({
		kind,
		path: target.startsWith("/") ? posix.normalize(target) : posix.normalize(target).replace(/\/+$/, "") || ".",
		...within ? { within } : {}
	});
	return {
		command,
		decision: decision.decision,
		rule: decision.rule,
		reason: `\`${command}\`: ${decision.reason}`
	};
}
// src/policy/shell/pattern.ts
/**
* `anyStar`: a `*` inside a word matches across `/` too. Deny rules are read so: a deny is refused more,
* never less (`cat secrets/*` denies `cat secrets/a/b` as it always did).
*/
function parsePattern(pattern, anyStar = false) {
	return splitShellWords(pattern).map((token) => patternWord(token, anyStar));
}
function patternWord(token, anyStar) {
	if (token.mask === "**") return { kind: "rest" };
	if (token.mask === "*") return { kind: "one" };
	if (!token.mask.includes("*")) return {
		kind: "text",
		text: token.value,
		glob: void 0
	};
	let source = "";
	for (let i = 0; i < token.value.length; i++) {
		const char = token.value[i] ?? "";
		if (token.mask[i] !== "*") source += char.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
		else if (anyStar || token.mask[i + 1] === "*") {
			source += ".*";
			while (token.mask[i + 1] === "*") i++;
		} else source += "[^/]*";
	}
	const glob = new RegExp(`^${source}$`, "s");
	return anyStar ? {
		kind: "text",
		text: token.value,
		glob
	} : {
		kind: "text",
		text: token.value,
		glob,
		noParents: true
	};
}
/** Splits like a shell would, without expansions: whitespace separates, quotes group, backslash escapes. */
function splitShellWords(text) {
	const tokens = [];
	let current;
	let quote;
	const add = (value, raw, masked) => {
		current ??= {
			value: "",
			raw: "",
			mask: ""
		};
		current.value += value;
		current.raw += raw;
		current.mask += masked ? "_".repeat(value.length) : value;
	};
	for (let i = 0; i < text.length; i++) {
		const char = text[i] ?? "";
		if (quote === "'") {
			if (char === "'") quote = void 0;
			add(char === "'" ? "" : char, char, true);
		} else if (char === "\\" && (quote !== "\"" || /["\\$`]/.test(text[i + 1] ?? ""))) {
			add(text[i + 1] ?? "", char + (text[i + 1] ?? ""), true);
			i++;
		} else if (quote === "\"") {
			if (char === "\"") quote = void 0;
			add(char === "\"" ? "" : char, char, true);
		} else if (char === "'" || char === "\"") {
			quote = char;
			add("", char, true);
		} else if (/\s/.test(char)) {
			if (current) tokens.push(current);
			current = void 0;
		} else add(char, char, false);
	}
	if (current) tokens.push(current);
	return tokens;
}
function matchesText(word, text) {
	if (word.kind !== "text") return true;
	if (!word.glob) return word.text === text;
	if (word.noParents && PARENT.test(text) && !PARENT.test(word.text)) return false;
	return word.glob.test(text);
}
const PARENT = /(^|\/)\.\.(\/|$)/;
/**
* Matches pattern words against subject words in order. `optional` subject words may be skipped (deny
* matching uses this for words that may be the value of the option before them). Dynamic programming from
* the ends, without recursion: linear in pattern × subject and safe for commands of any length.
*/
function matchInOrder(pattern, subject) {
	const width = subject.length + 1;
	const fits = new Uint8Array((pattern.length + 1) * width);
	const at = (i, j) => fits[i * width + j] === 1;
	fits[pattern.length * width + subject.length] = 1;
	for (let j = subject.length - 1; j >= 0; j--) {
		const item = subject[j];
		const skippable = item !== void 0 && (item.kind === "any" || item.optional);
		fits[pattern.length * width + j] = skippable && at(pattern.length, j + 1) ? 1 : 0;
	}
	for (let i = pattern.length - 1; i >= 0; i--) {
		const word = pattern[i];
		if (!word) continue;
		for (let j = subject.length; j >= 0; j--) fits[i * width + j] = matchStep(word, subject[j], (di, dj) => at(i + di, j + dj)) ? 1 : 0;
	}
	return at(0, 0);
}
/** One step of the match: `next(di, dj)` tells whether the rest matches after advancing by di and dj. */
function matchStep(word, item, next) {
	if (word.kind === "rest") return next(1, 0) || item !== void 0 && next(0, 1);
	if (!item) return false;
	if (item.kind === "any") return next(0, 1) || next(1, 0);
	if (item.optional && next(0, 1)) return true;
	return matchesText(word, item.text) && next(1, 1);
}
/** Allow matching: every word literal, in order, exactly as the pattern says. */
function matchWords(pattern, words) {
	return matchInOrder(pattern, words.map((text) => ({
		kind: "word",
		text,
		optional: false
	})));
}
// src/policy/shell/loose-match.ts
/**
* Deny matching, which errs towards matching: the program matches by its base name (`/bin/rm` is `rm`);
* the pattern's flags may appear anywhere, in any order, or inside combined short flags (`-r` is in `-fr`);
* a word right after a flag may be that flag's value and is skipped if needed (`git -C dir push`); an
* expansion matches any number of words and any flag. A dynamic program matches every pattern.
*/
function matchLoosely(pattern, words) {
	const [programPattern, ...patternArgs] = pattern;
	const [program, ...args] = words;
	if (!programPattern || !program) return false;
	if (!program.literal) return true;
	if (!programMatches(programPattern, program.text)) return false;
	const wanted = splitPattern(patternArgs);
	const given = splitArgs(args);
	if (!matchInOrder(wanted.positional, given.positional)) return false;
	if (given.dynamic) return true;
	if (!wanted.flags.every((flag) => flagPresent(flag, given.flags))) return false;
	return wanted.open || given.flags.every((flag) => wanted.flags.some((word) => flagCovers(word, flag)));
}
function baseName(text) {
	return text.slice(text.lastIndexOf("/") + 1);
}
function programMatches(word, program) {
	if (word.kind !== "text") return true;
	if (word.glob) return word.glob.test(program) || word.glob.test(baseName(program));
	return baseName(word.text) === baseName(program);
}
function isFlag(text) {
	return text.length > 1 && text.startsWith("-") && text !== "--";
}
function splitPattern(words) {
	const flags = [];
	const positional = [];
	let options = true;
	for (const word of words) {
		if (word.kind === "text" && word.text === "--") options = false;
		if (options && word.kind === "text" && isFlag(word.text)) flags.push(word);
		else positional.push(word);
	}
	return {
		flags,
		positional,
		open: words.some((word) => word.kind === "rest")
	};
}
function splitArgs(args) {
	const flags = [];
	const positional = [];
	let options = true;
	let afterFlag = false;
	for (const word of args) {
		if (!word.literal) {
			positional.push({ kind: "any" });
			afterFlag = false;
			continue;
		}
		if (word.text === "--") options = false;
		if (options && isFlag(word.text)) {
			flags.push(word.text);
			afterFlag = !word.text.includes("=");
			continue;
		}
		positional.push({
			kind: "word",
			text: word.text,
			optional: afterFlag
		});
		afterFlag = false;
	}
	return {
		flags,
		positional,
		dynamic: args.some((word) => !word.literal)
	};
}
const CLUSTER = /^-[A-Za-z0-9]+$/;
/** The pattern flag is given: as is, as `--flag=value`, by glob, or (short flags) letter by letter in clusters. */
function flagPresent(flag, given) {
	if (given.some((word) => sameFlag(flag, word))) return true;
	if (flag.glob || !CLUSTER.test(flag.text)) return false;
	const letters = new Set(given.filter((word) => /^-[^-]/.test(word)).flatMap((word) => [...word.slice(1)]));
	return [...flag.text.slice(1)].every((letter) => letters.has(letter));
}
function sameFlag(flag, word) {
	if (matchesText(flag, word)) return true;
	return flag.text.startsWith("--") && !flag.text.includes("=") && word.startsWith(`${flag.text}=`);
}
/** Without a `**`, a command flag must be one the pattern names (so `rm -r` does not match `rm -r -i`). */
function flagCovers(flag, word) {
	if (sameFlag(flag, word)) return true;
	return !flag.glob && CLUSTER.test(flag.text) && CLUSTER.test(word) && [...word.slice(1)].every((letter) => flag.text.includes(letter));
}
// src/policy/shell/types.ts
/** Thrown inside the parser to fail closed; `parse` turns it into `{ ok: false, reason }`. */
var ShellRefusal = class extends Error {};
function refuse(reason) {
	throw new ShellRefusal(reason);
}
/** Runs `run`, prefixing the reason of any refusal with `context`. */
function withContext(context, run) {
	try {
		return run();
	} catch (error) {
		if (error instanceof ShellRefusal) refuse(`${context}: ${error.message}`);
		throw error;
	}
}
function literalWord(value) {
	return {
		value,
		literal: true,
		source: value
	};
}
function programName(word) {
	const slash = word.value.lastIndexOf("/");
	return slash === -1 ? word.value : word.value.slice(slash + 1);
}
/** One line, at most 60 characters, for quoting a command in a reason. */
function shorten(text) {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
// src/policy/shell/wrappers.ts
const WRAPPERS = {
	env: {
		valueFlags: "uCPS",
		longValueFlags: [
			"--unset",
			"--chdir",
			"--split-string"
		],
		assignments: true,
		splitString: true
	},
	sudo: {
		valueFlags: "ugCDprtTU",
		longValueFlags: [
			"--user",
			"--group",
			"--close-from",
			"--chdir",
			"--prompt",
			"--role",
			"--type",
			"--command-timeout",
			"--other-user",
			"--host"
		],
		assignments: true
	},
	doas: { valueFlags: "uC" },
	command: { valueFlags: "" },
	builtin: { valueFlags: "" },
	exec: { valueFlags: "a" },
	time: {
		valueFlags: "fo",
		longValueFlags: ["--format", "--output"]
	},
	timeout: {
		valueFlags: "sk",
		longValueFlags: ["--signal", "--kill-after"],
		operands: 1
	},
	nice: {
		valueFlags: "n",
		longValueFlags: ["--adjustment"]
	},
	nohup: { valueFlags: "" },
	stdbuf: {
		valueFlags: "ioe",
		longValueFlags: [
			"--input",
			"--output",
			"--error"
		]
	},
	ionice: {
		valueFlags: "cnpPu",
		longValueFlags: [
			"--class",
			"--classdata",
			"--pid",
			"--pgid",
			"--uid"
		]
	},
	setsid: { valueFlags: "" },
	xargs: {
		valueFlags: "adEILnPs",
		inlineValueFlags: "eil",
		longValueFlags: [
			"--arg-file",
			"--delimiter",
			"--max-args",
			"--max-procs",
			"--max-chars",
			"--process-slot-var"
		],
		xargs: true
	}
};
function isWrapper(word) {
	return word.literal && Object.hasOwn(WRAPPERS, programName(word));
}
/**
* The command itself, then the command each wrapper runs: `sudo env A=1 nice rm -rf x` gives
* [sudo …], [env …], [nice …], [rm -rf x]. A wrapper whose options cannot be read statically ends the list
* with the unreadable word as the (dynamic) program.
*/
function unwrapLayers(words) {
	const layers = [words];
	let current = words;
	while (layers.length < 32) {
		const program = current[0];
		if (!program || !isWrapper(program)) break;
		const inner = innerCommand(WRAPPERS[programName(program)] ?? { valueFlags: "" }, current);
		if (inner.length === 0) break;
		layers.push(inner);
		current = inner;
	}
	return layers;
}
function innerCommand(spec, words) {
	let index = 1;
	let replace;
	for (;;) {
		const word = words[index];
		if (!word || !word.literal) break;
		if (word.value === "--") {
			index++;
			break;
		}
		if (spec.assignments && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value)) {
			index++;
			continue;
		}
		if (!/^-./.test(word.value)) break;
		const option = readOption(spec, words, index);
		index += option.width;
		if (spec.splitString && (option.flag === "-S" || option.flag === "--split-string")) return splitString(words[0], option.value, words.slice(index));
		if (spec.xargs && (option.flag === "-I" || option.flag === "-i" || option.flag === "--replace")) replace = option.value === void 0 && option.flag === "-I" ? null : option.value || "{}";
	}
	index += spec.operands ?? 0;
	const inner = words.slice(index);
	return spec.xargs && inner.length > 0 ? xargsCommand(inner, replace) : inner;
}
/** Reads one option word: `--name=value`, `--name value`, or a short cluster such as `-n5`, `-oL`, `-0r`. */
function readOption(spec, words, index) {
	const text = words[index]?.value ?? "";
	const next = words[index + 1];
	const nextValue = next?.literal ? next.value : void 0;
	if (text.startsWith("--")) {
		const equals = text.indexOf("=");
		if (equals !== -1) return {
			width: 1,
			flag: text.slice(0, equals),
			value: text.slice(equals + 1)
		};
		return spec.longValueFlags?.includes(text) ? {
			width: 2,
			flag: text,
			value: nextValue
		} : {
			width: 1,
			flag: text
		};
	}
	for (let i = 1; i < text.length; i++) {
		const flag = `-${text[i] ?? ""}`;
		const rest = text.slice(i + 1);
		if (spec.inlineValueFlags?.includes(flag[1] ?? "")) return {
			width: 1,
			flag,
			value: rest
		};
		if (spec.valueFlags.includes(flag[1] ?? "")) return rest ? {
			width: 1,
			flag,
			value: rest
		} : {
			width: 2,
			flag,
			value: nextValue
		};
	}
	return { width: 1 };
}
/** `env -S 'rm -rf x'` splits its string into words; the result is read as `env` again. */
function splitString(program, value, rest) {
	if (!program) return [];
	if (value === void 0) return [{
		value: "<env -S string>",
		literal: false,
		source: "<env -S string>"
	}, ...rest];
	return [
		program,
		...splitShellWords(value).map((part) => ({
			value: part.value,
			literal: !/[$\\]/.test(part.raw),
			source: part.raw
		})),
		...rest
	];
}
/** The words xargs adds from its input, as the command's last (dynamic) word. */
const XARGS_INPUT = "<arguments from stdin>";
const STDIN_ARGUMENTS = {
	value: XARGS_INPUT,
	literal: false,
	source: XARGS_INPUT
};
/** `replace` is the -I string (words containing it get stdin data), null when it is unknown, undefined without -I. */
function xargsCommand(inner, replace) {
	const substituted = (word) => replace === null || replace !== void 0 && word.value.includes(replace);
	return [...inner.map((word) => substituted(word) ? {
		...word,
		literal: false
	} : word), STDIN_ARGUMENTS];
}
// src/policy/programs/risks.ts
/**
* Risky options among `args`, read as the program reads them: `--name=value`, shortened long options as its
* option parser resolves them (`abbreviations`), short clusters (`-ni` is `-n -i`). Stops at `--` unless
* the rules say otherwise.
*/
function optionRisks(args, rules) {
	const risks = [];
	for (const word of args) {
		if (word === "--" && !rules.readsPastDoubleDash) break;
		const written = word.split("=")[0] ?? word;
		const name = rules.dottedNames && written.startsWith("--") ? written.split(".")[0] ?? written : written;
		const why = rules.options[name];
		const direct = why ? {
			flag: name,
			why
		} : abbreviated(name, rules);
		if (direct) risks.push({
			flag: direct.flag,
			word,
			why: direct.why
		});
		else if (/^-[^-]/.test(word)) risks.push(...letterRisks(word, rules));
	}
	return risks.map((risk) => rules.checkedWrites?.includes(risk.flag) ? {
		...risk,
		checked: true
	} : risk);
}
/**
* A long option written shorter than a risky one. getopt_long and git take any unique prefix (`--i` for
* `--in-place`); npm's nopt does the same over its config keys (`--scr` for `--script-shell`). The other
* options of the program are not all known here, so any prefix counts: a prefix shared with another option
* makes the program fail, and refusing it costs nothing.
*/
function abbreviated(name, rules) {
	if ((rules.abbreviations ?? "getopt") === "exact" || !name.startsWith("--") || name.length < 3 || rules.exact?.includes(name)) return void 0;
	const flag = Object.keys(rules.options).find((option) => option.startsWith("--") && option.startsWith(name));
	return flag ? {
		flag,
		why: rules.options[flag] ?? ""
	} : void 0;
}
function letterRisks(word, rules) {
	const direct = rules.options[word.slice(0, 2)];
	if (direct) return [{
		flag: word.slice(0, 2),
		word,
		why: direct
	}];
	const letters = rules.letters ?? {};
	const risks = [];
	for (const letter of word.slice(1)) {
		const why = letters[letter];
		if (why) risks.push({
			flag: `-${letter}`,
			word,
			why
		});
		if (why || rules.valueLetters?.includes(letter)) break;
	}
	return risks;
}
// src/policy/programs/any.ts
/**
* Options and variables that load code into whatever program reads them, risky for every program unless an
* allow rule names them. Read past `--` (npm, pnpm and yarn hand what follows to the script) and in dotted
* form (`--script-shell.x=…` is `--script-shell` to yargs and cac). Options that write a path
* (`--outputFile`…) are not here: their paths are checked as writes (outputs.ts).
*/
const LOADS_CODE$1 = "loads a module into the program, which runs any code it holds";
const ANY_PROGRAM = {
	options: {
		"--script-shell": "runs the given program as the shell of npm scripts",
		"--node-options": "passes options such as --require to every node process the command starts, which loads any code",
		"--require": LOADS_CODE$1,
		"--import": LOADS_CODE$1,
		"--loader": LOADS_CODE$1,
		"--experimental-loader": LOADS_CODE$1
	},
	readsPastDoubleDash: true,
	dottedNames: true
};
/**
* Variables that make programs load or run code: node's NODE_OPTIONS, npm's config in the environment
* (`npm_config_script_shell`, `npm_config_node_options`), the startup files of bash and sh, the dynamic
* loader's preload, perl's and ruby's option variables, git's ssh, pager and diff commands.
*/
const CODE_VARIABLES = /^(NODE_OPTIONS|npm_config_(script_shell|node_options|userconfig|globalconfig)|BASH_ENV|ENV|LD_PRELOAD|LD_AUDIT|PERL5OPT|RUBYOPT|GIT_SSH_COMMAND|GIT_SSH|GIT_PAGER|GIT_EXTERNAL_DIFF|GIT_EDITOR|PAGER)$/i;
function anyProgramRisks(args) {
	return optionRisks(args, ANY_PROGRAM);
}
/**
* `NAME=value` words that set such a variable: a command's own assignments, `env NAME=…`, `export NAME=…`.
* An allow rule that spells out `NAME=value` (after `env`) names it.
*/
function variableRisks(words) {
	return words.flatMap((word) => {
		const [, name, value] = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(word) ?? [];
		if (name !== void 0 && /PAGER$/.test(name) && (value === "" || value === "cat")) return [];
		return name !== void 0 && CODE_VARIABLES.test(name) ? [{
			flag: `${name}`,
			word,
			why: `sets ${name}, which makes programs load or run code it names`
		}] : [];
	});
}
// src/policy/programs/options.ts
const NO_VALUES = {
	short: "",
	long: []
};
function get(values, ...names) {
	return names.flatMap((name) => values.get(name) ?? []);
}
/**
* An operand, the value of a `--opt=value` word, or a value glued to a short option: which letters take a
* value is not known for every program, so every tail of a short cluster is a candidate (`-F.env` gives
* `.env`, `-nF.env` gives `F.env` and `.env`). `--exclude=GLOB` and the like are patterns.
*/
function readCandidates(word) {
	if (word === "" || word === "-") return [];
	if (!word.startsWith("-")) return [word];
	if (/^--(exclude|include|ignore)/.test(word)) return [];
	const value = /^--?[^=]+=(.+)$/.exec(word)?.[1];
	if (value) return [value];
	if (word.startsWith("--") || word.length < 3) return [];
	const tails = [];
	for (let at = 2; at < word.length && tails.length < 16; at++) tails.push(word.slice(at).replace(/^=/, ""));
	return tails.filter((tail) => tail !== "");
}
/**
* Operands and options, as getopt reads them: short options grouped (`-rt DIR`, `-tDIR`), long options
* abbreviated (`--rec`, `--target=DIR`), `--` ending the options.
*/
function split(words, spec) {
	const result = {
		operands: [],
		values: /* @__PURE__ */ new Map(),
		flags: /* @__PURE__ */ new Set(),
		ordered: []
	};
	const give = (name, value) => {
		result.values.set(name, [...result.values.get(name) ?? [], value]);
		result.ordered.push({
			name,
			value
		});
	};
	for (let i = 0; i < words.length; i++) {
		const word = words[i] ?? "";
		if (word === "--") {
			result.operands.push(...words.slice(i + 1));
			break;
		}
		if (word.startsWith("--")) {
			const [written = "", attached] = word.slice(2).split(/=(.*)/s);
			const name = longOption(written, spec);
			if (attached !== void 0) give(name, attached);
			else if (spec.long.includes(name)) give(name, words[++i] ?? "");
			else result.flags.add(name);
		} else if (word.startsWith("-") && word.length > 1) for (let at = 1; at < word.length; at++) {
			const letter = word[at] ?? "";
			if (spec.optionalShort?.includes(letter)) {
				if (at + 1 < word.length) give(letter, word.slice(at + 1));
				else result.flags.add(letter);
				break;
			}
			if (!spec.short.includes(letter)) {
				result.flags.add(letter);
				continue;
			}
			give(letter, at + 1 < word.length ? word.slice(at + 1) : words[++i] ?? "");
			break;
		}
		else result.operands.push(word);
	}
	return result;
}
/**
* A long option as getopt reads it: exact, else the one option it abbreviates. An ambiguous abbreviation
* makes the program fail; it is kept as written, or read as a value option when one matches (closed).
*/
function longOption(written, spec) {
	const known = [...spec.long, ...spec.flags ?? []];
	if (known.includes(written)) return written;
	const candidates = known.filter((long) => written.length > 0 && long.startsWith(written));
	if (candidates.length === 1) return candidates[0] ?? written;
	return candidates.find((long) => spec.long.includes(long)) ?? written;
}
function optionValues(words, letter, long) {
	const { values } = split(words, {
		short: letter,
		long: [long]
	});
	return [...values.get(letter) ?? [], ...values.get(long) ?? []];
}
/**
* grep, sed, awk…: the first operand is a pattern or a script unless one is given with -e/-f (or their long
* names); the rest are files, read, as are the files of -f.
*/
function patternOperands(call, spec) {
	const options = split(call.words, spec);
	const { operands, values, flags } = options;
	const files = values.has("e") || values.has("f") || values.has("regexp") || values.has("file") || values.has("expression") || flags.has("files") ? operands : operands.slice(1);
	call.paths.reads.push(...files, ...values.get("f") ?? [], ...values.get("file") ?? []);
	return {
		files,
		split: options
	};
}
// src/policy/programs/types.ts
function readsAll(folder, command, exclude, followsLinks = true) {
	return {
		folder,
		command,
		files: [],
		readsUnmatched: true,
		folders: [],
		skipsHidden: false,
		followsLinks,
		exclude
	};
}
// src/policy/programs/archives.ts
var archives_exports = /* @__PURE__ */ __exportAll({
	compressors: () => compressors,
	tar: () => tar,
	unzip: () => unzip,
	zip: () => zip
});
/** tar, zip, unzip and the compressors: archives written, folders read whole, extractions refused. */
/** Compressors replace each file with its compressed (or expanded) twin, unless writing to stdout or testing. */
const COMPRESSORS = {
	gzip: ".gz",
	gunzip: ".gz",
	bzip2: ".bz2",
	bunzip2: ".bz2",
	xz: ".xz",
	unxz: ".xz",
	lzma: ".lzma",
	zstd: ".zst",
	unzstd: ".zst",
	compress: ".Z",
	uncompress: ".Z"
};
function addCompressor(words, suffix, write) {
	const { operands, flags } = split(words, {
		short: "bSo",
		long: [
			"suffix",
			"block-size",
			"output"
		],
		flags: [
			"stdout",
			"to-stdout",
			"test",
			"list",
			"keep"
		]
	});
	if ([
		"c",
		"t",
		"l",
		"stdout",
		"to-stdout",
		"test",
		"list"
	].some((flag) => flags.has(flag))) return;
	write(...operands.flatMap((file) => [
		file,
		`${file}${suffix}`,
		file.endsWith(suffix) ? file.slice(0, -suffix.length) : file
	]));
}
const TAR_OPTIONS = {
	short: "bCfgHKLNTVX",
	long: [
		"file",
		"directory",
		"exclude",
		"files-from",
		"exclude-from",
		"label",
		"format",
		"blocking-factor",
		"listed-incremental",
		"newer",
		"after-date",
		"transform",
		"xform",
		"owner",
		"group",
		"mode",
		"mtime",
		"newer-mtime",
		"tape-length",
		"volno-file",
		"index-file"
	],
	flags: [
		"create",
		"extract",
		"get",
		"list",
		"append",
		"update",
		"catenate",
		"concatenate",
		"delete",
		"diff",
		"compare",
		"to-stdout",
		"dereference",
		"verbose",
		"gzip",
		"bzip2",
		"xz",
		"zstd",
		"remove-files"
	]
};
/**
* `tar c` reads its operands recursively and writes the archive; `tar r`/`u`/`A`/`--delete` write the archive;
* `tar x` writes whatever the archive holds, which cannot be checked (unless it goes to stdout with `-O`).
*/
function addTar(paths, words, source, write) {
	const [first = "", ...rest] = words;
	const { operands, values, flags } = split(/^[a-zA-Z]+$/.test(first) ? bundledTarOptions(first, rest) : words, TAR_OPTIONS);
	const has = (letter, long) => flags.has(letter) || long.some((name) => flags.has(name));
	const archives = [...values.get("f") ?? [], ...values.get("file") ?? []].filter((archive) => archive !== "-");
	if (values.has("T") || values.has("files-from")) paths.uncheckable.push({
		command: source,
		why: "takes the names of the files to archive from a file, which cannot be checked"
	});
	if (has("x", ["extract", "get"]) && !has("O", ["to-stdout"])) paths.uncheckable.push({
		command: source,
		why: "extracts files whose names and links come from the archive, which cannot be checked; list it with `tar t` or print a member with `tar xO`"
	});
	if (has("c", ["create"]) || has("r", ["append"]) || has("u", ["update"]) || has("A", ["catenate", "concatenate"]) || flags.has("delete")) write(...archives);
	write(...get(values, "index-file", "g", "listed-incremental"));
	if (flags.has("remove-files")) {
		const removed = operands.flatMap((operand) => [operand, ...[...values.get("C") ?? [], ...values.get("directory") ?? []].map((directory) => posix.join(directory, operand))]);
		paths.writes.push(...removed);
		paths.linkWrites.push(...removed);
		paths.trees.push(...removed);
	}
	if (!has("c", ["create"]) && !has("r", ["append"]) && !has("u", ["update"])) return;
	const directories = [...values.get("C") ?? [], ...values.get("directory") ?? []];
	const skipped = [...values.get("exclude") ?? []].filter((glob) => !glob.includes("/")).map((glob) => ({
		glob,
		include: false
	}));
	for (const operand of operands) {
		const places = [operand, ...directories.map((directory) => posix.join(directory, operand))];
		paths.reads.push(...places);
		for (const folder of places) paths.folderReads.push({
			...readsAll(folder, source, "--exclude=NAME", has("h", ["dereference"])),
			files: skipped,
			folders: skipped
		});
	}
}
/** `tar czf out.tgz x`: the letters of the first word are options; value letters take the next words in turn. */
function bundledTarOptions(letters, rest) {
	const options = [];
	let next = 0;
	for (const letter of letters) {
		options.push(`-${letter}`);
		if (TAR_OPTIONS.short.includes(letter)) options.push(rest[next++] ?? "");
	}
	return [...options, ...rest.slice(next)];
}
/** `zip [-r] ARCHIVE FILE…`: ARCHIVE is written, the files read (folders with everything in them under -r). */
function addZip(paths, words, source, write) {
	const { operands, flags } = split(words, {
		short: "bnOtx",
		long: [
			"temp-path",
			"suffixes",
			"output-file",
			"exclude"
		],
		flags: ["recurse-paths", "symlinks"]
	});
	const [archive, ...files] = operands;
	if (archive !== void 0) write(archive);
	if (flags.has("r") || flags.has("R") || flags.has("recurse-paths")) {
		const keepsLinks = flags.has("y") || flags.has("symlinks");
		paths.folderReads.push(...files.map((folder) => readsAll(folder, source, "name the files one by one", !keepsLinks)));
	}
}
/** `unzip` extracts files named inside the archive, unless it only lists, tests or prints them. */
function addUnzip(paths, words, source) {
	const { flags } = split(words, {
		short: "dx",
		long: []
	});
	if ([
		"l",
		"t",
		"v",
		"Z",
		"z",
		"p",
		"c"
	].some((flag) => flags.has(flag))) return;
	paths.uncheckable.push({
		command: source,
		why: "extracts files whose names come from the archive, which cannot be checked; list it with `unzip -l`"
	});
}
const compressors = {
	names: Object.keys(COMPRESSORS),
	paths: ({ program, words, write }) => addCompressor(words, COMPRESSORS[program] ?? "", write)
};
const tar = {
	names: ["tar"],
	paths: ({ paths, words, source, write }) => addTar(paths, words, source, write),
	risks: (args) => optionRisks(/^[a-zA-Z]+$/.test(args[0] ?? "") ? [`-${args[0] ?? ""}`, ...args.slice(1)] : args, {
		options: {
			"--to-command": "runs the given command",
			"--checkpoint-action": "can run a command",
			"--use-compress-program": "runs the given program",
			"--info-script": "runs the given script",
			"--new-volume-script": "runs the given script",
			"--rsh-command": "runs the given program",
			"--rmt-command": "runs the given program"
		},
		letters: {
			I: "runs the given compression program",
			F: "runs the given script"
		},
		valueLetters: "bCfgHKLNTVX"
	})
};
const TEST_COMMAND = "runs the given command to test the archive";
const NAMES_FROM_INPUT = "reads the names of the files to archive from its input, which cannot be checked";
const zip = {
	names: ["zip"],
	paths: ({ paths, words, source, write }) => addZip(paths, words, source, write),
	risks(args) {
		const risks = optionRisks(args, {
			options: {
				"-TT": TEST_COMMAND,
				"--unzip-command": TEST_COMMAND,
				"-@": NAMES_FROM_INPUT,
				"--names-stdin": NAMES_FROM_INPUT
			},
			letters: { "@": NAMES_FROM_INPUT },
			valueLetters: "bnOtx"
		});
		const cluster = args.find((word) => /^-[^-]*TT/.test(word));
		if (cluster !== void 0) risks.push({
			flag: "-TT",
			word: cluster,
			why: TEST_COMMAND
		});
		return risks;
	}
};
const unzip = {
	names: ["unzip"],
	paths: ({ paths, words, source }) => addUnzip(paths, words, source)
};
// src/policy/programs/awk.ts
var awk_exports = /* @__PURE__ */ __exportAll({ awk: () => awk });
/** awk and gawk: the first operand is the program (unless -f), the rest are files read. */
const OPTIONS$2 = {
	short: "fvFiE",
	long: [
		"file",
		"assign",
		"field-separator",
		"include",
		"exec"
	]
};
const awk = {
	names: ["awk", "gawk"],
	ownReads: true,
	paths(call) {
		const { files, split } = patternOperands(call, OPTIONS$2);
		if (get(split.values, "i", "include").some((library) => /^inplace(\.awk)?$/.test(library))) call.write(...files);
	}
};
// src/policy/programs/build.ts
var build_exports = /* @__PURE__ */ __exportAll({
	compilers: () => compilers,
	eslint: () => eslint,
	make: () => make,
	mocha: () => mocha
});
/** Compilers, linters and test runners whose short options write a file or load code. */
const compilers = {
	names: [
		"cc",
		"gcc",
		"g++",
		"c++",
		"clang",
		"clang++",
		"go",
		"rustc",
		"iconv"
	],
	outputs: { short: { o: "file" } }
};
const eslint = {
	names: ["eslint"],
	outputs: { short: { o: "file" } }
};
const mocha = {
	names: ["mocha"],
	risks: (args) => optionRisks(args, {
		options: { "-r": "loads a module before the tests, which runs any code it holds" },
		readsPastDoubleDash: true
	}),
	outputs: { reporterShort: "O" }
};
const make = {
	names: ["make"],
	outputs: { movesBase: "C" }
};
// src/policy/programs/files.ts
var files_exports = /* @__PURE__ */ __exportAll({
	addFileChanger: () => addFileChanger,
	changers: () => changers,
	dd: () => dd,
	linkers: () => linkers,
	patch: () => patch,
	splitters: () => splitters
});
/** cp, mv, ln, rm, tee, chmod, patch, dd, uniq, split…: programs that change the files they are given. */
const COPY_OPTIONS = {
	short: "St",
	long: [
		"suffix",
		"target-directory",
		"backup",
		"reflink",
		"sparse",
		"preserve",
		"no-preserve",
		"context"
	],
	flags: [
		"recursive",
		"archive",
		"no-target-directory",
		"symbolic-link",
		"link",
		"dereference",
		"no-dereference",
		"symbolic",
		"relative",
		"force",
		"interactive",
		"verbose",
		"update",
		"parents",
		"remove-destination",
		"strip-trailing-slashes",
		"attributes-only",
		"copy-contents",
		"one-file-system",
		"logical",
		"physical",
		"no-clobber"
	]
};
const RECURSIVE_FLAGS = [
	"recursive",
	"dereference",
	"no-dereference",
	"verbose",
	"changes",
	"silent",
	"quiet",
	"preserve-root",
	"no-preserve-root",
	"force",
	"dir",
	"one-file-system"
];
/** Programs that change the files they are given, and their options that take a value. */
const FILE_CHANGERS = {
	cp: COPY_OPTIONS,
	mv: COPY_OPTIONS,
	ln: COPY_OPTIONS,
	link: NO_VALUES,
	install: {
		short: "gmoSt",
		long: [
			"group",
			"mode",
			"owner",
			"suffix",
			"target-directory",
			"backup",
			"strip-program",
			"context"
		]
	},
	rm: {
		short: "",
		long: ["interactive"],
		flags: RECURSIVE_FLAGS
	},
	rmdir: NO_VALUES,
	unlink: NO_VALUES,
	mkdir: {
		short: "m",
		long: ["mode", "context"]
	},
	touch: {
		short: "dtr",
		long: [
			"date",
			"reference",
			"time"
		],
		flags: ["no-dereference", "no-create"]
	},
	tee: {
		short: "",
		long: ["output-error"]
	},
	truncate: {
		short: "sr",
		long: ["size", "reference"]
	},
	shred: {
		short: "ns",
		long: [
			"iterations",
			"size",
			"random-source"
		]
	},
	chmod: {
		short: "",
		long: ["reference"],
		flags: RECURSIVE_FLAGS
	},
	chown: {
		short: "",
		long: ["reference", "from"],
		flags: RECURSIVE_FLAGS
	},
	chgrp: {
		short: "",
		long: ["reference"],
		flags: RECURSIVE_FLAGS
	},
	sponge: NO_VALUES
};
/** Programs whose first operand is a mode, an owner or a group rather than a path (without `--reference`). */
const FIRST_OPERAND_NOT_A_PATH = /* @__PURE__ */ new Set([
	"chmod",
	"chown",
	"chgrp"
]);
/** Programs that put their sources into a folder when the destination is one. */
const COPIERS = /* @__PURE__ */ new Set([
	"cp",
	"mv",
	"ln",
	"install"
]);
/** Programs whose `-r`/`-R`/`--recursive` change what a folder holds. */
const RECURSIVE = /* @__PURE__ */ new Set([
	"rm",
	"chmod",
	"chown",
	"chgrp"
]);
/** Programs that act on a link itself rather than on what it points to. */
const ACT_ON_LINKS = /* @__PURE__ */ new Set([
	"rm",
	"unlink",
	"rmdir"
]);
/** `uniq IN OUT` writes OUT; `split IN PREFIX` and `csplit -f PREFIX` write PREFIXaa…, PREFIX00… */
function addSplitter(program, words, write) {
	const { operands, values } = split(words, {
		uniq: {
			short: "fsw",
			long: [
				"skip-fields",
				"skip-chars",
				"check-chars",
				"all-repeated",
				"group"
			]
		},
		split: {
			short: "abClnt",
			long: [
				"suffix-length",
				"bytes",
				"line-bytes",
				"lines",
				"number",
				"separator",
				"additional-suffix",
				"filter"
			]
		},
		csplit: {
			short: "bfn",
			long: [
				"suffix-format",
				"prefix",
				"digits"
			]
		}
	}[program] ?? NO_VALUES);
	if (program === "uniq") write(...operands.slice(1, 2));
	else if (program === "split") write(`${operands[1] ?? "x"}aa`, `${operands[1] ?? "x"}00`);
	else write(`${get(values, "f", "prefix")[0] ?? "xx"}00`);
}
function addFileChanger(paths, program, words, spec, source, write, traits) {
	const { operands, values, flags } = split(words, spec);
	const reference = [...values.get("r") ?? [], ...values.get("reference") ?? []];
	paths.reads.push(...reference);
	const targets = FIRST_OPERAND_NOT_A_PATH.has(program) && reference.length === 0 ? operands.slice(1) : operands;
	const given = [...values.get("t") ?? [], ...values.get("target-directory") ?? []][0];
	const replaced = (program === "mv" || program === "cp" && flags.has("remove-destination")) && given === void 0 ? targets.at(-1) : void 0;
	if (ACT_ON_LINKS.has(program) || [
		"chown",
		"chgrp",
		"touch"
	].includes(program) && (flags.has("h") || flags.has("no-dereference"))) {
		paths.writes.push(...targets);
		paths.linkWrites.push(...targets);
	} else if (program !== "mv") write(...targets.slice(0, replaced === void 0 ? targets.length : -1));
	const recursive = flags.has("r") || flags.has("R") || flags.has("recursive") || flags.has("a") || flags.has("archive");
	if (RECURSIVE.has(program) && recursive) paths.trees.push(...targets);
	if (!COPIERS.has(program) && !traits) return;
	const sources = given === void 0 ? targets.slice(0, -1) : targets;
	const folder = given ?? targets.at(-1);
	if (folder === void 0) return;
	if (program === "mv") {
		paths.writes.push(...sources);
		paths.linkWrites.push(...sources);
	}
	if (replaced !== void 0) {
		paths.writes.push(replaced);
		paths.linkWrites.push(replaced);
		const read = paths.reads.lastIndexOf(replaced);
		if (read !== -1) paths.reads.splice(read, 1);
	} else write(folder);
	write(...sources.map((path) => posix.join(folder, posix.basename(path))));
	paths.copies.push(...sources.map((path) => ({
		source: path,
		folder
	})));
	if (program === "cp" && recursive || program === "mv" || traits?.recursive) paths.recursiveCopies.push(...sources.map((path) => ({
		source: path,
		command: source,
		writtenBefore: []
	})));
	const keepsLinks = [
		"P",
		"d",
		"no-dereference",
		"l",
		"links"
	].some((flag) => flags.has(flag)) || program === "cp" && recursive || traits?.keepsLinks(flags) === true;
	if (program === "mv" || keepsLinks) paths.linkCopies.push(...sources.map((path) => ({
		source: path,
		command: source
	})));
	if (program === "mv") paths.trees.push(...sources);
	const dereferences = [
		"L",
		"dereference",
		"copy-links",
		"copy-unsafe-links",
		"copy-dirlinks"
	].some((flag) => flags.has(flag)) || traits?.dereferences(flags) === true;
	if (program === "mv" || recursive || traits?.recursive) paths.folderReads.push(...sources.map((folderRead) => readsAll(folderRead, source, "name the files to copy one by one", dereferences)));
	if (program === "cp" && [
		"s",
		"symbolic-link",
		"l",
		"link"
	].some((flag) => flags.has(flag))) paths.linkMakers.push(source);
}
/**
* `ln [-s] TARGET… LINK|DIR`, `ln -t DIR TARGET…`, `link FILE NEW`. The new names are writes. A hard link's
* file is read and written through the new name, so it is both; a symbolic link's TARGET is text read
* relative to the link's folder (or to the current one with `-r`).
*/
function addLinker(paths, program, words, source, write) {
	const { operands, values, flags } = split(words, program === "ln" ? COPY_OPTIONS : NO_VALUES);
	paths.linkMakers.push(source);
	const folder = [...values.get("t") ?? [], ...values.get("target-directory") ?? []][0];
	const targets = folder !== void 0 || operands.length === 1 ? operands : operands.slice(0, -1);
	const last = operands.at(-1);
	const links = folder !== void 0 ? targets.map((target) => posix.join(folder, posix.basename(target))) : operands.length === 1 ? targets.map((target) => posix.basename(target)) : last === void 0 ? [] : [last, ...targets.map((target) => posix.join(last, posix.basename(target)))];
	write(...links);
	if (!(flags.has("s") || flags.has("symbolic") || flags.has("symbolic-link"))) {
		write(...targets);
		return;
	}
	if (flags.has("r") || flags.has("relative")) return;
	for (const target of targets) {
		for (const link of links) paths.symlinkTargets.push({
			target,
			linkFolder: posix.dirname(link)
		});
		if (last !== void 0 && folder === void 0) paths.symlinkTargets.push({
			target,
			linkFolder: last
		});
	}
}
const PATCH_OPTIONS = {
	short: "pioBDdFrVYz",
	long: [
		"strip",
		"input",
		"output",
		"prefix",
		"ifdef",
		"directory",
		"fuzz",
		"reject-file",
		"version-control",
		"basename-prefix",
		"suffix",
		"quoting-style",
		"get",
		"read-only"
	],
	flags: [
		"dry-run",
		"forward",
		"reverse",
		"batch",
		"force",
		"silent",
		"quiet",
		"backup",
		"backup-if-mismatch"
	]
};
/** `patch FILE [PATCH]` changes FILE; without FILE it changes what the patch names, which cannot be checked. */
function addPatch(paths, words, source, write) {
	const { operands, values, flags } = split(words, PATCH_OPTIONS);
	if (flags.has("dry-run")) return;
	write(...values.get("o") ?? [], ...values.get("output") ?? [], ...values.get("r") ?? [], ...values.get("reject-file") ?? []);
	const [file] = operands;
	const movesElsewhere = [
		"d",
		"directory",
		"B",
		"prefix",
		"Y",
		"basename-prefix"
	].some((name) => values.has(name));
	if (file === void 0 || movesElsewhere) {
		paths.uncheckable.push({
			command: source,
			why: "changes the files its patch names, which cannot be checked; give the file to change (`patch FILE < x.diff`) or edit it with the file tools"
		});
		return;
	}
	write(file);
}
const changers = {
	names: Object.keys(FILE_CHANGERS).filter((name) => name !== "ln" && name !== "link"),
	paths: ({ paths, program, words, source, write }) => addFileChanger(paths, program, words, FILE_CHANGERS[program] ?? NO_VALUES, source, write)
};
const linkers = {
	names: ["ln", "link"],
	paths: ({ paths, program, words, source, write }) => addLinker(paths, program, words, source, write)
};
const patch = {
	names: ["patch"],
	paths: ({ paths, words, source, write }) => addPatch(paths, words, source, write)
};
const splitters = {
	names: [
		"uniq",
		"split",
		"csplit"
	],
	paths: ({ program, words, write }) => addSplitter(program, words, write)
};
/** `dd if=IN of=OUT`: operands of its own form, read and written. */
const dd = {
	names: ["dd"],
	ownReads: true,
	paths({ paths, words, write }) {
		write(...words.flatMap((word) => word.startsWith("of=") ? [word.slice(3)] : []));
		paths.reads.push(...words.flatMap((word) => word.startsWith("if=") ? [word.slice(3)] : []));
	}
};
// src/policy/programs/git.ts
var git_exports = /* @__PURE__ */ __exportAll({ git: () => git });
/**
* git: what each subcommand reads and writes in the worktree, the subcommands refused outright, and the
* options (global or of a subcommand) that run commands or point git at another repository.
*/
const GIT_GLOBAL_VALUES = /* @__PURE__ */ new Set([
	"-c",
	"-C",
	"--git-dir",
	"--work-tree",
	"--namespace",
	"--super-prefix",
	"--config-env",
	"--attr-source"
]);
/** git subcommands whose output shows file contents from history, so `REV:PATH` and paths after `--` are reads. */
const GIT_SHOWS_CONTENT = /* @__PURE__ */ new Set([
	"show",
	"cat-file",
	"diff",
	"difftool",
	"log",
	"blame",
	"annotate",
	"grep",
	"archive",
	"whatchanged",
	"format-patch"
]);
const LOG_VALUES = {
	short: "nSGL",
	long: [
		"grep",
		"author",
		"committer",
		"format",
		"pretty",
		"since",
		"until",
		"after",
		"before",
		"max-count",
		"skip",
		"date",
		"encoding",
		"decorate-refs",
		"decorate-refs-exclude",
		"diff-filter",
		"relative",
		"output-indicator-new",
		"output-indicator-old",
		"output-indicator-context"
	]
};
const BLAME_VALUES = {
	short: "LSM",
	long: [
		"ignore-revs-file",
		"ignore-rev",
		"contents",
		"date",
		"since",
		"after",
		"before",
		"until",
		"abbrev",
		"encoding"
	]
};
const uncheckable = (why) => (call) => {
	call.paths.uncheckable.push({
		command: call.source,
		why
	});
};
const READ_ONLY = {};
const HISTORY_WRITER = { makesLinks: true };
const GIT_SUBCOMMANDS = {
	...Object.fromEntries([
		"status",
		"shortlog",
		"describe",
		"rev-parse",
		"rev-list",
		"ls-files",
		"ls-tree",
		"cat-file",
		"branch",
		"tag",
		"fetch",
		"push",
		"remote",
		"reflog",
		"for-each-ref",
		"show-ref",
		"symbolic-ref",
		"update-ref",
		"name-rev",
		"merge-base",
		"count-objects",
		"fsck",
		"gc",
		"prune",
		"repack",
		"verify-commit",
		"verify-tag",
		"help",
		"version",
		"var",
		"check-ignore",
		"check-attr",
		"check-ref-format",
		"write-tree",
		"commit-tree",
		"ls-remote",
		"notes",
		"range-diff",
		"cherry",
		"show-branch",
		"column",
		"stripspace",
		"get-tar-commit-id",
		"verify-pack",
		"mailinfo",
		"difftool",
		"merge-tree",
		"diff-tree",
		"diff-index",
		"diff-files",
		"hash-object"
	].map((name) => [name, READ_ONLY])),
	blame: {
		values: BLAME_VALUES,
		run: (call) => call.paths.reads.push(...get(call.values, "ignore-revs-file", "contents", "S"))
	},
	annotate: {
		values: BLAME_VALUES,
		run: (call) => call.paths.reads.push(...get(call.values, "ignore-revs-file", "contents", "S"))
	},
	log: {
		values: LOG_VALUES,
		pathspecs: true
	},
	whatchanged: {
		values: LOG_VALUES,
		pathspecs: true
	},
	show: {
		values: LOG_VALUES,
		pathspecs: true
	},
	commit: {
		values: {
			short: "mFCcut",
			long: [
				"message",
				"file",
				"reuse-message",
				"reedit-message",
				"fixup",
				"squash",
				"author",
				"date",
				"template",
				"trailer",
				"cleanup",
				"pathspec-from-file"
			]
		},
		pathspecs: true
	},
	diff: {
		values: LOG_VALUES,
		pathspecs: true,
		run: gitDiff
	},
	grep: {
		values: {
			short: "efABCm",
			long: [
				"regexp",
				"file",
				"after-context",
				"before-context",
				"context",
				"max-count",
				"max-depth",
				"threads"
			],
			flags: [
				"untracked",
				"no-index",
				"cached"
			]
		},
		run: gitGrep
	},
	add: {
		values: {
			short: "",
			long: ["chmod", "pathspec-from-file"]
		},
		pathspecs: true,
		run: gitAdd
	},
	mv: {
		pathspecs: true,
		run: gitMove
	},
	rm: {
		values: {
			short: "",
			long: ["pathspec-from-file"],
			flags: ["cached"]
		},
		pathspecs: true,
		run: gitRemove
	},
	checkout: {
		values: {
			short: "bB",
			long: [
				"orphan",
				"conflict",
				"pathspec-from-file"
			]
		},
		pathspecs: true,
		makesLinks: true,
		run: (call) => {
			call.paths.gitTrees.push(...call.afterDashes);
			call.paths.gitTreesIfPresent.push(...call.beforeDashes);
		}
	},
	restore: {
		values: {
			short: "s",
			long: [
				"source",
				"conflict",
				"pathspec-from-file"
			]
		},
		pathspecs: true,
		makesLinks: true,
		run: (call) => call.paths.gitTrees.push(...call.operands)
	},
	clean: {
		values: {
			short: "e",
			long: ["exclude"]
		},
		pathspecs: true,
		run: (call) => call.paths.gitTrees.push(...call.operands.length > 0 ? call.operands : ["."])
	},
	reset: {
		pathspecs: true,
		makesLinks: (call) => [
			"hard",
			"merge",
			"keep"
		].some((flag) => call.flags.has(flag))
	},
	stash: {
		values: {
			short: "m",
			long: ["message", "pathspec-from-file"]
		},
		pathspecs: true,
		makesLinks: (call) => !["list", "show"].includes(call.operands[0] ?? "")
	},
	switch: {
		values: {
			short: "cC",
			long: ["orphan", "conflict"]
		},
		makesLinks: true
	},
	merge: {
		values: {
			short: "msX",
			long: [
				"message",
				"strategy",
				"strategy-option",
				"file"
			]
		},
		makesLinks: true
	},
	pull: {
		values: {
			short: "sX",
			long: [
				"strategy",
				"strategy-option",
				"depth"
			]
		},
		makesLinks: true
	},
	rebase: {
		values: {
			short: "sX",
			long: [
				"strategy",
				"strategy-option",
				"onto"
			]
		},
		makesLinks: true
	},
	"cherry-pick": {
		values: {
			short: "mX",
			long: [
				"mainline",
				"strategy",
				"strategy-option"
			]
		},
		makesLinks: true
	},
	revert: {
		values: {
			short: "mX",
			long: [
				"mainline",
				"strategy",
				"strategy-option"
			]
		},
		makesLinks: true
	},
	bisect: HISTORY_WRITER,
	"sparse-checkout": HISTORY_WRITER,
	"read-tree": {
		values: {
			short: "",
			long: [
				"prefix",
				"exclude-per-directory",
				"index-output"
			]
		},
		makesLinks: (call) => call.flags.has("u"),
		run: (call) => {
			if (call.flags.has("u")) uncheckable("writes the files of a tree into the worktree, which cannot be checked")(call);
			call.write(...get(call.values, "index-output"));
		}
	},
	"update-index": {
		values: {
			short: "",
			long: ["chmod", "cacheinfo"]
		},
		run: gitUpdateIndex
	},
	"checkout-index": {
		values: {
			short: "",
			long: ["prefix", "stage"]
		},
		makesLinks: true,
		run: gitCheckoutIndex
	},
	"merge-file": {
		values: {
			short: "L",
			long: ["marker-size"]
		},
		run: (call) => {
			if (!call.flags.has("p") && !call.flags.has("stdout")) call.write(...call.operands.slice(0, 1));
		}
	},
	"interpret-trailers": {
		values: {
			short: "",
			long: [
				"trailer",
				"where",
				"if-exists",
				"if-missing"
			]
		},
		run: (call) => {
			if (call.flags.has("in-place")) call.write(...call.operands);
		}
	},
	config: {
		values: {
			short: "f",
			long: [
				"file",
				"blob",
				"type",
				"default",
				"comment",
				"value"
			]
		},
		run: gitConfig
	},
	archive: {
		values: {
			short: "o",
			long: [
				"output",
				"format",
				"prefix",
				"remote",
				"exec",
				"add-file",
				"add-virtual-file"
			]
		},
		run: (call) => call.write(...get(call.values, "o", "output"))
	},
	"format-patch": {
		values: {
			short: "ovN",
			long: [
				"output-directory",
				"start-number",
				"subject-prefix",
				"suffix",
				"signature",
				"signature-file",
				"cover-letter-format",
				"in-reply-to",
				"to",
				"cc",
				"from",
				"base",
				"interdiff",
				"range-diff",
				"creation-factor",
				"filename-max-length"
			]
		},
		run: (call) => {
			if (call.flags.has("stdout")) return;
			flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "0001-change.patch");
		}
	},
	bundle: { run: (call) => {
		if (call.operands[0] === "create") call.write(...call.operands.slice(1, 2));
	} },
	clone: {
		values: {
			short: "obuc",
			long: [
				"origin",
				"branch",
				"upload-pack",
				"reference",
				"reference-if-able",
				"separate-git-dir",
				"depth",
				"shallow-since",
				"shallow-exclude",
				"config",
				"server-option",
				"filter",
				"template",
				"jobs",
				"bundle-uri"
			]
		},
		makesLinks: true,
		run: (call) => {
			const [repository = "", folder] = call.operands;
			call.paths.folderWrites.push(folder ?? posix.basename(repository.replace(/\/+$/, "")).replace(/\.git$/, ""), ...get(call.values, "separate-git-dir"));
		}
	},
	init: {
		values: {
			short: "b",
			long: [
				"template",
				"separate-git-dir",
				"object-format",
				"initial-branch",
				"shared"
			]
		},
		run: (call) => call.paths.folderWrites.push(call.operands[0] ?? ".", ...get(call.values, "separate-git-dir"))
	},
	worktree: {
		values: {
			short: "bB",
			long: ["reason", "expire"]
		},
		makesLinks: (call) => call.operands[0] === "add",
		run: (call) => {
			const [action, folder] = call.operands;
			if (action === "add" && folder !== void 0) call.paths.folderWrites.push(folder);
			else if (action === "move" || action === "remove") uncheckable(`${action}s a worktree, whose files cannot be checked`)(call);
		}
	},
	mailsplit: {
		values: {
			short: "ob",
			long: []
		},
		run: (call) => flatFolderWrite(call, get(call.values, "o")[0] ?? ".", "0001")
	},
	bugreport: {
		values: {
			short: "os",
			long: [
				"output-directory",
				"suffix",
				"diagnose"
			]
		},
		run: (call) => flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "git-bugreport.txt")
	},
	diagnose: {
		values: {
			short: "os",
			long: [
				"output-directory",
				"suffix",
				"mode"
			]
		},
		run: (call) => flatFolderWrite(call, get(call.values, "o", "output-directory")[0] ?? ".", "git-diagnostics.zip")
	},
	apply: {
		values: {
			short: "pC",
			long: [
				"directory",
				"exclude",
				"include",
				"whitespace"
			],
			flags: [
				"check",
				"stat",
				"numstat",
				"summary"
			]
		},
		makesLinks: true,
		run: (call) => {
			if ([
				"check",
				"stat",
				"numstat",
				"summary"
			].some((flag) => call.flags.has(flag))) return;
			uncheckable("writes the files its patch names, which cannot be checked (check a patch with `git apply --check`, apply it with the file tools)")(call);
		}
	},
	am: {
		makesLinks: true,
		run: uncheckable("writes the files its patches name, which cannot be checked (apply a patch with the file tools)")
	},
	submodule: { run: (call) => {
		if (![
			"status",
			"summary",
			void 0
		].includes(call.operands[0])) uncheckable("clones or checks out submodules, whose files cannot be checked")(call);
	} }
};
/** Refused outright: they import objects, trees or commands the words do not show, or read stored credentials. */
const GIT_REFUSED = {
	mktree: "builds a tree from its input, which a later checkout would write unchecked",
	"fast-import": "imports commits from its input, which a later checkout would write unchecked",
	"unpack-objects": "imports objects from its input, which a later checkout would write unchecked",
	"index-pack": "imports objects from a pack, which a later checkout would write unchecked",
	"pack-objects": "writes pack files whose names it chooses",
	"filter-branch": "runs the shell commands it is given",
	"filter-repo": "rewrites history with code it is given",
	credential: "prints stored credentials",
	"credential-store": "prints stored credentials",
	"credential-cache": "prints stored credentials",
	daemon: "serves the repository",
	instaweb: "starts a web server and browser",
	"send-email": "sends mail",
	"http-backend": "serves the repository",
	"upload-pack": "serves the repository",
	"receive-pack": "writes a repository from its input",
	"fsmonitor--daemon": "starts a daemon",
	maintenance: "registers scheduled jobs outside the workspace",
	"replace": "can open an editor and rewrite objects later checkouts write"
};
function addGit(paths, words, source, write) {
	let at = 0;
	while (at < words.length && (words[at] ?? "").startsWith("-")) at += GIT_GLOBAL_VALUES.has(words[at] ?? "") ? 2 : 1;
	const subcommand = words[at] ?? "";
	if (subcommand === "") return;
	const rest = words.slice(at + 1);
	const spec = Object.hasOwn(GIT_SUBCOMMANDS, subcommand) ? GIT_SUBCOMMANDS[subcommand] : void 0;
	const refused = Object.hasOwn(GIT_REFUSED, subcommand) ? GIT_REFUSED[subcommand] : void 0;
	if (!spec) {
		paths.uncheckable.push({
			command: source,
			why: refused ? `(\`git ${subcommand}\`) ${refused}` : `runs \`git ${subcommand}\`, which this checker does not model (it may write files); run a git subcommand it knows`
		});
		return;
	}
	const { operands, values, flags } = split(rest, spec.values ?? NO_VALUES);
	const dashes = rest.indexOf("--");
	const afterDashes = dashes === -1 ? [] : rest.slice(dashes + 1);
	const call = {
		paths,
		source,
		write,
		operands,
		values,
		flags,
		beforeDashes: dashes === -1 ? operands : operands.slice(0, operands.length - afterDashes.length),
		afterDashes
	};
	if (GIT_SHOWS_CONTENT.has(subcommand)) paths.historyReads.push(...afterDashes, ...rest.flatMap(revisionPath));
	if (values.has("pathspec-from-file")) paths.uncheckable.push({
		command: source,
		why: "reads the paths it changes from a file, which cannot be checked"
	});
	const magic = (spec.pathspecs ? operands : subcommand === "grep" ? grepPaths$1(call) : []).find(isPathspecPattern);
	if (magic !== void 0) paths.uncheckable.push({
		command: source,
		why: `gives git the pathspec \`${magic}\`, a pattern (or pathspec magic) whose files cannot be checked; name the files one by one`
	});
	if (typeof spec.makesLinks === "function" ? spec.makesLinks(call) : spec.makesLinks === true) paths.linkMakers.push(source);
	spec.run?.(call);
}
/** A pathspec git matches as a pattern: a glob character, or magic such as `:(glob)`, `:!x`, `:^x`, `:/x`. */
function isPathspecPattern(word) {
	return /[*?[]/.test(word) || /^:[(!^/]/.test(word);
}
/** A folder a program writes files into, named by the program (`git format-patch -o DIR`): `probe` stands for them. */
function flatFolderWrite(call, folder, probe) {
	call.write(folder, posix.join(folder, probe));
}
/** `git diff --no-index A B` compares any two paths, folders with everything in them. */
function gitDiff(call) {
	if (!call.flags.has("no-index")) return;
	call.paths.folderReads.push(...call.operands.map((folder) => readsAll(folder, call.source, "compare narrower paths", false)));
}
/** The paths of `git grep`: its operands after the pattern (unless given by -e/-f) and after `--`. */
function grepPaths$1(call) {
	const { values, beforeDashes, afterDashes } = call;
	return [...values.has("e") || values.has("regexp") || values.has("f") || values.has("file") ? beforeDashes : beforeDashes.slice(1), ...afterDashes];
}
function gitGrep(call) {
	if (!call.flags.has("untracked") && !call.flags.has("no-index")) return;
	const searched = grepPaths$1(call);
	call.paths.folderReads.push(...(searched.length > 0 ? searched : ["."]).map((folder) => readsAll(folder, call.source, "name narrower paths", false)));
}
/**
* `git add` reads what it adds into the index, where `git diff --cached` and `git show` print it: a folder is
* read with everything in it that .gitignore does not leave out (everything with `-f`).
*/
function gitAdd(call) {
	const { operands, flags } = call;
	const whole = [
		"A",
		"all",
		"u",
		"update",
		"no-ignore-removal"
	].some((flag) => flags.has(flag));
	const folders = operands.length > 0 ? operands : whole ? ["."] : [];
	const force = flags.has("f") || flags.has("force");
	call.paths.folderReads.push(...folders.map((folder) => ({
		...readsAll(folder, call.source, "add narrower paths", false),
		gitignore: !force
	})));
}
function gitMove(call) {
	const { paths, operands, source, write } = call;
	const sources = operands.slice(0, -1);
	const folder = operands.at(-1);
	if (folder === void 0) return;
	paths.writes.push(...sources);
	paths.linkWrites.push(...sources);
	paths.trees.push(...sources);
	write(folder, ...sources.map((path) => posix.join(folder, posix.basename(path))));
	paths.copies.push(...sources.map((path) => ({
		source: path,
		folder
	})));
	paths.linkCopies.push(...sources.map((path) => ({
		source: path,
		command: source
	})));
}
function gitRemove(call) {
	const { paths, operands, flags } = call;
	if (flags.has("cached")) return;
	paths.writes.push(...operands);
	paths.linkWrites.push(...operands);
	if (flags.has("r")) paths.trees.push(...operands);
}
/**
* `git update-index --cacheinfo MODE,SHA,PATH` puts any content at PATH in the index, which a checkout then
* writes: PATH counts as written. Entries read from the input cannot be checked.
*/
function gitUpdateIndex(call) {
	const { values, flags, operands, write } = call;
	if (flags.has("index-info") || flags.has("stdin")) {
		uncheckable("reads index entries from its input, which cannot be checked")(call);
		return;
	}
	for (const info of get(values, "cacheinfo")) {
		const parts = info.split(",");
		if (parts.length >= 3) write(parts.slice(2).join(","));
		else write(operands[1] ?? "");
	}
}
/** `git checkout-index FILE…` writes FILE (under `--prefix`); `-a`, `--stdin` write what the index holds. */
function gitCheckoutIndex(call) {
	const { values, flags, operands, write } = call;
	if (flags.has("a") || flags.has("all") || flags.has("stdin")) {
		uncheckable("writes whatever the index holds, which cannot be checked; name the files")(call);
		return;
	}
	if (flags.has("temp")) {
		flatFolderWrite(call, ".", ".merge_file_0");
		return;
	}
	const prefix = get(values, "prefix")[0] ?? "";
	write(...operands.map((path) => `${prefix}${path}`));
}
/** `git config` reads freely; it writes a file given by `--file`, and refuses other writes (they can make git run code). */
function gitConfig(call) {
	const { values, flags, operands } = call;
	const reads = [
		"get",
		"get-all",
		"get-regexp",
		"get-urlmatch",
		"get-color",
		"get-colorbool",
		"list",
		"l"
	].some((flag) => flags.has(flag));
	const [first] = operands;
	if (reads || first === "get" || first === "list" || operands.length <= 1 && ![
		"edit",
		"e",
		"unset",
		"unset-all",
		"add",
		"replace-all",
		"rename-section",
		"remove-section"
	].some((flag) => flags.has(flag))) return;
	const file = get(values, "f", "file");
	if (file.length > 0 && !flags.has("global") && !flags.has("system")) {
		call.write(...file);
		return;
	}
	const where = flags.has("global") || flags.has("system") ? "writes git configuration outside the workspace" : "changes git's configuration, which can make git run commands (core.pager, diff.external, alias.*)";
	uncheckable(where)(call);
}
/** `HEAD:.env`, `main~2:src/a.ts`, `:.env` (the index), `:0:.env`: the path part. */
function revisionPath(word) {
	if (word.startsWith("-") || word.includes("://")) return [];
	const path = /^(?::[0-3]:|[^:]*:)(.+)$/s.exec(word)?.[1];
	return path === void 0 || path.startsWith("/") ? [] : [path.replace(/^\.\//, "")];
}
const RUNS_CONFIG = "sets git config for this run (core.pager, core.sshCommand, diff.external… run any command)";
const OTHER_REPO = "points git at another repository, whose config and hooks can run commands";
/** git's own options, before the subcommand: git.c matches them exactly, no abbreviation. */
const GLOBAL_RISKS = {
	options: {
		"-c": RUNS_CONFIG,
		"--config-env": RUNS_CONFIG,
		"--exec-path": "runs git subcommands from another directory",
		"-C": OTHER_REPO,
		"--git-dir": OTHER_REPO,
		"--work-tree": OTHER_REPO,
		"-p": "starts the configured pager, which can be any command",
		"--paginate": "starts the configured pager, which can be any command"
	},
	abbreviations: "exact"
};
/** Options of subcommands, read by parse-options, which takes unique prefixes (`--ext` is `--ext-diff`). */
const SUBCOMMAND_RISKS = {
	"--output": "writes to a file the file rules do not see",
	"--ext-diff": "runs the external diff program from the git config",
	"--textconv": "runs the textconv filters from the git config",
	"--upload-pack": "runs the given program",
	"--receive-pack": "runs the given program",
	"--exec": "runs the given command",
	"--extcmd": "runs the given command",
	"--open-files-in-pager": "runs the given pager",
	"--template": "installs hooks from a template directory",
	"--config": RUNS_CONFIG
};
/** Short options that are risky only for some subcommands (elsewhere `-x`, `-O`, `-c`, `-u` are harmless). */
const SUBCOMMAND_SHORT = {
	grep: { "-O": "runs the given pager" },
	rebase: { "-x": "runs the given command" },
	difftool: { "-x": "runs the given command" },
	clone: {
		"-c": RUNS_CONFIG,
		"-u": "runs the given program"
	},
	"ls-remote": { "-u": "runs the given program" }
};
function gitRisks(args) {
	let at = 0;
	while (at < args.length && (args[at] ?? "").startsWith("-")) at += GIT_GLOBAL_VALUES.has(args[at] ?? "") ? 2 : 1;
	const subcommand = args[at] ?? "";
	const globals = optionRisks(args.slice(0, at), GLOBAL_RISKS);
	const local = optionRisks(args.slice(at + 1), {
		options: {
			...SUBCOMMAND_RISKS,
			...SUBCOMMAND_SHORT[subcommand] ?? {}
		},
		exact: ["--text"]
	});
	return [...globals, ...local];
}
const git = {
	names: ["git"],
	paths: ({ paths, words, source, write }) => addGit(paths, words, source, write),
	risks: gitRisks
};
// src/policy/programs/interpreters.ts
var interpreters_exports = /* @__PURE__ */ __exportAll({
	FOREIGN_SHELLS: () => FOREIGN_SHELLS,
	SHELLS: () => SHELLS,
	node: () => node,
	readsCodeFromStdin: () => readsCodeFromStdin
});
const SHELLS = /* @__PURE__ */ new Set([
	"sh",
	"bash",
	"zsh",
	"dash",
	"ksh",
	"mksh",
	"ash"
]);
/** Shells whose syntax differs too much from bash for their `-c` scripts to be checked with a bash parser. */
const FOREIGN_SHELLS = /* @__PURE__ */ new Set([
	"fish",
	"csh",
	"tcsh",
	"nu",
	"pwsh",
	"powershell",
	"xonsh",
	"elvish"
]);
/** For each interpreter family, the options after which the code comes from an argument rather than stdin. */
const CODE_OPTION = [
	[/^(sh|bash|zsh|dash|ksh|mksh|ash|fish|csh|tcsh)$/, /^-[A-Za-z]*c/],
	[/^python[0-9.]*$/, /^-[A-Za-z]*[cm]/],
	[/^(node|nodejs|deno|bun)$/, /^(-e|-p|--eval|--print)/],
	[/^(perl|ruby)$/, /^-[A-Za-z]*[eE]/],
	[/^php$/, /^-r/],
	[/^(lua|luajit|Rscript|osascript|tclsh|pwsh|powershell)$/, /^-(e|c|Command)/]
];
const STDIN_OPERANDS = /* @__PURE__ */ new Set([
	"-",
	"-s",
	"/dev/stdin",
	"/dev/fd/0"
]);
function codeOption(name) {
	return CODE_OPTION.find(([family]) => family.test(name))?.[1];
}
/**
* True when the command (or the command a wrapper runs) is an interpreter that would read its program from
* stdin: `sh`, `bash -s`, `python3 -`, `node` with only options.
*/
function readsCodeFromStdin(words) {
	return unwrapLayers(words).some(interpreterReadsStdin);
}
/** Editors whose commands (`!cmd` runs a shell command) come from their input, whatever file they edit. */
const EDITORS = /* @__PURE__ */ new Set([
	"ed",
	"red",
	"ex",
	"vi",
	"vim",
	"nvim",
	"view"
]);
function interpreterReadsStdin(words) {
	const [program, ...args] = words;
	const name = program?.literal ? programName(program) : "";
	if (EDITORS.has(name)) return true;
	if (name === "sqlite3") return args.filter((arg) => !arg.literal || !arg.value.startsWith("-")).length < 2;
	const option = program?.literal ? codeOption(name) : void 0;
	if (!option) return false;
	for (const arg of args) {
		if (!arg.literal || STDIN_OPERANDS.has(arg.value)) return true;
		if (!arg.value.startsWith("-")) return false;
		if (option.test(arg.value)) return false;
	}
	return true;
}
const LOADS_CODE = "loads a module before the program, which runs any code it holds";
/**
* Node and the runners built on it read `-r`/`--require`, `--import` and `--loader` exactly (no
* abbreviation); any program's `--require`, `--import`, `--loader` are in any.ts.
*/
const node = {
	names: [
		"node",
		"nodejs",
		"ts-node",
		"tsx",
		"bun",
		"deno"
	],
	risks: (args) => optionRisks(args.slice(0, firstOperand(args)), {
		options: {
			"-r": LOADS_CODE,
			"--require": LOADS_CODE,
			"--import": LOADS_CODE,
			"--loader": LOADS_CODE,
			"--experimental-loader": LOADS_CODE,
			"--preload": LOADS_CODE
		},
		abbreviations: "exact"
	})
};
/** Node's own options end at the script: what follows belongs to the script. */
function firstOperand(args) {
	const index = args.findIndex((arg) => !arg.startsWith("-"));
	return index === -1 ? args.length : index;
}
// src/policy/programs/network.ts
var network_exports = /* @__PURE__ */ __exportAll({
	curl: () => curl,
	ssh: () => ssh,
	wget: () => wget
});
/** ssh, curl, wget: options that run commands or read more options from a file. */
const SSH_OPTIONS = "sets options such as ProxyCommand and LocalCommand, which run commands";
const CURL_CONFIG = "reads more options (outputs, uploads) from a file, which cannot be checked";
const WGET_COMMAND = "runs the given .wgetrc command";
const ssh = {
	names: ["ssh"],
	risks: (args) => optionRisks(args, {
		options: {
			"-o": SSH_OPTIONS,
			"-F": "reads a config that can run commands"
		},
		letters: {
			o: SSH_OPTIONS,
			F: "reads a config that can run commands"
		},
		valueLetters: "BbcDEeIiJLlmOpQRSWw"
	})
};
const curl = {
	names: ["curl"],
	risks: (args) => optionRisks(args, {
		options: {
			"-K": CURL_CONFIG,
			"--config": CURL_CONFIG
		},
		letters: { K: CURL_CONFIG },
		valueLetters: "AbcCdDeEFHmoOQrTuUwxXYyz"
	})
};
const wget = {
	names: ["wget"],
	risks: (args) => optionRisks(args, {
		options: {
			"-e": WGET_COMMAND,
			"--execute": WGET_COMMAND,
			"--config": "reads a .wgetrc, whose commands cannot be checked"
		},
		letters: { e: WGET_COMMAND },
		valueLetters: "aADiIlOoPQRTtUwXY"
	})
};
// src/policy/programs/npm.ts
var npm_exports = /* @__PURE__ */ __exportAll({
	npm: () => npm,
	pnpm: () => pnpm,
	yarnBun: () => yarnBun
});
/**
* npm, pnpm, yarn and the package runners. Options after `--` go to the script they run, so any program's
* options (any.ts) are read past it. npm reads its options with nopt, which takes a unique prefix of a config
* key: `--scr=x` is `--script-shell=x`, `--userc=f` is `--userconfig=f`.
*/
const READS_CONFIG = "reads an npm config, which can set script-shell and node-options (programs npm runs)";
const npm = {
	names: ["npm", "npx"],
	risks: (args) => optionRisks(args, {
		options: {
			"--userconfig": READS_CONFIG,
			"--globalconfig": READS_CONFIG
		},
		abbreviations: "nopt"
	}),
	outputs: {
		short: { o: "folder" },
		reporterShort: "O",
		movesBase: "Cw"
	}
};
const pnpm = {
	names: ["pnpm"],
	outputs: {
		short: { o: "folder" },
		reporterShort: "O",
		movesBase: "Crw"
	}
};
const yarnBun = {
	names: [
		"yarn",
		"pnpx",
		"bunx"
	],
	outputs: {
		short: { o: "folder" },
		reporterShort: "O"
	}
};
// src/policy/programs/pagers.ts
var pagers_exports = /* @__PURE__ */ __exportAll({
	less: () => less,
	man: () => man
});
/** less and man: pagers whose options run commands or write logs. */
const LOG = "writes a file the file rules do not see";
const less = {
	names: ["less"],
	risks(args) {
		const risks = optionRisks(args, {
			options: {
				"--log-file": LOG,
				"--LOG-FILE": LOG,
				"-o": LOG,
				"-O": LOG
			},
			letters: {
				o: LOG,
				O: LOG
			},
			valueLetters: "bhjkpPTtxyz"
		});
		const initial = args.find((word) => word.startsWith("+"));
		if (initial !== void 0) risks.push({
			flag: "+",
			word: initial,
			why: "runs less commands at start, which can run shell commands (`!`)"
		});
		return risks;
	}
};
const man = {
	names: ["man"],
	risks: (args) => optionRisks(args, {
		options: {
			"-P": "runs the given pager",
			"--pager": "runs the given pager",
			"-H": "runs the given browser",
			"--html": "runs the given browser"
		},
		letters: {
			P: "runs the given pager",
			H: "runs the given browser"
		}
	})
};
// src/policy/programs/readers.ts
var readers_exports = /* @__PURE__ */ __exportAll({ readers: () => readers });
/**
* cat, head, tail…: programs that read the files they are given and print them, and do nothing else. Their
* operands are reads (checked by the generic reading of operands); given names from `xargs` or a pattern the
* shell expands, they count as reading everything those could reach. Not here: programs with an option
* that writes (`xxd -r IN OUT`, `file -C`), which would need it among their risks.
*/
const readers = {
	names: [
		"cat",
		"head",
		"tail",
		"nl",
		"tac",
		"more",
		"od",
		"hexdump",
		"strings",
		"cut",
		"paste",
		"fold",
		"fmt",
		"column",
		"md5sum",
		"sha1sum",
		"sha256sum",
		"sha512sum",
		"cksum",
		"b2sum",
		"stat",
		"cmp",
		"comm",
		"join",
		"expand",
		"unexpand",
		"rev",
		"jq"
	],
	onlyReads: true
};
// src/policy/programs/rsync.ts
var rsync_exports = /* @__PURE__ */ __exportAll({ rsync: () => rsync });
/** rsync copies like `cp -r`: what its sources hold lands in the destination, links kept with -a or -l. */
const OPTIONS$1 = {
	short: "eBfT",
	long: [
		"rsh",
		"rsync-path",
		"filter",
		"exclude",
		"include",
		"exclude-from",
		"include-from",
		"files-from",
		"temp-dir",
		"compare-dest",
		"copy-dest",
		"link-dest",
		"backup-dir",
		"suffix",
		"chmod",
		"log-file",
		"partial-dir"
	],
	flags: [
		"recursive",
		"archive",
		"copy-links",
		"copy-unsafe-links",
		"copy-dirlinks",
		"links",
		"dry-run"
	]
};
const REMOTE_SHELL = "runs the given remote shell, which can be any command";
const rsync = {
	names: ["rsync"],
	paths(call) {
		const { paths, words, source, write } = call;
		addFileChanger(paths, "rsync", words, OPTIONS$1, source, write, {
			recursive: true,
			keepsLinks: (flags) => flags.has("a") || flags.has("archive") || flags.has("l") || flags.has("links"),
			dereferences: (flags) => flags.has("k")
		});
		const { values } = split(words, OPTIONS$1);
		write(...get(values, "log-file", "backup-dir", "partial-dir", "temp-dir", "T"));
		if (values.has("files-from")) paths.uncheckable.push({
			command: source,
			why: "takes the names of the files to copy from a file, which cannot be checked"
		});
	},
	risks: (args) => optionRisks(args, {
		options: {
			"-e": REMOTE_SHELL,
			"--rsh": REMOTE_SHELL,
			"--rsync-path": "runs the given program",
			"--write-batch": "writes a file the file rules do not see",
			"--only-write-batch": "writes a file the file rules do not see",
			"--read-batch": "applies changes a file describes, which cannot be checked",
			"--daemon": "starts a server",
			"--config": "reads a daemon config"
		},
		letters: { e: REMOTE_SHELL },
		valueLetters: "BfT"
	})
};
// src/policy/programs/search.ts
var search_exports = /* @__PURE__ */ __exportAll({
	agAck: () => agAck,
	diff: () => diff,
	find: () => find,
	grep: () => grep,
	rg: () => rg
});
/** grep, rg, ag, ack, find, diff: programs that read folders with everything in them. */
const GREP_OPTIONS = {
	short: "efABCDdm",
	long: [
		"regexp",
		"file",
		"after-context",
		"before-context",
		"context",
		"max-count",
		"include",
		"exclude",
		"exclude-dir",
		"exclude-from",
		"label",
		"directories",
		"devices",
		"binary-files",
		"color",
		"colour"
	],
	flags: [
		"recursive",
		"dereference-recursive",
		"files-with-matches",
		"files-without-match",
		"fixed-strings",
		"extended-regexp",
		"ignore-case",
		"invert-match",
		"count",
		"line-number",
		"word-regexp",
		"line-regexp",
		"no-messages",
		"quiet",
		"silent",
		"text",
		"null",
		"only-matching"
	]
};
/** grep -r/-R: the folders searched (the current one when none is named) and their filters. */
function grepPaths(call) {
	const { files, split: options } = patternOperands(call, GREP_OPTIONS);
	const { values, flags, ordered } = options;
	if (!(flags.has("r") || flags.has("R") || flags.has("recursive") || flags.has("dereference-recursive") || get(values, "d", "directories").includes("recurse"))) return;
	const filters = ordered.filter(({ name }) => name === "include" || name === "exclude").map(({ name, value }) => ({
		glob: value,
		include: name === "include"
	}));
	const dereferences = flags.has("R") || flags.has("dereference-recursive");
	call.paths.folderReads.push(...(files.length > 0 ? files : ["."]).map((folder) => ({
		...readsAll(folder, call.source, "--exclude=NAME", dereferences),
		files: filters,
		readsUnmatched: filters[0]?.include !== true,
		folders: get(values, "exclude-dir").map((glob) => ({
			glob,
			include: false
		}))
	})));
}
const grep = {
	names: [
		"grep",
		"egrep",
		"fgrep"
	],
	ownReads: true,
	onlyReads: true,
	paths: grepPaths
};
const RG_OPTIONS = {
	short: "efgtTABCmM",
	long: [
		"regexp",
		"file",
		"glob",
		"iglob",
		"type",
		"type-not",
		"after-context",
		"before-context",
		"context",
		"max-count",
		"max-columns",
		"pre",
		"pre-glob"
	],
	flags: [
		"files",
		"type-list",
		"hidden",
		"unrestricted",
		"follow",
		"files-with-matches",
		"files-without-match",
		"no-ignore"
	]
};
const rg = {
	names: ["rg"],
	ownReads: true,
	onlyReads: true,
	paths(call) {
		const { files, split: options } = patternOperands(call, RG_OPTIONS);
		const { flags, ordered } = options;
		if (flags.has("files") || flags.has("type-list")) return;
		const globs = ordered.filter(({ name }) => name === "g" || name === "glob" || name === "iglob").map(({ name, value }) => ({
			glob: value.replace(/^!/, ""),
			include: !value.startsWith("!"),
			nocase: name === "iglob"
		}));
		const filters = globs.every(({ glob }) => !glob.includes("/")) ? globs : globs.filter(({ include }) => include);
		const hidden = flags.has("hidden") || flags.has(".") || flags.has("u") || flags.has("unrestricted") || globs.some(({ include }) => include);
		call.paths.folderReads.push(...(files.length > 0 ? files : ["."]).map((folder) => ({
			...readsAll(folder, call.source, "-g '!NAME'", flags.has("L") || flags.has("follow")),
			files: filters,
			readsUnmatched: !globs.some(({ include }) => include),
			folders: filters,
			skipsHidden: !hidden
		})));
	},
	risks: (args) => optionRisks(args, {
		options: {
			"--pre": "runs the given preprocessor command on every file",
			"--hostname-bin": "runs the given program",
			"--search-zip": "runs decompression programs"
		},
		letters: { z: "runs decompression programs" },
		valueLetters: "ABCEMefgjmrtTd"
	})
};
/** ag and ack search the current folder, or the folders named, whole. */
const agAck = {
	names: ["ag", "ack"],
	ownReads: true,
	onlyReads: true,
	paths(call) {
		const { files } = patternOperands(call, call.program === "ag" ? {
			short: "ABCmGg",
			long: [
				"ignore",
				"ignore-dir",
				"file-search-regex"
			]
		} : {
			short: "ABCm",
			long: ["ignore-dir", "ignore-file"]
		});
		call.paths.folderReads.push(...(files.length > 0 ? files : ["."]).map((folder) => readsAll(folder, call.source, "--ignore NAME")));
	}
};
const RUNS_PER_FILE = "runs a command for each file";
const FIND_WRITES = "writes to a file the file rules do not see";
/** `find START… -delete` removes what it finds under START; `-fprint FILE` and friends write FILE. */
const find = {
	names: ["find"],
	paths({ paths, words, write, source }) {
		let at = 0;
		while (at < words.length && /^-[HLP]$|^-D$|^-O\d*$/.test(words[at] ?? "")) at += words[at] === "-D" ? 2 : 1;
		const starts = [];
		while (at < words.length && !/^[-(!,]/.test(words[at] ?? "")) starts.push(words[at++] ?? "");
		const expression = words.slice(at);
		if (expression.includes("-delete")) paths.trees.push(...starts.length > 0 ? starts : ["."]);
		expression.forEach((word, index) => {
			if ([
				"-fprint",
				"-fprint0",
				"-fprintf",
				"-fls"
			].includes(word)) write(expression[index + 1] ?? "");
		});
		if (expression.includes("-files0-from")) paths.namesFromInput.push({
			command: source,
			via: "-files0-from"
		});
	},
	risks: (args) => optionRisks(args, {
		options: {
			"-exec": RUNS_PER_FILE,
			"-execdir": RUNS_PER_FILE,
			"-ok": RUNS_PER_FILE,
			"-okdir": RUNS_PER_FILE,
			"-delete": "deletes files",
			"-fprint": FIND_WRITES,
			"-fprint0": FIND_WRITES,
			"-fprintf": FIND_WRITES,
			"-fls": FIND_WRITES
		},
		readsPastDoubleDash: true,
		abbreviations: "exact"
	})
};
/**
* `diff A B` on folders compares the files they hold (all of them with `-r`, and with `-N` also those only
* one side has), so a folder operand is read with everything in it, whatever the options.
*/
const diff = {
	names: ["diff"],
	onlyReads: true,
	paths({ paths, words, source }) {
		const { operands } = split(words, {
			short: "CDFILSUWx",
			long: [
				"exclude",
				"exclude-from",
				"from-file",
				"to-file",
				"label",
				"starting-file"
			],
			flags: [
				"recursive",
				"no-dereference",
				"new-file",
				"unidirectional-new-file"
			]
		});
		paths.folderReads.push(...operands.map((folder) => readsAll(folder, source, "--exclude=NAME")));
	}
};
// src/policy/programs/sed.ts
var sed_exports = /* @__PURE__ */ __exportAll({
	sed: () => sed,
	sedScriptRisk: () => sedScriptRisk
});
/**
* sed: its script is read exactly, in a subset whose meaning every sed agrees on; a script outside it is
* refused as unreadable, since a command this reader skipped could be one that runs a shell (`e`) or writes
* a file (`w`).
*/
const OPTIONS = {
	short: "efl",
	long: [
		"expression",
		"file",
		"line-length"
	],
	flags: [
		"in-place",
		"quiet",
		"silent",
		"regexp-extended",
		"separate",
		"null-data",
		"unbuffered",
		"debug",
		"posix",
		"sandbox",
		"follow-symlinks",
		"zero-terminated"
	],
	optionalShort: "i"
};
const IN_PLACE = "edits the files it is given in place";
const sed = {
	names: ["sed"],
	ownReads: true,
	paths(call) {
		const { files } = patternOperands(call, OPTIONS);
		if (inPlace(call.words)) call.write(...files);
	},
	risks: (args) => [...optionRisks(args, {
		options: {
			"--in-place": IN_PLACE,
			"--file": "reads its script from a file, which this policy cannot check"
		},
		letters: {
			i: IN_PLACE,
			f: "reads its script from a file"
		},
		valueLetters: "el",
		checkedWrites: ["--in-place", "-i"]
	}), ...scriptRisks(args)]
};
/** `sed -i`, `-i.bak`, `-Ei`, `--in-place[=SUFFIX]` (or a prefix of it, as getopt accepts). */
function inPlace(words) {
	return words.some((word) => /^-[a-zA-Z]*i/.test(word) || word.startsWith("--i") && "--in-place".startsWith(word.split("=")[0] ?? ""));
}
/** The script sed runs: its -e parts joined by newlines, as sed joins them, or else the first operand. */
function scriptRisks(args) {
	const { operands, ordered } = split(args, OPTIONS);
	const given = ordered.filter(({ name }) => name === "e" || name === "expression").map(({ value }) => value);
	const fromFile = ordered.some(({ name }) => name === "f" || name === "file");
	const scripts = given.length > 0 ? given : fromFile ? [] : operands.slice(0, 1);
	if (scripts.length === 0) return [];
	const script = scripts.join("\n");
	const why = sedScriptRisk(script);
	return why ? [{
		flag: script,
		word: scripts.length === 1 ? script : scripts.join(" "),
		why
	}] : [];
}
const RISKY_COMMANDS = {
	e: "runs a shell command (sed's `e` command)",
	w: "writes a file (sed's `w` command)",
	W: "writes a file (sed's `W` command)",
	r: "reads a file (sed's `r` command)",
	R: "reads a file (sed's `R` command)"
};
/** Commands that take no argument; `l`, `q` and `Q` take an optional number. */
const PLAIN = new Set("=dDgGhHnNpPxzF".split(""));
var Unreadable = class extends Error {};
/**
* Why a sed script reaches outside the text stream, if it does: `e` and `s///e` run shell commands,
* `w`/`W` and `s///w` write files, `r`/`R` read files. A script outside the modelled subset (an unknown
* command, a bracket expression holding the delimiter or a newline, where seds part ways;
* words after a command) counts as risky too.
*/
function sedScriptRisk(script) {
	const reader = {
		text: script,
		at: 0
	};
	try {
		for (;;) {
			skip(reader, /[\s;]/);
			if (reader.at >= reader.text.length) return void 0;
			const risk = readCommand(reader);
			if (risk) return risk;
		}
	} catch (error) {
		return `is a sed script this policy cannot read exactly (${error instanceof Unreadable ? error.message : "unexpected"}); write it with plain s, p, d… commands`;
	}
}
function readCommand(reader) {
	if (peek(reader) === "#") return skipLine(reader);
	readAddresses(reader);
	skip(reader, /[ \t]/);
	if (peek(reader) === "!") {
		reader.at++;
		skip(reader, /[ \t]/);
	}
	const command = reader.text[reader.at++] ?? "";
	const risky = RISKY_COMMANDS[command];
	if (risky) return risky;
	if (command === "s") return readSubstitution(reader);
	if (command === "y") {
		readDelimited(reader, 2, false);
		return endOfCommand(reader);
	}
	if (command === "{" || command === "}") return void 0;
	if (command === "a" || command === "i" || command === "c") return readText(reader);
	if (command === ":" || command === "b" || command === "t" || command === "T") {
		skip(reader, /[ \t]/);
		if (command === ":" && !/[^\s;]/.test(peek(reader))) throw new Unreadable("a `:` without a label");
		skip(reader, /[^\s;]/);
		return endOfCommand(reader);
	}
	if (command === "l" || command === "q" || command === "Q") {
		skip(reader, /[ \t]/);
		skip(reader, /[0-9]/);
		return endOfCommand(reader);
	}
	if (PLAIN.has(command)) return endOfCommand(reader);
	throw new Unreadable(command === "" ? "a missing command" : `the command \`${command}\``);
}
/** `s/RE/REPLACEMENT/FLAGS`: the flags `e` (run) and `w` (write) are risky; others may be spaced. */
function readSubstitution(reader) {
	readDelimited(reader, 2, true);
	for (;;) {
		const flag = peek(reader);
		if (flag === "e") return "runs the result as a shell command (sed's `s///e` flag)";
		if (flag === "w") return "writes a file (sed's `s///w` flag)";
		if (!/^[gpiImM0-9 \t]$/.test(flag)) return endOfCommand(reader);
		reader.at++;
	}
}
/** After a command: blanks, then the end, a newline, `;`, `}` or a comment; anything else is not modelled. */
function endOfCommand(reader) {
	skip(reader, /[ \t]/);
	const next = peek(reader);
	if (next === "" || next === "\n" || next === ";" || next === "}" || next === "#") return void 0;
	throw new Unreadable(`\`${next}\` after a command`);
}
/** `a text`, `a\` + newline + text: the text runs to a newline no backslash escapes. */
function readText(reader) {
	while (reader.at < reader.text.length) {
		const char = reader.text[reader.at++];
		if (char === "\\") reader.at++;
		else if (char === "\n") return void 0;
	}
}
function readAddresses(reader) {
	if (!readAddress(reader)) return;
	skip(reader, /[ \t]/);
	if (peek(reader) !== ",") return;
	reader.at++;
	skip(reader, /[ \t]/);
	if (peek(reader) === "+" || peek(reader) === "~") {
		reader.at++;
		if (!skip(reader, /[0-9]/)) throw new Unreadable("a `+`/`~` address without a number");
	} else if (!readAddress(reader)) throw new Unreadable("a range without its second address");
}
/** `N`, `N~M`, `$`, `/RE/I`, `\cREc`; false when there is none. */
function readAddress(reader) {
	const char = peek(reader);
	if (/[0-9]/.test(char)) {
		skip(reader, /[0-9]/);
		if (peek(reader) === "~") {
			reader.at++;
			skip(reader, /[0-9]/);
		}
		return true;
	}
	if (char === "$") {
		reader.at++;
		return true;
	}
	if (char === "/" || char === "\\") {
		if (char === "\\") reader.at++;
		readDelimited(reader, 1, true);
		skip(reader, /[IM]/);
		return true;
	}
	return false;
}
/**
* `count` parts ending in the delimiter found at the current position, honouring backslash escapes. In a
* regular expression a bracket expression is read as GNU sed reads it, and refused when it holds the
* delimiter or a newline: there seds disagree on where the expression ends (GNU sed before 4.3 ended it
* at the delimiter, so `s/[/]/w x/` wrote the file `x/`).
*/
function readDelimited(reader, count, regex) {
	const delimiter = reader.text[reader.at++];
	if (delimiter === void 0 || delimiter === "\n" || delimiter === "\\") throw new Unreadable("a bad delimiter");
	for (let part = 0; part < count; part++) {
		const inRegex = regex && part === 0;
		for (;;) {
			const char = reader.text[reader.at++];
			if (char === void 0) throw new Unreadable("an unterminated command");
			if (char === "\\") {
				if (reader.at >= reader.text.length) throw new Unreadable("an unterminated command");
				reader.at++;
			} else if (char === delimiter) break;
			else if (char === "\n" && inRegex) throw new Unreadable("a newline in a regular expression");
			else if (char === "[" && inRegex) readBracket(reader, delimiter);
		}
	}
}
/** `[…]`, `[^…]`, `[]…]`, with `[:class:]` inside; the opening `[` is read. */
function readBracket(reader, delimiter) {
	const start = reader.at;
	if (peek(reader) === "^") reader.at++;
	if (peek(reader) === "]") reader.at++;
	for (;;) {
		const char = reader.text[reader.at++];
		if (char === void 0) throw new Unreadable("an unterminated bracket expression");
		if (char === "]") return;
		if (char === delimiter) throw new Unreadable(`the bracket expression \`[${reader.text.slice(start, reader.at)}…\` holds the delimiter \`${delimiter}\`, which older seds read as its end; use another delimiter, e.g. \`s|[^/]*$||\``);
		if (char === "\n") throw new Unreadable("a newline in a bracket expression");
		if (char === "[") {
			const inner = /^:[a-z]+:\]/.exec(reader.text.slice(reader.at));
			if (!inner) throw new Unreadable("a bracket expression with `[` other than a `[:class:]`");
			reader.at += inner[0].length;
		}
	}
}
function skipLine(reader) {
	while (reader.at < reader.text.length && reader.text[reader.at] !== "\n") reader.at++;
}
function peek(reader) {
	return reader.text[reader.at] ?? "";
}
/** Skips characters matching `pattern`; true when it skipped any. */
function skip(reader, pattern) {
	const start = reader.at;
	while (reader.at < reader.text.length && pattern.test(reader.text[reader.at] ?? "")) reader.at++;
	return reader.at > start;
}
// src/policy/programs/text.ts
var text_exports = /* @__PURE__ */ __exportAll({
	counters: () => counters,
	sort: () => sort
});
/** sort, wc, du: text tools that can take the names of the files they read from a file or their input. */
const UNSEEN_WRITE = "writes to a file the file rules do not see";
/** `--files0-from=F` (GNU; `-` is the input): the names to read come from F, so anything reachable may be read. */
function namesFromFile(call) {
	const { values } = split(call.words, {
		short: "kotST",
		long: [
			"files0-from",
			"key",
			"output",
			"field-separator",
			"buffer-size",
			"temporary-directory",
			"exclude",
			"max-depth",
			"threshold",
			"block-size",
			"time-style"
		]
	});
	if (values.has("files0-from")) call.paths.namesFromInput.push({
		command: call.source,
		via: "--files0-from"
	});
}
const sort = {
	names: ["sort"],
	onlyReads: true,
	paths: namesFromFile,
	risks: (args) => optionRisks(args, {
		options: {
			"--output": UNSEEN_WRITE,
			"--compress-program": "runs the given program"
		},
		letters: { o: UNSEEN_WRITE },
		valueLetters: "ktST"
	})
};
const counters = {
	names: ["wc", "du"],
	onlyReads: true,
	paths: namesFromFile
};
// src/policy/programs/working-folders.ts
/**
* Where commands may run: the root, every `cd`/`pushd` target from the root and after the ones before it
* (a chain `cd a && cd b`), and `env -C DIR` / `sudo -D DIR` folders from each of those. A move the words do
* not tell (`cd`, `cd -`, `popd`, `cd "$X"`, a program only known at run time) is noted by its position.
*/
function workingFolders$1(commands) {
	const folders = /* @__PURE__ */ new Set(["."]);
	const chain = /* @__PURE__ */ new Set(["."]);
	const unknownAt = [];
	let current = ".";
	commands.forEach((command, index) => {
		if (!command.program) return;
		if (!command.program.literal) {
			unknownAt.push({
				index,
				command: command.source
			});
			return;
		}
		for (const [program, ...args] of unwrapLayers([command.program, ...command.args])) {
			const name = program?.literal ? programName(program) : "";
			if (!program?.literal || movesToUnknownFolder(name, args)) {
				unknownAt.push({
					index,
					command: command.source
				});
				continue;
			}
			for (const target of folderTargets(name, args)) {
				const moved = posix.normalize(posix.join(current, target));
				const folder = target.startsWith("/") ? posix.normalize(target) : moved;
				folders.add(folder);
				chain.add(folder);
				folders.add(posix.normalize(target));
				if (name === "cd" || name === "pushd") current = folder;
			}
		}
	});
	return {
		folders: [...folders],
		guesses: [...folders].filter((folder) => !chain.has(folder)),
		unknownAt
	};
}
/** `cd` (home), `cd -`, `cd ~…`, `cd "$X"`, `popd`, `pushd` (swap), `pushd +N`: the folder is not in the words. */
function movesToUnknownFolder(program, args) {
	if (program === "popd") return true;
	if (program !== "cd" && program !== "pushd") return false;
	const [target] = args.filter((word) => !word.literal || !/^-[LPe@]+$/.test(word.value));
	return target === void 0 || !target.literal || target.value === "-" || target.value.startsWith("~") || /^[+-]\d+$/.test(target.value);
}
function folderTargets(program, args) {
	const words = args.filter((word) => word.literal).map((word) => word.value);
	if (program === "cd" || program === "pushd") return words.filter((word) => !word.startsWith("-")).slice(0, 1);
	if (program === "env") return optionValues(words, "C", "chdir");
	if (program === "sudo") return optionValues(words, "D", "chdir");
	return [];
}
// src/policy/programs/index.ts
function commandPaths(commands) {
	const paths = {
		reads: [],
		historyReads: [],
		writes: [],
		linkWrites: [],
		trees: [],
		gitTrees: [],
		gitTreesIfPresent: [],
		copies: [],
		folders: [],
		guessedFolders: [],
		unanchored: [],
		folderReads: [],
		namesFromInput: [],
		linkMakers: [],
		linkCopies: [],
		symlinkTargets: [],
		uncheckable: [],
		folderWrites: [],
		recursiveCopies: []
	};
	const { folders, guesses, unknownAt } = workingFolders$1(commands);
	paths.folders = folders;
	paths.guessedFolders = guesses;
	const followed = /* @__PURE__ */ new Set();
	commands.forEach((command, index) => {
		if (!command.program) return;
		const before = {
			reads: paths.reads.length,
			writes: paths.writes.length,
			copies: paths.recursiveCopies.length
		};
		const layers = unwrapLayers([command.program, ...command.args]);
		layers.forEach(([program, ...args], layer) => {
			if (!program?.literal) return;
			const name = programName(program);
			addLayer(paths, name, args, command.source, followed);
			const inner = layers[layer + 1]?.[0];
			if (name === "xargs" && inner?.literal && familyOf(programName(inner))?.onlyReads) paths.namesFromInput.push({
				command: command.source,
				via: "xargs"
			});
		});
		const copied = new Set(paths.copies.map((copy) => copy.source));
		const writtenBefore = paths.writes.slice(0, before.writes).filter((path) => !copied.has(path));
		for (const copy of paths.recursiveCopies.slice(before.copies)) copy.writtenBefore = writtenBefore;
		const after = unknownAt.find((at) => at.index < index);
		if (after) {
			const named = [...paths.reads.slice(before.reads), ...paths.writes.slice(before.writes)].filter((path) => !path.startsWith("/"));
			paths.unanchored.push(...named.map((path) => ({
				path,
				after: after.command
			})));
		}
	});
	paths.linkWrites = paths.linkWrites.filter((path) => !followed.has(path));
	return paths;
}
const FAMILIES = [
	archives_exports,
	awk_exports,
	build_exports,
	files_exports,
	git_exports,
	interpreters_exports,
	network_exports,
	npm_exports,
	pagers_exports,
	readers_exports,
	rsync_exports,
	search_exports,
	sed_exports,
	text_exports
].flatMap((module) => Object.values(module).filter(isFamily));
function isFamily(value) {
	return typeof value === "object" && value !== null && "names" in value && Array.isArray(value.names);
}
const BY_NAME = new Map(FAMILIES.flatMap((family) => family.names.map((name) => [name, family])));
/** The family a program (base name) belongs to, if the checker knows it. */
function familyOf(program) {
	return BY_NAME.get(program);
}
/**
* Risky arguments of one command (program first): options that load code for any program, variables set
* through `env`/`export`, then the family's own. An expansion in the arguments of a family with risks counts
* as one (it could be a risky option).
*/
function riskyArgs(words) {
	const [program, ...args] = words;
	if (!program) return [];
	const literal = args.filter((word) => word.literal).map((word) => word.value);
	const general = [...anyProgramRisks(literal), ...variableRisks(literal)];
	const family = program.literal ? familyOf(programName(program)) : void 0;
	if (!family?.risks) return general;
	const dynamic = args.filter((word) => !word.literal);
	if (dynamic.length > 0) return [...general, ...dynamic.map((word) => ({
		flag: word.source,
		word: word.source,
		why: "is an expansion, which could be an option that runs code"
	}))];
	return [...general, ...family.risks(args.map((word) => word.value))];
}
const FOLDER_CHANGERS = /* @__PURE__ */ new Set([
	"cd",
	"pushd",
	"popd"
]);
function addLayer(paths, program, args, source, followed) {
	const words = args.filter((word) => word.literal).map((word) => word.value);
	const write = (...given) => {
		paths.writes.push(...given);
		given.forEach((path) => followed.add(path));
	};
	const family = familyOf(program);
	if (!family?.ownReads && !FOLDER_CHANGERS.has(program)) {
		const end = words.indexOf("--");
		paths.reads.push(...words.flatMap(readCandidates), ...end === -1 ? [] : words.slice(end + 1));
	}
	family?.paths?.({
		paths,
		program,
		words,
		source,
		write
	});
	if (family?.onlyReads) for (const word of args.filter((arg) => !arg.literal && arg.source !== "<arguments from stdin>" && !arg.source.startsWith("-"))) {
		const folder = expandedFolder(word.source);
		paths.folderReads.push({
			...readsAll(folder, source, "name the files one by one"),
			why: `reads the files \`${word.source}\` names once the shell expands it, so it counts as reading everything in ${folder === "." ? "the workspace" : folder}`
		});
	}
}
/** The folder a word the shell expands could list: its literal folder part (`src` of `src/*.ts`), else the root. */
function expandedFolder(source) {
	const literal = /^[A-Za-z0-9_.\/@%+,-]*/.exec(source)?.[0] ?? "";
	const folder = literal.slice(0, literal.lastIndexOf("/") + 1).replace(/\/+$/, "");
	return folder === "" || folder.split("/").includes("..") ? "." : folder;
}
// src/policy/programs/outputs.ts
const FILE = { folder: false };
const FOLDER = { folder: true };
/**
* Long options by normalised name (lower case, without `-` and `_`): yargs and cac read `--output-file`
* and `--outputFile` alike. A dotted option (`--outputFile.json`) is looked up whole, then without its
* last parts, so `--coverage.reportsDirectory` and `--outputFile.json` are both found.
*/
const LONG_OPTIONS = {
	output: FOLDER,
	out: FOLDER,
	outputfile: FILE,
	outfile: FILE,
	junitxml: FILE,
	resultlog: FILE,
	logfile: FILE,
	reportlog: FILE,
	jsonreportfile: FILE,
	tsbuildinfofile: FILE,
	cachelocation: FILE,
	html: {
		folder: false,
		equalsOnly: true
	},
	covreport: {
		folder: false,
		shape: "kind:path"
	},
	reporteroption: {
		folder: false,
		shape: "key=value,…"
	},
	reporteroptions: {
		folder: false,
		shape: "key=value,…"
	},
	basetemp: FOLDER,
	outdir: FOLDER,
	outputdir: FOLDER,
	declarationdir: FOLDER,
	coveragedirectory: FOLDER,
	coveragedir: FOLDER,
	"coverage.reportsdirectory": FOLDER,
	reportsdirectory: FOLDER,
	reportdir: FOLDER,
	reportsdir: FOLDER,
	tempdir: FOLDER,
	tempdirectory: FOLDER,
	cachedir: FOLDER,
	cachedirectory: FOLDER
};
/**
* Options (normalised long names) that move the folder a program or the script it runs takes relative paths
* from: vitest's `--root`, jest's `--rootDir`, npm's `--prefix` and `--workspace`, pnpm's `--dir` and `--filter`…
*/
const MOVES_BASE = /* @__PURE__ */ new Set([
	"root",
	"rootdir",
	"dir",
	"cwd",
	"prefix",
	"workspace",
	"workspaces",
	"filter",
	"chdir",
	"directory"
]);
/** The output options of one command (program first), in order. */
function outputOptions(words) {
	const [program, ...args] = words;
	if (!program) return [];
	const family = program.literal ? familyOf(programName(program)) : void 0;
	const found = optionsOf(family, args);
	const movedBy = baseMover(family, args);
	return movedBy === void 0 ? found : found.map((output) => ({
		...output,
		movedBy
	}));
}
function optionsOf(family, args) {
	const short = family?.outputs?.short ?? {};
	const reporter = family?.outputs?.reporterShort ?? "";
	const found = [];
	for (let i = 0; i < args.length; i++) {
		const word = args[i];
		if (!word) continue;
		const text = word.literal ? word.value : word.source;
		if (text.startsWith("--")) {
			const equals = text.indexOf("=");
			const spec = lookUp(equals === -1 ? text.slice(2) : text.slice(2, equals));
			if (!spec) continue;
			if (equals === -1 && spec.equalsOnly) continue;
			const value = equals === -1 ? args[++i] : partOf(word, text.slice(equals + 1));
			if (value) found.push(...shaped(text, value, spec));
		} else if (/^-[A-Za-z]/.test(text) && Object.hasOwn(short, text[1] ?? "")) {
			const value = text.length > 2 ? partOf(word, text.slice(2).replace(/^=/, "")) : args[++i];
			if (value) found.push({
				option: text,
				value,
				folder: short[text[1] ?? ""] === "folder"
			});
		} else if (/^-[A-Za-z]/.test(text) && reporter.includes(text[1] ?? "")) {
			const value = text.length > 2 ? partOf(word, text.slice(2).replace(/^=/, "")) : args[++i];
			if (value) found.push(...shaped(text, value, {
				folder: false,
				shape: "key=value,…"
			}));
		}
	}
	return found;
}
/** The first option of the command that moves where relative paths are taken from, if any. */
function baseMover(family, args) {
	const short = family?.outputs?.movesBase ?? "";
	for (const word of args) {
		const text = word.literal ? word.value : word.source;
		if (text.startsWith("--")) {
			const option = (text.slice(2).split("=")[0] ?? "").toLowerCase().replace(/[-_]/g, "");
			if (MOVES_BASE.has(option) || family?.names.includes("pnpm") === true && option === "recursive") return text;
		} else if (/^-[A-Za-z]/.test(text) && [...text.slice(1)].some((letter) => short.includes(letter))) return text;
	}
}
function lookUp(name) {
	const parts = name.toLowerCase().replace(/[-_]/g, "").split(".");
	for (let length = parts.length; length > 0; length--) {
		const spec = LONG_OPTIONS[parts.slice(0, length).join(".")];
		if (spec) return spec;
	}
}
/** A piece of a word: literal when the word is. */
function partOf(word, text) {
	return {
		value: text,
		literal: word.literal,
		source: text
	};
}
function shaped(option, value, spec) {
	if (!value.literal || !spec.shape || spec.shape === "path") return [{
		option,
		value,
		folder: spec.folder
	}];
	if (spec.shape === "kind:path") {
		const colon = value.value.indexOf(":");
		if (colon === -1) return [];
		const kind = value.value.slice(0, colon);
		return [{
			option,
			value: partOf(value, value.value.slice(colon + 1)),
			folder: kind === "html" || kind === "annotate"
		}];
	}
	return value.value.split(",").flatMap((pair) => {
		const equals = pair.indexOf("=");
		const key = pair.slice(0, equals);
		if (equals === -1 || !/output|file|dir|path/i.test(key)) return [];
		return [{
			option,
			value: partOf(value, pair.slice(equals + 1)),
			folder: /dir/i.test(key)
		}];
	});
}
// src/policy/commands.ts
/** Environment variables that may precede a command an allow rule matches (`LANG=C npm test`). */
const SAFE_ASSIGNMENT = /^(LANG|LC_[A-Z_]+|TZ|CI|NO_COLOR|FORCE_COLOR|NODE_ENV)$/;
/**
* Decides a parsed shell command: allowed only when every simple command in it and every redirection is
* allowed. Deny rules look through wrappers, paths and flag spellings; allow rules match literal commands only.
*/
function decideCommand(policy, parsed, checkFile, sandboxed = false) {
	const action = `run \`${clip(parsed.source)}\``;
	if (!parsed.ok) return {
		decision: "deny",
		rule: "commands.parse",
		reason: `${action}: refused without checking rules: ${parsed.reason}`,
		segments: []
	};
	const changesDirectory = parsed.commands.some(changesWorkingDirectory);
	const segments = [
		...parsed.commands.map((command) => decideSimpleCommand(policy, command, sandboxed)),
		...parsed.redirects.map((redirect) => decideRedirect(redirect, checkFile, changesDirectory)),
		...commandOutputs(parsed.commands).map((output) => decideOutput(output, checkFile, changesDirectory))
	];
	const denied = mostTelling(segments.filter((segment) => segment.decision === "deny"));
	const whole = segments.length === 1 && segments[0]?.command === parsed.source.trim();
	if (denied) return {
		decision: "deny",
		rule: denied.rule,
		reason: whole ? denied.reason : `${action}: ${denied.reason}`,
		segments
	};
	const rules = [...new Set(segments.map((segment) => segment.rule))].join(", ");
	const reason = segments.length === 1 ? segments[0]?.reason ?? "" : `every part is allowed (${segments.map((segment) => segment.reason).join("; ")})`;
	return {
		decision: "allow",
		rule: rules,
		reason: whole ? reason : `${action}: ${reason}`,
		segments
	};
}
/** Of several denials, report an explicit deny rule first, then other specific refusals, then the default. */
function mostTelling(denials) {
	const rank = (segment) => segment.rule.startsWith("commands.deny") ? 0 : segment.rule === "default" ? 2 : 1;
	return denials.reduce((best, segment) => best && rank(best) <= rank(segment) ? best : segment, void 0);
}
function decideSimpleCommand(policy, command, sandboxed) {
	const layers = command.program ? withGitPrograms(unwrapLayers([command.program, ...command.args])) : [];
	if (layers.length >= 32) return segment(command, "deny", "commands.wrapper", `\`${command.source}\` nests 32 or more wrappers, more than this policy reads`);
	const denied = findDeny(policy.commands.deny, layers);
	if (denied) return segment(command, "deny", `commands.deny[${denied.index}]`, denyReason(command, denied));
	const obstacle = allowObstacle(command);
	const matching = obstacle ? [] : matchingAllows(policy.commands.allow, command);
	const allows = matching.filter(({ rule }) => sandboxed || !rule.sandboxed);
	const risks = layers.flatMap(riskyArgs);
	const allow = allows.find(({ pattern }) => risks.every((risk) => namesRisk(pattern, risk)));
	if (allow) return segment(command, "allow", `commands.allow[${allow.index}]`, `\`${command.source}\` matches allow rule "${allow.rule.pattern}"${allow.rule.sandboxed ? " (inside the sandbox)" : ""}`);
	const outsideSandbox = matching.find(({ rule, pattern }) => rule.sandboxed && risks.every((risk) => namesRisk(pattern, risk)));
	if (outsideSandbox) return segment(command, "deny", `commands.allow[${outsideSandbox.index}]`, `\`${command.source}\` matches allow rule "${outsideSandbox.rule.pattern}", which allows it only inside the sandbox, and commands run without one here (docs/sandbox.md)`);
	const risk = risks.find((candidate) => !allows.some(({ pattern }) => namesRisk(pattern, candidate)));
	if (risk) return segment(command, "deny", "commands.hardening", riskReason(command, risk));
	if (layers.length > 1) return segment(command, "deny", "commands.wrapper", wrapperReason(command, layers));
	const [loader] = variableRisks(command.assignments.map((assignment) => `${assignment.name}=${assignment.value.value}`));
	if (loader && policy.default === "allow") return segment(command, "deny", "commands.hardening", `\`${command.source}\` sets \`${loader.word}\`, which makes programs load or run code it names; run it as \`env ${loader.word} …\` under an allow rule that spells it out`);
	if (policy.default === "allow") return segment(command, "allow", "default", `\`${command.source}\`: no rule matches; default is allow`);
	const why = obstacle ? `allow rules do not apply: ${obstacle}` : "no allow rule matches";
	return segment(command, "deny", "default", `\`${command.source}\`: ${why} (policy ${policy.source}; default is deny)`);
}
/** The output options of every command, also behind wrappers, each once. */
function commandOutputs(commands) {
	const seen = /* @__PURE__ */ new Set();
	const found = [];
	for (const command of commands) {
		if (!command.program) continue;
		for (const layer of unwrapLayers([command.program, ...command.args])) for (const output of outputOptions(layer)) {
			if (seen.has(output.value)) continue;
			seen.add(output.value);
			found.push(output);
		}
	}
	return found;
}
/** `--outputFile=PATH` and the like write PATH: decided like a `>` redirection. */
function decideOutput(output, checkFile, changesDirectory) {
	const command = output.option.includes("=") || output.option === output.value.source ? output.option : `${output.option} ${output.value.source}`;
	const verb = output.folder ? "writes into the folder" : "writes to";
	const rule = "commands.output";
	const deny = (reason) => ({
		command,
		decision: "deny",
		rule,
		reason: `\`${command}\` ${verb} ${reason}`
	});
	if (!output.value.literal) return deny(`\`${output.value.source}\`, which the shell expands at run time`);
	if (output.movedBy && !output.value.value.startsWith("/")) return deny(`\`${output.value.value}\` taken from the folder \`${output.movedBy}\` names, so where it lands cannot be known; drop \`${output.movedBy}\` or give the path from the workspace root without it`);
	return decideOpenedPath("write", output.value.value, checkFile, changesDirectory, {
		command,
		verb,
		rule,
		deny
	}, output.folder);
}
function segment(command, decision, rule, reason) {
	return {
		command: command.source,
		decision,
		rule,
		reason
	};
}
const compiledPatterns = /* @__PURE__ */ new WeakMap();
/** A rule belongs to one list, so one compiled form each: deny rules read `*` inside a word across `/`. */
function compile(rules, deny = false) {
	return rules.map((rule, index) => {
		let pattern = compiledPatterns.get(rule);
		if (!pattern) compiledPatterns.set(rule, pattern = parsePattern(rule.pattern, deny));
		return {
			rule,
			index,
			pattern
		};
	});
}
function findDeny(rules, layers) {
	for (const compiled of compile(rules, true)) {
		const layer = layers.findIndex((words) => matchLoosely(compiled.pattern, words.map((word) => ({
			text: word.value,
			literal: word.literal
		}))));
		if (layer !== -1) return {
			...compiled,
			layer
		};
	}
}
function denyReason(command, denied) {
	const words = unwrapLayers(command.program ? [command.program, ...command.args] : [])[denied.layer] ?? [];
	const inner = denied.layer > 0 ? ` once the wrapper is removed (\`${words.map((word) => word.source).join(" ")}\`)` : "";
	const dynamic = words[0] && !words[0].literal ? " (its program is only known at run time)" : "";
	const why = denied.rule.reason ? `: ${denied.rule.reason}` : "";
	return `\`${command.source}\` matches deny rule "${denied.rule.pattern}"${inner}${dynamic}${why}`;
}
/** Why no allow rule may match this command, if so: expansions, unsafe assignments, no program. */
function allowObstacle(command) {
	if (!command.program) return "it only assigns variables";
	const unsafe = command.assignments.find((assignment) => !SAFE_ASSIGNMENT.test(assignment.name) || !assignment.value.literal);
	if (unsafe) return `it sets \`${unsafe.source}\`, and allow rules only match past literal LANG, LC_*, TZ, CI, NO_COLOR, FORCE_COLOR, NODE_ENV`;
	const dynamic = [command.program, ...command.args].find((word) => !word.literal);
	if (dynamic) return `\`${dynamic.source}\` is expanded by the shell at run time, and allow rules match literal commands only`;
}
function matchingAllows(rules, command) {
	const program = command.program;
	if (!program) return [];
	const words = [program.source === program.value ? program.value : program.source, ...command.args.map((word) => word.value)];
	return compile(rules).filter(({ pattern }) => matchWords(pattern, words));
}
function namesRisk(pattern, risk) {
	return pattern.some((word) => word.kind === "text" && (word.text === risk.flag || word.text === risk.word || word.text.startsWith(`${risk.flag}=`)));
}
function riskReason(command, risk) {
	if (risk.flag.startsWith("$")) return `\`${command.source}\` uses \`${risk.word}\`, an expansion that could become an option that runs code; allow rules never match expansions`;
	const remedy = risk.flag.startsWith("-") ? `only an allow rule that names \`${risk.flag}\` permits it` : "only an allow rule that spells it out permits it";
	return `\`${command.source}\` uses \`${risk.word}\`, which ${risk.why}; ${remedy}`;
}
function wrapperReason(command, layers) {
	const wrapper = layers[0]?.[0]?.value ?? "";
	return `\`${command.source}\` runs another command through \`${wrapper}\`; that needs an allow rule naming \`${wrapper}\``;
}
const DIRECTORY_CHANGERS = /* @__PURE__ */ new Set([
	"cd",
	"pushd",
	"popd"
]);
/** `cd` (also through a wrapper such as `builtin`), or a program only known at run time. */
function changesWorkingDirectory(command) {
	if (!command.program) return false;
	return unwrapLayers([command.program, ...command.args]).some(([program]) => !program?.literal || DIRECTORY_CHANGERS.has(program.value));
}
/** Reasons go to the model, events and reports: a 10,000-character command is not repeated whole. */
function clip(command, max = 200) {
	return command.length > max ? `${command.slice(0, max - 3)}...` : command;
}
/**
* git's own programs (`/usr/lib/git-core/git-push`) run git's subcommands: each is also read as
* `git <subcommand>`, so deny rules for git see it.
*/
function withGitPrograms(layers) {
	const aliases = layers.flatMap(([program, ...args]) => {
		const subcommand = program?.literal ? /^git-([a-z][a-z0-9-]*)$/.exec(programName(program))?.[1] : void 0;
		return subcommand ? [[
			literalWord("git"),
			literalWord(subcommand),
			...args
		]] : [];
	});
	return [...layers, ...aliases];
}
// src/policy/wrapper-checks.ts
/** Programs `xargs` may run on names from its input: they print their arguments and touch no file. */
const XARGS_HARMLESS = /* @__PURE__ */ new Set([
	"echo",
	"printf",
	"true",
	"false"
]);
/**
* Wrappers whose command gets words nobody can check: `xargs` hands the command names read from its input
* (`ls -a | xargs cat` prints .env), and `env -S STRING` splits and expands (`${VAR}`) its string itself.
* Refused after the deny and allow rules, so a deny rule still names itself in the reason.
*/
function refusedWrapper(access) {
	if (!access.parsed.ok) return void 0;
	for (const command of access.parsed.commands) {
		if (!command.program) continue;
		const layers = unwrapLayers([command.program, ...command.args]);
		for (const [index, [program, ...args]] of layers.entries()) {
			if (!program?.literal) continue;
			const name = programName(program);
			if (name === "xargs") {
				const inner = layers[index + 1]?.[0];
				if (inner === void 0 || inner.literal && XARGS_HARMLESS.has(programName(inner))) continue;
				if (inner.literal && familyOf(programName(inner))?.onlyReads) continue;
				return refusal(access.command, command.source, "gives its command file names read from its input, which cannot be checked; name the files in the command, or list them first and run the command on them", "commands.xargs");
			}
			if (name === "env" && splitsString(args)) return refusal(access.command, command.source, "splits its `-S` string into words and expands `${VAR}` in it itself, which cannot be checked; run the command without env -S", "commands.wrapper");
		}
	}
}
/** `env -S STRING`, `-iS…`, `--split-string`, `--sp…` among env's options (which end at the first operand). */
function splitsString(args) {
	for (const word of args) {
		if (!word.literal) return false;
		const text = word.value;
		if (text === "--" || !text.startsWith("-")) return false;
		if (/^--sp/.test(text)) return true;
		if (/^-[^-]/.test(text)) {
			if (/^-([^uCPS]*)([uCPS])?/.exec(text)?.[2] === "S") return true;
		}
	}
	return false;
}
function refusal(line, command, why, rule) {
	const clip = (text) => text.length > 200 ? `${text.slice(0, 197)}...` : text;
	return {
		decision: "deny",
		reason: `${line.trim() === command ? "" : `run \`${clip(line)}\`: `}\`${clip(command)}\` ${why}`,
		rule
	};
}
// src/config/env.ts
/** `${VAR:-default}`, `${VAR}` or `$VAR`; like nanocoder, only upper-case names are variables. */
const REFERENCE = /\$\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?\}|\$([A-Z_][A-Z0-9_]*)/g;
/**
* Replaces variable references in every string inside `value` (arrays and objects walked recursively).
* A variable that is unset or empty takes the default, if any, else becomes "".
*/
function substituteEnv(value, env) {
	if (typeof value === "string") return substituteEnvInString(value, env);
	if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
	if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env)]));
	return value;
}
function substituteEnvInString(text, env) {
	return text.replace(REFERENCE, (_match, braced, fallback, bare) => {
		const value = env[braced ?? bare ?? ""];
		if (value !== void 0 && value !== "") return value;
		return fallback ?? "";
	});
}
/** Names of the variables that `value` (walked like substituteEnv) refers to without a default and that are unset or empty. */
function unsetVariables(value, env) {
	const names = /* @__PURE__ */ new Set();
	const visit = (item) => {
		if (typeof item === "string") for (const match of item.matchAll(REFERENCE)) {
			const name = match[1] ?? match[3] ?? "";
			if (match[2] === void 0 && (env[name] === void 0 || env[name] === "")) names.add(name);
		}
		else if (Array.isArray(item)) item.forEach(visit);
		else if (typeof item === "object" && item !== null) Object.values(item).forEach(visit);
	};
	visit(value);
	return [...names];
}
/** Names of every variable `text` refers to, set or not. */
function variablesIn(text) {
	if (typeof text !== "string") return [];
	return [...new Set([...text.matchAll(REFERENCE)].map((match) => match[1] ?? match[3] ?? ""))];
}
// src/config/schema.ts
const NON_NEGATIVE = "expected a non-negative number";
const priceSchema = looseObject({
	input: number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }),
	output: number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }),
	cached_input: number({ error: NON_NEGATIVE }).nonnegative({ error: NON_NEGATIVE }).optional()
});
/** The fields of a provider entry this tool reads: one list, for the entry's check and for ProviderConfig. */
const providerFields = {
	name: string().min(1).describe("Used by --provider and a task's provider: (case-insensitive)."),
	baseUrl: url({ protocol: /^https?$/ }).optional().describe("OpenAI-compatible endpoint, e.g. http://localhost:11434/v1."),
	apiKey: string().optional(),
	models: array(string().min(1)).default([]).describe("The first one is the default model."),
	pricing: record(string(), priceSchema).optional().describe("USD per million tokens, per model."),
	maxRetries: int().nonnegative().optional().describe("Retries of a failed request (408, 409, 429, 5xx, connection errors, timeouts, broken streams); 5 unless given."),
	requestTimeout: int().min(-1).max(MAX_TIMER_MS).optional().describe("Milliseconds; -1 disables the timeout."),
	streamIdleTimeout: int().positive().max(MAX_TIMER_MS).optional().describe("Milliseconds without a byte from the server before the request is retried."),
	retryBaseDelay: int().nonnegative().optional().describe("Milliseconds: the first retry waits up to this, doubling each time."),
	retryMaxDelay: int().nonnegative().optional().describe("Milliseconds: no retry waits longer, Retry-After included."),
	maxConcurrency: int().positive().optional().describe("Requests in flight to this provider at once, across the run."),
	requestsPerMinute: number().positive().optional().describe("Requests started per minute to this provider, across the run."),
	headers: record(string(), string()).optional(),
	contextWindow: int().positive().optional().describe("Tokens the models take, prompt and reply together."),
	contextWindows: record(string(), int().positive()).optional().describe("contextWindow per model; wins over contextWindow."),
	toolResultLimit: int().min(1e3).optional().describe("Cap on one tool result, in UTF-8 bytes."),
	toolCalling: _enum(["native", "text"]).optional().describe("\"text\": tools in the prompt, calls parsed from the reply."),
	disableTools: boolean().optional().describe("nanocoder's switch: text tool calling for every model."),
	disableToolModels: array(string()).optional().describe("nanocoder's list: models that get text tool calling."),
	structuredOutput: structuredOutputModeSchema.optional().describe("The field that asks for a schema-valid final answer: \"response_format\" (default), \"json_schema\" (llama.cpp), \"guided_json\" (vLLM), or \"none\" (instructions only).")
};
const providerEntrySchema = looseObject(providerFields);
/** The names of providerFields: what a ProviderConfig keeps of an entry. */
const PROVIDER_FIELDS = Object.keys(providerFields);
/** Providers are found by name regardless of case, so two names that differ only by case are one too many. */
const providersSchema = array(providerEntrySchema).superRefine((providers, context) => {
	const seen = /* @__PURE__ */ new Map();
	providers.forEach((provider, index) => {
		const earlier = seen.get(provider.name.toLowerCase());
		if (earlier !== void 0) context.addIssue({
			code: "custom",
			path: [index, "name"],
			message: `duplicate provider name "${provider.name}" (also "${earlier}"; names are matched regardless of case); rename one`
		});
		else seen.set(provider.name.toLowerCase(), provider.name);
	});
});
/** agents.config.json: providers under `nanocoder`, or a bare top-level `providers` array. */
const agentsConfigSchema = looseObject({
	nanocoder: looseObject({ providers: providersSchema.optional() }).optional(),
	providers: providersSchema.optional()
}).transform((config) => ({ providers: config.nanocoder?.providers ?? config.providers ?? [] }));
// src/config/load.ts
/** The provider config file, looked for in the current folder first, then the config folder. */
const CONFIG_NAME = "agents.config.json";
const OPENAI_BASE_URL = "https://api.openai.com/v1";
/**
* The config file to use, as an absolute path: `--config`, else ./agents.config.json, else
* $NANOCODER_CONFIG_DIR/agents.config.json, else ${XDG_CONFIG_HOME:-~/.config}/nanocoder/agents.config.json.
*/
function findConfigFile({ explicitPath, cwd, home, env }) {
	if (explicitPath === void 0) return configCandidates(cwd, home, env).find(isFile);
	const file = path.resolve(cwd, explicitPath);
	if (!existsSync(file)) throw new UserError(`--config ${explicitPath}: file not found`, "E_CONFIG_NOT_FOUND");
	return file;
}
/** Reads and validates a config; `$VAR` references in provider entries are filled from `env`. */
async function loadConfig(file, env, options = {}) {
	const display = options.cwd ? displayPath(file, options.cwd) : file;
	const text = (await readUserFile(file, display, "E_CONFIG_NOT_FOUND")).toString("utf8");
	const source = parseJsonDocument(text, display);
	const data = substituteInProviders(source.data, env);
	const under = hasNanocoderProviders(source.data) ? ["nanocoder", "providers"] : ["providers"];
	const whereOf = (index) => {
		const { line, col } = positionOf(source, [...under, index], "value");
		return `${display}:${line}:${col}`;
	};
	const rawEntries = entriesAt(source.data, under);
	const variablesOf = (index) => {
		const raw = rawEntries[index];
		return isRecord(raw) ? {
			apiKey: variablesIn(raw.apiKey),
			baseUrl: variablesIn(raw.baseUrl)
		} : {
			apiKey: [],
			baseUrl: []
		};
	};
	const result = validateYaml(agentsConfigSchema, source, data);
	if (result.ok) {
		const indexes = result.value.providers.map((_, index) => index);
		return {
			file: display,
			providers: result.value.providers,
			where: indexes.map(whereOf),
			variables: indexes.map(variablesOf)
		};
	}
	const unavailable = unsetProviders(source, data, under, env);
	const usable = unavailable.length === 0 ? void 0 : withoutProviders(data, under, unavailable.map((entry) => entry.index));
	const rest = usable === void 0 ? result : validateYaml(agentsConfigSchema, source, usable.data);
	if (!rest.ok) throw new UserErrors(result.errors);
	if (rest.value.providers.length === 0) throw new UserErrors(unavailable.map((entry) => new UserError(entry.reason, "E_CONFIG_PROVIDER")));
	const kept = usable?.kept ?? [];
	return {
		file: display,
		providers: rest.value.providers,
		where: kept.map(whereOf),
		variables: kept.map(variablesOf),
		unavailable
	};
}
/** Provider entries that fail validation and name a variable that is unset: each with why it cannot be used. */
function unsetProviders(source, substituted, under, env) {
	const rawEntries = entriesAt(source.data, under);
	return entriesAt(substituted, under).flatMap((entry, index) => {
		const raw = rawEntries[index];
		const unset = unsetVariables(raw, env);
		const parsed = providerEntrySchema.safeParse(entry, { error: describeExpectation });
		if (unset.length === 0 || parsed.success) return [];
		const issues = parsed.error.issues.map((issue) => ({
			...issue,
			path: [
				...under,
				index,
				...issue.path
			]
		}));
		const problems = formatZodIssues(issues, source, substituted).join("; ");
		const variables = `${unset.map((variable) => `$${variable}`).join(", ")} ${unset.length === 1 ? "is" : "are"} not set here`;
		const name = isRecord(raw) && typeof raw.name === "string" ? raw.name : `#${index + 1}`;
		return [{
			name,
			index,
			reason: `${problems} (${variables}); the provider "${name}" cannot be used until ${unset.length === 1 ? "it is" : "they are"} set`
		}];
	});
}
function entriesAt(data, under) {
	let node = data;
	for (const key of under) node = isRecord(node) ? node[key] : void 0;
	return Array.isArray(node) ? node : [];
}
function withoutProviders(data, under, dropped) {
	const entries = entriesAt(data, under);
	const kept = entries.map((_, index) => index).filter((index) => !dropped.includes(index));
	const providers = kept.map((index) => entries[index]);
	if (!isRecord(data)) return {
		data,
		kept
	};
	return {
		data: under[0] === "nanocoder" && isRecord(data.nanocoder) ? {
			...data,
			nanocoder: {
				...data.nanocoder,
				providers
			}
		} : {
			...data,
			providers
		},
		kept
	};
}
function hasNanocoderProviders(data) {
	return typeof data === "object" && data !== null && "nanocoder" in data && typeof data.nanocoder === "object" && data.nanocoder !== null && "providers" in data.nanocoder;
}
/**
* Picks the provider and model for a task. Flags win over task fields, which win over the
* config's defaults (its first provider and that provider's first model).
* Without a configured provider, OPENAI_BASE_URL / OPENAI_API_KEY or --base-url make an ad-hoc one.
*/
function resolveProvider({ config, task = {}, flags = {}, env }) {
	const baseUrl = flags.baseUrl === void 0 ? void 0 : checkUrl(flags.baseUrl, "--base-url");
	const requested = flags.provider === void 0 ? task.provider : flags.provider;
	const origin = flags.provider === void 0 ? taskOrigin(task.source) : FLAG_ORIGIN;
	const model = flags.model ?? task.model;
	if (flags.model !== void 0 && flags.model.trim() === "") throw new UserError("--model: empty; give a model name, e.g. --model qwen2.5-coder:14b", "E_USAGE");
	if (config && config.providers.length > 0) {
		requireAvailable(config, requested);
		const entry = requested === void 0 ? config.providers[0] : findProvider(config, requested, origin);
		const index = entry ? config.providers.indexOf(entry) : -1;
		if (entry) return fromEntry(entry, config.where?.[index] ?? config.file, baseUrl, model, config.variables?.[index]);
	}
	if (requested !== void 0) {
		const reason = config ? `${config.file} lists no providers` : `no ${CONFIG_NAME} was found`;
		throw new UserError(unknownProvider(requested, origin, `: ${reason}`), "E_CONFIG_PROVIDER");
	}
	return adHocProvider(baseUrl, model, env);
}
function configCandidates(cwd, home, env) {
	const xdg = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(home, ".config");
	const fromEnv = env.NANOCODER_CONFIG_DIR ? [path.resolve(cwd, env.NANOCODER_CONFIG_DIR, CONFIG_NAME)] : [];
	return [
		path.join(cwd, CONFIG_NAME),
		...fromEnv,
		path.join(xdg, "nanocoder", CONFIG_NAME)
	];
}
function isFile(file) {
	return statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
}
function displayPath(file, cwd) {
	const relative = path.relative(cwd, file);
	return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}
/** Env substitution applies to provider entries only, as in nanocoder. */
function substituteInProviders(data, env) {
	if (!isRecord(data)) return data;
	const result = { ...data };
	if (isRecord(data.nanocoder) && "providers" in data.nanocoder) result.nanocoder = {
		...data.nanocoder,
		providers: substituteEnv(data.nanocoder.providers, env)
	};
	if ("providers" in data) result.providers = substituteEnv(data.providers, env);
	return result;
}
const FLAG_ORIGIN = {
	where: "",
	label: "(from --provider)"
};
function taskOrigin(source) {
	return {
		where: source ? `${source.file}:${source.line}:${source.column}: ` : "",
		label: "(from the task's provider)"
	};
}
function unknownProvider(name, { where, label }, detail) {
	return `${where}unknown provider "${name}" ${label}${detail}`;
}
/** The requested provider, or the first listed one when none is, must not be one left out for unset variables. */
function requireAvailable(config, requested) {
	const unavailable = config.unavailable ?? [];
	const refused = requested === void 0 ? unavailable.find((entry) => entry.index === 0) : unavailable.find((entry) => entry.name.toLowerCase() === requested.toLowerCase());
	if (refused) throw new UserError(refused.reason, "E_CONFIG_PROVIDER");
}
function findProvider(config, name, origin) {
	const entry = config.providers.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
	if (entry) return entry;
	const available = config.providers.map((candidate) => candidate.name).join(", ");
	throw new UserError(unknownProvider(name, origin, `; ${config.file} defines: ${available}`), "E_CONFIG_PROVIDER");
}
function fromEntry(entry, file, baseUrl, model, variables) {
	const chosenModel = model ?? entry.models[0];
	if (chosenModel === void 0) throw new UserError(`${file}: no model for provider "${entry.name}": add one to its "models", pass --model NAME, or set "model:" in the task`, "E_CONFIG_MODEL");
	const url = baseUrl ?? entry.baseUrl;
	if (url === void 0) {
		const misspelt = Object.keys(entry).find((key) => key !== "baseUrl" && key.toLowerCase().replace(/[-_]/g, "") === "baseurl");
		const hint = misspelt ? `rename "${misspelt}" to "baseUrl"` : "add one";
		throw new UserError(`${file}: provider "${entry.name}" has no "baseUrl": ${hint}, or pass --base-url URL`, "E_CONFIG_PROVIDER");
	}
	const fromVariables = (names, key) => names && names.length > 0 ? `${names.map((name) => `$${name}`).join(", ")} (which ${key} in ${file} names)` : `${key} in ${file}`;
	const fixAt = {
		baseUrl: baseUrl === void 0 ? `${fromVariables(variables?.baseUrl, "baseUrl")} (or --base-url)` : "--base-url",
		apiKey: fromVariables(variables?.apiKey, "apiKey")
	};
	return {
		provider: toProviderConfig(entry, url),
		model: chosenModel,
		fixAt
	};
}
/** The entry's fields this tool reads, and nothing of nanocoder's others, down to the keys of each price. */
function toProviderConfig(entry, baseUrl) {
	const known = {};
	for (const field of PROVIDER_FIELDS) known[field] = entry[field];
	const pricing = entry.pricing && mapValues(entry.pricing, ({ input, output, cached_input }) => dropUndefined({
		input,
		output,
		cached_input
	}));
	return dropUndefined({
		...known,
		baseUrl,
		apiKey: entry.apiKey || void 0,
		pricing
	});
}
function adHocProvider(flagUrl, model, env) {
	const envUrl = env.OPENAI_BASE_URL ? checkUrl(env.OPENAI_BASE_URL, "OPENAI_BASE_URL") : void 0;
	const apiKey = env.OPENAI_API_KEY || void 0;
	const baseUrl = flagUrl ?? envUrl ?? (apiKey ? OPENAI_BASE_URL : void 0);
	if (baseUrl === void 0) throw new UserError(`no provider configured: create ${CONFIG_NAME} (or pass --config PATH), pass --base-url URL and --model NAME, or set OPENAI_BASE_URL / OPENAI_API_KEY`, "E_CONFIG_PROVIDER");
	if (model === void 0) throw new UserError(`no model chosen for ${baseUrl}: pass --model NAME, set "model:" in the task, or list "models" for a provider in ${CONFIG_NAME}`, "E_CONFIG_MODEL");
	return {
		provider: dropUndefined({
			name: adHocName(baseUrl),
			baseUrl,
			apiKey,
			models: [model]
		}),
		model,
		fixAt: {
			baseUrl: flagUrl === void 0 ? "OPENAI_BASE_URL (or --base-url)" : "--base-url",
			apiKey: "OPENAI_API_KEY"
		}
	};
}
function adHocName(baseUrl) {
	const host = new URL(baseUrl).hostname;
	return host === "api.openai.com" ? "openai" : host;
}
function checkUrl(value, label) {
	const url = URL.parse(value);
	if (url && (url.protocol === "http:" || url.protocol === "https:")) return value;
	throw new UserError(`${label} ${JSON.stringify(value)}: expected a URL like "http://localhost:11434/v1"`, "E_CONFIG_PROVIDER");
}
function isRecord(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
function mapValues(record, map) {
	return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}
/** Keeps results free of `key: undefined`, so they print and compare cleanly. */
function dropUndefined(value) {
	return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== void 0));
}
// src/policy/default.ts
/** Where a repository keeps its policy: found there when `--policy` is not given. */
const DEFAULT_POLICY_FILE = ".nanocoder/policy.yaml";
/** Files that hold secrets in most projects: never read or written under the built-in policy, and hidden from sandboxed commands under any policy. */
const SECRETS = [
	"**/.env",
	"**/.env.*",
	"**/*.pem",
	"**/*.key",
	"**/id_rsa*",
	"**/id_ed25519*",
	"**/id_ecdsa*",
	"**/.npmrc",
	"**/.netrc"
];
/**
* Programs that only look. What each reads is known from its words (the files it names, the folders it
* searches), so `files.read` decides what it may see, with or without a sandbox; what it writes is only a
* redirect or an output option, which `files.write` decides. Their options that write or run other programs
* (`sed -i`, `find -exec`, `sort -o`) are refused unless a rule names them. The built-in policy allows these,
* and so does the starter policy from `nanocoder policy init`.
*/
const INSPECTION_COMMANDS = [
	"cd **",
	"pwd",
	"ls **",
	"cat **",
	"head **",
	"tail **",
	"nl **",
	"wc **",
	"grep **",
	"egrep **",
	"fgrep **",
	"rg **",
	"find **",
	"sed **",
	"sort **",
	"uniq **",
	"cut **",
	"tr **",
	"column **",
	"diff **",
	"cmp **",
	"comm **",
	"stat **",
	"du **",
	"realpath **",
	"readlink **",
	"basename **",
	"dirname **",
	"od **",
	"md5sum **",
	"sha256sum **",
	"jq **",
	"echo **",
	"printf **",
	"true",
	"false",
	"test **",
	"[ **",
	"which **",
	"type **",
	"date",
	"date +*",
	"uname **",
	"sleep **",
	"git status **",
	"git diff **",
	"git log **",
	"git show **",
	"git blame **",
	"git grep **",
	"git ls-files **",
	"git rev-parse **",
	"git describe **",
	"git shortlog **",
	"git branch --show-current"
];
/**
* Applies when no policy file is given: reads anywhere but secrets, writes anywhere but `.git`, and of
* commands only those that look (INSPECTION_COMMANDS), since nobody is there to approve anything more.
*/
const builtinPolicy = {
	source: "built-in",
	default: "deny",
	files: {
		read: {
			allow: [{ pattern: "**" }],
			deny: SECRETS.map((pattern) => ({
				pattern,
				reason: "secrets are never read"
			}))
		},
		write: {
			allow: [{ pattern: "**" }],
			deny: [...SECRETS.map((pattern) => ({
				pattern,
				reason: "secrets are never written"
			}))]
		}
	},
	commands: {
		allow: INSPECTION_COMMANDS.map((pattern) => ({ pattern })),
		deny: []
	},
	tools: {
		allow: [],
		deny: []
	},
	env: { pass: [] },
	limits: {},
	sandbox: {
		mode: "auto",
		required: false,
		network: false,
		writable: []
	},
	protect: [
		".git",
		".git/**",
		".nanocoder/runs/**",
		"**/.git",
		"**/.git/**",
		DEFAULT_POLICY_FILE,
		CONFIG_NAME
	]
};
// src/policy/decide.ts
/**
* The one decision function for tool calls: pure, total, never throws. It takes only a resolved request
* (resolve/index.ts), so every command it sees was parsed and looked up in the workspace.
* A call is allowed only when every access it makes is allowed; deny beats allow.
*/
function decide(policy, request) {
	const names = request.accesses.find((access) => access.kind === "tool" && access.name === request.tool) ?? { name: request.tool };
	const toolDenied = denyingToolRule(policy, names);
	if (toolDenied) return toolDenied;
	const accesses = request.accesses.length > 0 ? request.accesses : [{
		kind: "tool",
		name: request.tool
	}];
	let allowed;
	for (const access of accesses) {
		const decision = decideAccess(policy, access, request.sandboxed);
		if (decision.decision === "deny") return decision;
		allowed ??= decision;
	}
	return allowed ?? denyByDefault(policy, names);
}
/**
* A path the shell or a program opens (a redirection, `--outputFile=…`): decided where it really leads. An
* absolute path inside the workspace is checked as that workspace path; outside, reads are left to the
* sandbox and writes refused but for /tmp and the output streams.
*/
function decideCommandPath(policy, file, access, sandboxed) {
	const verb = file.kind === "read" ? "read" : "write";
	const uncheckable = access.uncheckablePaths[file.path];
	if (uncheckable) return {
		decision: "deny",
		reason: `${verb} ${file.path}, which cannot be checked: ${uncheckable}`,
		rule: "workspace"
	};
	if (!file.path.startsWith("/")) return decideRedirectTarget(policy, file, access.redirectTargets[file.path]);
	const inside = access.redirectTargets[file.path];
	if (typeof inside === "string") return decideRedirectTarget(policy, {
		...file,
		path: inside
	}, inside);
	const real = access.outsideTargets[file.path];
	if (real === void 0) return {
		decision: "deny",
		reason: `${verb} ${file.path}: where it leads was not looked up`,
		rule: "workspace"
	};
	if (file.kind === "read") return decideOutsideRead(policy, file.path, real, sandboxed) ?? {
		decision: "allow",
		reason: `read ${file.path}: outside the workspace, ${sandboxed ? "where the sandbox decides what there is to read" : "in a system folder or installed packages"}`,
		rule: "workspace"
	};
	if (writableOutside(real)) return {
		decision: "allow",
		reason: `write ${file.path}: in /tmp, outside the workspace`,
		rule: "workspace"
	};
	return {
		decision: "deny",
		reason: `write ${file.path}: it leads to ${real}, outside the workspace`,
		rule: "workspace"
	};
}
/** A redirect target is checked as written and where it resolves; one outside the workspace is refused. */
function decideRedirectTarget(policy, file, resolved) {
	const verb = file.kind === "read" ? "read" : "write";
	if (resolved === null) return {
		decision: "deny",
		reason: `${verb} ${file.path}: it resolves outside the workspace`,
		rule: "workspace"
	};
	const plain = {
		kind: file.kind,
		path: file.path
	};
	const written = decideAccess(policy, plain);
	if (written.decision === "deny") return written;
	const target = resolved === void 0 || resolved === file.path ? written : decideAccess(policy, {
		...plain,
		path: resolved
	});
	if (target.decision === "deny" || !file.within) return target;
	return folderWriteDenied(policy, resolved ?? file.path) ?? target;
}
/**
* A program fills this folder with files it names itself (`--outDir`, `--basetemp`): refused when a file
* there would be refused, or when a deny or protected rule names a path below it.
*/
function folderWriteDenied(policy, folder) {
	const probe = decideAccess(policy, {
		kind: "write",
		path: folder === "." ? "file" : `${folder}/file`
	});
	if (probe.decision === "deny") return {
		...probe,
		reason: `write into ${folder}: ${probe.reason}`
	};
	const below = guardedBelow(policy, folder);
	if (below === void 0) return void 0;
	return {
		decision: "deny",
		reason: `write into ${folder}: the program names the files it writes there, and "${below}" keeps part of that folder from writes`,
		rule: "workspace"
	};
}
/** A deny rule or protected path that names something below `folder` (`.github/workflows/**` below `.github`). */
function guardedBelow(policy, folder) {
	return [...policy.files.write.deny.map((rule) => rule.pattern), ...policy.protect].find((pattern) => {
		const prefix = staticPrefix(pattern);
		return prefix !== "" && (folder === "." || prefix.startsWith(`${folder}/`));
	});
}
/** The literal folder a glob starts with (`.github/workflows/` of `.github/workflows/**`), the whole of a plain path. */
function staticPrefix(pattern) {
	const glob = pattern.search(/[*?[{!]/);
	if (glob === -1) return pattern;
	return pattern.slice(0, pattern.lastIndexOf("/", glob) + 1);
}
/**
* A command that names a file the policy does not let the model read (`cat .env` under an allow for `cat *`)
* is refused: the file tools would refuse that read, and a command must not be a way around them.
*/
function unreadableArgument(policy, command, files) {
	for (const [written, resolved] of Object.entries(files)) {
		const named = `run \`${clipCommand(command)}\`: it names ${written}`;
		if (resolved === null) return {
			decision: "deny",
			reason: `${named}, which leads outside the workspace through a symbolic link`,
			rule: "workspace"
		};
		for (const path of resolved === written ? [written] : [written, resolved]) {
			const read = decideAccess(policy, {
				kind: "read",
				path
			});
			if (read.decision === "deny") return {
				...read,
				reason: `${named}, a file the policy does not let you read (${read.reason})`
			};
		}
	}
}
/** A file-changing program (`cp`, `rm`, `sed -i`…) given a path the policy does not let the model write is refused. */
function unwritableArgument(policy, command, paths) {
	for (const [written, resolved] of Object.entries(paths)) {
		const named = `run \`${clipCommand(command)}\`: it changes ${written}`;
		if (resolved === null) return {
			decision: "deny",
			reason: `${named}, which leads outside the workspace through a symbolic link`,
			rule: "workspace"
		};
		for (const path of resolved === written ? [written] : [written, resolved]) {
			const write = decideAccess(policy, {
				kind: "write",
				path
			});
			if (write.decision === "deny") return {
				...write,
				reason: `${named}, a path the policy does not let you write (${write.reason})`
			};
		}
	}
}
/** A path whose target cannot be known (`/proc/self/cwd/.env`, a relative path after `cd -`) is refused. */
function uncheckablePath(access) {
	const [path, why] = Object.entries(access.uncheckablePaths)[0] ?? [];
	if (path === void 0) return void 0;
	return {
		decision: "deny",
		reason: `run \`${clipCommand(access.command)}\`: it names ${path}, which cannot be checked: ${why}`,
		rule: "workspace"
	};
}
/** A program that writes (or reads) paths its words do not name, such as `tar x` or `git apply`, is refused. */
function uncheckableCommand(access) {
	const [first] = access.uncheckableCommands;
	if (!first) return void 0;
	return {
		decision: "deny",
		reason: `${first.command === access.command.trim() ? "" : `run \`${clipCommand(access.command)}\`: `}\`${clipCommand(first.command)}\` ${first.why}`,
		rule: "commands.uncheckable"
	};
}
/**
* Links are looked at before the line runs: a link made by one command of the line (`ln -s ../.env e && cat e`)
* would carry the others' reads and writes where nobody looked. Such a link must be made on its own.
*/
function linkedLine(access) {
	const [maker] = access.linkMakers;
	if (maker === void 0 || !access.parsed.ok || access.parsed.commands.length < 2) return void 0;
	return {
		decision: "deny",
		reason: `run \`${clipCommand(access.command)}\`: \`${clipCommand(maker)}\` makes a link, and the other commands of the line would go through it before it could be checked; make the link in a command of its own`,
		rule: "commands.link"
	};
}
/**
* A program given the names of the files it reads by its input or a file (`ls | xargs cat`, `sort
* --files0-from=-`) may read any path: it counts as reading every file, so any file the policy keeps from
* reads refuses it.
*/
function unreadableNames(policy, access) {
	const [first] = access.namesFromInput;
	if (first === void 0) return void 0;
	const limit = everyReadAllowed(policy);
	if (limit === void 0) return void 0;
	const rule = first.via === "xargs" ? "commands.xargs" : "commands.names-from-input";
	return {
		decision: "deny",
		reason: `run \`${clipCommand(access.command)}\`: \`${clipCommand(first.command)}\` reads files whose names come from its input or a file (${first.via}), so it counts as reading every file, and ${limit}; name the files in the command`,
		rule
	};
}
/** Why not every file may be read, if so: a `files.read.deny` rule, or no allow rule for everything under `default: deny`. */
function everyReadAllowed(policy) {
	const [deny] = policy.files.read.deny;
	if (deny) return `files.read.deny[0] ("${deny.pattern}") keeps some from reads`;
	if (policy.default === "allow" || policy.files.read.allow.some((rule) => rule.pattern === "**")) return void 0;
	return "no allow rule lets every file be read";
}
/** A folder read with everything in it (`grep -r KEY .`) must not hold a file the policy keeps from reads. */
function unreadableFolder(policy, access, sandboxed) {
	for (const read of access.folderReads) {
		const named = `run \`${clipCommand(access.command)}\`: \`${clipCommand(read.command)}\` ${read.why ?? `reads the folder ${read.folder} with everything in it`}`;
		if (!read.complete) return {
			decision: "deny",
			reason: `${named}, and it holds more entries than this check looks into; name narrower folders`,
			rule: "commands.folder-read"
		};
		for (const file of read.files) {
			const decision = decideAccess(policy, {
				kind: "read",
				path: file
			});
			if (decision.decision === "deny" && !(sandboxed && decision.rule.startsWith("files.read.deny"))) {
				const name = file.slice(file.lastIndexOf("/") + 1);
				const exclude = read.exclude.replace("NAME", name);
				return {
					...decision,
					reason: `${named}, which holds ${file}, a file the policy does not let you read (${decision.reason}); name narrower paths, or leave it out (${exclude})`
				};
			}
		}
	}
}
/** A folder a program fills with files it names itself (`git clone SRC DIR`): decided like `--outDir`. */
function unwritableFolder(policy, access) {
	for (const folder of access.folderWrites) {
		const named = `run \`${clipCommand(access.command)}\`: it fills the folder ${folder}`;
		const own = folder === "." ? void 0 : decideAccess(policy, {
			kind: "write",
			path: folder
		});
		const denied = own?.decision === "deny" ? own : folderWriteDenied(policy, folder);
		if (denied) return {
			...denied,
			reason: `${named} (${denied.reason})`
		};
	}
}
/**
* Reads outside the workspace: in the sandbox, only what it shows exists there (the toolchain, the
* dependencies, read-only), so any is fine. Without one, a command could read the runner's home folder and
* other checkouts: only system folders, installed packages and /tmp are allowed.
*/
function outsideRead(policy, access, sandboxed) {
	for (const [given, real] of Object.entries(access.outsideReads)) {
		const refused = decideOutsideRead(policy, given, real, sandboxed);
		if (refused) return {
			...refused,
			reason: `run \`${clipCommand(access.command)}\`: ${refused.reason}`
		};
	}
}
function decideOutsideRead(policy, given, real, sandboxed) {
	const where = given === real ? "" : ` (${real})`;
	const secret = [...policy.files.read.deny.map((rule) => rule.pattern), ...SECRETS].find((pattern) => matchPath(real.replace(/^\/+/, ""), pattern));
	if (secret !== void 0) return {
		decision: "deny",
		reason: `it reads ${given}${where}, outside the workspace, which "${secret}" keeps from reads wherever it lies`,
		rule: "workspace"
	};
	if (sandboxed || readableOutside(real)) return void 0;
	return {
		decision: "deny",
		reason: `it reads ${given}${where}, outside the workspace; without a sandbox, commands may read outside it only in system folders (/usr, /opt), installed packages (node_modules, site-packages) and /tmp`,
		rule: "workspace"
	};
}
/** A changing program given a path outside the workspace is refused, but for /tmp and the output streams. */
function outsideWrite(access) {
	const outside = Object.entries(access.outsideWrites).find(([, real]) => !writableOutside(real));
	if (!outside) return void 0;
	const [given, real] = outside;
	const where = given === real ? "" : ` (${real})`;
	return {
		decision: "deny",
		reason: `run \`${clipCommand(access.command)}\`: it changes ${given}${where}, outside the workspace; commands may write outside it only to /tmp, /dev/null and their output streams`,
		rule: "workspace"
	};
}
function clipCommand(command, max = 200) {
	return command.length > max ? `${command.slice(0, max - 3)}...` : command;
}
/**
* A `tools.deny` rule takes a tool away whole, built-in tools included (`execute_bash`); one with `when`
* leaves the tool offered and refuses only the calls whose arguments match.
*/
function denyingToolRule(policy, tool) {
	const index = policy.tools.deny.findIndex((rule) => rule.when === void 0 && matchToolName(tool, rule.pattern));
	const rule = policy.tools.deny[index];
	return rule ? denied(`tools.deny[${index}]`, rule, `use tool ${tool.name}: matches deny rule "${rule.pattern}"`) : void 0;
}
/** The tools the model is offered: those no `tools.deny` rule takes away. */
function offeredTools(policy, tools) {
	return tools.filter((tool) => denyingToolRule(policy, tool) === void 0);
}
function matchToolName(tool, pattern) {
	return matchName(tool.name, pattern) || tool.writtenAs !== void 0 && matchName(tool.writtenAs, pattern);
}
/**
* Whether a path that changed may have been written, whoever wrote it: protected paths, then `files.write`.
* The effect check asks this of every path a command changed. A path under which a deny rule or protected
* path names something is refused too: git reports a folder by its files, so such a path is a file or a
* link, and a link there (`.github` → `ghsrc/`) would carry what it points to in under the guarded name.
*/
function decideWrite(policy, path) {
	const decision = decideAccess(policy, {
		kind: "write",
		path
	});
	if (decision.decision === "deny") return decision;
	const below = guardedBelow(policy, path);
	if (below === void 0) return decision;
	return {
		decision: "deny",
		reason: `write ${path}: "${below}" keeps a path below it from writes, and a link or file here would stand in for that folder`,
		rule: "workspace"
	};
}
function decideAccess(policy, access, sandboxed = false) {
	switch (access.kind) {
		case "read": return decideByRules(policy, policy.files.read, "files.read", access.path, matchPath, `read ${access.path}`);
		case "write": return decideProtected(policy, access.path) ?? decideByRules(policy, policy.files.write, "files.write", access.path, matchPath, `write ${access.path}`);
		case "command": {
			const decision = decideCommand(policy, access.parsed, (file) => decideCommandPath(policy, file, access, sandboxed), sandboxed);
			if (decision.decision === "deny") return decision;
			return refusedWrapper(access) ?? unreadableNames(policy, access) ?? uncheckablePath(access) ?? uncheckableCommand(access) ?? linkedLine(access) ?? unreadableArgument(policy, access.command, access.argumentFiles) ?? unreadableFolder(policy, access, sandboxed) ?? unwritableArgument(policy, access.command, access.argumentWrites) ?? unwritableFolder(policy, access) ?? outsideRead(policy, access, sandboxed) ?? outsideWrite(access) ?? decision;
		}
		case "tool": return decideTool(policy, access, access.arguments);
	}
}
/** `tools` rules: by name, and for rules with `when`, by the call's arguments. Deny beats allow. */
function decideTool(policy, tool, args) {
	const fits = (kind) => (rule) => matchToolName(tool, rule.pattern) && argumentsMatch(rule.when, args, kind);
	const action = `use tool ${tool.name}`;
	const denyIndex = policy.tools.deny.findIndex(fits("deny"));
	const deny = policy.tools.deny[denyIndex];
	if (deny) return denied(`tools.deny[${denyIndex}]`, deny, `${action}: matches deny rule "${deny.pattern}"${describeWhen(deny.when)}`);
	const allowIndex = policy.tools.allow.findIndex(fits("allow"));
	const allow = policy.tools.allow[allowIndex];
	if (allow) return {
		decision: "allow",
		reason: `${action}: matches allow rule "${allow.pattern}"${describeWhen(allow.when)}`,
		rule: `tools.allow[${allowIndex}]`
	};
	const because = policy.tools.allow.some((rule) => rule.when !== void 0 && matchToolName(tool, rule.pattern)) ? "; its allow rules name arguments this call does not match" : "";
	if (policy.default === "allow") return {
		decision: "allow",
		reason: `${action}: no rule matches; default is allow`,
		rule: "default"
	};
	return {
		decision: "deny",
		reason: `${action}: no allow rule matches${because} (policy ${policy.source}; default is deny)`,
		rule: "default"
	};
}
/**
* Whether every argument a rule names has a value matching its glob. A string is matched as it is, with `*`
* matching any characters, `/` included (an argument is no path: `*password*` matches `my/password`); a
* list matches a deny rule when any of its items does, and an allow rule when every item does; any other
* value is matched as JSON. An argument the call lacks does not match, so an allow rule with `when` never
* allows it. Pure.
*/
function argumentsMatch(when, args, kind) {
	if (when === void 0) return true;
	return Object.entries(when).every(([name, pattern]) => {
		const value = args?.[name];
		if (value === void 0) return false;
		return valueMatches(value, valueGlob(pattern), kind);
	});
}
function valueMatches(value, glob, kind) {
	if (Array.isArray(value)) return kind === "deny" ? value.some((item) => valueMatches(item, glob, kind)) : value.every((item) => valueMatches(item, glob, kind));
	return glob.test(typeof value === "string" ? value : JSON.stringify(value));
}
const valueGlobs = /* @__PURE__ */ new Map();
/**
* A glob for an argument's value as a regular expression: `*` any characters, `?` one, `[abc]`/`[!abc]` a
* class, `{a,b}` alternatives, `\x` the character x. Linear in the value for the patterns policies use. Pure.
*/
function valueGlob(pattern) {
	let glob = valueGlobs.get(pattern);
	if (glob) return glob;
	let source = "";
	let inBraces = false;
	for (let index = 0; index < pattern.length; index++) {
		const char = pattern.charAt(index);
		if (char === "\\" && index + 1 < pattern.length) source += escapeRegex(pattern.charAt(++index));
		else if (char === "*") source += source.endsWith("[\\s\\S]*") ? "" : "[\\s\\S]*";
		else if (char === "?") source += "[\\s\\S]";
		else if (char === "{" && !inBraces && pattern.indexOf("}", index) > index) {
			inBraces = true;
			source += "(?:";
		} else if (char === "," && inBraces) source += "|";
		else if (char === "}" && inBraces) {
			inBraces = false;
			source += ")";
		} else if (char === "[" && pattern.indexOf("]", index + 2) > index) {
			const end = pattern.indexOf("]", index + 2);
			const body = pattern.slice(index + 1, end);
			const negated = body.startsWith("!") || body.startsWith("^");
			source += `[${negated ? "^" : ""}${(negated ? body.slice(1) : body).replace(/[\\\]^]/g, "\\$&")}]`;
			index = end;
		} else source += escapeRegex(char);
	}
	glob = new RegExp(`^${source}$`);
	valueGlobs.set(pattern, glob);
	return glob;
}
function escapeRegex(text) {
	return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
function describeWhen(when) {
	if (when === void 0) return "";
	return ` when ${Object.entries(when).map(([name, pattern]) => `${name} is "${pattern}"`).join(" and ")}`;
}
function decideByRules(policy, rules, section, subject, matches, action) {
	const denyIndex = rules.deny.findIndex((rule) => matches(subject, rule.pattern));
	const deny = rules.deny[denyIndex];
	if (deny) return denied(`${section}.deny[${denyIndex}]`, deny, `${action}: matches deny rule "${deny.pattern}"`);
	const allowIndex = rules.allow.findIndex((rule) => matches(subject, rule.pattern));
	const allow = rules.allow[allowIndex];
	if (allow) return {
		decision: "allow",
		reason: `${action}: matches allow rule "${allow.pattern}"`,
		rule: `${section}.allow[${allowIndex}]`
	};
	if (policy.default === "allow") return {
		decision: "allow",
		reason: `${action}: no rule matches; default is allow`,
		rule: "default"
	};
	return {
		decision: "deny",
		reason: `${action}: no allow rule matches (policy ${policy.source}; default is deny)`,
		rule: "default"
	};
}
/** Git's own files, the policy file and run outputs are never writable, whatever the rules say. */
function decideProtected(policy, path) {
	const index = policy.protect.findIndex((pattern) => matchPath(path, pattern));
	if (index < 0) return void 0;
	return {
		decision: "deny",
		reason: `write ${path}: this path is never writable (protected: "${policy.protect[index]}")`,
		rule: `protect[${index}]`
	};
}
function denied(rule, matched, fallbackReason) {
	return {
		decision: "deny",
		reason: matched.reason ? `${fallbackReason}: ${matched.reason}` : fallbackReason,
		rule
	};
}
function denyByDefault(policy, tool) {
	return decideTool(policy, tool, void 0);
}
/** "." is the workspace root: only a rule for everything ("**") or for the root itself covers it. */
function matchPath(path, pattern) {
	if (path === ".") return pattern === "**" || pattern === ".";
	return compiled(pattern, true).match(path);
}
function matchName(name, pattern) {
	return compiled(pattern, false).match(name);
}
/** Compiled globs, kept: a folder read checks thousands of paths against the same few rules. */
const matchers = /* @__PURE__ */ new Map();
function compiled(pattern, dot) {
	const key = `${dot ? "dot" : "nodot"}:${pattern}`;
	let matcher = matchers.get(key);
	if (!matcher) {
		matcher = new Minimatch(pattern, { dot });
		matchers.set(key, matcher);
	}
	return matcher;
}
/** The pattern and the place in the policy file of the rule a decision names, for audit logs. */
function describeRule(policy, ruleId) {
	const match = /^(files\.read|files\.write|commands|tools)\.(allow|deny)\[(\d+)\]$/.exec(ruleId);
	if (!match) return {};
	const [, section = "", kind = "allow", index = "0"] = match;
	const rule = {
		"files.read": policy.files.read,
		"files.write": policy.files.write,
		commands: policy.commands,
		tools: policy.tools
	}[section]?.[kind][Number(index)];
	if (!rule) return {};
	return {
		pattern: rule.pattern,
		...rule.source ? { rule_source: rule.source } : {}
	};
}
// src/policy/hosts.ts
/**
* Host names in the policy's `sandbox.network` list, and the check the filtering proxy makes with them.
* Pure: the proxy (src/sandbox/network-proxy.ts) and the policy loader share one reading of a host.
*/
/**
* Whether `host` (a name or IP literal as the client sent it, maybe with a trailing dot or in [v6] brackets)
* on `port` matches an allow-list entry. Pure. Names compare case-insensitively and without a trailing dot;
* `*.example.org` matches any subdomain of example.org but not example.org itself; an IP literal matches
* only an entry naming that same address. An entry with a port (`db.internal:5432`, `[::1]:8080`) allows
* that port only; one without, every port. `port` undefined asks whether any entry names the host at all.
*/
function hostAllowed(host, port, allow) {
	const target = canonicalHost(host);
	if (target === void 0) return false;
	const targetIsIp = isIP(target) !== 0;
	return allow.some((written) => {
		const entry = splitPort(written);
		if (port !== void 0 && entry.port !== void 0 && Number(entry.port) !== port) return false;
		if (!entry.host.startsWith("*.")) return canonicalHost(entry.host) === target;
		const domain = canonicalHost(entry.host.slice(2));
		return !targetIsIp && domain !== void 0 && isIP(domain) === 0 && target.endsWith(`.${domain}`);
	});
}
/**
* An entry's host and port as written: `example.org:443`, `[::1]:8080`. A bare IPv6 address (`::1`) has no
* port: its colons are the address's own, so a port on one needs the brackets.
*/
function splitPort(entry) {
	const match = /^(\[[^\]]*\]|[^:[\]]*):([^:]*)$/.exec(entry);
	return match ? {
		host: match[1] ?? "",
		port: match[2] ?? ""
	} : { host: entry };
}
/** Why an allow-list entry is invalid, or undefined when it is fine. Pure; the policy loader reports it at its line. */
function invalidHostPattern(written) {
	if (written.trim() === "") return "empty; write a host name such as registry.npmjs.org";
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(written)) return `a URL; write only its host name${urlHostHint(written)}`;
	const { host: entry, port } = splitPort(written);
	if (port !== void 0 && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return `the port "${port}" is not a number from 1 to 65535; write host:port (e.g. registry.npmjs.org:443), or the host alone for every port`;
	if (entry === "*" || entry === "*.") return "`*` would allow every host; set `network: true` for that";
	if (/\s/.test(entry)) return "contains white space";
	if (entry.includes("/")) return "a host name has no path; write only the name";
	if (entry.includes("@")) return "a host name has no user name; write only the name";
	const bare = unbracketed(entry);
	if (isIP(bare) === 6 && bare === entry) {
		const [, head = "", port = ""] = /^(.*):(\d{2,5})$/.exec(entry) ?? [];
		if (isIP(head) === 6 && Number(port) <= 65535) return `reads as the one IPv6 address ${entry}: write [${head}]:${port} for port ${port} of ${head}, or [${entry}] for the address`;
	}
	if (isIP(bare) === 6) return canonicalHost(entry) === void 0 ? "not a valid IPv6 address" : void 0;
	if (entry.includes(":")) return "not a valid host name: write host:port with one colon (an IPv6 address with a port in brackets, [::1]:8080)";
	const wildcard = entry.startsWith("*.");
	const name = wildcard ? entry.slice(2) : entry;
	if (name.includes("*")) return "a wildcard only stands at the start, as in *.example.org";
	const canonical = canonicalHost(name);
	if (canonical === void 0) return "not a valid host name or IP address";
	if (wildcard && isIP(canonical) !== 0) return "a wildcard goes before a domain name, not an IP address";
}
/**
* The one spelling of a host that is checked and then connected to: lower case, punycode, IPv4 in dotted
* form (so `127.1` is 127.0.0.1), IPv6 compressed and without brackets, no trailing dot. Undefined when
* it is no host at all; the characters URLs give a meaning to never reach the URL parser.
*/
function canonicalHost(raw) {
	const bare = unbracketed(raw);
	const ipv6 = isIP(bare) === 6;
	if (bare === "" || bare.includes("*") || !ipv6 && /[\0-\x20\x7f/?#@:%\\[\]<>^|]/.test(bare)) return void 0;
	try {
		const { hostname } = new URL(`http://${ipv6 ? `[${bare}]` : bare}/`);
		return ipv6 ? hostname.slice(1, -1) : hostname.replace(/\.$/, "");
	} catch {
		return;
	}
}
/** ", e.g. registry.npmjs.org" for a URL with a host, so the message says what to write instead. */
function urlHostHint(url) {
	try {
		const { hostname } = new URL(url);
		return hostname === "" ? "" : `, e.g. ${unbracketed(hostname)}`;
	} catch {
		return "";
	}
}
function unbracketed(host) {
	return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
// src/policy/shell/differentials.ts
function checkWord(node) {
	if (hasUnescapedBlank(node.text)) refuse(`the parser read \`${shorten(node.text)}\` as one word, but bash splits it at the blank`);
	if (hidesSubstitution(node.text)) refuseHidden(node.text);
}
/** Reserved words bash recognises in command position (`time` is left out: it is read as a wrapper). */
const RESERVED_WORDS = /* @__PURE__ */ new Set([
	"!",
	"{",
	"}",
	"[[",
	"]]",
	"if",
	"then",
	"elif",
	"else",
	"fi",
	"case",
	"esac",
	"for",
	"select",
	"while",
	"until",
	"do",
	"done",
	"in",
	"function",
	"coproc"
]);
/**
* Within one simple command: two words with nothing between them are one word to bash (`pu\`true\`sh`), and
* an unescaped newline ends the command, though tree-sitter sometimes reads on into the next line.
*/
function checkSimpleCommand(node) {
	let previousWord;
	node.children.forEach((child, index) => {
		const before = node.children[index - 1];
		const gap = before ? node.text.slice(before.end - node.start, child.start - node.start) : "";
		if (/(^|[^\\])\n/.test(gap)) refuse(`the parser read \`${shorten(node.text)}\` past the end of its line`);
		if (child.field === "name" && RESERVED_WORDS.has(child.text)) refuse(`\`${child.text}\` is a shell keyword in \`${shorten(node.text)}\`, but the parser read it as a command name`);
		if (child.field !== "name" && child.field !== "argument") return;
		if (previousWord?.end === child.start) refuse(`\`${previousWord.text}${child.text}\` is one word to bash, but the parser split it`);
		previousWord = child;
	});
}
/** True when `text` holds an unescaped backtick, `$(` or `${`: shell code tree-sitter left as plain text. */
function hidesSubstitution(text) {
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === "\\") i++;
		else if (char === "`" || char === "$" && (text[i + 1] === "(" || text[i + 1] === "{")) return true;
	}
	return false;
}
function hasUnescapedBlank(text) {
	for (let i = 0; i < text.length; i++) if (text[i] === "\\") i++;
	else if (/\s/.test(text[i] ?? "")) return true;
	return false;
}
function refuseHidden(text) {
	return refuse(`\`${shorten(text)}\` holds a substitution the parser read as plain text, so its command cannot be checked`);
}
/** An unquoted heredoc body is expanded: check the text between the substitutions tree-sitter did find. */
function checkHeredocBody(node) {
	const start = node.children.find((child) => child.type === "heredoc_start");
	const body = node.children.find((child) => child.type === "heredoc_body");
	if (!start || !body || /['"\\]/.test(start.text)) return;
	let at = body.start;
	for (const child of [...body.children, {
		start: body.end,
		end: body.end
	}]) {
		const gap = body.text.slice(at - body.start, child.start - body.start);
		if (hidesSubstitution(gap)) refuseHidden(gap);
		at = child.end;
	}
}
/** Nodes whose whole text is content: gaps between their children are not words the parser skipped. */
const CONTENT_NODES = /* @__PURE__ */ new Set(["heredoc_body", "comment"]);
/**
* The offset of the first character that is neither blank nor inside any token. tree-sitter-bash silently
* drops some words (a lone `-` before `<<`); bash would not, so such a command is not what the tree says.
*/
function firstSkippedCharacter(root, source) {
	const covered = new Uint8Array(source.length);
	const mark = (node) => {
		if (node.children.length === 0 || CONTENT_NODES.has(node.type)) covered.fill(1, node.start, node.end);
		else node.children.forEach(mark);
	};
	mark(root);
	for (let i = 0; i < source.length; i++) {
		if (covered[i] || /\s/.test(source[i] ?? "")) continue;
		if (source[i] === "\\" && source[i + 1] === "\n") {
			i++;
			continue;
		}
		return i;
	}
}
// src/policy/shell/words.ts
const DYNAMIC = {
	value: "",
	literal: false,
	mask: ""
};
/** Turns a word node (word, string, concatenation, expansion…) into a Word: its value after quote removal, or dynamic. */
function wordOf(node) {
	const piece = decode(node);
	const literal = piece.literal && !expandsUnquoted(piece.mask);
	return {
		value: literal ? piece.value : node.text,
		literal,
		source: node.text
	};
}
function decode(node) {
	switch (node.type) {
		case "word":
		case "number": return unquoted(node.text);
		case "raw_string": return quoted(node.text.slice(1, -1));
		case "string": return doubleQuoted(node);
		case "ansi_c_string": return ansiC(node.text.slice(2, -1));
		case "concatenation": return join$1(node.children.map(decode));
		default: return DYNAMIC;
	}
}
function join$1(pieces) {
	return {
		value: pieces.map((piece) => piece.value).join(""),
		literal: pieces.every((piece) => piece.literal),
		mask: pieces.map((piece) => piece.mask).join("")
	};
}
function quoted(value) {
	return {
		value,
		literal: true,
		mask: "_".repeat(value.length)
	};
}
/** Unquoted text: a backslash quotes the next character, and backslash-newline disappears. */
function unquoted(text) {
	let value = "";
	let mask = "";
	for (let i = 0; i < text.length; i++) {
		const char = text[i] ?? "";
		if (char === "\\") {
			const next = text[++i] ?? "";
			if (next !== "\n") {
				value += next;
				mask += "_";
			}
			continue;
		}
		if (char === "$" || char === "`") return DYNAMIC;
		value += char;
		mask += char;
	}
	return {
		value,
		literal: true,
		mask
	};
}
function doubleQuoted(node) {
	const pieces = [];
	for (const child of node.children) if (child.type === "string_content") pieces.push(quoted(unescapeDoubleQuoted(child.text)));
	else if (child.type === "$") pieces.push(quoted("$"));
	else if (child.named) return DYNAMIC;
	return join$1(pieces);
}
/** Inside double quotes a backslash only escapes $ ` " \ and newline. */
function unescapeDoubleQuoted(text) {
	return text.replace(/\\([$`"\\\n])/g, (_match, char) => char === "\n" ? "" : char);
}
const ANSI_C_SIMPLE = {
	a: "\x07",
	b: "\b",
	e: "\x1B",
	E: "\x1B",
	f: "\f",
	n: "\n",
	r: "\r",
	t: "	",
	v: "\v",
	"\\": "\\",
	"'": "'",
	"\"": "\"",
	"?": "?"
};
/** `$'…'` strings. `\c` (control characters) and NUL bytes (which truncate the word) are left to the shell: dynamic. */
function ansiC(body) {
	if (/\\(c|[0-7]|x|u|U)/.test(body)) return DYNAMIC;
	const value = body.replace(/\\(?:([0-7]{1,3})|x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{1,4})|U([0-9a-fA-F]{1,8})|(.))/gs, (match, octal, hex, u4, u8, simple) => {
		const code = octal ? parseInt(octal, 8) : parseInt(hex ?? u4 ?? u8 ?? "", 16);
		if (!Number.isNaN(code)) return code <= 1114111 ? String.fromCodePoint(code) : "\0";
		return ANSI_C_SIMPLE[simple ?? ""] ?? match;
	});
	return value.includes("\0") ? DYNAMIC : quoted(value);
}
/** Unquoted globs (`* ? [`), brace expansion (`{a,b}`, `{1..3}`) and tilde expansion make a word dynamic. */
function expandsUnquoted(mask) {
	return /[*?[]/.test(mask) || /\{[^{}]*(,|\.\.)[^{}]*\}/.test(mask) || /(^|[=:])~/.test(mask);
}
// src/policy/shell/collect.ts
/** Parents under which a `variable_assignment` belongs to something else, not a statement of its own. */
const NOT_A_STATEMENT = /* @__PURE__ */ new Set([
	"command",
	"declaration_command",
	"variable_assignments",
	"c_style_for_statement"
]);
/**
* Lists every simple command and file redirection in the tree, wherever it is: lists, pipelines, substitutions,
* subshells, groups, control flow, heredoc bodies. Throws ShellRefusal on constructs it will not check.
*/
function collect(root) {
	const out = {
		commands: [],
		redirects: [],
		fedNodes: /* @__PURE__ */ new Map(),
		nodes: /* @__PURE__ */ new Map(),
		stdinReplaced: false
	};
	visit(root, "", out);
	if (out.stdinReplaced) for (const node of out.nodes.keys()) feed(node, "`exec <` (a file redirection)", out);
	const fed = /* @__PURE__ */ new Set();
	for (const node of out.fedNodes.keys()) {
		const command = out.nodes.get(node);
		if (command) fed.add(command);
	}
	return {
		commands: out.commands,
		redirects: out.redirects,
		fed
	};
}
function visit(node, parentType, out) {
	switch (node.type) {
		case "function_definition": return refuse(`it defines a shell function (\`${shorten(node.text)}\`), whose body would run later under another name`);
		case "command": {
			const command = simpleCommand(node);
			out.commands.push(command);
			out.nodes.set(node, command);
			refuseDescriptorArgument(node, node.children);
			if (node.children.some(isInlineInput)) feed(node, "a heredoc or herestring", out);
			if (node.children.some(readsFile)) feed(node, "a file redirection", out);
			break;
		}
		case "declaration_command":
		case "unset_command":
			out.commands.push(keywordCommand(node));
			break;
		case "test_command":
			out.commands.push(testCommand(node));
			break;
		case "compound_statement":
			if (node.children[0]?.type === "((") out.commands.push(arithmeticCommand(node));
			if (/^\{[^\s]/.test(node.text)) refuse(`\`${shorten(node.text)}\` starts with a brace expansion to bash, not a group`);
			break;
		case "c_style_for_statement":
			out.commands.push(arithmeticCommand(node));
			break;
		case "variable_assignment":
		case "variable_assignments":
			if (!NOT_A_STATEMENT.has(parentType)) out.commands.push(bareAssignment(node));
			break;
		case "file_redirect":
			addRedirect(node, out);
			break;
		case "heredoc_redirect":
			if (node.children.some((child) => child.field === "argument")) refuse("words follow a heredoc marker on its line; bash reads them as arguments, this checker cannot");
			checkHeredocBody(node);
			break;
		case "redirected_statement":
			checkRedirectedStatement(node, out);
			break;
		case "pipeline":
			checkPipeline(node, out);
			break;
		case "expansion":
			if (/@P\}$/.test(node.text)) refuse(`\`${node.text}\` expands a variable as a prompt string, which can run commands`);
			break;
		case "word":
			checkWord(node);
			break;
		case "regex":
		case "extglob_pattern":
		case "string_content":
		case "heredoc_content": if (hidesSubstitution(node.text)) refuseHidden(node.text);
	}
	for (const child of node.children) visit(child, node.type, out);
}
function simpleCommand(node) {
	const assignments = [];
	const args = [];
	let program;
	checkSimpleCommand(node);
	for (const child of node.children) if (child.type === "variable_assignment") assignments.push(assignmentOf(child));
	else if (child.field === "name") program = wordOf(child.children.length === 1 && child.children[0] ? child.children[0] : child);
	else if (child.field === "argument") args.push(wordOf(child));
	else if (child.field !== "redirect" && child.type !== "comment") refuse(`unexpected syntax \`${child.text}\` in \`${node.text}\``);
	return {
		source: node.text,
		assignments,
		program,
		args
	};
}
function assignmentOf(node) {
	const name = node.children.find((child) => child.field === "name");
	const value = node.children.find((child) => child.field === "value");
	return {
		name: name?.text ?? "",
		value: value ? wordOf(value) : literalWord(""),
		source: node.text
	};
}
/** `export A=1 B`, `declare -x C`, `unset D`: the keyword is the program, the rest are its words. */
function keywordCommand(node) {
	const [keyword, ...rest] = node.children;
	const args = rest.filter((child) => child.type !== "comment").map((child) => {
		if (child.type === "variable_name") return literalWord(child.text);
		if (child.type !== "variable_assignment") return wordOf(child);
		const assignment = assignmentOf(child);
		const literal = assignment.value.literal && /^[A-Za-z_][A-Za-z0-9_]*$/.test(assignment.name);
		return {
			value: literal ? `${assignment.name}=${assignment.value.value}` : child.text,
			literal,
			source: child.text
		};
	});
	return {
		source: node.text,
		assignments: [],
		program: literalWord(keyword?.text ?? ""),
		args
	};
}
const TEST_WORDS = /* @__PURE__ */ new Set([
	"word",
	"string",
	"raw_string",
	"concatenation",
	"simple_expansion",
	"expansion",
	"command_substitution",
	"number",
	"ansi_c_string",
	"process_substitution",
	"arithmetic_expansion"
]);
/** `[ … ]` and `[[ … ]]` become a command named `[` or `[[` with the expression's words as arguments. */
function testCommand(node) {
	const words = [];
	const flatten = (part) => {
		if (TEST_WORDS.has(part.type)) words.push(wordOf(part));
		else if (part.type === "regex" || part.type === "extglob_pattern") words.push({
			value: part.text,
			literal: false,
			source: part.text
		});
		else if (part.children.length === 0) words.push(literalWord(part.text));
		else part.children.forEach(flatten);
	};
	node.children.forEach(flatten);
	const [program, ...args] = words;
	return {
		source: node.text,
		assignments: [],
		program,
		args
	};
}
/** `(( … ))` and `for (( … ))` evaluate arithmetic, which can run code through array subscripts: never literal. */
function arithmeticCommand(node) {
	const end = node.text.indexOf("))");
	const source = end === -1 ? node.text : node.text.slice(0, end + 2);
	return {
		source,
		assignments: [],
		program: literalWord("(("),
		args: [{
			value: source,
			literal: false,
			source
		}]
	};
}
function bareAssignment(node) {
	const parts = node.type === "variable_assignments" ? node.children.filter((child) => child.type === "variable_assignment") : [node];
	return {
		source: node.text,
		assignments: parts.map(assignmentOf),
		program: void 0,
		args: []
	};
}
const WRITES = /* @__PURE__ */ new Set([
	">",
	">>",
	"&>",
	"&>>",
	">|"
]);
function addRedirect(node, out) {
	const destinations = node.children.filter((child) => child.field === "destination");
	if (destinations.length > 1) refuse(`a word follows the redirection \`${node.text}\`; bash reads it as an argument, this checker cannot (put redirections last)`);
	const operator = node.children.find((child) => !child.named)?.text ?? "";
	const target = destinations[0];
	if (operator === "<&-" || operator === ">&-") return;
	if (!target) return refuse(`the redirection \`${node.text}\` has no target`);
	if ((operator === ">&" || operator === "<&") && (target.type === "number" || target.text === "-")) return;
	if (operator === "<" || operator === "<&") out.redirects.push({
		kind: "read",
		operator,
		target: wordOf(target)
	});
	else if (WRITES.has(operator) || operator === ">&") out.redirects.push({
		kind: "write",
		operator,
		target: wordOf(target)
	});
	else refuse(`the redirection \`${node.text}\` is not supported`);
}
function isInlineInput(node) {
	return node.type === "heredoc_redirect" || node.type === "herestring_redirect";
}
const READ_OPERATORS = /* @__PURE__ */ new Set([
	"<",
	"<&",
	"<>"
]);
/** `< FILE`, `<&3`, `<> FILE`: the command's input comes from a file (closing with `<&-` does not count). */
function readsFile(node) {
	if (node.type !== "file_redirect") return false;
	const operator = node.children.find((child) => !child.named)?.text ?? "";
	return READ_OPERATORS.has(operator) && !node.children.some((child) => child.field === "destination" && child.text === "-");
}
/** A heredoc, herestring or `<` file on a statement feeds every command in its body (`{ bash; } < x.sh`). */
function checkRedirectedStatement(node, out) {
	const body = node.children.find((child) => child.field === "body");
	const redirects = node.children.filter((child) => child.field === "redirect");
	if (body?.type === "command") refuseDescriptorArgument(body, [...body.children, ...redirects]);
	const source = redirects.some(isInlineInput) ? "a heredoc or herestring" : redirects.some(readsFile) ? "a file redirection" : void 0;
	if (!body || !source) return;
	if (source === "a file redirection" && isBareExec(body)) out.stdinReplaced = true;
	commandsIn(body).forEach((command) => feed(command, source, out));
}
/** `exec < FILE` with no command (also as `builtin exec`, `command exec`): the redirection stays for the rest of the script. */
function isBareExec(node) {
	if (node.type !== "command") return false;
	const words = node.children.filter((child) => child.field === "name" || child.field === "argument").map((child) => child.text);
	while (words[0] === "builtin" || words[0] === "command") words.shift();
	return words.length === 1 && words[0] === "exec";
}
/** Commands after a `|` read the previous command's output: refuse interpreters that would run it as code. */
function checkPipeline(node, out) {
	let piped = false;
	for (const child of node.children) if (child.type === "|" || child.type === "|&") piped = true;
	else if (piped && child.named) commandsIn(child).forEach((command) => feed(command, "a pipe", out));
}
function commandsIn(node) {
	if (node.type === "command") return [node];
	return node.children.flatMap(commandsIn);
}
function feed(node, source, out) {
	refuseStdinCode(node, source);
	if (!out.fedNodes.has(node)) out.fedNodes.set(node, source);
}
function refuseStdinCode(node, source) {
	const command = simpleCommand(node);
	if (command.program && readsCodeFromStdin([command.program, ...command.args])) refuse(`\`${shorten(node.text)}\` runs code it reads from ${source}, which cannot be checked`);
}
/**
* `bash 0<x.sh`: bash reads `0<` as a redirection of descriptor 0, tree-sitter as an argument `0` followed by
* `<x.sh`. A number word that touches the redirection after it is refused rather than read the parser's way.
*/
function refuseDescriptorArgument(command, parts) {
	parts.forEach((part, index) => {
		const next = parts[index + 1];
		if (part.field !== "argument" || !/^[0-9]+$/.test(part.text) || !next || next.start !== part.end) return;
		if (next.type.endsWith("_redirect")) refuse(`\`${part.text}${shorten(next.text)}\` is a redirection of descriptor ${part.text} to bash, but the parser read \`${part.text}\` as an argument of \`${shorten(command.text)}\``);
	});
}
// src/policy/shell/nested.ts
/** Programs that run code this checker cannot see, or that redefine what later words mean. */
const REFUSED_PROGRAMS = {
	eval: "`eval` runs a string as shell code, which cannot be checked",
	source: "`source` runs a file as shell code, which cannot be checked",
	".": "`.` (source) runs a file as shell code, which cannot be checked",
	coproc: "`coproc` starts a background coprocess, which is not supported",
	trap: "`trap` sets shell code to run later, which cannot be checked",
	alias: "`alias` changes what later command names mean",
	enable: "`enable` can load or disable shell builtins",
	fc: "`fc` re-runs commands from the history"
};
/** Builtins that evaluate array subscripts in their operands: `a[$(cmd)]` would run cmd even when quoted. */
const SUBSCRIPT_EVALUATORS = /* @__PURE__ */ new Set([
	"[",
	"[[",
	"test",
	"let",
	"read",
	"mapfile",
	"readarray",
	"unset",
	"declare",
	"typeset",
	"local",
	"export",
	"readonly",
	"printf",
	"wait",
	"getopts"
]);
const FIND_EXEC = /* @__PURE__ */ new Set([
	"-exec",
	"-execdir",
	"-ok",
	"-okdir"
]);
/**
* Adds the commands that other commands run: the script of `bash -c`/`sh -c`… (through wrappers such as
* `sudo` or `xargs`), and the command of `find -exec`. Refuses eval, source and the like wherever they occur.
*/
function addNestedCommands(collected, parseScript) {
	const commands = [...collected.commands];
	const redirects = [...collected.redirects];
	const fed = new Set(collected.fed);
	/** Where each command came from, e.g. "in the script `a && b`", to explain refusals. */
	const origins = commands.map(() => "");
	const add = (more, origin) => {
		commands.push(...more);
		origins.push(...more.map(() => origin));
	};
	for (let index = 0; index < commands.length; index++) {
		const command = commands[index];
		const origin = origins[index] ?? "";
		if (!command?.program) continue;
		const words = [command.program, ...command.args];
		inContext(origin, () => {
			for (const layer of unwrapLayers(words)) {
				checkProgram(layer);
				const script = shellScript(layer);
				if (script) {
					const context = `in the script \`${shorten(script.value)}\``;
					const nested = withContext(context, () => parseScript(script.value));
					if (fed.has(command)) withContext(context, () => passInput(command, nested.commands, fed));
					nested.fed.forEach((inner) => fed.add(inner));
					add(nested.commands, origin ? `${origin}: ${context}` : context);
					redirects.push(...nested.redirects);
				}
				add(findExecCommands(layer), origin);
			}
		});
	}
	return {
		commands,
		redirects,
		fed
	};
}
/** A shell given an input passes it to the commands of its script: none may read code from it. */
function passInput(shell, commands, fed) {
	for (const command of commands) {
		if (command.program && readsCodeFromStdin([command.program, ...command.args])) refuse(`\`${shorten(command.source)}\` runs code it reads from the input of \`${shorten(shell.source)}\`, which cannot be checked`);
		fed.add(command);
	}
}
function inContext(origin, run) {
	if (origin) withContext(origin, run);
	else run();
}
function checkProgram(words) {
	const [program, ...args] = words;
	if (!program?.literal) return;
	const name = programName(program);
	const refused = REFUSED_PROGRAMS[name];
	if (refused) refuse(refused);
	if (SUBSCRIPT_EVALUATORS.has(name) && args.some((arg) => /\[.*[$`]/s.test(arg.value))) refuse(`\`${name}\` evaluates array subscripts, and a subscript with \`$\` or a backtick can run a command`);
}
/** The script word of `bash -c SCRIPT` and friends; refuses a script that is not a literal string. */
function shellScript(words) {
	const [program, ...args] = words;
	if (!program?.literal) return void 0;
	const name = programName(program);
	if (!SHELLS.has(name) && !FOREIGN_SHELLS.has(name)) return void 0;
	const script = scriptArgument(args);
	if (!script) return void 0;
	if (FOREIGN_SHELLS.has(name)) refuse(`\`${name}\` runs a script in a syntax this checker does not parse`);
	if (!script.literal) refuse(`\`${name} -c\` runs \`${script.source}\`, which is not a literal string, so its commands cannot be checked`);
	return script;
}
/** Reads shell options (`-c`, `-lc`, `-o name`, `--rcfile f`…) and returns the first operand if `-c` was given. */
function scriptArgument(args) {
	let hasCommandOption = false;
	for (let i = 0; i < args.length; i++) {
		const word = args[i];
		if (!word) break;
		if (!word.literal) return hasCommandOption || args.some(isCommandOption) ? word : void 0;
		const text = word.value;
		if (text === "--") return hasCommandOption ? args[i + 1] : void 0;
		if (/^[-+][A-Za-z]*[oO]$/.test(text) || text === "--rcfile" || text === "--init-file") i++;
		if (isCommandOption(word)) hasCommandOption = true;
		else if (!/^[-+]/.test(text)) return hasCommandOption ? word : void 0;
	}
}
function isCommandOption(word) {
	return word.literal && /^-[A-Za-z]*c[A-Za-z]*$/.test(word.value);
}
/** `find … -exec CMD … ;` runs CMD; find substitutes `{}` anywhere in its words, so such words are not literal. */
function findExecCommands(words) {
	const [program] = words;
	if (!program?.literal || programName(program) !== "find") return [];
	const found = [];
	for (let i = 1; i < words.length; i++) {
		if (!FIND_EXEC.has(words[i]?.value ?? "") || !words[i]?.literal) continue;
		let end = i + 1;
		while (end < words.length && !isExecEnd(words[end])) end++;
		const inner = words.slice(i + 1, end).map((word) => word.value.includes("{}") ? {
			...word,
			literal: false
		} : word);
		const [innerProgram, ...innerArgs] = inner;
		if (innerProgram) found.push({
			source: inner.map((word) => word.source).join(" "),
			assignments: [],
			program: innerProgram,
			args: innerArgs
		});
		i = end;
	}
	return found;
}
function isExecEnd(word) {
	return word?.literal === true && (word.value === ";" || word.value === "+");
}
// src/policy/shell/syntax.ts
/**
* Copies the tree under the cursor (a cursor walk is much cheaper than Node accessors).
* Iterative, so a hostile nesting depth cannot overflow the stack; returns undefined beyond `maxDepth`.
*/
function copyTree(cursor, maxDepth) {
	const root = nodeAt(cursor);
	const path = [root];
	for (;;) {
		if (cursor.gotoFirstChild()) {
			if (path.length >= maxDepth) return void 0;
			appendTo(path, nodeAt(cursor));
			continue;
		}
		for (;;) {
			if (path.length === 1) return root;
			path.pop();
			if (cursor.gotoNextSibling()) {
				appendTo(path, nodeAt(cursor));
				break;
			}
			cursor.gotoParent();
		}
	}
}
function nodeAt(cursor) {
	return {
		type: cursor.nodeType,
		named: cursor.nodeIsNamed,
		missing: cursor.nodeIsMissing,
		field: cursor.currentFieldName,
		text: cursor.nodeText,
		start: cursor.startIndex,
		end: cursor.endIndex,
		children: []
	};
}
function appendTo(path, node) {
	path.at(-1)?.children.push(node);
	path.push(node);
}
function firstError(node) {
	if (node.type === "ERROR" || node.missing) return node;
	for (const child of node.children) {
		const found = firstError(child);
		if (found) return found;
	}
}
// src/policy/shell/parser.ts
const MAX_COMMAND_LENGTH = 1e4;
const MAX_TREE_DEPTH = 200;
const MAX_NESTED_SCRIPTS = 32;
/**
* Characters that hide or reorder text on screen, or that bash and this parser could read differently:
* NUL and other control characters (tab and newline are fine), zero-width and bidirectional controls, BOM,
* invisible fillers, variation selectors and tag characters.
*/
const HIDDEN_CHARACTERS = /[\0-\x08\x0b-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb\u{e0000}-\u{e007f}]/u;
/** A backslash-newline between two non-blank characters joins words in bash but splits them in tree-sitter-bash. */
const JOINING_CONTINUATION = /[^\s\\](?:\\\\)*\\\n[^\s]/;
let loading;
/** Loads the bash grammar once; later calls share the same parser. */
function loadShellParser() {
	loading ??= createShellParser();
	return loading;
}
/**
* The grammar's lexer is one generated function of 160 kB of WebAssembly. V8 runs it with Liftoff, its
* baseline compiler, which is fast enough; but lexing spends a tier-up budget in proportion to the code it
* jumps over, and within some ten commands (or one with a long word) V8 hands the lexer to TurboFan,
* which takes about 700 MB and 1 to 3 s of a core for it, and a process that exits meanwhile waits for it
* (`policy check` took 1.8 s and 575 MB). So WebAssembly stays at baseline. V8 reads these flags when a
* function would tier up, not when a module is compiled, so they hold for the whole process; the only
* other WebAssembly there is fetch's HTTP parser, no slower for it.
*/
function keepWasmBaseline() {
	setFlagsFromString("--no-wasm-dynamic-tiering");
	setFlagsFromString("--no-wasm-tier-up");
}
async function createShellParser() {
	keepWasmBaseline();
	const { Language, Parser } = await import("./web-tree-sitter.mjs");
	await Parser.init();
	const grammar = decodeURIComponent(new URL("./tree-sitter-bash.wasm", import.meta.url).pathname);
	const parser = new Parser();
	parser.setLanguage(await Language.load(grammar));
	return { parse: (command) => parseCommand(parser, command) };
}
function parseCommand(parser, command) {
	try {
		let scripts = 0;
		const parseScript = (script) => {
			if (++scripts > MAX_NESTED_SCRIPTS) refuse("it nests too many shell scripts (`bash -c`…)");
			return collectCommand(parser, script);
		};
		const { commands, redirects } = addNestedCommands(collectCommand(parser, command), parseScript);
		if (commands.length === 0) refuse("there is no command to run");
		return {
			ok: true,
			source: command,
			commands,
			redirects
		};
	} catch (error) {
		return {
			ok: false,
			source: command,
			reason: error instanceof ShellRefusal ? error.message : `the shell parser failed (${String(error)})`
		};
	}
}
function collectCommand(parser, command) {
	checkText(command);
	const tree = parser.parse(command);
	if (!tree) return refuse("the shell parser returned nothing");
	let root;
	try {
		const cursor = tree.walk();
		root = copyTree(cursor, MAX_TREE_DEPTH);
		cursor.delete();
	} finally {
		tree.delete();
	}
	if (!root) return refuse("it is nested too deeply to check");
	const error = firstError(root);
	if (error) refuse(describeSyntaxError(error));
	const skipped = firstSkippedCharacter(root, command);
	if (skipped !== void 0) refuse(`the parser skipped \`${command[skipped] ?? ""}\` at offset ${skipped}, so it would not check what bash runs`);
	return collect(root);
}
function checkText(command) {
	if (command.length > 1e4) refuse(`it is longer than ${MAX_COMMAND_LENGTH} characters`);
	const hidden = HIDDEN_CHARACTERS.exec(command);
	if (hidden) refuse(`it contains the invisible or control character U+${(hidden[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")} at offset ${hidden.index}`);
	if (JOINING_CONTINUATION.test(command)) refuse("a line continuation (backslash-newline) joins two words, which this parser would split");
}
function describeSyntaxError(node) {
	if (node.missing) return `it does not parse as shell: \`${node.type}\` is missing (unterminated quote or construct?)`;
	return `it does not parse as shell near \`${shorten(node.text)}\``;
}
// src/policy/resolve/locate.ts
/** Hops through symbolic links before a path counts as a loop, like the kernel's own limit. */
const MAX_LINK_HOPS = 40;
/**
* Resolves `given` from the real folder `start` the way the kernel does: component by component, following
* symbolic links where they are (so `link/..` is the parent of the link's target, not of the link), a missing
* tail kept as written. Per-process paths under /proc and paths through a descriptor are uncheckable.
*/
async function locate(root, start, given, keepFinalLink = false) {
	const pending = parts(given);
	let current = given.startsWith("/") ? "/" : start;
	let known;
	let hops = 0;
	for (let part = pending.shift(); part !== void 0; part = pending.shift()) {
		if (part === "..") {
			current = posix.dirname(current);
			known = void 0;
			continue;
		}
		const next = posix.join(current, part);
		const why = uncheckableReason(next);
		if (why) return { uncheckable: why };
		const stats = await lstatIfExists(next).catch(() => void 0);
		if (!stats && pending.includes("..")) {
			current = next;
			known = void 0;
			continue;
		}
		if (!stats) return place(root, posix.join(next, ...pending), void 0);
		if (!stats.isDirectory() && !stats.isSymbolicLink() && pending.length > 0) return {
			...place(root, posix.join(next, ...pending), void 0),
			belowFile: true
		};
		if (stats.isSymbolicLink() && !(keepFinalLink && pending.length === 0)) {
			if (++hops > MAX_LINK_HOPS) return { uncheckable: `it goes through more than ${MAX_LINK_HOPS} symbolic links` };
			const target = await readlink(next);
			if (target.startsWith("/")) current = "/";
			pending.unshift(...parts(target));
			known = void 0;
			continue;
		}
		current = next;
		known = stats;
	}
	return place(root, current, known ?? await lstatIfExists(current).catch(() => void 0));
}
function parts(path) {
	return path.split("/").filter((part) => part !== "" && part !== ".");
}
function place(root, real, stats) {
	return {
		real,
		inside: insideOf(root, real),
		stats
	};
}
/** `absolute` relative to the workspace root ("." for the root), or undefined when outside. */
function insideOf(root, absolute) {
	if (absolute === root) return ".";
	return absolute.startsWith(`${root}/`) ? absolute.slice(root.length + 1) : void 0;
}
function joinInside(inside, path) {
	return inside === "." ? path : `${inside}/${path}`;
}
function isStandardInput(path) {
	return path === "/dev/stdin" || path === "/dev/fd/0";
}
// src/policy/resolve/listing.ts
/** Paths looked up for one command line; a larger folder is checked this far. */
const MAX_LOOKUPS = 5e3;
async function holdsSymbolicLink(folder) {
	let seen = 0;
	const queue = [folder];
	while (queue.length > 0) {
		const current = queue.shift() ?? "";
		for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
			if (++seen > 5e3 || entry.isSymbolicLink()) return true;
			if (entry.isDirectory()) queue.push(posix.join(current, entry.name));
		}
	}
	return false;
}
/**
* What a recursive reader reads under `folder`, breadth first: its filters applied (on base names), hidden
* entries skipped for ripgrep unless an ignore file whitelists something, and symbolic links, for a program
* that follows them, counted with their targets (a folder target is read too).
*/
async function filesRead(root, folder, read) {
	const skipsHidden = read.skipsHidden && !await whitelistsAnything(root, folder);
	const ignored = read.gitignore ? createIgnoreFilter(root) : void 0;
	const files = [];
	const visited = /* @__PURE__ */ new Set([folder]);
	let level = [folder];
	let seen = 0;
	while (level.length > 0) {
		const listings = await Promise.all(level.map((current) => readdir(current, { withFileTypes: true }).catch(() => [])));
		const queue = [];
		for (const [index, entries] of listings.entries()) {
			const current = level[index] ?? "";
			for (const entry of entries) {
				if (++seen > 5e3) return {
					files,
					complete: false
				};
				if (skipsHidden && entry.name.startsWith(".")) continue;
				const path = posix.join(current, entry.name);
				if (ignored?.(insideOf(root, path) ?? path, entry.isDirectory())) continue;
				if (entry.isDirectory()) {
					if (passes(entry.name, read.folders, true)) queue.push(path);
					continue;
				}
				if (!passes(entry.name, read.files, read.readsUnmatched)) continue;
				if (entry.isSymbolicLink() && !read.followsLinks) continue;
				files.push(insideOf(root, path) ?? path);
				if (!entry.isSymbolicLink()) continue;
				const target = await locate(root, current, entry.name);
				if ("uncheckable" in target || target.inside === void 0 || !target.stats) continue;
				if (target.stats.isDirectory() && !visited.has(target.real)) {
					visited.add(target.real);
					queue.push(target.real);
				} else if (!target.stats.isDirectory()) files.push(target.inside);
			}
		}
		level = queue;
	}
	return {
		files,
		complete: true
	};
}
const IGNORE_FILES = [
	".gitignore",
	".ignore",
	".rgignore"
];
/** An ignore file with a `!` line, in `folder`, its parents in the workspace or below it: ripgrep then reads hidden files it names. */
async function whitelistsAnything(root, folder) {
	const folders = [];
	for (let current = folder; insideOf(root, current) !== void 0; current = posix.dirname(current)) {
		folders.push(current);
		if (current === root) break;
	}
	const queue = [...folders];
	let seen = 0;
	while (queue.length > 0) {
		const current = queue.shift() ?? "";
		for (const entry of await readdir(current, { withFileTypes: true }).catch(() => [])) {
			if (++seen > 5e3) return true;
			const path = posix.join(current, entry.name);
			if (IGNORE_FILES.includes(entry.name) && /^\s*!/m.test(await readFile(path, "utf8").catch(() => ""))) return true;
			if (entry.isDirectory() && current.startsWith(folder) && !entry.name.startsWith(".")) queue.push(path);
		}
	}
	return false;
}
/** The last filter matching `name` decides; `unmatched` when none does. */
function passes(name, filters, unmatched) {
	const last = filters.findLast((filter) => minimatch(name, filter.glob, {
		dot: true,
		nocase: filter.nocase === true
	}));
	return last ? last.include : unmatched;
}
/** Paths (relative to `folder`) of what it holds, breadth first, at most MAX_LOOKUPS; symlinks are not followed. */
async function filesUnder(folder, skipGit = false) {
	const found = [];
	const queue = [""];
	while (queue.length > 0 && found.length < 5e3) {
		const relative = queue.shift() ?? "";
		const entries = await readdir(posix.join(folder, relative), { withFileTypes: true }).catch(() => []);
		for (const entry of entries.slice(0, MAX_LOOKUPS - found.length)) {
			if (skipGit && entry.name === ".git") continue;
			const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
			found.push(path);
			if (entry.isDirectory()) queue.push(path);
		}
	}
	return found;
}
// src/policy/resolve/command-facts.ts
/** Facts of a line that names nothing; a command the parser refused gets these and is refused for that reason. */
function emptyFacts() {
	return {
		redirectTargets: {},
		argumentFiles: {},
		argumentWrites: {},
		outsideTargets: {},
		outsideReads: {},
		outsideWrites: {},
		uncheckablePaths: {},
		uncheckableCommands: [],
		linkMakers: [],
		folderReads: [],
		folderWrites: [],
		namesFromInput: []
	};
}
/** What a parsed command line names, looked up in the workspace. */
async function commandFacts(parsed, workspace) {
	const root = await realWorkspace(workspace);
	const facts = emptyFacts();
	const paths = commandPaths(parsed.commands);
	const outputs = commandOutputs(parsed.commands);
	paths.trees.push(...outputs.flatMap((output) => output.folder && output.value.literal && !output.value.value.startsWith("/") ? [output.value.value] : []));
	const targets = [...parsed.redirects.map((redirect) => redirect.target), ...outputs.map((output) => output.value)];
	for (const target of targets) if (target.literal) await noteTarget(root, target.value, facts);
	const folders = await workingFolders(root, paths);
	for (const folder of folders) if (!folder.guessed && insideOf(root, folder.real) === void 0) facts.outsideReads[folder.lexical] ??= folder.real;
	for (const { path, after } of paths.unanchored) facts.uncheckablePaths[path] ??= `it comes after \`${after}\`, which moves to a folder the command does not name, so where it leads cannot be known; cd to a folder by its path instead`;
	facts.uncheckableCommands.push(...paths.uncheckable);
	facts.linkMakers.push(...paths.linkMakers);
	await noteReads(root, folders, paths, facts);
	await noteWrites(root, folders, paths, facts);
	await noteFolderReads(root, folders, paths.folderReads, facts);
	facts.namesFromInput.push(...paths.namesFromInput);
	await noteLinkCopies(root, folders, paths, facts);
	await noteRecursiveCopies(root, folders, paths, [...paths.writes, ...targets.flatMap((target) => target.literal ? [target.value] : [])], facts);
	await noteFolderWrites(root, folders, paths, facts);
	facts.linkMakers = [...new Set(facts.linkMakers)];
	return facts;
}
async function workingFolders(root, paths) {
	const found = [];
	for (const folder of paths.folders) {
		const lexical = folder.startsWith("/") ? posix.normalize(folder) : posix.join(root, folder);
		if (lexical === root) {
			found.push({
				lexical,
				real: root,
				guessed: false
			});
			continue;
		}
		const located = await locate(root, "/", lexical);
		if (!("uncheckable" in located)) found.push({
			lexical,
			real: located.real,
			guessed: paths.guessedFolders.includes(folder)
		});
	}
	return found;
}
/** `folder/sub`, for a symbolic link's target, which is read relative to the link's folder. */
async function enter(root, folder, sub) {
	const located = await locate(root, folder.real, sub);
	return "uncheckable" in located ? void 0 : {
		lexical: posix.join(folder.lexical, sub),
		real: located.real,
		guessed: folder.guessed
	};
}
/** Redirect and output targets: where each really leads (a symlink cannot carry a write elsewhere). */
async function noteTarget(root, target, facts) {
	if (target.startsWith("/")) {
		const key = posix.normalize(target);
		if (isAlwaysWritable(key) || isStandardInput(key)) return;
		const located = await locate(root, "/", target);
		if ("uncheckable" in located) facts.uncheckablePaths[key] = located.uncheckable;
		else if (located.inside !== void 0) facts.redirectTargets[key] = located.inside;
		else facts.outsideTargets[key] = located.real;
		return;
	}
	const key = normalizeRelativePath(target);
	if (key === ".." || key.startsWith("../")) return;
	const located = await locate(root, root, target);
	if ("uncheckable" in located) facts.uncheckablePaths[key] = located.uncheckable;
	else facts.redirectTargets[key] = located.inside ?? null;
}
/**
* The files a command's literal arguments name (`cat .env`, `cp a/.env b`, `--file=.env`, `cat ../ws/.env`,
* `cat /proc/self/cwd/.env`), so the decision can check them as reads. Relative arguments are looked up from
* every folder the command line may run in (programs/working-folders.ts). Folders are left out here: a folder argument
* would refuse `ls .` and `git add .` whenever some file inside is unreadable (recursive readers are
* `folderReads`). Paths outside the workspace, named so or reached through a link, are `outsideReads`.
*/
async function noteReads(root, folders, paths, facts) {
	for (const candidate of paths.reads.slice(0, MAX_LOOKUPS)) for (const folder of folders) await noteRead(root, folder, candidate, facts);
	for (const { target, linkFolder } of paths.symlinkTargets.slice(0, MAX_LOOKUPS)) for (const folder of folders) {
		const inner = target.startsWith("/") ? folder : await enter(root, folder, linkFolder);
		if (inner) await noteRead(root, inner, target, facts);
	}
	for (const path of paths.historyReads.slice(0, MAX_LOOKUPS)) for (const folder of folders) {
		const inside = insideOf(root, posix.join(folder.lexical, path));
		if (inside !== void 0 && inside !== ".") facts.argumentFiles[inside] ??= inside;
	}
}
async function noteRead(root, folder, given, facts) {
	if (given === "" || given.startsWith("/") && (isAlwaysWritable(given) || isStandardInput(given))) return;
	const written = insideOf(root, lexicalPath(folder, given));
	if (written === ".") return;
	const located = await locate(root, folder.real, given);
	if ("uncheckable" in located) {
		facts.uncheckablePaths[given] = located.uncheckable;
		return;
	}
	if (!located.stats) return;
	if (located.inside === void 0 && !folder.guessed) facts.outsideReads[given] ??= located.real;
	if (located.stats.isDirectory()) return;
	if (written !== void 0) facts.argumentFiles[written] ??= located.inside ?? written;
	else if (located.inside !== void 0) facts.argumentFiles[located.inside] ??= located.inside;
}
/**
* The paths file-changing programs are given (`cp x .github/workflows/ci.yml`, `rm .git/config`,
* `sed -i s/a/b/ src/x.ts`), what recursive ones reach inside folders, and where copied folders' files land
* (in the destination folder under the source's name, or, as with `cp -T`, `cp src/.` or a destination
* that does not exist yet, right in it), so the decision can check them as writes. A path is followed through
* a final symbolic link (`tee LINK` writes what LINK points to) unless the program acts on the link itself
* (`rm LINK`, what `mv` moves). Paths outside the workspace are noted as such.
*/
async function noteWrites(root, folders, paths, facts) {
	const keepsLink = new Set(paths.linkWrites);
	const full = () => Object.keys(facts.argumentWrites).length >= MAX_LOOKUPS;
	for (const given of paths.writes) {
		if (full()) return;
		const keep = keepsLink.has(given) && !/(^|\/)\.?$/.test(given);
		for (const folder of folders) await noteWrite(root, folder, given, keep, facts);
	}
	const trees = [
		...paths.trees.map((path) => ({
			path,
			git: false,
			ifPresent: false
		})),
		...paths.gitTrees.map((path) => ({
			path,
			git: true,
			ifPresent: false
		})),
		...paths.gitTreesIfPresent.map((path) => ({
			path,
			git: true,
			ifPresent: true
		}))
	];
	for (const { path, git, ifPresent } of trees) for (const folder of folders) {
		const located = await locate(root, folder.real, path, !/\/\.?$/.test(path));
		if ("uncheckable" in located || ifPresent && !located.stats) continue;
		if (git && !located.stats?.isDirectory()) await noteWrite(root, folder, path, false, facts);
		if (located.inside === void 0 || !located.stats?.isDirectory()) continue;
		for (const inside of await filesUnder(located.real, git)) {
			if (full()) return;
			const written = joinInside(located.inside, inside);
			facts.argumentWrites[written] ??= written;
		}
	}
	for (const { source, folder: destination } of paths.copies) for (const folder of folders) {
		const located = await locate(root, folder.real, source, true);
		if ("uncheckable" in located || located.inside === void 0 || !located.stats?.isDirectory()) continue;
		const inside = await filesUnder(located.real);
		for (const into of [posix.join(destination, posix.basename(located.real)), destination]) for (const path of inside) {
			if (full()) return;
			await noteWrite(root, folder, posix.join(into, path), false, facts);
		}
	}
}
async function noteWrite(root, folder, given, keepFinalLink, facts) {
	if (given === "" || given.startsWith("/") && isAlwaysWritable(given)) return;
	const located = await locate(root, folder.real, given, keepFinalLink);
	if ("uncheckable" in located) {
		facts.uncheckablePaths[given] = located.uncheckable;
		return;
	}
	if (located.belowFile) return;
	const written = insideOf(root, lexicalPath(folder, given));
	if (written !== void 0) facts.argumentWrites[written] ??= located.inside ?? null;
	else if (located.inside !== void 0) facts.argumentWrites[located.inside] ??= located.inside;
	else if (!folder.guessed || given.startsWith("/")) facts.outsideWrites[given] ??= located.real;
}
/**
* A recursive copy, move or sync writes what its source holds, looked at before the line runs: a source that
* does not exist yet, or that the line writes into before the copy (`mkdir -p g/workflows && cp x g/workflows/
* && cp -r g .github`), would carry files nobody checked. Such a copy must run as a command of its own.
*/
async function noteRecursiveCopies(root, folders, paths, lineWrites, facts) {
	for (const { source, command, writtenBefore } of paths.recursiveCopies) {
		const written = new Set(writtenBefore);
		const changed = (paths.folders.length > 1 && writtenBefore.length > 0 ? writtenBefore[0] : void 0) ?? lineWrites.filter((path) => written.has(path) || !paths.writes.includes(path)).find((path) => isAtOrBelow(path, source));
		const advice = "run the copy as a command of its own, after the commands that prepare its source";
		if (changed !== void 0) {
			facts.uncheckableCommands.push({
				command,
				why: `copies ${source}, which the same line changes first (${changed}), so what it would write cannot be checked; ${advice}`
			});
			continue;
		}
		for (const folder of folders.filter((candidate) => !candidate.guessed)) {
			const located = await locate(root, folder.real, source, true);
			if ("uncheckable" in located) continue;
			if (!located.stats) {
				facts.uncheckableCommands.push({
					command,
					why: `copies ${source}, which does not exist when the line is checked, so what it would write cannot be checked; ${advice}`
				});
				break;
			}
		}
	}
}
/** `a/b` is at or below `a` (both as written, normalised). */
function isAtOrBelow(path, folder) {
	const inner = posix.normalize(path).replace(/\/+$/, "");
	const outer = posix.normalize(folder).replace(/\/+$/, "");
	return outer === "." || inner === outer || inner.startsWith(`${outer}/`);
}
/** Folders a program fills: as written and resolved from each folder the line may run in; outside is refused. */
async function noteFolderWrites(root, folders, paths, facts) {
	for (const given of paths.folderWrites) for (const folder of folders) {
		if (given === "") continue;
		const located = await locate(root, folder.real, given);
		if ("uncheckable" in located) {
			facts.uncheckablePaths[given] = located.uncheckable;
			continue;
		}
		const written = insideOf(root, lexicalPath(folder, given));
		for (const inside of [written, located.inside]) if (inside !== void 0) facts.folderWrites.push(inside);
		if (written === void 0 && located.inside === void 0 && (!folder.guessed || given.startsWith("/"))) facts.outsideWrites[given] ??= located.real;
	}
	facts.folderWrites = [...new Set(facts.folderWrites)];
}
/** A copy or move of a link makes a new link: such a command counts as one that makes links. */
async function noteLinkCopies(root, folders, paths, facts) {
	for (const { source, command } of paths.linkCopies) {
		if (facts.linkMakers.includes(command)) continue;
		for (const folder of folders) {
			const located = await locate(root, folder.real, source, true);
			if ("uncheckable" in located || !located.stats) continue;
			if (located.stats.isSymbolicLink() || located.stats.isDirectory() && await holdsSymbolicLink(located.real)) {
				facts.linkMakers.push(command);
				break;
			}
		}
	}
}
/** Folders read with everything in them: the files the program would read there, as far as MAX_LOOKUPS. */
async function noteFolderReads(root, folders, reads, facts) {
	for (const read of reads) for (const folder of folders) {
		const located = await locate(root, folder.real, read.folder);
		if ("uncheckable" in located) {
			facts.uncheckablePaths[read.folder] = located.uncheckable;
			continue;
		}
		if (located.inside === void 0 || !located.stats?.isDirectory()) continue;
		const { files, complete } = await filesRead(root, located.real, read);
		facts.folderReads.push({
			folder: read.folder,
			command: read.command,
			files,
			complete,
			exclude: read.exclude,
			...read.why ? { why: read.why } : {}
		});
	}
}
/** The path as the shell spells it from `folder`, before any link is followed. */
function lexicalPath(folder, given) {
	return given.startsWith("/") ? posix.normalize(given) : posix.join(folder.lexical, given);
}
// src/policy/resolve/index.ts
/**
* The only way to a request `decide` takes. Facts the decision needs are gathered here so the decision itself
* stays pure: a path outside the workspace is refused outright (throws); a path through a symlink is checked
* both as written and as resolved; a folder operation is expanded path by path; a command is parsed and what
* it names is looked up in the workspace. `sandboxed`: whether commands run in the sandbox, which rules marked
* so need (false decides as without one: stricter, never looser).
*/
async function resolveAccesses(tool, accesses, workspace, sandboxed = false) {
	const resolved = [];
	for (const access of accesses) if (access.kind === "read" || access.kind === "write") {
		const { absolute, relative } = await resolveWorkspacePath(workspace, access.path);
		const written = normalizeRelativePath(access.path);
		if (written !== relative) resolved.push({
			kind: access.kind,
			path: written
		});
		resolved.push({
			kind: access.kind,
			path: relative
		});
		resolved.push(...await expandFolders(access, workspace, absolute, relative));
	} else if (access.kind === "command") {
		const parsed = (await loadShellParser()).parse(access.command);
		resolved.push({
			kind: "command",
			command: access.command,
			parsed,
			...parsed.ok ? await commandFacts(parsed, workspace) : emptyFacts()
		});
	} else resolved.push(access);
	return seal(tool, resolved, sandboxed);
}
/**
* Paths decided as written, with no workspace to look them up in: a context glob checked before any worktree
* exists, a search hit the tool already found inside it. Only plain file paths and tools: a command, or a
* folder operation, needs the workspace.
*/
function resolvePathsAsWritten(tool, accesses) {
	return seal(tool, accesses.map((access) => access.kind === "tool" ? access : {
		kind: access.kind,
		path: normalizeRelativePath(access.path)
	}));
}
/** The one place a resolved request is made. */
function seal(tool, accesses, sandboxed = false) {
	return {
		tool,
		accesses,
		sandboxed
	};
}
/** The accesses a folder operation makes inside folders: `within` a folder, or the files of `contentsOf`. */
async function expandFolders(access, workspace, absolute, relative) {
	const expanded = [];
	if (access.within && (await lstatIfExists(absolute))?.isDirectory()) for (const inside of await filesUnder(absolute)) expanded.push({
		kind: access.kind,
		path: posix.join(relative, inside)
	});
	if (access.contentsOf !== void 0) {
		const source = await resolveWorkspacePath(workspace, access.contentsOf).catch(() => void 0);
		if (source && (await lstatIfExists(source.absolute))?.isDirectory()) for (const inside of await filesUnder(source.absolute)) expanded.push({
			kind: access.kind,
			path: posix.join(relative, inside)
		});
	}
	return expanded;
}
// src/policy/examples.ts
/**
* Checks every rule's examples against the rule alone, so a policy that contradicts its own
* examples fails to load. Returns one message per broken example, with the rule's file:line.
*/
function checkExamples(policy, parser) {
	return [
		["files.read", policy.files.read],
		["files.write", policy.files.write],
		["commands", policy.commands],
		["tools", policy.tools]
	].flatMap(([section, rules]) => [...rules.allow.flatMap((rule) => checkRule(section, "allow", rule, parser)), ...rules.deny.flatMap((rule) => checkRule(section, "deny", rule, parser))]);
}
function checkRule(section, kind, rule, parser) {
	if (!rule.examples) return [];
	const where = rule.source ? `${rule.source}: ` : "";
	const problems = [];
	for (const example of rule.examples.match) if (!matches(section, kind, rule, example, parser)) problems.push(`${where}${section}.${kind} "${rule.pattern}": example "${example}" should match but does not`);
	for (const example of rule.examples.not_match) if (matches(section, kind, rule, example, parser)) problems.push(`${where}${section}.${kind} "${rule.pattern}": example "${example}" should not match but does`);
	return problems;
}
/** Whether this rule, on its own, decides the example the way its kind says (allows it, or denies it). */
function matches(section, kind, rule, example, parser) {
	if (section === "tools") return toolExampleMatches(kind, rule, example);
	if (section !== "commands") return minimatch(example, rule.pattern, { dot: true });
	const decision = decideCommand(soloPolicy(kind, rule), parser.parse(example), allowFiles);
	return kind === "allow" ? decision.decision === "allow" : decision.rule === "commands.deny[0]";
}
function soloPolicy(kind, rule) {
	const empty = {
		allow: [],
		deny: []
	};
	return {
		source: "example",
		default: kind === "allow" ? "deny" : "allow",
		files: {
			read: empty,
			write: empty
		},
		commands: kind === "allow" ? {
			allow: [rule],
			deny: []
		} : {
			allow: [],
			deny: [rule]
		},
		tools: empty,
		env: { pass: [] },
		limits: {},
		protect: []
	};
}
function allowFiles() {
	return {
		decision: "allow",
		reason: "examples check commands, not files",
		rule: "example"
	};
}
/** A tool example: its name, then optionally the call's arguments as a JSON object. */
function toolExampleMatches(kind, rule, example) {
	const space = example.search(/\s/);
	const name = space < 0 ? example : example.slice(0, space);
	const json = space < 0 ? "" : example.slice(space).trim();
	let args;
	try {
		const parsed = json === "" ? void 0 : JSON.parse(json);
		args = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : void 0;
	} catch {
		return false;
	}
	return minimatch(name, rule.pattern) && argumentsMatch(rule.when, args, kind);
}
// src/policy/lint.ts
const PROBE_WORDS = [
	["sh -c CODE", "a shell runs any command"],
	["bash -c CODE", "a shell runs any command"],
	["zsh -c CODE", "a shell runs any command"],
	["dash -c CODE", "a shell runs any command"],
	["ksh -c CODE", "a shell runs any command"],
	["bash ./script.sh", "a shell runs any script the agent wrote"],
	["sh ./script.sh", "a shell runs any script the agent wrote"],
	["eval CODE", "eval runs any shell code"],
	["source ./script.sh", "source runs any shell code"],
	["exec rm -rf /", "exec runs any command"],
	["python -c CODE", "an interpreter runs any code"],
	["python3 -c CODE", "an interpreter runs any code"],
	["python3 ./script.py", "an interpreter runs any script the agent wrote"],
	["node -e CODE", "an interpreter runs any code"],
	["node --eval CODE", "an interpreter runs any code"],
	["node -p CODE", "an interpreter runs any code"],
	["node ./script.js", "an interpreter runs any script the agent wrote"],
	["perl -e CODE", "an interpreter runs any code"],
	["ruby -e CODE", "an interpreter runs any code"],
	["php -r CODE", "an interpreter runs any code"],
	["awk BEGIN{system(CODE)}", "awk programs can run any command"],
	["env rm -rf /", "env runs any command"],
	["sudo rm -rf /", "sudo runs any command"],
	["doas rm -rf /", "doas runs any command"],
	["xargs rm -rf", "xargs runs any command"],
	["timeout 5 rm -rf /", "timeout runs any command"],
	["nohup rm -rf /", "nohup runs any command"],
	["nice rm -rf /", "nice runs any command"],
	["command rm -rf /", "command runs any command"],
	["npx some-package", "npx downloads and runs any package"],
	["npm exec some-package", "npm exec downloads and runs any package"],
	["npm exec", "npm exec downloads and runs any package"],
	["npm x some-package", "npm x downloads and runs any package"],
	["pnpm dlx some-package", "pnpm dlx downloads and runs any package"],
	["yarn dlx some-package", "yarn dlx downloads and runs any package"],
	["bunx some-package", "bunx downloads and runs any package"],
	["uvx some-package", "uvx downloads and runs any package"],
	["git config core.pager CODE", "git config can set commands git runs later (core.pager, hooks…)"],
	["git submodule foreach CODE", "git submodule foreach runs any command"],
	["git bisect run CODE", "git bisect run runs any command"],
	...[
		"sh",
		"bash",
		"zsh",
		"dash",
		"ksh",
		"mksh",
		"ash",
		"fish",
		"csh",
		"tcsh",
		"python",
		"python2",
		"python3",
		"node",
		"nodejs",
		"deno",
		"bun",
		"perl",
		"ruby",
		"php",
		"lua",
		"luajit",
		"tclsh",
		"Rscript",
		"pwsh",
		"osascript"
	].map((name) => [name, `\`${name}\` alone reads its program from its input (\`${name} < script\`, a pipe, a heredoc)`])
].map(([command, why]) => ({
	command,
	why,
	words: command.split(" ")
}));
/**
* A warning for an allow pattern that hands out arbitrary code execution (a shell, an interpreter's
* eval flag, a wrapper, a package runner, an exec-capable flag), or undefined when none is found.
*/
function lintAllowPattern(pattern) {
	const words = parsePattern(pattern);
	const [program] = words;
	if (!program) return `allow pattern "${pattern}" is empty`;
	if (program.kind !== "text") return `allow pattern "${pattern}" matches every program: it allows arbitrary commands`;
	const probe = PROBE_WORDS.find((candidate) => matchWords(words, candidate.words));
	if (probe) return `allow pattern "${pattern}" allows arbitrary code: it matches \`${probe.command}\` (${probe.why})`;
	const wrapper = runsAnyCommand(words);
	if (wrapper === "xargs") return `allow pattern "${pattern}" hands its command names read from the input of xargs, which are never checked (such commands are refused unless they only print)`;
	if (wrapper) return `allow pattern "${pattern}" allows arbitrary code: \`${wrapper}\` runs the command that follows it, and the pattern lets that be any command`;
	const inner = wrappedPattern(words);
	if (inner !== void 0) return lintAllowPattern(inner)?.replace(/^allow pattern "[^"]*"/, `allow pattern "${pattern}"`);
	const risk = riskyArgs(textWords(words).map(literalWord)).find((candidate) => candidate.word !== "*" && !candidate.checked);
	if (risk) return `allow pattern "${pattern}" names \`${risk.flag}\`, which ${risk.why}`;
	return segmentStar(pattern, words);
}
/**
* A `*` inside a word that names a folder matches within that folder only (it matched across `/` before):
* said once, so a rule written for nested paths is fixed on purpose, not found refusing.
*/
function segmentStar(pattern, words) {
	const word = words.find((each) => each.kind === "text" && each.glob !== void 0 && each.text.includes("/") && /(^|[^*])\*([^*]|$)/.test(each.text));
	if (word?.kind !== "text") return void 0;
	return `allow pattern "${pattern}": \`*\` in "${word.text}" matches within one folder (not sub/x, not ../x); write \`**\` inside the word to match in every folder below`;
}
/**
* A wrapper (`time`, `nice`, `setsid`, `timeout`…) followed by a wildcard word: whatever the options, the
* command it runs is left open. `nice npm test` names its command and is fine.
*/
function runsAnyCommand(words) {
	const [program] = words;
	if (program?.kind !== "text" || !isWrapper(literalWord(program.text))) return void 0;
	const layers = unwrapLayers(words.map((word) => word.kind === "text" && word.glob === void 0 ? literalWord(word.text) : {
		value: "*",
		literal: false,
		source: "*"
	}));
	if (layers.slice(0, -1).map((layer) => layer[0]?.value ?? "").includes("xargs")) return "xargs";
	const [innerProgram] = layers.at(-1) ?? [];
	if (layers.length < 2 || !innerProgram?.literal || isWrapper(innerProgram)) return program.text;
}
/** The command a wrapper pattern runs (`cat *` of `timeout 60 cat *`), as pattern text; undefined when not a wrapper. */
function wrappedPattern(words) {
	const [program] = words;
	if (program?.kind !== "text" || !isWrapper(literalWord(program.text))) return void 0;
	const layers = unwrapLayers(words.map((word) => literalWord(word.kind === "text" ? word.text : word.kind === "rest" ? "**" : "*")));
	const inner = layers.at(-1) ?? [];
	return inner.length > 0 && layers.length > 1 ? inner.map((word) => word.value).join(" ") : void 0;
}
function textWords(words) {
	return words.map((word) => word.kind === "text" ? word.text : "*");
}
// src/policy/schema.ts
const POSITIVE_INTEGER = "expected a positive integer";
const examplesSchema = strictObject({
	match: array(string()).default([]).describe("Calls this rule must match."),
	not_match: array(string()).default([]).describe("Calls this rule must not match.")
});
/** A list entry: a bare pattern, or a pattern with a reason and examples checked when the policy loads. */
const ruleSchema = union([string().min(1), strictObject({
	pattern: string().min(1).describe("Glob for paths and tool names; shell-like words for commands."),
	reason: string().optional().describe("Shown to the model and in reports when this rule decides."),
	examples: examplesSchema.optional()
})]);
const ruleListSchema = strictObject({
	allow: array(ruleSchema).default([]),
	deny: array(ruleSchema).default([])
}).prefault({});
/**
* A tool rule may also look at the call's arguments (MCP tools): it matches only when every argument it
* names has a value matching the glob (strings as they are, lists item by item, other values as JSON).
*/
const toolRuleSchema = union([string().min(1), strictObject({
	pattern: string().min(1).describe("Glob for tool names, e.g. mcp__github__* ."),
	when: record(string().min(1), string()).optional().describe("Argument name → glob its value must match (`*` matches any characters, `/` included; a list matches a deny rule when any item does, an allow rule when every item does); an argument the call lacks does not match."),
	reason: string().optional().describe("Shown to the model and in reports when this rule decides."),
	examples: examplesSchema.optional().describe("Tool names, each optionally followed by the arguments as JSON: `mcp__github__create_issue {\"repo\": \"me/x\"}`.")
})]);
const toolRuleListSchema = strictObject({
	allow: array(toolRuleSchema).default([]),
	deny: array(toolRuleSchema).default([])
}).prefault({});
/**
* A command allow rule may hold only inside the sandbox: programs that run the workspace's own code (a test
* script, `python x.py`) are safe to allow there, where secrets are hidden, the network is off and every
* write is checked, and not outside it, where they could read any file the runner can.
*/
const commandAllowSchema = union([string().min(1), strictObject({
	pattern: string().min(1).describe("Shell-like words: `*` one word or part of one within a folder, `**` any words or across folders."),
	reason: string().optional().describe("Shown to the model and in reports when this rule decides."),
	examples: examplesSchema.optional(),
	sandboxed: boolean().optional().describe("true: this rule allows only when commands run in the sandbox (docs/sandbox.md); without one, the command is refused with that reason.")
})]);
const commandRulesSchema = strictObject({
	allow: array(commandAllowSchema).default([]),
	deny: array(ruleSchema).default([])
}).prefault({});
const envPassSchema = array(string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: "expected a variable name" })).default([]).superRefine((names, context) => {
	names.forEach((name, index) => {
		if (!isRunnerSecret(name)) return;
		context.addIssue({
			code: "custom",
			path: [index],
			message: `${name} holds the runner's credentials and is never passed to commands; remove it from env.pass`
		});
	});
});
/** false: no network; true: the host's network; a list: only these hosts, through nanocoder's filtering proxy. */
const networkSchema = union([boolean(), array(string().superRefine((entry, context) => {
	const why = invalidHostPattern(entry);
	if (why) context.addIssue({
		code: "custom",
		message: why
	});
})).min(1, { error: "expected at least one host name; use false for no network" })], { error: "expected true, false or a list of host names" });
/** Policy file v1. Omitted lists are empty: when no rule matches, `default` decides. */
const policyFileSchema = strictObject({
	version: literal$1(1, { error: "expected version: 1" }),
	default: _enum(["allow", "deny"]).default("deny").describe("Decision when no rule matches."),
	files: strictObject({
		read: ruleListSchema,
		write: ruleListSchema
	}).prefault({}).describe("Path globs, relative to the workspace root, dotfiles matched."),
	commands: commandRulesSchema.describe("Command patterns, checked against every simple command of a shell line."),
	tools: toolRuleListSchema.describe("Tools that are neither file nor command tools: MCP tools (mcp__<server>__<tool>)."),
	env: strictObject({ pass: envPassSchema.describe("Extra environment variables commands may see; never the runner's credentials.") }).prefault({}),
	limits: strictObject({
		max_turns: int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional(),
		max_denials: int({ error: POSITIVE_INTEGER }).positive({ error: POSITIVE_INTEGER }).optional()
	}).prefault({}),
	sandbox: strictObject({
		mode: _enum([
			"auto",
			"bwrap",
			"none"
		]).default("auto").describe("auto: bubblewrap when it works on this machine, else none with a warning; bwrap: always; none: never."),
		required: boolean().default(false).describe("true: refuse to run commands without a working sandbox."),
		network: networkSchema.default(false).describe("false: commands have no network at all; true: the host's network; a list of host names (`*.example.org` for subdomains): only those, through a filtering proxy."),
		writable: array(string().min(1)).default([]).describe("Extra paths commands may write (caches), relative to the workspace or absolute.")
	}).prefault({}).describe("The OS sandbox every command and check runs in. See docs/sandbox.md."),
	dependencies: strictObject({
		detect: boolean().default(true).describe("Show commands the repository's installed dependency folders git ignores (node_modules, also of workspace packages, .venv, venv, vendor/bundle)."),
		paths: array(string().min(1)).default([]).describe("More git-ignored folders or files to show, relative to the repository root; globs allowed.")
	}).prefault({}).describe("Installed dependencies every worktree sees, read-only. See docs/environment.md."),
	mcp: strictObject({ servers: record(string().regex(/^[A-Za-z0-9_-]+$/, { error: "expected a server name of letters, digits, \"_\" and \"-\"" }), strictObject({
		env: envPassSchema.describe("Variables this stdio server may see: its .mcp.json `env` entry, else the runner's value; never the runner's credentials."),
		network: networkSchema.default(false).describe("false: the server has no network; true: the host's network; a list of host names: only those, through the filtering proxy."),
		read: array(string().regex(/^\//, { error: "expected an absolute path" })).default([]).describe("Folders outside the worktree the server may read, e.g. where it is installed; shown read-only at the same path.")
	})).default({}) }).prefault({}).describe("What each MCP server from .mcp.json gets in the sandbox; which of its tools may be called is up to `tools`. See docs/mcp.md."),
	setup: strictObject({
		run: array(string().min(1)).default([]).describe("Commands run in each worktree before its first task, in the sandbox; their results serve the worktree's later tasks."),
		inputs: array(string().min(1)).default([]).describe("Files whose content decides whether setup results can be reused (lockfiles). Default: the lockfiles at the repository root."),
		timeout: durationSchema.prefault("10m").describe("Wall-clock limit for all setup commands of one worktree."),
		network: networkSchema.optional().describe("The network setup commands get; default: sandbox.network.")
	}).prefault({}).describe("Commands that prepare a worktree (an install, a build). See docs/environment.md.")
}).meta({
	title: "nanocoder policy",
	description: "Decides every tool call of an unattended run."
});
// src/policy/load.ts
const DEFAULT_POLICY_PATH = join(...DEFAULT_POLICY_FILE.split("/"));
/** `--policy PATH`, else `.nanocoder/policy.yaml` when present, else the built-in policy. */
async function loadPolicy({ explicitPath, cwd, repoRoot }) {
	const path = explicitPath ?? findDefaultPolicy(repoRoot ?? cwd, cwd);
	if (path === void 0) return builtinPolicy;
	const absolute = resolve(cwd, path);
	const policy = parsePolicy((await readUserFile(absolute, path, "E_POLICY", explicitPath ? "policy file not found; pass --policy with an existing file, or omit it to use the built-in policy" : "policy file not found")).toString("utf8"), path);
	const problems = checkExamples(policy, await loadShellParser());
	if (problems.length > 0) throw new UserErrors(problems.map((problem) => new UserError(problem, "E_POLICY_EXAMPLE")));
	const inRepo = repoRoot ? relative(repoRoot, absolute) : void 0;
	const protectPolicy = inRepo && !inRepo.startsWith("..") && !isAbsolute(inRepo) ? [inRepo.split("\\").join("/")] : [];
	return {
		...policy,
		protect: [.../* @__PURE__ */ new Set([...policy.protect, ...protectPolicy])]
	};
}
function findDefaultPolicy(root, cwd) {
	const absolute = join(root, DEFAULT_POLICY_PATH);
	return existsSync(absolute) ? relative(cwd, absolute) : void 0;
}
/** Parses and validates policy text; every problem is reported with file:line:col. */
function parsePolicy(text, file) {
	const [source, extra] = parseYamlDocuments(text, file);
	if (!source) throw new UserError(`${file}: the policy file is empty; start it with "version: 1"`, "E_POLICY");
	if (extra) {
		const { line, col } = positionOf(extra, [], "value");
		throw new UserError(`${file}:${line}:${col}: a policy file holds one YAML document, not several; merge this one into the first, or remove the "---" before it`, "E_POLICY");
	}
	const result = validateYaml(policyFileSchema, source);
	if (!result.ok) throw new UserErrors(result.errors);
	return toPolicy(result.value, source);
}
function toPolicy(file, source) {
	const list = (section, rules) => ({
		allow: rules.allow.map((entry, index) => toRule(entry, source, [
			...section,
			"allow",
			index
		])),
		deny: rules.deny.map((entry, index) => toRule(entry, source, [
			...section,
			"deny",
			index
		]))
	});
	return {
		source: source.file,
		default: file.default,
		files: {
			read: list(["files", "read"], file.files.read),
			write: list(["files", "write"], file.files.write)
		},
		commands: list(["commands"], file.commands),
		tools: list(["tools"], file.tools),
		env: { pass: file.env.pass },
		limits: file.limits,
		sandbox: file.sandbox,
		dependencies: file.dependencies,
		setup: file.setup,
		mcp: file.mcp,
		protect: builtinPolicy.protect,
		warnings: [...lintCommands(file, source), ...lintPassedVariables(file, source)]
	};
}
/**
* Allow patterns that hand out arbitrary code execution load, with a warning naming the risk. A rule that
* holds only inside the sandbox is what such programs are meant to get: it is warned about only when the
* policy turns the sandbox off, where it can never apply.
*/
function lintCommands(file, source) {
	return file.commands.allow.flatMap((entry, index) => {
		const sandboxed = typeof entry !== "string" && entry.sandboxed === true;
		const pattern = typeof entry === "string" ? entry : entry.pattern;
		const warning = sandboxed ? file.sandbox.mode === "none" ? `allow pattern "${pattern}" is sandboxed, and sandbox.mode is none: it never applies` : void 0 : lintAllowPattern(pattern);
		if (!warning) return [];
		const { line, col } = positionOf(source, [
			"commands",
			"allow",
			index
		], "value");
		return [`${source.file}:${line}:${col}: warning: ${warning}`];
	});
}
/** Names that look like secrets (shared/secret-names.ts: their values are hidden in the reports) load, with a warning. */
function lintPassedVariables(file, source) {
	return file.env.pass.flatMap((name, index) => {
		if (!looksLikeSecret(name)) return [];
		const { line, col } = positionOf(source, [
			"env",
			"pass",
			index
		], "value");
		return [`${source.file}:${line}:${col}: warning: env.pass hands ${name} to every command the model runs, and its name looks like a secret; pass it only if commands need it and the model may see it`];
	});
}
function toRule(entry, source, path) {
	const { line, col } = positionOf(source, path, "value");
	const location = `${source.file}:${line}:${col}`;
	if (typeof entry === "string") return {
		pattern: entry,
		source: location
	};
	return {
		pattern: entry.pattern,
		source: location,
		...entry.reason ? { reason: entry.reason } : {},
		...entry.examples ? { examples: entry.examples } : {},
		..."sandboxed" in entry && entry.sandboxed ? { sandboxed: true } : {},
		..."when" in entry && entry.when ? { when: entry.when } : {}
	};
}
export { resolveContextLimits as A, createIgnoreFilter as C, withStructuredOutput as D, structuredOutputFields as E, DEFAULT_CONTEXT_WINDOW as O, escape as S, resolveWorkspacePath as T, substituteEnv as _, canonicalHost as a, minimatch as b, decideWrite as c, INSPECTION_COMMANDS as d, SECRETS as f, resolveProvider as g, loadConfig as h, resolvePathsAsWritten as i, windowFromError as j, isContextOverflow as k, describeRule as l, findConfigFile as m, loadPolicy as n, hostAllowed as o, builtinPolicy as p, resolveAccesses as r, decide as s, DEFAULT_POLICY_PATH as t, offeredTools as u, variablesIn as v, lstatIfExists as w, unescape as x, Minimatch as y };
