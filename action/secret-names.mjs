// Built by `npm run build:action` from the modules the entries share. Do not edit.
// src/shared/secret-names.ts
/**
* What counts as a secret, by the name of the variable that holds it: one list for the whole program. A
* secret's value is hidden in every file a run writes (report/redact.ts); handing one to commands with
* `env.pass` loads with a warning (policy/load.ts); the runner's own credentials are never handed to
* commands at all (policy/schema.ts).
*/
/** Words of a name (split at `_`, `-`, `.`) that make it a secret's: NPM_TOKEN, DB_PASSWORD, npm_config_auth, SESSION_ID. */
const SECRET_WORDS = /* @__PURE__ */ new Set([
	"KEY",
	"APIKEY",
	"TOKEN",
	"SECRET",
	"PASSWORD",
	"PASSWD",
	"PASS",
	"PWD",
	"CREDENTIAL",
	"CREDENTIALS",
	"AUTH",
	"COOKIE",
	"SESSION",
	"PRIVATE"
]);
/**
* Whether a variable's name says it holds a secret. By words, so that TOKENIZERS_PARALLELISM or
* GIT_AUTHOR_NAME are not; names run together (GITHUBTOKEN, MYAPIKEY, CLIENT_SECRET_V2) by what they
* end with or hold.
*/
function looksLikeSecret(name) {
	const upper = name.toUpperCase();
	if (upper === "PWD" || upper === "OLDPWD") return false;
	return upper.split(/[_.-]+/).some((word) => SECRET_WORDS.has(word)) || /(TOKEN|KEY)$|SECRET|PASSWORD|PASSWD|CREDENTIAL/.test(upper);
}
/** The runner's own credentials: never handed to commands, whatever `env.pass` says. */
const RUNNER_SECRETS = /* @__PURE__ */ new Set([
	"GITHUB_TOKEN",
	"GH_TOKEN",
	"GH_ENTERPRISE_TOKEN",
	"ACTIONS_RUNTIME_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_TOKEN",
	"ACTIONS_ID_TOKEN_REQUEST_URL",
	"OPENAI_API_KEY",
	"ANTHROPIC_API_KEY",
	"OPENROUTER_API_KEY",
	"GEMINI_API_KEY",
	"GOOGLE_API_KEY",
	"MISTRAL_API_KEY",
	"GROQ_API_KEY",
	"DEEPSEEK_API_KEY",
	"XAI_API_KEY",
	"TOGETHER_API_KEY",
	"AZURE_OPENAI_API_KEY"
]);
/** Whether `name` is one of the runner's credentials (`GITHUB_TOKEN`, a provider key, any `NANOCODER_*`). */
function isRunnerSecret(name) {
	return RUNNER_SECRETS.has(name) || name.startsWith("NANOCODER_");
}
export { looksLikeSecret as n, isRunnerSecret as t };
