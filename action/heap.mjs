// Built by `npm run build:action` from the modules the entries share. Do not edit.
import { setFlagsFromString } from "node:v8";
// src/shared/heap.ts
/**
* Keeps the heap small. V8's defaults let a busy process grow its heap far beyond what is live (32 tasks at
* once peak near 200 MB with 40 MB live), and a larger process costs more every time it starts one (git
* for every task): the operating system copies its page tables on each start. A young generation that
* does not grow and an old one that grows by 20% instead of doubling keep the peak near the live size,
* at no measurable cost per step. Set once, first thing, by each entry point.
*/
function keepHeapSmall() {
	setFlagsFromString("--semi-space-growth-factor=1");
	setFlagsFromString("--heap-growing-percent=20");
}
export { keepHeapSmall as t };
