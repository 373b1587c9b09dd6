// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { b as minimatch } from "./load.mjs";
import http from "node:http";
import { Readable } from "node:stream";
import https from "node:https";
// src/provider/http.ts
const NO_BODY_STATUSES = /* @__PURE__ */ new Set([
	101,
	204,
	205,
	304
]);
const REDIRECTS = /* @__PURE__ */ new Set([
	301,
	302,
	303,
	307,
	308
]);
const MAX_REDIRECTS = 5;
/** Connections kept open between requests, shared by every task of the process like fetch's own pool. */
const agents = {
	http: new http.Agent({ keepAlive: true }),
	https: new https.Agent({ keepAlive: true })
};
/**
* The fetch the openai SDK uses: node:http with keep-alive connections, and a callback for every piece of
* the response as it arrives (the stream idle timer). Node's streams carry the bytes until the SDK reads
* them; that costs a fraction of the built-in fetch per request, which counts at hundreds of steps per task.
* Redirects are followed as fetch follows them.
*/
function createHttpFetch(onBytes) {
	return async (input, init = {}) => {
		let outgoing = await outgoingOf(input, init);
		for (let hops = 0;; hops++) {
			const response = await send$1(outgoing, onBytes);
			const location = response.headers.location;
			if (!REDIRECTS.has(response.statusCode ?? 0) || !location || hops >= MAX_REDIRECTS) return toResponse(response, onBytes);
			response.resume();
			outgoing = redirected(outgoing, response.statusCode ?? 0, new URL(location, outgoing.url));
		}
	};
}
async function outgoingOf(input, init) {
	const request = input instanceof Request ? input : void 0;
	const body = init.body ?? (request?.body ? new Uint8Array(await request.arrayBuffer()) : void 0);
	return {
		url: new URL(request ? request.url : String(input)),
		method: init.method ?? request?.method ?? "GET",
		headers: {
			...headerRecord(request?.headers),
			...headerRecord(init.headers)
		},
		body: bodyOf(body),
		signal: init.signal ?? request?.signal ?? void 0
	};
}
/** 307 and 308 repeat the request; 301, 302 and 303 turn a POST into a GET without a body, as fetch does. */
function redirected(outgoing, status, url) {
	if (status === 307 || status === 308 || status !== 303 && outgoing.method !== "POST") return {
		...outgoing,
		url
	};
	const headers = Object.fromEntries(Object.entries(outgoing.headers).filter(([name]) => !/^content-/i.test(name)));
	return {
		...outgoing,
		url,
		method: outgoing.method === "HEAD" ? "HEAD" : "GET",
		headers,
		body: void 0
	};
}
function send$1(outgoing, onBytes) {
	const secure = outgoing.url.protocol === "https:";
	const options = {
		method: outgoing.method,
		headers: outgoing.headers,
		agent: secure ? agents.https : agents.http,
		...outgoing.signal ? { signal: outgoing.signal } : {}
	};
	return new Promise((resolve, reject) => {
		const request = (secure ? https : http).request(outgoing.url, options, (response) => {
			onBytes();
			resolve(response);
		});
		request.on("error", reject);
		request.end(outgoing.body);
	});
}
/**
* The answer as a Response whose body reports each piece to `onBytes`. A status outside what a Response can
* carry (200–599) ends the request as an error.
*/
function toResponse(response, onBytes) {
	const status = response.statusCode ?? 0;
	const headers = new Headers();
	for (const [name, value] of Object.entries(response.headers)) {
		if (value === void 0) continue;
		for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
	}
	if (status < 200 || status > 599) {
		response.destroy();
		throw new TypeError(`the server answered with HTTP status ${status}, which is not a valid response`);
	}
	if (NO_BODY_STATUSES.has(status)) {
		response.resume();
		return new Response(null, {
			status,
			statusText: response.statusMessage ?? "",
			headers
		});
	}
	response.on("data", onBytes);
	const body = Readable.toWeb(response);
	return new Response(body, {
		status,
		statusText: response.statusMessage ?? "",
		headers
	});
}
function headerRecord(given) {
	const record = {};
	new Headers(given).forEach((value, name) => {
		record[name] = value;
	});
	return record;
}
/** The SDK sends JSON as a string; anything else it could send is passed on as bytes. */
function bodyOf(body) {
	if (body === null || body === void 0) return void 0;
	if (typeof body === "string" || body instanceof Uint8Array) return body;
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	if (body instanceof URLSearchParams) return body.toString();
	throw new TypeError("request bodies other than text and bytes are not supported");
}
/** The first system error code (ECONNREFUSED, ENOTFOUND, …) in the cause chain. */
function errorCode(error) {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		if (typeof current !== "object") return void 0;
		if ("code" in current && typeof current.code === "string" && current.code !== "") return current.code;
		current = "cause" in current ? current.cause : void 0;
	}
}
// src/policy/mcp.ts
/** Why no tool of a server could ever be allowed, or undefined when some could. Pure. */
function serverNeverAllowed(policy, prefix) {
	const probes = [`${prefix}a`, `${prefix}zz9-_q`];
	const deny = policy.tools.deny.find((rule) => rule.when === void 0 && probes.every((name) => minimatch(name, rule.pattern)));
	if (deny) return `tools.deny rule "${deny.pattern}"${deny.source ? ` (${deny.source})` : ""} takes every tool of the server`;
	if (policy.default === "allow") return void 0;
	if (policy.tools.allow.some((rule) => couldMatchUnder(rule.pattern, prefix))) return void 0;
	return `no tools.allow rule names a tool starting with ${prefix} and the policy's default is deny`;
}
/** Whether a name glob could match some name starting with `prefix`: its literal start and the prefix agree. */
function couldMatchUnder(pattern, prefix) {
	const glob = pattern.search(/[*?[{!+@]/);
	if (glob === -1) return pattern.startsWith(prefix);
	const literal = pattern.slice(0, glob);
	return literal.startsWith(prefix) || prefix.startsWith(literal);
}
// src/run/command-env.ts
/** Variables commands see from the runner's environment; API keys and tokens stay out of their reach. */
const PASSED = [
	"PATH",
	"HOME",
	"LANG",
	"LANGUAGE",
	"TZ",
	"CI"
];
/**
* Set for every command: no pager or prompt can hang an unattended run, and repository config cannot
* turn git into code execution (no system config, no hooks, no fsmonitor, no implicitly
* discovered bare repositories).
*/
const HARDENING = {
	TERM: "dumb",
	PAGER: "cat",
	GIT_PAGER: "cat",
	GIT_TERMINAL_PROMPT: "0",
	GIT_CONFIG_NOSYSTEM: "1",
	GIT_CONFIG_COUNT: "3",
	GIT_CONFIG_KEY_0: "core.hooksPath",
	GIT_CONFIG_VALUE_0: "/dev/null",
	GIT_CONFIG_KEY_1: "core.fsmonitor",
	GIT_CONFIG_VALUE_1: "false",
	GIT_CONFIG_KEY_2: "safe.bareRepository",
	GIT_CONFIG_VALUE_2: "explicit"
};
/** The environment of every command the model runs: a short allow-list, the policy's `env.pass`, and the hardening above. */
function commandEnv(env, pass = []) {
	const result = {};
	for (const [name, value] of Object.entries(env)) if (value !== void 0 && (PASSED.includes(name) || name.startsWith("LC_") || pass.includes(name))) result[name] = value;
	return {
		...result,
		...HARDENING
	};
}
// src/provider/probe.ts
/**
* Whether a provider's server can be used, asked cheaply: `GET {baseUrl}/models`, which the servers nanocoder
* batch talks to answer (OpenAI, OpenRouter, vLLM, llama.cpp, LM Studio, Ollama's /v1). The run's provider
* check and `nanocoder doctor` both ask this way.
*
* A model missing from the list is not enough to refuse it: llama.cpp and TGI answer under any name, Azure
* lists base models but is asked for deployments, OpenRouter takes variants (`:nitro`) it does not list.
* So the server itself is asked, with a one-token chat request, and only its refusal (404, or a 400 that
* says the model is unknown) counts. The same request settles a 403 on the list, which a key without the
* "list models" permission gets while it may still chat. Any other answer (5xx, 429, a slow reply) leaves
* the question to the tasks: their retries and the run's provider breaker deal with a server that fails.
*/
/** The transport the tasks' requests take (node:http), so that the probe sees what they will: fetch refuses ports a server may use. */
const send = createHttpFetch(() => void 0);
/** Models named in a message about a model the server does not serve; the rest are counted. */
const MODELS_SHOWN = 12;
/** Asks the provider's server whether it can be used, with the model when one is given. Never throws. */
async function probeProvider(provider, options = {}) {
	const base = provider.baseUrl.replace(/\/+$/, "");
	const timeoutMs = options.timeoutMs ?? 1e4;
	const listRequest = `GET ${base}/models`;
	const list = await ask(provider, `${base}/models`, void 0, timeoutMs);
	if (list.kind === "no answer") return {
		verdict: "unreachable",
		request: listRequest,
		detail: list.detail
	};
	const models = modelIds(list.body);
	const listed = {
		request: listRequest,
		detail: `${list.status} ${list.statusText} (${list.ms} ms)${models ? `, ${count(models.length, "model")}` : ""}`,
		...models ? { models } : {}
	};
	const { model } = options;
	if (list.status === 401) return {
		...listed,
		verdict: "unauthorized",
		detail: `${listed.detail}: ${list.message}`
	};
	if (list.ok && models !== void 0 && (model === void 0 || models.length === 0 || lists(models, model) || servesAnyName(list.body))) return {
		...listed,
		verdict: "ok"
	};
	const refused = !list.ok && [
		403,
		404,
		405
	].includes(list.status);
	if (!list.ok && !refused) return {
		...listed,
		verdict: "unsure",
		detail: `${listed.detail}: ${list.message}`
	};
	if (model === void 0) {
		if (list.ok) return {
			...listed,
			verdict: "unsure",
			detail: `${listed.detail}, but not a model list`
		};
		if (list.status === 403) return {
			...listed,
			verdict: "unauthorized",
			detail: `${listed.detail}: ${list.message}`
		};
		return {
			...listed,
			verdict: "unreachable",
			detail: `${listed.detail}: ${list.message}`,
			notAnApi: true
		};
	}
	return confirmModel(provider, base, model, timeoutMs, {
		...listed,
		listStatus: list.status
	});
}
/** A one-token chat request: the server's own word on the model (and the key). */
async function confirmModel(provider, base, model, timeoutMs, listed) {
	const body = {
		model,
		messages: [{
			role: "user",
			content: "Reply with OK."
		}],
		max_tokens: 1,
		stream: false
	};
	const chat = await ask(provider, `${base}/chat/completions`, body, timeoutMs);
	const request = `POST ${base}/chat/completions (model "${model}")`;
	const { models } = listed;
	const withList = models ? { models } : {};
	if (chat.kind === "no answer") return {
		verdict: "unsure",
		request,
		detail: chat.detail,
		...withList
	};
	const detail = `${chat.status} ${chat.statusText}: ${chat.message}`;
	if (chat.ok) return {
		verdict: "ok",
		request,
		detail: `${chat.status} ${chat.statusText} (${chat.ms} ms)`,
		...withList
	};
	if (chat.status === 401 || chat.status === 403) return {
		verdict: "unauthorized",
		request,
		detail,
		...withList
	};
	if (refusesModel(chat.status, chat.message, model)) return {
		verdict: "unknown_model",
		request,
		detail,
		...withList
	};
	if (chat.status === 404 && listed.listStatus === 404) return {
		verdict: "unreachable",
		request,
		detail: `${detail}; ${listed.request} answered 404 too`,
		notAnApi: true,
		...withList
	};
	return {
		verdict: "unsure",
		request,
		detail,
		...withList
	};
}
async function ask(provider, url, body, timeoutMs) {
	const started = Date.now();
	const headers = {
		...provider.headers,
		...provider.apiKey ? { authorization: `Bearer ${provider.apiKey}` } : {},
		...body ? { "content-type": "application/json" } : {}
	};
	try {
		const response = await send(url, {
			method: body ? "POST" : "GET",
			headers,
			...body ? { body: JSON.stringify(body) } : {},
			signal: AbortSignal.timeout(timeoutMs)
		});
		const text = await response.text();
		const parsed = parseJson(text);
		return {
			kind: "answer",
			ok: response.ok,
			status: response.status,
			statusText: response.statusText,
			ms: Date.now() - started,
			body: parsed,
			message: serverMessage(parsed, text)
		};
	} catch (error) {
		return {
			kind: "no answer",
			detail: describeFailure(error, timeoutMs)
		};
	}
}
/** 404 (vLLM, OpenAI, Ollama), or a 400/422 whose message says the model is unknown (OpenRouter: "x is not a valid model ID"). */
function refusesModel(status, message, model) {
	const aboutModel = /model/i.test(message) && /(not (a )?valid|not found|does not exist|unknown|invalid|no such|not available|unsupported model)/i.test(message);
	if (status === 404) return aboutModel || message.includes(model);
	return (status === 400 || status === 422) && aboutModel;
}
/** The ids of an OpenAI-style list (`{data: [{id}]}`); Ollama's native `{models: [{name}]}` too. */
function modelIds(body) {
	if (!isRecord(body)) return void 0;
	const entries = Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : void 0;
	if (!entries) return void 0;
	return entries.flatMap((entry) => isRecord(entry) && typeof (entry.id ?? entry.name) === "string" ? [String(entry.id ?? entry.name)] : []);
}
/** Listed as given, or (Ollama) a name without a tag whose `:latest` is listed. */
function lists(models, model) {
	return models.includes(model) || !model.includes(":") && models.includes(`${model}:latest`);
}
/** llama.cpp's server lists the one model it loaded (`owned_by: "llamacpp"`) and answers under any name. */
function servesAnyName(body) {
	return isRecord(body) && Array.isArray(body.data) && body.data.some((entry) => isRecord(entry) && entry.owned_by === "llamacpp");
}
/** The server's own words: `error.message` (or `error` as text, or `message`) from a JSON body, else the start of the text. */
function serverMessage(body, text) {
	if (isRecord(body)) {
		const error = body.error;
		if (isRecord(error) && typeof error.message === "string") return error.message;
		if (typeof error === "string") return error;
		if (typeof body.message === "string") return body.message;
	}
	const plain = text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
	return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain || "(no body)";
}
function describeFailure(error, timeoutMs) {
	if (inCauses(error, (cause) => cause instanceof Error && cause.name === "TimeoutError")) return `no answer in ${timeoutMs / 1e3} s`;
	const code = errorCode(error);
	if (code === "ECONNREFUSED") return "connection refused (ECONNREFUSED)";
	if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host not found (${code})`;
	const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
	return code ? `cannot connect: ${cause} (${code})` : `cannot connect: ${cause}`;
}
function inCauses(error, test) {
	for (let current = error, depth = 0; current && depth < 5; depth++) {
		if (test(current)) return true;
		current = typeof current === "object" && "cause" in current ? current.cause : void 0;
	}
	return false;
}
function parseJson(text) {
	try {
		return JSON.parse(text);
	} catch {
		return;
	}
}
function isRecord(value) {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}
function count(n, noun) {
	return `${n} ${noun}${n === 1 ? "" : "s"}`;
}
/** The list for a message: the first few names, and how many more. */
function describeModels(models) {
	const shown = models.slice(0, MODELS_SHOWN).join(", ");
	return models.length > MODELS_SHOWN ? `${shown} and ${models.length - MODELS_SHOWN} more` : shown;
}
/** What a probe found, and how to fix it, for one line of the provider check or of `nanocoder doctor`. */
function describeProbe(result, provider, fixAt, model) {
	const text = `${result.request}: ${result.detail}`;
	switch (result.verdict) {
		case "ok":
		case "unsure": return { text };
		case "unreachable":
			if (result.notAnApi) return {
				text,
				fix: `no OpenAI-compatible API answers at ${provider.baseUrl} (most end in /v1); fix ${fixAt.baseUrl}`
			};
			return {
				text,
				fix: `is the server running at ${provider.baseUrl}? Fix ${fixAt.baseUrl}`
			};
		case "unauthorized": return {
			text,
			fix: provider.apiKey ? `the server refuses the key: check ${fixAt.apiKey}` : `no key was sent: set ${fixAt.apiKey}`
		};
		case "unknown_model": return {
			text,
			fix: `choose a model the server serves${result.models?.length ? ` (it lists ${describeModels(result.models)})` : ""} with --model, the task's model: or the provider's models${new URL(provider.baseUrl).port === "11434" ? `, or pull it: ollama pull ${model ?? ""}` : ""}`
		};
	}
}
export { createHttpFetch as a, serverNeverAllowed as i, probeProvider as n, errorCode as o, commandEnv as r, describeProbe as t };
