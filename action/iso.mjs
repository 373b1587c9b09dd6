// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { A as _isoDateTime, a as ZodISODateTime } from "./errors.mjs";
// node_modules/zod/v4/classic/iso.js
function datetime(params) {
	return _isoDateTime(ZodISODateTime, params);
}
export { datetime as t };
